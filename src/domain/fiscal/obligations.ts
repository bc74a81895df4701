import { DomainError } from '../errors';
import { Dec, ZERO } from '../decimal';
import { GOVERNMENT_INSTRUMENTS } from '../engine/types';
import type {
  FiscalLedgerYear,
  GovernmentFenYear,
  LedgerYear,
  SimulationResult,
} from '../engine/types';
import { fenOrNull, type Fen } from '../fen';
import type { Scenario } from '../scenario/schema';
import { registerRiskBearing } from './risk-bearing';
import type { FiscalAmounts, PaymentMechanism } from './section';
import type { JurisdictionThresholds } from './thresholds';

/** Date the new PPP mechanism's concession rules took effect (国办函〔2023〕115号; 令第17号). [verify] */
export const NEW_MECHANISM_FROM = '2024-05-01';

/**
 * The government's PPP obligations (财政支出责任, MoF 财金〔2015〕21号, DOMAIN.md §5.1) of one
 * scenario, year by year, from the engine's ledger and the scenario's `fiscal` section.
 *
 * Gross expenditure: dividends the government receives and the data authority's revenue share
 * are receipts and do not reduce the obligations. Every amount is yuan; ledger amounts and
 * fiscal-section amounts are already fen, so sums are exact and nothing is rounded here.
 */

/** One project under one scenario, simulated: a member of a portfolio analysis. */
export interface PortfolioMember {
  /** Identifies the member in results; default: the project code. */
  id?: string;
  scenario: Scenario;
  result: SimulationResult;
}

/** Where each yuan of an obligation comes from. */
export interface ObligationDetail {
  /** Government equity contributions to the project company (incl. shortfall contributions). */
  governmentEquity: Dec;
  /** Government-guided fund equity contributions (incl. shortfall contributions). */
  guidedFundEquity: Dec;
  operatingSubsidy: Dec;
  availabilityPayment: Dec;
  /** Government cover of operating-period shortfalls (viability-gap support in substance). */
  operatingShortfallSupport: Dec;
  /** Government cover of construction-period financing costs (an interest subsidy in substance). */
  constructionShortfallSupport: Dec;
  /** Budget appropriations and construction subsidies drawn into the project (investment subsidy, 投资补助); 0 for new-mechanism concessions, see below. */
  investmentSubsidy: Dec;
  /**
   * New-mechanism concessions only (`isNewMechanismConcession`): the budget appropriations and
   * construction subsidies drawn during construction, i.e. government investment support
   * (政府投资支持, 国办函〔2023〕115号). Reported on its own line; part of `supportingInvestment`
   * only when the jurisdiction counts it (`countConcessionInvestmentSupport`).
   */
  concessionInvestmentSupport: Dec;
  /** `fiscal.riskBearing` of the scenario, or the risk register's figures when it has one. */
  riskBearing: Dec;
  /** `fiscal.supportingInvestment` of the scenario. */
  supportingInvestment: Dec;
}

/**
 * The four components of 财金〔2015〕21号:
 * - `equityContribution` = government equity + guided-fund equity (股权投资支出);
 * - `operatingSubsidy` = operating subsidy + availability payment + operating shortfall support (运营补贴支出);
 * - `riskBearing` = `fiscal.riskBearing`, or the risk register's by its method (风险承担支出);
 * - `supportingInvestment` = investment subsidy + construction shortfall support + `fiscal.supportingInvestment` (配套投入支出),
 *   plus a new-mechanism concession's investment support where the jurisdiction counts it.
 */
export interface ObligationComponents {
  equityContribution: Dec;
  operatingSubsidy: Dec;
  riskBearing: Dec;
  supportingInvestment: Dec;
  total: Dec;
}

export interface ObligationYear {
  year: number;
  components: ObligationComponents;
  detail: ObligationDetail;
}

/** Deliveries whose government obligations count against the PPP affordability cap. */
export const PPP_DELIVERIES: ReadonlyArray<Scenario['scenario']['delivery']> = [
  'ppp',
  'concession',
];

