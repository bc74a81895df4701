import { NotFoundError } from '../../domain/errors';
import { canonicalJson, sha256Hex } from '../canonical-json';
import type { StoreContext } from '../context';

/** A recorded Monte Carlo run (migration 0007). JSON columns are parsed by the caller. */
export interface DbRiskRun {
  id: number;
  scenario_id: number;
  version_id: number;
  inputs_hash: string;
  spec_json: string;
  spec_hash: string;
  seed: number;
  trials: number;
  engine_version: string;
  summary_json: string;
  summary_hash: string;
  charts_json: string;
  created_by: number | null;
  created_at: string;
}

export interface NewRiskRun {
  scenarioId: number;
  versionId: number;
  inputsHash: string;
  spec: unknown;
  seed: number;
  trials: number;
  engineVersion: string;
  summary: unknown;
  charts: unknown;
  createdBy: number | null;
}

/** What identifies a run: the same key gives the same figures (README "Monte Carlo"). */
export interface RiskRunKey {
  inputsHash: string;
  specHash: string;
  seed: number;
  trials: number;
  engineVersion: string;
}

/** SHA-256 of the canonical JSON of a spec or a summary: what a run is found and checked by. */
export const riskHash = (value: unknown): string => sha256Hex(canonicalJson(value));

export type RiskRunsRepo = ReturnType<typeof createRiskRunsRepo>;

/**
 * Recorded Monte Carlo runs: insert (audited, entity `risk-run`), find by key (the cache), read,
 * list by scenario. Permission checks are the app layer's (src/app/risk/runs.ts).
 */
export function createRiskRunsRepo(ctx: StoreContext) {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO risk_runs (scenario_id, version_id, inputs_hash, spec_json, spec_hash, seed, trials,
       engine_version, summary_json, summary_hash, charts_json, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const byKey = db.prepare(
    `SELECT * FROM risk_runs WHERE inputs_hash = ? AND spec_hash = ? AND seed = ? AND trials = ?
       AND engine_version = ?`,
  );
  const byId = db.prepare('SELECT * FROM risk_runs WHERE id = ?');
  const ofScenario = db.prepare(
    `SELECT id, scenario_id, version_id, seed, trials, engine_version, spec_hash, summary_hash,
       created_by, created_at FROM risk_runs WHERE scenario_id = ? ORDER BY id DESC LIMIT ?`,
  );
  return {
    find: (key: RiskRunKey) =>
      (byKey.get(key.inputsHash, key.specHash, key.seed, key.trials, key.engineVersion) as
        DbRiskRun | undefined) ?? null,
    findById: (id: number) => (byId.get(id) as DbRiskRun | undefined) ?? null,
    get(id: number): DbRiskRun {
      const row = byId.get(id) as DbRiskRun | undefined;
      if (!row) throw new NotFoundError('Risk run', id);
      return row;
    },
    listOfScenario: (scenarioId: number, limit = 20) =>
      ofScenario.all(scenarioId, limit) as Array<
        Omit<DbRiskRun, 'inputs_hash' | 'spec_json' | 'summary_json' | 'charts_json'>
      >,
    /** Records a run; call inside a write transaction. */
    record(run: NewRiskRun): DbRiskRun {
      const specJson = canonicalJson(run.spec);
      const summaryJson = canonicalJson(run.summary);
      const row = insert.get(
        run.scenarioId,
        run.versionId,
        run.inputsHash,
        specJson,
        sha256Hex(specJson),
        run.seed,
        run.trials,
        run.engineVersion,
        summaryJson,
        sha256Hex(summaryJson),
        JSON.stringify(run.charts),
        run.createdBy,
        ctx.now(),
      ) as DbRiskRun;
      ctx.appendAudit({
        actor: 'system',
        action: 'create',
        entity: 'risk-run',
        entityId: row.id,
        at: row.created_at,
        details: {
          scenarioId: row.scenario_id,
          versionId: row.version_id,
          inputsHash: row.inputs_hash,
          specHash: row.spec_hash,
          seed: row.seed,
          trials: row.trials,
          engineVersion: row.engine_version,
          summaryHash: row.summary_hash,
        },
      });
      return row;
    },
  };
}
