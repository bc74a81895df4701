import { z } from 'zod';
import { Dec, maxDec, Rounding, ZERO } from '../decimal';
import { yuanText } from '../decimal-text';
import type { DebtYear, GovernmentDebtYear, SimulationResult } from '../engine/types';
import { budgetForYear, calendarYear, noRepeatedYears, type BudgetForecast } from './budget';
import { memberId, type PortfolioMember } from './obligations';

/**
 * What a portfolio costs the city year by year (issue 12, README "What it costs the city"): the
 * government's lines of every member's ledger in columns, against the general public budget
 * (一般公共预算) and the government-fund budget (政府性基金预算, which services special bonds),
 * and the portfolio's new bond issuance against the jurisdiction's new-bond quotas (新增债务限额).
 *
 * Every amount is yuan. Ledger amounts are posted in fen, so every sum is exact and nothing is
 * rounded; only shares are rounded, to 6 decimal places half-up.
 */

const RATIO_DP = 6;

/** Source types whose debt service the government-fund budget carries (专项债). */
export const SPECIAL_BOND_TYPES: readonly string[] = ['special-bond'];
/**
 * Source types whose debt service the general public budget carries (一般债): the engine keeps their
 * schedules in `result.governmentDebts` and each ledger year's `governmentDebt` (README "General
 * bonds"), not among the project's debts.
 */
export const GENERAL_BOND_TYPES: readonly string[] = ['general-bond'];

/** One year's new-bond quotas of the jurisdiction, yuan. */
export const bondQuotaYearSchema = z
  .object({
    year: calendarYear,
    specialBondYuan: yuanText('Special-bond quota'),
    generalBondYuan: yuanText('General-bond quota'),
  })
  .strict();

/** New-bond quotas by year: each year at most once. */
export const bondQuotasSchema = z
  .array(bondQuotaYearSchema)
  .max(150, { error: 'At most 150 years of bond quotas' })
  .superRefine((rows, ctx) =>
    noRepeatedYears(rows, ctx, (year) => `quota year ${year} is given twice`),
  );

export type BondQuotaYear = z.output<typeof bondQuotaYearSchema>;

/** The government's columns of one year, yuan, all gross (receipts are not netted off). */
export interface CityCostColumns {
  /** `government.budget`: budget appropriations drawn into the projects (预算内投资). */
  budgetAppropriation: Dec;
  /** `government['construction-subsidy']`. */
  constructionSubsidy: Dec;
  /** `government['operating-subsidy']`. */
  operatingSubsidy: Dec;
  /** `government['availability-payment']`. */
  availabilityPayment: Dec;
  /** `government['government-equity']`. */
  governmentEquity: Dec;
  /** `government['guided-fund-equity']`. */
  guidedFundEquity: Dec;
  /** Special-bond lines of the ledger: `principalPaid` and `interestPaid`. */
  specialBondPrincipal: Dec;
  specialBondInterest: Dec;
  generalBondPrincipal: Dec;
  generalBondInterest: Dec;
  /**
   * `government['shortfall-support']` (the government's cover of a project's shortfalls), per
   * member and year less that member's special-bond service of the year (never below 0): the
   * support that paid bond service is already counted in the bond columns.
   */
  other: Dec;
}

export const CITY_COST_COLUMNS: ReadonlyArray<keyof CityCostColumns> = [
  'budgetAppropriation',
  'constructionSubsidy',
  'operatingSubsidy',
  'availabilityPayment',
  'governmentEquity',
  'guidedFundEquity',
  'specialBondPrincipal',
  'specialBondInterest',
  'generalBondPrincipal',
  'generalBondInterest',
  'other',
];

/** The columns serviced from the government-fund budget; every other column is general budget. */
export const FUND_BUDGET_COLUMNS: ReadonlyArray<keyof CityCostColumns> = [
  'specialBondPrincipal',
  'specialBondInterest',
];

/** One budget's side of a year. */
export interface BudgetSide {
  /** What the portfolio charges to this budget this year. */
  chargedYuan: Dec;
  /** The budget's forecast expenditure; null when the forecast has no figure (or none is set). */
  budgetYuan: Dec | null;
  /** charged ÷ budget, 6 dp half-up; null without a budget figure. */
  share: Dec | null;
  /** budget − charged (negative when the portfolio alone exceeds it); null without a figure. */
  headroomYuan: Dec | null;
}

/** New issuance of one bond kind in one year against its quota. */
export interface IssuanceSide {
  /** Drawdowns of the portfolio's bonds of this kind in the year. */
  issuedYuan: Dec;
  /** The quota of the year; null when no quota is entered for the year. */
  quotaYuan: Dec | null;
  /** quota − issued; null without a quota. */
  headroomYuan: Dec | null;
  /** issued − quota when above the quota, else 0. */
  overYuan: Dec;
}

