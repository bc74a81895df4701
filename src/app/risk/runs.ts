import { ENGINE_VERSION } from '../../domain/engine/types';
import { ValidationError } from '../../domain/errors';
import type { Actor } from '../../domain/access';
import type { MonteCarloCharts, MonteCarloSummary } from '../../domain/risk/montecarlo';
import { defaultSpec, readSpec, type RiskSpec } from '../../domain/risk/spec';
import { parseScenario } from '../../domain/scenario/parse';
import type { Store } from '../../store';
import { riskHash, type DbRiskRun } from '../../store/repos/risk-runs';
import { asActor } from '../actors';
import { authorise } from '../errors';
import { portfolioResource, versionResource } from '../resources';
import { PEAK_PPP_RATIO } from '../../domain/risk/metrics';
import { portfolioRiskInputs } from '../../store/fiscal-report';
import { mayReadPortfolio } from '../visibility';
import type { AnalysisRequest, PortfolioModelData } from './worker';
import type { MonteCarloRunner, Progress } from './runner';

/** A recorded run as pages and the API show it. */
export interface RiskRun {
  id: number;
  scenarioId: number;
  versionId: number;
  inputsHash: string;
  spec: RiskSpec;
  specHash: string;
  seed: number;
  trials: number;
  engineVersion: string;
  summary: MonteCarloSummary;
  summaryHash: string;
  charts: MonteCarloCharts;
  createdAt: string;
}

export function riskRunOf(row: DbRiskRun): RiskRun {
  return {
    id: row.id,
    scenarioId: row.scenario_id,
    versionId: row.version_id,
    inputsHash: row.inputs_hash,
    spec: JSON.parse(row.spec_json) as RiskSpec,
    specHash: row.spec_hash,
    seed: row.seed,
    trials: row.trials,
    engineVersion: row.engine_version,
    summary: JSON.parse(row.summary_json) as MonteCarloSummary,
    summaryHash: row.summary_hash,
    charts: JSON.parse(row.charts_json) as MonteCarloCharts,
    createdAt: row.created_at,
  };
}

const notFound = (id: number) => ({ what: 'Version', id });

/** A portfolio a project's `peakPppRatio` can be measured in. */
export interface RiskPortfolio {
  id: number;
  name: string;
}

/**
 * The portfolios with fiscal settings (a budget forecast) that have the project as a member and
 * that the actor may read, by id: where a `peakPppRatio` of its scenarios is measured (the
 * first is the default).
 */
export function riskPortfolios(store: Store, actor: Actor, projectCode: string): RiskPortfolio[] {
  return store.portfolios
    .list()
    .filter((p) => p.members.some((m) => m.projectCode === projectCode))
    .filter((p) => mayReadPortfolio(store, actor, p.id))
    .filter((p) => store.fiscal.getSettings(p.id) !== null)
    .sort((a, b) => a.id - b.id)
    .map((p) => ({ id: p.id, name: p.name }));
}

/**
 * The portfolio a `peakPppRatio` analysis of the version is measured in, as the worker needs it:
 * `portfolioId` (any portfolio the actor may read; the version's project replaces its member or
 * is added) or by default the first of `riskPortfolios`. Permission: `portfolio.read` on it.
 * @throws ValidationError at `portfolio` when there is none, or it has no fiscal settings
 */
function analysisPortfolio(
  store: Store,
  actor: Actor,
  versionId: number,
  portfolioId: number | undefined,
): PortfolioModelData {
  const code = store.scenarios.version(versionId).projectCode;
  const id = portfolioId ?? riskPortfolios(store, actor, code)[0]?.id;
  if (id === undefined)
    throw new ValidationError(
      [
        {
          path: 'portfolio',
          message: `Project ${code} is in no portfolio with fiscal settings (a budget forecast): peakPppRatio cannot be measured`,
        },
      ],
      'No portfolio to measure the peak PPP ratio in',
    );
  authorise(actor, 'portfolio.read', portfolioResource(store, id), { what: 'Portfolio', id });
  const inputs = portfolioRiskInputs(store, id);
  if (!inputs.budget)
    throw new ValidationError(
      [
        {
          path: 'portfolio',
          message: `Portfolio ${id} has no fiscal settings (a budget forecast): peakPppRatio cannot be measured`,
        },
      ],
      'The portfolio has no budget forecast',
    );
  return {
    members: inputs.members
      .filter((m) => m.projectCode !== code)
      .map((m) => ({ index: m.index, scenario: m.inputs })),
    budget: inputs.budget,
    thresholds: inputs.thresholds,
    otherObligations: inputs.otherObligations,
  };
}

/**
 * A deterministic risk analysis of a version (tornado, spider, data table, break-even), on the
 * runner's worker threads. Reading: `project.read`; for the metric `peakPppRatio` also
 * `portfolio.read` on the portfolio it is measured in (`opts.portfolioId`, default the first of
 * `riskPortfolios`).
 * @throws ValidationError at `portfolio` (see `analysisPortfolio`); RiskInputError from the domain
 */
