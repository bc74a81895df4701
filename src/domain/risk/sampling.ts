import { checkCorrelation, imanConover } from './correlation';
import { quantileFunction, validate, type Distribution } from './distributions';
import { shuffleInPlace, uniformStream, uniformStreams, type Uniform } from './random';
import { normalQuantile } from './special';

/** At most this many drivers (their streams are 0 … MAX_DRIVERS − 1). */
export const MAX_DRIVERS = 4096;
/** The stream index that shuffles the Iman–Conover scores. */
export const CORRELATION_STREAM = 4096;
/** The default stream index of `drawPaths`. */
export const PATHS_STREAM = 4097;
/** At most this many trials in one draw. */
export const MAX_TRIALS = 10_000_000;

const LARGEST_BELOW_ONE = 1 - 2 ** -53;

/** What `drawSamples` draws: one distribution per driver, and how. */
export interface SampleRequest {
  distributions: readonly Distribution[];
  /** the number of trials n (rows), 1 … MAX_TRIALS */
  trials: number;
  /** an unsigned 32-bit seed */
  seed: number;
  /** stratify each driver's uniforms into n equal strata, one draw in each */
  latinHypercube: boolean;
  /** a target rank-correlation matrix between the drivers, in their order (see `checkCorrelation`) */
  correlation?: readonly (readonly number[])[];
}

/**
 * Samples of every driver: one column (of `trials` values) per distribution, in their order.
 * Deterministic from the request alone: the same request gives bit-identical columns.
 *
 * Reproduction rule: driver j uses `uniformStream(seed, j)`. Without Latin hypercube its uniforms
 * are the stream's first n values, u_i = next(). With Latin hypercube the stream first shuffles
 * perm = [0, 1, …, n − 1] (`shuffleInPlace`), then u_i = (perm[i] + next()) / n for i = 0 … n − 1,
 * capped at 1 − 2^-53 (so exactly one u falls in each stratum [k/n, (k + 1)/n)). Values are
 * x_i = F⁻¹(u_i) (`quantileFunction`). With a correlation matrix the columns are then reordered by
 * `imanConover` using `uniformStream(seed, CORRELATION_STREAM)`; each column keeps its values.
 *
 * @throws RangeError when the trials, seed, a distribution or the correlation matrix is not valid
 */
export function drawSamples(request: SampleRequest): Float64Array[] {
  const { distributions, trials, seed, latinHypercube, correlation } = request;
  checkRequest(request);
  const streams = uniformStreams(seed, distributions.length);
  const columns = distributions.map((d, j) => {
    const u = latinHypercube
      ? stratifiedUniforms(streams[j]!, trials)
      : plainUniforms(streams[j]!, trials);
    const inverse = quantileFunction(d);
    for (let i = 0; i < trials; i++) u[i] = inverse(u[i]!);
    return u;
  });
  if (!correlation || distributions.length < 2) return columns;
  return imanConover(columns, correlation, uniformStream(seed, CORRELATION_STREAM));
}

function checkRequest({ distributions, trials, correlation }: SampleRequest): void {
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_TRIALS) {
    throw new RangeError(`trials must be an integer in [1, ${MAX_TRIALS}], got ${trials}`);
  }
  if (distributions.length > MAX_DRIVERS) throw new RangeError(`at most ${MAX_DRIVERS} drivers`);
  distributions.forEach((d, j) => {
    const issue = validate(d)[0];
    if (issue) throw new RangeError(`distribution ${j}: ${issue.path.join('.')}: ${issue.message}`);
  });
  if (correlation) {
    const issue = checkCorrelation(
      correlation,
      distributions.map((_, j) => String(j)),
    )[0];
    if (issue) throw new RangeError(`correlation [${issue.path.join(', ')}]: ${issue.message}`);
  }
}

function plainUniforms(u: Uniform, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = u();
  return out;
}

/** Latin hypercube uniforms: one in each of the n strata, in a shuffled order. */
export function stratifiedUniforms(u: Uniform, n: number): Float64Array {
  const perm = shuffleInPlace(
    Float64Array.from({ length: n }, (_, i) => i),
    u,
  );
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min((perm[i]! + u()) / n, LARGEST_BELOW_ONE);
  return out;
}

/** What `drawPaths` draws. */
export interface PathRequest {
  trials: number;
  years: number;
  seed: number;
  /** the volatility σ ≥ 0 of the log factor */
  sigma: number;
  /** the year-to-year autocorrelation ρ ∈ [−1, 1] of the log factor */
  rho: number;
  /** the uniform stream to use (default PATHS_STREAM), to draw several independent path sets */
  streamIndex?: number;
}

