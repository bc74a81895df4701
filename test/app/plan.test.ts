import { actorOfUser } from '../../src/app/actors';
import {
  evaluationScoreOf,
  optimisePlan,
  planData,
  planInput,
  planJson,
  planRequestSchema,
  type ScoreOf,
} from '../../src/app/plan';
import { scoresForPortfolio } from '../../src/app/evaluation-scores';
import { MonteCarloRunner } from '../../src/app/risk/runner';
import { Dec } from '../../src/domain/decimal';
import { simulate } from '../../src/domain/engine/simulate';
import { paymentMechanism, isPppProject } from '../../src/domain/fiscal/obligations';
import { needsFromResult } from '../../src/domain/plan/needs';
import { parseScenario } from '../../src/domain/scenario/parse';
import {
  portfolioCityCost,
  portfolioFiscalReport,
  reviveResult,
  type Store,
} from '../../src/store';
import { riskWorkerFile } from '../helpers/risk-worker';
import highsLoader from 'highs';
import { optimiseProgramme, type LpSolver } from '../../src/domain/plan/optimise';
import type { PlanProgress } from '../../src/app/risk/runner';
import { benchPlanInput } from '../bench/plan';
import { demoStore } from '../web/support/app';

let store: Store;
// The first solve starts the worker thread (the TypeScript sources transpiled on start).
jest.setTimeout(120_000);
let runner: MonteCarloRunner;
beforeAll(() => {
  store = demoStore();
  runner = new MonteCarloRunner({ workers: 1, filename: riskWorkerFile() });
});
afterAll(() => runner.close());

const actor = (name: string) => actorOfUser(store.accounts.findUser(name)!, 'session', false);
const bondHeavy = () => store.portfolios.list().find((p) => p.name.includes('Bond-heavy'))!;

/** Yearly limits that bind on the demo: 6 亿元 of general budget and 3 亿元 of special bonds a year, 2024–2030. */
const YEARS = [2024, 2025, 2026, 2027, 2028, 2029, 2030].map((year) => ({
  year,
  generalBudgetEnvelopeYuan: '600000000',
  specialBondQuotaYuan: '300000000',
}));

/** Every project's window pinned to its modelled start (the demo's scenarios of a project share it). */
function pinned(id: number) {
  const data = planData(store, id, () => '1');
  return Object.fromEntries(
    data.projects.map((p) => [p.code, { from: p.member.startYear, to: p.member.startYear }]),
  );
}

