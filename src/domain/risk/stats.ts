import { Dec, Rounding, type DecimalInput, toDec } from '../decimal';

/** Reported statistics are rounded to this many decimal places (half-up). */
export const SUMMARY_PLACES = 12;

/** The percentiles every summary reports, as fractions (PERCENTILE.INC's k). */
export const SUMMARY_PERCENTILES = {
  p5: '0.05',
  p10: '0.1',
  p50: '0.5',
  p90: '0.9',
  p95: '0.95',
} as const;

/** The exact summary of one metric over the trials (every figure rounded to SUMMARY_PLACES). */
export interface Summary {
  count: number;
  mean: Dec;
  sd: Dec;
  p5: Dec;
  p10: Dec;
  p50: Dec;
  p90: Dec;
  p95: Dec;
  min: Dec;
  max: Dec;
}

/**
 * The summary of a metric's values, exactly (integer arithmetic on the decimal values, so no
 * intermediate rounding at all), each figure rounded once at the end to SUMMARY_PLACES decimal
 * places, half-up (away from zero):
 * - mean = (Σ x) / n;
 * - sd = √(Σ (x − mean)² / (n − 1)), the sample standard deviation (0 when n = 1), rounded from
 *   the exact square root;
 * - pK = PERCENTILE.INC (Excel, LibreOffice): see `percentileInc`;
 * - min and max exactly.
 * @throws RangeError when there are no values
 */
export function summarise(values: readonly Dec[]): Summary {
  return summariseTexts(values.map((v) => v.toString()));
}

/**
 * `summarise` of values given as decimal text (e.g. `Dec.toString()` output, exponents allowed):
 * what a Monte Carlo run sums, ten thousand values at a time, without a Decimal per value.
 * @throws RangeError when there are no values or a text is not a decimal number
 */
export function summariseTexts(texts: readonly string[]): Summary {
  const n = texts.length;
  if (n === 0) throw new RangeError('no values to summarise');
  const parsed = texts.map(scaledInteger);
  const scale = parsed.reduce((m, p) => Math.max(m, p.scale), 0);
  const units = parsed.map((p) => p.units * 10n ** BigInt(scale - p.scale));
  let total = 0n;
  let squares = 0n;
  for (const a of units) {
    total += a;
    squares += a * a;
  }
  const big = BigInt(n);
  const places = 10n ** BigInt(SUMMARY_PLACES);
  const unit = 10n ** BigInt(scale);
  // Σ(x − x̄)² = (nΣa² − (Σa)²) / (n·10^2scale), with a = x·10^scale, exactly.
  const spread = big * squares - total * total;
  const sd = n < 2 ? 0n : sqrtHalfUp(spread * places * places, big * (big - 1n) * unit * unit);
  const order = Array.from({ length: n }, (_, i) => i);
  const keys = Float64Array.from(texts, Number);
  order.sort((i, j) => keys[i]! - keys[j]! || compareBig(units[i]!, units[j]!));
  const at = (i: number): Dec => new Dec(texts[order[i]!]!);
  const round = (x: Dec): Dec => x.toDecimalPlaces(SUMMARY_PLACES, Rounding.halfUp);
  const pct = (k: string) => round(percentileOf(at, n, k));
  return {
    count: n,
    mean: fixed(divHalfUp(total * places, big * unit)),
    sd: fixed(sd),
    p5: pct(SUMMARY_PERCENTILES.p5),
    p10: pct(SUMMARY_PERCENTILES.p10),
    p50: pct(SUMMARY_PERCENTILES.p50),
    p90: pct(SUMMARY_PERCENTILES.p90),
    p95: pct(SUMMARY_PERCENTILES.p95),
    min: round(at(0)),
    max: round(at(n - 1)),
  };
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** A decimal text as an exact integer of units 10^−scale (scale ≥ 0). */
function scaledInteger(text: string): { units: bigint; scale: number } {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) throw new RangeError(`not a decimal number: ${text}`);
  const fraction = m[3] ?? '';
  const digits = BigInt(m[2]! + fraction);
  let scale = fraction.length - Number(m[4] ?? 0);
  let units = m[1] === '-' ? -digits : digits;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units, scale };
}

const compareBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** num / den rounded half-up (away from zero) to an integer; den > 0. */
function divHalfUp(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let q = abs / den;
  if (2n * (abs % den) >= den) q += 1n;
  return negative ? -q : q;
}

/** √(num / den) rounded half-up to an integer, exactly; num ≥ 0, den > 0. */
function sqrtHalfUp(num: bigint, den: bigint): bigint {
  const r = isqrt(num / den);
  // √(num/den) ≥ r + ½  ⟺  4·num ≥ (2r + 1)²·den
  return 4n * num >= (2n * r + 1n) * (2n * r + 1n) * den ? r + 1n : r;
}

/** ⌊√n⌋ of a non-negative integer (Newton's method from a power of two above the root). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** An integer count of 10^−SUMMARY_PLACES as a Decimal. */
const fixed = (units: bigint): Dec => new Dec(units.toString()).div(10 ** SUMMARY_PLACES);

