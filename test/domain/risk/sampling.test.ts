import { spearman } from '../../../src/domain/risk/correlation';
import { type Distribution } from '../../../src/domain/risk/distributions';
import {
  drawPaths,
  drawRevenuePaths,
  drawSamples,
  PATHS_STREAM,
  stratifiedUniforms,
} from '../../../src/domain/risk/sampling';
import { normalQuantile } from '../../../src/domain/risk/special';
import { uniformStream } from '../../../src/domain/risk/random';
import { summarise } from '../../../src/domain/risk/stats';
import { Dec } from '../../../src/domain/decimal';

const drivers: Distribution[] = [
  { kind: 'triangular', min: 0.9, mode: 1, max: 1.3 },
  { kind: 'normal', mean: 1, sd: 0.1 },
  { kind: 'pert', min: 0, mode: 1, max: 4 },
];

const bits = (columns: Float64Array[]): string[] =>
  columns.map((c) => Buffer.from(c.buffer).toString('hex'));

describe('drawSamples', () => {
  it.each([false, true])(
    'gives bit-identical columns for the same request (latinHypercube %p)',
    (lhs) => {
      const request = { distributions: drivers, trials: 2000, seed: 42, latinHypercube: lhs };
      expect(bits(drawSamples(request))).toEqual(bits(drawSamples({ ...request })));
    },
  );

  it('draws driver j from stream j: the plain column is F⁻¹ of the stream’s uniforms', () => {
    const [first] = drawSamples({
      distributions: [{ kind: 'uniform', min: 0, max: 1 }],
      trials: 5,
      seed: 9,
      latinHypercube: false,
    });
    const u = uniformStream(9, 0);
    expect([...first!]).toEqual([u(), u(), u(), u(), u()]);
  });

  it('changes with the seed', () => {
    const a = drawSamples({ distributions: drivers, trials: 100, seed: 1, latinHypercube: false });
    const b = drawSamples({ distributions: drivers, trials: 100, seed: 2, latinHypercube: false });
    expect(bits(a)).not.toEqual(bits(b));
  });

  it('Latin hypercube puts exactly one point in each of the n strata of every driver', () => {
    const n = 1000;
    const columns = drawSamples({
      distributions: [
        { kind: 'uniform', min: 0, max: 1 },
        { kind: 'uniform', min: 0, max: 1 },
      ],
      trials: n,
      seed: 5,
      latinHypercube: true,
    });
    for (const column of columns) {
      const strata = [...column].map((u) => Math.floor(u * n)).sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: n }, (_, k) => k));
    }
    // the strata are shuffled independently per driver
    expect(Math.abs(spearman(columns[0]!, columns[1]!))).toBeLessThan(0.13);
  });

  it('stratified uniforms stay below 1 even in the top stratum', () => {
    const us = stratifiedUniforms(uniformStream(1, 0), 3);
    expect([...us].every((u) => u > 0 && u < 1)).toBe(true);
  });

  it('a degenerate driver gives its value in every trial, also with LHS and correlation', () => {
    const columns = drawSamples({
      distributions: [
        { kind: 'triangular', min: 1.1, mode: 1.1, max: 1.1 },
        drivers[1]!,
        { kind: 'discrete', values: [{ value: 3, weight: 1 }] },
      ],
      trials: 500,
      seed: 3,
      latinHypercube: true,
      correlation: [
        [1, 0.5, 0],
        [0.5, 1, 0],
        [0, 0, 1],
      ],
    });
    expect(new Set(columns[0])).toEqual(new Set([1.1]));
    expect(new Set(columns[2])).toEqual(new Set([3]));
  });

  it('a sampled normal(1, 0.1) has mean 1 within 4 standard errors, and LHS pins it far closer', () => {
    const n = 20000;
    const meanOf = (lhs: boolean): number =>
      drawSamples({
        distributions: [drivers[1]!],
        trials: n,
        seed: 8,
        latinHypercube: lhs,
      })[0]!.reduce((s, x) => s + x, 0) / n;
    // standard error 0.1/√20000 ≈ 0.000707
    expect(Math.abs(meanOf(false) - 1)).toBeLessThan(4 * 0.000707);
    expect(Math.abs(meanOf(true) - 1)).toBeLessThan(0.00005);
  });

  it('sampled percentiles of a normal(1, 0.1) agree with mean + sd·Φ⁻¹(k) within sampling error', () => {
    const n = 10000;
    const [column] = drawSamples({
      distributions: [drivers[1]!],
      trials: n,
      seed: 31,
      latinHypercube: false,
    });
    const s = summarise([...column!].map((x) => new Dec(x)));
    // Φ⁻¹(0.05) = −1.6448536269514722, Φ⁻¹(0.9) = 1.2815515655446004 (scipy); the standard error of
    // a sample quantile is √(k(1 − k)/n)/density: 0.1·√(0.0475/10⁴)/φ(1.645) ≈ 0.00211 at P5 and P95
    expect(Math.abs(s.p5.toNumber() - (1 - 0.1 * 1.6448536269514722))).toBeLessThan(4 * 0.00211);
    expect(Math.abs(s.p95.toNumber() - (1 + 0.1 * 1.6448536269514722))).toBeLessThan(4 * 0.00211);
    expect(Math.abs(s.p90.toNumber() - (1 + 0.1 * 1.2815515655446004))).toBeLessThan(4 * 0.00171);
    expect(Math.abs(s.p50.toNumber() - 1)).toBeLessThan(4 * 0.00125);
    expect(Math.abs(s.sd.toNumber() - 0.1)).toBeLessThan(4 * 0.000707);
  });

  it('with a correlation matrix keeps each driver’s values and reaches the rank correlation', () => {
    const correlation = [
      [1, 0.6, 0],
      [0.6, 1, -0.4],
      [0, -0.4, 1],
    ];
    const request = { distributions: drivers, trials: 5000, seed: 21, latinHypercube: true };
    const plain = drawSamples(request);
    const correlated = drawSamples({ ...request, correlation });
    correlated.forEach((c, j) =>
      expect(Float64Array.from(c).sort()).toEqual(Float64Array.from(plain[j]!).sort()),
    );
    expect(Math.abs(spearman(correlated[0]!, correlated[1]!) - 0.6)).toBeLessThan(0.01);
    expect(Math.abs(spearman(correlated[1]!, correlated[2]!) + 0.4)).toBeLessThan(0.01);
    expect(Math.abs(spearman(correlated[0]!, correlated[2]!))).toBeLessThan(0.02);
  });

  it.each([
    [{ trials: 0 }, /trials/],
    [{ trials: 1.5 }, /trials/],
    [{ seed: -1 }, /seed/],
    [{ distributions: [{ kind: 'uniform', min: 2, max: 1 }] }, /distribution 0: max/],
    [
      {
        correlation: [
          [1, 0.9, -0.9],
          [0.9, 1, 0.9],
          [-0.9, 0.9, 1],
        ],
      },
      /correlation \[2, 2\]/,
    ],
  ] as [object, RegExp][])('refuses %j', (change, message) => {
    expect(() =>
      drawSamples({
        distributions: drivers,
        trials: 10,
        seed: 1,
        latinHypercube: false,
        ...change,
      }),
    ).toThrow(message);
  });
});