export interface CityCostYear {
  year: number;
  columns: CityCostColumns;
  /** Σ of the columns. */
  totalYuan: Dec;
  general: BudgetSide;
  fund: BudgetSide;
  specialIssuance: IssuanceSide;
  generalIssuance: IssuanceSide;
}

/** One year in which new issuance is above the quota: a failed rule. */
export interface QuotaBreach {
  year: number;
  kind: 'special-bond' | 'general-bond';
  issuedYuan: Dec;
  quotaYuan: Dec;
  overYuan: Dec;
}

export interface CityCostReport {
  rows: CityCostYear[];
  /** Σ over the years, per column and in total. */
  totals: CityCostColumns & { totalYuan: Dec };
  /**
   * The quota rule: 'not-applicable' when no quota is entered; otherwise 'fail' when some year's
   * issuance is above its quota (`breaches`), else 'pass'. A year with issuance but no quota
   * row is listed in `unquotedYears` and not judged.
   */
  quotaCheck: {
    status: 'pass' | 'fail' | 'not-applicable';
    breaches: QuotaBreach[];
    unquotedYears: number[];
  };
  /** Members included, by id. */
  members: string[];
}

export interface CityCostInputs {
  members: readonly PortfolioMember[];
  generalBudget: BudgetForecast | null;
  fundBudget: BudgetForecast | null;
  quotas: readonly BondQuotaYear[];
}

const emptyColumns = (): CityCostColumns => ({
  budgetAppropriation: ZERO,
  constructionSubsidy: ZERO,
  operatingSubsidy: ZERO,
  availabilityPayment: ZERO,
  governmentEquity: ZERO,
  guidedFundEquity: ZERO,
  specialBondPrincipal: ZERO,
  specialBondInterest: ZERO,
  generalBondPrincipal: ZERO,
  generalBondInterest: ZERO,
  other: ZERO,
});

interface YearSums {
  columns: CityCostColumns;
  specialIssued: Dec;
  generalIssued: Dec;
}

function debtIndexes(result: SimulationResult, types: readonly string[]): number[] {
  return result.debts.flatMap((d, j) => (types.includes(d.type) ? [j] : []));
}

function governmentDebtIndexes(result: SimulationResult, types: readonly string[]): number[] {
  return (result.governmentDebts ?? []).flatMap((d, j) => (types.includes(d.type) ? [j] : []));
}

/** Adds one member's ledger into the per-year sums. */
function addMember(sums: Map<number, YearSums>, result: SimulationResult): void {
  const special = debtIndexes(result, SPECIAL_BOND_TYPES);
  const general = governmentDebtIndexes(result, GENERAL_BOND_TYPES);
  for (const y of result.ledger) {
    let s = sums.get(y.year);
    if (!s) {
      s = { columns: emptyColumns(), specialIssued: ZERO, generalIssued: ZERO };
      sums.set(y.year, s);
    }
    const c = s.columns;
    const g = y.government;
    const sum = (idx: number[], pick: (d: DebtYear) => Dec) =>
      idx.reduce((a, j) => a.plus(y.debt[j] ? pick(y.debt[j]) : ZERO), ZERO);
    const gov = (pick: (d: GovernmentDebtYear) => Dec) =>
      general.reduce((a, j) => {
        const row = y.governmentDebt?.[j];
        return row ? a.plus(pick(row)) : a;
      }, ZERO);
    c.budgetAppropriation = c.budgetAppropriation.plus(g.budget);
    c.constructionSubsidy = c.constructionSubsidy.plus(g['construction-subsidy']);
    c.operatingSubsidy = c.operatingSubsidy.plus(g['operating-subsidy']);
    c.availabilityPayment = c.availabilityPayment.plus(g['availability-payment']);
    c.governmentEquity = c.governmentEquity.plus(g['government-equity']);
    c.guidedFundEquity = c.guidedFundEquity.plus(g['guided-fund-equity']);
    const service = {
      sp: sum(special, (d) => d.principalPaid),
      si: sum(special, (d) => d.interestPaid),
      gp: gov((d) => d.principal),
      gi: gov((d) => d.interest),
    };
    c.specialBondPrincipal = c.specialBondPrincipal.plus(service.sp);
    c.specialBondInterest = c.specialBondInterest.plus(service.si);
    c.generalBondPrincipal = c.generalBondPrincipal.plus(service.gp);
    c.generalBondInterest = c.generalBondInterest.plus(service.gi);
    // Shortfall support that paid the project's special-bond service is already in the bond
    // columns: only what is left above that service counts as another obligation. General-bond
    // service is the budget's own, never the project's, so no support pays it.
    const bondService = service.sp.plus(service.si);
    c.other = c.other.plus(maxDec(ZERO, g['shortfall-support'].minus(bondService)));
    s.specialIssued = s.specialIssued.plus(sum(special, (d) => d.drawdown));
    s.generalIssued = s.generalIssued.plus(gov((d) => d.drawdown));
  }
}

