/**
 * Special functions in doubles for the sampling layer: the normal quantile (Wichura's AS 241,
 * about 1e-16 relative), the normal CDF, log-gamma, and the regularised incomplete beta function
 * with its inverse (for PERT). Floats are allowed here: samples only feed the engine as inputs.
 */

/* AS 241 (PPND16) coefficients, lowest degree first: Wichura, Applied Statistics 37 (1988) 477–484.
 * Written with all their published digits so they can be checked against the paper. */
/* eslint-disable no-loss-of-precision */
const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
];
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833,
  7.7454501427834140764e-4,
];
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.6897673349851000045, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5,
  2.01033439929228813265e-7,
];
const F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
  7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
  2.04426310338993978564e-15,
];

/* eslint-enable no-loss-of-precision */

function poly(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + coefficients[i]!;
  return value;
}

/**
 * The standard normal quantile Φ⁻¹(p), Wichura's AS 241 (PPND16).
 * @param p - a probability in (0, 1); 0 gives −∞ and 1 gives +∞
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = poly(C, r) / poly(D, r);
  } else {
    r -= 5;
    x = poly(E, r) / poly(F, r);
  }
  return q < 0 ? -x : x;
}

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 500;
const LN_SQRT_PI = 0.5723649429247001; // ln Γ(1/2)

/** P(1/2, x) by its series (x < 1.5). */
function lowerGammaHalfSeries(x: number): number {
  let term = 1 / 0.5;
  let total = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (0.5 + n);
    total += term;
    if (Math.abs(term) < Math.abs(total) * EPSILON) break;
  }
  return total * Math.exp(-x + 0.5 * Math.log(x) - LN_SQRT_PI);
}

/** Q(1/2, x) by its continued fraction, modified Lentz (x ≥ 1.5). */
function upperGammaHalfFraction(x: number): number {
  let b = x + 1 - 0.5;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - 0.5);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + 0.5 * Math.log(x) - LN_SQRT_PI) * h;
}

/** erfc(z) for z ≥ 0, as the regularised upper incomplete gamma Q(1/2, z²). */
function erfcNonNegative(z: number): number {
  const x = z * z;
  return x < 1.5 ? 1 - lowerGammaHalfSeries(x) : upperGammaHalfFraction(x);
}

/**
 * The standard normal CDF Φ(x) = erfc(−x/√2)/2, through the incomplete gamma function
 * (relative accuracy about 1e-15, also far in the lower tail).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === -Infinity) return 0;
  if (x === Infinity) return 1;
  const z = x / Math.SQRT2;
  return z <= 0 ? 0.5 * erfcNonNegative(-z) : 1 - 0.5 * erfcNonNegative(z);
}

/** The standard normal density φ(x); 0 at ±∞. */
export function normalPdf(x: number): number {
  return Number.isFinite(x) ? Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) : 0;
}

/* Lanczos approximation, g = 7, nine coefficients (relative accuracy about 1e-15). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln B(a, b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** A Lentz denominator kept away from zero. */
function lentzD(v: number): number {
  return Math.abs(v) < TINY ? TINY : v;
}

/** The continued fraction of the incomplete beta function, modified Lentz. */
function betaFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 / lentzD(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / lentzD(1 + aa * d);
    c = lentzD(1 + aa / c);
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / lentzD(1 + aa * d);
    c = lentzD(1 + aa / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/**
 * The regularised incomplete beta function I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b).
 * @param x - in [0, 1]; a, b > 0
 */
export function regularisedBeta(x: number, a: number, b: number): number {
  return betaCdf(x, a, b, logBeta(a, b));
}

function betaCdf(x: number, a: number, b: number, lnB: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lnB);
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/**
 * A first guess of the Beta(a, b) quantile: for a, b ≥ 1 the normal approximation of
 * Numerical Recipes (3rd ed., §6.14 invbetai), otherwise the mean.
 */
function betaQuantileGuess(p: number, a: number, b: number): number {
  if (a < 1 || b < 1) return a / (a + b);
  const pp = p < 0.5 ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(pp));
  let z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t;
  if (p < 0.5) z = -z;
  const al = (z * z - 3) / 6;
  const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1));
  const w =
    (z * Math.sqrt(al + h)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h));
  const x = a / (a + b * Math.exp(2 * w));
  return x > 0 && x < 1 ? x : a / (a + b);
}

/**
 * The Beta(a, b) quantile: the x in [0, 1] with I_x(a, b) = p, by Halley steps kept inside a
 * bisection bracket from a normal-approximation guess (converges to within a few ulps of the
 * root, usually in 2–4 steps; 200 at most).
 * @param p - a probability in [0, 1]; a, b > 0
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lnB = logBeta(a, b);
  let lo = 0;
  let hi = 1;
  let x = betaQuantileGuess(p, a, b);
  for (let i = 0; i < 200; i++) {
    const f = betaCdf(x, a, b, lnB) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lnB);
    const newton = f / density;
    // Halley: the density's log-derivative (a − 1)/x − (b − 1)/(1 − x) corrects the Newton step.
    const curvature = (a - 1) / x - (b - 1) / (1 - x);
    let next = x - newton / (1 - 0.5 * Math.min(1, Math.max(-1, newton * curvature)));
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 4 * Number.EPSILON * next || hi - lo <= 4 * Number.EPSILON * hi)
      return next;
    x = next;
  }
  return x;
}
