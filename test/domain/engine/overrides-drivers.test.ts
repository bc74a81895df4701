import fc from 'fast-check';
import { allocate } from '../../../src/domain/allocate';
import { Dec, ZERO } from '../../../src/domain/decimal';
import { fenOf } from '../../../src/domain/fen';
import {
  compileScenario,
  delayedModel,
  growOpex,
  growRevenue,
  stretchCapex,
} from '../../../src/domain/engine/compile';
import { simulate } from '../../../src/domain/engine/simulate';
import { sideTotal } from '../../../src/domain/engine/sources-and-uses';
import type { Overrides, SimulationResult } from '../../../src/domain/engine/types';
import { DomainError } from '../../../src/domain/errors';
import type { Scenario, ScenarioInput } from '../../../src/domain/scenario/schema';
import { loadExamples, small } from '../../helpers/scenarios';

/** Risk drivers (README "Risk drivers"): every field of `Overrides`, hand-worked. */

const s = (d: Dec | null | undefined) => (d === null || d === undefined ? null : d.toFixed(2));
const D = (x: string) => new Dec(x);
const run = (scenario: Scenario, overrides: Overrides) => simulate(scenario, { overrides });
const ops = (r: SimulationResult) => r.ledger.filter((y) => y.phase === 'operation');
const streamRows = (r: SimulationResult, i: number) => ops(r).map((y) => s(y.revenues[i]));

/**
 * 1 build year, 2 operation years (test/helpers/scenarios.ts), with revenue:
 * Fees (user fee) 3.33 × 100,001 = 333,003.33 a year, volume growth 10 %, price escalation 2 %,
 * ramp-up 0.5: year 1 166,501.665 → 166,501.67; year 2 333,003.33 × 1.1 × 1.02 = 373,629.73626 → 373,629.74.
 * Income (other) 200,000, growth 5 %, ramp-up 0.8: 160,000; 210,000.
 * Data (public data) 100,000, growth 2 %, ceiling far above: 100,000; 102,000.
 */
const revenueScenario = small((x) => {
  x.revenues = [
    {
      kind: 'user-fee',
      name: 'Fees',
      unitPriceYuan: '3.33',
      annualVolume: '100001',
      volumeGrowth: '0.1',
      priceEscalation: '0.02',
      rampUp: ['0.5'],
    },
    { kind: 'other', name: 'Income', annualYuan: '200000', growth: '0.05', rampUp: ['0.8'] },
    {
      kind: 'public-data',
      name: 'Data',
      annualIncomeYuan: '100000',
      growth: '0.02',
      allowedProfitRate: '1',
    },
  ];
  x.government = { operatingSubsidy: { annualYuan: '10000', escalation: '0.1' } };
});

describe('revenue drivers: stream, tariff and volume factors', () => {
  it('the base case as worked by hand', () => {
    const r = run(revenueScenario, {});
    expect(streamRows(r, 0)).toEqual(['166501.67', '373629.74']);
    expect(streamRows(r, 1)).toEqual(['160000.00', '210000.00']);
    expect(streamRows(r, 2)).toEqual(['100000.00', '102000.00']);
  });

  it('tariffFactor multiplies the user fees only: 166,501.665 × 1.1, 373,629.73626 × 1.1', () => {
    const r = run(revenueScenario, { tariffFactor: D('1.1') });
    expect(streamRows(r, 0)).toEqual(['183151.83', '410992.71']);
    expect(streamRows(r, 1)).toEqual(['160000.00', '210000.00']);
    expect(streamRows(r, 2)).toEqual(['100000.00', '102000.00']);
  });

  it('volumeFactor multiplies the user fees only: × 0.9 → 149,851.4985, 336,266.762634', () => {
    const r = run(revenueScenario, { volumeFactor: D('0.9') });
    expect(streamRows(r, 0)).toEqual(['149851.50', '336266.76']);
    expect(streamRows(r, 1)).toEqual(['160000.00', '210000.00']);
  });

  it('streamFactors multiply one stream on top of revenueFactor', () => {
    const r = run(revenueScenario, {
      revenueFactor: D('0.8'),
      streamFactors: { Income: D('0.5') },
    });
    // Income × 0.4: 64,000; 84,000. Fees × 0.8: 133,201.332; 298,903.789008. Data × 0.8.
    expect(streamRows(r, 1)).toEqual(['64000.00', '84000.00']);
    expect(streamRows(r, 0)).toEqual(['133201.33', '298903.79']);
    expect(streamRows(r, 2)).toEqual(['80000.00', '81600.00']);
  });

  it('all revenue factors compose multiplicatively, rounded once to fen', () => {
    // Fees × 0.8 × 1.25 × 1.1 × 0.9 = × 0.99: 164,836.64835; 369,893.4388974.
    const r = run(revenueScenario, {
      revenueFactor: D('0.8'),
      streamFactors: { Fees: D('1.25') },
      tariffFactor: D('1.1'),
      volumeFactor: D('0.9'),
    });
    expect(streamRows(r, 0)).toEqual(['164836.65', '369893.44']);
    expect(streamRows(r, 1)).toEqual(['128000.00', '168000.00']);
  });
});