export async function analyseVersion(
  store: Store,
  actor: Actor,
  runner: MonteCarloRunner,
  versionId: number,
  request: AnalysisRequest,
  opts: { portfolioId?: number } = {},
): Promise<unknown> {
  authorise(actor, 'project.read', versionResource(store, versionId), notFound(versionId));
  const portfolio =
    request.metric === PEAK_PPP_RATIO
      ? analysisPortfolio(store, actor, versionId, opts.portfolioId)
      : undefined;
  return runner.analyse(store.scenarios.version(versionId).inputs, request, portfolio);
}

export interface MonteCarloInput {
  versionId: number;
  /** The spec as sent (validated here); the scenario's default spec when absent. */
  spec?: unknown;
  trials: number;
  seed: number;
}

/** What a Monte Carlo request resolves to before it runs: its key, and a recorded run if there is one. */
export interface PreparedRun {
  versionId: number;
  spec: RiskSpec;
  cached: RiskRun | null;
}

/** The spec's issues are located in the request: `drivers[0].driver` becomes `spec.drivers[0].driver`. */
function specField<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const at = (path: string) => (path === '' ? 'spec' : `spec.${path}`);
    throw new ValidationError(
      err.issues.map((i) => ({ ...i, path: at(i.path) })),
      err.message,
    );
  }
}

/**
 * Checks a Monte Carlo request (permission `risk.run`, the spec against the version's scenario)
 * and finds a recorded run with the same inputs, spec, seed, trials and engine version.
 * @throws NotFoundError, ForbiddenError, ValidationError (bad spec, with field paths)
 */
export function prepareMonteCarlo(store: Store, actor: Actor, input: MonteCarloInput): PreparedRun {
  authorise(actor, 'risk.run', versionResource(store, input.versionId), notFound(input.versionId));
  const version = store.scenarios.version(input.versionId);
  const scenario = parseScenario(version.inputs);
  const spec = specField(() => readSpec(input.spec ?? defaultSpec(scenario), scenario).spec);
  const row = store.riskRuns.find({
    inputsHash: version.inputsHash,
    specHash: riskHash(spec),
    seed: input.seed,
    trials: input.trials,
    engineVersion: ENGINE_VERSION,
  });
  return { versionId: input.versionId, spec, cached: row ? riskRunOf(row) : null };
}

/**
 * Runs a prepared Monte Carlo on the worker threads and records it (audited, as `actor`); a
 * recorded run with the same key is returned as it is, without running.
 */
export async function runMonteCarlo(
  store: Store,
  actor: Actor,
  runner: MonteCarloRunner,
  prepared: PreparedRun,
  input: { trials: number; seed: number },
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<RiskRun> {
  if (prepared.cached) return prepared.cached;
  const version = store.scenarios.version(prepared.versionId);
  const out = await runner.run(
    { scenario: version.inputs, spec: prepared.spec, trials: input.trials, seed: input.seed },
    opts,
  );
  const row = asActor(store, actor, () =>
    store.transaction(() => {
      // Another request may have recorded the same run meanwhile: keep the first.
      const same = store.riskRuns.find({
        inputsHash: version.inputsHash,
        specHash: riskHash(prepared.spec),
        seed: input.seed,
        trials: input.trials,
        engineVersion: ENGINE_VERSION,
      });
      return (
        same ??
        store.riskRuns.record({
          scenarioId: version.scenarioId,
          versionId: version.id,
          inputsHash: version.inputsHash,
          spec: prepared.spec,
          seed: input.seed,
          trials: input.trials,
          engineVersion: ENGINE_VERSION,
          summary: out.summary,
          charts: out.charts,
          createdBy: actor.userId,
        })
      );
    }),
  );
  return riskRunOf(row);
}

/** A recorded run, for whoever may read its scenario. */
export function getRiskRun(store: Store, actor: Actor, id: number): RiskRun {
  const row = store.riskRuns.get(id);
  authorise(actor, 'project.read', versionResource(store, row.version_id), {
    what: 'Risk run',
    id,
  });
  return riskRunOf(row);
}

export interface RiskRerun {
  run: RiskRun;
  /** The summary hash the re-run gave; equal to the recorded one when it reproduces. */
  rerunHash: string;
  reproduced: boolean;
}

/**
 * Re-runs a recorded run from its stored spec, seed and trials and compares the summary's hash
 * with the recorded one (an auditor's check). Permission: `result.rerun`. A run recorded by
 * another engine version is re-run by this one: it may then differ, and says so.
 */
export async function rerunRiskRun(
  store: Store,
  actor: Actor,
  runner: MonteCarloRunner,
  id: number,
): Promise<RiskRerun> {
  const run = getRiskRun(store, actor, id);
  authorise(actor, 'result.rerun', versionResource(store, run.versionId), { what: 'Risk run', id });
  const version = store.scenarios.version(run.versionId);
  const out = await runner.run({
    scenario: version.inputs,
    spec: run.spec,
    trials: run.trials,
    seed: run.seed,
  });
  const rerunHash = riskHash(out.summary);
  return { run, rerunHash, reproduced: rerunHash === run.summaryHash };
}
