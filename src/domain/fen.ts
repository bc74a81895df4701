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
  /**
   * The value as a float, within `ulps` units of 2^−53 (relative) of num / den; NaN when unknown (the
   * float left the normal range). Lets `roundToFen` round in floats when that is provably exact.
   */
  f?: number;
  ulps?: number;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** The unit roundoff of a float, 2^−53. */
const U = 2 ** -53;
/** Below this magnitude a float may be subnormal: its relative error is no longer bounded by u. */
const TINY = 2 ** -900;

/**
 * A float approximation of a non-zero value, kept only while it is finite and normal (else NaN: no
 * fast path); a product that underflowed to 0 is NaN too. Exact zeros are set by the callers.
 */
function approx(f: number): number {
  const a = Math.abs(f);
  return a === Infinity || a < TINY ? NaN : f;
}

function makeRatio(num: bigint, den: bigint, f?: number, ulps?: number): Ratio {
  const safe = num <= SAFE && num >= -SAFE && den <= SAFE;
  const numN = safe ? Number(num) : NaN;
  const denN = safe ? Number(den) : NaN;
  if (f === undefined) {
    // Each conversion of a BigInt rounds to nearest (≤ u), the quotient too: 3 u in all; exact
    // integers and one division: 1 u.
    f = num === 0n ? 0 : approx(safe ? numN / denN : Number(num) / Number(den));
    ulps = safe ? 1 : 3;
  }
  return { num, den, numN, denN, f, ulps: ulps as number };
}

/** The exact ratio num / den (den > 0). */
export function ratioFrom(num: bigint, den: bigint): Ratio {
  return makeRatio(num, den);
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
  const af = a.f ?? NaN;
  const bf = b.f ?? NaN;
  // The product of two approximations: their relative errors add, plus the product's rounding.
  const num = a.num * b.num;
  return makeRatio(
    num,
    a.den * b.den,
    num === 0n ? 0 : approx(af * bf),
    (a.ulps ?? 3) + (b.ulps ?? 3) + 1,
  );
}

export const RATIO_ONE: Ratio = makeRatio(1n, 1n);

/** An exact yuan amount (a ratio in yuan) rounded half-up to fen. */
export function roundToFen(yuan: Ratio): Fen {
  const f = yuan.f;
  if (f !== undefined && f === f) {
    // In floats when the approximation cannot straddle a rounding midpoint (see `roundHalfFloat`).
    const v = f * 100;
    const r = roundHalfFloat(v, ((yuan.ulps ?? 3) + 2) * 2 * U * Math.abs(v));
    if (r !== null) return r;
  }
  return roundToFenExact(yuan);
}

/**
 * `roundToFen(ratioMul(yuan, factor))` (e.g. a year's revenue × an override factor) without
 * building the exact product unless the float product cannot decide the rounding.
 */
export function mulRoundToFen(yuan: Ratio, factor: Ratio): Fen {
  if (yuan.num === 0n || factor.num === 0n) return 0;
  const f = approx((yuan.f ?? NaN) * (factor.f ?? NaN));
  if (f === f) {
    const v = f * 100;
    const ulps = (yuan.ulps ?? 3) + (factor.ulps ?? 3) + 1;
    const r = roundHalfFloat(v, (ulps + 2) * 2 * U * Math.abs(v));
    if (r !== null) return r;
  }
  return roundToFenExact(ratioMul(yuan, factor));
}

/**
 * DSCR-style ratio num / den (den > 0, both fen) in millionths, rounded half-up; in doubles when
 * num × 10^6 is a safe integer.
 */
export function microRatio(num: Fen, den: Fen): number {
  const p = num * 1_000_000;
  if (Number.isSafeInteger(p) && Number.isSafeInteger(den)) return divRoundSafe(p, den);
  return Number(divRound(BigInt(num) * 1_000_000n, BigInt(den)));
}

/** `roundToFen` in BigInt alone: the definition the fast path must equal. */
export function roundToFenExact(yuan: Ratio): Fen {
  return checkSafe(divRound(yuan.num * 100n, yuan.den), 'An amount');
}

/**
 * x rounded half-up (away from zero) to an integer, from a float v with |v − x| ≤ err: the integer
 * when no midpoint k + ½ lies within err of v (then every value there rounds the same), else null.
 * Null as well beyond 2^51, where the caller's exact path decides (and checks the range).
 */
