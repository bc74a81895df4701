import { betaQuantile, normalCdf, normalPdf, normalQuantile } from './special';

/** One outcome of a discrete distribution; weights need not sum to 1 (they are normalised). */
export interface WeightedValue {
  value: number;
  weight: number;
}

/**
 * A driver's probability distribution, in the driver's own unit (a factor, basis points, years…).
 * - triangular: min ≤ mode ≤ max; min = mode = max is a constant.
 * - pert: Beta-PERT on [min, max] with shape λ (`lambda`, default 4): α = 1 + λ(mode − min)/(max − min),
 *   β = 1 + λ(max − mode)/(max − min); mean (min + λ·mode + max)/(λ + 2).
 * - uniform: on [min, max].
 * - normal: mean and standard deviation, optionally truncated to [min, max] (either bound alone).
 * - lognormal: `mean` and `sd` of the variable itself (not of its logarithm): σ² = ln(1 + sd²/mean²),
 *   μ = ln(mean) − σ²/2.
 * - discrete: values with positive weights.
 */
export type Distribution =
  | { kind: 'triangular'; min: number; mode: number; max: number }
  | { kind: 'pert'; min: number; mode: number; max: number; lambda?: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number; min?: number; max?: number }
  | { kind: 'lognormal'; mean: number; sd: number }
  | { kind: 'discrete'; values: WeightedValue[] };

/** A problem with a distribution, located by its path inside it (e.g. `['values', 2, 'weight']`). */
export interface DistributionIssue {
  path: (string | number)[];
  code:
    | 'not-finite'
    | 'min-above-max'
    | 'mode-outside-range'
    | 'sd-not-positive'
    | 'mean-not-positive'
    | 'lambda-not-positive'
    | 'no-values'
    | 'weight-not-positive'
    | 'truncation-empty';
  message: string;
}

/** The default PERT shape λ. */
export const PERT_DEFAULT_LAMBDA = 4;

/**
 * The problems with a distribution's parameters; empty when it is valid.
 * Rules: every number finite; min ≤ max (equal allowed for triangular, PERT and uniform: a
 * constant); min ≤ mode ≤ max; sd > 0; lognormal mean > 0; PERT λ > 0; discrete: at least one
 * value, each weight > 0; a normal's truncation needs min < max and a non-zero probability inside.
 */
export function validate(d: Distribution): DistributionIssue[] {
  const issues = finiteIssues(d);
  if (issues.length > 0) return issues;
  switch (d.kind) {
    case 'triangular':
    case 'pert':
      if (d.kind === 'pert' && d.lambda !== undefined && !(d.lambda > 0)) {
        issues.push(issue(['lambda'], 'lambda-not-positive', 'lambda must be greater than 0'));
      }
      if (d.min > d.max) issues.push(minAboveMax());
      else if (d.mode < d.min || d.mode > d.max) {
        issues.push(issue(['mode'], 'mode-outside-range', 'mode must lie between min and max'));
      }
      return issues;
    case 'uniform':
      return d.min > d.max ? [minAboveMax()] : [];
    case 'normal':
      return normalIssues(d);
    case 'lognormal':
      if (!(d.mean > 0))
        issues.push(
          issue(['mean'], 'mean-not-positive', 'a lognormal mean must be greater than 0'),
        );
      if (!(d.sd > 0)) issues.push(issue(['sd'], 'sd-not-positive', 'sd must be greater than 0'));
      return issues;
    case 'discrete':
      if (d.values.length === 0)
        return [issue(['values'], 'no-values', 'a discrete distribution needs at least one value')];
      d.values.forEach((v, i) => {
        if (!(v.weight > 0))
          issues.push(
            issue(['values', i, 'weight'], 'weight-not-positive', 'weights must be greater than 0'),
          );
      });
      return issues;
  }
}

function normalIssues(d: Extract<Distribution, { kind: 'normal' }>): DistributionIssue[] {
  if (!(d.sd > 0)) return [issue(['sd'], 'sd-not-positive', 'sd must be greater than 0')];
  if (d.min !== undefined && d.max !== undefined && !(d.min < d.max)) {
    return [issue(['max'], 'truncation-empty', 'a truncated normal needs min < max')];
  }
  if (!(truncation(d).mass > 0)) {
    return [issue(['min'], 'truncation-empty', 'the truncation interval has no probability')];
  }
  return [];
}