describe('drawPaths', () => {
  const request = { trials: 20000, years: 5, seed: 13, sigma: 0.2, rho: 0.6 };
  const paths = drawPaths(request);

  it('is deterministic', () => {
    expect(bits(drawPaths(request).slice(0, 50))).toEqual(bits(paths.slice(0, 50)));
  });

  it('has factors of mean 1 every year, within 4 standard errors', () => {
    // sd of exp(σz − σ²/2) is √(exp(σ²) − 1) ≈ 0.2020; se = 0.2020/√20000 ≈ 0.00143
    for (let y = 0; y < 5; y++) {
      const m = paths.reduce((s, p) => s + p[y]!, 0) / paths.length;
      expect(Math.abs(m - 1)).toBeLessThan(4 * 0.00143);
    }
  });

  it('has log factors correlated ρ one year apart and ρ² two years apart', () => {
    const logs = (y: number): number[] => paths.map((p) => Math.log(p[y]!));
    // Spearman of a bivariate normal is (6/π)·asin(ρ/2): 0.5819 for ρ = 0.6, 0.3457 for ρ² = 0.36
    expect(Math.abs(spearman(logs(1), logs(2)) - 0.5819)).toBeLessThan(0.02);
    expect(Math.abs(spearman(logs(1), logs(3)) - 0.3457)).toBeLessThan(0.02);
  });

  it('with σ = 0 gives factor 1 everywhere', () => {
    const flat = drawPaths({ ...request, trials: 10, sigma: 0 });
    expect(flat.every((p) => p.every((f) => f === 1))).toBe(true);
  });

  it('refuses ρ outside [−1, 1] and a negative σ', () => {
    expect(() => drawPaths({ ...request, rho: 1.2 })).toThrow(RangeError);
    expect(() => drawPaths({ ...request, sigma: -0.1 })).toThrow(RangeError);
  });
});

