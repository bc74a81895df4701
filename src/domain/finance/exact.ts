import type { Dec } from '../decimal';
import { divRound } from '../fen';

/**
 * Exact integer arithmetic for the IRR confirmation.
 *
 * Flows are finite decimals, so with one common power of ten they are integers A_k; a candidate
 * growth factor w = 1 + r is a finite decimal W / 10^d. The NPV polynomial in its backward form,
 * Q(w) = Σ A_k w^(E − e_k), then has the exact integer numerator
 *
 *   Q(w) · 10^(d·E) = Σ A_k · W^(E − e_k) · 10^(d·e_k),
 *
 * which Horner's scheme builds in BigInt without a single rounding. The same sum with |A_k| is the
 * size of the discounted flows over the same denominator, so a residual is judged against it by
 * comparing two integers.
 *
 * Also here: readers that take a flow's digits straight from its text or its Decimal (no parse
 * into a Decimal, no `toFixed`), a compensated float Horner scheme that refines a float root to about
 * 30 digits before the exact check, and the rounding of an exact growth factor to a rate.
 */

/** A finite decimal as coef × 10^exp (coef a signed integer), with floats read from the same digits. */
export interface DecParts {
  readonly coef: bigint;
  readonly exp: number;
  /** The value's nearest float. */
  readonly f: number;
  /** The coefficient as a float: exact when |coef| ≤ 2^53. */
  readonly c: number;
}

/** A decimal n / 10^d (d ≥ 0): a growth factor 1 + r (positive), or a rate. */
export interface Fixed {
  readonly n: bigint;
  readonly d: number;
}

const POW10_CACHE: bigint[] = [1n];

/** 10^k for k ≥ 0 (cached up to 10^64). */
export function pow10(k: number): bigint {
  if (k < POW10_CACHE.length) return POW10_CACHE[k] as bigint;
  if (k > 64) return 10n ** BigInt(k);
  for (let i = POW10_CACHE.length; i <= k; i++)
    POW10_CACHE.push((POW10_CACHE[i - 1] as bigint) * 10n);
  return POW10_CACHE[k] as bigint;
}

const POW5_CACHE: bigint[] = [1n];

/** 5^k for k ≥ 0 (cached up to 5^1100, the most a float needs). */
function pow5(k: number): bigint {
  if (k < POW5_CACHE.length) return POW5_CACHE[k] as bigint;
  if (k > 1100) return 5n ** BigInt(k);
  for (let i = POW5_CACHE.length; i <= k; i++) POW5_CACHE.push((POW5_CACHE[i - 1] as bigint) * 5n);
  return POW5_CACHE[k] as bigint;
}

const POW10F = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TWO53 = 2 ** 53;

/** c × 10^exp correctly rounded, for an exact float coefficient c (|c| ≤ 2^53) and |exp| ≤ 22. */
function scaled(c: number, exp: number): number {
  return exp >= 0 ? c * (POW10F[exp] as number) : c / (POW10F[-exp] as number);
}

/**
 * The exact parts of a finite Decimal, read from its documented digits (`d`, base 1e7 words), exponent
 * (`e`) and sign (`s`) without going through a string for the usual amounts (up to 14 digits). Works
 * for a Decimal of any decimal.js clone.
 */
export function partsOfDec(x: Dec): DecParts {
  const w = x.d;
  const n = w.length;
  const w0 = w[0] as number;
  let len0 = 1;
  for (let t = w0; t >= 10; t = Math.floor(t / 10)) len0++;
  const exp = x.e + 1 - len0 - 7 * (n - 1);
  const neg = x.s < 0;
  if (n <= 2) {
    const c = n === 1 ? w0 : w0 * 1e7 + (w[1] as number);
    const f = exp >= -22 && exp <= 22 ? scaled(c, exp) : Number(`${c}e${exp}`);
    return { coef: BigInt(neg ? -c : c), exp, f: neg ? -f : f, c: neg ? -c : c };
  }
  let digits = String(w0);
  for (let i = 1; i < n; i++) digits += String(w[i]).padStart(7, '0');
  const text = neg ? `-${digits}` : digits;
  return { coef: BigInt(text), exp, f: Number(`${text}e${exp}`), c: Number(text) };
}

