import type { Migration } from './types';

// Self-contained on purpose: the helpers repeat those of 0001.
const isoTime = (col: string) =>
  `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'`;
const sha256 = (col: string) => `length(${col}) = 64 AND ${col} NOT GLOB '*[^0-9a-f]*'`;

/**
 * Recorded portfolio risk runs (issue 11, README "Portfolio risk"). A table of its own beside
 * `risk_runs` (whose rows belong to one scenario version): a portfolio run belongs to a portfolio
 * and is measured against many versions and the portfolio's fiscal settings. A run keeps what
 * reproduces it: the canonical inputs (each member's version id and inputs hash, the budget
 * forecast, the thresholds, the other obligations) as JSON with their hash, the spec as canonical
 * JSON with its hash, seed, trials, engine version, and the summary with its hash. One run per
 * (inputs, spec, seed, trials, engine version): a second request for the same is answered from
 * here (the cache). Rows are never updated; each insert is audited (entity `portfolio-risk-run`).
 */
export const migration: Migration = {
  id: 8,
  name: 'portfolio-risk-runs',
  sql: `
CREATE TABLE portfolio_risk_runs (
  id INTEGER PRIMARY KEY,
  portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
  inputs_json TEXT NOT NULL CHECK (json_valid(inputs_json)),
  inputs_hash TEXT NOT NULL CHECK (${sha256('inputs_hash')}),
  spec_json TEXT NOT NULL CHECK (json_valid(spec_json)),
  spec_hash TEXT NOT NULL CHECK (${sha256('spec_hash')}),
  seed INTEGER NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
  trials INTEGER NOT NULL CHECK (trials BETWEEN 1 AND 100000),
  engine_version TEXT NOT NULL CHECK (length(engine_version) BETWEEN 1 AND 40),
  summary_json TEXT NOT NULL CHECK (json_valid(summary_json)),
  summary_hash TEXT NOT NULL CHECK (${sha256('summary_hash')}),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  UNIQUE (inputs_hash, spec_hash, seed, trials, engine_version)
) STRICT;
CREATE INDEX portfolio_risk_runs_by_portfolio ON portfolio_risk_runs (portfolio_id, id);
CREATE TRIGGER portfolio_risk_runs_no_update BEFORE UPDATE ON portfolio_risk_runs
BEGIN
  SELECT RAISE(ABORT, 'portfolio_risk_runs are immutable: a run is recorded once');
END;
`,
};
