import { Dec, Rounding } from '../decimal';
import { decOfDigits, divRound } from '../fen';
import { badArgument } from './args';
import {
  evalCompensated,
  evalExact,
  fixedOfDouble,
  fixedOfFloat,
  minusFloat,
  partsOfDec,
  pow10,
  ratioFloat,
  rateOf,
  reciprocal,
  roundRate,
  scaleToIntegers,
  tenToThe,
  growthOf,
  midpointGrowth,
  withinTolerance,
  type ExactEval,
  type Fixed,
} from './exact';
import {
  approxFloat,
  evalDecimal,
  evalDecimalWithDerivative,
  evalFloat,
  signChanges,
  type Form,
  type RatePolynomial,
} from './polynomial';

/**
 * Outcome of solving NPV(r) = 0 for r in (−1, ∞).
 *
 * - `status`: 'ok' when at least one rate was found and confirmed, else 'no-solution'. IRR roots are
 *   confirmed exactly in integer arithmetic at the returned (rounded) rate, which is stricter than a
 *   Decimal confirmation; XIRR roots (irrational powers of the rate) in Decimal.
 * - `rate`: the root nearest the guess (the only root when there is one), or null.
 * - `signChanges`: sign changes of the non-zero flows in time order (XIRR: flows of the same day netted).
 * - `multiple`: true when more than one distinct root was found in (−1, ∞) (`roots.length > 1`); sign
 *   changes alone never set it (−50, 30, −8, 30, 30 changes sign three times and has one root).
 * - `roots`: the distinct confirmed roots in (−1, ∞), ascending; `[rate]` when there is exactly one, `[]` when none.
 *
 * Every rate is a fraction per period (IRR) or per 365-day year (XIRR), rounded half-up to 15
 * significant digits; below about −90 % it keeps 15 significant digits of (1 + rate) instead, so the
 * NPV at the returned rate stays within tolerance and the rate stays above −1.
 */
export interface IrrResult {
  status: 'ok' | 'no-solution';
  rate: Dec | null;
  signChanges: number;
  multiple: boolean;
  roots: Dec[];
}

/** A root is accepted when |NPV| ≤ RESIDUAL_TOLERANCE × Σ|discounted flows| at that rate. */
export const RESIDUAL_TOLERANCE = 1e-10;
/** 1 / RESIDUAL_TOLERANCE, for the exact comparison |NPV| × 10^10 ≤ Σ|discounted flows|. */
const TOLERANCE_DEN = 10_000_000_000n;
/** Significant digits of a returned rate. */
export const RATE_SIGNIFICANT_DIGITS = 15;

const EPS = Number.EPSILON;
const MAX_NEWTON = 60;
const MAX_BRENT = 200;
const MAX_GOLDEN = 64;
const MAX_REFINED_MINIMA = 32;

/** A float root in one of the two forms (see polynomial.ts). */
interface Candidate {
  form: Form;
  v: number;
}

/** u = ln(1 + r) ↦ the form and variable that keep every power ≤ 1. */
function pointAt(p: RatePolynomial, u: number): Candidate {
  return u >= 0
    ? { form: 'forward', v: Math.exp(-u / p.c) }
    : { form: 'backward', v: Math.exp(u / p.c) };
}

function uOf(p: RatePolynomial, x: Candidate): number {
  return x.form === 'forward' ? -p.c * Math.log(x.v) : p.c * Math.log(x.v);
}

/** Scaled NPV at u = ln(1 + r): same sign and same zeros as the NPV, always finite. */
function valueAt(p: RatePolynomial, u: number): { f: number; s: number } {
  const x = pointAt(p, u);
  return evalFloat(p, x.form, x.v);
}

/**
 * Newton's method in the form's variable from u0. Leaving (0, 1] switches form (w = 1/z);
 * falling to 0 or below halves the variable instead. Returns the converged point, the best point
 * when the residual is already within tolerance, or null.
 */
function newton(p: RatePolynomial, u0: number): Candidate | null {
  let x = pointAt(p, u0);
  let best: Candidate | null = null;
  let bestRel = Infinity;
  for (let it = 0; it < MAX_NEWTON; it++) {
    const { f, d, s } = evalFloat(p, x.form, x.v);
    if (!Number.isFinite(f) || !Number.isFinite(d) || !(s > 0)) break;
    const rel = Math.abs(f) / s;
    if (rel < bestRel) {
      bestRel = rel;
      best = { form: x.form, v: x.v };
    }
    if (f === 0) return x;
    if (d === 0) break;
    const step = f / d;
    let v = x.v - step;
    if (!(v > 0)) v = x.v / 2;
    const converged = Math.abs(step) <= 4 * EPS * x.v;
    x =
      v > 1
        ? { form: x.form === 'forward' ? 'backward' : 'forward', v: 1 / v }
        : { form: x.form, v };
    if (converged) return x;
  }
  return bestRel <= RESIDUAL_TOLERANCE ? best : null;
}