function isDigit(ch: number): boolean {
  return ch >= 48 && ch <= 57;
}

/**
 * The exact parts of trimmed decimal text in the language `toDec` accepts
 * (`[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`), read in one pass without a regular expression; null
 * for anything else, or an exponent that is not a safe integer (the caller then reads the value as a
 * Decimal, which gives the same value or the same error).
 */
export function partsOfText(text: string): DecParts | null {
  const len = text.length;
  let i = 0;
  let ch = len > 0 ? text.charCodeAt(0) : 0;
  const neg = ch === 45;
  if (ch === 43 || ch === 45) i = 1;
  // The coefficient's digits as a float while it stays exact (below 2^53).
  let c = 0;
  let exact = true;
  const intStart = i;
  for (; i < len && isDigit((ch = text.charCodeAt(i))); i++) {
    c = c * 10 + (ch - 48);
    if (c > TWO53) exact = false;
  }
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < len && text.charCodeAt(i) === 46) {
    fracStart = ++i;
    for (; i < len && isDigit((ch = text.charCodeAt(i))); i++) {
      c = c * 10 + (ch - 48);
      if (c > TWO53) exact = false;
    }
    fracEnd = i;
  }
  if (intEnd === intStart && fracEnd === fracStart) return null;
  let e = 0;
  if (i < len) {
    ch = text.charCodeAt(i);
    if (ch !== 101 && ch !== 69) return null;
    ch = ++i < len ? text.charCodeAt(i) : 0;
    const expNeg = ch === 45;
    if (ch === 43 || ch === 45) i++;
    const expStart = i;
    while (i < len && isDigit(text.charCodeAt(i))) i++;
    if (i === expStart || i !== len) return null;
    e = Number(text.slice(expStart, i));
    if (!Number.isSafeInteger(e)) return null;
    if (expNeg) e = -e;
  }
  const exp = e - (fracEnd - fracStart);
  if (exact) {
    if (exp < -22 || exp > 22)
      return { coef: BigInt(neg ? -c : c), exp, f: Number(text), c: neg ? -c : c };
    const f = scaled(c, exp);
    return { coef: BigInt(neg ? -c : c), exp, f: neg ? -f : f, c: neg ? -c : c };
  }
  const digits = text.slice(intStart, intEnd) + text.slice(fracStart, fracEnd);
  const coef = BigInt(digits);
  return { coef: neg ? -coef : coef, exp, f: Number(text), c: neg ? -c : c };
}

/**
 * The flows as integers over their smallest power of ten, A_k = coef_k × 10^(exp_k − min exp), and
 * the same integers as floats when every one is exact as a float (|A_k| ≤ 2^53), else null.
 */
export function scaleToIntegers(parts: readonly DecParts[]): {
  ints: bigint[];
  floats: Float64Array | null;
} {
  let min = Infinity;
  for (const p of parts) if (p.coef !== 0n && p.exp < min) min = p.exp;
  const ints = new Array<bigint>(parts.length);
  let floats: Float64Array | null = new Float64Array(parts.length);
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k] as DecParts;
    const j = p.exp - min;
    ints[k] = j === 0 || p.coef === 0n ? p.coef : p.coef * pow10(j);
    if (floats !== null) {
      const a = j === 0 ? p.c : j <= 22 ? p.c * (POW10F[j] as number) : Infinity;
      if (Math.abs(p.c) <= TWO53 && Math.abs(a) <= TWO53) floats[k] = a;
      else floats = null;
    }
  }
  return { ints, floats };
}

/** Exact numerators of Q(w) and of Σ|A_k| w^(E − e_k), both over 10^(d·E). */
export interface ExactEval {
  p: bigint;
  s: bigint;
}

