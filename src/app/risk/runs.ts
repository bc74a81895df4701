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
import { versionResource } from '../resources';
import type { AnalysisRequest } from './worker';
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

/**
 * A deterministic risk analysis of a version (tornado, spider, data table, break-even), on the
 * runner's worker threads. Reading: `project.read`.
 */
export async function analyseVersion(
  store: Store,
  actor: Actor,
  runner: MonteCarloRunner,
  versionId: number,
  request: AnalysisRequest,
): Promise<unknown> {
  authorise(actor, 'project.read', versionResource(store, versionId), notFound(versionId));
  return runner.analyse(store.scenarios.version(versionId).inputs, request);
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
