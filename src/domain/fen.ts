import { Dec } from './decimal';
import { DomainError } from './errors';

/**
 * Money in integer fen (0.01 yuan) held in a JS number that is always a safe integer, so sums and
 * differences are exact (|x| < 2^53 fen, about 90 trillion yuan). Products with rates go through
 * `mulRound`, which is exact (BigInt where the product could exceed 2^53) and rounds half-up
 * (away from zero) like `toFen`. This is the engine's hot-path representation; results leave the
 * engine as Decimals.
 */
export type Fen = number;

/** An exact rational num / den (den > 0), read from a finite decimal. */
export interface Ratio {
  num: bigint;
  den: bigint;
  /** Number copies when both are safe integers, for the fast path. */
  numN: number;
  denN: number;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function makeRatio(num: bigint, den: bigint): Ratio {
  const safe = num <= SAFE && num >= -SAFE && den <= SAFE;
  return { num, den, numN: safe ? Number(num) : NaN, denN: safe ? Number(den) : NaN };
}

/** The exact ratio of a Decimal (finite decimals are num / 10^k). */
export function ratioOf(d: Dec): Ratio {
  // The plain decimal text (no exponent) read as digits: exact, and far cheaper than d × 10^k.
  const text = d.toFixed();
  const point = text.indexOf('.');
  if (point < 0) return makeRatio(BigInt(text), 1n);
  const places = text.length - point - 1;
  return makeRatio(BigInt(text.slice(0, point) + text.slice(point + 1)), 10n ** BigInt(places));
}

/** a × b exactly. */
export function ratioMul(a: Ratio, b: Ratio): Ratio {
  return makeRatio(a.num * b.num, a.den * b.den);
}

export const RATIO_ONE: Ratio = makeRatio(1n, 1n);

/** An exact yuan amount (a ratio in yuan) rounded half-up to fen. */
export function roundToFen(yuan: Ratio): Fen {
  return checkSafe(divRound(yuan.num * 100n, yuan.den), 'An amount');
}

/** `r / k` exactly (e.g. half a rate). */
export function ratioDiv(r: Ratio, k: number): Ratio {
  return makeRatio(r.num, r.den * BigInt(k));
}

/** Integer division num / den rounded half-up (away from zero); den > 0. */
export function divRound(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num - q * den;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= den) return num < 0n ? q - 1n : q + 1n;
  return q;
}

function checkSafe(x: number | bigint, what: string): number {
  if (typeof x === 'bigint') {
    if (x > SAFE || x < -SAFE)
      throw new DomainError('amount-too-large', `${what} exceeds the exact range of the engine`);
    return Number(x);
  }
  if (!Number.isSafeInteger(x))
    throw new DomainError('amount-too-large', `${what} exceeds the exact range of the engine`);
  return x;
}

/** fen × ratio, rounded half-up to fen. Exact. */
export function mulRound(f: Fen, r: Ratio): Fen {
  if (f === 0 || r.num === 0n) return 0;
  const p = f * r.numN;
  if (Number.isSafeInteger(p) && !Number.isNaN(r.denN)) {
    if (r.denN === 1) return p;
    const rem = p % r.denN; // exact for safe integers
    const q = (p - rem) / r.denN;
    const twice = Math.abs(rem) * 2;
    return twice >= r.denN ? q + (p < 0 ? -1 : 1) : q;
  }
  return checkSafe(divRound(BigInt(f) * r.num, r.den), 'An amount');
}

/** a × b / c rounded half-up, exact (c ≠ 0). */
export function mulDivRound(a: Fen, b: Fen, c: Fen): Fen {
  const sign = c < 0 ? -1n : 1n;
  return checkSafe(divRound(BigInt(a) * BigInt(b) * sign, BigInt(c) * sign), 'An amount');
}

/** Yuan as a Decimal (at most 2 decimal places) → fen. @throws DomainError when not a fen amount or too large */
export function fenOf(d: Dec): Fen {
  const fen = d.times(100);
  if (!fen.isInteger())
    throw new DomainError('not-fen', `${d.toString()} yuan has more than 2 decimal places`);
  return checkSafe(fen.toNumber(), `${d.toFixed(2)} yuan`);
}