/**
 * Decimals in ascending order. Compares their nearest doubles first (rounding to a double is
 * monotone, so different doubles order the Decimals correctly) and the Decimals only on a tie.
 */
export function sortDecimals(values: readonly Dec[]): Dec[] {
  const keyed = values.map((value) => ({ value, key: value.toNumber() }));
  keyed.sort((a, b) => a.key - b.key || a.value.comparedTo(b.value));
  return keyed.map((k) => k.value);
}

/**
 * Excel's PERCENTILE.INC over values sorted ascending, exactly: with h = (n − 1)·k and
 * j = ⌊h⌋, the result is x_j + (h − j)·(x_{j+1} − x_j) (x_0 the smallest; x_j itself when h is
 * whole). Not rounded.
 * @param sorted - the values in ascending order (not checked)
 * @param k - the fraction in [0, 1], e.g. '0.05' for P5
 * @throws RangeError when there are no values or k is outside [0, 1]
 */
export function percentileInc(sorted: readonly Dec[], k: DecimalInput): Dec {
  return percentileOf((i) => sorted[i]!, sorted.length, k);
}

/** `percentileInc` over n sorted values read by rank (only the two it needs are read). */
function percentileOf(at: (i: number) => Dec, n: number, k: DecimalInput): Dec {
  const fraction = toDec(k);
  if (n === 0) throw new RangeError('no values');
  if (fraction.lt(0) || fraction.gt(1))
    throw new RangeError(`percentile fraction must lie in [0, 1], got ${fraction}`);
  const h = fraction.times(n - 1);
  const j = h.floor().toNumber();
  const low = at(j);
  const weight = h.minus(j);
  if (weight.isZero()) return low;
  return low.plus(weight.times(at(j + 1).minus(low)));
}

/**
 * The share of trials in which an event happened, count / trials, in Decimal rounded to
 * SUMMARY_PLACES places half-up.
 * @throws RangeError unless 0 ≤ count ≤ trials and trials ≥ 1 are integers
 */
export function probability(count: number, trials: number): Dec {
  if (
    !Number.isInteger(count) ||
    !Number.isInteger(trials) ||
    trials < 1 ||
    count < 0 ||
    count > trials
  ) {
    throw new RangeError(`need integers 0 ≤ count ≤ trials, trials ≥ 1; got ${count} of ${trials}`);
  }
  return new Dec(count).div(trials).toDecimalPlaces(SUMMARY_PLACES, Rounding.halfUp);
}

/** The standard error √(p(1 − p)/n) of a probability estimated from `count` of `trials` (for display). */
export function probabilityStandardError(count: number, trials: number): number {
  const p = count / trials;
  return Math.sqrt((p * (1 - p)) / trials);
}

/** A histogram for a chart: `edges` has bins + 1 ascending entries, `counts` bins entries. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/**
 * Equal-width bins from the smallest to the largest value; bin k holds edges[k] ≤ x < edges[k + 1],
 * the last bin also its right edge. All values equal: one bin [v, v] holding them all.
 * @throws RangeError when there are no values, a value is not finite, or bins is not a positive integer
 */
export function histogram(values: readonly number[], bins: number): Histogram {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const { min, max } = finiteRange(values);
  if (min === max) return { edges: [min, max], counts: [values.length] };
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? max : min + k * width));
  const counts = new Array<number>(bins).fill(0);
  for (const x of values) counts[Math.min(bins - 1, Math.floor((x - min) / width))]!++;
  return { edges, counts };
}

/** One point of an empirical CDF: the share `p` of values ≤ `x`. */
export interface CdfPoint {
  x: number;
  p: number;
}

/**
 * Points of the empirical CDF for a chart: with the values sorted, x_(i) and p = i/n
 * (i = 1 … n); when n exceeds maxPoints, only the ranks i = round(1 + k(n − 1)/(maxPoints − 1)),
 * k = 0 … maxPoints − 1 (always the smallest and the largest value).
 * @throws RangeError when there are no values, a value is not finite, or maxPoints < 2
 */
export function cdfPoints(values: readonly number[], maxPoints = 201): CdfPoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2)
    throw new RangeError(`maxPoints must be an integer ≥ 2`);
  finiteRange(values);
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const ranks =
    n <= maxPoints
      ? Array.from({ length: n }, (_, i) => i + 1)
      : Array.from({ length: maxPoints }, (_, k) =>
          Math.round(1 + (k * (n - 1)) / (maxPoints - 1)),
        );
  return ranks.map((i) => ({ x: sorted[i - 1]!, p: i / n }));
}

function finiteRange(values: readonly number[]): { min: number; max: number } {
  if (values.length === 0) throw new RangeError('no values');
  let min = Infinity;
  let max = -Infinity;
  for (const x of values) {
    if (!Number.isFinite(x)) throw new RangeError(`values must be finite, got ${x}`);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min, max };
}