describe('revenueYearFactors and streamYearFactors: a factor per operation year', () => {
  /**
   * 1 build year, 3 operation years. Fees (user fee) 3.33 × 100,001 = 333,003.33, volume growth
   * 10 %: 333,003.33; 366,303.663; 402,934.0293. Income (other) 200,000, growth 5 %: 200,000;
   * 210,000; 220,500.
   */
  const threeYears = small((x) => {
    x.timeline = { startYear: 2026, constructionYears: 1, operationYears: 3 };
    x.revenues = [
      {
        kind: 'user-fee',
        name: 'Fees',
        unitPriceYuan: '3.33',
        annualVolume: '100001',
        volumeGrowth: '0.1',
      },
      { kind: 'other', name: 'Income', annualYuan: '200000', growth: '0.05' },
    ];
    x.funding.sources[1]!.debt!.tenorYears = 4;
  });
  const years = (...xs: string[]) => xs.map(D);

  it('the base case as worked by hand', () => {
    const r = run(threeYears, {});
    expect(streamRows(r, 0)).toEqual(['333003.33', '366303.66', '402934.03']);
    expect(streamRows(r, 1)).toEqual(['200000.00', '210000.00', '220500.00']);
  });

  it('multiply every stream year by year, on top of revenueFactor and streamFactors, rounded once', () => {
    const r = run(threeYears, {
      revenueFactor: D('0.9'),
      streamFactors: { Income: D('1.1') },
      revenueYearFactors: years('1.05', '0.97531', '1.2'),
      streamYearFactors: { Fees: years('1', '1.01', '0.5') },
    });
    // Fees: 333,003.33 × 0.9 × 1.05 = 314,688.14685; 366,303.663 × 0.9 × 0.97531 × 1.01
    // = 324,748.99963452177; 402,934.0293 × 0.9 × 1.2 × 0.5 = 217,584.375822.
    expect(streamRows(r, 0)).toEqual(['314688.15', '324749.00', '217584.38']);
    // Income: 200,000 × 0.99 × 1.05 = 207,900; 210,000 × 0.99 × 0.97531 = 202,766.949;
    // 220,500 × 0.99 × 1.2 = 261,954.
    expect(streamRows(r, 1)).toEqual(['207900.00', '202766.95', '261954.00']);
    expect(ops(r).map((y) => s(y.totalRevenue))).toEqual(['522588.15', '527515.95', '479538.38']);
  });

  it('years past the end of the array take 1', () => {
    const r = run(threeYears, { revenueYearFactors: years('0.5') });
    expect(streamRows(r, 0)).toEqual(['166501.67', '366303.66', '402934.03']);
    expect(streamRows(r, 1)).toEqual(['100000.00', '210000.00', '220500.00']);
  });

  it('count from the first operation year, after a delay; the lost last year’s factor goes unused', () => {
    // delay 1: operation years 2027 → 2028, 2029 with the revenue of operation years 1 and 2.
    const r = run(threeYears, { delayYears: 1, revenueYearFactors: years('0.5', '2', '3') });
    expect(ops(r).map((y) => y.year)).toEqual([2028, 2029]);
    expect(streamRows(r, 0)).toEqual(['166501.67', '732607.33']);
    expect(streamRows(r, 1)).toEqual(['100000.00', '420000.00']);
  });

  it('a factor of 1 in every year changes nothing', () => {
    const plain = simulate(threeYears);
    const same = run(threeYears, {
      revenueYearFactors: years('1', '1', '1'),
      streamYearFactors: { Fees: years('1', '1', '1') },
    });
    expect(same.metrics).toEqual(plain.metrics);
    expect(same.ledger).toEqual(plain.ledger);
  });

  it.each([
    [
      { revenueYearFactors: years('1', '0') },
      'revenueYearFactors[1] must be more than 0 and at most 100',
    ],
    [
      { revenueYearFactors: years('100.5') },
      'revenueYearFactors[0] must be more than 0 and at most 100',
    ],
    [
      { streamYearFactors: { Fees: years('1', '1', 'NaN') } },
      'streamYearFactors.Fees[2] must be more than 0 and at most 100',
    ],
    [
      { streamYearFactors: { Nope: years('1') } },
      'streamYearFactors names no revenue stream "Nope"',
    ],
  ] as Array<[Overrides, string]>)('refuses %o', (overrides, message) => {
    expect(() => run(threeYears, overrides)).toThrow(new DomainError('invalid-override', message));
  });
});