/** A few Newton steps in the form's variable from a bracketed root, kept only while they shrink |f|. */
function polish(p: RatePolynomial, x: Candidate): Candidate {
  let cur = x;
  let cf = Math.abs(evalFloat(p, cur.form, cur.v).f);
  for (let i = 0; i < 3 && cf > 0; i++) {
    const { f, d } = evalFloat(p, cur.form, cur.v);
    if (d === 0 || !Number.isFinite(d)) break;
    const v = cur.v - f / d;
    if (!(v > 0) || v > 1 || Math.abs(v - cur.v) > 1e-6 * cur.v) break;
    const nf = Math.abs(evalFloat(p, cur.form, v).f);
    if (!(nf < cf)) break;
    cur = { form: cur.form, v };
    cf = nf;
  }
  return cur;
}

/** Brent's method (zeroin) for the scaled NPV in u on [a, b] with f(a)·f(b) < 0; bounded iterations. */
function brent(p: RatePolynomial, a: number, b: number, fa: number, fb: number): number {
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < MAX_BRENT; i++) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * EPS * Math.abs(b) + 1e-18;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) < tol || Math.abs(fa) <= Math.abs(fb)) {
      d = e = m;
    } else {
      const s = fb / fa;
      let pp: number;
      let q: number;
      if (a === c) {
        pp = 2 * m * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        pp = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (pp > 0) q = -q;
      else pp = -pp;
      if (2 * pp < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = pp / q;
      } else {
        d = e = m;
      }
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = valueAt(p, b).f;
  }
  return b;
}

/**
 * Bounds on u = ln(1 + r) outside which the NPV has no root: Kioustelidis' bound on the positive
 * roots of Σ a_k z^(e_k) (2·max (|a_k|/|a_top|)^(1/(E − e_k)) over coefficients of the other sign),
 * applied to z and to w = 1/z, padded slightly. Computed in logarithms, so it never overflows.
 */
function rootBounds(p: RatePolynomial): [number, number] {
  const a = p.coefsF;
  const e = p.exps;
  const K = a.length - 1;
  const E = e[K] as number;
  const top = a[K] as number;
  const bottom = a[0] as number;
  const lnTop = Math.log(Math.abs(top));
  const lnBottom = Math.log(Math.abs(bottom));
  let lnZ = -Infinity;
  let lnW = -Infinity;
  for (let k = 0; k <= K; k++) {
    const ak = a[k] as number;
    const lk = Math.log(Math.abs(ak));
    if (k < K && ak > 0 !== top > 0) lnZ = Math.max(lnZ, (lk - lnTop) / (E - (e[k] as number)));
    if (k > 0 && ak > 0 !== bottom > 0) lnW = Math.max(lnW, (lk - lnBottom) / (e[k] as number));
  }
  const uLo = -p.c * (Math.LN2 + lnZ);
  const uHi = p.c * (Math.LN2 + lnW);
  return [uLo - 0.01 - 1e-9 * Math.abs(uLo), uHi + 0.01 + 1e-9 * Math.abs(uHi)];
}

/** Grid step in u: fine where rates are plausible (−99 % … 1100 %), coarser outside. */
function gridStep(u: number): number {
  if (u >= -4.7 && u <= 2.5) return 0.02;
  const a = Math.abs(u);
  return a <= 20 ? 0.05 : a / 40;
}

/**
 * Golden-section search for the minimum of σ·f on [a, b] (σ the sign of f there). Returns a point
 * where f changes sign (two roots close together), a point where |f| is within tolerance
 * (a touching root), or null.
 */
