/**
 * General bonds (一般债券, issue 12; README "General bonds"): the bond funds construction like any
 * source, but the general public budget services it, so the project's figures are those of the
 * same scenario with a budget grant in its place, and its schedule sits apart, hand-worked here.
 *
 * The scenario: a basic project built 2026–2027 (capex 60,000,000 + 90,000,000), operated
 * 2028–2035. Funding: general bond 100,000,000 (1 亿元) at 3 %, tenor 10 years, equal principal,
 * 2 grace years; budget 30,000,000; bank loan 20,000,000 at 4.5 %, 10 years, annuity. Draws are
 * pro rata to capex: the bond draws 40,000,000 in 2026 and 60,000,000 in 2027.
 *
 * Schedule (start of year, the bond default): 2026 interest 40,000,000 × 3 % = 1,200,000;
 * 2027 (40,000,000 + 60,000,000) × 3 % = 3,000,000; 2028 and 2029 (grace) 3,000,000, no
 * principal. Repayment from the end of construction + 2 grace years (2030) to maturity (tenor − 1 =
 * year index 9, 2035): n = 6, principal 100,000,000 ÷ 6 = 16,666,666.666… → 16,666,666.67 in
 * 2030–2034, the rest 16,666,666.65 in 2035. Interest on the opening balance, half-up to fen:
 * 83,333,333.33 × 3 % = 2,499,999.9999 → 2,500,000.00; 66,666,666.66 → 2,000,000.00;
 * 49,999,999.99 → 1,500,000.00; 33,333,333.32 → 1,000,000.00; 16,666,666.65 → 500,000.00.
 */
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { simulate } from '../../../src/domain/engine/simulate';
import { ValidationError } from '../../../src/domain/errors';
import type { SimulationResult } from '../../../src/domain/engine/types';
import { driverApplies, parseDriverName } from '../../../src/domain/risk/drivers';

type Source = ScenarioInput['funding']['sources'][number];

const generalBond: Source = {
  id: 'gb',
  name: '一般债券',
  type: 'general-bond',
  amountYuan: '100000000',
  debt: { annualRate: '0.03', tenorYears: 10, graceYears: 2, repayment: 'equal-principal' },
};

function input(bond: Source = generalBond): ScenarioInput {
  return {
    format: 'fundmix-scenario@2',
    project: {
      code: 'T-GB',
      name: 'General bond test',
      sector: 'e-government-cloud',
      category: 'basic',
      approvalDate: '2025-06-01',
    },
    scenario: { name: 'general bond', delivery: 'government' },
    timeline: { startYear: 2026, constructionYears: 2, operationYears: 8 },
    capex: { scheduleYuan: ['60000000', '90000000'] },
    operatingCost: { annualYuan: '2000000', escalation: '0.02' },
    revenues: [{ kind: 'other', name: 'Service fees', annualYuan: '9000000', growth: '0.01' }],
    funding: {
      sources: [
        bond,
        { id: 'budget', name: 'Budget', type: 'budget', amountYuan: '30000000' },
        {
          id: 'loan',
          name: 'Bank loan',
          type: 'bank-loan',
          amountYuan: '20000000',
          debt: { annualRate: '0.045', tenorYears: 10, repayment: 'annuity' },
        },
      ],
    },
    discountRates: { project: '0.06', equity: '0.08', government: '0.04' },
  };
}

const run = (s: ScenarioInput) => simulate(parseScenario(s));

const yuan = (r: SimulationResult, pick: (y: SimulationResult['ledger'][number]) => unknown) =>
  r.ledger.map((y) => String(pick(y)));