export function roundHalfFloat(v: number, err: number): number | null {
  const a = Math.abs(v);
  if (!(a < 2 ** 51) || !(err < 0.25)) return null;
  const fl = Math.floor(a);
  const frac = a - fl; // exact below 2^52
  const gap = frac - 0.5;
  if ((gap < 0 ? -gap : gap) <= err) return null;
  const r = gap > 0 ? fl + 1 : fl;
  return v < 0 ? -r || 0 : r;
}

/** `r / k` exactly (e.g. half a rate). */
export function ratioDiv(r: Ratio, k: number): Ratio {
  const f = r.num === 0n ? 0 : approx((r.f ?? NaN) / k);
  return makeRatio(r.num, r.den * BigInt(k), f, (r.ulps ?? 3) + 1);
}

/** Integer division num / den rounded half-up (away from zero); den > 0. */
export function divRound(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r = num - q * den;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= den) return num < 0n ? q - 1n : q + 1n;
  return q;
}

/** `divRound` for safe integers p and d ≠ 0: the same result, in doubles (remainders are exact). */
export function divRoundSafe(p: number, d: number): number {
  if (d < 0) {
    p = -p;
    d = -d;
  }
  const rem = p % d;
  const q = (p - rem) / d;
  const twice = Math.abs(rem) * 2;
  return (twice >= d ? q + (p < 0 ? -1 : 1) : q) || 0;
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
  const d = r.denN;
  if (d === d) {
    const p = f * r.numN;
    if (Number.isSafeInteger(p)) return d === 1 ? p : divRoundSafe(p, d);
    const split = mulRoundSplit(f, r.numN, d);
    if (split !== null) return split;
  }
  return checkSafe(divRound(BigInt(f) * r.num, r.den), 'An amount');
}

/**
 * f × num / den rounded half-up when f × num itself is past 2^53 (a balance in fen times a rate
 * with eight decimals): with f = a·den + b (b the remainder, of f's sign),
 * f·num / den = a·num + b·num / den, where a·num is an integer of the same sign as the fraction,
 * so rounding the sum away from zero rounds b·num / den alone. Null when a part is not a safe
 * integer (then BigInt decides). The same result as `divRound(BigInt(f) * num, den)`.
 */
function mulRoundSplit(f: number, num: number, den: number): number | null {
  const b = f % den;
  const an = ((f - b) / den) * num;
  const bn = b * num;
  if (!Number.isSafeInteger(an) || !Number.isSafeInteger(bn)) return null;
  const x = an + divRoundSafe(bn, den);
  return Number.isSafeInteger(x) ? x || 0 : null;
}

