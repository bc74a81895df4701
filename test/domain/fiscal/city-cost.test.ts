import { cityCost, type CityCostInputs } from '../../../src/domain/fiscal/city-cost';
import { bondProject, legacyPpp, member } from './builders';

/**
 * What the portfolio costs the city, year by year (issue 12), on a hand-worked portfolio:
 *
 * - T-PPP-A (legacy PPP, 2026–2029): government equity 200,000 in 2026; operating subsidy
 *   100,000 a year 2027–2029 (dividends to the government are receipts, left out).
 * - T-BOND-1 (government project, 2026–2030): budget 200,000 in 2026; special bond 800,000 drawn
 *   in 2026 at 3 %, bullet after 5 years: interest 800,000 × 3 % = 24,000 every year 2026–2030,
 *   principal 800,000 in 2030. The government's shortfall support of 24,000 (2026) and 524,000
 *   (2030) paid that bond service, already in the bond columns: other obligations 0.
 *
 * General budget (explicit): 2026 4,000,000, 2027 1,000,000. Government-fund budget: 200,000 in
 * 2026 growing 10 %: 220,000, 242,000, 266,200, 292,820. Quotas: 2026 special 700,000 (issued
 * 800,000: 100,000 over), 2027 special 500,000 (issued 0).
 */

const inputs = (): CityCostInputs => ({
  members: [member(legacyPpp()), member(bondProject())],
  generalBudget: {
    method: 'explicit',
    years: [
      { year: 2026, amountYuan: '4000000' },
      { year: 2027, amountYuan: '1000000' },
    ],
  },
  fundBudget: { method: 'growth', baseYear: 2026, baseAmountYuan: '200000', growth: '0.1' },
  quotas: [
    { year: 2026, specialBondYuan: '700000', generalBondYuan: '0' },
    { year: 2027, specialBondYuan: '500000', generalBondYuan: '0' },
  ],
});

const text = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('cityCost', () => {
  const report = cityCost(inputs());

  it('puts every ledger line in its column, exactly, year by year', () => {
    const rows = report.rows.map((r) => [
      r.year,
      r.columns.budgetAppropriation.toFixed(2),
      r.columns.constructionSubsidy.toFixed(2),
      r.columns.operatingSubsidy.toFixed(2),
      r.columns.availabilityPayment.toFixed(2),
      r.columns.governmentEquity.toFixed(2),
      r.columns.guidedFundEquity.toFixed(2),
      r.columns.specialBondPrincipal.toFixed(2),
      r.columns.specialBondInterest.toFixed(2),
      r.columns.generalBondPrincipal.toFixed(2),
      r.columns.generalBondInterest.toFixed(2),
      r.columns.other.toFixed(2),
      r.totalYuan.toFixed(2),
    ]);
    const z = '0.00';
    expect(rows).toEqual([
      [2026, '200000.00', z, z, z, '200000.00', z, z, '24000.00', z, z, z, '424000.00'],
      [2027, z, z, '100000.00', z, z, z, z, '24000.00', z, z, z, '124000.00'],
      [2028, z, z, '100000.00', z, z, z, z, '24000.00', z, z, z, '124000.00'],
      [2029, z, z, '100000.00', z, z, z, z, '24000.00', z, z, z, '124000.00'],
      [2030, z, z, z, z, z, z, '800000.00', '24000.00', z, z, z, '824000.00'],
    ]);
    expect(report.totals.totalYuan.toFixed(2)).toBe('1620000.00');
    expect(report.totals.specialBondInterest.toFixed(2)).toBe('120000.00');
    expect(report.members).toEqual(['T-PPP-A', 'T-BOND-1']);
  });

  it('charges special-bond service to the fund budget and the rest to the general budget', () => {
    expect(text(report.rows.map((r) => [r.year, r.general, r.fund]))).toEqual([
      [
        2026,
        { chargedYuan: '400000', budgetYuan: '4000000', share: '0.1', headroomYuan: '3600000' },
        { chargedYuan: '24000', budgetYuan: '200000', share: '0.12', headroomYuan: '176000' },
      ],
      [
        2027,
        { chargedYuan: '100000', budgetYuan: '1000000', share: '0.1', headroomYuan: '900000' },
        { chargedYuan: '24000', budgetYuan: '220000', share: '0.109091', headroomYuan: '196000' },
      ],
      [
        2028,
        { chargedYuan: '100000', budgetYuan: null, share: null, headroomYuan: null },
        { chargedYuan: '24000', budgetYuan: '242000', share: '0.099174', headroomYuan: '218000' },
      ],
      [
        2029,
        { chargedYuan: '100000', budgetYuan: null, share: null, headroomYuan: null },
        { chargedYuan: '24000', budgetYuan: '266200', share: '0.090158', headroomYuan: '242200' },
      ],
      [
        2030,
        { chargedYuan: '0', budgetYuan: null, share: null, headroomYuan: null },
        { chargedYuan: '824000', budgetYuan: '292820', share: '2.814015', headroomYuan: '-531180' },
      ],
    ]);
  });

  it('sets new issuance against the quota and fails the year above it, with the amount over', () => {
    expect(text(report.rows.slice(0, 3).map((r) => [r.year, r.specialIssuance]))).toEqual([
      [
        2026,
        { issuedYuan: '800000', quotaYuan: '700000', headroomYuan: '-100000', overYuan: '100000' },
      ],
      [2027, { issuedYuan: '0', quotaYuan: '500000', headroomYuan: '500000', overYuan: '0' }],
      [2028, { issuedYuan: '0', quotaYuan: null, headroomYuan: null, overYuan: '0' }],
    ]);
    expect(text(report.quotaCheck)).toEqual({
      status: 'fail',
      breaches: [
        {
          year: 2026,
          kind: 'special-bond',
          issuedYuan: '800000',
          quotaYuan: '700000',
          overYuan: '100000',
        },
      ],
      unquotedYears: [],
    });
  });

  it('passes within the quota, lists issuance without a quota, and has no check without quotas', () => {
    const within = cityCost({
      ...inputs(),
      quotas: [{ year: 2026, specialBondYuan: '800000', generalBondYuan: '0' }],
    });
    expect(text(within.quotaCheck)).toEqual({ status: 'pass', breaches: [], unquotedYears: [] });
    const unquoted = cityCost({
      ...inputs(),
      quotas: [{ year: 2027, specialBondYuan: '1', generalBondYuan: '0' }],
    });
    expect(text(unquoted.quotaCheck)).toEqual({
      status: 'pass',
      breaches: [],
      unquotedYears: [2026],
    });
    expect(cityCost({ ...inputs(), quotas: [] }).quotaCheck.status).toBe('not-applicable');
  });
});