describe('general bond schedule', () => {
  const result = run(input());
  const rows = result.ledger.map((y) => {
    const g = y.governmentDebt![0]!;
    return [y.year, g.opening, g.drawdown, g.interest, g.principal, g.closing].map((v) =>
      typeof v === 'number' ? v : v.toFixed(2),
    );
  });

  it('matches the hand-worked schedule to the fen', () => {
    expect(rows).toEqual([
      [2026, '0.00', '40000000.00', '1200000.00', '0.00', '40000000.00'],
      [2027, '40000000.00', '60000000.00', '3000000.00', '0.00', '100000000.00'],
      [2028, '100000000.00', '0.00', '3000000.00', '0.00', '100000000.00'],
      [2029, '100000000.00', '0.00', '3000000.00', '0.00', '100000000.00'],
      [2030, '100000000.00', '0.00', '3000000.00', '16666666.67', '83333333.33'],
      [2031, '83333333.33', '0.00', '2500000.00', '16666666.67', '66666666.66'],
      [2032, '66666666.66', '0.00', '2000000.00', '16666666.67', '49999999.99'],
      [2033, '49999999.99', '0.00', '1500000.00', '16666666.67', '33333333.32'],
      [2034, '33333333.32', '0.00', '1000000.00', '16666666.67', '16666666.65'],
      [2035, '16666666.65', '0.00', '500000.00', '16666666.65', '0.00'],
    ]);
  });

  it('is the government’s, not among the project debts', () => {
    expect(result.governmentDebts?.map((s) => s.id)).toEqual(['gb']);
    expect(result.debts.map((s) => s.id)).toEqual(['loan']);
    expect(result.ledger.every((y) => y.debt.length === 1)).toBe(true);
    expect(result.sources.find((s) => s.id === 'gb')?.pillar).toBe('government');
    // Flagged with the whole service: 100,000,000 principal + 20,700,000 interest (the table above).
    expect(
      result.flags.find((f) => f.code === 'general-bond-government-serviced')?.amount?.toFixed(2),
    ).toBe('120700000.00');
  });

  it('draws mid-year when told: half a year’s construction interest on the draw', () => {
    const mid = run(input({ ...generalBond, drawTiming: 'mid-year' }));
    // 2026: (0 + 40,000,000 ÷ 2) × 3 % = 600,000; 2027: (40,000,000 + 30,000,000) × 3 % = 2,100,000.
    expect(mid.ledger.slice(0, 3).map((y) => y.governmentDebt![0]!.interest.toFixed(2))).toEqual([
      '600000.00',
      '2100000.00',
      '3000000.00',
    ]);
  });

  it('repays an annuity bond by the level payment and a bullet at maturity', () => {
    // 1,000,000 at 5 %, tenor 4 years, 1 construction year: PMT = 1,000,000 × 0.05 ÷ (1 − 1.05^−3)
    // = 367,208.5646…; 2027 principal 367,208.5646 − 50,000 → 317,208.56, balance 682,791.44;
    // 2028 interest 34,139.572 → 34,139.57, principal 333,068.9946 → 333,068.99, balance
    // 349,722.45; 2029 interest 17,486.1225 → 17,486.12, principal the balance 349,722.45.
    const s = input();
    s.timeline = { startYear: 2026, constructionYears: 1, operationYears: 3 };
    s.capex = { scheduleYuan: ['1000000'] };
    s.funding.sources = [
      {
        ...generalBond,
        amountYuan: '1000000',
        debt: { annualRate: '0.05', tenorYears: 4, repayment: 'annuity' },
      },
    ];
    const annuity = run(s).ledger.map((y) => [
      y.governmentDebt![0]!.interest.toFixed(2),
      y.governmentDebt![0]!.principal.toFixed(2),
    ]);
    expect(annuity).toEqual([
      ['50000.00', '0.00'],
      ['50000.00', '317208.56'],
      ['34139.57', '333068.99'],
      ['17486.12', '349722.45'],
    ]);
    s.funding.sources[0]!.debt!.repayment = 'bullet';
    const bullet = run(s).ledger.map((y) => y.governmentDebt![0]!.principal.toFixed(2));
    expect(bullet).toEqual(['0.00', '0.00', '0.00', '1000000.00']);
  });
});

