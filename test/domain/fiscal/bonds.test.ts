import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import {
  assessCoverage,
  bondSelfBalance,
  coverageBasis,
  portfolioBonds,
} from '../../../src/domain/fiscal/bonds';
import { DEFAULT_THRESHOLDS, parseThresholds } from '../../../src/domain/fiscal/thresholds';
import { bondProject, legacyPpp, member } from './builders';

const d = (x: string | number) => new Dec(x);
const fen = (x: Dec | null | undefined) => (x == null ? null : x.toFixed(2));

describe('DOMAIN.md §5.4 worked example: 10,000 bond, 20 years, 2.24 %', () => {
  const years = 20;
  const bullet = Array.from({ length: years }, (_, t) => d(224).plus(t === years - 1 ? 10000 : 0));
  // Equal principal in years 11–20: interest on 10,000 for 10 years, then on the declining balance.
  const equal = Array.from({ length: years }, (_, t) =>
    t < 10
      ? d(224)
      : d(10000)
          .minus(d(1000).times(t - 10))
          .times('0.0224')
          .plus(1000),
  );
  const income = (x: number) => Array.from({ length: years }, () => d(x));
  const threshold = d('1.2');

  const schedules = { bullet, 'equal principal in years 11–20': equal };
  it.each([
    // repayment, income a year, debt service, coverage (3 dp), pass, shortfall (1.2 × service − income)
    ['bullet', 700, '14480.00', '0.967', false, '3376.00'],
    ['bullet', 900, '14480.00', '1.243', true, '0.00'],
    ['equal principal in years 11–20', 900, '13472.00', '1.336', true, '0.00'],
  ] as const)(
    '%s at %i a year: debt service %s, coverage %s, pass %s, shortfall %s',
    (name, perYear, total, ratio, pass, shortfall) => {
      const c = assessCoverage(income(perYear), schedules[name], threshold);
      expect(fen(c.debtServiceYuan)).toBe(total);
      expect(c.ratio?.toFixed(3)).toBe(ratio);
      expect(c.pass).toBe(pass);
      expect(fen(c.shortfallYuan)).toBe(shortfall);
    },
  );

  it('judges exactly at the threshold as passing and no debt service as nothing to cover', () => {
    const at = assessCoverage([d(1200)], [d(1000)], threshold);
    expect([at.ratio?.toFixed(6), at.pass, fen(at.shortfallYuan)]).toEqual([
      '1.200000',
      true,
      '0.00',
    ]);
    const none = assessCoverage([d(100)], [], threshold);
    expect([none.ratio, none.pass]).toEqual([null, true]);
  });
});

/*
 * Hand-worked engine case (builders.bondProject): net income 300,000 a year × 4 = 1,200,000 over
 * the bond's 5-year life; debt service 920,000 (800,000 + 5 coupons of 24,000: the bond is issued
 * at the start of the construction year, src/domain/README.md "Draw timing"; 908,000 before the
 * draw timing, with half a coupon in construction) → coverage 1.304348, passes 1.2.
 * Revenue −10 %: (360,000 − 100,000) × 4 = 1,040,000 → 1.130435, short 1.2 × 920,000 − 1,040,000 = 64,000.
 * Revenue −20 %: (320,000 − 100,000) × 4 =   880,000 → 0.956522, short 224,000.
 */
describe('special-bond self-balance of a simulated project', () => {
  const s = bondProject();
  const r = simulate(s);
  const sb = bondSelfBalance(s, r)!;

  it('reads the base case from the ledger, equal to the engine metric', () => {
    expect(fen(sb.bondAmountYuan)).toBe('800000.00');
    expect(sb.lifeYears).toBe(5);
    expect(fen(sb.base.netIncomeYuan)).toBe('1200000.00');
    expect(fen(sb.base.debtServiceYuan)).toBe('920000.00');
    expect(sb.base.ratio?.toFixed(6)).toBe('1.304348');
    expect(sb.base.ratio?.toFixed(6)).toBe(r.metrics.bondCoverage?.toFixed(6));
    expect(fen(r.metrics.bondDebtService)).toBe('920000.00');
    expect(sb.base.pass).toBe(true);
    expect(sb.base.threshold.toString()).toBe('1.2');
  });

  it.each([
    ['0.9', '1040000.00', '1.130435', false, '64000.00'],
    ['0.8', '880000.00', '0.956522', false, '224000.00'],
  ])('revenue × %s: net income %s, coverage %s', (factor, income, ratio, pass, shortfall) => {
    const c = sb.stress.find((x) => x.revenueFactor.eq(factor))!.coverage;
    expect(fen(c.netIncomeYuan)).toBe(income);
    expect(fen(c.debtServiceYuan)).toBe('920000.00');
    expect(c.ratio?.toFixed(6)).toBe(ratio);
    expect(c.pass).toBe(pass);
    expect(fen(c.shortfallYuan)).toBe(shortfall);
  });

  it('uses the jurisdiction threshold, or one given', () => {
    const strict = bondSelfBalance(s, r, parseThresholds({ bondCoverage: '1.4' }), {
      revenueFactors: [],
    })!;
    expect([strict.base.pass, fen(strict.base.shortfallYuan), strict.stress]).toEqual([
      false,
      '88000.00',
      [],
    ]);
    const given = bondSelfBalance(s, r, DEFAULT_THRESHOLDS, {
      revenueFactors: ['0.95'],
      threshold: '1',
    })!;
    // (380,000 − 100,000) × 4 = 1,120,000 / 920,000.
    expect(given.stress[0]?.coverage.ratio?.toFixed(6)).toBe('1.217391');
    expect(given.stress[0]?.coverage.pass).toBe(true);
  });

  it('is null without a special bond and refuses a bad factor', () => {
    const ppp = legacyPpp();
    expect(bondSelfBalance(ppp, simulate(ppp))).toBeNull();
    expect(coverageBasis(ppp, simulate(ppp))).toBeNull();
    expect(() => bondSelfBalance(s, r, DEFAULT_THRESHOLDS, { revenueFactors: ['0'] })).toThrow(
      expect.objectContaining({ code: 'invalid-override' }),
    );
  });
});