/**
 * A general bond (一般债券, README "General bonds") on a small portfolio: T-GB (government project,
 * built 2026, operated 2027–2028): capex 1,000,000 = budget 400,000 + general bond 600,000 at 4 %,
 * tenor 3 years, equal principal, no grace. Interest 600,000 × 4 % = 24,000 in 2026 (drawn at the
 * start of the year) and 2027; principal 600,000 ÷ 2 = 300,000 in 2027 and 2028, interest 2028
 * 300,000 × 4 % = 12,000. No revenue, operating cost 50,000 a year: the government's shortfall
 * support 50,000 a year is another obligation in full (no project bond service to take off).
 * With T-BOND-1 above: its special-bond service stays in the fund budget.
 * Quotas: 2026 general 500,000 (issued 600,000: 100,000 over), special 900,000 (issued 800,000).
 */
describe('cityCost with a general bond', () => {
  const gb = bondProject((s) => {
    s.project.code = 'T-GB';
    s.revenues = [];
    s.operatingCost = { annualYuan: '50000' };
    s.timeline = { startYear: 2026, constructionYears: 1, operationYears: 2 };
    s.funding.sources = [
      { id: 'budget', name: 'Budget', type: 'budget', amountYuan: '400000' },
      {
        id: 'gb',
        name: '一般债券',
        type: 'general-bond',
        amountYuan: '600000',
        debt: { annualRate: '0.04', tenorYears: 3, repayment: 'equal-principal' },
      },
    ];
  });
  const report = cityCost({
    members: [member(gb), member(bondProject())],
    generalBudget: null,
    fundBudget: null,
    quotas: [{ year: 2026, specialBondYuan: '900000', generalBondYuan: '500000' }],
  });

  it('puts its service in the general-bond columns, charged to the general budget', () => {
    const rows = report.rows.map((r) => [
      r.year,
      r.columns.budgetAppropriation.toFixed(2),
      r.columns.generalBondPrincipal.toFixed(2),
      r.columns.generalBondInterest.toFixed(2),
      r.columns.specialBondPrincipal.toFixed(2),
      r.columns.specialBondInterest.toFixed(2),
      r.columns.other.toFixed(2),
      r.general.chargedYuan.toFixed(2),
      r.fund.chargedYuan.toFixed(2),
    ]);
    expect(rows).toEqual([
      [2026, '600000.00', '0.00', '24000.00', '0.00', '24000.00', '0.00', '624000.00', '24000.00'],
      [
        2027,
        '0.00',
        '300000.00',
        '24000.00',
        '0.00',
        '24000.00',
        '50000.00',
        '374000.00',
        '24000.00',
      ],
      [
        2028,
        '0.00',
        '300000.00',
        '12000.00',
        '0.00',
        '24000.00',
        '50000.00',
        '362000.00',
        '24000.00',
      ],
      [2029, '0.00', '0.00', '0.00', '0.00', '24000.00', '0.00', '0.00', '24000.00'],
      [2030, '0.00', '0.00', '0.00', '800000.00', '24000.00', '0.00', '0.00', '824000.00'],
    ]);
    expect(report.totals.generalBondPrincipal.toFixed(2)).toBe('600000.00');
    expect(report.totals.generalBondInterest.toFixed(2)).toBe('60000.00');
  });

  it('sets its issuance against the general-bond quota and fails the year above it', () => {
    expect(text(report.rows[0]!.generalIssuance)).toEqual({
      issuedYuan: '600000',
      quotaYuan: '500000',
      headroomYuan: '-100000',
      overYuan: '100000',
    });
    expect(report.quotaCheck.status).toBe('fail');
    expect(text(report.quotaCheck.breaches)).toEqual([
      {
        year: 2026,
        kind: 'general-bond',
        issuedYuan: '600000',
        quotaYuan: '500000',
        overYuan: '100000',
      },
    ]);
  });
});