describe('the project with a general bond', () => {
  const withBond = run(input());
  const withGrant = run(
    input({ id: 'gb', name: '一般债券', type: 'budget', amountYuan: '100000000' }),
  );

  it('has the figures of the same project with a budget grant in its place', () => {
    const m = (r: SimulationResult) => {
      const {
        governmentOutlayTotal: _t,
        governmentOutlayByInstrument: _b,
        governmentNpv: _n,
        ...rest
      } = r.metrics;
      return JSON.parse(JSON.stringify(rest)) as unknown;
    };
    expect(m(withBond)).toEqual(m(withGrant));
    for (const pick of [
      (y: SimulationResult['ledger'][number]) => y.cfads,
      (y: SimulationResult['ledger'][number]) => y.dscr,
      (y: SimulationResult['ledger'][number]) => y.totalDebtService,
      (y: SimulationResult['ledger'][number]) => y.projectFlow,
      (y: SimulationResult['ledger'][number]) => y.tax,
      (y: SimulationResult['ledger'][number]) => y.drawdowns.join(','),
      (y: SimulationResult['ledger'][number]) => JSON.stringify(y.debt),
    ])
      expect(yuan(withBond, pick)).toEqual(yuan(withGrant, pick));
    expect(JSON.stringify(withBond.sourcesAndUses)).toEqual(
      JSON.stringify(withGrant.sourcesAndUses),
    );
  });

  it('is not the budget’s draw: the government outlay of the draw years is the grant’s less the bond’s', () => {
    // The grant is budget outlay when drawn; the bond's draw is not (its service is, from the
    // general budget, in the bond's own lines).
    const draw = (r: SimulationResult) => r.ledger.map((y) => y.government.budget.toFixed(2));
    expect(draw(withGrant).slice(0, 2)).toEqual(['52000000.00', '78000000.00']);
    expect(draw(withBond).slice(0, 2)).toEqual(['12000000.00', '18000000.00']);
  });

  // The schedule above, interest + principal per year: the government outlay `general-bond`.
  const SERVICE = [
    '1200000.00',
    '3000000.00',
    '3000000.00',
    '3000000.00',
    '19666666.67',
    '19166666.67',
    '18666666.67',
    '18166666.67',
    '17666666.67',
    '17166666.65',
  ];

  it('is government outlay when serviced: principal + interest of each year, 120,700,000 in all', () => {
    expect(withBond.ledger.map((y) => y.government['general-bond'].toFixed(2))).toEqual(SERVICE);
    expect(withBond.metrics.governmentOutlayByInstrument['general-bond'].toFixed(2)).toBe(
      '120700000.00',
    );
    expect(withGrant.metrics.governmentOutlayByInstrument['general-bond'].toFixed(2)).toBe('0.00');
    expect(withGrant.ledger.every((y) => y.government['general-bond'].isZero())).toBe(true);
  });

  it('counts the 1 亿元 once, at service: net outlay = the grant scenario’s − draw + service', () => {
    // Year by year the bond's net outlay differs from the grant's by its service less the grant's
    // draw of the same money (40,000,000 in 2026, 60,000,000 in 2027); over the life by the
    // interest alone, 20,700,000.
    const draws = ['40000000', '60000000'];
    withBond.ledger.forEach((y, t) => {
      const grant = withGrant.ledger[t]!.governmentNet;
      expect(y.governmentNet.toFixed(2)).toBe(
        grant
          .minus(draws[t] ?? '0')
          .plus(SERVICE[t]!)
          .toFixed(2),
      );
    });
    expect(
      withBond.metrics.governmentOutlayTotal
        .minus(withGrant.metrics.governmentOutlayTotal)
        .toFixed(2),
    ).toBe('20700000.00');
  });
});

describe('general-bond terms the schema refuses', () => {
  const issues = (bond: Source) => {
    try {
      parseScenario(input(bond));
    } catch (e) {
      if (e instanceof ValidationError) return e.issues.map((i) => [i.path, i.message]);
      throw e;
    }
    return [];
  };

  it.each([
    [
      'sculpted',
      { repayment: 'sculpted', targetDscr: '1.3' },
      'funding.sources[0].debt.repayment',
      /cannot be sculpted/,
    ],
    [
      'capitalised',
      { repayment: 'equal-principal', constructionInterest: 'capitalised' },
      'funding.sources[0].debt.constructionInterest',
      /cannot be capitalised/,
    ],
    [
      'an upfront fee',
      { repayment: 'equal-principal', upfrontFeeRate: '0.001' },
      'funding.sources[0].debt.upfrontFeeRate',
      /leave upfrontFeeRate at 0/,
    ],
  ] as const)('refuses %s at the field path', (_, terms, path, message) => {
    const bond = {
      ...generalBond,
      debt: { annualRate: '0.03', tenorYears: 10, graceYears: 2, ...terms },
    } as Source;
    const found = issues(bond);
    expect(found).toHaveLength(1);
    expect(found[0]![0]).toEqual(path);
    expect(found[0]![1]).toMatch(message);
  });

  it('needs debt terms like any bond', () => {
    const { debt: _d, ...noTerms } = generalBond;
    expect(issues(noTerms as Source).map((i) => i[0])).toEqual(['funding.sources[0].debt']);
  });

  it('is refused in a v1 file (the type exists in format v2 only)', () => {
    const v1 = input() as unknown as Record<string, unknown> & { project: object };
    const file = {
      ...v1,
      format: 'fundmix-scenario@1',
      project: { ...v1.project, delivery: 'government' },
      scenario: { name: 'general bond' },
    };
    expect(() => parseScenario(file)).toThrow(ValidationError);
  });
});

describe('risk drivers and a general bond', () => {
  const scenario = parseScenario(input());

  it('takes rate:ID on the general bond (its rate moves the government’s service)', () => {
    expect(parseDriverName('rate:gb', scenario).target).toBe('gb');
    expect(parseDriverName('rate:loan', scenario).target).toBe('loan');
    expect(() => parseDriverName('rate:budget', scenario)).toThrow(/No debt source/);
  });

  it('applies the rate driver with a general bond alone', () => {
    expect(driverApplies('rate', scenario)).toBe(true);
    const onlyBond = parseScenario(
      (() => {
        const s = input();
        s.funding.sources = [{ ...generalBond, amountYuan: '150000000' }];
        return s;
      })(),
    );
    expect(driverApplies('rate', onlyBond)).toBe(true);
  });
});
