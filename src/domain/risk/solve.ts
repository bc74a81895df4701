import { Dec } from '../decimal';
import type { Scenario } from '../scenario/schema';
import { checkDriverValue, parseDriverName } from './drivers';
import { applyInput, checkInputValue, isInputName, parseInputName } from './inputs';
import { METRIC_TOLERANCE, parseMetricName, type MetricContext, type MetricName } from './metrics';
import { metricAt, metricAtDriver } from './sensitivity';

export interface SolveRequest {
  /** A driver name, or a solvable input (`input:ap-profit-rate`, …; see inputs.ts). */
  driver: string;
  metric: string;
  target: Dec;
  /** The bracket searched; defaults: the driver's or input's whole range (README "Risk drivers"). */
  low?: Dec;
  high?: Dec;
}

export interface SolveAnswer {
  driver: string;
  metric: string;
  target: Dec;
  low: Dec;
  high: Dec;
  /**
   * The driver value found, to `VALUE_DP` places (an input's on its grid: the fen for yuan);
   * null when no value in [low, high] reaches the target.
   */
  value: Dec | null;
  /** The metric at `value` (plugging `value` back in gives exactly this); null without a value. */
  reached: Dec | null;
  /** Runs of the engine the solve took. */
  runs: number;
}

/** Driver values found by a solve are rounded half-up to 10 decimal places (whole years for delay). */
export const VALUE_DP = 10;
/** Points the bracket is first scanned at, to find a sign change of a non-monotonic metric. */
const SCAN_POINTS = 8;
const MAX_ITERATIONS = 60;

interface Probe {
  value: Dec;
  gap: Dec | null;
}

/** What a solve searches over: a driver or an input, with its range, grid and metric. */
interface Unknown {
  name: string;
  min: Dec;
  max: Dec;
  /** Whole years only (the delay driver). */
  whole: boolean;
  /** The grid the answer is rounded to: this many decimal places. */
  dp: number;
  check(value: Dec, field: string): void;
  at(value: Dec): Dec | null;
}

function unknownOf(
  scenario: Scenario,
  name: string,
  metric: MetricName,
  context: MetricContext,
): Unknown {
  if (isInputName(name)) {
    const input = parseInputName(name, scenario);
    return {
      name: input.name,
      min: input.min,
      max: input.max,
      whole: false,
      dp: input.dp,
      check: (v, field) => checkInputValue(input, v, field),
      at: (v) => metricAt(applyInput(scenario, input, v), metric, {}, context),
    };
  }
  const driver = parseDriverName(name, scenario);
  const whole = driver.kind.unit === 'years';
  return {
    name: driver.name,
    min: driver.kind.min,
    max: driver.kind.max,
    whole,
    dp: whole ? 0 : VALUE_DP,
    check: (v, field) => checkDriverValue(driver, v, field),
    at: (v) => metricAtDriver(scenario, metric, driver, v, context),
  };
}

/**
 * Break-even (goal seek): the value of a driver or input in [low, high] at which the metric
 * reaches the target, within the metric's tolerance (`METRIC_TOLERANCE`). The bracket is scanned
 * at `SCAN_POINTS` + 1 evenly spaced points; the first sub-interval where metric − target changes
 * sign (or touches zero) is refined by the Illinois variant of regula falsi; a `years` driver is
 * searched over whole years only. Without a sign change no value reaches the target. An input's
 * answer is on its grid (`roundInput`), and `reached` is the metric of the scenario with that
 * value written in (`applyInput`).
 * @throws RiskInputError `unknown-driver`, `unknown-metric`, `driver-out-of-range`,
 *   `input-not-in-scenario`
 */
export function solveBreakEven(
  scenario: Scenario,
  req: SolveRequest,
  context: MetricContext = {},
): SolveAnswer {
  const metric = parseMetricName(req.metric, scenario, context);
  const unknown = unknownOf(scenario, req.driver, metric, context);
  const low = req.low ?? unknown.min;
  const high = req.high ?? unknown.max;
  unknown.check(low, 'low');
  unknown.check(high, 'high');
  let runs = 0;
  const probe = (value: Dec): Probe => {
    runs++;
    const m = unknown.at(value);
    return { value, gap: m ? m.minus(req.target) : null };
  };
  const tolerance = METRIC_TOLERANCE[metric.unit];
  const found = findBracket(unknown, low, high, probe, tolerance);
  const value = found ? refine(unknown, found, probe, tolerance) : null;
  const answer = { driver: unknown.name, metric: metric.name, target: req.target, low, high };
  if (!value) return { ...answer, value: null, reached: null, runs };
  runs++;
  const reached = unknown.at(value);
  return { ...answer, value, reached, runs };
}

type Bracket = { exact: Dec } | { a: Probe; b: Probe };

const within = (p: Probe, tol: Dec) => p.gap !== null && p.gap.abs().lte(tol);
const crosses = (a: Probe, b: Probe) =>
  a.gap !== null && b.gap !== null && a.gap.isNegative() !== b.gap.isNegative();

function findBracket(
  driver: Unknown,
  low: Dec,
  high: Dec,
  probe: (v: Dec) => Probe,
  tol: Dec,
): Bracket | null {
  const whole = driver.whole;
  const points: Dec[] = [];
  if (whole) for (let y = low.toNumber(); y <= high.toNumber(); y++) points.push(new Dec(y));
  else
    for (let i = 0; i <= SCAN_POINTS; i++)
      points.push(low.plus(high.minus(low).times(i).div(SCAN_POINTS)));
  let previous: Probe | null = null;
  for (const v of points) {
    const p = probe(v);
    if (within(p, tol)) return { exact: v };
    if (previous && crosses(previous, p)) return { a: previous, b: p };
    previous = p;
  }
  return null;
}

/** Illinois regula falsi on a sign-changing bracket; a `years` driver returns the nearer end. */
function refine(driver: Unknown, bracket: Bracket, probe: (v: Dec) => Probe, tol: Dec): Dec {
  if ('exact' in bracket) return round(driver, bracket.exact);
  let { a, b } = bracket;
  if (driver.whole) {
    return (a.gap as Dec).abs().lte((b.gap as Dec).abs()) ? a.value : b.value;
  }
  const eps = new Dec(10).pow(-driver.dp);
  for (let i = 0; i < MAX_ITERATIONS && b.value.minus(a.value).abs().gt(eps); i++) {
    const fa = a.gap as Dec;
    const fb = b.gap as Dec;
    let x = b.value.minus(fb.times(b.value.minus(a.value)).div(fb.minus(fa)));
    if (!x.gt(Dec.min(a.value, b.value)) || !x.lt(Dec.max(a.value, b.value)))
      x = a.value.plus(b.value).div(2);
    const p = probe(x);
    if (p.gap === null) break;
    if (within(p, tol)) return round(driver, x);
    if (crosses(p, b)) {
      a = b;
      b = p;
    } else {
      // Illinois: the end kept has its value halved, so the bracket shrinks from both sides.
      b = p;
      a = { value: a.value, gap: fa.div(2) };
    }
  }
  return round(driver, (a.gap as Dec).abs().lte((b.gap as Dec).abs()) ? a.value : b.value);
}

const round = (driver: Unknown, v: Dec) => v.toDecimalPlaces(driver.dp);
