import { Dec } from '../decimal';
import type { DecParts } from './exact';

/**
 * Discounted cash flows as a sparse polynomial, the shape every rate function shares.
 *
 * NPV at rate r of flows a_k due at times t_k (periods for IRR, days for XIRR) is
 * Σ a_k (1+r)^(−t_k/c) with c = 1 (periods) or 365 (days). Writing z = (1+r)^(−1/c) turns it into
 * P(z) = Σ a_k z^(e_k) with integer exponents e_k = t_k, so rates in (−1, ∞) are exactly the
 * z in (0, ∞) and every power is an integer power: Horner's scheme applies, and Decimal never needs a
 * fractional power except to turn a rate into z (XNPV) or a root back into a rate (integer power c).
 *
 * Two forms keep floats finite: the forward form P(z) for z ≤ 1 (r ≥ 0), and the backward form
 * Q(w) = Σ a_k w^(E − e_k) = P(z)·w^E with w = 1/z = (1+r)^(1/c) for w < 1 (r < 0), E the largest
 * exponent. Both have every power ≤ 1, the same sign as the NPV and the same roots.
 */
export interface RatePolynomial {
  /** Non-zero coefficients (cash flows; flows with the same exponent netted), by ascending exponent. */
  readonly coefs: readonly Dec[];
  /** The coefficients as floats, for the search. */
  readonly coefsF: Float64Array;
  /** Ascending, distinct, non-negative integer exponents. */
  readonly exps: readonly number[];
  /** Periods per rate unit: 1 for IRR, 365 for XIRR (z = (1+r)^(−1/c)). */
  readonly c: number;
  /** True when the exponents are 0, 1, 2, … without gaps (the common IRR case, fastest loops). */
  readonly dense: boolean;
  /**
   * The coefficients exactly, as coef × 10^exp (periodic flows, see {@link periodPolynomial}), for the
   * exact confirmation in integers; absent for dated flows.
   */
  readonly parts?: readonly DecParts[];
}

/** Which form a point is evaluated in: forward P(z) with z ≤ 1, or backward Q(w) with w < 1. */
export type Form = 'forward' | 'backward';

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The nearest float (within a few ulps) of a finite Decimal, read from its documented digits
 * (`d`, base 1e7 words), exponent (`e`) and sign (`s`): about 10× cheaper than `toNumber()`, which
 * goes through a string. Only the float search uses it; every result is confirmed before it is returned.
 */
export function approxFloat(x: Dec): number {
  const w = x.d;
  if (!w || w.length === 0) return x.toNumber();
  const used = Math.min(w.length, 3);
  let m = w[0] as number;
  for (let i = 1; i < used; i++) m = m * 1e7 + (w[i] as number);
  if (m === 0) return 0;
  let len0 = 1;
  for (let t = w[0] as number; t >= 10; t = Math.floor(t / 10)) len0++;
  const k = x.e + 1 - len0 - 7 * (used - 1);
  const v =
    k >= 0
      ? k <= 22
        ? m * (POW10[k] as number)
        : m * Math.pow(10, k)
      : -k <= 22
        ? m / (POW10[-k] as number)
        : m / Math.pow(10, -k);
  return x.s < 0 ? -v : v;
}

/**
 * Builds the polynomial from flows and their exponents (any order, repeats allowed).
 * Zero flows are dropped; with `shift` the exponents are shifted so the smallest is 0, which
 * divides P by a positive power of z and leaves the roots unchanged (leading zero flows of an IRR).
 */