describe('rampUpFactor: each ramp-up fraction f becomes 1 − (1 − f) × k, clamped to [0, 1]', () => {
  it.each([
    // k, Fees year 1 (333,003.33 × f'), Income year 1 (200,000 × f')
    ['0', '333003.33', '200000.00'], // no ramp-up
    ['0.5', '249752.50', '180000.00'], // f' = 0.75, 0.9: 249,752.4975
    ['2', '0.00', '120000.00'], // f' = 0, 0.6
    ['3', '0.00', '80000.00'], // f' = −0.5 → 0, 0.4
  ])('k = %s', (k, fees, income) => {
    const r = run(revenueScenario, { rampUpFactor: D(k) });
    expect(streamRows(r, 0)).toEqual([fees, '373629.74']);
    expect(streamRows(r, 1)).toEqual([income, '210000.00']);
  });
});

describe('escalationShift: added to opex escalation, price escalation and income growth', () => {
  it.each([
    // shift, opex year 2, Fees year 2, Income year 2, Data year 2
    // +0.03: 300,000 × 1.03; 333,003.33 × 1.1 × 1.05 = 384,618.84615; 200,000 × 1.08; 100,000 × 1.05
    ['0.03', '309000.00', '384618.85', '216000.00', '105000.00'],
    // −0.1: 300,000 × 0.9; 333,003.33 × 1.1 × 0.92 = 336,999.36996; 200,000 × 0.95; 100,000 × 0.92
    ['-0.1', '270000.00', '336999.37', '190000.00', '92000.00'],
  ])('shift %s', (shift, opex, fees, income, data) => {
    const r = run(revenueScenario, { escalationShift: D(shift) });
    const [y1, y2] = ops(r);
    expect([s(y1?.opex), s(y2?.opex)]).toEqual(['300000.00', opex]);
    // The first year is not escalated; volume growth and ramp-up stay.
    expect(streamRows(r, 0)).toEqual(['166501.67', fees]);
    expect(streamRows(r, 1)).toEqual(['160000.00', income]);
    expect(streamRows(r, 2)).toEqual(['100000.00', data]);
    // The operating subsidy's escalation is a contract term: not shifted.
    expect([s(y1?.operatingSubsidy), s(y2?.operatingSubsidy)]).toEqual(['10000.00', '11000.00']);
  });
});

describe('rateShifts: per debt source, on top of rateShift', () => {
  // Two loans of 300,000 (5 % and 6 %), drawn mid-year in the one build year, equal principal.
  const loan = (id: string, annualRate: string) => ({
    id,
    name: id,
    type: 'bank-loan' as const,
    amountYuan: '300000',
    debt: {
      annualRate,
      tenorYears: 3,
      repayment: 'equal-principal' as const,
      constructionInterest: 'paid' as const,
    },
  });
  const twoLoans = small((x) => {
    x.funding.sources = [
      { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '400000' },
      loan('loan', '0.05'),
      loan('loan2', '0.06'),
    ];
  });
  const interest = (r: SimulationResult, j: number) => r.ledger.map((y) => s(y.debt[j]?.interest));

  it('adds each source’s shift to the common one', () => {
    // loan 5 % + 1 % = 6 %: 150,000 × 6 % = 9,000 (build), 18,000, 9,000; loan2 6 % + 1 % − 3 % = 4 %.
    const r = run(twoLoans, { rateShift: D('0.01'), rateShifts: { loan2: D('-0.03') } });
    expect(interest(r, 0)).toEqual(['9000.00', '18000.00', '9000.00']);
    expect(interest(r, 1)).toEqual(['6000.00', '12000.00', '6000.00']);
  });

  it('a rate never goes below 0', () => {
    const r = run(twoLoans, { rateShifts: { loan: D('-0.5') } });
    expect(interest(r, 0)).toEqual(['0.00', '0.00', '0.00']);
    expect(interest(r, 1)).toEqual(['9000.00', '18000.00', '9000.00']);
  });

  it.each([['eq'], ['nope']])('%s is not a debt source: invalid-override naming it', (id) => {
    expect(() => run(twoLoans, { rateShifts: { [id]: D('0.01') } })).toThrow(
      new DomainError('invalid-override', `rateShifts names no debt source "${id}"`),
    );
  });
});

