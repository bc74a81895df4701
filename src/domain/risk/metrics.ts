import { Dec } from '../decimal';
import { RiskInputError } from './errors';
import type { SimulationResult } from '../engine/types';
import { assessAffordability } from '../fiscal/affordability';
import type { BudgetForecast } from '../fiscal/budget';
import { memberId, type PortfolioMember } from '../fiscal/obligations';
import type { JurisdictionThresholds } from '../fiscal/thresholds';
import type { Scenario } from '../scenario/schema';

/**
 * The metrics a risk analysis reads from a run (README "Risk metrics"): the engine's metric names,
 * plus `equityIrr` (the first equity holder) and `equityIrr:SOURCE-ID` (one holder).
 */
export const BASE_METRICS = [
  'equityIrr',
  'projectNpv',
  'projectIrr',
  'dscrMin',
  'llcr',
  'bondCoverage',
  'governmentNpv',
] as const;
export type BaseMetric = (typeof BASE_METRICS)[number];

/**
 * The portfolio's peak yearly ratio of PPP obligations to the general public budget with the
 * scenario in its project's place (README "Risk metrics"): a metric of the deterministic
 * analyses (tornado, spider, data table, break-even) only, given a `PortfolioContext`.
 */
export const PEAK_PPP_RATIO = 'peakPppRatio';
/** Every metric a deterministic analysis accepts. */
export type AnalysisMetric = BaseMetric | typeof PEAK_PPP_RATIO;

/** How a metric is measured: money in yuan, a rate (fraction per year) or a ratio (×). */
export type MetricUnit = 'yuan' | 'rate' | 'ratio';

export const METRIC_UNITS: Record<BaseMetric, MetricUnit> = {
  equityIrr: 'rate',
  projectNpv: 'yuan',
  projectIrr: 'rate',
  dscrMin: 'ratio',
  llcr: 'ratio',
  bondCoverage: 'ratio',
  governmentNpv: 'yuan',
};

/** The units of every analysis metric (the portfolio's peak PPP ratio is a ratio, 6 dp). */
export const ANALYSIS_METRIC_UNITS: Record<AnalysisMetric, MetricUnit> = {
  ...METRIC_UNITS,
  [PEAK_PPP_RATIO]: 'ratio',
};

/**
 * The rest of a portfolio a `peakPppRatio` is measured in (the fiscal report's inputs): its
 * members with their results, budget forecast, thresholds and other obligations. A member of
 * the analysed scenario's project is left out: the scenario takes its place.
 */
export interface PortfolioContext {
  members: readonly PortfolioMember[];
  budget: BudgetForecast;
  thresholds: JurisdictionThresholds;
  otherObligations: ReadonlyArray<{ year: number; amountYuan: string }>;
}

/** What a metric may need beside the scenario's own run. */
export interface MetricContext {
  portfolio?: PortfolioContext;
}

/**
 * How close a break-even must come to its target: 0.01 yuan, 10⁻⁶ of a rate (0.0001 %; fen rounding makes a rate move in steps of about 10⁻⁸), 10⁻⁶ of
 * a ratio (the engine reports ratios to 6 dp).
 */
export const METRIC_TOLERANCE: Record<MetricUnit, Dec> = {
  yuan: new Dec('0.01'),
  rate: new Dec('0.000001'),
  ratio: new Dec('0.000001'),
};

export interface MetricName {
  name: string;
  base: AnalysisMetric;
  /** The equity source id of `equityIrr:SOURCE-ID`; null for every other metric. */
  holder: string | null;
  unit: MetricUnit;
}

const isBase = (s: string): s is BaseMetric => (BASE_METRICS as readonly string[]).includes(s);

/**
 * Reads a metric name against a scenario; `peakPppRatio` needs a portfolio in the context.
 * @throws RiskInputError `unknown-metric` for a name outside the list, an id that is not an
 *   equity source, or `peakPppRatio` without a portfolio with a budget forecast
 */
