import {
  averageRanks,
  checkCorrelation,
  cholesky,
  imanConover,
  spearman,
} from '../../../src/domain/risk/correlation';
import { quantileFunction, type Distribution } from '../../../src/domain/risk/distributions';
import { uniformStream } from '../../../src/domain/risk/random';

const names = ['capex', 'revenue', 'opex'];

describe('checkCorrelation', () => {
  it('accepts a valid matrix, also a semi-definite one (perfect correlation)', () => {
    expect(
      checkCorrelation(
        [
          [1, 0.5, 0],
          [0.5, 1, -0.3],
          [0, -0.3, 1],
        ],
        names,
      ),
    ).toEqual([]);
    expect(
      checkCorrelation(
        [
          [1, 1],
          [1, 1],
        ],
        ['a', 'b'],
      ),
    ).toEqual([]);
  });

  it('rejects correlations that cannot hold together (not positive semi-definite) at the failing pivot', () => {
    // capex–revenue 0.9 and revenue–opex 0.9 force capex–opex near +0.62 at least, not −0.9
    const issues = checkCorrelation(
      [
        [1, 0.9, -0.9],
        [0.9, 1, 0.9],
        [-0.9, 0.9, 1],
      ],
      names,
    );
    expect(issues.map((i) => [i.path, i.code])).toEqual([[[2, 2], 'not-positive-semidefinite']]);
  });

  it('rejects an asymmetric matrix, naming the upper-triangle cell', () => {
    const issues = checkCorrelation(
      [
        [1, 0.5, 0],
        [0.3, 1, 0],
        [0, 0, 1],
      ],
      names,
    );
    expect(issues.map((i) => [i.path, i.code])).toEqual([[[0, 1], 'not-symmetric']]);
    expect(issues[0]!.message).toContain('capex and revenue');
  });

  it('names every bad cell: out of range, diagonal not 1, not a number', () => {
    const issues = checkCorrelation(
      [
        [1, 1.2, 0],
        [1.2, 0.9, NaN],
        [0, NaN, 1],
      ],
      names,
    );
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      [[0, 1], 'out-of-range'],
      [[1, 0], 'out-of-range'],
      [[1, 1], 'diagonal-not-one'],
      [[1, 2], 'not-finite'],
      [[2, 1], 'not-finite'],
    ]);
  });

  it('rejects a matrix whose shape does not match the drivers', () => {
    expect(checkCorrelation([[1]], names).map((i) => [i.path, i.code])).toEqual([
      [[], 'not-square'],
    ]);
    expect(
      checkCorrelation(
        [
          [1, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        names,
      ).map((i) => [i.path, i.code]),
    ).toEqual([[[0], 'not-square']]);
  });
});

describe('cholesky', () => {
  it('factors a hand-worked 2×2: [[4, 2], [2, 5]] = L·Lᵀ with L = [[2, 0], [1, 2]]', () => {
    expect(
      cholesky([
        [4, 2],
        [2, 5],
      ]),
    ).toEqual([
      [2, 0],
      [1, 2],
    ]);
  });
});

describe('ranks and Spearman', () => {
  it('averages the ranks of ties (as RANK.AVG)', () => {
    expect([...averageRanks([10, 20, 10, 30])]).toEqual([1.5, 3, 1.5, 4]);
  });

  it('computes Spearman with ties: ranks [1, 2.5, 2.5, 4] vs [1, 3, 2, 4] give 3/√10 (scipy spearmanr 0.9486832980505138)', () => {
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(0.9486832980505138, 15);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBe(-1);
  });
});

describe('imanConover', () => {
  const n = 5000;
  const target = [
    [1, 0.7, -0.3],
    [0.7, 1, 0],
    [-0.3, 0, 1],
  ];
  const marginals: Distribution[] = [
    { kind: 'normal', mean: 100, sd: 15 },
    { kind: 'triangular', min: 0.8, mode: 1, max: 1.5 },
    { kind: 'lognormal', mean: 2, sd: 1 },
  ];
  const columns = marginals.map((d, j) => {
    const u = uniformStream(77, j);
    const f = quantileFunction(d);
    return Float64Array.from({ length: n }, () => f(u()));
  });
  const induced = imanConover(columns, target, uniformStream(77, 9));

  it('keeps every column’s values, changing only their order', () => {
    induced.forEach((column, j) => {
      expect(Float64Array.from(column).sort()).toEqual(Float64Array.from(columns[j]!).sort());
    });
  });

  it('reaches the target rank correlation within sampling error (n = 5000)', () => {
    // The scores' Pearson correlation is set exactly, so only the ranks' deviation from the scores
    // remains (≈ 0.005 here); without the 2·sin(π·r/6) adjustment 0.7 would land near 0.683.
    for (const [i, j] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      expect(Math.abs(spearman(induced[i]!, induced[j]!) - target[i]![j]!)).toBeLessThan(0.01);
    }
    // the independent draws start near zero: the method did the work
    expect(Math.abs(spearman(columns[0]!, columns[1]!))).toBeLessThan(0.05);
  });

  it('is deterministic for the same stream', () => {
    expect(imanConover(columns, target, uniformStream(77, 9))).toEqual(induced);
  });

  it('induces a strong negative correlation too', () => {
    const two = imanConover(
      columns.slice(0, 2),
      [
        [1, -0.9],
        [-0.9, 1],
      ],
      uniformStream(1, 0),
    );
    expect(Math.abs(spearman(two[0]!, two[1]!) + 0.9)).toBeLessThan(0.03);
  });
});