function refineMinimum(
  p: RatePolynomial,
  a: number,
  b: number,
  sigma: number,
): { split?: number; touch?: number } | null {
  const gr = (Math.sqrt(5) - 1) / 2;
  let x1 = b - gr * (b - a);
  let x2 = a + gr * (b - a);
  let v1 = valueAt(p, x1);
  let v2 = valueAt(p, x2);
  for (let i = 0; i < MAX_GOLDEN; i++) {
    if (sigma * v1.f < 0) return { split: x1 };
    if (sigma * v2.f < 0) return { split: x2 };
    if (b - a <= 4 * EPS * (1 + Math.abs(a))) break;
    if (sigma * v1.f < sigma * v2.f) {
      b = x2;
      x2 = x1;
      v2 = v1;
      x1 = b - gr * (b - a);
      v1 = valueAt(p, x1);
    } else {
      a = x1;
      x1 = x2;
      v1 = v2;
      x2 = a + gr * (b - a);
      v2 = valueAt(p, x2);
    }
  }
  const [x, v] = Math.abs(v1.f) / v1.s <= Math.abs(v2.f) / v2.s ? [x1, v1] : [x2, v2];
  return Math.abs(v.f) <= RESIDUAL_TOLERANCE * v.s ? { touch: x } : null;
}

/**
 * All float roots in (−1, ∞): scan a grid in u between the root bounds, Brent on every sign change,
 * and a golden-section look at every local minimum of |NPV| (pairs of roots inside one grid cell,
 * touching roots).
 */
function scanRoots(p: RatePolynomial, uLo: number, uHi: number): number[] {
  const us: number[] = [];
  for (let u = uLo; u < uHi; u += gridStep(u)) us.push(u);
  us.push(uHi);
  const fs = us.map((u) => valueAt(p, u));
  const lambda = (p.exps[p.exps.length - 1] as number) / p.c;
  const roots: number[] = [];
  const minima: Array<{ i: number; rel: number }> = [];
  for (let i = 0; i < us.length; i++) {
    const fi = (fs[i] as { f: number; s: number }).f;
    if (fi === 0) {
      roots.push(us[i] as number);
      continue;
    }
    if (i + 1 < us.length) {
      const fj = (fs[i + 1] as { f: number }).f;
      if ((fi < 0 && fj > 0) || (fi > 0 && fj < 0))
        roots.push(brent(p, us[i] as number, us[i + 1] as number, fi, fj));
    }
    if (i > 0 && i + 1 < us.length) {
      const fa = (fs[i - 1] as { f: number }).f;
      const fb = (fs[i + 1] as { f: number }).f;
      const sigma = fi > 0 ? 1 : -1;
      if (sigma * fa > sigma * fi && sigma * fb >= sigma * fi && sigma * fa > 0 && sigma * fb > 0) {
        // The scaled NPV's second derivative is at most λ²·s (λ = longest time in rate units), so within
        // h of this grid point (where s grows by at most e^(λh)) it cannot dip from |f| to zero unless
        // |f| ≤ λ²·s·h²·e^(λh)/2: only such minima can hide two roots (or a touching one).
        const h = Math.max(
          (us[i + 1] as number) - (us[i] as number),
          (us[i] as number) - (us[i - 1] as number),
        );
        const rel = Math.abs(fi) / (fs[i] as { s: number }).s;
        if (rel <= lambda * lambda * h * h * Math.exp(lambda * h)) minima.push({ i, rel });
      }
    }
  }
  minima.sort((x, y) => x.rel - y.rel);
  for (const { i } of minima.slice(0, MAX_REFINED_MINIMA)) {
    const a = us[i - 1] as number;
    const b = us[i + 1] as number;
    const sigma = (fs[i] as { f: number }).f > 0 ? 1 : -1;
    const r = refineMinimum(p, a, b, sigma);
    if (r?.touch !== undefined) roots.push(r.touch);
    if (r?.split !== undefined) {
      const m = r.split;
      const fm = valueAt(p, m).f;
      roots.push(brent(p, a, m, (fs[i - 1] as { f: number }).f, fm));
      roots.push(brent(p, m, b, fm, (fs[i + 1] as { f: number }).f));
    }
  }
  return roots;
}

/** 1 + r from the form's variable, in Decimal, with integer powers only (c is an integer). */
function growthFactor(p: RatePolynomial, form: Form, v: Dec): Dec {
  if (form === 'forward') return p.c === 1 ? new Dec(1).div(v) : v.pow(-p.c);
  return p.c === 1 ? v : v.pow(p.c);
}

/**
 * The rate for a growth factor y = 1 + r > 0, rounded half-up to 15 significant digits — of r, or of
 * y when that keeps more decimal places (rates below about −90 %). Rounding r alone there would leave
 * y, which is what the NPV depends on, with few correct digits, and could round the rate to −1.
 * In that case the rate is y₁₅ − 1 exactly, built digit by digit: it may have more than 40 digits
 * (e.g. −0.999…9971 for y ≈ 2.9e-60), which a Decimal holds exactly, and 1 + rate gives back y₁₅.
 */