/** Tables of 10^(d·j), j = 0, 1, …, per d, for the Horner passes; bounded in entries and in size. */
const TEN_TABLES = new Map<number, bigint[]>();
const TABLE_ENTRIES = 256;
const TABLE_DIGITS = 2000;

function tenPowers(d: number, upTo: number): bigint[] | null {
  if (upTo > TABLE_ENTRIES || d * upTo > TABLE_DIGITS) return null;
  let t = TEN_TABLES.get(d);
  if (t === undefined) {
    if (TEN_TABLES.size >= 16) TEN_TABLES.clear();
    t = [1n];
    TEN_TABLES.set(d, t);
  }
  if (t.length <= upTo) {
    const D = pow10(d);
    while (t.length <= upTo) t.push((t[t.length - 1] as bigint) * D);
  }
  return t;
}

/** 10^(d·j), from the table when it holds it. */
export function tenToThe(d: number, j: number): bigint {
  const t = tenPowers(d, j);
  return t !== null ? (t[j] as bigint) : pow10(d * j);
}

/** Above this many terms the sums are split in halves (fast multiplication of large halves). */
const SPLIT_MIN = 128;

/** Powers of one base, cached for one evaluation. */
function powers(base: bigint): (n: number) => bigint {
  const cache = new Map<number, bigint>();
  return (n) => {
    if (n === 0) return 1n;
    if (n === 1) return base;
    let v = cache.get(n);
    if (v === undefined) {
      v = base ** BigInt(n);
      cache.set(n, v);
    }
    return v;
  };
}

/**
 * Σ_{k=i}^{j−1} B_k · W^(e_{j−1} − e_k) · D^(e_k − e_i) with B_k = A_k (or |A_k|), by binary
 * splitting: H(i, j) = H(i, m) · W^(e_{j−1} − e_{m−1}) + H(m, j) · D^(e_m − e_i). The work goes into a
 * few products of large halves, which BigInt multiplies much faster than a long Horner chain of
 * growing numbers.
 */
function splitSum(
  a: readonly bigint[],
  e: readonly number[],
  i: number,
  j: number,
  abs: boolean,
  pw: (n: number) => bigint,
  pd: (n: number) => bigint,
): bigint {
  if (j - i <= 16) {
    const first = a[i] as bigint;
    let acc = abs && first < 0n ? -first : first;
    let T = 1n;
    for (let k = i + 1; k < j; k++) {
      const g = (e[k] as number) - (e[k - 1] as number);
      T *= pd(g);
      const ak = a[k] as bigint;
      acc = acc * pw(g) + (abs && ak < 0n ? -ak : ak) * T;
    }
    return acc;
  }
  const m = (i + j) >> 1;
  return (
    splitSum(a, e, i, m, abs, pw, pd) * pw((e[j - 1] as number) - (e[m - 1] as number)) +
    splitSum(a, e, m, j, abs, pw, pd) * pd((e[m] as number) - (e[i] as number))
  );
}

/**
 * Σ A_k · W^(N − e_k) · (10^d)^(e_k) exactly (e ascending, e_k ≤ N): for the backward form at
 * w = W / 10^d with N = E this is Q(w) · 10^(d·N). Horner's scheme for the usual short schedules,
 * binary splitting for long ones. With `withScale`, `s` is the same sum with |A_k| (else 0n); when one
 * sign has at most a quarter of the terms, `s` comes from that sign's terms alone
 * (s = p + 2·Σ⁻ or 2·Σ⁺ − p), which for the usual outlay-then-income flows is one power instead of a
 * second pass.
 */