describe('availabilityDeduction and residualFactor', () => {
  // Annuity AP with k = 0: 100,000.01 / 2 = 50,000.005 a year, posted 50,000.01.
  const withAp = small((x) => {
    x.government = {
      availabilityPayment: {
        method: 'annuity',
        constructionCostYuan: '100000.01',
        profitRate: '0.05',
        discountRate: '0',
        annuityRate: '0',
        periodYears: 2,
        includeOperatingCost: false,
        deductUserFees: false,
      },
    };
    x.residualValueYuan = '100000.01';
  });

  it('withholds a share of the exact payment before it is rounded: 50,000.005 × 0.85 = 42,500.00425', () => {
    expect(ops(run(withAp, {})).map((y) => s(y.availabilityPayment))).toEqual([
      '50000.01',
      '50000.01',
    ]);
    const r = run(withAp, { availabilityDeduction: D('0.15') });
    expect(ops(r).map((y) => s(y.availabilityPayment))).toEqual(['42500.00', '42500.00']);
    expect(s(r.metrics.governmentOutlayByInstrument['availability-payment'])).toBe('85000.00');
  });

  it.each([
    ['0', '0.00'],
    ['0.5', '50000.01'], // 50,000.005
    ['2.5', '250000.03'], // 250,000.025
  ])('residualFactor %s multiplies the residual value (half-up to fen)', (f, residual) => {
    const r = run(withAp, { residualFactor: D(f) });
    expect(r.ledger.map((y) => s(y.residualValue))).toEqual(['0.00', '0.00', residual]);
  });
});

