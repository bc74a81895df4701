import { Dec } from '../decimal';
import { simulate } from '../engine/simulate';
import type { Scenario } from '../scenario/schema';
import { averageRanks, pearson } from './correlation';
import { applyDriver, parseDriverName, type DriverKind, type DriverName } from './drivers';
import { decOfScaled, roundHalfFloat } from '../fen';
import { quantileFunction, type Distribution } from './distributions';
import { uniformStream } from './random';
import type { Overrides } from '../engine/types';
import { metricValue, reportedMetrics } from './metrics';
import { drawRevenuePaths, drawSamples, PATHS_STREAM } from './sampling';
import { correlationMatrix, type ReadSpec, type RiskSpec } from './spec';
import {
  cdfPoints,
  histogram,
  probability,
  summarise,
  summariseTexts,
  type CdfPoint,
  type Histogram,
} from './stats';

/**
 * Places a sampled value keeps when it becomes the Decimal the engine runs with (half-up, after
 * clamping to the driver's range): 8 for factors, shifts and shares, 4 for basis points, 0 for years.
 */
export const SAMPLE_PLACES = { factor: 8, shift: 8, share: 8, bp: 4, years: 0 } as const;

/**
 * A sampled float as the driver value a trial runs with (README "Monte Carlo"): its 17
 * significant digits, clamped to the driver's range, to `SAMPLE_PLACES` half-up.
 */
export function driverValue(driver: DriverName, x: number): Dec {
  return driverValueFast(driver.kind, x) ?? driverValueExact(driver.kind, x);
}

/** `driverValue` by its definition, in Decimal. */
export function driverValueExact(kind: DriverKind, x: number): Dec {
  const v = new Dec(x.toPrecision(17));
  const clamped = v.lt(kind.min) ? kind.min : v.gt(kind.max) ? kind.max : v;
  return clamped.toDecimalPlaces(SAMPLE_PLACES[kind.unit]);
}

/** A driver kind's range as floats, read once per kind. */
const rangeFloats = new WeakMap<DriverKind, [number, number]>();

/**
 * `driverValue` in floats when that is provably the same: x well inside the range (so clamping
 * does nothing), and x · 10^places not within its error bound of a rounding midpoint. The 17
 * digits are within 5·10^−17 of x (relative), the product within one more rounding: 4·10^−16
 * covers both. Null otherwise (and for a value rounding to 0, whose sign the Decimal keeps).
 */
function driverValueFast(kind: DriverKind, x: number): Dec | null {
  let range = rangeFloats.get(kind);
  if (range === undefined) {
    range = [kind.min.toNumber(), kind.max.toNumber()];
    rangeFloats.set(kind, range);
  }
  const [lo, hi] = range;
  if (!(x - lo > 1e-9 * (1 + Math.abs(lo)) && hi - x > 1e-9 * (1 + Math.abs(hi)))) return null;
  const places = SAMPLE_PLACES[kind.unit];
  const y = x * 10 ** places;
  const n = roundHalfFloat(y, 4e-16 * Math.abs(y));
  return n === null || n === 0 ? null : decOfScaled(n, places);
}

/**
 * Every trial's sampled driver values (one column per driver of the spec, in its order), from
 * the spec and the seed alone: the same spec, trials and seed give the same columns however the
 * trials are later split among workers.
 */
export function sampleColumns(spec: RiskSpec, trials: number, seed: number): Float64Array[] {
  return drawSamples({
    distributions: spec.drivers.map((d) => d.distribution),
    trials,
    seed,
    latinHypercube: spec.latinHypercube,
    correlation: correlationMatrix(spec) ?? undefined,
  });
}

/** A risk of the register as a Monte Carlo event: it occurs with its probability, then moves its driver. */
export interface RiskEvent {
  id: string;
  driver: DriverName;
  probability: number;
  impact: Distribution;
}

/** First uniform stream of the events: event k uses stream EVENT_STREAM + 2k (occurs?) and + 2k + 1 (impact). */
export const EVENT_STREAM = 5000;

