import type { Actor } from '../../domain/access';
import { ENGINE_VERSION } from '../../domain/engine/types';
import type { BudgetForecast } from '../../domain/fiscal/budget';
import type { JurisdictionThresholds } from '../../domain/fiscal/thresholds';
import {
  readPortfolioRiskSpec,
  type PortfolioRiskResult,
  type PortfolioRiskSpec,
  type PortfolioRiskSpecInput,
} from '../../domain/risk/portfolio';
import type { Store } from '../../store';
import { portfolioRiskInputs, type PortfolioRiskInputs } from '../../store/fiscal-report';
import type { DbPortfolioRiskRun } from '../../store/repos/portfolio-risk-runs';
import { riskHash } from '../../store/repos/risk-runs';
import { asActor } from '../actors';
import { authorise } from '../errors';
import { portfolioResource } from '../resources';
import type { MonteCarloRunner, Progress } from './runner';
import type { PortfolioModelData } from './worker';

/** A portfolio risk run with what it was measured against. */
export interface PortfolioRisk {
  portfolioId: number;
  jurisdiction: string | null;
  result: PortfolioRiskResult;
}

type RunOptions = { signal?: AbortSignal; onProgress?: (p: Progress) => void };

/**
 * What a portfolio run's figures depend on besides its spec (README "Portfolio risk", the inputs
 * hash): each member's stream index, version id and that version's inputs hash, the budget
 * forecast, the thresholds and the other obligations. Its canonical JSON is stored with the run
 * and hashed into the cache key; a re-run reads the members' versions by these ids.
 */
export interface PortfolioRunInputs {
  members: Array<{ index: number; versionId: number; inputsHash: string }>;
  budget: BudgetForecast | null;
  thresholds: JurisdictionThresholds;
  otherObligations: ReadonlyArray<{ year: number; amountYuan: string }>;
}

/** The canonical inputs of a portfolio as its risk run measures it. */
export function portfolioRunInputs(inputs: PortfolioRiskInputs): PortfolioRunInputs {
  return {
    members: inputs.members.map((m) => ({
      index: m.index,
      versionId: m.versionId,
      inputsHash: m.inputsHash,
    })),
    budget: inputs.budget,
    thresholds: inputs.thresholds,
    otherObligations: inputs.otherObligations,
  };
}

const modelOf = (inputs: PortfolioRiskInputs): PortfolioModelData => ({
  members: inputs.members.map((m) => ({ index: m.index, scenario: m.inputs })),
  budget: inputs.budget,
  thresholds: inputs.thresholds,
  otherObligations: inputs.otherObligations,
});

const notFound = (id: number) => ({ what: 'Portfolio', id });

/**
 * The portfolio's PPP ratio and bonds' self-balance under correlated shocks (README "Portfolio
 * risk"), on the runner's worker threads, for the portfolio as saved (no what-if switches).
 * Reading: `portfolio.read`, like the fiscal page. Nothing is written (see `runPortfolioRisk`
 * for a recorded run).
 * @throws NotFoundError, ForbiddenError; ValidationError for a bad spec (paths `trials`,
 *   `seed`, `shocks.driver`, `shocks.common.sd`, `shocks.own.sd`)
 */
export async function portfolioRisk(
  store: Store,
  actor: Actor,
  runner: MonteCarloRunner,
  portfolioId: number,
  spec: PortfolioRiskSpecInput,
  opts: RunOptions = {},
): Promise<PortfolioRisk> {
  authorise(actor, 'portfolio.read', portfolioResource(store, portfolioId), notFound(portfolioId));
  const read = readPortfolioRiskSpec(spec);
  const inputs = portfolioRiskInputs(store, portfolioId);
  const result = await runner.runPortfolio({ model: modelOf(inputs), spec: read }, opts);
  return { portfolioId, jurisdiction: inputs.jurisdiction, result };
}

/** A recorded portfolio risk run as pages and the API show it. */
export interface PortfolioRiskRun {
  id: number;
  portfolioId: number;
  inputs: PortfolioRunInputs;
  inputsHash: string;
  spec: PortfolioRiskSpec;
  specHash: string;
  seed: number;
  trials: number;
  engineVersion: string;
  summary: PortfolioRiskResult;
  summaryHash: string;
  createdAt: string;
}

export function portfolioRiskRunOf(row: DbPortfolioRiskRun): PortfolioRiskRun {
  return {
    id: row.id,
    portfolioId: row.portfolio_id,
    inputs: JSON.parse(row.inputs_json) as PortfolioRunInputs,
    inputsHash: row.inputs_hash,
    spec: JSON.parse(row.spec_json) as PortfolioRiskSpec,
    specHash: row.spec_hash,
    seed: row.seed,
    trials: row.trials,
    engineVersion: row.engine_version,
    summary: JSON.parse(row.summary_json) as PortfolioRiskResult,
    summaryHash: row.summary_hash,
    createdAt: row.created_at,
  };
}

