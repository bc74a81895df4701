import { NotFoundError } from '../../domain/errors';
import { canonicalJson, sha256Hex } from '../canonical-json';
import type { StoreContext } from '../context';
import type { RiskRunKey } from './risk-runs';

/** A recorded portfolio risk run (migration 0008). JSON columns are parsed by the caller. */
export interface DbPortfolioRiskRun {
  id: number;
  portfolio_id: number;
  inputs_json: string;
  inputs_hash: string;
  spec_json: string;
  spec_hash: string;
  seed: number;
  trials: number;
  engine_version: string;
  summary_json: string;
  summary_hash: string;
  created_by: number | null;
  created_at: string;
}

export interface NewPortfolioRiskRun {
  portfolioId: number;
  /** The canonical inputs (README "Portfolio risk"): stored as canonical JSON, hashed. */
  inputs: unknown;
  spec: unknown;
  seed: number;
  trials: number;
  engineVersion: string;
  summary: unknown;
  createdBy: number | null;
}

/** A run as listed (no JSON columns). */
export type DbPortfolioRiskRunHead = Omit<
  DbPortfolioRiskRun,
  'inputs_json' | 'spec_json' | 'summary_json'
>;

export type PortfolioRiskRunsRepo = ReturnType<typeof createPortfolioRiskRunsRepo>;

/**
 * Recorded portfolio risk runs: insert (audited, entity `portfolio-risk-run`), find by key (the
 * cache), read, list by portfolio. Permission checks are the app layer's (src/app/risk/portfolio.ts).
 */
export function createPortfolioRiskRunsRepo(ctx: StoreContext) {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO portfolio_risk_runs (portfolio_id, inputs_json, inputs_hash, spec_json, spec_hash,
       seed, trials, engine_version, summary_json, summary_hash, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const byKey = db.prepare(
    `SELECT * FROM portfolio_risk_runs WHERE inputs_hash = ? AND spec_hash = ? AND seed = ?
       AND trials = ? AND engine_version = ?`,
  );
  const byId = db.prepare('SELECT * FROM portfolio_risk_runs WHERE id = ?');
  const ofPortfolio = db.prepare(
    `SELECT id, portfolio_id, inputs_hash, spec_hash, seed, trials, engine_version, summary_hash,
       created_by, created_at FROM portfolio_risk_runs WHERE portfolio_id = ? ORDER BY id DESC LIMIT ?`,
  );
  return {
    find: (key: RiskRunKey) =>
      (byKey.get(key.inputsHash, key.specHash, key.seed, key.trials, key.engineVersion) as
        DbPortfolioRiskRun | undefined) ?? null,
    findById: (id: number) => (byId.get(id) as DbPortfolioRiskRun | undefined) ?? null,
    get(id: number): DbPortfolioRiskRun {
      const row = byId.get(id) as DbPortfolioRiskRun | undefined;
      if (!row) throw new NotFoundError('Portfolio risk run', id);
      return row;
    },
    listOfPortfolio: (portfolioId: number, limit = 10) =>
      ofPortfolio.all(portfolioId, limit) as DbPortfolioRiskRunHead[],
    /** Records a run; call inside a write transaction. */
    record(run: NewPortfolioRiskRun): DbPortfolioRiskRun {
      const inputsJson = canonicalJson(run.inputs);
      const specJson = canonicalJson(run.spec);
      const summaryJson = canonicalJson(run.summary);
      const row = insert.get(
        run.portfolioId,
        inputsJson,
        sha256Hex(inputsJson),
        specJson,
        sha256Hex(specJson),
        run.seed,
        run.trials,
        run.engineVersion,
        summaryJson,
        sha256Hex(summaryJson),
        run.createdBy,
        ctx.now(),
      ) as DbPortfolioRiskRun;
      ctx.appendAudit({
        actor: 'system',
        action: 'create',
        entity: 'portfolio-risk-run',
        entityId: row.id,
        at: row.created_at,
        details: {
          portfolioId: row.portfolio_id,
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
