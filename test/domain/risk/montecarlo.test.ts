import fs from 'node:fs';
import path from 'node:path';
import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../../src/domain/engine/types';
import { ValidationError } from '../../../src/domain/errors';
import { driverValue, runInThisThread } from '../../../src/domain/risk/montecarlo';
import { parseDriverName } from '../../../src/domain/risk/drivers';
import { drawRevenuePaths, PATHS_STREAM } from '../../../src/domain/risk/sampling';
import { normalQuantile } from '../../../src/domain/risk/special';
import { defaultSpec, readSpec, type RiskSpecInput } from '../../../src/domain/risk/spec';
import type { Scenario } from '../../../src/domain/scenario/schema';
import { small } from '../../helpers/scenarios';

/** The whole run in this thread, in one block (the worker pool's result must be the same). */
function runHere(scenario: Scenario, spec: RiskSpecInput, trials: number, seed: number) {
  return runInThisThread(scenario, readSpec(spec, scenario), trials, seed, ENGINE_VERSION);
}

const spec = (
  drivers: RiskSpecInput['drivers'],
  extra: Partial<RiskSpecInput> = {},
): RiskSpecInput => ({
  format: 'fundmix-risk@1',
  drivers,
  ...extra,
});

describe('Monte Carlo', () => {
  it('a degenerate distribution gives the deterministic result exactly, in every percentile', () => {
    const s = small();
    const { summary } = runHere(
      s,
      spec([
        { driver: 'revenue', distribution: { kind: 'triangular', min: 1, mode: 1, max: 1 } },
        { driver: 'delay', distribution: { kind: 'discrete', values: [{ value: 0, weight: 1 }] } },
      ]),
      50,
      7,
    );
    const npv = simulate(s).metrics.projectNpv;
    const m = summary.metrics.projectNpv!;
    // The summary rounds to 12 places; the NPV is in fen, so it is exact.
    for (const k of ['mean', 'p5', 'p10', 'p50', 'p90', 'p95', 'min', 'max'] as const)
      expect(new Dec(m[k]).eq(npv)).toBe(true);
    expect(m.sd).toBe('0');
    expect(summary.metrics.equityIrr!.p50).toBe(
      simulate(s).metrics.equity[0]!.irr.rate!.toDecimalPlaces(12).toString(),
    );
  });

  it('where NPV is linear in a normal revenue factor, sampled percentiles agree with the analytic ones', () => {
    // No tax, no debt: NPV(f) = a + b·f exactly up to fen rounding.
    const s = small((x) => {
      x.tax = { incomeTaxRate: '0' };
      x.funding.sources = [
        { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '1000000' },
      ];
    });
    const at = (f: string) =>
      simulate(s, { overrides: { revenueFactor: new Dec(f) } }).metrics.projectNpv.toNumber();
    const a0 = at('1');
    const b = (at('1.1') - a0) / 0.1;
    const sd = 0.1;
    const n = 4000;
    const { summary } = runHere(
      s,
      spec([{ driver: 'revenue', distribution: { kind: 'normal', mean: 1, sd } }], {
        latinHypercube: false,
      }),
      n,
      2026,
    );
    const m = summary.metrics.projectNpv!;
    for (const [k, p] of [
      ['p5', 0.05],
      ['p50', 0.5],
      ['p95', 0.95],
    ] as const) {
      const z = normalQuantile(p);
      const analytic = a0 + b * sd * z;
      // Standard error of a sample quantile: √(p(1−p)/n) / φ(z), in NPV units (× b·sd).
      const phi = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
      const se = (Math.sqrt((p * (1 - p)) / n) / phi) * b * sd;
      expect(Math.abs(Number(m[k]) - analytic)).toBeLessThan(4 * se);
    }
    expect(Math.abs(Number(m.mean) - a0)).toBeLessThan((4 * b * sd) / Math.sqrt(n));
  });

  it('counts the probabilities that matter and ranks the drivers that matter most', () => {
    const s = small();
    const { summary } = runHere(
      s,
      spec([
        { driver: 'opex', distribution: { kind: 'triangular', min: 0.95, mode: 1, max: 1.05 } },
        { driver: 'revenue', distribution: { kind: 'triangular', min: 0.8, mode: 1, max: 1.2 } },
      ]),
      300,
      11,
    );
    expect(Object.keys(summary.probabilities).sort()).toEqual(
      [
        'anyArrears',
        'bondCoverageBelowThreshold',
        'dscrBelowCovenant',
        'equityIrrBelowHurdle',
      ].sort(),
    );
    // No special bond in the scenario: no coverage probability.
    expect(summary.probabilities.bondCoverageBelowThreshold).toBeNull();
    expect(summary.metrics.bondCoverage).toBeNull();
    const ranked = summary.importance.projectNpv!;
    expect(ranked[0]!.driver).toBe('revenue');
    expect(ranked.map((r) => Math.abs(Number(r.rho)))).toEqual(
      [...ranked.map((r) => Math.abs(Number(r.rho)))].sort((x, y) => y - x),
    );
  });

  describe('risks of the register as events', () => {
    const withRisk = (probability: string, min: string, max: string) =>
      small((x) => {
        (x as { risks?: unknown }).risks = {
          method: 'probability',
          items: [
            {
              id: 'overrun',
              category: 'construction-overrun',
              description: 'Cost overrun',
              probability,
              impactYuan: '100000',
              years: 'construction',
              allocation: { government: '0', partner: '1' },
              monteCarlo: { driver: 'capex', impact: { min, mode: min, max } },
            },
          ],
        };
      });
    const revenueFixed = spec([
      { driver: 'revenue', distribution: { kind: 'triangular', min: 1, mode: 1, max: 1 } },
    ]);

    it('a certain event with a fixed impact gives the deterministic result with that driver value', () => {
      const s = withRisk('1', '1.2', '1.2');
      const { summary } = runHere(s, revenueFixed, 40, 3);
      const npv = simulate(s, { overrides: { capexFactor: new Dec('1.2') } }).metrics.projectNpv;
      expect(new Dec(summary.metrics.projectNpv!.p50).eq(npv)).toBe(true);
      expect(summary.metrics.projectNpv!.sd).toBe('0');
      expect(summary.events).toEqual([
        { id: 'overrun', driver: 'capex', probability: 1, occurred: 40 },
      ]);
    });

    it('an event that never occurs leaves the scenario as it is; events can be turned off', () => {
      const never = runHere(withRisk('0', '1.2', '1.2'), revenueFixed, 40, 3).summary;
      expect(new Dec(never.metrics.projectNpv!.mean).eq(simulate(small()).metrics.projectNpv)).toBe(
        true,
      );
      const off = runHere(
        withRisk('1', '1.2', '1.2'),
        { ...revenueFixed, events: false },
        40,
        3,
      ).summary;
      expect(off.events).toEqual([]);
      expect(new Dec(off.metrics.projectNpv!.mean).eq(simulate(small()).metrics.projectNpv)).toBe(
        true,
      );
    });

    it('an event occurs in about its probability of the trials', () => {
      const n = 4000;
      const { summary } = runHere(withRisk('0.3', '1.1', '1.3'), revenueFixed, n, 8);
      const occurred = summary.events[0]!.occurred;
      // Binomial(4000, 0.3): sd = √(4000 · 0.3 · 0.7) ≈ 29.
      expect(Math.abs(occurred - 0.3 * n)).toBeLessThan(4 * Math.sqrt(n * 0.3 * 0.7));
    });
  });

  it('a fixed spec and seed give the golden summary', () => {
    const s = small();
    const { summary } = runHere(s, defaultSpec(s), 200, 42);
    const file = path.join(__dirname, '..', '..', 'golden', 'risk-montecarlo-small.json');
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
    expect(summary).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
  });

  describe('revenue paths', () => {
    const fixed = spec([
      { driver: 'revenue', distribution: { kind: 'triangular', min: 1, mode: 1, max: 1 } },
    ]);
    const threeYears = small((x) => {
      x.timeline = { startYear: 2026, constructionYears: 1, operationYears: 3 };
      x.funding.sources[1]!.debt!.tenorYears = 4;
    });

    it('a path with sd 0 gives the deterministic result exactly', () => {
      const s = threeYears;
      const flat = runHere(
        s,
        { ...fixed, paths: [{ driver: 'revenue', model: 'ar1', sd: 0, phi: 0.5 }] },
        30,
        4,
      ).summary;
      expect(flat).toEqual(runHere(s, fixed, 30, 4).summary);
      const npv = simulate(s).metrics.projectNpv;
      for (const k of ['mean', 'p5', 'p50', 'p95', 'min', 'max'] as const)
        expect(new Dec(flat.metrics.projectNpv![k]).eq(npv)).toBe(true);
      expect(flat.metrics.projectNpv!.sd).toBe('0');
    });

    it('trial i runs with its path’s factors, as Decimals of 8 places, through revenueYearFactors', () => {
      const s = threeYears;
      const path = { driver: 'revenue', model: 'random-walk', sd: 0.2, start: 2 } as const;
      const { summary } = runHere(s, { ...fixed, paths: [path] }, 1, 9);
      const [, f2, f3] = drawRevenuePaths({
        trials: 1,
        years: 3,
        seed: 9,
        sd: 0.2,
        phi: 1,
        start: 2,
        streamIndex: PATHS_STREAM,
      });
      const revenue = parseDriverName('revenue', s);
      const factors = [new Dec(1), driverValue(revenue, f2!), driverValue(revenue, f3!)];
      expect(factors.map((f) => f.decimalPlaces() <= 8)).toEqual([true, true, true]);
      const npv = simulate(s, { overrides: { revenueYearFactors: factors } }).metrics.projectNpv;
      expect(summary.metrics.projectNpv!.mean).toBe(npv.toDecimalPlaces(12).toString());
      expect(npv.eq(simulate(s).metrics.projectNpv)).toBe(false);
    });

    it('a path on one stream moves that stream only', () => {
      const s = small((x) => {
        x.revenues = [...(x.revenues ?? []), { kind: 'other', name: 'Other', annualYuan: '100' }];
      });
      const one = runHere(
        s,
        { ...fixed, paths: [{ driver: 'revenue:Other', model: 'random-walk', sd: 0.3 }] },
        20,
        2,
      ).summary;
      // Other is 100 yuan a year of 800,100: its path moves the NPV by a few yuan at most.
      const base = simulate(s).metrics.projectNpv;
      const spread = new Dec(one.metrics.projectNpv!.max).minus(one.metrics.projectNpv!.min);
      expect(spread.gt(0) && spread.lt(1000)).toBe(true);
      expect(new Dec(one.metrics.projectNpv!.mean).minus(base).abs().lt(1000)).toBe(true);
    });

    it('a fixed spec with paths and seed give the golden summary', () => {
      const s = threeYears;
      const { summary } = runHere(
        s,
        {
          ...defaultSpec(s),
          paths: [
            { driver: 'revenue', model: 'random-walk', sd: 0.05 },
            { driver: 'revenue:Income', model: 'ar1', sd: 0.1, phi: 0.6, start: 2 },
          ],
        },
        200,
        42,
      );
      const file = path.join(__dirname, '..', '..', 'golden', 'risk-montecarlo-paths.json');
      if (process.env.UPDATE_GOLDEN)
        fs.writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
      expect(summary).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
    });
  });

  const withPath = (p: Record<string, unknown>) =>
    spec([{ driver: 'revenue', distribution: { kind: 'uniform', min: 0.9, max: 1.1 } }], {
      paths: [p as never],
    });

  it.each([
    ['a negative path sd', withPath({ model: 'random-walk', sd: -0.1 }), 'paths[0].sd'],
    ['a path sd above 0.5', withPath({ model: 'random-walk', sd: 0.6 }), 'paths[0].sd'],
    ['an AR(1) phi of 1', withPath({ model: 'ar1', sd: 0.1, phi: 1 }), 'paths[0].phi'],
    ['an AR(1) without phi', withPath({ model: 'ar1', sd: 0.1 }), 'paths[0].phi'],
    ['an unknown path model', withPath({ model: 'garch', sd: 0.1 }), 'paths[0].model'],
    [
      'a path on capex',
      withPath({ driver: 'capex', model: 'random-walk', sd: 0.1 }),
      'paths[0].driver',
    ],
    [
      'a path on a stream that does not exist',
      withPath({ driver: 'revenue:Nope', model: 'random-walk', sd: 0.1 }),
      'paths[0].driver',
    ],
    [
      'a path starting after the operation',
      withPath({ model: 'random-walk', sd: 0.1, start: 3 }),
      'paths[0].start',
    ],
  ])('refuses %s, naming the field', (_what, bad, field) => {
    let err: unknown;
    try {
      readSpec(bad, small());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toContain(field);
  });

  it.each([
    [
      'an unknown driver',
      spec([{ driver: 'weather', distribution: { kind: 'uniform', min: 0.9, max: 1.1 } }]),
      'drivers[0].driver',
    ],
    [
      'low above high',
      spec([{ driver: 'capex', distribution: { kind: 'uniform', min: 1.2, max: 0.9 } }]),
      'drivers[0].distribution.max',
    ],
    [
      'a weight of zero',
      spec([
        { driver: 'delay', distribution: { kind: 'discrete', values: [{ value: 1, weight: 0 }] } },
      ]),
      'drivers[0].distribution.values[0].weight',
    ],
    [
      'a value outside the driver range',
      spec([{ driver: 'capex', distribution: { kind: 'triangular', min: 0.9, mode: 1, max: 9 } }]),
      'drivers[0].distribution.max',
    ],
    [
      'a correlation matrix that is not positive semi-definite',
      spec(
        [
          { driver: 'revenue', distribution: { kind: 'uniform', min: 0.9, max: 1.1 } },
          { driver: 'opex', distribution: { kind: 'uniform', min: 0.9, max: 1.1 } },
          { driver: 'capex', distribution: { kind: 'uniform', min: 0.9, max: 1.1 } },
        ],
        {
          correlations: [
            { between: ['revenue', 'opex'], rho: 0.9 },
            { between: ['opex', 'capex'], rho: 0.9 },
            { between: ['revenue', 'capex'], rho: -0.9 },
          ],
        },
      ),
      'correlations',
    ],
    [
      'a correlation with a driver not in the spec',
      spec([{ driver: 'revenue', distribution: { kind: 'uniform', min: 0.9, max: 1.1 } }], {
        correlations: [{ between: ['revenue', 'opex'], rho: 0.5 }],
      }),
      'correlations[0].between[1]',
    ],
  ])('refuses %s, naming the field', (_what, bad, field) => {
    let err: unknown;
    try {
      readSpec(bad, small());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toContain(field);
  });
});