export function evalExact(
  a: readonly bigint[],
  e: readonly number[],
  N: number,
  w: Fixed,
  withScale: boolean,
): ExactEval {
  const W = w.n;
  const K = a.length - 1;
  const D = pow10(w.d);
  let neg = 0;
  if (withScale) for (let k = 0; k <= K; k++) if ((a[k] as bigint) < 0n) neg++;
  const minority = Math.min(neg, K + 1 - neg);
  const fullScale = withScale && minority * 4 > K + 1;
  const tail = N - (e[K] as number);
  const e0 = e[0] as number;

  let p: bigint;
  let s = 0n;
  let tens: bigint[] | null = null;
  if (K >= SPLIT_MIN) {
    const pw = powers(W);
    const pd = powers(D);
    const outer = pw(tail) * pd(e0);
    p = splitSum(a, e, 0, K + 1, false, pw, pd) * outer;
    if (fullScale) s = splitSum(a, e, 0, K + 1, true, pw, pd) * outer;
  } else {
    tens = tenPowers(w.d, e[K] as number);
    let T = tens !== null ? (tens[e0] as bigint) : e0 === 0 ? 1n : D ** BigInt(e0);
    p = (a[0] as bigint) * T;
    if (fullScale) s = p < 0n ? -p : p;
    let lastGap = 1;
    let Wg = W;
    let Dg = D;
    for (let k = 1; k <= K; k++) {
      const ek = e[k] as number;
      const g = ek - (e[k - 1] as number);
      if (g !== lastGap) {
        lastGap = g;
        Wg = W ** BigInt(g);
        if (tens === null) Dg = D ** BigInt(g);
      }
      T = tens !== null ? (tens[ek] as bigint) : T * Dg;
      const t = (a[k] as bigint) * T;
      p = p * Wg + t;
      if (fullScale) s = s * Wg + (t < 0n ? -t : t);
    }
    if (tail > 0) {
      const q = W ** BigInt(tail);
      p *= q;
      s *= q;
    }
  }
  if (!withScale || fullScale) return { p, s };

  // Σ over the minority sign's terms only, |A_k| · W^(N − e_k) · 10^(d·e_k), by Horner over them.
  const minorityNegative = neg * 2 <= K + 1;
  let m = 0n;
  let last = -1;
  for (let k = 0; k <= K; k++) {
    const ak = a[k] as bigint;
    if (ak < 0n !== minorityNegative) continue;
    const ek = e[k] as number;
    const tk = tens !== null ? (tens[ek] as bigint) : D ** BigInt(ek);
    const term = (ak < 0n ? -ak : ak) * tk;
    m = last < 0 ? term : m * W ** BigInt(ek - last) + term;
    last = ek;
  }
  if (last >= 0 && N > last) m *= W ** BigInt(N - last);
  return { p, s: minorityNegative ? p + 2n * m : 2n * m - p };
}

/** |p| ≤ tolerance × s with tolerance = 1 / tolDen, by integer comparison. */
export function withinTolerance(x: ExactEval, tolDen: bigint): boolean {
  return (x.p < 0n ? -x.p : x.p) * tolDen <= x.s;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : (x < 0n ? -x : x).toString(16).length * 4;
}

/** x as a float mantissa and a power of two: x ≈ m · 2^k, m exact to 64 bits (no overflow for any size). */
function split(x: bigint): [number, number] {
  const sh = bitLength(x) - 64;
  return sh <= 0 ? [Number(x), 0] : [Number(x >> BigInt(sh)), sh];
}

/** p / s as a float (s ≠ 0), however large both are. */
export function ratioFloat(p: bigint, s: bigint): number {
  if (p === 0n) return 0;
  const [mp, kp] = split(p);
  const [ms, ks] = split(s);
  return (mp / ms) * Math.pow(2, kp - ks);
}

const POW10_64 = pow10(64);