function toRate(y: Dec): Dec {
  const r = y.minus(1);
  const placesForY = RATE_SIGNIFICANT_DIGITS - 1 - y.e;
  const placesForR = r.isZero() ? 0 : RATE_SIGNIFICANT_DIGITS - 1 - r.e;
  if (placesForY <= placesForR)
    return r.toSignificantDigits(RATE_SIGNIFICANT_DIGITS, Rounding.halfUp);
  const y15 = y.toSignificantDigits(RATE_SIGNIFICANT_DIGITS, Rounding.halfUp);
  // y15 < 1 here; y15 − 1 = −(10^P − Y)/10^P with Y the digits of y15 at P decimal places.
  const places = Math.max(placesForY, 1);
  const digits = BigInt(y15.toFixed(places).replace('.', ''));
  const complement = (10n ** BigInt(places) - digits).toString().padStart(places, '0');
  return new Dec(`-0.${complement}`);
}

/**
 * Confirms a float root in Decimal: NPV by Horner's scheme at the float point must be within the
 * residual tolerance of the flows' size. If it is, one Newton step with that exact residual (and the
 * float derivative, whose error only scales the tiny step) moves the point to about 30 correct digits.
 * If it is not, at most two full Decimal Newton steps are tried. Returns the growth factor 1 + r, or null.
 *
 * The check runs in the backward form, in w = (1+r)^(1/c) (for IRR w = 1 + r itself, so the rate
 * needs no Decimal division), unless w^E would overflow a float; the relative residual
 * |NPV| / Σ|discounted flows| is the same in either form.
 */
function confirm(p: RatePolynomial, x: Candidate): Dec | null {
  if (x.form === 'forward') {
    const E = p.exps[p.exps.length - 1] as number;
    if (-Math.log(x.v) * E < 300) x = { form: 'backward', v: 1 / x.v };
  }
  const fe = evalFloat(p, x.form, x.v);
  if (!(fe.s > 0) || !Number.isFinite(fe.s)) return null;
  // The check point is the float root cut to 11 + log10(E) significant digits: that moves |NPV| by at
  // most E·s·5e-11/E = s·5e-11, inside the tolerance, and a shorter multiplier makes every Horner
  // step cheaper. The Newton step below restores the lost digits.
  const E = p.exps[p.exps.length - 1] as number;
  let v = new Dec(x.v.toPrecision(Math.min(17, Math.ceil(11 + Math.log10(E + 1)))));
  const f = evalDecimal(p, x.form, v);
  if (Math.abs(approxFloat(f)) <= RESIDUAL_TOLERANCE * fe.s) {
    if (!f.isZero() && fe.d !== 0 && Number.isFinite(1 / fe.d)) {
      const step = f.times(1 / fe.d);
      if (Math.abs(approxFloat(step)) <= 1e-8 * x.v) v = v.minus(step);
    }
    return growthFactor(p, x.form, v);
  }
  for (let i = 0; i < 2; i++) {
    const fd = evalDecimalWithDerivative(p, x.form, v);
    if (fd.d.isZero()) return null;
    v = v.minus(fd.f.div(fd.d));
    if (!v.isPositive()) return null;
    const s = evalFloat(p, x.form, v.toNumber()).s;
    if (Math.abs(evalDecimal(p, x.form, v).toNumber()) <= RESIDUAL_TOLERANCE * s)
      return growthFactor(p, x.form, v);
  }
  return null;
}

/** The exact data of periodic flows: integer flows A_k (one common power of ten) and exponents e_k. */
interface ExactPoly {
  readonly a: readonly bigint[];
  readonly e: readonly number[];
  readonly E: number;
  /**
   * The same integers as exact floats, dense by exponent (zeros in the gaps), for the compensated
   * float evaluation; null when an A_k exceeds 2^53 or the schedule is very long.
   */
  readonly af: Float64Array | null;
  /** Σ A_k = 0: the NPV at r = 0 is exactly zero. */
  readonly zeroIsRoot: boolean;
  /** Σ |A_k|. */
  readonly sumAbs: bigint;
  /** Q'(w) = Σ (E − e_k) A_k w^(E − e_k − 1): coefficients and exponents, made on first use. */
  deriv?: { b: bigint[]; e: number[] };
}