describe('optimisePlan on the demo portfolio', () => {
  it('chooses a programme that respects every constraint, checked on the saved portfolio by the fiscal reports', async () => {
    const p = bondHeavy();
    const out = await optimisePlan(store, actor('analyst'), runner, p.id, {
      years: YEARS,
      windows: pinned(p.id),
      mustDo: ['SC-WATER'],
      mustNot: ['SC-PARKING'],
      saveAs: 'Optimised bond-heavy',
    });
    expect(out.result.status).toBe('optimal');
    const chosen = out.result.chosen.map((c) => c.projectCode);
    expect(chosen).toContain('SC-WATER');
    expect(chosen).not.toContain('SC-PARKING');
    // The limits bind: not every project fits.
    expect(chosen.length).toBeLessThan(out.data.projects.length - 1);

    // Independently of the solver: the saved portfolio, which carries the source's fiscal
    // settings (audited with the source named), as the city-cost table and the affordability
    // report count it.
    const saved = out.saved!;
    const { portfolioId: _a, updatedAt: _b, ...source } = store.fiscal.getSettings(p.id)!;
    const { portfolioId: _c, updatedAt: _d, ...carried } = store.fiscal.getSettings(saved.id)!;
    expect(carried).toEqual(source);
    const entry = store.audit.list({ entity: 'portfolio-fiscal', entityId: saved.id })[0]!;
    expect([entry.action, entry.actor, entry.details.comment]).toEqual([
      'update-fiscal-settings',
      'analyst',
      `Copied from portfolio ${p.id}`,
    ]);
    expect(saved.members.map((m) => m.projectCode).sort()).toEqual([...chosen].sort());
    const cost = portfolioCityCost(store, saved.id);
    for (const row of cost.report.rows) {
      if (row.year < 2024 || row.year > 2030) continue;
      expect(new Dec(row.general.chargedYuan).lte('600000000')).toBe(true);
      expect(new Dec(row.specialIssuance.issuedYuan).lte('300000000')).toBe(true);
    }
    const fiscal = portfolioFiscalReport(store, saved.id, { bondStress: false });
    const govPay = new Set(
      saved.members
        .filter((m) => {
          const s = parseScenario(store.scenarios.current(m.scenarioId).inputs);
          const r = reviveResult(
            store.results.forVersion(store.scenarios.current(m.scenarioId).id),
          );
          return isPppProject(s) && paymentMechanism(s, r) === 'government-pay';
        })
        .map((m) => m.projectCode),
    );
    for (const row of fiscal.affordability!.rows) {
      expect(row.breach).toBe(false);
      if (row.aboveNewProjectLine)
        for (const m of row.byMember)
          expect({
            year: row.year,
            project: m.projectCode,
            govPay: govPay.has(m.projectCode) && !new Dec(m.total).isZero(),
          }).toEqual({
            year: row.year,
            project: m.projectCode,
            govPay: false,
          });
    }
    // Minimum capital ratio: every chosen scenario passes the checklist's capital-ratio rule.
    for (const m of fiscal.members)
      expect(
        m.checklist.filter((r) => r.ruleId === 'sb-capital-ratio' && r.status === 'fail'),
      ).toEqual([]);

    // The comparison: the portfolio as saved at its modelled starts, beside the chosen programme.
    const json = planJson(out);
    expect(json.comparison.chosen.totalScore).toBe(json.totalScore);
    const y2027 = json.comparison.chosen.years.find((y) => y.year === 2027)!;
    const city2027 = cost.report.rows.find((r) => r.year === 2027)!;
    expect(y2027.generalBudgetYuan).toBe(new Dec(city2027.general.chargedYuan).toFixed(2));
    expect(y2027.envelopeYuan).toBe('600000000.00');
  });

  it('audits the saved programme as a portfolio created by the analyst', () => {
    const row = store.db
      .prepare(
        `SELECT actor, action FROM audit_log WHERE entity = 'portfolio' AND action = 'create' ORDER BY id DESC LIMIT 1`,
      )
      .get() as { actor: string; action: string };
    expect(row).toEqual({ actor: 'analyst', action: 'create' });
  });

  it('takes scores through scoreOf: one call to swap the score source', async () => {
    const p = bondHeavy();
    const scoreOf: ScoreOf = (s) =>
      s.projectCode === 'SC-WATER' && s.scenarioName.startsWith('专项债50%') ? '90' : '0';
    const out = await optimisePlan(store, actor('approver'), runner, p.id, {}, { scoreOf });
    expect(out.result.totalScore).toBe('90.0000');
    expect(out.result.chosen.find((c) => c.projectCode === 'SC-WATER')?.scenarioName).toMatch(
      /^专项债50%/,
    );
  });

  it('builds the model on a worker of the pool: the scores the evaluation ranking gives, the same model as in this thread', async () => {
    const p = bondHeavy();
    const out = await optimisePlan(store, actor('analyst'), runner, p.id, {});
    // Independent of the optimiser: the portfolio's ranking scores each member scenario.
    const ranking = scoresForPortfolio(store, p.id).members;
    expect(ranking.length).toBeGreaterThan(1);
    for (const m of ranking) {
      const member = out.data.model
        .get(m.projectCode)
        ?.scenarios.find((s) => s.id === String(m.scenarioId));
      expect(member?.score).toBe(m.score.total.toFixed(2));
    }
    const inThread = planData(store, p.id, evaluationScoreOf(store, p.id));
    expect([...out.data.model]).toEqual([...inThread.model]);
    expect(out.data.leftOut).toEqual(inThread.leftOut);
    expect(out.data.projects).toEqual(inThread.projects);
  });

  it('a later start moves every need year: the same as re-running the engine with the start year moved', () => {
    const s = store.scenarios.list({ projectCode: 'SC-WATER' })[0]!;
    const inputs = store.scenarios.current(s.id).inputs as { timeline: { startYear: number } };
    const base = parseScenario(inputs);
    const moved = parseScenario({
      ...inputs,
      timeline: { ...inputs.timeline, startYear: inputs.timeline.startYear + 2 },
    });
    const t = store.fiscal.thresholdsFor(null).thresholds;
    const a = needsFromResult({ scenario: base, result: simulate(base) }, t).map((n) => ({
      ...n,
      year: n.year + 2,
    }));
    const b = needsFromResult({ scenario: moved, result: simulate(moved) }, t);
    expect(b).toEqual(a);
    expect(a.some((n) => n.generalBudgetFen > 0n)).toBe(true);
  });

  it('reports its phases, and the re-solves on the pool value each row as one in-thread call does', async () => {
    const p = bondHeavy();
    const seen: PlanProgress[] = [];
    const out = await optimisePlan(
      store,
      actor('analyst'),
      runner,
      p.id,
      { years: YEARS },
      {
        onProgress: (x) => seen.push(x),
      },
    );
    const n = out.result.constraints.filter((c) => c.slackFen < 10_000_000_000n).length;
    expect(n).toBeGreaterThan(0);
    expect(seen).toEqual([
      { phase: 'model', done: 0, total: 0 },
      { phase: 'solve', done: 0, total: 0 },
      ...Array.from({ length: n + 1 }, (_, k) => ({ phase: 'shadow', done: k, total: n })),
    ]);
    // The same model solved in this thread in one call (main solve, then each re-solve in turn).
    const solver = (await highsLoader()) as unknown as LpSolver;
    const data = planData(store, p.id, evaluationScoreOf(store, p.id));
    const settings = store.fiscal.getSettings(p.id);
    const { input } = planInput(data, planRequestSchema.parse({ years: YEARS }), settings);
    const inThread = optimiseProgramme(input, solver, { timeLimit: 30 });
    expect(out.result).toEqual(inThread);
  });

  it('cancels while the model is built: the model task is aborted, no solve starts', async () => {
    const modelTask = jest.spyOn(runner, 'planModel');
    const controller = new AbortController();
    const seen: PlanProgress[] = [];
    const p = bondHeavy();
    const building = optimisePlan(
      store,
      actor('analyst'),
      runner,
      p.id,
      { years: YEARS },
      {
        signal: controller.signal,
        onProgress: (x) => {
          seen.push(x);
          if (x.phase === 'model') controller.abort();
        },
      },
    );
    await expect(building).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([{ phase: 'model', done: 0, total: 0 }]);
    // The model was a task of the pool, and that task is what the cancel aborted.
    expect(modelTask).toHaveBeenCalledTimes(1);
    await expect(modelTask.mock.results[0]?.value).rejects.toMatchObject({ name: 'AbortError' });
    modelTask.mockRestore();
  });

  it('cancels: the worker task of a running solve is aborted, and the pool solves again after', async () => {
    const controller = new AbortController();
    // 200 projects with a 60 s limit: the solve is still running when the cancel comes.
    const solving = runner.optimise(
      benchPlanInput(),
      { timeLimit: 60 },
      {
        signal: controller.signal,
        onProgress: (x) => {
          if (x.phase === 'solve') setImmediate(() => controller.abort());
        },
      },
    );
    await expect(solving).rejects.toMatchObject({ name: 'AbortError' });
    const p = bondHeavy();
    const again = await optimisePlan(store, actor('analyst'), runner, p.id, { years: YEARS });
    expect(again.result.status).toBe('optimal');
  });
});