describe('delayYears: construction C + d, operation O − d, capex stretched', () => {
  /**
   * 2 build years (capex 100,000 and 200,000), 4 operation years. Income 100,000 growing 10 %,
   * ramp-up 0.5; opex 20,000; operating subsidy 10,000 for 2 years; AP 90,000 / 3 = 30,000 for
   * 3 years; equity 150,000 and a 150,000 loan at 4 %, tenor 6, no grace, equal principal, drawn
   * mid-year, construction interest paid.
   */
  const delayInput =
    (grace = 0) =>
    (x: ScenarioInput) => {
      x.timeline = { startYear: 2026, constructionYears: 2, operationYears: 4 };
      x.capex = { scheduleYuan: ['100000', '200000'] };
      x.operatingCost = { annualYuan: '20000' };
      x.revenues = [
        { kind: 'other', name: 'Income', annualYuan: '100000', growth: '0.1', rampUp: ['0.5'] },
      ];
      x.government = {
        operatingSubsidy: { annualYuan: '10000', years: 2 },
        availabilityPayment: {
          method: 'annuity',
          constructionCostYuan: '90000',
          profitRate: '0.05',
          discountRate: '0',
          annuityRate: '0',
          periodYears: 3,
          includeOperatingCost: false,
          deductUserFees: false,
        },
      };
      x.funding.sources = [
        { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '150000' },
        {
          id: 'loan',
          name: 'Loan',
          type: 'bank-loan',
          amountYuan: '150000',
          debt: {
            annualRate: '0.04',
            tenorYears: 6,
            graceYears: grace,
            repayment: 'equal-principal',
            constructionInterest: 'paid',
          },
        },
      ];
      x.reserves = {
        maintenance: [
          { year: 2, amountYuan: '10000' },
          { year: 4, amountYuan: '9000' },
        ],
      };
    };
  const base = small(delayInput());
  const col = (r: SimulationResult, f: (y: SimulationResult['ledger'][number]) => Dec) =>
    r.ledger.map((y) => s(f(y)));

  it('one year: capex 100,000 × 2/3, then 100,000 × 1/3 + 200,000 × 1/3, then 200,000 × 2/3', () => {
    const r = run(base, { delayYears: 1 });
    expect(r.ledger.map((y) => y.phase)).toEqual([
      'construction',
      'construction',
      'construction',
      'operation',
      'operation',
      'operation',
    ]);
    expect(r.ledger.map((y) => y.year)).toEqual([2026, 2027, 2028, 2029, 2030, 2031]);
    // 66,666.666… + 100,000 + 133,333.333…: the spare fen to the largest remainder (the first).
    expect(col(r, (y) => y.capex)).toEqual([
      '66666.67',
      '100000.00',
      '133333.33',
      '0.00',
      '0.00',
      '0.00',
    ]);
    // Loan half of each year, mulDivRound: 15,000,000 × 6,666,667 / 30,000,000 = 3,333,333.5 fen → 33,333.34.
    expect(col(r, (y) => y.drawdowns[1]!).slice(0, 3)).toEqual([
      '33333.34',
      '50000.00',
      '66666.66',
    ]);
    expect(s(r.metrics.totalInvestment)).toBe('300000.00');
  });

  it('revenue, ramp-up, subsidy and AP count from the first operation year; the last d years are lost', () => {
    const r = run(base, { delayYears: 1 });
    const tail = <T>(xs: T[]) => xs.slice(3);
    expect(tail(col(r, (y) => y.revenues[0]!))).toEqual(['50000.00', '110000.00', '121000.00']);
    expect(tail(col(r, (y) => y.opex))).toEqual(['20000.00', '20000.00', '20000.00']);
    expect(tail(col(r, (y) => y.operatingSubsidy))).toEqual(['10000.00', '10000.00', '0.00']);
    expect(tail(col(r, (y) => y.availabilityPayment))).toEqual([
      '30000.00',
      '30000.00',
      '30000.00',
    ]);
    const r2 = run(base, { delayYears: 2 });
    expect(col(r2, (y) => y.revenues[0]!)).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '50000.00',
      '110000.00',
    ]);
    expect(col(r2, (y) => y.availabilityPayment).slice(4)).toEqual(['30000.00', '30000.00']);
    // Capex over 4 years: weights 2 : 2 : 4 : 4 of the quarter-years.
    expect(col(r2, (y) => y.capex).slice(0, 4)).toEqual([
      '50000.00',
      '50000.00',
      '100000.00',
      '100000.00',
    ]);
  });

  it('construction interest over the longer build; repayment over the operation years left to maturity', () => {
    const r = run(base, { delayYears: 1 });
    // Mid-year draws: (0 + 33,333.34) × 2 % = 666.6668; (66,666.68 + 50,000) × 2 % = 2,333.3336;
    // (166,666.68 + 66,666.66) × 2 % = 4,666.6668. Then 4 % on 150,000, 100,000, 50,000.
    expect(col(r, (y) => y.debt[0]!.interest)).toEqual([
      '666.67',
      '2333.33',
      '4666.67',
      '6000.00',
      '4000.00',
      '2000.00',
    ]);
    // Tenor 6 from the first year, grace from the (later) end of construction: 3 repayment years.
    expect(col(r, (y) => y.debt[0]!.principalPaid)).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '50000.00',
      '50000.00',
      '50000.00',
    ]);
    // Default depreciation over the 3 operation years: (300,000 + 7,666.67) / 3, spare fen first.
    expect(col(r, (y) => y.depreciation).slice(3)).toEqual(['102555.56', '102555.56', '102555.55']);
    expect(r.flags.map((f) => f.code)).not.toContain('debt-not-repaid');
  });

  it('a grace period pushed past maturity: everything falls due at maturity', () => {
    // Grace 2, tenor 6: repayment in years 5 and 6; delayed by 2, construction ends after year 4
    // and grace would run to year 6 = maturity.
    const r = run(small(delayInput(2)), { delayYears: 2 });
    expect(col(r, (y) => y.debt[0]!.principalPaid)).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '150000.00',
    ]);
  });

  it('maturity within the longer construction: all due in the first operation year, flagged', () => {
    // Tenor 3 (matures in year 3); delayed by 2, construction lasts 4 years.
    const r = run(
      small((x) => {
        delayInput()(x);
        x.funding.sources[1]!.debt!.tenorYears = 3;
      }),
      { delayYears: 2 },
    );
    expect(col(r, (y) => y.debt[0]!.principalPaid)).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '150000.00',
      '0.00',
    ]);
    expect(r.flags.map((f) => f.code)).toContain('debt-not-repaid');
  });

  it('maintenance spends in lost years go with their reserve contributions', () => {
    // Spend 10,000 in operation year 2 (funded in year 1), 9,000 in year 4 (funded in year 3, lost).
    const r = run(base, { delayYears: 1 });
    const m = ops(r).map((y) => y.reserves?.maintenance);
    expect(m.map((x) => s(x?.contribution))).toEqual(['10000.00', '0.00', '0.00']);
    expect(m.map((x) => s(x?.spend))).toEqual(['0.00', '10000.00', '0.00']);
    expect(m.map((x) => s(x?.balance))).toEqual(['10000.00', '0.00', '0.00']);
  });

  it('sources equal uses under every delay', () => {
    for (const d of [1, 2, 3]) {
      const r = run(base, { delayYears: d });
      expect(s(sideTotal(r.sourcesAndUses.lifetime.sources))).toBe(
        s(r.sourcesAndUses.lifetime.total),
      );
      expect(s(sideTotal(r.sourcesAndUses.construction.uses))).toBe(
        s(r.sourcesAndUses.construction.total),
      );
    }
  });

  it('leaves at least one operation year', () => {
    expect(() => run(base, { delayYears: 4 })).toThrow(
      new DomainError(
        'invalid-override',
        'delayYears 4 leaves no operation year (operation lasts 4)',
      ),
    );
  });
});