/** The register's risks that have a `monteCarlo` part, in register order (none when `events` is off). */
export function riskEvents(scenario: Scenario, spec: RiskSpec): RiskEvent[] {
  if (!spec.events) return [];
  return (scenario.risks?.items ?? []).flatMap((item) =>
    item.monteCarlo
      ? [
          {
            id: item.id,
            driver: parseDriverName(item.monteCarlo.driver, scenario),
            probability: Number(item.probability),
            impact: {
              kind: 'triangular' as const,
              min: Number(item.monteCarlo.impact.min),
              mode: Number(item.monteCarlo.impact.mode),
              max: Number(item.monteCarlo.impact.max),
            },
          },
        ]
      : [],
  );
}

/**
 * Each event's value in every trial: NaN where it does not occur (uniform u ≥ probability), else
 * its impact drawn by inverse CDF from an independent stream (then clamped and rounded like a
 * driver's value).
 */
export function sampleEvents(
  events: readonly RiskEvent[],
  trials: number,
  seed: number,
): Float64Array[] {
  return events.map((e, k) => {
    const occurs = uniformStream(seed, EVENT_STREAM + 2 * k);
    const impact = uniformStream(seed, EVENT_STREAM + 2 * k + 1);
    const q = quantileFunction(e.impact);
    const out = new Float64Array(trials);
    for (let i = 0; i < trials; i++) {
      const u = occurs();
      const v = q(impact());
      out[i] = u < e.probability ? v : NaN;
    }
    return out;
  });
}

/**
 * Every trial's revenue path factors: per path p of the spec (stream PATHS_STREAM + p), trials ×
 * the scenario's operation years, row-major (see `drawRevenuePaths`); none without paths.
 */
export function samplePaths(
  spec: RiskSpec,
  scenario: Scenario,
  trials: number,
  seed: number,
): Float64Array[] {
  return (spec.paths ?? []).map((p, k) =>
    drawRevenuePaths({
      trials,
      years: scenario.timeline.operationYears,
      seed,
      sd: p.sd,
      phi: p.model === 'ar1' ? p.phi : 1,
      start: p.start,
      streamIndex: PATHS_STREAM + k,
    }),
  );
}

/** Trials' revenue paths: each path's driver and its factors (trials × `years`, row-major). */
export interface TrialPaths {
  drivers: readonly DriverName[];
  years: number;
  columns: readonly Float64Array[];
}

/**
 * Applies trial i's revenue paths as year factors: each factor turned into a driver value
 * (`driverValue`: clamped to the revenue driver's range, 8 places half-up).
 */
function applyPaths(o: Overrides, paths: TrialPaths, i: number): Overrides {
  paths.drivers.forEach((d, k) => {
    const row = paths.columns[k]!.subarray(i * paths.years, (i + 1) * paths.years);
    const factors = Array.from(row, (x) => driverValue(d, x));
    o =
      d.target === null
        ? { ...o, revenueYearFactors: factors }
        : { ...o, streamYearFactors: { ...o.streamYearFactors, [d.target]: factors } };
  });
  return o;
}

/** What trials [from, to) gave: metric values (exact decimal text), arrears and per-year figures. */
export interface TrialBlock {
  from: number;
  to: number;
  /** values[m][i]: metric m of trial from + i; null where it has no value. */
  values: Array<Array<string | null>>;
  /** 1 where some year has new debt arrears or an operating deficit nobody funds. */
  arrears: Uint8Array;
  /** Per trial, per ledger year (row-major): CFADS in yuan and DSCR, as floats for the fan chart. */
  cfadsYuan: Float64Array;
  dscr: Float64Array;
  years: number[];
}

/**
 * Runs trials [from, to) of a Monte Carlo: trial i applies every driver at its value in
 * `columns[k][i - from]` (see `driverValue`) through the engine's overrides.
 */