/** Fen → yuan text with exactly 2 decimals, e.g. -12345 → "-123.45". */
export function fenText(f: Fen): string {
  const neg = f < 0;
  const abs = Math.abs(f);
  const yuan = Math.floor(abs / 100);
  const cents = abs - yuan * 100;
  return `${neg ? '-' : ''}${yuan}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Fen → Decimal yuan. */
export function decOf(f: Fen): Dec {
  return new Dec(fenText(f));
}

/**
 * Splits `total` fen over `weights` (largest remainder; ties to the earliest), exactly: the parts
 * sum to the total. Parts are truncated toward zero first; the spare fen go to the largest
 * remainders (for a negative total, the most negative).
 * @throws RangeError when all weights are zero but the total is not
 */
export function allocateFen(total: Fen, weights: readonly Fen[]): Fen[] {
  let sum = 0;
  for (const w of weights) sum += w;
  if (sum === 0) {
    if (total !== 0) throw new RangeError(`cannot allocate ${fenText(total)} over zero weights`);
    return weights.map(() => 0);
  }
  if (weights.length === 1) return [total];
  // Fast path in exact integer doubles when the weights are non-negative and every product
  // total × weight is a safe integer (the usual case: equity commitments, cash in fen).
  let maxWeight = 0;
  let negative = false;
  for (const w of weights) {
    if (w < 0) negative = true;
    else if (w > maxWeight) maxWeight = w;
  }
  if (!negative) {
    if (Math.abs(total) * maxWeight + sum <= Number.MAX_SAFE_INTEGER)
      return allocateSafe(total, weights, sum);
    // Commitments in fen share large factors (45,000,000.00 : 15,000,000.00 is 3 : 1): dividing
    // the weights by their gcd keeps every part and the order of the remainders.
    let g = 0;
    for (const w of weights) g = gcd(g, w);
    if (g > 1 && Math.abs(total) * (maxWeight / g) + sum / g <= Number.MAX_SAFE_INTEGER)
      return allocateSafe(
        total,
        weights.map((w) => w / g),
        sum / g,
      );
  }
  const T = BigInt(total);
  const W = BigInt(sum);
  const parts: number[] = [];
  const rems: bigint[] = [];
  let given = 0;
  for (const w of weights) {
    const p = T * BigInt(w);
    const q = p / W; // truncates toward zero
    parts.push(Number(q));
    rems.push(p - q * W);
    given += Number(q);
  }
  return giveSpare(parts, rems, total - given);
}

/**
 * Hands the `spare` fen left by truncation out one by one to the largest remainders (for a
 * negative spare, the most negative), ties to the earliest; shared by both paths of `allocateFen`.
 */
function giveSpare(parts: number[], rems: ReadonlyArray<number | bigint>, spare: number): Fen[] {
  if (spare === 0) return parts;
  const step = spare > 0 ? 1 : -1;
  const cmp = (x: number | bigint, y: number | bigint) => (x > y ? 1 : x < y ? -1 : 0);
  const order = rems
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (step > 0 ? cmp(b.r, a.r) : cmp(a.r, b.r)) || a.i - b.i);
  for (let k = 0; spare !== 0; k = (k + 1) % order.length) {
    const i = (order[k] as { i: number }).i;
    parts[i] = (parts[i] as number) + step;
    spare -= step;
  }
  return parts;
}

/**
 * `allocateFen` when every |total × weight| is at most 2^53 − 1: the same parts, in doubles. The
 * quotient of two exact integers is correctly rounded, so truncating it can be one too high just
 * below an integer; the exact remainder (a safe integer) corrects that.
 */
function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function allocateSafe(total: Fen, weights: readonly Fen[], sum: number): Fen[] {
  const n = weights.length;
  const parts = new Array<number>(n);
  const rems = new Array<number>(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const p = total * (weights[i] as number);
    let q = Math.trunc(p / sum) || 0; // never −0
    let r = p - q * sum;
    // r must have the sign of p (or be 0) and |r| < sum, as BigInt's truncating division gives.
    if (p >= 0 ? r < 0 : r > 0) q += p >= 0 ? -1 : 1;
    else if (p >= 0 ? r >= sum : r <= -sum) q += p >= 0 ? 1 : -1;
    r = p - q * sum;
    parts[i] = q;
    rems[i] = r;
    given += q;
  }
  return giveSpare(parts, rems, total - given);
}

/**
 * Present value of fen flows at year ends, discounted to the start of the first year (Excel's NPV
 * convention: the first flow is discounted once), exactly: with 1 + rate = b / a the numerator
 * Σ v_t · a^(t+1) · b^(n−1−t) is built by Horner's scheme in BigInt over the denominator b^n.
 * `prefix` returns every partial numerator (after 1, 2, … n flows) for payback and cover ratios.
 */
export interface ExactPv {
  /** Numerators N_k of the PV of the first k flows, k = 1..n; PV_k = N_k / b^k. */
  prefix: bigint[];
  a: bigint;
  b: bigint;
}

export function exactPv(flows: readonly Fen[], rate: Ratio): ExactPv {
  const a = rate.den;
  const b = rate.den + rate.num;
  if (b <= 0n)
    throw new DomainError('invalid-argument', 'A discount rate must be greater than -100 %');
  const prefix: bigint[] = [];
  let n = 0n;
  let aPow = 1n;
  for (const v of flows) {
    aPow *= a;
    n = n * b + BigInt(v) * aPow;
    prefix.push(n);
  }
  return { prefix, a, b };
}

/** NPV in fen, rounded half-up, of flows at year ends (first flow discounted once). Exact. */
export function npvFen(flows: readonly Fen[], rate: Ratio): Fen {
  if (flows.length === 0) return 0;
  const pv = exactPv(flows, rate);
  return checkSafe(
    divRound(pv.prefix[pv.prefix.length - 1] as bigint, pv.b ** BigInt(flows.length)),
    'A present value',
  );
}

/**
 * Payback: the point after which the cumulative (discounted, when a rate is given) flow stays
 * non-negative to the end (src/domain/README.md, "Payback"), interpolated linearly within the year
 * in which it last turns non-negative, to 2 dp half-up; flows at year ends, year t ends at t + 1.
 * 0 when the cumulative flow is never negative; null when it ends negative (no payback).
 */
export function paybackYearsFen(flows: readonly Fen[], rate: Ratio | null): number | null {
  const pv = exactPv(flows, rate ?? RATIO_ZERO);
  const n = flows.length;
  if (n === 0 || (pv.prefix[n - 1] as bigint) < 0n) return null;
  let last = n - 1; // the last year whose cumulative flow is negative
  while (last >= 0 && (pv.prefix[last] as bigint) >= 0n) last--;
  if (last < 0) return 0;
  const t = last + 1;
  // −PV_t / discounted flow_t = −N_t · b / (v_t · a^(t+1)), N_t the numerator of PV_t over b^t.
  const hundredths = divRound(
    -(pv.prefix[last] as bigint) * pv.b * 100n,
    BigInt(flows[t] as Fen) * pv.a ** BigInt(t + 1),
  );
  return Number(BigInt(t) * 100n + hundredths) / 100;
}

const RATIO_ZERO: Ratio = makeRatio(0n, 1n);

/** `value / divisor` (divisor > 0, both fen) in millionths, rounded half-up: the cover ratios' 6 dp. */
export function pvRatioMicro(pvNumerator: bigint, pvDenominator: bigint, divisor: Fen): number {
  return Number(divRound(pvNumerator * 1_000_000n, pvDenominator * BigInt(divisor)));
}

/** Σ rates_i × weights_i / Σ weights exactly (weights in fen, not all zero). */
export function weightedRatio(rates: readonly Ratio[], weights: readonly Fen[]): Ratio {
  let den = 1n;
  for (const r of rates) if (r.den > den) den = r.den; // powers of ten: the largest is a common multiple
  let num = 0n;
  let total = 0n;
  rates.forEach((r, i) => {
    const w = BigInt(weights[i] as Fen);
    num += r.num * (den / r.den) * w;
    total += w;
  });
  return makeRatio(num, den * total);
}