/*
 * Portfolio: project 1 (above: 800,000 at 3 %, bullet 2030, 200,000 used as capital) and
 * project 2 (built 2028, 500,000 at 2 %, 3 years, equal principal 250,000 in 2029 and 2030;
 * interest 10,000 / 10,000 / 5,000). Bonds are issued at the start of the year, so the
 * construction year bears a full coupon (src/domain/README.md, "Draw timing"; before, half:
 * 12,000 in 2026 and 29,000 in 2028, 1,428,000 in all). Balance and debt service by year:
 *   year  issued    interest  principal  debt service  closing
 *   2026  800,000   24,000          0       24,000      800,000
 *   2027        0   24,000          0       24,000      800,000
 *   2028  500,000   34,000          0       34,000    1,300,000
 *   2029        0   34,000    250,000      284,000    1,050,000
 *   2030        0   29,000  1,050,000    1,079,000            0
 * Bonds used as capital: 200,000 / 1,300,000 = 0.153846.
 */
describe('portfolio bond balance and debt service', () => {
  const p1 = bondProject((x) => {
    x.fiscal = { bondAsCapitalYuan: '200000' };
  });
  const p2 = bondProject((x) => {
    x.project.code = 'T-BOND-2';
    x.timeline = { startYear: 2028, constructionYears: 1, operationYears: 2 };
    x.capex = { scheduleYuan: ['500000'] };
    x.revenues = [];
    x.operatingCost = { annualYuan: '0' };
    x.funding.sources = [
      {
        id: 'bond',
        name: 'Special bond',
        type: 'special-bond',
        amountYuan: '500000',
        debt: {
          annualRate: '0.02',
          tenorYears: 3,
          repayment: 'equal-principal',
          constructionInterest: 'paid',
        },
      },
    ];
  });
  const report = portfolioBonds([member(p1), member(p2), member(legacyPpp())]);

  it('lists only bond-funded members', () => {
    expect(report.members).toEqual(['T-BOND-1', 'T-BOND-2']);
  });

  it.each([
    [2026, '0.00', '800000.00', '24000.00', '0.00', '24000.00', '800000.00'],
    [2027, '800000.00', '0.00', '24000.00', '0.00', '24000.00', '800000.00'],
    [2028, '800000.00', '500000.00', '34000.00', '0.00', '34000.00', '1300000.00'],
    [2029, '1300000.00', '0.00', '34000.00', '250000.00', '284000.00', '1050000.00'],
    [2030, '1050000.00', '0.00', '29000.00', '1050000.00', '1079000.00', '0.00'],
  ])(
    '%i: opening %s, issued %s, interest %s, principal %s, service %s, closing %s',
    (year, opening, issued, interest, principal, service, closing) => {
      const row = report.rows.find((x) => x.year === year)!;
      expect(
        [
          row.openingYuan,
          row.issuedYuan,
          row.interestYuan,
          row.principalPaidYuan,
          row.debtServiceYuan,
          row.closingYuan,
        ].map(fen),
      ).toEqual([opening, issued, interest, principal, service, closing]);
      expect(fen(row.arrearsYuan)).toBe('0.00');
    },
  );

  it('totals issuance and debt service, and splits the balance by member', () => {
    expect(fen(report.totalIssuedYuan)).toBe('1300000.00');
    expect(fen(report.totalDebtServiceYuan)).toBe('1445000.00');
    const y2029 = report.rows.find((x) => x.year === 2029)!;
    expect(
      y2029.byMember.map((m) => [m.memberId, fen(m.closingYuan), fen(m.debtServiceYuan)]),
    ).toEqual([
      ['T-BOND-1', '800000.00', '24000.00'],
      ['T-BOND-2', '250000.00', '260000.00'],
    ]);
  });

  it('measures the share of bonds used as project capital against the maximum', () => {
    expect(fen(report.bondAsCapital.amountYuan)).toBe('200000.00');
    expect(report.bondAsCapital.share?.toFixed(6)).toBe('0.153846');
    expect(report.bondAsCapital.exceeds).toBe(false);
    const tight = portfolioBonds(
      [member(p1), member(p2)],
      parseThresholds({ maxBondAsCapitalShare: '0.15' }),
    );
    expect(tight.bondAsCapital.exceeds).toBe(true);
  });
});
