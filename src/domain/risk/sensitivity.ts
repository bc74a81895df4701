import { Dec } from '../decimal';
import { FundMixError } from '../errors';
import { simulate } from '../engine/simulate';
import type { Overrides } from '../engine/types';
import type { Scenario } from '../scenario/schema';
import {
  checkDriverValue,
  defaultDrivers,
  overridesOf,
  parseDriverName,
  type DriverName,
} from './drivers';
import { metricOf, parseMetricName, type MetricContext, type MetricName } from './metrics';

/**
 * A metric at some overrides; null where the metric does not exist or the run is refused.
 * `context` carries what a portfolio metric (`peakPppRatio`) is measured in.
 */
export function metricAt(
  scenario: Scenario,
  metric: MetricName,
  overrides: Overrides,
  context: MetricContext = {},
): Dec | null {
  try {
    return metricOf(scenario, simulate(scenario, { overrides }), metric, context);
  } catch (err) {
    // A run the engine refuses (e.g. a delay that leaves no operation) has no metric.
    if (err instanceof FundMixError && err.code === 'invalid-override') return null;
    throw err;
  }
}

/** A metric at one driver value. */
export function metricAtDriver(
  scenario: Scenario,
  metric: MetricName,
  driver: DriverName,
  value: Dec,
  context: MetricContext = {},
): Dec | null {
  return metricAt(scenario, metric, overridesOf([{ driver, value }]), context);
}

export interface DriverRange {
  driver: string;
  /** Defaults: the catalogue's low / high (README "Risk drivers"). */
  low?: Dec;
  high?: Dec;
}

export interface SensitivityRow {
  driver: string;
  low: Dec;
  high: Dec;
  atLow: Dec | null;
  atHigh: Dec | null;
  /** |atHigh − atLow|; null when either end has no value. */
  swing: Dec | null;
}

export interface Sensitivity {
  metric: string;
  base: Dec | null;
  /** Ranked by swing, largest first; rows without a swing last; ties keep the request's order. */
  drivers: SensitivityRow[];
}

/** The drivers of a request read against the scenario, with their low / high checked. */
export function readRanges(
  scenario: Scenario,
  ranges: readonly DriverRange[] | undefined,
): Array<{ driver: DriverName; low: Dec; high: Dec }> {
  const list: readonly DriverRange[] =
    ranges ?? defaultDrivers(scenario).map((d) => ({ driver: d.name }));
  return list.map((r) => {
    const driver = parseDriverName(r.driver, scenario);
    const low = r.low ?? driver.kind.low;
    const high = r.high ?? driver.kind.high;
    checkDriverValue(driver, low, 'low');
    checkDriverValue(driver, high, 'high');
    return { driver, low, high };
  });
}

/**
 * One-at-a-time sensitivity (tornado): each driver at its low and at its high value, every other
 * input as in the scenario, and the metric at each end.
 * @throws RiskInputError `unknown-driver`, `unknown-metric`, `driver-out-of-range`
 */
export function sensitivity(
  scenario: Scenario,
  metricName: string,
  ranges?: readonly DriverRange[],
  context: MetricContext = {},
): Sensitivity {
  const metric = parseMetricName(metricName, scenario, context);
  const rows = readRanges(scenario, ranges).map(({ driver, low, high }): SensitivityRow => {
    const atLow = metricAtDriver(scenario, metric, driver, low, context);
    const atHigh = metricAtDriver(scenario, metric, driver, high, context);
    const swing = atLow && atHigh ? atHigh.minus(atLow).abs() : null;
    return { driver: driver.name, low, high, atLow, atHigh, swing };
  });
  const ranked = rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      if (a.row.swing && b.row.swing) return b.row.swing.comparedTo(a.row.swing) || a.i - b.i;
      if (a.row.swing) return -1;
      if (b.row.swing) return 1;
      return a.i - b.i;
    })
    .map((x) => x.row);
  return {
    metric: metric.name,
    base: metricAt(scenario, metric, {}, context),
    drivers: ranked,
  };
}

/**
 * `steps` evenly spaced values from low to high inclusive (whole years for a `years` driver,
 * without repeats).
 */
export function stepValues(driver: DriverName, low: Dec, high: Dec, steps: number): Dec[] {
  const values: Dec[] = [];
  const add = (v: Dec) => {
    if (!values.some((x) => x.eq(v))) values.push(v);
  };
  for (let i = 0; i < steps; i++) {
    const v = low.plus(
      high
        .minus(low)
        .times(i)
        .div(steps - 1),
    );
    add(driver.kind.unit === 'years' ? v.toDecimalPlaces(0) : v);
  }
  return values;
}

export interface SpiderLine {
  driver: string;
  points: Array<{ value: Dec; metric: Dec | null }>;
}

/** Spider chart data: each driver over `steps` values from its low to its high. */
export function spider(
  scenario: Scenario,
  metricName: string,
  ranges?: readonly DriverRange[],
  steps = 5,
  context: MetricContext = {},
): { metric: string; base: Dec | null; lines: SpiderLine[] } {
  const metric = parseMetricName(metricName, scenario, context);
  const lines = readRanges(scenario, ranges).map(({ driver, low, high }) => ({
    driver: driver.name,
    points: stepValues(driver, low, high, steps).map((value) => ({
      value,
      metric: metricAtDriver(scenario, metric, driver, value, context),
    })),
  }));
  return { metric: metric.name, base: metricAt(scenario, metric, {}, context), lines };
}

export interface DataTable {
  metric: string;
  rows: { driver: string; values: Dec[] };
  columns: { driver: string; values: Dec[] };
  /** cells[i][j]: the metric with the row driver at values[i] and the column driver at values[j]. */
  cells: Array<Array<Dec | null>>;
}

/**
 * A two-way data table: the metric over every pair of a row driver's and a column driver's values
 * (both applied together, e.g. equity IRR over capex × revenue factors).
 */
export function dataTable(
  scenario: Scenario,
  metricName: string,
  row: { driver: string; values: readonly Dec[] },
  column: { driver: string; values: readonly Dec[] },
  context: MetricContext = {},
): DataTable {
  const metric = parseMetricName(metricName, scenario, context);
  const rd = parseDriverName(row.driver, scenario);
  const cd = parseDriverName(column.driver, scenario);
  const cells = row.values.map((rv) =>
    column.values.map((cv) =>
      metricAt(
        scenario,
        metric,
        overridesOf([
          { driver: rd, value: rv },
          { driver: cd, value: cv },
        ]),
        context,
      ),
    ),
  );
  return {
    metric: metric.name,
    rows: { driver: rd.name, values: [...row.values] },
    columns: { driver: cd.name, values: [...column.values] },
    cells,
  };
}