function exactPoly(p: RatePolynomial): ExactPoly {
  const { ints, floats } = scaleToIntegers(p.parts ?? p.coefs.map(partsOfDec));
  const E = p.exps[p.exps.length - 1] as number;
  let af: Float64Array | null = null;
  if (floats !== null && E <= 100_000) {
    if (p.dense) af = floats;
    else {
      af = new Float64Array(E + 1);
      for (let k = 0; k < floats.length; k++) af[p.exps[k] as number] = floats[k] as number;
    }
  }
  if (floats !== null) {
    // Exact float integers whose absolute sum stays within 2^53: both sums are exact in floats.
    let sumF = 0;
    let absF = 0;
    for (let k = 0; k < floats.length; k++) {
      const v = floats[k] as number;
      sumF += v;
      absF += v < 0 ? -v : v;
    }
    if (absF <= 2 ** 53)
      return { a: ints, e: p.exps, E, af, zeroIsRoot: sumF === 0, sumAbs: BigInt(absF) };
  }
  let sum = 0n;
  let sumAbs = 0n;
  for (const v of ints) {
    sum += v;
    sumAbs += v < 0n ? -v : v;
  }
  return { a: ints, e: p.exps, E, af, zeroIsRoot: sum === 0n, sumAbs };
}

/** Q(w) and the flows' size at w, exactly (numerators over 10^(d·E)). */
function exactAt(x: ExactPoly, w: Fixed, withScale = true): ExactEval {
  return evalExact(x.a, x.e, x.E, w, withScale);
}

/**
 * Whether |NPV| ≤ tolerance × Σ|discounted flows| at w, exactly: |Q(w)|·10^(dE)·10^10 ≤ S(w)·10^(dE),
 * both integers. For w ≥ 1 every term of S is at least |A_k|·10^(dE), so (Σ|A_k|)·10^(dE) ≤ S is an
 * exact lower bound that costs one product: when |Q| is within tolerance of it, it is within tolerance
 * of S, and S itself is only summed when that bound does not settle it.
 */
function isRootAt(x: ExactPoly, w: Fixed): boolean {
  if (surelyRootAt(x, w)) return true;
  if (w.n >= pow10(w.d)) {
    const q = exactAt(x, w, false).p;
    if ((q < 0n ? -q : q) * TOLERANCE_DEN <= x.sumAbs * tenToThe(w.d, x.E)) return true;
  }
  return withinTolerance(exactAt(x, w), TOLERANCE_DEN);
}

const U = 2 ** -53;

/**
 * Whether the NPV of periodic flows at the growth factor w = n / 10^d is within tolerance, as the
 * confirmation of a rounded rate judges it: with the float proof first, or (`exactOnly`) in integers
 * alone. Both must always agree (the float proof may only settle what the integers would accept).
 */
export function confirmsRootAt(p: RatePolynomial, w: Fixed, exactOnly = false): boolean {
  const x = exactPoly(p);
  if (!exactOnly) return isRootAt(x, w);
  if (w.n >= pow10(w.d)) {
    const q = exactAt(x, w, false).p;
    if ((q < 0n ? -q : q) * TOLERANCE_DEN <= x.sumAbs * tenToThe(w.d, x.E)) return true;
  }
  return withinTolerance(exactAt(x, w), TOLERANCE_DEN);
}

/**
 * A float proof of `isRootAt`: true only when the float residual plus every error bound is within
 * tolerance; false means "not proven" (the exact test decides). The integer flows are exact floats
 * (`af`); w_f = n / 10^d as a float is within 3 u of w, so each term A_k·w^m moves by at most
 * 3·m·u (×1.01) relative and the residual by at most 3·E·u·S(w)·1.01; plain Horner adds at most
 * 2(E + 1)·u·S of rounding to Q and to S each (Higham, first order; all doubled below). Accepting
 * needs (|Q̂| + error)·10^10 ≤ S − error: the residual at a 15-digit rate is about E·10^−15·S, far
 * inside the 10^−10 tolerance, so the exact integers are left for the rare close call.
 */
function surelyRootAt(x: ExactPoly, w: Fixed): boolean {
  const af = x.af;
  if (af === null || x.E > 10_000) return false;
  const wf = Number(w.n) / Number(pow10(w.d));
  if (!(wf > 0) || !(x.E * Math.log(wf) < 600)) return false;
  let q = 0;
  let s = 0;
  const n = af.length;
  for (let i = 0; i < n; i++) {
    const a = af[i] as number;
    q = q * wf + a;
    s = s * wf + (a < 0 ? -a : a);
  }
  if (!(s > 0) || !Number.isFinite(s) || !Number.isFinite(q)) return false;
  const err = 2 * (3.03 * x.E + 2 * (x.E + 1)) * U * s;
  return (Math.abs(q) + err) * 1e10 <= s - err;
}