/** a × b / c rounded half-up, exact (c ≠ 0). */
export function mulDivRound(a: Fen, b: Fen, c: Fen): Fen {
  const p = a * b;
  if (Number.isSafeInteger(p) && Number.isSafeInteger(c)) return divRoundSafe(p, c);
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

const WORD = 1e7;

/**
 * A Decimal from its parts, as decimal.js's constructor leaves one (own `constructor`, `s`, `e`,
 * `d`, in that order: the same shape, so the same fast property access).
 */
function decimalOfParts(s: 1 | -1, e: number, d: number[]): Dec {
  const x = Object.create(Dec.prototype) as {
    constructor: unknown;
    s: number;
    e: number;
    d: number[];
  };
  x.constructor = Dec;
  x.s = s;
  x.e = e;
  x.d = d;
  return x as unknown as Dec;
}

/**
 * Fen → Decimal yuan, exactly. A safe-integer amount is built from its digits directly: decimal.js
 * keeps a value as a sign `s`, a base-10 exponent `e` (that of the leading digit) and words `d` of
 * 7 decimal digits aligned on the decimal point, no leading or trailing zero words (0.05 is
 * `{ e: -2, d: [500000] }`, 123456789012.34 is `{ e: 11, d: [12345, 6789012, 3400000] }`). No text is built or parsed, which makes
 * a ledger's conversion about twenty times cheaper; test/domain/fen.test.ts checks the result
 * against `new Dec(fenText(f))` for random and edge amounts.
 */
export function decOf(f: Fen): Dec {
  if (f === 0) return new Dec(0);
  if (!Number.isSafeInteger(f)) return new Dec(Number.isInteger(f) ? fenText(f) : f / 100);
  return decOfScaled(f, 2);
}

/** Powers of ten 10^0 … 10^14 (exact doubles). */
const POW10 = Array.from({ length: 15 }, (_, k) => 10 ** k);

/**
 * The Decimal x × 10^−places for a non-zero safe integer x, 0 ≤ places ≤ 14, built from its parts
 * as `decOf` describes: the fraction's digits fill one word (places ≤ 7) or two, a zero word
 * between the units and the fraction is kept, leading and trailing zero words are not.
 * `decOf` is places 2, the engine's ratios in millionths (`micro`) 6, sampled factors 8.
 * Beyond 10^14 units (more than two words) the value is read from its text.
 */
export function decOfScaled(x: number, places: number): Dec {
  const a = x < 0 ? -x : x;
  const scale = POW10[places] as number;
  const frac = a % scale;
  const units = (a - frac) / scale;
  if (!(units < 1e14)) return new Dec(x).div(scale);
  const d: number[] = [];
  let e: number;
  if (units === 0) {
    // The leading digit of the fraction: 10^−places for frac < 10, and so on.
    e = -places;
    for (let p = 10; p <= frac; p *= 10) e++;
  } else {
    const hi = Math.floor(units / WORD);
    const lo = units - hi * WORD;
    if (hi > 0) d.push(hi);
    if (lo > 0 || frac > 0 || hi === 0) d.push(lo);
    e = -1;
    for (let p = 1; p <= units; p *= 10) e++;
  }
  if (frac > 0) {
    if (places <= 7) d.push(frac * (POW10[7 - places] as number));
    else {
      // Two words of 7 digits: the first is a leading zero word when units and it are both 0.
      const digits = frac * (POW10[14 - places] as number);
      const w2 = digits % WORD;
      const w1 = (digits - w2) / WORD;
      if (w1 > 0 || units > 0) d.push(w1);
      if (w2 > 0) d.push(w2);
    }
  }
  return decimalOfParts(x < 0 ? -1 : 1, e, d);
}

/**
 * The Decimal x × 10^−places for a non-zero safe integer x and any 0 ≤ places ≤ 1000 (IRRs have
 * 16 or 17 places), built from its digits as `decOf` describes: the digits padded with zeros to
 * whole 7-digit words aligned on the decimal point, trailing zero words dropped (the first word
 * holds the leading digit, so it is never zero). What `new Dec(\`${x}e-${places}\`)` gives,
 * without parsing the exponent form.
 */
export function decOfDigits(x: number, places: number): Dec {
  const digits = String(x < 0 ? -x : x);
  const e = digits.length - 1 - places;
  const lowWord = Math.floor(-places / 7);
  const highWord = Math.floor(e / 7);
  const text = '0'.repeat(7 * highWord + 6 - e) + digits + '0'.repeat(-places - 7 * lowWord);
  const d: number[] = [];
  for (let i = 0; i < text.length; i += 7) d.push(Number(text.slice(i, i + 7)));
  while (d.length > 1 && d[d.length - 1] === 0) d.pop();
  return decimalOfParts(x < 0 ? -1 : 1, e, d);
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
  if (equalPositive(weights)) return allocateEqual(total, weights.length);
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

function equalPositive(weights: readonly Fen[]): boolean {
  const w0 = weights[0] as Fen;
  if (!(w0 > 0)) return false;
  for (let i = 1; i < weights.length; i++) if (weights[i] !== w0) return false;
  return true;
}

/**
 * `allocateFen` over n equal weights (straight-line depreciation): every remainder is the same, so
 * the spare fen go to the earliest parts. |total| < 2^53, so the float quotient truncates exactly.
 */
function allocateEqual(total: Fen, n: number): Fen[] {
  const q = Math.trunc(total / n) || 0;
  let spare = total - q * n;
  const parts = new Array<Fen>(n).fill(q);
  const step = spare > 0 ? 1 : -1;
  for (let i = 0; spare !== 0; i++, spare -= step) parts[i] = q + step;
  return parts;
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

/**
 * 1 / (1 + rate) = a / b as a float with relative error at most 3 u (one rounding per BigInt
 * conversion and one for the quotient); NaN when b ≤ 0 or the quotient is not a normal float.
 */
function discountFloat(rate: Ratio): number {
  const b = rate.den + rate.num;
  if (b <= 0n) return NaN;
  return approx(Number(rate.den) / Number(b));
}

/**
 * Float present values of the first k flows, k = 1..n, each with a bound on its error, for the fast
 * paths of `npvFen`, `paybackYearsFen` and the cover ratios. With x = a / b (error ≤ 3 u), x^(t+1)
 * by repeated products is within (4t + 3) u of the exact power x^(t+1), a term within (4t + 4) u,
 * and a running sum of t + 1 terms adds at most (t + 1) u of Σ|terms| (first order; the bound below
 * doubles all of it): |cum_t − PV_t| ≤ bound_t = 2 (5t + 8) u Σ|terms|. Null when a power or a sum leaves the normal float range.
 */
export interface FloatPv {
  cum: Float64Array;
  bound: Float64Array;
  /** The discounted flows v_t · x^(t+1). */
  terms: Float64Array;
}

/** Scratch for `floatPv`, grown as needed: its result is read at once and never kept. */
let scratch: FloatPv = {
  cum: new Float64Array(64),
  bound: new Float64Array(64),
  terms: new Float64Array(64),
};

/** Present values in floats (see `FloatPv`); the arrays are shared scratch, valid until the next call. */
export function floatPv(flows: readonly Fen[], rate: Ratio): FloatPv | null {
  const x = discountFloat(rate);
  if (x !== x) return null;
  const n = flows.length;
  if (scratch.cum.length < n) {
    const size = Math.max(n, 2 * scratch.cum.length);
    scratch = {
      cum: new Float64Array(size),
      bound: new Float64Array(size),
      terms: new Float64Array(size),
    };
  }
  const { cum, bound, terms } = scratch;
  let pw = 1;
  let sum = 0;
  let abs = 0;
  for (let t = 0; t < n; t++) {
    pw *= x;
    const term = (flows[t] as Fen) * pw;
    terms[t] = term;
    sum += term;
    abs += term < 0 ? -term : term;
    cum[t] = sum;
    bound[t] = 2 * (5 * t + 8) * U * abs;
  }
  if (!(abs < 1e300) || !(pw > TINY)) return null;
  return scratch;
}

/** NPV in fen, rounded half-up, of flows at year ends (first flow discounted once). Exact. */
export function npvFen(flows: readonly Fen[], rate: Ratio): Fen {
  const n = flows.length;
  if (n === 0) return 0;
  // Floats first: Horner's scheme in x = a / b, with the error bound of `floatPv` (a Horner step
  // and a running sum round alike); exact whenever no rounding midpoint is within the bound.
  const x = discountFloat(rate);
  if (x === x) {
    let acc = 0;
    let abs = 0;
    for (let t = n - 1; t >= 0; t--) {
      const v = flows[t] as Fen;
      acc = (acc + v) * x;
      abs = (abs + (v < 0 ? -v : v)) * x;
    }
    if (abs < 1e300 && abs > TINY) {
      const r = roundHalfFloat(acc, 2 * (5 * n + 8) * U * abs);
      if (r !== null) return r;
    } else if (abs === 0) return 0;
  }
  return npvFenExact(flows, rate);
}

/** `npvFen` in BigInt alone: the definition the fast path must equal. */
export function npvFenExact(flows: readonly Fen[], rate: Ratio): Fen {
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
  const fast = rate === null ? paybackUndiscounted(flows) : paybackFloat(flows, rate);
  return fast !== undefined ? fast : paybackYearsFenExact(flows, rate);
}

/** Payback without discounting in exact integer doubles; undefined when a product leaves 2^53. */
function paybackUndiscounted(flows: readonly Fen[]): number | null | undefined {
  const n = flows.length;
  if (n === 0) return null;
  let cum = 0;
  let abs = 0;
  let last = -1;
  let atLast = 0;
  for (let t = 0; t < n; t++) {
    const v = flows[t] as Fen;
    cum += v;
    abs += v < 0 ? -v : v;
    if (cum < 0) {
      last = t;
      atLast = cum;
    }
  }
  if (!(abs * 100 <= Number.MAX_SAFE_INTEGER)) return undefined;
  if (cum < 0) return null;
  if (last < 0) return 0;
  const t = last + 1;
  return (t * 100 + divRoundSafe(-atLast * 100, flows[t] as Fen)) / 100;
}

/**
 * Discounted payback from `floatPv`: every sign is taken only where the float sum is farther from 0
 * than its bound, and the hundredths only when no rounding midpoint is within their bound; else
 * undefined (the exact path decides).
 */
function paybackFloat(flows: readonly Fen[], rate: Ratio): number | null | undefined {
  const n = flows.length;
  if (n === 0) return null;
  const pv = floatPv(flows, rate);
  if (pv === null) return undefined;
  const { cum, bound } = pv;
  // A zero bound means every term so far is exactly zero, and so is the sum.
  for (let t = 0; t < n; t++) {
    const b = bound[t] as number;
    if (b > 0 && Math.abs(cum[t] as number) <= b) return undefined;
  }
  if ((cum[n - 1] as number) < 0) return null;
  let last = n - 1;
  while (last >= 0 && (cum[last] as number) >= 0) last--;
  if (last < 0) return 0;
  const t = last + 1;
  const c = -(cum[last] as number);
  const d = pv.terms[t] as number;
  // h = 100 · c / d: c within bound_last, d within (4t + 4) u, two more roundings (all doubled).
  const h = (100 * c) / d;
  const err = (100 * (bound[last] as number)) / d + h * 2 * (5 * t + 16) * U;
  const hundredths = roundHalfFloat(h, err);
  if (hundredths === null) return undefined;
  return (t * 100 + hundredths) / 100;
}

/** `paybackYearsFen` in BigInt alone: the definition the fast paths must equal. */
export function paybackYearsFenExact(flows: readonly Fen[], rate: Ratio | null): number | null {
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

/**
 * PV of the first k flows ÷ `divisor` (fen, > 0) in millionths, rounded half-up, for each k of
 * `counts` (1 ≤ k ≤ flows.length): the cover ratios LLCR / PLCR. In floats from `floatPv` when no
 * rounding midpoint is within the bound, else exactly (`pvRatioMicro` of `exactPv`).
 */
export function pvRatiosMicro(
  flows: readonly Fen[],
  rate: Ratio,
  counts: readonly number[],
  divisor: Fen,
): number[] {
  const pv = floatPv(flows, rate);
  if (pv !== null) {
    const out: number[] = [];
    for (const k of counts) {
      const v = ((pv.cum[k - 1] as number) * 1e6) / divisor;
      const err = (2 * ((pv.bound[k - 1] as number) * 1e6)) / divisor + Math.abs(v) * 8 * U;
      const r = roundHalfFloat(v, err);
      if (r === null) break;
      out.push(r);
    }
    if (out.length === counts.length) return out;
  }
  return pvRatiosMicroExact(flows, rate, counts, divisor);
}

/** `pvRatiosMicro` in BigInt alone: the definition the fast path must equal. */
export function pvRatiosMicroExact(
  flows: readonly Fen[],
  rate: Ratio,
  counts: readonly number[],
  divisor: Fen,
): number[] {
  const pv = exactPv(flows, rate);
  return counts.map((k) => pvRatioMicro(pv.prefix[k - 1] as bigint, pv.b ** BigInt(k), divisor));
}

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

/** Yuan → fen when the amount is whole fen and a safe integer in fen, else null (see `YuanSum`). */
export function fenOrNull(yuan: Dec): Fen | null {
  if (yuan.decimalPlaces() > 2) return null;
  // Whole fen below 2^50 fen: the nearest double of the yuan amount, times 100, is within far
  // less than half a fen of the amount in fen, so rounding it gives the amount exactly.
  const n = Math.round(yuan.toNumber() * 100);
  if (Math.abs(n) < 2 ** 50) return n || 0;
  const fen = yuan.times(100).toNumber();
  return Number.isSafeInteger(fen) ? fen : null;
}

/**
 * An exact running sum of yuan amounts, kept in integer fen while the amounts added are whole fen
 * and the sum stays a safe integer, the rest in Decimal: summing many members' years this way
 * allocates nothing per amount. `value()` equals the Decimal sum of the amounts exactly.
 */
export class YuanSum {
  private fen = 0;
  private rest: Dec | null = null;

  /** Adds an amount, with its fen form from `fenOrNull` (null: added in Decimal). */
  add(yuan: Dec, fen: Fen | null): void {
    if (fen !== null) {
      const next = this.fen + fen;
      if (Number.isSafeInteger(next)) {
        this.fen = next;
        return;
      }
    }
    this.rest = this.rest === null ? yuan : this.rest.plus(yuan);
  }

  value(): Dec {
    const inFen = decOf(this.fen);
    return this.rest === null ? inFen : inFen.plus(this.rest);
  }
}