function finiteIssues(d: Distribution): DistributionIssue[] {
  const numbers: [(string | number)[], number | undefined][] =
    d.kind === 'discrete'
      ? d.values.flatMap((v, i) => [
          [['values', i, 'value'], v.value],
          [['values', i, 'weight'], v.weight],
        ])
      : Object.entries(d)
          .filter(([key]) => key !== 'kind')
          .map(([key, value]) => [[key], value as number | undefined]);
  return numbers
    .filter(([, value]) => value !== undefined && !Number.isFinite(value))
    .map(([path]) => issue(path, 'not-finite', 'must be a finite number'));
}

function issue(
  path: (string | number)[],
  code: DistributionIssue['code'],
  message: string,
): DistributionIssue {
  return { path, code, message };
}

function minAboveMax(): DistributionIssue {
  return issue(['max'], 'min-above-max', 'max must not be below min');
}

/**
 * The inverse CDF of a valid distribution, with its set-up (PERT shape, truncation, discrete
 * cumulative weights) done once. Each u in (0, 1) gives F⁻¹(u) = inf{x : F(x) ≥ u}.
 * Closed forms: uniform min + u(max − min); triangular with Fc = (mode − min)/(max − min):
 * min + √(u(max − min)(mode − min)) for u < Fc, else max − √((1 − u)(max − min)(max − mode));
 * PERT min + (max − min)·B⁻¹(u; α, β); normal mean + sd·Φ⁻¹(u) (truncated:
 * Φ⁻¹(Φ(a) + u(Φ(b) − Φ(a))), computed on the mirrored side when a lies above the mean, for
 * accuracy); lognormal exp(μ + σΦ⁻¹(u)); discrete: values sorted ascending (stable), the first
 * whose cumulative weight W_k satisfies u·W ≤ W_k (W the total weight).
 * @throws RangeError when the distribution is not valid
 */
export function quantileFunction(d: Distribution): (u: number) => number {
  const problems = validate(d);
  if (problems.length > 0)
    throw new RangeError(`invalid ${d.kind} distribution: ${problems[0]!.message}`);
  switch (d.kind) {
    case 'uniform':
      return (u) => d.min + u * (d.max - d.min);
    case 'triangular':
      return triangularQuantile(d.min, d.mode, d.max);
    case 'pert': {
      if (d.min === d.max) return () => d.min;
      const { alpha, beta } = pertShape(d);
      return (u) => d.min + (d.max - d.min) * betaQuantile(u, alpha, beta);
    }
    case 'normal':
      return normalQuantileFunction(d);
    case 'lognormal': {
      const { mu, sigma } = lognormalParameters(d);
      return (u) => Math.exp(mu + sigma * normalQuantile(u));
    }
    case 'discrete':
      return discreteQuantile(d.values);
  }
}

/** F⁻¹(u) of a valid distribution (see `quantileFunction`). @throws RangeError when invalid */
export function quantile(d: Distribution, u: number): number {
  return quantileFunction(d)(u);
}

function triangularQuantile(min: number, mode: number, max: number): (u: number) => number {
  if (min === max) return () => min;
  const width = max - min;
  const split = (mode - min) / width;
  return (u) =>
    u < split
      ? min + Math.sqrt(u * width * (mode - min))
      : max - Math.sqrt((1 - u) * width * (max - mode));
}

/** The Beta shape (α, β) of a PERT distribution with min < max. */
export function pertShape(d: Extract<Distribution, { kind: 'pert' }>): {
  alpha: number;
  beta: number;
} {
  const lambda = d.lambda ?? PERT_DEFAULT_LAMBDA;
  const width = d.max - d.min;
  return {
    alpha: 1 + (lambda * (d.mode - d.min)) / width,
    beta: 1 + (lambda * (d.max - d.mode)) / width,
  };
}