function signOf(b: bigint): number {
  return b > 0n ? 1 : b < 0n ? -1 : 0;
}

const ONE_FIXED: Fixed = { n: 1n, d: 0 };

/**
 * The rounded rate (see {@link toRate}) for a growth factor w known to within `err` (absolute), if the
 * NPV at that very rate is within tolerance, judged exactly.
 *
 * - A rate within 1e-12 of zero when zero is an exact root (the flows sum to zero) is zero: 15
 *   significant digits of a rate that small cannot come from an approximation.
 * - When `err` is not far below the rounding unit (rates very near zero), two exact Newton steps
 *   first square the error twice.
 * - When w lies within a millionth of a unit of a rounding midpoint, the side of the root is proven
 *   by the exact signs of the NPV at the two candidate rates (a bracket) and at their midpoint.
 *   Without a bracket (a touching root) the approximation decides.
 */
function checkedRate(x: ExactPoly, w: Fixed, err: number): Fixed | null {
  const nearZero = (v: Fixed): boolean => {
    const one = pow10(v.d);
    const r = v.n - one;
    return (r < 0n ? -r : r) * 1_000_000_000_000n <= one;
  };
  if (x.zeroIsRoot && nearZero(w)) w = ONE_FIXED;
  let rr = roundRate(w, RATE_SIGNIFICANT_DIGITS);
  if (w !== ONE_FIXED && err > 1e-7 * Math.pow(10, -rr.places)) {
    for (let i = 0; i < 2; i++) {
      const next = newtonExact(x, w);
      if (next === null) break;
      w = next;
    }
    rr = roundRate(w, RATE_SIGNIFICANT_DIGITS);
  }
  let q = rr.q;
  if (rr.nearTie) {
    const q2 = q + rr.toward;
    const s1 = signOf(exactAt(x, growthOf(rr.of, q, rr.places), false).p);
    const s2 = signOf(exactAt(x, growthOf(rr.of, q2, rr.places), false).p);
    if (s2 === 0 && s1 !== 0) q = q2;
    else if (s1 !== 0 && s1 !== s2) {
      const sm = signOf(exactAt(x, midpointGrowth(rr.of, q, rr.toward, rr.places), false).p);
      // A root exactly at the midpoint rounds half-up (away from zero); otherwise to its own half.
      if (sm === 0) q = (q2 < 0n ? -q2 : q2) > (q < 0n ? -q : q) ? q2 : q;
      else if (sm === s1) q = q2;
    }
  }
  const g = growthOf(rr.of, q, rr.places);
  if (g.n <= 0n) return null;
  return isRootAt(x, g) ? rateOf(rr.of, q, rr.places) : null;
}

/** One exact Newton step w − Q(w)/Q'(w), kept to 20 more decimal places; null unless positive. */
function newtonExact(x: ExactPoly, w: Fixed): Fixed | null {
  if (x.deriv === undefined) {
    const b: bigint[] = [];
    const e: number[] = [];
    x.a.forEach((a, k) => {
      const m = x.E - (x.e[k] as number);
      if (m > 0) {
        b.push(BigInt(m) * a);
        e.push(x.e[k] as number);
      }
    });
    x.deriv = { b, e };
  }
  if (x.deriv.b.length === 0) return null;
  // Q'(w)·10^(d(E−1)) and Q(w)·10^(dE): w − Q/Q' = (W·q − f) / (q·10^d).
  const q = evalExact(x.deriv.b, x.deriv.e, x.E - 1, w, false).p;
  if (q === 0n) return null;
  const f = exactAt(x, w, false).p;
  const num = (w.n * q - f) * pow10(20);
  const n = q < 0n ? divRound(-num, -q) : divRound(num, q);
  return n > 0n ? { n, d: w.d + 20 } : null;
}

/**
 * Confirms a float root of periodic flows exactly, in integers, and returns the rate, rounded; or null.
 *
 * The float root is first refined: a compensated Horner evaluation at it (exact float coefficients,
 * error about 1e-29 of the flows' size) and one Newton step with the float derivative, whose error
 * only scales the tiny step, give about 30 correct digits of 1 + r. (When the integer flows do not fit
 * a float, the residual at the float root is taken exactly in BigInt instead.) If the float root is
 * not within tolerance, at most three exact Newton steps are tried. Either way the rate is rounded
 * (see {@link toRate}) and the NPV at the rounded rate itself must be within tolerance of the flows'
 * size, judged exactly by comparing integers: stricter than checking an unrounded point in Decimal.
 */