/**
 * Year-by-year revenue factors: per trial, an AR(1) process in logs.
 * z_1 = ε_1, z_t = ρ·z_{t−1} + √(1 − ρ²)·ε_t (so every z_t is standard normal), and the factor of
 * year t is exp(σ·z_t − σ²/2): lognormal with mean exactly 1 and sd √(exp(σ²) − 1) every year;
 * the correlation of the log factors k years apart is ρ^k. ε = Φ⁻¹(u) from
 * `uniformStream(seed, streamIndex)`, trial by trial, year by year within a trial.
 * @returns one Float64Array of `years` factors per trial
 * @throws RangeError when an argument is out of range
 */
export function drawPaths(request: PathRequest): Float64Array[] {
  const { trials, years, seed, sigma, rho, streamIndex = PATHS_STREAM } = request;
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_TRIALS)
    throw new RangeError(`trials out of range: ${trials}`);
  if (!Number.isInteger(years) || years < 1 || years > 1000)
    throw new RangeError(`years out of range: ${years}`);
  if (!(sigma >= 0) || !Number.isFinite(sigma))
    throw new RangeError(`sigma must be ≥ 0, got ${sigma}`);
  if (!(rho >= -1 && rho <= 1)) throw new RangeError(`rho must lie in [−1, 1], got ${rho}`);
  const u = uniformStream(seed, streamIndex);
  const innovation = Math.sqrt(1 - rho * rho);
  const drift = (sigma * sigma) / 2;
  const paths: Float64Array[] = [];
  for (let t = 0; t < trials; t++) {
    const path = new Float64Array(years);
    let z = normalQuantile(u());
    path[0] = Math.exp(sigma * z - drift);
    for (let y = 1; y < years; y++) {
      z = rho * z + innovation * normalQuantile(u());
      path[y] = Math.exp(sigma * z - drift);
    }
    paths.push(path);
  }
  return paths;
}

/** What `drawRevenuePaths` draws (README "Monte Carlo sampling", "Revenue paths of a spec"). */
export interface RevenuePathRequest {
  trials: number;
  /** operation years Y, 1 … 1000 */
  years: number;
  seed: number;
  /** the per-year log shock s ≥ 0 */
  sd: number;
  /** the persistence φ ∈ [0, 1]: 1 is a random walk, below 1 an AR(1) pulled back to 0 */
  phi: number;
  /** the first operation year with a shock (1-based); earlier years keep a factor of 1 */
  start: number;
  /** the uniform stream (a spec's path p uses PATHS_STREAM + p) */
  streamIndex: number;
}

/**
 * Year-by-year factors of a Monte Carlo revenue path: per trial, x_t = φ·x_{t−1} + s·ε_t in logs
 * from x_{start−1} = 0, with v_t = φ²·v_{t−1} + s² its variance (v_{start−1} = 0), and the factor
 * of operation year t is exp(x_t − v_t / 2): lognormal with mean exactly 1 in every year. φ = 1 is
 * a random walk (v_t = (t − start + 1)·s²). Years before `start` have factor 1 and draw nothing.
 * ε_t = Φ⁻¹(u) from `uniformStream(seed, streamIndex)`, trial by trial, year by year within a
 * trial; every step is plain double arithmetic in this order.
 * @returns trials × years factors, row-major: trial i's year t (0-based) at i·years + t
 * @throws RangeError when an argument is out of range
 */
export function drawRevenuePaths(r: RevenuePathRequest): Float64Array {
  const { trials, years, sd, phi, start } = r;
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_TRIALS)
    throw new RangeError(`trials out of range: ${trials}`);
  if (!Number.isInteger(years) || years < 1 || years > 1000)
    throw new RangeError(`years out of range: ${years}`);
  if (!(sd >= 0) || !Number.isFinite(sd)) throw new RangeError(`sd must be ≥ 0, got ${sd}`);
  if (!(phi >= 0 && phi <= 1)) throw new RangeError(`phi must lie in [0, 1], got ${phi}`);
  if (!Number.isInteger(start) || start < 1) throw new RangeError(`start out of range: ${start}`);
  const u = uniformStream(r.seed, r.streamIndex);
  const out = new Float64Array(trials * years).fill(1);
  for (let i = 0; i < trials; i++) {
    let x = 0;
    let v = 0;
    for (let t = start - 1; t < years; t++) {
      x = phi * x + sd * normalQuantile(u());
      v = phi * phi * v + sd * sd;
      out[i * years + t] = Math.exp(x - v / 2);
    }
  }
  return out;
}