export function runTrials(
  scenario: Scenario,
  drivers: readonly DriverName[],
  columns: readonly Float64Array[],
  metrics: readonly string[],
  from: number,
  events: { drivers: readonly DriverName[]; columns: readonly Float64Array[] } = {
    drivers: [],
    columns: [],
  },
  paths: TrialPaths = { drivers: [], years: 0, columns: [] },
): TrialBlock {
  const n = columns[0]?.length ?? 0;
  const values = metrics.map(() => new Array<string | null>(n));
  const arrears = new Uint8Array(n);
  const span = scenario.timeline.constructionYears + scenario.timeline.operationYears;
  const cfadsYuan = new Float64Array(n * span);
  const dscr = new Float64Array(n * span);
  let years: number[] = [];
  for (let i = 0; i < n; i++) {
    let o: Overrides = {};
    drivers.forEach((d, k) => (o = applyDriver(o, d, driverValue(d, columns[k]![i]!))));
    events.drivers.forEach((d, k) => {
      const x = events.columns[k]![i]!;
      if (!Number.isNaN(x)) o = applyDriver(o, d, driverValue(d, x));
    });
    if (paths.drivers.length > 0) o = applyPaths(o, paths, i);
    const result = simulate(scenario, { overrides: o });
    metrics.forEach((m, j) => (values[j]![i] = metricValue(result, m)?.toString() ?? null));
    const y = result.yearly!;
    years = y.years;
    for (let t = 0; t < span; t++) {
      cfadsYuan[i * span + t] = (y.cfadsFen[t] ?? 0) / 100;
      const micro = y.dscrMicro[t];
      dscr[i * span + t] = micro === null || micro === undefined ? NaN : micro / 1e6;
      if ((y.arrearsFen[t] ?? 0) > 0) arrears[i] = 1;
    }
  }
  return { from, to: from + n, values, arrears, cfadsYuan, dscr, years };
}

export interface MetricSummary {
  /** Trials where the metric has a value. */
  count: number;
  mean: string;
  sd: string;
  p5: string;
  p10: string;
  p50: string;
  p90: string;
  p95: string;
  min: string;
  max: string;
}

export interface Probabilities {
  /** min DSCR below the covenant (trials without debt service do not count); null without debt. */
  dscrBelowCovenant: string | null;
  /** equity IRR below the hurdle; a trial whose IRR has no solution counts as below. */
  equityIrrBelowHurdle: string | null;
  /** special-bond coverage below the threshold; null without bonds. */
  bondCoverageBelowThreshold: string | null;
  /** some year with new arrears or an unfunded operating deficit. */
  anyArrears: string;
}

/** The figures of a run, every one reproducible from spec, seed, trials and engine version. */
export interface MonteCarloSummary {
  trials: number;
  seed: number;
  latinHypercube: boolean;
  engineVersion: string;
  drivers: string[];
  /** The register's risks that entered as events, and in how many trials each occurred. */
  events: Array<{ id: string; driver: string; probability: number; occurred: number }>;
  metrics: Record<string, MetricSummary | null>;
  thresholds: { dscrCovenant: string; equityHurdle: string; bondCoverage: string };
  probabilities: Probabilities;
  /** Spearman rank correlation of each driver's values with the metric, largest |rho| first, 4 dp. */
  importance: Record<string, Array<{ driver: string; rho: string }>>;
}

/** Chart data of a run (floats; not part of the summary's hash). */
export interface MonteCarloCharts {
  histograms: Record<string, Histogram>;
  cdf: Record<string, CdfPoint[]>;
  fan: { years: number[]; cfadsYuan: FanBands; dscr: FanBands };
}
export interface FanBands {
  p10: Array<number | null>;
  p50: Array<number | null>;
  p90: Array<number | null>;
}

/** The metric names a run reports for a scenario (see `reportedMetrics`). */
export function runMetrics(scenario: Scenario): string[] {
  return reportedMetrics(simulate(scenario));
}