/** μ and σ of the logarithm of a lognormal variable with the given mean and sd. */
export function lognormalParameters(d: { mean: number; sd: number }): {
  mu: number;
  sigma: number;
} {
  const sigma2 = Math.log1p((d.sd * d.sd) / (d.mean * d.mean));
  return { mu: Math.log(d.mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

interface Truncation {
  alpha: number;
  beta: number;
  mass: number;
}

/** Standardised bounds and the probability Φ(β) − Φ(α) inside them (computed in the smaller tail). */
function truncation(d: Extract<Distribution, { kind: 'normal' }>): Truncation {
  const alpha = d.min === undefined ? -Infinity : (d.min - d.mean) / d.sd;
  const beta = d.max === undefined ? Infinity : (d.max - d.mean) / d.sd;
  const mass =
    alpha > 0 ? normalCdf(-alpha) - normalCdf(-beta) : normalCdf(beta) - normalCdf(alpha);
  return { alpha, beta, mass };
}

function normalQuantileFunction(
  d: Extract<Distribution, { kind: 'normal' }>,
): (u: number) => number {
  if (d.min === undefined && d.max === undefined) return (u) => d.mean + d.sd * normalQuantile(u);
  const { alpha, beta } = truncation(d);
  const lo = d.min ?? -Infinity;
  const hi = d.max ?? Infinity;
  const clamp = (x: number): number => Math.min(hi, Math.max(lo, x));
  if (alpha > 0) {
    const upperA = normalCdf(-alpha);
    const upperB = normalCdf(-beta);
    return (u) => clamp(d.mean - d.sd * normalQuantile(upperA - u * (upperA - upperB)));
  }
  const cdfA = normalCdf(alpha);
  const cdfB = normalCdf(beta);
  return (u) => clamp(d.mean + d.sd * normalQuantile(cdfA + u * (cdfB - cdfA)));
}

function discreteQuantile(values: readonly WeightedValue[]): (u: number) => number {
  const sorted = values.map((v, i) => ({ ...v, i })).sort((a, b) => a.value - b.value || a.i - b.i);
  const cumulative: number[] = [];
  let total = 0;
  for (const v of sorted) cumulative.push((total += v.weight));
  return (u) => {
    const target = u * total;
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (target <= cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return sorted[lo]!.value;
  };
}

/** The mean of a valid distribution (closed forms; a truncated normal's by its φ/Φ formula). */
export function mean(d: Distribution): number {
  switch (d.kind) {
    case 'triangular':
      return (d.min + d.mode + d.max) / 3;
    case 'pert': {
      const lambda = d.lambda ?? PERT_DEFAULT_LAMBDA;
      return (d.min + lambda * d.mode + d.max) / (lambda + 2);
    }
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'normal': {
      if (d.min === undefined && d.max === undefined) return d.mean;
      const { alpha, beta, mass } = truncation(d);
      return d.mean + (d.sd * (normalPdf(alpha) - normalPdf(beta))) / mass;
    }
    case 'lognormal':
      return d.mean;
    case 'discrete':
      return discreteMoments(d.values).mean;
  }
}

/** The variance of a valid distribution (closed forms). */
export function variance(d: Distribution): number {
  switch (d.kind) {
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    }
    case 'pert': {
      const mu = mean(d);
      return ((mu - d.min) * (d.max - mu)) / ((d.lambda ?? PERT_DEFAULT_LAMBDA) + 3);
    }
    case 'uniform':
      return ((d.max - d.min) * (d.max - d.min)) / 12;
    case 'normal':
      return truncatedNormalVariance(d);
    case 'lognormal':
      return d.sd * d.sd;
    case 'discrete':
      return discreteMoments(d.values).variance;
  }
}

function truncatedNormalVariance(d: Extract<Distribution, { kind: 'normal' }>): number {
  if (d.min === undefined && d.max === undefined) return d.sd * d.sd;
  const { alpha, beta, mass } = truncation(d);
  const pa = normalPdf(alpha);
  const pb = normalPdf(beta);
  const ta = Number.isFinite(alpha) ? alpha * pa : 0;
  const tb = Number.isFinite(beta) ? beta * pb : 0;
  const shift = (pa - pb) / mass;
  return d.sd * d.sd * (1 + (ta - tb) / mass - shift * shift);
}

function discreteMoments(values: readonly WeightedValue[]): { mean: number; variance: number } {
  const total = values.reduce((s, v) => s + v.weight, 0);
  const mu = values.reduce((s, v) => s + v.weight * v.value, 0) / total;
  const variance =
    values.reduce((s, v) => s + v.weight * (v.value - mu) * (v.value - mu), 0) / total;
  return { mean: mu, variance };
}
