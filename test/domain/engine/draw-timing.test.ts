/**
 * Draw timing of funding sources (issue 9, item 9; src/domain/README.md, "Draw timing"): a
 * start-of-year draw bears a full year's construction interest, a mid-year one half a year's.
 * Special bonds default to the start of the year, other debt to mid-year. DOMAIN.md §5.4's
 * special-bond debt service (14,480 and 13,472) is reproduced through `simulate`, exactly.
 */
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { simulate } from '../../../src/domain/engine/simulate';
import { ValidationError } from '../../../src/domain/errors';
import { smallInput } from '../../helpers/scenarios';
import { Dec } from '../../../src/domain/decimal';

type Repayment = 'bullet' | 'equal-principal';

/**
 * §5.4's bond in 万元 as yuan: 10,000 × 10,000 yuan, 20 years from the first construction
 * year, 2.24 %, construction interest paid (the government covers the construction year's coupon
 * through the shortfall policy: the project earns nothing yet). One construction year (the
 * schema's minimum) and 19 operation years, so the tenor ends with the project. Net income =
 * `incomeYuan` a year: other income, no operating cost, no tax.
 */
function bondScenario(
  repayment: Repayment,
  incomeYuan: string,
  patch: (s: ScenarioInput) => void = () => undefined,
): ScenarioInput {
  const s: ScenarioInput = {
    format: 'fundmix-scenario@2',
    project: {
      code: 'T-BOND',
      name: 'Special bond §5.4',
      sector: 'other',
      category: 'basic',
      approvalDate: '2025-01-01',
    },
    scenario: { name: repayment, delivery: 'government' },
    timeline: { startYear: 2026, constructionYears: 1, operationYears: 19 },
    capex: { scheduleYuan: ['100000000'] },
    operatingCost: { annualYuan: '0' },
    revenues: [{ kind: 'other', name: 'Net income', annualYuan: incomeYuan }],
    funding: {
      sources: [
        {
          id: 'bond',
          name: 'Special bond',
          type: 'special-bond',
          amountYuan: '100000000',
          debt: {
            annualRate: '0.0224',
            tenorYears: 20,
            // Equal principal in years 11–20 of the tenor: operation years 10–19, after 9 grace years.
            graceYears: repayment === 'bullet' ? 0 : 9,
            repayment,
            constructionInterest: 'paid',
          },
        },
      ],
    },
    tax: { incomeTaxRate: '0' },
    discountRates: { project: '0.04', equity: '0.06', government: '0.03' },
    shortfall: 'government',
  };
  patch(s);
  return s;
}

const run = (input: ScenarioInput) => simulate(parseScenario(input));

describe('DOMAIN.md §5.4 through simulate: special bonds are issued at the start of the year', () => {
  // Bullet: 20 coupons of 10,000万 × 2.24 % = 224万 (the first in the construction year, on the
  // whole issue) + 10,000万 principal = 14,480万. Equal principal in years 11–20: 10 coupons of
  // 224万, then 2.24 % × (10,000 + 9,000 + … + 1,000)万 = 2.24 % × 55,000万 = 1,232万: interest
  // 3,472万, debt service 13,472万.
  // Coverage as FundMix reports it: the tenor counts from the first construction year, which earns
  // nothing, so net income covers 19 years: 700万 × 19 = 13,300万 ÷ 14,480万 = 0.918508…;
  // 900万 × 19 = 17,100万 ÷ 14,480万 = 1.180939…, ÷ 13,472万 = 1.269299… (6 dp half-up).
  it.each<[Repayment, string, string, string, string]>([
    ['bullet', '7000000', '144800000.00', '44800000.00', '0.918508'],
    ['bullet', '9000000', '144800000.00', '44800000.00', '1.180939'],
    ['equal-principal', '9000000', '134720000.00', '34720000.00', '1.269299'],
  ])(
    '%s at %s a year: debt service %s (interest %s), coverage %s',
    (repayment, income, service, interest, cov) => {
      const r = run(bondScenario(repayment, income));
      expect(r.metrics.bondDebtService.toFixed(2)).toBe(service);
      const accrued = r.ledger.reduce((a, y) => a.plus(y.debt[0]!.interest), new Dec(0));
      expect(accrued.toFixed(2)).toBe(interest);
      expect(r.ledger[0]!.debt[0]!.interest.toFixed(2)).toBe('2240000.00');
      expect(r.metrics.bondCoverage?.toFixed(6)).toBe(cov);
      expect(r.metrics.unpaidAtEnd.toFixed(2)).toBe('0.00');
    },
  );

  it('also in yuan: a 10,000-yuan bullet bond costs 14,480.00', () => {
    const r = run(
      bondScenario('bullet', '700', (s) => {
        s.capex.scheduleYuan = ['10000'];
        s.funding.sources[0]!.amountYuan = '10000';
      }),
    );
    expect(r.metrics.bondDebtService.toFixed(2)).toBe('14480.00');
    expect(r.metrics.bondCoverage?.toFixed(6)).toBe('0.918508');
  });

  it('drawn mid-year the same bond pays half a coupon in construction: 14,368万', () => {
    const r = run(
      bondScenario('bullet', '7000000', (s) => {
        s.funding.sources[0]!.drawTiming = 'mid-year';
      }),
    );
    expect(r.ledger[0]!.debt[0]!.interest.toFixed(2)).toBe('1120000.00');
    expect(r.metrics.bondDebtService.toFixed(2)).toBe('143680000.00');
  });

  it('capitalising the construction coupon does not give 14,480: interest then runs on 10,224万', () => {
    // 224万 + 19 × (10,224万 × 2.24 % = 229.0176万) + 10,224万 principal drawn-and-capitalised:
    // Σ draws + Σ interest = 10,000万 + 224万 + 4,351.3344万 = 14,575.3344万.
    const r = run(
      bondScenario('bullet', '7000000', (s) => {
        s.funding.sources[0]!.debt!.constructionInterest = 'capitalised';
      }),
    );
    expect(r.metrics.bondDebtService.toFixed(2)).toBe('145753344.00');
  });
});