describe('neutral values change nothing', () => {
  const examples = loadExamples();
  const neutral = (scenario: Scenario): Overrides => ({
    capexFactor: D('1'),
    opexFactor: D('1'),
    revenueFactor: D('1'),
    streamFactors: Object.fromEntries(scenario.revenues.map((r) => [r.name, D('1')])),
    tariffFactor: D('1'),
    volumeFactor: D('1'),
    rampUpFactor: D('1'),
    rateShift: D('0'),
    rateShifts: Object.fromEntries(
      scenario.funding.sources.filter((x) => x.debt).map((x) => [x.id, D('0')]),
    ),
    delayYears: 0,
    escalationShift: D('0'),
    availabilityDeduction: D('0'),
    residualFactor: D('1'),
  });

  it.each(examples.map((e) => [e.file, e.scenario] as const))('%s', (_, scenario) => {
    const plain = simulate(scenario);
    const same = run(scenario, neutral(scenario));
    expect(same.metrics).toEqual(plain.metrics);
    expect(same.ledger).toEqual(plain.ledger);
    expect(same.flags).toEqual(plain.flags);
  });

  it.each(Object.keys(neutral(revenueScenario)))('%s alone', (key) => {
    const one = { [key]: neutral(revenueScenario)[key as keyof Overrides] } as Overrides;
    expect(run(revenueScenario, one).metrics).toEqual(simulate(revenueScenario).metrics);
  });
});