export function parseMetricName(
  name: string,
  scenario: Scenario,
  context: MetricContext = {},
): MetricName {
  if (name === PEAK_PPP_RATIO) {
    if (!context.portfolio)
      throw new RiskInputError(
        'unknown-metric',
        'metric',
        'peakPppRatio needs a portfolio with fiscal settings (a budget forecast) that the project can be measured in',
      );
    return { name, base: PEAK_PPP_RATIO, holder: null, unit: 'ratio' };
  }
  const colon = name.indexOf(':');
  const base = colon < 0 ? name : name.slice(0, colon);
  const holder = colon < 0 ? null : name.slice(colon + 1);
  if (!isBase(base) || (holder !== null && base !== 'equityIrr')) {
    throw new RiskInputError('unknown-metric', 'metric', `Unknown metric "${name}"`);
  }
  if (holder !== null) {
    const source = scenario.funding.sources.find((s) => s.id === holder);
    if (!source || source.debt) {
      throw new RiskInputError(
        'unknown-metric',
        'metric',
        `No equity source has the id "${holder}"`,
      );
    }
  }
  return { name, base, holder, unit: METRIC_UNITS[base] };
}

/**
 * The metric names a Monte Carlo reports for a scenario: every base metric (`equityIrr` only with
 * an equity holder), then
 * `equityIrr:SOURCE-ID` per equity holder when there is more than one.
 */
export function reportedMetrics(result: SimulationResult): string[] {
  const holders = result.equityHolders.map((h) => `equityIrr:${h.id}`);
  const base = BASE_METRICS.filter((m) => m !== 'equityIrr' || holders.length > 0);
  return [...base, ...(holders.length > 1 ? holders : [])];
}

/**
 * A metric's value in a run: exact Decimal, or null where it does not exist (no debt service for
 * a DSCR, no bonds for coverage, no equity holder, an IRR without a solution).
 */
export function metricValue(result: SimulationResult, metric: MetricName | string): Dec | null {
  const name = typeof metric === 'string' ? metric : metric.name;
  const colon = name.indexOf(':');
  const base = colon < 0 ? name : name.slice(0, colon);
  const m = result.metrics;
  switch (base) {
    case 'equityIrr': {
      const id = colon < 0 ? result.equityHolders[0]?.id : name.slice(colon + 1);
      return m.equity.find((e) => e.sourceId === id)?.irr.rate ?? null;
    }
    case 'projectNpv':
      return m.projectNpv;
    case 'projectIrr':
      return m.projectIrr.rate;
    case 'dscrMin':
      return m.dscrMin;
    case 'llcr':
      return m.llcr;
    case 'bondCoverage':
      return m.bondCoverage;
    case 'governmentNpv':
      return m.governmentNpv;
    default:
      throw new RiskInputError('unknown-metric', 'metric', `Unknown metric "${name}"`);
  }
}

/**
 * The portfolio's peak PPP ratio (6 dp, the fiscal report's `assessAffordability`) with this
 * scenario and result replacing its project's member, or added when its project is not one;
 * null when no year has a budget figure.
 */
export function peakPppRatio(
  scenario: Scenario,
  result: SimulationResult,
  portfolio: PortfolioContext,
): Dec | null {
  const code = scenario.project.code;
  const members = [...portfolio.members.filter((m) => memberId(m) !== code), { scenario, result }];
  const report = assessAffordability(members, portfolio.budget, portfolio.thresholds, {
    otherObligations: portfolio.otherObligations,
  });
  return report.peak?.ratio ?? null;
}

/** A metric of a run of `scenario`: `metricValue`, or the peak PPP ratio from the context. */
export function metricOf(
  scenario: Scenario,
  result: SimulationResult,
  metric: MetricName,
  context: MetricContext = {},
): Dec | null {
  if (metric.base !== PEAK_PPP_RATIO) return metricValue(result, metric);
  if (!context.portfolio)
    throw new RiskInputError('unknown-metric', 'metric', 'peakPppRatio needs a portfolio');
  return peakPppRatio(scenario, result, context.portfolio);
}