describe('start-of-year against mid-year construction interest (2 construction years)', () => {
  // A loan funds the whole capex, 123,456.78 then 600,000, at 5 %.
  // Year 1: start 123,456.78 × 5 % = 6,172.839 → 6,172.84; mid 61,728.39 × 5 % = 3,086.4195 → 3,086.42.
  // Year 2, interest paid: opening 123,456.78.
  //   start (123,456.78 + 600,000) × 5 % = 36,172.839 → 36,172.84;
  //   mid (123,456.78 + 300,000) × 5 % = 21,172.839 → 21,172.84.
  // Year 2, interest capitalised: opening 129,629.62 (start) or 126,543.20 (mid).
  //   start (129,629.62 + 600,000) × 5 % = 36,481.481 → 36,481.48;
  //   mid (126,543.20 + 300,000) × 5 % = 21,327.16.
  const twoYears = (
    timing: 'start-of-year' | 'mid-year' | undefined,
    construction: 'paid' | 'capitalised',
  ) =>
    smallInput((s) => {
      s.timeline.constructionYears = 2;
      s.capex.scheduleYuan = ['123456.78', '600000'];
      s.funding.sources = [
        {
          id: 'loan',
          name: 'Loan',
          type: 'bank-loan',
          amountYuan: '723456.78',
          ...(timing ? { drawTiming: timing } : {}),
          debt: {
            annualRate: '0.05',
            tenorYears: 4,
            repayment: 'equal-principal',
            constructionInterest: construction,
          },
        },
      ];
      s.shortfall = 'government';
    });

  it.each<
    ['start-of-year' | 'mid-year' | undefined, 'paid' | 'capitalised', string, string, string]
  >([
    ['start-of-year', 'paid', '6172.84', '36172.84', '723456.78'],
    ['mid-year', 'paid', '3086.42', '21172.84', '723456.78'],
    [undefined, 'paid', '3086.42', '21172.84', '723456.78'],
    ['start-of-year', 'capitalised', '6172.84', '36481.48', '766111.10'],
    ['mid-year', 'capitalised', '3086.42', '21327.16', '747870.36'],
  ])(
    '%s, interest %s: %s and %s, balance %s at the start of operation',
    (timing, how, y1, y2, open) => {
      const r = run(twoYears(timing, how));
      expect(r.ledger.map((y) => y.debt[0]!.interest.toFixed(2)).slice(0, 2)).toEqual([y1, y2]);
      expect(r.ledger[2]!.debt[0]!.opening.toFixed(2)).toBe(open);
    },
  );

  it('the type sets the default: the same source as a special bond pays a full coupon, as a loan half', () => {
    const bond = run(
      smallInput((s) => {
        s.funding.sources[1]!.type = 'special-bond';
      }),
    );
    // 600,000 × 5 % = 30,000 (start of year, the bond default) against 15,000 for the loan.
    expect(bond.ledger[0]!.debt[0]!.interest.toFixed(2)).toBe('30000.00');
    const loan = run(smallInput());
    expect(loan.ledger[0]!.debt[0]!.interest.toFixed(2)).toBe('15000.00');
  });
});

describe('drawTiming in the schema', () => {
  it('is refused on a source that is not debt, naming the field', () => {
    let caught: unknown;
    try {
      parseScenario(
        smallInput((s) => {
          s.funding.sources[0]!.drawTiming = 'start-of-year';
        }),
      );
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues).toEqual([
      {
        path: 'funding.sources[0].drawTiming',
        message:
          'A enterprise-equity source is not debt and bears no interest: leave drawTiming out',
      },
    ]);
  });

  it('refuses an unknown timing', () => {
    expect(() =>
      parseScenario(
        smallInput((s) => {
          (s.funding.sources[1] as { drawTiming?: string }).drawTiming = 'end-of-year';
        }),
      ),
    ).toThrow(ValidationError);
  });
});