/** Joins blocks (any order) into whole-run arrays, by trial index. */
export function joinBlocks(blocks: readonly TrialBlock[], metrics: number, trials: number) {
  const values = Array.from({ length: metrics }, () => new Array<string | null>(trials));
  const arrears = new Uint8Array(trials);
  const span = blocks[0]?.years.length ?? 0;
  const cfads = new Float64Array(trials * span);
  const dscr = new Float64Array(trials * span);
  for (const b of blocks) {
    for (let m = 0; m < metrics; m++) b.values[m]!.forEach((v, i) => (values[m]![b.from + i] = v));
    arrears.set(b.arrears, b.from);
    cfads.set(b.cfadsYuan, b.from * span);
    dscr.set(b.dscr, b.from * span);
  }
  return { values, arrears, cfads, dscr, span, years: blocks[0]?.years ?? [] };
}

/** The figures and charts of one metric over a run: what can be built for each metric apart. */
export interface MetricReport {
  summary: MetricSummary | null;
  importance: Array<{ driver: string; rho: string }>;
  histogram: Histogram | null;
  cdf: CdfPoint[] | null;
}

/**
 * One metric's summary, driver importance, histogram and CDF, from its values by trial (null:
 * no value in that trial) and the sampled driver columns.
 */
export function metricReport(
  values: ReadonlyArray<string | null>,
  columns: readonly Float64Array[],
  driverNames: readonly string[],
  driverRanks?: readonly Float64Array[],
): MetricReport {
  const present: number[] = [];
  values.forEach((v, i) => v !== null && present.push(i));
  if (present.length === 0) return { summary: null, importance: [], histogram: null, cdf: null };
  const texts = present.map((i) => values[i]!);
  const floats = texts.map(Number);
  // Spearman's ρ is Pearson's of the ranks: the metric's are ranked once, not once per driver,
  // and the drivers' once per run when every trial has the metric.
  const metricRanks = averageRanks(floats);
  const whole = present.length === values.length;
  const importance = driverNames
    .map((driver, k) => ({
      driver,
      rho: rhoText(
        pearson(
          whole && driverRanks
            ? driverRanks[k]!
            : averageRanks(Float64Array.from(present, (i) => columns[k]![i]!)),
          metricRanks,
        ),
      ),
    }))
    .sort((a, b) => Math.abs(Number(b.rho)) - Math.abs(Number(a.rho)));
  return {
    summary: summaryText(summariseTexts(texts)),
    importance,
    histogram: histogram(floats, 30),
    cdf: cdfPoints(floats),
  };
}

/** The rest of a run's figures: thresholds, probabilities, events, and the fan chart by year. */
export interface RunRest {
  thresholds: MonteCarloSummary['thresholds'];
  probabilities: Probabilities;
  events: MonteCarloSummary['events'];
  fan: MonteCarloCharts['fan'];
}

/** Thresholds, probabilities, event counts and fan bands of a joined run. */
export function runRest(args: {
  scenario: Scenario;
  spec: RiskSpec;
  trials: number;
  metrics: readonly string[];
  /** Only the columns of dscrMin, equityIrr and bondCoverage are read (others may be empty). */
  values: ReadonlyArray<ReadonlyArray<string | null>>;
  arrears: Uint8Array;
  cfads: Float64Array;
  dscr: Float64Array;
  years: number[];
  eventColumns?: readonly Float64Array[];
}): RunRest {
  const { scenario, spec, trials } = args;
  const thresholds = thresholdsOf(scenario, spec);
  const span = args.years.length;
  return {
    thresholds,
    probabilities: probabilitiesOf(args.values, args.metrics, args.arrears, thresholds, trials),
    events: riskEvents(scenario, spec).map((e, k) => ({
      id: e.id,
      driver: e.driver.name,
      probability: e.probability,
      occurred: (args.eventColumns?.[k] ?? []).filter((x) => !Number.isNaN(x)).length,
    })),
    fan: {
      years: args.years,
      cfadsYuan: bands(args.cfads, span, trials),
      dscr: bands(args.dscr, span, trials),
    },
  };
}