function confirmExact(p: RatePolynomial, x: ExactPoly, c: Candidate): Fixed | null {
  const wf = c.form === 'backward' ? c.v : 1 / c.v;
  if (!(wf > 0) || !Number.isFinite(wf)) return null;
  let w: Fixed | null = null;
  if (x.af !== null) {
    // The backward form in w = 1 + r unless w^E would leave the float range, then the forward in z.
    const backward = c.form === 'backward' || x.E * Math.log(wf) < 500;
    const v = backward ? wf : c.v;
    const ev = evalCompensated(x.af, !backward, v);
    if (ev.s > 0 && Number.isFinite(ev.s) && Number.isFinite(ev.f)) {
      if (Math.abs(ev.f) <= RESIDUAL_TOLERANCE * ev.s) {
        let vt = fixedOfDouble(v);
        let err = 0;
        if (ev.f !== 0 && ev.d !== 0 && Number.isFinite(ev.d)) {
          const dv = ev.f / ev.d;
          const moved = Math.abs(dv) <= 1e-8 * v ? minusFloat(vt, dv) : null;
          if (moved !== null) {
            vt = moved;
            // The derivative's float error scales the step; the value's error bound and the
            // neglected second order (~dv²) add to it.
            err = Math.abs(dv) * 1e-10 + ev.bound / Math.abs(ev.d) + 1e-30 * v;
          }
        }
        w = backward ? vt : reciprocal(vt, 40);
        if (!backward) err *= wf * wf;
        const r = checkedRate(x, w, err);
        if (r !== null) return r;
      }
    }
  } else {
    w = fixedOfFloat(wf);
    if (w === null) return null;
    const at = exactAt(x, w);
    if (withinTolerance(at, TOLERANCE_DEN)) {
      let err = 0;
      const fe = evalFloat(p, c.form, c.v);
      if (at.p !== 0n && fe.d !== 0 && Number.isFinite(fe.d) && fe.s > 0 && Number.isFinite(fe.s)) {
        const dv = (ratioFloat(at.p, at.s) * fe.s) / fe.d;
        if (Math.abs(dv) <= 1e-8 * c.v) {
          // In the forward form v = z = 1/w, so w − (−dz·w²) to first order (the rest is ~dz²).
          const dw = c.form === 'backward' ? dv : -dv * wf * wf;
          const w1 = minusFloat(w, dw);
          if (w1 !== null) {
            w = w1;
            err = Math.abs(dw) * 1e-10 + wf * 1e-30;
          }
        }
      }
      const r = checkedRate(x, w, err);
      if (r !== null) return r;
    }
  }
  if (w === null) w = fixedOfFloat(wf);
  for (let i = 0; i < 3 && w !== null; i++) {
    w = newtonExact(x, w);
    const r = w === null ? null : checkedRate(x, w, 0);
    if (r !== null) return r;
  }
  return null;
}

const SAFE_N = BigInt(Number.MAX_SAFE_INTEGER);

function decOfFixed(r: Fixed): Dec {
  if (r.n === 0n) return new Dec(0);
  // A rate's 15 significant digits fit a safe integer: built from its digits, no text parsed.
  if (r.n <= SAFE_N && r.n >= -SAFE_N && r.d >= 0 && r.d <= 1000)
    return decOfDigits(Number(r.n), r.d);
  return new Dec(r.d === 0 ? r.n.toString() : `${r.n}e-${r.d}`);
}

/**
 * Closed forms, in Decimal: two non-zero terms a0 + a1·z^E = 0 give 1 + r = (−a1/a0)^(c/E);
 * three consecutive periods a0 + a1·x + a2·x² = 0 (IRR) give the quadratic formula in y = 1 + r.
 * Returns the growth factors of the roots, or null when no closed form applies.
 */
function closedForm(p: RatePolynomial): Dec[] | null {
  const K = p.coefsF.length - 1;
  const E = p.exps[K] as number;
  if (K > 2 || (K === 2 && E !== 2)) return null;
  const a0 = p.coefs[0] as Dec;
  if (K === 1) {
    const ratio = (p.coefs[1] as Dec).neg().div(a0);
    if (!ratio.isPositive()) return [];
    if (p.c % E === 0) return [ratio.pow(p.c / E)];
    if (E === 2 * p.c) return [ratio.sqrt()];
    return [ratio.pow(new Dec(p.c).div(E))];
  }
  if (K === 2 && E === 2) {
    // a0·y² + a1·y + a2 = 0 with y = 1 + r; the stable pair of formulas avoids cancellation.
    const a1 = p.coefs[1] as Dec;
    const a2 = p.coefs[2] as Dec;
    const disc = a1.times(a1).minus(a0.times(a2).times(4));
    if (disc.isNegative()) return [];
    const root = disc.sqrt();
    const q = (a1.isNegative() ? a1.minus(root) : a1.plus(root)).neg().div(2);
    const ys = [q.div(a0), a2.div(q)].filter((y) => y.isPositive());
    return ys.length === 2 && (ys[0] as Dec).eq(ys[1] as Dec) ? [ys[0] as Dec] : ys;
  }
  return null;
}