/** True for PPP and concession projects: only these count as PPP obligations. */
export function isPppProject(scenario: Scenario): boolean {
  return PPP_DELIVERIES.includes(scenario.scenario.delivery);
}

/**
 * The ledger fields the fiscal analytics read: the engine's lean `fiscalLedger` of a fresh run
 * (without converting the rest of its ledger), or the ledger of a result read back from storage.
 */
export function fiscalLedger(result: SimulationResult): readonly FiscalLedgerYear[] {
  return result.fiscalLedger ?? result.ledger;
}

/** The member's id: the given id or the project code. */
export function memberId(member: PortfolioMember): string {
  return member.id ?? member.scenario.project.code;
}

/** The error for a portfolio that lists one member id twice (two scenarios of one project). */
export function duplicateMember(id: string): DomainError {
  return new DomainError(
    'duplicate-member',
    `Project ${id} appears twice in the portfolio: pick one scenario per project`,
    { memberId: id },
  );
}

/**
 * Expands a fiscal-section amount into yuan by calendar year.
 * `annualYuan` covers every year of its `phase` in the scenario's timeline; `byYear` is taken as given.
 */
export function fiscalAmountsByYear(
  amounts: FiscalAmounts | undefined,
  scenario: Scenario,
): Map<number, Dec> {
  const out = new Map<number, Dec>();
  if (!amounts) return out;
  if (amounts.annualYuan !== undefined) {
    const { startYear, constructionYears, operationYears } = scenario.timeline;
    const from = amounts.phase === 'operation' ? startYear + constructionYears : startYear;
    const to =
      amounts.phase === 'construction'
        ? startYear + constructionYears - 1
        : startYear + constructionYears + operationYears - 1;
    const amount = new Dec(amounts.annualYuan);
    for (let y = from; y <= to; y++) out.set(y, amount);
  }
  for (const row of amounts.byYear) out.set(row.year, new Dec(row.amountYuan));
  return out;
}

/**
 * The risk-bearing cost by calendar year: computed from the risk register when the scenario has
 * one (src/domain/fiscal/risk-bearing.ts; the schema then refuses typed `fiscal.riskBearing`),
 * else `fiscal.riskBearing` as typed.
 */
export function riskBearingByYear(scenario: Scenario, result: SimulationResult): Map<number, Dec> {
  const amounts = registerRiskBearing(scenario, fiscalLedger(result));
  if (!amounts) return fiscalAmountsByYear(scenario.fiscal?.riskBearing, scenario);
  return new Map(amounts.map((y) => [y.year, y.amount]));
}

function emptyDetail(): ObligationDetail {
  return {
    governmentEquity: ZERO,
    guidedFundEquity: ZERO,
    operatingSubsidy: ZERO,
    availabilityPayment: ZERO,
    operatingShortfallSupport: ZERO,
    constructionShortfallSupport: ZERO,
    investmentSubsidy: ZERO,
    concessionInvestmentSupport: ZERO,
    riskBearing: ZERO,
    supportingInvestment: ZERO,
  };
}

/** Whether obligations count a new-mechanism concession's investment support (default: no). */
export interface ObligationOptions {
  countConcessionInvestmentSupport?: boolean;
}

/**
 * True for PPP and concession projects under the new mechanism (approved from 2024-05-01):
 * 国办函〔2023〕115号 makes every new PPP a concession, so `delivery` 'ppp' approved then counts too.
 */
export function isNewMechanismConcession(scenario: Scenario): boolean {
  return isPppProject(scenario) && scenario.project.approvalDate >= NEW_MECHANISM_FROM;
}

/**
 * Groups the detail into the four MoF components; the total is their exact sum. A concession's
 * investment support enters `supportingInvestment` only when `options` count it.
 */
