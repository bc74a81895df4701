import { createHash } from 'node:crypto';
import { actorOfUser } from '../../src/app/actors';
import {
  getPortfolioRiskRun,
  preparePortfolioRisk,
  rerunPortfolioRisk,
  runPortfolioRisk,
} from '../../src/app/risk/portfolio';
import { MonteCarloRunner } from '../../src/app/risk/runner';
import type { Actor } from '../../src/domain/access';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { NotFoundError, ValidationError } from '../../src/domain/errors';
import { portfolioRiskInThisThread, readPortfolioRiskSpec } from '../../src/domain/risk/portfolio';
import { parseScenario } from '../../src/domain/scenario/parse';
import { portfolioRiskInputs, type Store } from '../../src/store';
import { riskWorkerFile } from '../helpers/risk-worker';
import { demoStore } from '../web/support/app';

/** Recorded portfolio risk runs (issue 11): the record, the cache, the auditor's re-run. */
let store: Store;
let runner: MonteCarloRunner;
let approver: Actor;
let id: number;
const spec = {
  trials: 3,
  seed: 5,
  shocks: { driver: 'revenue', common: { sd: 0.2 }, own: { sd: 0.1 } },
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const actor = (name: string) => actorOfUser(store.accounts.findUser(name)!, 'session', false);

beforeAll(() => {
  store = demoStore();
  runner = new MonteCarloRunner({ workers: 2, filename: riskWorkerFile() });
  approver = actor('approver');
  id = store.portfolios.getByName('2027 均衡方案 Balanced 2027 plan').id;
});
afterAll(async () => {
  await runner.close();
});

/** The figures computed in this thread from the portfolio as saved, independently of the pool. */
function inThisThread(s: unknown) {
  const inputs = portfolioRiskInputs(store, id);
  const model = {
    ...inputs,
    members: inputs.members.map((m) => ({ index: m.index, scenario: parseScenario(m.inputs) })),
  };
  return portfolioRiskInThisThread(model, readPortfolioRiskSpec(s), ENGINE_VERSION);
}

describe('a recorded portfolio risk run', () => {
  let runId: number;

  it('runs on the workers, records spec, seed, trials, engine version, inputs and summary with their hashes, audited', async () => {
    const prepared = preparePortfolioRisk(store, approver, id, spec);
    expect(prepared.cached).toBeNull();
    const run = await runPortfolioRisk(store, approver, runner, prepared);
    runId = run.id;
    expect(run.summary).toEqual(inThisThread(spec));
    expect(run).toMatchObject({
      portfolioId: id,
      seed: 5,
      trials: 3,
      engineVersion: ENGINE_VERSION,
    });
    const row = store.db
      .prepare('SELECT * FROM portfolio_risk_runs WHERE id = ?')
      .get(run.id) as Record<string, string>;
    expect(row.summary_hash).toBe(sha256(row.summary_json!));
    expect(row.inputs_hash).toBe(sha256(row.inputs_json!));
    expect(row.spec_hash).toBe(sha256(row.spec_json!));
    expect(JSON.parse(row.spec_json!)).toEqual({
      trials: 3,
      seed: 5,
      shocks: { driver: 'revenue', common: { sd: 0.2 }, own: { sd: 0.1 } },
    });
    // Every member's saved version, with its inputs hash, and the fiscal settings measured against.
    const members = store.portfolios.load(id).members;
    const inputs = JSON.parse(row.inputs_json!);
    expect(inputs.members).toEqual(
      members.map((m, index) => ({
        index,
        versionId: m.version.id,
        inputsHash: m.version.inputsHash,
      })),
    );
    expect(inputs.budget).toEqual(store.fiscal.getSettings(id)!.budget);
    expect(inputs.otherObligations).toEqual(store.fiscal.getSettings(id)!.otherObligations);
    expect(Object.keys(inputs).sort()).toEqual([
      'budget',
      'members',
      'otherObligations',
      'thresholds',
    ]);
    const audit = store.db
      .prepare(
        "SELECT actor, details FROM audit_log WHERE entity = 'portfolio-risk-run' AND entity_id = ?",
      )
      .all(run.id) as Array<{ actor: string; details: string }>;
    expect(audit.map((a) => a.actor)).toEqual(['approver']);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({
      portfolioId: id,
      summaryHash: row.summary_hash,
      inputsHash: row.inputs_hash,
    });
  }, 120_000);

  it('answers the same request from the record, without running', async () => {
    const spy = jest.spyOn(runner, 'runPortfolio');
    try {
      const prepared = preparePortfolioRisk(store, actor('auditor'), id, spec);
      expect(prepared.cached?.id).toBe(runId);
      const run = await runPortfolioRisk(store, actor('auditor'), runner, prepared);
      expect(run.id).toBe(runId);
      expect(spy).not.toHaveBeenCalled();
      // Another seed, trials or shock is another key.
      expect(preparePortfolioRisk(store, approver, id, { ...spec, seed: 6 }).cached).toBeNull();
      expect(preparePortfolioRisk(store, approver, id, { ...spec, trials: 4 }).cached).toBeNull();
      expect(
        preparePortfolioRisk(store, approver, id, { ...spec, shocks: { driver: 'opex' } }).cached,
      ).toBeNull();
    } finally {
      spy.mockRestore();
    }
    expect(store.db.prepare('SELECT COUNT(*) FROM portfolio_risk_runs').pluck().get()).toBe(1);
  });

  it("an auditor's re-run reproduces the summary hash, also after the portfolio's settings changed", async () => {
    const settings = store.fiscal.getSettings(id)!;
    store.fiscal.setSettings(
      id,
      {
        jurisdiction: settings.jurisdiction,
        budget: settings.budget,
        otherObligations: [{ year: 2030, amountYuan: '123456789.00' }],
      },
      'test',
    );
    // The inputs changed: the same spec is no longer answered from the record.
    expect(preparePortfolioRisk(store, approver, id, spec).cached).toBeNull();
    const out = await rerunPortfolioRisk(store, actor('auditor'), runner, runId);
    expect(out.reproduced).toBe(true);
    expect(out.rerunHash).toBe(getPortfolioRiskRun(store, approver, runId).summaryHash);
  }, 120_000);

  it('a record whose summary is not what its inputs give is reported as differing', async () => {
    const run = getPortfolioRiskRun(store, approver, runId);
    const forged = store.transaction(() =>
      store.portfolioRiskRuns.record({
        portfolioId: id,
        inputs: run.inputs,
        spec: run.spec,
        seed: run.seed,
        trials: run.trials,
        engineVersion: 'forged-1',
        summary: { ...run.summary, seed: 99 },
        createdBy: null,
      }),
    );
    const out = await rerunPortfolioRisk(store, approver, runner, forged.id);
    expect(out.reproduced).toBe(false);
    expect(out.rerunHash).toBe(run.summaryHash);
  }, 120_000);

  it('a cancelled run records nothing', async () => {
    const before = store.db.prepare('SELECT COUNT(*) FROM portfolio_risk_runs').pluck().get();
    const controller = new AbortController();
    const prepared = preparePortfolioRisk(store, approver, id, { ...spec, trials: 500, seed: 77 });
    const running = runPortfolioRisk(store, approver, runner, prepared, {
      signal: controller.signal,
    });
    controller.abort();
    await expect(running).rejects.toThrow();
    expect(store.db.prepare('SELECT COUNT(*) FROM portfolio_risk_runs').pluck().get()).toBe(before);
  }, 120_000);
});

describe('refusals', () => {
  it('a bad spec names every field at its path, before anything runs', () => {
    let caught: unknown;
    try {
      preparePortfolioRisk(store, approver, id, {
        trials: 0,
        seed: 1,
        shocks: { driver: 'tariff', common: { sd: 2 } },
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => i.path).sort()).toEqual(
      ['shocks.common.sd', 'shocks.driver', 'trials'].sort(),
    );
  });

  it.each(['enterprise', 'admin'])('%s may not know the portfolio or its runs', (who) => {
    expect(() => preparePortfolioRisk(store, actor(who), id, spec)).toThrow(NotFoundError);
    const first = store.db
      .prepare('SELECT MIN(id) FROM portfolio_risk_runs')
      .pluck()
      .get() as number;
    expect(() => getPortfolioRiskRun(store, actor(who), first)).toThrow(NotFoundError);
  });
});
