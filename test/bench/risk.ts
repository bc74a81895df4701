import os from 'node:os';
import { MonteCarloRunner } from '../../src/app/risk/runner';
import { Dec } from '../../src/domain/decimal';
import { sensitivity } from '../../src/domain/risk/sensitivity';
import { solveBreakEven } from '../../src/domain/risk/solve';
import type { RiskSpecInput } from '../../src/domain/risk/spec';
import { parseScenario } from '../../src/domain/scenario/parse';
import { benchScenarioInput } from './engine';
import { medianMs, type BenchRow } from './stats';

/** The Monte Carlo benchmark: 6 stochastic drivers of the 30-year benchmark scenario. */
export const SIX_DRIVER_SPEC: RiskSpecInput = {
  format: 'fundmix-risk@1',
  drivers: [
    { driver: 'revenue', distribution: { kind: 'triangular', min: 0.75, mode: 1, max: 1.15 } },
    { driver: 'capex', distribution: { kind: 'pert', min: 0.95, mode: 1, max: 1.35 } },
    { driver: 'opex', distribution: { kind: 'normal', mean: 1, sd: 0.08, min: 0.8, max: 1.3 } },
    { driver: 'rate', distribution: { kind: 'uniform', min: -50, max: 150 } },
    { driver: 'tariff', distribution: { kind: 'lognormal', mean: 1, sd: 0.05 } },
    {
      driver: 'delay',
      distribution: {
        kind: 'discrete',
        values: [
          { value: 0, weight: 0.7 },
          { value: 1, weight: 0.25 },
          { value: 2, weight: 0.05 },
        ],
      },
    },
  ],
  correlations: [{ between: ['revenue', 'tariff'], rho: 0.4 }],
  latinHypercube: true,
};

/** The ten drivers of the tornado benchmark (the benchmark scenario has no availability payment). */
const TEN = [
  'revenue',
  'tariff',
  'volume',
  'ramp-up',
  'capex',
  'opex',
  'rate',
  'delay',
  'escalation',
  'residual',
];

/**
 * Risk analysis (issue 11): a tornado of 10 drivers and a break-even solve in one thread, and
 * 10,000 Monte Carlo trials on worker threads (as many as the machine has cores).
 */
export async function benchRisk(): Promise<BenchRow[]> {
  const input = benchScenarioInput();
  input.residualValueYuan = '20000000';
  const scenario = parseScenario(input);
  const ranges = TEN.map((driver) => ({ driver }));
  const tornado = medianMs(() => sensitivity(scenario, 'equityIrr', ranges), 15, 3);
  const solve = medianMs(
    () =>
      solveBreakEven(scenario, { driver: 'revenue', metric: 'equityIrr', target: new Dec('0.08') }),
    15,
    3,
  );
  const workers = os.availableParallelism();
  const runner = new MonteCarloRunner({ workers });
  const times: number[] = [];
  try {
    // The first run starts the threads; the next ones are measured.
    await runner.run({ scenario: input, spec: SIX_DRIVER_SPEC, trials: 500, seed: 1 });
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await runner.run({ scenario: input, spec: SIX_DRIVER_SPEC, trials: 10_000, seed: 1 + i });
      times.push(performance.now() - t);
    }
  } finally {
    await runner.close();
  }
  times.sort((a, b) => a - b);
  return [
    {
      name: 'tornado of 10 drivers, equity IRR (30-year scenario)',
      median: tornado.toFixed(1),
      unit: 'ms',
      note: 'target ≤ 50 ms',
    },
    {
      name: 'break-even: revenue factor for equity IRR = 8 %',
      median: solve.toFixed(1),
      unit: 'ms',
      note: 'target ≤ 30 ms',
    },
    {
      name: `Monte Carlo 10,000 trials, 6 drivers, 30-year scenario, ${workers} workers`,
      median: (times[1]! / 1000).toFixed(2),
      unit: 's',
      note: `target ≤ 2 s wall; runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s`,
    },
  ];
}