export function buildPolynomial(
  amounts: readonly Dec[],
  exps: readonly number[],
  c: number,
  shift: boolean,
): RatePolynomial {
  let sorted = true;
  for (let i = 1; i < exps.length; i++)
    if ((exps[i] as number) <= (exps[i - 1] as number)) sorted = false;
  const coefs: Dec[] = [];
  const e: number[] = [];
  if (sorted) {
    for (let i = 0; i < amounts.length; i++) {
      const a = amounts[i] as Dec;
      if (!a.isZero()) {
        coefs.push(a);
        e.push(exps[i] as number);
      }
    }
  } else {
    const byExp = new Map<number, Dec>();
    for (let i = 0; i < amounts.length; i++) {
      const k = exps[i] as number;
      const prev = byExp.get(k);
      byExp.set(k, prev === undefined ? (amounts[i] as Dec) : prev.plus(amounts[i] as Dec));
    }
    for (const [k, a] of [...byExp.entries()].sort((x, y) => x[0] - y[0])) {
      if (!a.isZero()) {
        coefs.push(a);
        e.push(k);
      }
    }
  }
  const base = shift && e.length > 0 ? (e[0] as number) : 0;
  const coefsF = new Float64Array(coefs.length);
  let dense = true;
  for (let i = 0; i < coefs.length; i++) {
    coefsF[i] = approxFloat(coefs[i] as Dec);
    e[i] = (e[i] as number) - base;
    if (e[i] !== i) dense = false;
  }
  return { coefs, coefsF, exps: e, c, dense };
}

/**
 * The polynomial of periodic flows (IRR: flow i is discounted i periods, c = 1) from the flows' exact
 * parts, leading zero flows shifted away. The floats for the search are read from the same parts, and
 * the Decimal coefficients (needed only by the closed forms) are made on first use: a flow read from
 * text is never parsed twice.
 *
 * @param parts every flow as coef × 10^exp, in period order.
 * @param decOf the Decimal of flow i (the caller's own Decimal, or one made from its parts).
 */
export function periodPolynomial(
  parts: readonly DecParts[],
  decOf: (i: number) => Dec,
): RatePolynomial {
  return new PeriodPolynomial(parts, decOf);
}

/** A class rather than a literal with a getter, so that every polynomial has the same fast shape. */
class PeriodPolynomial implements RatePolynomial {
  readonly coefsF: Float64Array;
  readonly exps: number[];
  readonly c = 1;
  readonly dense: boolean;
  readonly parts: DecParts[];
  private decs: Dec[] | undefined;
  private readonly idx: number[];
  private readonly decOf: (i: number) => Dec;

  constructor(parts: readonly DecParts[], decOf: (i: number) => Dec) {
    const idx: number[] = [];
    for (let i = 0; i < parts.length; i++) if ((parts[i] as DecParts).coef !== 0n) idx.push(i);
    const base = idx.length > 0 ? (idx[0] as number) : 0;
    const n = idx.length;
    this.coefsF = new Float64Array(n);
    this.exps = new Array<number>(n);
    this.parts = new Array<DecParts>(n);
    let dense = true;
    for (let k = 0; k < n; k++) {
      const i = idx[k] as number;
      const pt = parts[i] as DecParts;
      this.parts[k] = pt;
      this.coefsF[k] = pt.f;
      this.exps[k] = i - base;
      if (i - base !== k) dense = false;
    }
    this.dense = dense;
    this.idx = idx;
    this.decOf = decOf;
    this.decs = undefined;
  }

  get coefs(): readonly Dec[] {
    if (this.decs === undefined) this.decs = this.idx.map(this.decOf);
    return this.decs;
  }
}

/** Number of sign changes in the coefficient sequence (zeros are already dropped). */
export function signChanges(p: RatePolynomial): number {
  let n = 0;
  if (p.parts !== undefined) {
    const a = p.parts;
    for (let i = 1; i < a.length; i++)
      if ((a[i] as DecParts).coef < 0n !== (a[i - 1] as DecParts).coef < 0n) n++;
    return n;
  }
  for (let i = 1; i < p.coefsF.length; i++)
    if ((p.coefs[i] as Dec).isNegative() !== (p.coefs[i - 1] as Dec).isNegative()) n++;
  return n;
}

/** Value, derivative (with respect to the form's variable) and scale Σ|a_k|·v^(power) of one evaluation. */
export interface FloatEval {
  f: number;
  d: number;
  s: number;
}

/**
 * Evaluates the polynomial in floats, in the given form at v (z for forward, w for backward),
 * with its derivative and its scale (the same sum with |a_k|, i.e. the size of the discounted flows,
 * against which a residual is judged).
 */
