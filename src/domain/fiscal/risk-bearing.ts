import { allocate } from '../allocate';
import { Dec, ZERO, maxDec, minDec, toFen } from '../decimal';
import type { LedgerYear } from '../engine/types';
import type { Scenario } from '../scenario/schema';
import type {
  RiskCase,
  RiskCaseAmounts,
  RiskItem,
  RiskMethod,
  RisksSection,
} from '../scenario/risks';
import { RISK_CASES } from '../scenario/risks';

/**
 * The government's risk-bearing expenditure (风险承担支出, MoF 财金〔2015〕21号, DOMAIN.md §5.1
 * and §7) from a scenario's risk register (`risks`, src/domain/scenario/risks.ts), by the three
 * methods, and the value-for-money retained and transferable risk (财金〔2015〕167号).
 * Rules in README.md, "Risk register". Every amount is yuan; rounding half-up to fen only at the
 * points named on each function.
 */

export interface YearAmount {
  year: number;
  amount: Dec;
}

/** One risk's expected losses (probability × loss net of insurance), fen, and their years. */
export interface RiskItemResult {
  id: string;
  /** Expected loss the government bears, fen (half-up). */
  government: Dec;
  /** Expected loss the partner bears, fen (half-up). */
  partner: Dec;
  /** Both parts spread over the risk's years, fen-exact (the parts sum to the parts above). */
  byYear: Array<{ year: number; government: Dec; partner: Dec }>;
}

export interface RiskRegisterResult {
  /** The method the register names: its figures are the scenario's risk-bearing expenditure. */
  method: RiskMethod;
  /** The named method's risk-bearing expenditure by calendar year, fen, ascending years. */
  riskBearing: YearAmount[];
  /** Each method's figures where its inputs are given (null otherwise). */
  byMethod: Record<RiskMethod, YearAmount[] | null>;
  /** The probability method's working, one row per risk (empty without risks). */
  items: RiskItemResult[];
  /** The rate of the present values, a fraction; valued at the start of `valuationYear`. */
  discountRate: Dec;
  valuationYear: number;
  /** PV of `riskBearing` (the risk the government keeps), half-up to fen. */
  retainedRiskPv: Dec;
  /** PV of the partner's expected losses of the risks (the risk transferred), half-up to fen. */
  transferableRiskPv: Dec;
}

/** The ledger fields the proportion method reads. */
export type RiskLedgerYear = Pick<LedgerYear, 'year' | 'phase' | 'opex'>;

/** Calendar years of the scenario's construction and operation phases. */
function phaseYears(scenario: Scenario): { construction: number[]; operation: number[] } {
  const { startYear, constructionYears, operationYears } = scenario.timeline;
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  return {
    construction: range(startYear, constructionYears),
    operation: range(startYear + constructionYears, operationYears),
  };
}

const byYearAscending = (m: Map<number, Dec>): YearAmount[] =>
  [...m.entries()].sort(([a], [b]) => a - b).map(([year, amount]) => ({ year, amount }));

/**
 * Proportion method: ratio × the construction cost of each construction year (the capex
 * schedule) and ratio × the operating cost of each operation year within the first
 * `operatingYears` (default: all) operation years (the ledger's opex). Each year half-up to fen.
 */
export function proportionMethod(
  scenario: Scenario,
  ledger: readonly RiskLedgerYear[],
  proportion: NonNullable<RisksSection['proportion']>,
): YearAmount[] {
  const ratio = new Dec(proportion.ratio);
  const years = phaseYears(scenario);
  const out = new Map<number, Dec>();
  years.construction.forEach((year, i) => {
    out.set(year, toFen(ratio.times(scenario.capex.scheduleYuan[i] ?? '0')));
  });
  const counted = new Set(years.operation.slice(0, proportion.operatingYears ?? Infinity));
  for (const y of ledger)
    if (y.phase === 'operation' && counted.has(y.year)) out.set(y.year, toFen(ratio.times(y.opex)));
  return byYearAscending(out);
}

