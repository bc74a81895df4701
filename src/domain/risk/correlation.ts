import { shuffleInPlace, type Uniform } from './random';
import { normalQuantile } from './special';

/** A problem with a correlation matrix, located by [row] or [row, column] (0-based). */
export interface CorrelationIssue {
  path: number[];
  code:
    | 'not-square'
    | 'not-finite'
    | 'out-of-range'
    | 'diagonal-not-one'
    | 'not-symmetric'
    | 'not-positive-semidefinite';
  message: string;
}

/** Entries closer than this are taken as equal (symmetry, unit diagonal). */
export const SYMMETRY_TOLERANCE = 1e-12;
/** A Cholesky pivot above −this counts as zero, so a semi-definite matrix passes. */
export const PSD_TOLERANCE = 1e-10;

/**
 * The problems with a rank-correlation matrix for the drivers `names` (one row and column per
 * name, in that order); empty when it is valid. Rules: square with one row per name; finite
 * entries in [−1, 1]; unit diagonal; symmetric (within 1e-12); positive semi-definite: a Cholesky
 * factorisation with pivots ≥ −1e-10 (a pivot within the tolerance is taken as 0; the issue's path
 * is [k, k], the first row where it fails). The PSD check runs only when every other rule passes.
 */
export function checkCorrelation(
  matrix: readonly (readonly number[])[],
  names: readonly string[],
): CorrelationIssue[] {
  const n = names.length;
  if (matrix.length !== n) {
    return [
      {
        path: [],
        code: 'not-square',
        message: `expected ${n} rows (one per driver), got ${matrix.length}`,
      },
    ];
  }
  const issues: CorrelationIssue[] = [];
  matrix.forEach((row, i) => {
    if (row.length !== n) {
      issues.push({
        path: [i],
        code: 'not-square',
        message: `row ${names[i]} has ${row.length} entries, expected ${n}`,
      });
    }
  });
  if (issues.length > 0) return issues;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const problem = entryIssue(matrix, names, i, j);
      if (problem) issues.push(problem);
    }
  }
  if (issues.length > 0) return issues;
  const failed = choleskyFailure(matrix);
  if (failed !== undefined) {
    issues.push({
      path: [failed, failed],
      code: 'not-positive-semidefinite',
      message:
        'the correlations are inconsistent with each other (the matrix is not positive semi-definite)',
    });
  }
  return issues;
}

function entryIssue(
  matrix: readonly (readonly number[])[],
  names: readonly string[],
  i: number,
  j: number,
): CorrelationIssue | undefined {
  const v = matrix[i]![j]!;
  const between = `${names[i]} and ${names[j]}`;
  if (!Number.isFinite(v))
    return {
      path: [i, j],
      code: 'not-finite',
      message: `the correlation of ${between} must be a number`,
    };
  if (v < -1 || v > 1)
    return {
      path: [i, j],
      code: 'out-of-range',
      message: `the correlation of ${between} must lie in [−1, 1]`,
    };
  if (i === j && Math.abs(v - 1) > SYMMETRY_TOLERANCE) {
    return {
      path: [i, j],
      code: 'diagonal-not-one',
      message: `the correlation of ${names[i]} with itself must be 1`,
    };
  }
  const mirror = matrix[j]![i]!;
  if (j > i && Number.isFinite(mirror) && Math.abs(v - mirror) > SYMMETRY_TOLERANCE) {
    return {
      path: [i, j],
      code: 'not-symmetric',
      message: `the correlations of ${between} differ by direction`,
    };
  }
  return undefined;
}

/**
 * The lower-triangular Cholesky factor L of a symmetric positive semi-definite matrix (A = L·Lᵀ),
 * with pivots within PSD_TOLERANCE of zero set to zero (their column below is then zero too).
 * @throws RangeError when the matrix is not positive semi-definite
 */
export function cholesky(matrix: readonly (readonly number[])[]): number[][] {
  const { factor, failedAt } = choleskyTry(matrix);
  if (failedAt !== undefined)
    throw new RangeError(`matrix is not positive semi-definite (row ${failedAt})`);
  return factor;
}

function choleskyFailure(matrix: readonly (readonly number[])[]): number | undefined {
  return choleskyTry(matrix).failedAt;
}

function choleskyTry(matrix: readonly (readonly number[])[]): {
  factor: number[][];
  failedAt?: number;
} {
  const n = matrix.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let pivot = matrix[j]![j]!;
    for (let k = 0; k < j; k++) pivot -= L[j]![k]! * L[j]![k]!;
    if (pivot < -PSD_TOLERANCE) return { factor: L, failedAt: j };
    const root = pivot > PSD_TOLERANCE ? Math.sqrt(pivot) : 0;
    L[j]![j] = root;
    for (let i = j + 1; i < n; i++) {
      let s = matrix[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      if (root === 0) {
        if (Math.abs(s) > Math.sqrt(PSD_TOLERANCE)) return { factor: L, failedAt: j };
      } else {
        L[i]![j] = s / root;
      }
    }
  }
  return { factor: L };
}