export function evalFloat(p: RatePolynomial, form: Form, v: number): FloatEval {
  const a = p.coefsF;
  const e = p.exps;
  const K = a.length - 1;
  let f: number;
  let d = 0;
  let s: number;
  if (p.dense) {
    if (form === 'forward') {
      f = a[K] as number;
      s = Math.abs(f);
      for (let k = K - 1; k >= 0; k--) {
        d = d * v + f;
        f = f * v + (a[k] as number);
        s = s * v + Math.abs(a[k] as number);
      }
    } else {
      f = a[0] as number;
      s = Math.abs(f);
      for (let k = 1; k <= K; k++) {
        d = d * v + f;
        f = f * v + (a[k] as number);
        s = s * v + Math.abs(a[k] as number);
      }
    }
    return { f, d, s };
  }
  let lastGap = 1;
  let pw = v;
  let dpw = 1;
  if (form === 'forward') {
    f = a[K] as number;
    s = Math.abs(f);
    for (let k = K - 1; k >= 0; k--) {
      const g = (e[k + 1] as number) - (e[k] as number);
      if (g !== lastGap) {
        lastGap = g;
        pw = Math.pow(v, g);
        dpw = g * Math.pow(v, g - 1);
      }
      d = d * pw + f * dpw;
      f = f * pw + (a[k] as number);
      s = s * pw + Math.abs(a[k] as number);
    }
    const e0 = e[0] as number;
    if (e0 > 0) {
      const q = Math.pow(v, e0);
      d = d * q + f * e0 * Math.pow(v, e0 - 1);
      f *= q;
      s *= q;
    }
  } else {
    f = a[0] as number;
    s = Math.abs(f);
    for (let k = 1; k <= K; k++) {
      const g = (e[k] as number) - (e[k - 1] as number);
      if (g !== lastGap) {
        lastGap = g;
        pw = Math.pow(v, g);
        dpw = g * Math.pow(v, g - 1);
      }
      d = d * pw + f * dpw;
      f = f * pw + (a[k] as number);
      s = s * pw + Math.abs(a[k] as number);
    }
  }
  return { f, d, s };
}

/**
 * Evaluates the polynomial in Decimal by Horner's scheme in the given form at v.
 * Gaps between exponents are integer powers (Decimal `pow` with an integer exponent: repeated
 * squaring), cached per gap. Full working precision (40 significant digits), no rounding beyond it.
 */
export function evalDecimal(p: RatePolynomial, form: Form, v: Dec): Dec {
  const a = p.coefs;
  const e = p.exps;
  const K = a.length - 1;
  if (p.dense) {
    let acc = a[form === 'forward' ? K : 0] as Dec;
    if (form === 'forward') for (let k = K - 1; k >= 0; k--) acc = acc.times(v).plus(a[k] as Dec);
    else for (let k = 1; k <= K; k++) acc = acc.times(v).plus(a[k] as Dec);
    return acc;
  }
  const pows = new Map<number, Dec>([[1, v]]);
  const pow = (g: number): Dec => {
    let q = pows.get(g);
    if (q === undefined) {
      q = v.pow(g);
      pows.set(g, q);
    }
    return q;
  };
  if (form === 'forward') {
    let acc = a[K] as Dec;
    for (let k = K - 1; k >= 0; k--)
      acc = acc.times(pow((e[k + 1] as number) - (e[k] as number))).plus(a[k] as Dec);
    const e0 = e[0] as number;
    return e0 > 0 ? acc.times(pow(e0)) : acc;
  }
  let acc = a[0] as Dec;
  for (let k = 1; k <= K; k++)
    acc = acc.times(pow((e[k] as number) - (e[k - 1] as number))).plus(a[k] as Dec);
  return acc;
}

/**
 * Value and derivative in Decimal (term by term: f = Σ a_k v^(m_k), f' = Σ m_k a_k v^(m_k − 1)),
 * for the rare Decimal Newton step when a float root misses the residual tolerance.
 */
export function evalDecimalWithDerivative(
  p: RatePolynomial,
  form: Form,
  v: Dec,
): { f: Dec; d: Dec } {
  const a = p.coefs;
  const e = p.exps;
  const K = a.length - 1;
  const E = e[K] as number;
  let f = new Dec(0);
  let vd = new Dec(0);
  for (let k = 0; k <= K; k++) {
    const m = form === 'forward' ? (e[k] as number) : E - (e[k] as number);
    const term = (a[k] as Dec).times(v.pow(m));
    f = f.plus(term);
    vd = vd.plus(term.times(m));
  }
  return { f, d: vd.div(v) };
}