/** The summary and charts of a run from its per-metric reports and the rest. */
export function assembleRun(args: {
  read: ReadSpec;
  trials: number;
  seed: number;
  engineVersion: string;
  metrics: readonly string[];
  reports: readonly MetricReport[];
  rest: RunRest;
}): { summary: MonteCarloSummary; charts: MonteCarloCharts } {
  const summaries: Record<string, MetricSummary | null> = {};
  const importance: MonteCarloSummary['importance'] = {};
  const histograms: Record<string, Histogram> = {};
  const cdf: Record<string, CdfPoint[]> = {};
  args.metrics.forEach((name, m) => {
    const r = args.reports[m]!;
    summaries[name] = r.summary;
    if (!r.summary) return;
    importance[name] = r.importance;
    histograms[name] = r.histogram!;
    cdf[name] = r.cdf!;
  });
  const summary: MonteCarloSummary = {
    trials: args.trials,
    seed: args.seed,
    latinHypercube: args.read.spec.latinHypercube,
    engineVersion: args.engineVersion,
    drivers: args.read.drivers.map((d) => d.name),
    events: args.rest.events,
    metrics: summaries,
    thresholds: args.rest.thresholds,
    probabilities: args.rest.probabilities,
    importance,
  };
  return { summary, charts: { histograms, cdf, fan: args.rest.fan } };
}

/** The columns `runRest` reads; the others are left empty when handing it to a worker. */
export const REST_METRICS = ['dscrMin', 'equityIrr', 'bondCoverage'];

/**
 * The summary and charts of a whole run, from its blocks (in any order) and sampled columns, in
 * this thread (the worker pool builds the same parts in parallel: see runner.ts).
 */
export function summariseRun(args: {
  scenario: Scenario;
  read: ReadSpec;
  trials: number;
  seed: number;
  engineVersion: string;
  metrics: readonly string[];
  columns: readonly Float64Array[];
  blocks: readonly TrialBlock[];
  /** The events' sampled columns (see `sampleEvents`); none without events. */
  eventColumns?: readonly Float64Array[];
}): { summary: MonteCarloSummary; charts: MonteCarloCharts } {
  const all = joinBlocks(args.blocks, args.metrics.length, args.trials);
  const names = args.read.drivers.map((d) => d.name);
  const ranks = args.columns.map((c) => averageRanks(c));
  const reports = all.values.map((v) => metricReport(v, args.columns, names, ranks));
  const rest = runRest({ ...args, spec: args.read.spec, ...all });
  return assembleRun({ ...args, reports, rest });
}

/** A summary's Decimals as their exact text (what a run records). */
export const summaryText = (s: ReturnType<typeof summarise>): MetricSummary => ({
  count: s.count,
  mean: s.mean.toString(),
  sd: s.sd.toString(),
  p5: s.p5.toString(),
  p10: s.p10.toString(),
  p50: s.p50.toString(),
  p90: s.p90.toString(),
  p95: s.p95.toString(),
  min: s.min.toString(),
  max: s.max.toString(),
});

/** A rank correlation to 4 dp; NaN (a constant column) is 0. */
const rhoText = (rho: number) => (Number.isFinite(rho) ? rho : 0).toFixed(4);

function thresholdsOf(scenario: Scenario, spec: RiskSpec): MonteCarloSummary['thresholds'] {
  const t = spec.thresholds;
  return {
    dscrCovenant:
      t.dscrCovenant !== undefined ? String(t.dscrCovenant) : scenario.covenants.minDscr,
    equityHurdle:
      t.equityHurdle !== undefined ? String(t.equityHurdle) : scenario.discountRates.equity,
    bondCoverage:
      t.bondCoverage !== undefined ? String(t.bondCoverage) : scenario.covenants.bondCoverage,
  };
}