export function componentsOf(
  d: ObligationDetail,
  options: ObligationOptions = {},
): ObligationComponents {
  const equityContribution = plus(d.governmentEquity, d.guidedFundEquity);
  const operatingSubsidy = plus(
    plus(d.operatingSubsidy, d.availabilityPayment),
    d.operatingShortfallSupport,
  );
  const riskBearing = d.riskBearing;
  const supportingInvestment = plus(
    plus(plus(d.investmentSubsidy, d.constructionShortfallSupport), d.supportingInvestment),
    options.countConcessionInvestmentSupport ? d.concessionInvestmentSupport : ZERO,
  );
  return {
    equityContribution,
    operatingSubsidy,
    riskBearing,
    supportingInvestment,
    total: plus(
      plus(plus(equityContribution, operatingSubsidy), riskBearing),
      supportingInvestment,
    ),
  };
}

/**
 * a + b, exactly; most of a year's components are 0, and adding 0 needs no new Decimal (a zero
 * sum is always ZERO, never −0, as Decimal's own addition gives).
 */
const plus = (a: Dec, b: Dec): Dec =>
  b.isZero() ? (a.isZero() ? ZERO : a) : a.isZero() ? b : a.plus(b);

function detailOfLedgerYear(y: FiscalLedgerYear, concession: boolean): ObligationDetail {
  const g = y.government;
  const d = emptyDetail();
  d.governmentEquity = g['government-equity'];
  d.guidedFundEquity = g['guided-fund-equity'];
  d.operatingSubsidy = g['operating-subsidy'];
  d.availabilityPayment = g['availability-payment'];
  if (y.phase === 'operation') d.operatingShortfallSupport = g['shortfall-support'];
  else d.constructionShortfallSupport = g['shortfall-support'];
  const investment = g.budget.plus(g['construction-subsidy']);
  if (concession) d.concessionInvestmentSupport = investment;
  else d.investmentSubsidy = investment;
  return d;
}

/**
 * The government's obligations of one scenario by calendar year, whatever its delivery model
 * (callers decide what counts: the affordability cap counts PPP and concession projects only).
 * Years: the ledger's years plus any year the fiscal section names outside them, ascending.
 *
 * A new-mechanism concession's budget and construction-subsidy funding is its
 * `concessionInvestmentSupport`, counted in `supportingInvestment` only when
 * `thresholds.countConcessionInvestmentSupport` is true (default false).
 * @param thresholds the jurisdiction's thresholds (only `countConcessionInvestmentSupport` is read)
 */
export function governmentObligations(
  scenario: Scenario,
  result: SimulationResult,
  thresholds: Pick<JurisdictionThresholds, 'countConcessionInvestmentSupport'> = {
    countConcessionInvestmentSupport: false,
  },
): ObligationYear[] {
  const byYear = new Map<number, ObligationDetail>();
  const concession = isNewMechanismConcession(scenario);
  for (const y of fiscalLedger(result)) byYear.set(y.year, detailOfLedgerYear(y, concession));
  const add = (amounts: Map<number, Dec>, key: 'riskBearing' | 'supportingInvestment') => {
    for (const [year, amount] of amounts) {
      let d = byYear.get(year);
      if (!d) {
        d = emptyDetail();
        byYear.set(year, d);
      }
      d[key] = d[key].plus(amount);
    }
  };
  add(riskBearingByYear(scenario, result), 'riskBearing');
  add(fiscalAmountsByYear(scenario.fiscal?.supportingInvestment, scenario), 'supportingInvestment');
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, detail]) => ({
      year,
      detail,
      components: componentsOf(detail, {
        countConcessionInvestmentSupport: thresholds.countConcessionInvestmentSupport,
      }),
    }));
}

/** One year's obligations in integer fen (see `governmentObligationsFen`). */
export interface ObligationYearFen {
  year: number;
  /** equityContribution, operatingSubsidy, riskBearing, supportingInvestment, total (fen). */
  components: [Fen, Fen, Fen, Fen, Fen];
  /** `detail.concessionInvestmentSupport`, fen. */
  support: Fen;
}