describe('drawRevenuePaths (a spec’s revenue paths)', () => {
  const request = {
    trials: 4000,
    years: 6,
    seed: 11,
    sd: 0.1,
    phi: 1,
    start: 1,
    streamIndex: 4097,
  };

  it('follows the recursion: x_t = φx_{t−1} + sε_t, factor exp(x_t − v_t/2), from its stream', () => {
    const [sd, phi] = [0.2, 0.6];
    const got = drawRevenuePaths({ ...request, trials: 2, years: 3, sd, phi });
    const u = uniformStream(11, PATHS_STREAM);
    const want: number[] = [];
    for (let i = 0; i < 2; i++) {
      const e = [u(), u(), u()].map(normalQuantile);
      const x1 = sd * e[0]!;
      const x2 = phi * x1 + sd * e[1]!;
      const x3 = phi * x2 + sd * e[2]!;
      const v1 = sd * sd;
      const v2 = phi * phi * v1 + sd * sd;
      const v3 = phi * phi * v2 + sd * sd;
      want.push(Math.exp(x1 - v1 / 2), Math.exp(x2 - v2 / 2), Math.exp(x3 - v3 / 2));
    }
    expect([...got]).toEqual(want);
  });

  it('years before start keep 1 and draw nothing', () => {
    const got = drawRevenuePaths({ ...request, trials: 2, years: 4, start: 3 });
    const u = uniformStream(11, PATHS_STREAM);
    const first = Math.exp(0.1 * normalQuantile(u()) - 0.005);
    expect([got[0], got[1], got[2], got[4], got[5]]).toEqual([1, 1, first, 1, 1]);
  });

  it('sd 0 gives exactly 1 in every year', () => {
    const flat = drawRevenuePaths({ ...request, trials: 50, sd: 0, phi: 0.5 });
    expect(flat.every((f) => f === 1)).toBe(true);
  });

  it.each([
    ['a random walk', 1],
    ['an AR(1)', 0.7],
  ])('%s has a mean factor of about 1 in every year', (_what, phi) => {
    const sd = 0.15;
    const paths = drawRevenuePaths({ ...request, sd, phi });
    let v = 0;
    for (let t = 0; t < request.years; t++) {
      v = phi * phi * v + sd * sd;
      let sum = 0;
      for (let i = 0; i < request.trials; i++) sum += paths[i * request.years + t]!;
      // The factor is lognormal with log-variance v: sd √(e^v − 1); 4 standard errors of the mean.
      const se = Math.sqrt(Math.exp(v) - 1) / Math.sqrt(request.trials);
      expect(Math.abs(sum / request.trials - 1)).toBeLessThan(4 * se);
    }
  });

  it('refuses arguments out of range', () => {
    expect(() => drawRevenuePaths({ ...request, phi: 1.1 })).toThrow(RangeError);
    expect(() => drawRevenuePaths({ ...request, sd: -0.1 })).toThrow(RangeError);
    expect(() => drawRevenuePaths({ ...request, start: 0 })).toThrow(RangeError);
  });
});
