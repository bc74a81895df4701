import { Dec } from '../decimal';
import { RiskInputError } from './errors';
import type { SimulationResult } from '../engine/types';
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
  base: BaseMetric;
  /** The equity source id of `equityIrr:SOURCE-ID`; null for every other metric. */
  holder: string | null;
  unit: MetricUnit;
}

const isBase = (s: string): s is BaseMetric => (BASE_METRICS as readonly string[]).includes(s);

/**
 * Reads a metric name against a scenario.
 * @throws RiskInputError `unknown-metric` for a name outside the list or an id that is not an equity source
 */
export function parseMetricName(name: string, scenario: Scenario): MetricName {
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