const GOV = Object.fromEntries(GOVERNMENT_INSTRUMENTS.map((k, i) => [k, i])) as Record<
  (typeof GOVERNMENT_INSTRUMENTS)[number],
  number
>;

/** A scenario's fiscal-section amounts by year in fen; null when one is not whole fen. */
type FiscalFen = { riskBearing: Map<number, Fen>; supporting: Map<number, Fen> } | null;
const fiscalFenCache = new WeakMap<Scenario, FiscalFen>();

function toFenMap(amounts: Map<number, Dec>): Map<number, Fen> | null {
  const out = new Map<number, Fen>();
  for (const [year, amount] of amounts) {
    const fen = fenOrNull(amount);
    if (fen === null) return null;
    out.set(year, fen);
  }
  return out;
}

/** The typed `fiscal.riskBearing` and `fiscal.supportingInvestment` in fen, read once per scenario. */
function fiscalFenOf(scenario: Scenario): FiscalFen {
  let f = fiscalFenCache.get(scenario);
  if (f === undefined) {
    const riskBearing = toFenMap(fiscalAmountsByYear(scenario.fiscal?.riskBearing, scenario));
    const supporting = toFenMap(
      fiscalAmountsByYear(scenario.fiscal?.supportingInvestment, scenario),
    );
    f = riskBearing && supporting ? { riskBearing, supporting } : null;
    fiscalFenCache.set(scenario, f);
  }
  return f;
}

/** a + b + … of safe integers, or NaN once a partial sum is not a safe integer. */
function safeSum(...xs: number[]): number {
  let total = 0;
  for (const x of xs) {
    total += x;
    if (!Number.isSafeInteger(total)) return NaN;
  }
  return total;
}

/** One ledger year's components in fen, with the fiscal section's amounts of the year. */
function fenYear(
  y: GovernmentFenYear | undefined,
  year: number,
  concession: boolean,
  count: boolean,
  rb: Fen,
  si: Fen,
): ObligationYearFen {
  const g = y?.byInstrument;
  const at = (k: keyof typeof GOV): Fen => (g ? (g[GOV[k]] as Fen) : 0);
  const shortfall = at('shortfall-support');
  const operationShortfall = y && !y.construction ? shortfall : 0;
  const constructionShortfall = y && y.construction ? shortfall : 0;
  const investment = safeSum(at('budget'), at('construction-subsidy'));
  const support = concession ? investment : 0;
  const equity = safeSum(at('government-equity'), at('guided-fund-equity'));
  const operating = safeSum(
    at('operating-subsidy'),
    at('availability-payment'),
    operationShortfall,
  );
  const supporting = safeSum(
    concession ? 0 : investment,
    constructionShortfall,
    si,
    count ? support : 0,
  );
  const total = safeSum(equity, operating, rb, supporting);
  return { year, components: [equity, operating, rb, supporting, total], support };
}

/**
 * A risk register's figures by year in fen (`registerRiskBearing`, already half-up to fen). The
 * probability and scenario methods read the scenario alone: computed once per scenario. The
 * proportion method reads the run's opex: computed per result. Null when one is not whole fen.
 */
const registerFenCache = new WeakMap<Scenario, Map<number, Fen> | null>();
function registerFen(scenario: Scenario, result: SimulationResult): Map<number, Fen> | null {
  const of = (ledger: readonly FiscalLedgerYear[]) =>
    toFenMap(new Map((registerRiskBearing(scenario, ledger) ?? []).map((y) => [y.year, y.amount])));
  if (scenario.risks?.method === 'proportion') return of(fiscalLedger(result));
  let f = registerFenCache.get(scenario);
  if (f === undefined) {
    f = of([]);
    registerFenCache.set(scenario, f);
  }
  return f;
}

/**
 * `governmentObligations` in integer fen, from a fresh run's `governmentFen`: the same years and
 * figures × 100, exactly (every sum a safe integer). A risk register's figures come from
 * `registerRiskBearing` as in the Decimal path. Null where it does not apply, and the Decimal
 * path decides: a result read back from storage, a fiscal-section or register amount that is not
 * whole fen, a sum past 2^53.
 */