describe('invalid values are refused with invalid-override naming the field', () => {
  it.each([
    [{ capexFactor: D('0') }, 'capexFactor must be more than 0 and at most 100'],
    [{ tariffFactor: D('0') }, 'tariffFactor must be more than 0 and at most 100'],
    [{ volumeFactor: D('100.01') }, 'volumeFactor must be more than 0 and at most 100'],
    [
      { streamFactors: { Fees: D('-1') } },
      'streamFactors.Fees must be more than 0 and at most 100',
    ],
    [{ streamFactors: { Nope: D('1') } }, 'streamFactors names no revenue stream "Nope"'],
    [{ rampUpFactor: D('-0.01') }, 'rampUpFactor must be between 0 and 3'],
    [{ rampUpFactor: D('3.01') }, 'rampUpFactor must be between 0 and 3'],
    [{ rateShift: D('0.51') }, 'rateShift must be between -0.5 and 0.5'],
    [{ rateShifts: { loan: D('-0.6') } }, 'rateShifts.loan must be between -0.5 and 0.5'],
    [{ escalationShift: D('0.11') }, 'escalationShift must be between -0.1 and 0.1'],
    [{ escalationShift: D('-0.11') }, 'escalationShift must be between -0.1 and 0.1'],
    [{ availabilityDeduction: D('1') }, 'availabilityDeduction must be at least 0 and less than 1'],
    [
      { availabilityDeduction: D('-0.1') },
      'availabilityDeduction must be at least 0 and less than 1',
    ],
    [{ residualFactor: D('10.5') }, 'residualFactor must be between 0 and 10'],
    [{ residualFactor: D('-1') }, 'residualFactor must be between 0 and 10'],
    [{ incomeTaxRate: D('0.6') }, 'incomeTaxRate must be between 0 and 0.5'],
    [{ delayYears: 6 }, 'delayYears must be a whole number from 0 to 5'],
    [{ delayYears: -1 }, 'delayYears must be a whole number from 0 to 5'],
    [{ delayYears: 1.5 }, 'delayYears must be a whole number from 0 to 5'],
    [{ delayYears: 2 }, 'delayYears 2 leaves no operation year (operation lasts 2)'],
    [{ revenueFactor: D('NaN') }, 'revenueFactor must be more than 0 and at most 100'],
  ] as Array<[Overrides, string]>)('%o', (overrides, message) => {
    let caught: unknown;
    try {
      run(revenueScenario, overrides);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe('invalid-override');
    expect((caught as DomainError).message).toBe(message);
  });
});

describe('sources equal uses under random overrides', () => {
  const dec = (min: number, max: number, scale = 1000) =>
    fc.integer({ min: min * scale, max: max * scale }).map((n) => new Dec(n).div(scale));
  const caseArb = fc
    .record({
      build: fc.integer({ min: 1, max: 3 }),
      operate: fc.integer({ min: 2, max: 12 }),
      capex: fc.array(fc.integer({ min: 10_000, max: 5_000_000 }), { minLength: 3, maxLength: 3 }),
      grace: fc.integer({ min: 0, max: 3 }),
      policy: fc.constantFrom('government' as const, 'equity' as const, 'unfunded' as const),
      withAp: fc.boolean(),
      overrides: fc.record(
        {
          capexFactor: dec(0.5, 2),
          opexFactor: dec(0.5, 2),
          revenueFactor: dec(0.3, 2),
          streamFactors: fc.record(
            { Fees: dec(0.3, 2), Income: dec(0.3, 2) },
            { requiredKeys: [] },
          ),
          tariffFactor: dec(0.5, 2),
          volumeFactor: dec(0.5, 2),
          rampUpFactor: dec(0, 3),
          rateShift: dec(-0.03, 0.05, 10000),
          rateShifts: fc.record({ loan: dec(-0.03, 0.05, 10000) }, { requiredKeys: [] }),
          delayYears: fc.integer({ min: 0, max: 5 }),
          escalationShift: dec(-0.1, 0.1, 10000),
          availabilityDeduction: dec(0, 0.999),
          residualFactor: dec(0, 10),
          revenueYearFactors: fc.array(dec(0.3, 2), { maxLength: 14 }),
          streamYearFactors: fc.record(
            { Fees: fc.array(dec(0.3, 2), { maxLength: 14 }) },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
    })
    .map((c) => {
      const capex = c.capex.slice(0, c.build).map((f) => (f / 100).toFixed(2));
      const total = capex.reduce((a, x) => a.plus(x), ZERO);
      const grace = Math.min(c.grace, c.operate - 1);
      const scenario = small((x) => {
        x.timeline = { startYear: 2026, constructionYears: c.build, operationYears: c.operate };
        x.capex = { scheduleYuan: capex };
        x.operatingCost = { annualYuan: '20000', escalation: '0.02' };
        x.revenues = [
          {
            kind: 'user-fee',
            name: 'Fees',
            unitPriceYuan: '2.5',
            annualVolume: '200000',
            volumeGrowth: '0.03',
            priceEscalation: '0.01',
            rampUp: ['0.4', '0.7'],
          },
          { kind: 'other', name: 'Income', annualYuan: '100000', growth: '0.02' },
        ];
        if (c.withAp)
          x.government = {
            availabilityPayment: {
              method: 'mof-formula',
              profitRate: '0.06',
              discountRate: '0.04',
              periodYears: c.operate,
            },
          };
        x.residualValueYuan = '50000';
        x.shortfall = c.policy;
        const loan = total.times('0.6').toDecimalPlaces(2);
        x.funding.sources = [
          {
            id: 'eq',
            name: 'Equity',
            type: 'enterprise-equity',
            amountYuan: total.minus(loan).toFixed(2),
          },
          {
            id: 'loan',
            name: 'Loan',
            type: 'bank-loan',
            amountYuan: loan.toFixed(2),
            debt: {
              annualRate: '0.045',
              tenorYears: c.build + c.operate,
              graceYears: grace,
              repayment: 'annuity',
              constructionInterest: 'capitalised',
            },
          },
        ];
      });
      const overrides = { ...c.overrides } as Overrides;
      if (overrides.delayYears !== undefined)
        overrides.delayYears = Math.min(overrides.delayYears, c.operate - 1);
      return { scenario, overrides };
    });

  it('construction and lifetime sides balance to the cent; drawdowns sum to each year’s capex', () => {
    fc.assert(
      fc.property(caseArb, ({ scenario, overrides }) => {
        const r = run(scenario, overrides);
        for (const side of [r.sourcesAndUses.construction, r.sourcesAndUses.lifetime]) {
          expect(s(sideTotal(side.sources))).toBe(s(side.total));
          expect(s(sideTotal(side.uses))).toBe(s(side.total));
        }
        const d = overrides.delayYears ?? 0;
        expect(r.ledger.filter((y) => y.phase === 'construction')).toHaveLength(
          scenario.timeline.constructionYears + d,
        );
        let capex = ZERO;
        for (const y of r.ledger) {
          expect(s(y.drawdowns.reduce((a, x) => a.plus(x), ZERO))).toBe(s(y.capex));
          capex = capex.plus(y.capex);
        }
        expect(s(capex)).toBe(s(r.metrics.totalInvestment));
        // Funded shortfalls: the loan is repaid by the end, delayed or not.
        if (scenario.shortfall !== 'unfunded') expect(s(r.metrics.unpaidAtEnd)).toBe('0.00');
      }),
      { numRuns: 40 },
    );
  });
});

describe('the drivers’ general paths at neutral values equal the compiled figures', () => {
  const model = compileScenario(revenueScenario);

  it('revenue and opex grown again with shift 0 and ramp-up factor 1', () => {
    expect(growRevenue(model.streams, model.operationYears, ZERO, D('1'))).toEqual(
      model.revenueExact,
    );
    expect(growOpex(revenueScenario, model.operationYears, ZERO)).toEqual(model.opexExact);
  });

  it('a capex schedule stretched over its own length is itself', () => {
    expect(stretchCapex([1, 2, 3], 3)).toEqual([1, 2, 3]);
    expect(stretchCapex([1, 2, 3], 5)).toEqual([1, 1, 1, 1, 2]);
    expect(delayedModel(model, 0)).toBe(model);
    // One object per delay: what is cached per model is shared by the trials of that delay.
    expect(delayedModel(model, 1)).toBe(delayedModel(model, 1));
    expect(delayedModel(model, 1).operationYears).toBe(model.operationYears - 1);
  });

  it('a stretched schedule equals the Decimal largest-remainder split of its definition', () => {
    // The definition (README "Risk drivers"): new year k gets Σ_j capex_j × overlap(k, j) of the
    // total, split by `allocate` in Decimal.
    const definition = (capex: number[], years: number): number[] => {
      const C = capex.length;
      const weights = Array.from({ length: years }, (_, k) => {
        let w = 0n;
        capex.forEach((c, j) => {
          const overlap = Math.min((k + 1) * C, (j + 1) * years) - Math.max(k * C, j * years);
          if (overlap > 0) w += BigInt(c) * BigInt(overlap);
        });
        return new Dec(w.toString());
      });
      const total = capex.reduce((a, b) => a + b, 0);
      return allocate(new Dec(total).div(100), weights).map(fenOf);
    };
    const fen = fc.oneof(
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 0, max: 5 * 10 ** 12 }),
    );
    fc.assert(
      fc.property(fc.array(fen, { minLength: 1, maxLength: 6 }), fc.nat(5), (capex, d) => {
        expect(stretchCapex(capex, capex.length + d)).toEqual(definition(capex, capex.length + d));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('a shifted rate below −1 is refused', () => {
  it('escalation −0.5 shifted by −0.6 (beyond the field’s range: the check behind it)', () => {
    const scenario = small((x) => {
      x.operatingCost = { annualYuan: '300000', escalation: '-0.5' };
    });
    expect(() => growOpex(scenario, 2, D('-0.6'))).toThrow(
      new DomainError('invalid-override', 'escalationShift -0.6 takes a rate of -0.5 below -1'),
    );
  });
});