/** A portfolio run request checked and keyed, before it runs; `cached` is the recorded run with its key. */
export interface PreparedPortfolioRun {
  portfolioId: number;
  inputs: PortfolioRunInputs;
  model: PortfolioModelData;
  spec: PortfolioRiskSpec;
  cached: PortfolioRiskRun | null;
}

const keyOf = (inputs: PortfolioRunInputs, spec: PortfolioRiskSpec) => ({
  inputsHash: riskHash(inputs),
  specHash: riskHash(spec),
  seed: spec.seed,
  trials: spec.trials,
  engineVersion: ENGINE_VERSION,
});

/**
 * Checks a portfolio risk run request (permission `portfolio.risk`, then the spec) and finds a
 * recorded run with the same inputs, spec, seed, trials and engine version (the cache).
 * @throws NotFoundError, ForbiddenError; ValidationError for a bad spec, at its paths (`trials`,
 *   `seed`, `shocks.driver`, `shocks.common.sd`, `shocks.own.sd`)
 */
export function preparePortfolioRisk(
  store: Store,
  actor: Actor,
  portfolioId: number,
  spec: unknown,
): PreparedPortfolioRun {
  authorise(actor, 'portfolio.risk', portfolioResource(store, portfolioId), notFound(portfolioId));
  const read = readPortfolioRiskSpec(spec);
  const all = portfolioRiskInputs(store, portfolioId);
  const inputs = portfolioRunInputs(all);
  const row = store.portfolioRiskRuns.find(keyOf(inputs, read));
  return {
    portfolioId,
    inputs,
    model: modelOf(all),
    spec: read,
    cached: row ? portfolioRiskRunOf(row) : null,
  };
}

/**
 * Runs a prepared portfolio risk run on the worker threads and records it (audited, as `actor`);
 * a recorded run with the same key is returned as it is, without running.
 * @throws AbortError when `opts.signal` aborts (nothing is recorded)
 */
export async function runPortfolioRisk(
  store: Store,
  actor: Actor,
  runner: MonteCarloRunner,
  prepared: PreparedPortfolioRun,
  opts: RunOptions = {},
): Promise<PortfolioRiskRun> {
  if (prepared.cached) return prepared.cached;
  const summary = await runner.runPortfolio({ model: prepared.model, spec: prepared.spec }, opts);
  const row = asActor(store, actor, () =>
    store.transaction(
      // Another request may have recorded the same run meanwhile: keep the first.
      () =>
        store.portfolioRiskRuns.find(keyOf(prepared.inputs, prepared.spec)) ??
        store.portfolioRiskRuns.record({
          portfolioId: prepared.portfolioId,
          inputs: prepared.inputs,
          spec: prepared.spec,
          seed: prepared.spec.seed,
          trials: prepared.spec.trials,
          engineVersion: ENGINE_VERSION,
          summary,
          createdBy: actor.userId,
        }),
    ),
  );
  return portfolioRiskRunOf(row);
}

/** A recorded portfolio run, for whoever may read its portfolio (`portfolio.read`). */
export function getPortfolioRiskRun(store: Store, actor: Actor, id: number): PortfolioRiskRun {
  const row = store.portfolioRiskRuns.get(id);
  authorise(actor, 'portfolio.read', portfolioResource(store, row.portfolio_id), {
    what: 'Portfolio risk run',
    id,
  });
  return portfolioRiskRunOf(row);
}

/** The newest recorded runs of a portfolio (no JSON), for whoever may read it. */
export function listPortfolioRiskRuns(store: Store, actor: Actor, portfolioId: number, limit = 10) {
  authorise(actor, 'portfolio.read', portfolioResource(store, portfolioId), notFound(portfolioId));
  return store.portfolioRiskRuns.listOfPortfolio(portfolioId, limit);
}

export interface PortfolioRiskRerun {
  run: PortfolioRiskRun;
  /** The summary hash the re-run gave; equal to the recorded one when it reproduces. */
  rerunHash: string;
  reproduced: boolean;
}

/**
 * Re-runs a recorded portfolio run from what it recorded (the members' versions by id, the
 * budget, thresholds and other obligations of its inputs, its spec), whatever the portfolio is
 * today, and compares the summary's hash with the recorded one (an auditor's check). Permission:
 * `portfolio.read` (nothing is written; as `result.rerun` follows `project.read`). A run recorded
 * by another engine version is re-run by this one: it may then differ, and says so.
 */
export async function rerunPortfolioRisk(
  store: Store,
  actor: Actor,
  runner: MonteCarloRunner,
  id: number,
): Promise<PortfolioRiskRerun> {
  const run = getPortfolioRiskRun(store, actor, id);
  const model: PortfolioModelData = {
    members: run.inputs.members.map((m) => ({
      index: m.index,
      scenario: store.scenarios.version(m.versionId).inputs,
    })),
    budget: run.inputs.budget,
    thresholds: run.inputs.thresholds,
    otherObligations: run.inputs.otherObligations,
  };
  const summary = await runner.runPortfolio({ model, spec: run.spec });
  const rerunHash = riskHash(summary);
  return { run, rerunHash, reproduced: rerunHash === run.summaryHash };
}
