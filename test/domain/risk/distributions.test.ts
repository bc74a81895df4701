import {
  mean,
  quantile,
  quantileFunction,
  validate,
  variance,
  type Distribution,
} from '../../../src/domain/risk/distributions';
import { uniformStream } from '../../../src/domain/risk/random';
import {
  betaQuantile,
  logGamma,
  normalCdf,
  normalQuantile,
  regularisedBeta,
} from '../../../src/domain/risk/special';

/** |actual − expected| ≤ rel·|expected| (plus a tiny absolute floor near 0). */
function expectClose(actual: number, expected: number, rel = 1e-13): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);
}

/** I_x(a, b) for whole a, b: Σ_{j=a}^{a+b−1} C(a+b−1, j) x^j (1 − x)^(a+b−1−j) (a binomial tail). */
function betaCdfWhole(x: number, a: number, b: number): number {
  const n = a + b - 1;
  let total = 0;
  let choose = 1;
  for (let j = 0; j <= n; j++) {
    if (j >= a) total += choose * x ** j * (1 - x) ** (n - j);
    choose = (choose * (n - j)) / (j + 1);
  }
  return total;
}

// Reference values from scipy 1.17.1 (stats.norm.ppf / .cdf, stats.beta.ppf, stats.truncnorm,
// stats.lognorm), printed with repr().
describe('normal quantile (AS 241) and CDF', () => {
  it.each([
    [0.975, 1.959963984540054],
    [0.95, 1.6448536269514722],
    [0.99, 2.3263478740408408],
    [0.3, -0.5244005127080409],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
    [1e-20, -9.262340089798409],
  ])('Φ⁻¹(%p) = %p', (p, z) => expectClose(normalQuantile(p), z, 1e-15));

  it('is exactly 0 at 1/2 and antisymmetric', () => {
    expect(normalQuantile(0.5)).toBe(0);
    // complements that are exact in doubles, one in each branch of AS 241
    expect(normalQuantile(0.25)).toBe(-normalQuantile(0.75));
    expect(normalQuantile(2 ** -10)).toBe(-normalQuantile(1 - 2 ** -10));
  });

  it.each([
    [-1, 0.15865525393145707],
    [-5, 2.866515718791933e-7],
    [-10, 7.61985302416047e-24],
    [0.5, 0.6914624612740131],
    [1.959963984540054, 0.975],
  ])('Φ(%p) = %p', (x, p) => expectClose(normalCdf(x), p, 5e-14));

  it.each([
    [0.5, 0.5723649429247004],
    [5, Math.log(24)],
    [7.3, 7.147892523022248],
  ])('ln Γ(%p) = %p', (x, v) => expectClose(logGamma(x), v, 1e-14));
});

describe('incomplete beta and its inverse', () => {
  it.each([
    [0.3, 2, 4],
    [0.05, 3, 3],
    [0.9, 5, 2],
    [0.001, 1, 7],
  ])('I_%p(%p, %p) agrees with the binomial sum', (x, a, b) =>
    expectClose(regularisedBeta(x, a, b), betaCdfWhole(x, a, b), 1e-13),
  );

  it('I_0.3(2, 4) = 0.47178 (binomial sum by hand: 1 − 0.7^5 − 5·0.3·0.7^4)', () => {
    expectClose(regularisedBeta(0.3, 2, 4), 0.47178, 1e-14);
  });

  it.each([
    [0.5, 2, 4, 0.3138101704556974],
    [0.05, 2, 4, 0.07644039141232889],
    [0.95, 2, 4, 0.6574083180011386],
    [0.001, 1.5, 3.5, 0.003246472165262137],
    [0.999, 1.5, 3.5, 0.8894448399828532],
    [0.3, 11.2, 1.8, 0.8271583449832401],
    [0.5, 1, 1, 0.5],
  ])('B⁻¹(%p; %p, %p) = %p', (p, a, b, x) => expectClose(betaQuantile(p, a, b), x, 1e-12));

  it.each([
    [2, 4],
    [5, 2],
    [1, 7],
  ])('B⁻¹(p; %p, %p) inverts the binomial-sum CDF over p = 0.0001 … 0.9999', (a, b) => {
    const worst = Math.max(
      ...Array.from({ length: 9999 }, (_, i) => (i + 1) / 10000).map(
        (p) => Math.abs(betaCdfWhole(betaQuantile(p, a, b), a, b) - p) / p,
      ),
    );
    expect(worst).toBeLessThan(1e-12);
  });

  it('inverts closed forms: Beta(a, 1) has quantile u^(1/a), Beta(2, 2) has CDF 3x² − 2x³', () => {
    expectClose(betaQuantile(0.2, 3, 1), 0.2 ** (1 / 3), 1e-13);
    const x = betaQuantile(0.8, 2, 2);
    expectClose(3 * x * x - 2 * x ** 3, 0.8, 1e-13);
  });
});