function budgetSide(charged: Dec, budget: Dec | null): BudgetSide {
  return {
    chargedYuan: charged,
    budgetYuan: budget,
    share:
      budget === null || budget.isZero()
        ? null
        : charged.div(budget).toDecimalPlaces(RATIO_DP, Rounding.halfUp),
    headroomYuan: budget === null ? null : budget.minus(charged),
  };
}

function issuanceSide(issued: Dec, quota: Dec | null): IssuanceSide {
  const over = quota !== null && issued.gt(quota) ? issued.minus(quota) : ZERO;
  return {
    issuedYuan: issued,
    quotaYuan: quota,
    headroomYuan: quota === null ? null : quota.minus(issued),
    overYuan: over,
  };
}

const sumColumns = (c: CityCostColumns, keys: ReadonlyArray<keyof CityCostColumns>): Dec =>
  keys.reduce((a, k) => a.plus(c[k]), ZERO);

function yearRow(year: number, s: YearSums, inputs: CityCostInputs): CityCostYear {
  const fundCharged = sumColumns(s.columns, FUND_BUDGET_COLUMNS);
  const total = sumColumns(s.columns, CITY_COST_COLUMNS);
  const quota = inputs.quotas.find((q) => q.year === year);
  return {
    year,
    columns: s.columns,
    totalYuan: total,
    general: budgetSide(
      total.minus(fundCharged),
      inputs.generalBudget ? budgetForYear(inputs.generalBudget, year) : null,
    ),
    fund: budgetSide(
      fundCharged,
      inputs.fundBudget ? budgetForYear(inputs.fundBudget, year) : null,
    ),
    specialIssuance: issuanceSide(s.specialIssued, quota ? new Dec(quota.specialBondYuan) : null),
    generalIssuance: issuanceSide(s.generalIssued, quota ? new Dec(quota.generalBondYuan) : null),
  };
}

function quotaCheck(rows: readonly CityCostYear[], quotas: readonly BondQuotaYear[]) {
  const breaches: QuotaBreach[] = [];
  const unquotedYears: number[] = [];
  for (const r of rows) {
    const sides = [
      ['special-bond', r.specialIssuance],
      ['general-bond', r.generalIssuance],
    ] as const;
    for (const [kind, side] of sides) {
      if (side.quotaYuan !== null && side.overYuan.gt(0))
        breaches.push({
          year: r.year,
          kind,
          issuedYuan: side.issuedYuan,
          quotaYuan: side.quotaYuan,
          overYuan: side.overYuan,
        });
    }
    const issued = r.specialIssuance.issuedYuan.plus(r.generalIssuance.issuedYuan);
    if (quotas.length > 0 && r.specialIssuance.quotaYuan === null && issued.gt(0))
      unquotedYears.push(r.year);
  }
  const status: 'pass' | 'fail' | 'not-applicable' =
    quotas.length === 0 ? 'not-applicable' : breaches.length > 0 ? 'fail' : 'pass';
  return { status, breaches, unquotedYears };
}

/**
 * The portfolio's cost to the city by calendar year (every year any member's ledger has),
 * with each budget's share and headroom and the new issuance against the quotas.
 *
 * Columns: the ledger's `government` lines by instrument (gross: dividends and the data
 * revenue share, which are receipts, are left out) and each bond source's `principalPaid` and
 * `interestPaid`, and each general bond's `governmentDebt` principal and interest. Special-bond debt service is charged to the government-fund budget, every other
 * column to the general public budget. Issuance is each bond source's `drawdown` in the year drawn.
 * @throws nothing: members are taken as given (duplicates are the caller's to refuse)
 */
export function cityCost(inputs: CityCostInputs): CityCostReport {
  const sums = new Map<number, YearSums>();
  for (const m of inputs.members) addMember(sums, m.result);
  const rows = [...sums.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, s]) => yearRow(year, s, inputs));
  const totals = { ...emptyColumns(), totalYuan: ZERO };
  for (const r of rows) {
    for (const k of CITY_COST_COLUMNS) totals[k] = totals[k].plus(r.columns[k]);
    totals.totalYuan = totals.totalYuan.plus(r.totalYuan);
  }
  return {
    rows,
    totals,
    quotaCheck: quotaCheck(rows, inputs.quotas),
    members: inputs.members.map(memberId),
  };
}
