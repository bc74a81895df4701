import { portfolioRisk } from '../../src/app/risk/portfolio';
import { MonteCarloRunner } from '../../src/app/risk/runner';
import { actorOfUser } from '../../src/app/actors';
import { Dec, ZERO } from '../../src/domain/decimal';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import {
  portfolioRiskInThisThread,
  readPortfolioRiskSpec,
  type PortfolioRiskResult,
} from '../../src/domain/risk/portfolio';
import { parseScenario } from '../../src/domain/scenario/parse';
import {
  createStore,
  migrate,
  openDatabase,
  portfolioFiscalReport,
  portfolioRiskInputs,
  seedDemoIfEmpty,
  type Store,
} from '../../src/store';
import { riskWorkerFile } from '../helpers/risk-worker';
import { toyMemberInput, toyPortfolio } from '../helpers/portfolio';
import { DEMO_DIR } from '../web/support/app';

let store: Store;
beforeAll(() => {
  const db = openDatabase(':memory:');
  migrate(db);
  store = createStore(db, {
    clock: () => new Date(),
    engine: { simulate, version: ENGINE_VERSION },
  });
  seedDemoIfEmpty(store, DEMO_DIR);
});

function modelOf(id: number) {
  const inputs = portfolioRiskInputs(store, id);
  return {
    ...inputs,
    members: inputs.members.map((m) => ({ index: m.index, scenario: parseScenario(m.inputs) })),
  };
}

const still = (trials: number) =>
  readPortfolioRiskSpec({ trials, seed: 1, shocks: { common: { sd: 0 }, own: { sd: 0 } } });

describe.each([
  ['2027 PPP为主方案 PPP-heavy 2027 plan'],
  ['2027 专项债为主方案 Bond-heavy 2027 plan'],
])('without shocks, %s: every trial is the fiscal report', (name) => {
  let risk: PortfolioRiskResult;
  let report: ReturnType<typeof portfolioFiscalReport>;
  beforeAll(() => {
    const id = store.portfolios.getByName(name).id;
    report = portfolioFiscalReport(store, id);
    risk = portfolioRiskInThisThread(modelOf(id), still(2), ENGINE_VERSION);
  });

  it('peak ratio, breach, 5 % line and the amount over the cap', () => {
    const a = report.affordability!;
    const r = risk.affordability!;
    expect(r.peakRatio).toMatchObject({ count: 2, sd: '0' });
    expect(new Dec(r.peakRatio!.mean).eq(a.peak!.ratio)).toBe(true);
    expect(new Dec(r.peakRatio!.max).eq(a.peak!.ratio)).toBe(true);
    expect(r.breachProbability).toBe(a.breachYears.length > 0 ? '1' : '0');
    expect(r.aboveLineProbability).toBe(a.yearsAboveNewProjectLine.length > 0 ? '1' : '0');
    // The report's per-year excess is rounded to fen; the run keeps it exact, then rounds once.
    const over = a.rows.reduce((s, row) => {
      if (row.budgetYuan === null) return s;
      const excess = new Dec(row.totalYuan).minus(new Dec(row.budgetYuan).times(a.cap));
      return excess.gt(0) ? s.plus(excess) : s;
    }, ZERO);
    expect(r.expectedOverCapYuan).toBe(over.toDecimalPlaces(12).toString());
    const total = a.rows.reduce((s, row) => s.plus(row.totalYuan), ZERO);
    expect(r.totalObligationsYuan.mean).toBe(total.toString());
    expect(r.fan.years).toEqual(a.rows.map((row) => row.year));
    expect(r.fan.p50).toEqual(a.rows.map((row) => (row.ratio === null ? null : Number(row.ratio))));
  });

  it('bond coverage below the threshold exactly where the report fails it', () => {
    const withBonds = report.members.filter((m) => m.bondSelfBalance !== null);
    expect(risk.bonds.map((b) => b.projectCode)).toEqual(withBonds.map((m) => m.projectCode));
    withBonds.forEach((m, k) => {
      expect(risk.bonds[k]!.belowProbability).toBe(m.bondSelfBalance!.base.pass ? '0' : '1');
      expect(risk.bonds[k]!.coverage!.p50).toBe(m.bondSelfBalance!.base.ratio);
    });
  });
});

it('the demo PPP-heavy plan breaches the cap without shocks (what the tests above rely on)', () => {
  const id = store.portfolios.getByName('2027 PPP为主方案 PPP-heavy 2027 plan').id;
  expect(portfolioFiscalReport(store, id).affordability!.breachYears).toEqual([
    2029, 2030, 2031, 2032, 2033,
  ]);
});

it('the same spec and seed give identical figures through 1 and 2 workers and in one thread', async () => {
  const spec = { trials: 120, seed: 9, shocks: { driver: 'opex' as const } };
  const here = portfolioRiskInThisThread(
    toyPortfolio(),
    readPortfolioRiskSpec(spec),
    ENGINE_VERSION,
  );
  const model = {
    ...toyPortfolio(),
    members: [
      { index: 0, scenario: toyMemberInput('T-A') },
      { index: 1, scenario: toyMemberInput('T-B') },
    ],
  };
  for (const workers of [1, 2]) {
    const runner = new MonteCarloRunner({ workers, filename: riskWorkerFile() });
    try {
      // 120 trials: chunks of 50, 50 and 20, finishing in any order with 2 workers.
      expect(await runner.runPortfolio({ model, spec })).toEqual(here);
    } finally {
      await runner.close();
    }
  }
  expect(Number(here.affordability!.peakRatio!.sd)).toBeGreaterThan(0);
}, 120_000);

it('the use case runs the saved portfolio on the workers, as one thread would', async () => {
  const id = store.portfolios.getByName('2027 均衡方案 Balanced 2027 plan').id;
  const spec = { trials: 6, seed: 9 };
  const here = portfolioRiskInThisThread(modelOf(id), readPortfolioRiskSpec(spec), ENGINE_VERSION);
  const approver = actorOfUser(store.accounts.findUser('approver')!, 'session', false);
  const runner = new MonteCarloRunner({ workers: 2, filename: riskWorkerFile() });
  try {
    const out = await portfolioRisk(store, approver, runner, id, spec);
    expect(out.result).toEqual(here);
    expect(out.result.members).toHaveLength(12);
    expect(out.result.bonds.map((b) => b.projectCode)).toEqual(['SC-IOT-SENSE', 'SC-WATER']);
  } finally {
    await runner.close();
  }
}, 120_000);