describe('quantiles of the distributions', () => {
  const tri: Distribution = { kind: 'triangular', min: 0, mode: 1, max: 4 };
  it.each([
    // hand-worked: split at (1 − 0)/(4 − 0) = 0.25; below, √(u·4·1); above, 4 − √((1 − u)·4·3)
    [tri, 0.125, Math.SQRT1_2],
    [tri, 0.25, 1],
    [tri, 0.5, 1.5505102572168221],
    [{ kind: 'uniform', min: 2, max: 6 }, 0.25, 3],
    // PERT(0, 1, 4), λ = 4: Beta(2, 4) on [0, 4]
    [{ kind: 'pert', min: 0, mode: 1, max: 4 }, 0.5, 1.2552406818227897],
    [{ kind: 'normal', mean: 100, sd: 10 }, 0.975, 100 + 10 * 1.959963984540054],
    // half-normal: Φ⁻¹(0.5 + 0.95/2) = Φ⁻¹(0.975)
    [{ kind: 'normal', mean: 0, sd: 1, min: 0 }, 0.95, 1.959963984540054],
    [{ kind: 'normal', mean: 0, sd: 1, min: 1 }, 0.5, 1.4096087092934546],
    [{ kind: 'normal', mean: 100, sd: 10, min: 90, max: 120 }, 0.3, 97.57596182110773],
    // median of a lognormal with mean 1, sd 0.2: exp(μ) = 1/√1.04
    [{ kind: 'lognormal', mean: 1, sd: 0.2 }, 0.5, 0.9805806756909201],
    [{ kind: 'lognormal', mean: 1, sd: 0.2 }, 0.975, 1.4456300158824464],
  ] as [Distribution, number, number][])('%j at %p is %p', (d, u, x) =>
    expectClose(quantile(d, u), x, 1e-12),
  );

  it('a discrete distribution steps at its cumulative weights (values sorted first)', () => {
    const d: Distribution = {
      kind: 'discrete',
      values: [
        { value: 3, weight: 1 },
        { value: 1, weight: 1 },
        { value: 2, weight: 2 },
      ],
    };
    // cumulative shares 0.25, 0.75, 1
    expect([0.1, 0.25, 0.26, 0.75, 0.76, 0.999].map((u) => quantile(d, u))).toEqual([
      1, 1, 2, 2, 3, 3,
    ]);
    expect(mean(d)).toBe(2);
    expect(variance(d)).toBe(0.5);
  });

  it.each([
    { kind: 'triangular', min: 1.25, mode: 1.25, max: 1.25 },
    { kind: 'pert', min: 1.25, mode: 1.25, max: 1.25 },
    { kind: 'uniform', min: 1.25, max: 1.25 },
    { kind: 'discrete', values: [{ value: 1.25, weight: 3 }] },
  ] as Distribution[])('the degenerate %j gives its one value for every u', (d) => {
    const f = quantileFunction(d);
    expect([2 ** -53, 0.1, 0.5, 0.9, 1 - 2 ** -53].map(f)).toEqual([1.25, 1.25, 1.25, 1.25, 1.25]);
  });

  it('is monotone in u for every kind', () => {
    const ds: Distribution[] = [
      tri,
      { kind: 'pert', min: -3, mode: 2, max: 5, lambda: 6 },
      { kind: 'normal', mean: 0, sd: 2, max: 1 },
      { kind: 'lognormal', mean: 3, sd: 2 },
    ];
    const us = Array.from({ length: 999 }, (_, i) => (i + 1) / 1000);
    for (const d of ds) {
      const xs = us.map(quantileFunction(d));
      expect(xs.every((x, i) => i === 0 || x >= xs[i - 1]!)).toBe(true);
    }
  });
});

