import { FundMixError, NotFoundError } from '../../domain/errors';
import type { SimulationResult } from '../../domain/engine/types';
import { parseScenario } from '../../domain/scenario/parse';
import type { StoreContext } from '../context';
import type { StoredResult } from '../types';

export interface ResultRepo {
  /** Engine version the cache is read and written for. */
  readonly engineVersion: string;
  /**
   * The result of a version's inputs under the current engine version: from the cache, or
   * computed by the engine and cached (key: inputs hash + engine version), so unchanged inputs
   * are never recomputed and a new engine never serves an old figure.
   * @throws NotFoundError for an unknown version
   * @throws FundMixError `engine-unavailable` when not cached and the store has no engine
   * @throws whatever the engine throws (e.g. DomainError); nothing is cached then
   */
  forVersion(versionId: number): StoredResult;
  /** The cached result for these inputs under the current engine version, or null. */
  cached(inputsHash: string): StoredResult | null;
  /**
   * The stored result for these inputs under any engine version: the current engine's entry
   * when there is one, otherwise the most recently computed one; null when none is stored.
   * Never computes (the auditor's re-run compares against what was stored).
   */
  storedAny(inputsHash: string): { engineVersion: string; result: StoredResult } | null;
  /** Computes and caches the result for inputs JSON whose hash is given (used by portfolio loading). */
  compute(inputsHash: string, inputsJson: string): StoredResult;
  /** Stores a result computed elsewhere (e.g. by a batch job); an existing entry is kept. */
  put(inputsHash: string, result: SimulationResult | StoredResult, engineVersion?: string): void;
  /** Deletes cached results of other engine versions; returns how many. */
  prune(): number;
  count(): number;
}

export function createResultRepo(ctx: StoreContext): ResultRepo {
  const { db } = ctx;
  const get = db
    .prepare('SELECT result_json FROM results_cache WHERE inputs_hash = ? AND engine_version = ?')
    .pluck();
  const insert = db.prepare(
    'INSERT INTO results_cache (inputs_hash, engine_version, result_json, computed_at) VALUES (?, ?, ?, ?) ON CONFLICT (inputs_hash, engine_version) DO NOTHING',
  );
  const versionInputs = db.prepare(
    'SELECT inputs_hash, inputs_json FROM scenario_versions WHERE id = ?',
  );
  const anyVersion = db.prepare(
    'SELECT engine_version, result_json FROM results_cache WHERE inputs_hash = ? ORDER BY engine_version = ? DESC, computed_at DESC, id DESC LIMIT 1',
  );
  const prune = db.prepare('DELETE FROM results_cache WHERE engine_version <> ?');
  const count = db.prepare('SELECT COUNT(*) FROM results_cache').pluck();

  const cached = (hash: string) => {
    const json = get.get(hash, ctx.engineVersion) as string | undefined;
    return json === undefined ? null : (JSON.parse(json) as StoredResult);
  };

  const compute = (hash: string, inputsJson: string): StoredResult => {
    const engine = ctx.engine;
    if (!engine) {
      throw new FundMixError(
        'engine-unavailable',
        'This result is not cached and no engine was given to compute it',
        { inputsHash: hash },
      );
    }
    const result = engine.simulate(parseScenario(JSON.parse(inputsJson)));
    const json = JSON.stringify(result);
    // A read must not fail because its cache entry cannot be stored.
    ctx.storage.bestEffort(() => insert.run(hash, engine.version, json, ctx.now()));
    return JSON.parse(json) as StoredResult;
  };

  return {
    engineVersion: ctx.engineVersion,
    forVersion(versionId) {
      const row = versionInputs.get(versionId) as
        { inputs_hash: string; inputs_json: string } | undefined;
      if (!row) throw new NotFoundError('Scenario version', versionId);
      return cached(row.inputs_hash) ?? compute(row.inputs_hash, row.inputs_json);
    },
    cached,
    storedAny(hash) {
      const row = anyVersion.get(hash, ctx.engineVersion) as
        { engine_version: string; result_json: string } | undefined;
      return row
        ? { engineVersion: row.engine_version, result: JSON.parse(row.result_json) as StoredResult }
        : null;
    },
    compute,
    put(hash, result, engineVersion = ctx.engineVersion) {
      insert.run(hash, engineVersion, JSON.stringify(result), ctx.now());
    },
    prune: () => prune.run(ctx.engineVersion).changes,
    count: () => count.get() as number,
  };
}