function result(sc: number, roots: Dec[], guess: Dec): IrrResult {
  const distinct: Dec[] = [];
  for (const r of [...roots].sort((x, y) => x.comparedTo(y))) {
    // The same root confirmed from two float starts can differ in the 15th digit.
    const last = distinct[distinct.length - 1];
    if (last === undefined || r.minus(last).abs().gt(r.abs().plus(1).times(1e-12)))
      distinct.push(r);
  }
  let rate: Dec | null = null;
  for (const r of distinct) {
    if (rate === null || r.minus(guess).abs().lt(rate.minus(guess).abs())) rate = r;
  }
  return {
    status: rate === null ? 'no-solution' : 'ok',
    rate,
    signChanges: sc,
    multiple: distinct.length > 1,
    roots: distinct,
  };
}

/**
 * Solves Σ a_k z^(e_k) = 0 for rates in (−1, ∞).
 *
 * Closed form for two terms (and three consecutive periods); otherwise Newton from the guess in
 * floats; with one sign change (exactly one root, by Descartes' rule) a confirmed Newton root is the
 * answer, else Brent between the root bounds; with several sign changes a grid scan finds every root.
 * Every float root is confirmed before it is returned — periodic flows (c = 1) exactly in integer
 * arithmetic at the rounded rate, dated flows in Decimal; unconfirmed candidates are dropped.
 * @throws DomainError `invalid-argument` when a netted flow is outside 1e-300 … 1e300 in magnitude
 *   (the float search could not represent it).
 */
export function solveRatePolynomial(p: RatePolynomial, guess: Dec): IrrResult {
  const sc = p.coefsF.length < 2 ? 0 : signChanges(p);
  if (sc === 0) return result(0, [], guess);
  for (const a of p.coefsF) {
    const m = Math.abs(a);
    if (!(m >= 1e-300 && m <= 1e300))
      badArgument('values', 'amounts must lie between 1e-300 and 1e300 in magnitude', a);
  }
  const closed = closedForm(p);
  if (closed !== null) return result(sc, closed.map(toRate), guess);

  const exact = p.c === 1 ? exactPoly(p) : null;
  const rateAt = (x: Candidate): Dec | null => {
    if (exact !== null) {
      const r = confirmExact(p, exact, x);
      return r === null ? null : decOfFixed(r);
    }
    const y = confirm(p, x);
    return y === null ? null : toRate(y);
  };
  const confirmed = (xs: Candidate[]): Dec[] => xs.map(rateAt).filter((r): r is Dec => r !== null);

  const guessF = approxFloat(guess);
  const start = newton(p, Math.log1p(guessF));
  if (sc === 1) {
    if (start !== null) {
      const r = rateAt(start);
      if (r !== null) return result(sc, [r], guess);
    }
    const [uLo, uHi] = rootBounds(p);
    const lo = valueAt(p, uLo).f;
    const hi = valueAt(p, uHi).f;
    const us =
      (lo < 0 && hi > 0) || (lo > 0 && hi < 0)
        ? [brent(p, uLo, uHi, lo, hi)]
        : scanRoots(p, uLo, uHi);
    return result(sc, confirmed(us.map((u) => polish(p, pointAt(p, u)))), guess);
  }

  const [uLo, uHi] = rootBounds(p);
  const us = scanRoots(p, uLo, uHi);
  if (start !== null) us.push(uOf(p, start));
  us.sort((x, y) => x - y);
  const unique: number[] = [];
  for (const u of us) {
    const last = unique[unique.length - 1];
    if (last === undefined || Math.abs(u - last) > 1e-9 * (1 + Math.abs(u))) unique.push(u);
  }
  const xs = unique.map((u) =>
    start !== null && Math.abs(uOf(p, start) - u) <= 1e-9 * (1 + Math.abs(u))
      ? start
      : polish(p, pointAt(p, u)),
  );
  return result(sc, confirmed(xs), guess);
}