describe('mean and variance', () => {
  it.each([
    [{ kind: 'triangular', min: 0, mode: 1, max: 4 }, 5 / 3, 13 / 18],
    [{ kind: 'pert', min: 0, mode: 1, max: 4 }, 4 / 3, 32 / 63],
    [{ kind: 'uniform', min: 2, max: 6 }, 4, 16 / 12],
    [{ kind: 'normal', mean: 0, sd: 1, min: 0 }, 0.7978845608028654, 0.3633802276324186],
    [{ kind: 'normal', mean: 0, sd: 1, min: 1 }, 1.525135276160981, 0.19909766557034903],
    [
      { kind: 'normal', mean: 100, sd: 10, min: 90, max: 120 },
      102.29637179091328,
      51.9762539211534,
    ],
    [{ kind: 'lognormal', mean: 1, sd: 0.2 }, 1, 0.04000000000000001],
  ] as [Distribution, number, number][])('%j: mean %p, variance %p', (d, m, v) => {
    expectClose(mean(d), m, 1e-12);
    expectClose(variance(d), v, 1e-11);
  });

  it('sampled PERT(0, 1, 4) has the mean (min + 4·mode + max)/6 = 4/3 within 4 standard errors', () => {
    const n = 20000;
    const u = uniformStream(2024, 0);
    const f = quantileFunction({ kind: 'pert', min: 0, mode: 1, max: 4 });
    let total = 0;
    for (let i = 0; i < n; i++) total += f(u());
    // sd = √(32/63) ≈ 0.7127, so the standard error of the mean is 0.7127/√20000 ≈ 0.00504
    expect(Math.abs(total / n - 4 / 3)).toBeLessThan(4 * 0.00504);
  });
});

describe('validate', () => {
  it.each([
    [{ kind: 'triangular', min: 2, mode: 1, max: 1 }, ['max'], 'min-above-max'],
    [{ kind: 'triangular', min: 0, mode: 5, max: 4 }, ['mode'], 'mode-outside-range'],
    [{ kind: 'pert', min: 0, mode: 1, max: 4, lambda: 0 }, ['lambda'], 'lambda-not-positive'],
    [{ kind: 'uniform', min: 3, max: 2 }, ['max'], 'min-above-max'],
    [{ kind: 'normal', mean: 1, sd: 0 }, ['sd'], 'sd-not-positive'],
    [{ kind: 'normal', mean: 1, sd: 1, min: 2, max: 2 }, ['max'], 'truncation-empty'],
    [{ kind: 'normal', mean: 0, sd: 1, min: 60 }, ['min'], 'truncation-empty'],
    [{ kind: 'lognormal', mean: 0, sd: 1 }, ['mean'], 'mean-not-positive'],
    [{ kind: 'lognormal', mean: 1, sd: -1 }, ['sd'], 'sd-not-positive'],
    [{ kind: 'discrete', values: [] }, ['values'], 'no-values'],
    [
      {
        kind: 'discrete',
        values: [
          { value: 1, weight: 1 },
          { value: 2, weight: 0 },
        ],
      },
      ['values', 1, 'weight'],
      'weight-not-positive',
    ],
    [{ kind: 'uniform', min: NaN, max: 2 }, ['min'], 'not-finite'],
    [
      { kind: 'discrete', values: [{ value: Infinity, weight: 1 }] },
      ['values', 0, 'value'],
      'not-finite',
    ],
  ] as [Distribution, (string | number)[], string][])('%j: %p %s', (d, path, code) => {
    expect(validate(d).map((i) => ({ path: i.path, code: i.code }))).toEqual([{ path, code }]);
    expect(() => quantileFunction(d)).toThrow(RangeError);
  });

  it('accepts valid distributions', () => {
    expect(validate({ kind: 'normal', mean: 1, sd: 0.1, min: 0.8 })).toEqual([]);
    expect(validate({ kind: 'triangular', min: 1, mode: 1, max: 1 })).toEqual([]);
  });
});