/**
 * Ranks 1 … n of the values, ties given the average of the ranks they span (as Excel's RANK.AVG).
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => values[a]! - values[b]! || a - b,
  );
  const ranks = new Float64Array(n);
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]!] === values[order[start]!]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Pearson's correlation of two equal-length series; NaN when either is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError('series must have the same length');
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation: Pearson's correlation of the average ranks (ties averaged). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Iman–Conover (1982): reorders each column so that the columns' rank correlation approaches
 * `target`, keeping every column's values (only their order changes), so each marginal
 * distribution is untouched.
 *
 * Steps (the reproduction rule): scores s_i = Φ⁻¹(i/(n + 1)), i = 1 … n (van der Waerden);
 * a score matrix M whose column j is s shuffled by `shuffleInPlace` with `rng` (columns in order);
 * the target rank correlation r is turned into the Pearson correlation of normal scores
 * 2·sin(π·r/6) (so the ranks, not the scores, reach the target; the unadjusted target is used if
 * the adjusted matrix is not positive semi-definite); E = Pearson correlation of M's columns,
 * F = chol(E) (the identity if E is singular, possible only for tiny n), P = chol(adjusted target); T = M·(F⁻¹)ᵀ·Pᵀ; finally column j's values, sorted
 * ascending, are placed so that the k-th smallest goes to the row holding the k-th smallest
 * entry of T's column j (ties by row index).
 *
 * @param columns - n values per driver (all the same length n ≥ 2); not modified
 * @param target - a valid correlation matrix (see `checkCorrelation`), one row per column
 * @param rng - the uniform stream for the score shuffles
 * @returns new columns with the same values in the induced order
 * @throws RangeError when the shapes disagree or the target is not positive semi-definite
 */
export function imanConover(
  columns: readonly Float64Array[],
  target: readonly (readonly number[])[],
  rng: Uniform,
): Float64Array[] {
  const m = columns.length;
  const n = columns[0]?.length ?? 0;
  if (target.length !== m || columns.some((c) => c.length !== n))
    throw new RangeError('columns and target disagree in shape');
  if (m < 2 || n < 2) return columns.map((c) => Float64Array.from(c));
  const scores = Float64Array.from({ length: n }, (_, i) => normalQuantile((i + 1) / (n + 1)));
  const M = columns.map(() => shuffleInPlace(Float64Array.from(scores), rng));
  const F = cholesky(correlationMatrix(M));
  // Scores that happen to be collinear (only with tiny n) are used as they are.
  if (F.some((row, i) => row[i] === 0)) F.forEach((row, i) => row.fill(0).splice(i, 1, 1));
  const P = cholesky(scoreCorrelation(target));
  const T = transformScores(M, F, P);
  return columns.map((column, j) => arrangeLike(column, T[j]!));
}

/** The Pearson correlation of normal scores whose rank correlation is `target`, when still PSD. */
function scoreCorrelation(target: readonly (readonly number[])[]): number[][] {
  const adjusted = target.map((row, i) =>
    row.map((r, j) => (i === j ? 1 : 2 * Math.sin((Math.PI * r) / 6))),
  );
  return choleskyFailure(adjusted) === undefined ? adjusted : target.map((row) => [...row]);
}

function correlationMatrix(columns: readonly Float64Array[]): number[][] {
  const m = columns.length;
  const R = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < m; i++) {
    R[i]![i] = 1;
    for (let j = 0; j < i; j++) R[i]![j] = R[j]![i] = pearson(columns[i]!, columns[j]!);
  }
  return R;
}

/** Row by row, t = P · F⁻¹ · m (F⁻¹m by forward substitution), returned as columns. */
function transformScores(M: readonly Float64Array[], F: number[][], P: number[][]): Float64Array[] {
  const m = M.length;
  const n = M[0]!.length;
  const T = M.map(() => new Float64Array(n));
  const z = new Float64Array(m);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < m; i++) {
      let s = M[i]![r]!;
      for (let k = 0; k < i; k++) s -= F[i]![k]! * z[k]!;
      z[i] = s / F[i]![i]!;
    }
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let k = 0; k <= i; k++) s += P[i]![k]! * z[k]!;
      T[i]![r] = s;
    }
  }
  return T;
}

/** The values of `column` reordered so that their ranks follow the ranks of `pattern`. */
function arrangeLike(column: Float64Array, pattern: Float64Array): Float64Array {
  const n = column.length;
  const sorted = Float64Array.from(column).sort();
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => pattern[a]! - pattern[b]! || a - b,
  );
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[order[k]!] = sorted[k]!;
  return out;
}