/** A case's amounts by calendar year: `annualYuan` over its phase, or `byYear` as given. */
function caseByYear(c: RiskCaseAmounts, scenario: Scenario): Map<number, Dec> {
  const out = new Map<number, Dec>();
  if (c.annualYuan !== undefined) {
    const years = phaseYears(scenario);
    const list =
      c.phase === 'construction'
        ? years.construction
        : c.phase === 'operation'
          ? years.operation
          : [...years.construction, ...years.operation];
    for (const y of list) out.set(y, new Dec(c.annualYuan));
  }
  for (const row of c.byYear) out.set(row.year, new Dec(row.amountYuan));
  return out;
}

/**
 * Scenario method: for each year, Σ over the base, adverse and worst cases of the government's
 * expenditure in that case × the case's probability (the probabilities sum to 1, checked by the
 * schema), half-up to fen per year.
 */
export function scenarioMethod(
  scenario: Scenario,
  cases: Record<RiskCase, RiskCaseAmounts>,
): YearAmount[] {
  const exact = new Map<number, Dec>();
  for (const name of RISK_CASES) {
    const p = new Dec(cases[name].probability);
    for (const [year, amount] of caseByYear(cases[name], scenario))
      exact.set(year, (exact.get(year) ?? ZERO).plus(amount.times(p)));
  }
  return byYearAscending(new Map([...exact].map(([y, a]) => [y, toFen(a)])));
}

/**
 * Each party's loss if the risk occurs, net of insurance: the impact split by the allocation
 * shares; the insured amount pays the first beneficiary (the government when
 * `insuranceToGovernment`, else the partner) up to its loss, then the other party.
 */
export function netLosses(item: RiskItem, insuranceToGovernment: boolean): [Dec, Dec] {
  const impact = new Dec(item.impactYuan);
  const gov = impact.times(item.allocation.government);
  const partner = impact.times(item.allocation.partner);
  let insured = new Dec(item.insuredYuan ?? '0');
  const first = insuranceToGovernment ? gov : partner;
  const second = insuranceToGovernment ? partner : gov;
  const firstPaid = minDec(first, insured);
  insured = insured.minus(firstPaid);
  const secondPaid = minDec(second, insured);
  const firstNet = maxDec(first.minus(firstPaid), ZERO);
  const secondNet = maxDec(second.minus(secondPaid), ZERO);
  return insuranceToGovernment ? [firstNet, secondNet] : [secondNet, firstNet];
}

/**
 * Probability method, one risk: expected loss = probability × net loss of each party, half-up to
 * fen, then spread evenly over the risk's years by `allocate` (fen-exact, remainder fen to the
 * earliest years).
 */
export function riskItemResult(
  item: RiskItem,
  scenario: Scenario,
  insuranceToGovernment: boolean,
): RiskItemResult {
  const [govLoss, partnerLoss] = netLosses(item, insuranceToGovernment);
  const government = toFen(govLoss.times(item.probability));
  const partner = toFen(partnerLoss.times(item.probability));
  const phases = phaseYears(scenario);
  const years = Array.isArray(item.years)
    ? [...item.years].sort((a, b) => a - b)
    : phases[item.years];
  const weights = years.map(() => new Dec(1));
  const govParts = allocate(government, weights);
  const partnerParts = allocate(partner, weights);
  return {
    id: item.id,
    government,
    partner,
    byYear: years.map((year, i) => ({
      year,
      government: govParts[i] ?? ZERO,
      partner: partnerParts[i] ?? ZERO,
    })),
  };
}

/** Sums one party's parts of the risks by year. */
function itemsByYear(
  items: readonly RiskItemResult[],
  party: 'government' | 'partner',
): YearAmount[] {
  const out = new Map<number, Dec>();
  for (const item of items)
    for (const row of item.byYear) out.set(row.year, (out.get(row.year) ?? ZERO).plus(row[party]));
  return byYearAscending(out);
}