function probabilitiesOf(
  values: ReadonlyArray<ReadonlyArray<string | null>>,
  metrics: readonly string[],
  arrears: Uint8Array,
  thresholds: MonteCarloSummary['thresholds'],
  trials: number,
): Probabilities {
  const column = (name: string) => values[metrics.indexOf(name)] ?? [];
  const below = (name: string, threshold: string, nullCounts: boolean): string | null => {
    const col = column(name);
    if (col.every((v) => v === null) && !nullCounts) return null;
    const limit = new Dec(threshold);
    const limitF = limit.toNumber();
    // Rounding to the nearest double is monotone: different doubles order the values, equal
    // ones leave it to the Decimals (as do texts past 20 digits, which JS may read inexactly).
    const isBelow = (v: string) => {
      const x = v.length <= 20 ? Number(v) : NaN;
      return x === x && x !== limitF ? x < limitF : new Dec(v).lt(limit);
    };
    const n = col.filter((v) => (v === null ? nullCounts : isBelow(v))).length;
    return probability(n, trials).toString();
  };
  return {
    dscrBelowCovenant: below('dscrMin', thresholds.dscrCovenant, false),
    equityIrrBelowHurdle: metrics.includes('equityIrr')
      ? below('equityIrr', thresholds.equityHurdle, true)
      : null,
    bondCoverageBelowThreshold: below('bondCoverage', thresholds.bondCoverage, false),
    anyArrears: probability(
      arrears.reduce((a, b) => a + b, 0),
      trials,
    ).toString(),
  };
}

/**
 * P10 / P50 / P90 per year across trials (nearest-rank on floats: a picture only): the value at
 * index ⌊p·n⌋ of the year's non-NaN values in ascending order, a stable sort in trial order
 * (so of equal values, 0 and −0 included, the earlier trial's comes first).
 */
export function bands(values: Float64Array, span: number, trials: number): FanBands {
  const out: FanBands = { p10: [], p50: [], p90: [] };
  const year = new Float64Array(trials);
  for (let t = 0; t < span; t++) {
    let n = 0;
    for (let i = 0; i < trials; i++) {
      const v = values[i * span + t]!;
      if (v === v) year[n++] = v;
    }
    // A typed array sorts numerically without a comparator call per pair; it orders −0 before 0,
    // which the stable comparison sort would leave in trial order: `zeroAt` restores that.
    const sorted = year.subarray(0, n).sort();
    const at = (p: number): number | null => {
      if (n === 0) return null;
      const k = Math.min(n - 1, Math.floor(p * n));
      const v = sorted[k]!;
      return v === 0 ? zeroAt(values, span, t, trials, k - firstZero(sorted, k)) : v;
    };
    out.p10.push(at(0.1));
    out.p50.push(at(0.5));
    out.p90.push(at(0.9));
  }
  return out;
}

/** The index of the first zero (of either sign) of a sorted run of zeros ending at k. */
function firstZero(sorted: Float64Array, k: number): number {
  let j = k;
  while (j > 0 && sorted[j - 1] === 0) j--;
  return j;
}

/** Year t's zero (0 or −0) of rank `rank` among its zeros, in trial order. */
function zeroAt(values: Float64Array, span: number, t: number, trials: number, rank: number) {
  let seen = 0;
  for (let i = 0; i < trials; i++) {
    const v = values[i * span + t]!;
    if (v === 0 && seen++ === rank) return v;
  }
  return 0;
}

/**
 * A whole run in this thread, in one block: what the worker pool computes in chunks (the pool's
 * figures must equal these). For tests, small runs and checks.
 */
export function runInThisThread(
  scenario: Scenario,
  read: ReadSpec,
  trials: number,
  seed: number,
  engineVersion: string,
): { summary: MonteCarloSummary; charts: MonteCarloCharts } {
  const metrics = runMetrics(scenario);
  const columns = sampleColumns(read.spec, trials, seed);
  const events = riskEvents(scenario, read.spec);
  const eventColumns = sampleEvents(events, trials, seed);
  const paths: TrialPaths = {
    drivers: read.pathDrivers,
    years: scenario.timeline.operationYears,
    columns: samplePaths(read.spec, scenario, trials, seed),
  };
  const blocks = [
    runTrials(
      scenario,
      read.drivers,
      columns,
      metrics,
      0,
      { drivers: events.map((e) => e.driver), columns: eventColumns },
      paths,
    ),
  ];
  return summariseRun({
    scenario,
    read,
    trials,
    seed,
    engineVersion,
    metrics,
    columns,
    blocks,
    eventColumns,
  });
}