/** Number of decimal digits of |x| (x ≠ 0): a binary search over cached powers of ten. */
function digitCount(x: bigint): number {
  const a = x < 0n ? -x : x;
  if (a >= POW10_64) return a.toString().length;
  let lo = 0;
  let hi = 64;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (a >= pow10(mid)) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** A positive finite float exactly, as a decimal (m · 2^e = m · 5^(−e) / 10^(−e)). */
export function fixedOfDouble(x: number): Fixed {
  F64[0] = x;
  const hi = U32[HI] as number;
  const lo = U32[1 - HI] as number;
  const be = (hi >>> 20) & 0x7ff;
  let m = (hi & 0xfffff) * 4294967296 + lo;
  let e2: number;
  if (be === 0) e2 = -1074;
  else {
    m += TWO53 / 2;
    e2 = be - 1075;
  }
  while (e2 < 0 && m % 2 === 0) {
    m /= 2;
    e2++;
  }
  if (e2 >= 0) return { n: BigInt(m) << BigInt(e2), d: 0 };
  return { n: BigInt(m) * pow5(-e2), d: -e2 };
}

/** 1 / z to `digits` significant digits (rounded half-up), for a positive decimal z. */
export function reciprocal(z: Fixed, digits: number): Fixed {
  const approx = Math.log10(Number(pow10(z.d)) / Number(z.n));
  const e = Number.isFinite(approx) ? Math.floor(approx) : z.d - (z.n.toString().length - 1);
  const d = Math.max(0, digits - 1 - e);
  return { n: divRound(pow10(z.d + d), z.n), d };
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split of a float into two 26-bit halves
const U = 2 ** -53;

/** Value, derivative, scale and an error bound of one compensated evaluation. */
export interface CompensatedEval {
  /** The polynomial's value, as accurate as if computed in twice the float precision. */
  f: number;
  /** A bound on |f − exact value|: u·|f| + γ(2n)²·s (Graillat, Langlois & Louvet). */
  bound: number;
  /** The derivative in plain floats. */
  d: number;
  /** Σ |a_i| v^(power), in plain floats. */
  s: number;
}

/**
 * Compensated Horner scheme (Graillat, Langlois & Louvet, 2005) over dense float coefficients that
 * are exact (integers up to 2^53): every product and sum is split into its float and its exact
 * rounding error (Dekker's TwoProduct, Knuth's TwoSum) and the errors are summed by a second Horner
 * pass, so the value is as accurate as in twice the precision: |error| ≤ u·|P| + γ(2n)²·Σ|a_i|v^i.
 * `reverse` false evaluates Σ a[i] v^(n − i) (a[0] the top power), true Σ a[i] v^i.
 */
export function evalCompensated(a: Float64Array, reverse: boolean, v: number): CompensatedEval {
  const n = a.length - 1;
  const cv = SPLITTER * v;
  const vh = cv - (cv - v);
  const vl = v - vh;
  let s = a[reverse ? n : 0] as number;
  let err = 0;
  let d = 0;
  let sc = Math.abs(s);
  for (let j = 1; j <= n; j++) {
    const ai = a[reverse ? n - j : j] as number;
    d = d * v + s;
    const p = s * v;
    const cs = SPLITTER * s;
    const sh = cs - (cs - s);
    const sl = s - sh;
    const pe = sl * vl - (p - sh * vh - sl * vh - sh * vl);
    const ns = p + ai;
    const bb = ns - p;
    const se = p - (ns - bb) + (ai - bb);
    err = err * v + (pe + se);
    s = ns;
    sc = sc * v + Math.abs(ai);
  }
  const f = s + err;
  const g = (2 * n * U) / (1 - 2 * n * U);
  return { f, bound: U * Math.abs(f) + g * g * sc * 1.01, d, s: sc };
}

/** The decimal of a positive float to 17 significant digits (enough to give back the float). */
export function fixedOfFloat(x: number): Fixed | null {
  if (!(x > 0) || !Number.isFinite(x)) return null;
  const p = partsOfText(x.toPrecision(17)) as DecParts;
  return p.exp >= 0 ? { n: p.coef * pow10(p.exp), d: 0 } : { n: p.coef, d: -p.exp };
}

/**
 * w − δ for a float δ, exactly, δ taken to about 16 significant digits (δ · 10^k rounded to an
 * integer near 1e15); null unless the result is positive.
 */
export function minusFloat(w: Fixed, delta: number): Fixed | null {
  if (delta === 0) return w;
  if (!Number.isFinite(delta)) return null;
  const k = 15 - Math.floor(Math.log10(Math.abs(delta)));
  let n: bigint;
  let d: number;
  if (k >= 0 && k <= 300) {
    const m = BigInt(
      Math.round(k <= 22 ? delta * (POW10F[k] as number) : delta * 1e22 * 10 ** (k - 22)),
    );
    d = Math.max(w.d, k);
    n = w.n * pow10(d - w.d) - m * pow10(d - k);
  } else {
    const p = partsOfText(delta.toPrecision(17)) as DecParts;
    d = Math.max(w.d, -p.exp);
    n = w.n * pow10(d - w.d) - p.coef * pow10(p.exp + d);
  }
  return n > 0n ? { n, d } : null;
}

/**
 * The rate for an exact growth factor y = 1 + r > 0, rounded as `toRate` in rate-solver.ts rounds a
 * Decimal: half-up (away from zero) to `digits` significant digits of r, or of y when that keeps more
 * decimal places (rates below about −90 %), the rate then being y_rounded − 1 exactly.
 */
export interface RoundedRate {
  /** 'r' when r itself was rounded, 'y' when 1 + r was. */
  of: 'r' | 'y';
  /** Decimal places of the rounding (negative for rates of 10^digits and more). */
  places: number;
  /** The rounded value (of r or of y) in units of 10^(−places). */
  q: bigint;
  /**
   * True when the input lay within 1e-6 of a unit from the midpoint between q and its neighbour
   * q + toward: an approximate input cannot decide such a rounding, the root's side must be proven.
   */
  nearTie: boolean;
  /** The neighbour on the input's side of q: q + toward. */
  toward: 1n | -1n;
}

export function roundRate(y: Fixed, digits: number): RoundedRate {
  const one = pow10(y.d);
  const R = y.n - one;
  const pY = digits - 1 - (digitCount(y.n) - 1 - y.d);
  const pR = R === 0n ? 0 : digits - 1 - (digitCount(R) - 1 - y.d);
  const of = pY <= pR ? 'r' : 'y';
  const places = of === 'r' ? pR : pY;
  const x = of === 'r' ? R : y.n;
  if (places >= y.d) return { of, places, q: x * pow10(places - y.d), nearTie: false, toward: 1n };
  // x / M − q = rem / M is where the input lies from q, in units.
  const M = pow10(y.d - places);
  const q = divRound(x, M);
  const rem = x - q * M;
  const twice = (rem < 0n ? -rem : rem) * 2n;
  const gap = twice > M ? twice - M : M - twice;
  return { of, places, q, nearTie: gap * 1_000_000n <= M, toward: rem < 0n ? -1n : 1n };
}

/** The rounded value q (in units of 10^(−places)) of r or y, as the growth factor 1 + r. */
export function growthOf(of: 'r' | 'y', q: bigint, places: number): Fixed {
  if (places < 0) {
    const n = q * pow10(-places);
    return of === 'r' ? { n: n + 1n, d: 0 } : { n, d: 0 };
  }
  return of === 'r' ? { n: q + pow10(places), d: places } : { n: q, d: places };
}

/** The rate r of a rounded value q (units of 10^(−places)) of r or y. */
export function rateOf(of: 'r' | 'y', q: bigint, places: number): Fixed {
  const g = growthOf(of, q, places);
  return { n: g.n - pow10(g.d), d: g.d };
}

/** The midpoint between two rounded values q and q + step (step ±1), as a growth factor. */
export function midpointGrowth(of: 'r' | 'y', q: bigint, step: bigint, places: number): Fixed {
  const twice = 2n * q + step;
  if (places + 1 < 0) {
    // Units of 10^(−places) ≥ 10: a midpoint is a multiple of 5 · 10^(−places − 1), an integer.
    const n = twice * 5n * pow10(-places - 1);
    return of === 'r' ? { n: n + 1n, d: 0 } : { n, d: 0 };
  }
  const n = twice * 5n;
  return of === 'r' ? { n: n + pow10(places + 1), d: places + 1 } : { n, d: places + 1 };
}