/** Σ amount / (1 + rate)^(year − valuationYear + 1): flows at year ends, as the VfM values them. */
function presentValue(amounts: readonly YearAmount[], rate: Dec, valuationYear: number): Dec {
  const base = rate.plus(1);
  return amounts.reduce(
    (pv, { year, amount }) => pv.plus(amount.div(base.pow(year - valuationYear + 1))),
    ZERO,
  );
}

// The probability method's items depend on the scenario alone (a validated scenario is never
// changed): a Monte Carlo trial re-judging a member's obligations reuses them.
const itemsOfScenario = new WeakMap<Scenario, RiskItemResult[]>();
function registerItems(scenario: Scenario, r: RisksSection): RiskItemResult[] {
  let items = itemsOfScenario.get(scenario);
  if (!items) {
    items = r.items.map((item) => riskItemResult(item, scenario, r.insuranceToGovernment));
    itemsOfScenario.set(scenario, items);
  }
  return items;
}

/** One method's risk-bearing expenditure by year; null when the register lacks its inputs. */
function methodAmounts(
  method: RiskMethod,
  scenario: Scenario,
  ledger: readonly RiskLedgerYear[],
  r: RisksSection,
  items: readonly RiskItemResult[],
): YearAmount[] | null {
  if (method === 'proportion')
    return r.proportion ? proportionMethod(scenario, ledger, r.proportion) : null;
  if (method === 'scenario') return r.scenarios ? scenarioMethod(scenario, r.scenarios) : null;
  return items.length > 0 ? itemsByYear(items, 'government') : null;
}

/**
 * The government's risk-bearing expenditure by year by the register's own method (what
 * `riskRegister(...).riskBearing` is), without the other methods and the present values; null
 * without a register.
 */
export function registerRiskBearing(
  scenario: Scenario,
  ledger: readonly RiskLedgerYear[],
): YearAmount[] | null {
  const r = scenario.risks;
  if (!r) return null;
  const items = r.method === 'probability' ? registerItems(scenario, r) : [];
  return methodAmounts(r.method, scenario, ledger, r, items) ?? [];
}

/**
 * The risk register of a scenario, computed: each method's risk-bearing expenditure by year,
 * the named method's figures, and the retained and transferable risk as present values at the
 * VfM discount rate (`fiscal.psc.discountRate`, else the scenario's government discount rate),
 * at the start of the first year, each half-up to fen.
 * @param scenario a validated scenario with a `risks` section
 * @param ledger its simulation's ledger (operating cost by year, for the proportion method)
 * @param options.discountRate the rate of the present values instead (the VfM's own rate)
 * @returns null when the scenario has no register
 */
export function riskRegister(
  scenario: Scenario,
  ledger: readonly RiskLedgerYear[],
  options: { discountRate?: Dec } = {},
): RiskRegisterResult | null {
  const r = scenario.risks;
  if (!r) return null;
  const items = registerItems(scenario, r);
  const byMethod: Record<RiskMethod, YearAmount[] | null> = {
    proportion: methodAmounts('proportion', scenario, ledger, r, items),
    scenario: methodAmounts('scenario', scenario, ledger, r, items),
    probability: methodAmounts('probability', scenario, ledger, r, items),
  };
  const riskBearing = byMethod[r.method] ?? [];
  const discountRate =
    options.discountRate ??
    new Dec(scenario.fiscal?.psc?.discountRate ?? scenario.discountRates.government);
  const valuationYear = scenario.timeline.startYear;
  return {
    method: r.method,
    riskBearing,
    byMethod,
    items,
    discountRate,
    valuationYear,
    retainedRiskPv: toFen(presentValue(riskBearing, discountRate, valuationYear)),
    transferableRiskPv: toFen(
      presentValue(itemsByYear(items, 'partner'), discountRate, valuationYear),
    ),
  };
}
