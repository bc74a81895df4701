import { ENGINE_VERSION } from '../../../src/domain/engine/types';
import { ValidationError } from '../../../src/domain/errors';
import { DEFAULT_THRESHOLDS } from '../../../src/domain/fiscal/thresholds';
import {
  portfolioRiskInThisThread,
  readPortfolioRiskSpec,
  sampleShocks,
} from '../../../src/domain/risk/portfolio';
import { toyPortfolio as toy } from '../../helpers/portfolio';

const run = (trials: number, common: number, own: number) =>
  portfolioRiskInThisThread(
    toy(),
    readPortfolioRiskSpec({
      trials,
      seed: 7,
      shocks: { driver: 'opex', common: { sd: common }, own: { sd: own } },
    }),
    ENGINE_VERSION,
  );

it('without shocks every trial is the deterministic portfolio: ratios of 1,749,000 and 1,804,650 over 20,000,000', () => {
  const r = run(5, 0, 0);
  const a = r.affordability!;
  expect(a.peakRatio).toMatchObject({ count: 5, mean: '0.090233', sd: '0', min: '0.090233' });
  expect(a.peakRatio!.max).toBe('0.090233');
  expect(a.breachProbability).toBe('0');
  expect(a.aboveLineProbability).toBe('1');
  expect(a.expectedOverCapYuan).toBe('0');
  expect(a.totalObligationsYuan).toMatchObject({ mean: '3553650', sd: '0' });
  expect(a.fan.years).toEqual([2026, 2027, 2028]);
  expect(a.fan.p50).toEqual([0, 0.08745, 0.090233]);
  expect(r.shocks.correlation).toBeNull();
});

it('a cap of 8 % is breached in every trial by exactly 149,000 + 204,650 yuan', () => {
  const model = toy();
  model.thresholds = { ...DEFAULT_THRESHOLDS, affordabilityCap: '0.08' };
  const r = portfolioRiskInThisThread(
    model,
    readPortfolioRiskSpec({ trials: 3, seed: 1, shocks: { common: { sd: 0 }, own: { sd: 0 } } }),
    ENGINE_VERSION,
  );
  expect(r.affordability!.breachProbability).toBe('1');
  expect(r.affordability!.expectedOverCapYuan).toBe('353650');
});

describe('the spread of the portfolio total follows the correlation', () => {
  // total = 2,281,650 + 636,000 (f₁ + f₂), with f lognormal of mean 1 and sd s = √(e^σ² − 1):
  // common only, f₁ = f₂: sd = 1,272,000 s; own only, independent: sd = 636,000 √2 s; both with
  // equal sds (correlation ½ between log factors): sd ≈ 636,000 √3 s (to first order in σ).
  const sigma = 0.2;
  const s = Math.sqrt(Math.exp(sigma * sigma) - 1);
  const TRIALS = 1000;
  // The sample sd of 1,000 near-normal values has a relative standard error of about 2.3 %.
  const within = (got: string, want: number) =>
    expect(Math.abs(Number(got) / want - 1)).toBeLessThan(0.08);

  it('common only: perfectly correlated', () => {
    const r = run(TRIALS, sigma, 0);
    within(r.affordability!.totalObligationsYuan.sd, 1_272_000 * s);
    expect(r.shocks.correlation).toBe('1.0000');
  });

  it('own only: independent', () => {
    const r = run(TRIALS, 0, sigma);
    within(r.affordability!.totalObligationsYuan.sd, 636_000 * Math.SQRT2 * s);
    expect(r.shocks.correlation).toBe('0.0000');
  });

  it('both: correlation one half', () => {
    const r = run(TRIALS, sigma / Math.SQRT2, sigma / Math.SQRT2);
    within(r.affordability!.totalObligationsYuan.sd, 636_000 * Math.sqrt(3) * s);
    expect(r.shocks.correlation).toBe('0.5000');
  });
});

it('the shocks are standard normals from streams 6000 (common) and 6001 + index (own)', () => {
  const a = sampleShocks(3, 4, [0, 5]);
  const b = sampleShocks(3, 4, [5]);
  expect(b.own[0]).toEqual(a.own[1]);
  expect(b.common).toEqual(a.common);
  expect(a.common).not.toEqual(a.own[0]);
});

it.each([
  [{ trials: 0, seed: 1 }, 'trials'],
  [{ trials: 10, seed: -1 }, 'seed'],
  [{ trials: 10, seed: 1, shocks: { common: { sd: -0.1 } } }, 'shocks.common.sd'],
  [{ trials: 10, seed: 1, shocks: { own: { sd: 2 } } }, 'shocks.own.sd'],
  [{ trials: 10, seed: 1, shocks: { driver: 'tariff' } }, 'shocks.driver'],
])('a bad spec %j is refused at %s', (spec, path) => {
  let err: unknown;
  try {
    readPortfolioRiskSpec(spec);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).issues.map((i) => i.path)).toEqual([path]);
});

it('the defaults: revenue, 0.1 and 0.1', () => {
  expect(readPortfolioRiskSpec({ trials: 1, seed: 0 }).shocks).toEqual({
    driver: 'revenue',
    common: { sd: 0.1 },
    own: { sd: 0.1 },
  });
});
