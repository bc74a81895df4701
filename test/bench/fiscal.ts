import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { parseScenario } from '../../src/domain/scenario/parse';
import {
  createStore,
  migrate,
  openDatabase,
  portfolioFiscalReport,
  portfolioRiskInputs,
  seedDemoIfEmpty,
} from '../../src/store';
import { MonteCarloRunner } from '../../src/app/risk/runner';
import { DEFAULT_DEMO_DIR } from '../../src/cli/commands/store-common';
import { benchScenarioInput } from './engine';
import { medianMs, type BenchRow } from './stats';

const PROJECTS = 1000;

/**
 * `npm run bench` (fiscal): the fiscal report with a what-if switch, on Demo City (12 projects)
 * and on a 1,000-project portfolio, every result already cached (as after the first page view).
 */
export async function benchFiscal(): Promise<BenchRow[]> {
  const engine = { simulate, version: ENGINE_VERSION };
  const demoDb = openDatabase(':memory:');
  migrate(demoDb);
  const demo = createStore(demoDb, { clock: () => new Date(), engine });
  // Resolved from the package root: the bench runs compiled, from dist/test/bench.
  seedDemoIfEmpty(demo, DEFAULT_DEMO_DIR());
  const plan = demo.portfolios.getByName('2027 PPP为主方案 PPP-heavy 2027 plan').id;
  const switches = { 'SC-TRANSPORT': 'PPP+建设期补助 PPP with construction subsidy' };
  const whatIf = medianMs(
    () => portfolioFiscalReport(demo, plan, { switches, bondStress: false }),
    21,
    3,
  );
  const bondPlan = demo.portfolios.getByName('2027 专项债为主方案 Bond-heavy 2027 plan').id;
  const withStress = medianMs(() => portfolioFiscalReport(demo, bondPlan), 11, 2);

  const bigDb = openDatabase(':memory:');
  migrate(bigDb);
  const big = createStore(bigDb, { clock: () => new Date(), engine });
  const result = simulate(parseScenario(benchScenarioInput()));
  const members = big.transaction(() =>
    Array.from({ length: PROJECTS }, (_, i) => {
      const input = benchScenarioInput(i);
      input.project.code = `P-${String(i).padStart(4, '0')}`;
      const saved = big.scenarios.save(input, { actor: 'bench' });
      big.results.put(saved.version.inputsHash, result);
      return { projectCode: saved.project.code, scenarioName: saved.scenario.name };
    }),
  );
  const portfolio = big.portfolios.create({ name: 'Bench 1,000', members }, 'bench');
  big.fiscal.setSettings(
    portfolio.id,
    {
      jurisdiction: 'Bench',
      budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '470000000000', growth: '0.03' },
    },
    'bench',
  );
  const bigMs = medianMs(
    () => portfolioFiscalReport(big, portfolio.id, { bondStress: false }),
    5,
    1,
  );

  const risk = await portfolioRiskMs(demo, plan);

  return [
    {
      name: 'fiscal report, Demo City PPP-heavy plan with a what-if switch (no bond stress)',
      median: whatIf.toFixed(1),
      unit: 'ms',
      note: '12 projects, results from the cache',
    },
    {
      name: 'fiscal report, Demo City bond-heavy plan with bond stress (re-simulates bonds)',
      median: withStress.toFixed(1),
      unit: 'ms',
      note: '2 bond projects × 2 stress runs',
    },
    {
      name: 'fiscal report, 1,000-project portfolio (no bond stress)',
      median: bigMs.toFixed(0),
      unit: 'ms',
      note: 'target ≤ 300 ms; member digests kept since the first report (no result revived)',
    },
    {
      name: 'Demo City portfolio × 2,000 correlated trials (workers = cores)',
      median: risk.ms.toFixed(0),
      unit: 'ms',
      note: `target ≤ 5000 ms; 12 projects, revenue shocks sd 0.1 + 0.1, ${risk.workers} workers; P(breach) ${risk.breach}`,
    },
  ];
}

/**
 * One portfolio risk run of the PPP-heavy plan on a pool with a thread per core (after one
 * small warm-up run that starts the threads): wall time from the request to the summary.
 */
async function portfolioRiskMs(
  store: ReturnType<typeof createStore>,
  portfolioId: number,
): Promise<{ ms: number; workers: number; breach: string }> {
  const runner = new MonteCarloRunner();
  try {
    const inputs = portfolioRiskInputs(store, portfolioId);
    const model = {
      members: inputs.members.map((m) => ({ index: m.index, scenario: m.inputs })),
      budget: inputs.budget,
      thresholds: inputs.thresholds,
      otherObligations: inputs.otherObligations,
    };
    await runner.runPortfolio({ model, spec: { trials: runner.workers * 4, seed: 2 } });
    const t0 = process.hrtime.bigint();
    const out = await runner.runPortfolio({ model, spec: { trials: 2000, seed: 1 } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { ms, workers: runner.workers, breach: out.affordability?.breachProbability ?? '—' };
  } finally {
    await runner.close();
  }
}

if (require.main === module) {
  void benchFiscal().then((rows) => {
    for (const row of rows)
      process.stdout.write(
        `${row.name.padEnd(90)} ${row.median.padStart(10)} ${row.unit}${row.note ? `   (${row.note})` : ''}\n`,
      );
  });
}