export function governmentObligationsFen(
  scenario: Scenario,
  result: SimulationResult,
  thresholds: Pick<JurisdictionThresholds, 'countConcessionInvestmentSupport'>,
): ObligationYearFen[] | null {
  const ledger = result.governmentFen;
  if (!ledger) return null;
  const typed = fiscalFenOf(scenario);
  if (!typed) return null;
  // The schema refuses a typed `fiscal.riskBearing` next to a register.
  const register = scenario.risks ? registerFen(scenario, result) : typed.riskBearing;
  if (!register) return null;
  const fiscal = { riskBearing: register, supporting: typed.supporting };
  const concession = isNewMechanismConcession(scenario);
  const count = thresholds.countConcessionInvestmentSupport;
  const years = new Map<number, GovernmentFenYear | undefined>();
  for (const y of ledger) years.set(y.year, y);
  for (const year of fiscal.riskBearing.keys()) if (!years.has(year)) years.set(year, undefined);
  for (const year of fiscal.supporting.keys()) if (!years.has(year)) years.set(year, undefined);
  const out: ObligationYearFen[] = [];
  for (const [year, y] of [...years.entries()].sort(([a], [b]) => a - b)) {
    const rb = fiscal.riskBearing.get(year) ?? 0;
    const si = fiscal.supporting.get(year) ?? 0;
    const row = fenYear(y, year, concession, count, rb, si);
    if (row.components.some((c) => c !== c) || row.support !== row.support) return null;
    out.push(row);
  }
  return out;
}

/**
 * The payment mechanism (付费机制): as given in `fiscal.paymentMechanism`, otherwise derived:
 * an availability payment, or government payments with no user revenue, make it government-pay;
 * other government payments (operating subsidy, operating shortfall support) make it
 * viability-gap; none make it user-pay.
 */
export function paymentMechanism(scenario: Scenario, result: SimulationResult): PaymentMechanism {
  if (scenario.fiscal?.paymentMechanism) return scenario.fiscal.paymentMechanism;
  const operation = result.ledger.filter((y) => y.phase === 'operation');
  const paid = (pick: (y: LedgerYear) => Dec) => operation.some((y) => pick(y).gt(0));
  const availability =
    scenario.government.availabilityPayment !== undefined || paid((y) => y.availabilityPayment);
  const support = paid((y) => y.operatingSubsidy) || paid((y) => y.shortfallByGovernment);
  const userRevenue = paid((y) => y.revenues.reduce((a, b) => a.plus(b), ZERO));
  if (availability || (support && !userRevenue)) return 'government-pay';
  return support ? 'viability-gap' : 'user-pay';
}

/** Funding sources whose draws or contributions are government obligations. */
const GOVERNMENT_FUNDED = new Set<string>([
  'budget',
  'construction-subsidy',
  'guided-fund-equity',
  'government-equity',
]);

/**
 * True when the scenario's `governmentObligations` are the same for every run of it under a
 * revenue, capex or opex factor (README "Portfolio risk"): the government funds nothing (no
 * budget, construction-subsidy, guided-fund or government equity source), pays no operating
 * subsidy or availability payment, does not cover shortfalls (`shortfall` is not 'government')
 * and has no proportion-method risk register (which reads the run's opex). What is left are the
 * fiscal section's amounts and a register's scenario-only figures. Not true for a construction
 * delay, which moves the ledger's years.
 */
export function obligationsIndependentOfFactors(scenario: Scenario): boolean {
  return (
    !scenario.funding.sources.some((s) => GOVERNMENT_FUNDED.has(s.type)) &&
    !scenario.government.operatingSubsidy &&
    !scenario.government.availabilityPayment &&
    scenario.shortfall !== 'government' &&
    scenario.risks?.method !== 'proportion'
  );
}
