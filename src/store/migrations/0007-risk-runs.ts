import type { Migration } from './types';

// Self-contained on purpose: the helpers repeat those of 0001.
const isoTime = (col: string) =>
  `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'`;
const sha256 = (col: string) => `length(${col}) = 64 AND ${col} NOT GLOB '*[^0-9a-f]*'`;

/**
 * Recorded Monte Carlo runs (issue 11). A run is kept with everything that reproduces it: the
 * version it ran on (and that version's inputs hash), the spec as canonical JSON and its hash,
 * seed, trials, engine version, and the summary with its hash; the charts are kept beside it
 * (floats, not hashed). One run per (inputs, spec, seed, trials, engine version): a second request
 * for the same is answered from here (the cache). Rows are never updated; each insert is audited
 * (entity `risk-run`).
 */
export const migration: Migration = {
  id: 7,
  name: 'risk-runs',
  sql: `
CREATE TABLE risk_runs (
  id INTEGER PRIMARY KEY,
  scenario_id INTEGER NOT NULL REFERENCES scenarios (id),
  version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
  inputs_hash TEXT NOT NULL CHECK (${sha256('inputs_hash')}),
  spec_json TEXT NOT NULL CHECK (json_valid(spec_json)),
  spec_hash TEXT NOT NULL CHECK (${sha256('spec_hash')}),
  seed INTEGER NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
  trials INTEGER NOT NULL CHECK (trials BETWEEN 1 AND 100000),
  engine_version TEXT NOT NULL CHECK (length(engine_version) BETWEEN 1 AND 40),
  summary_json TEXT NOT NULL CHECK (json_valid(summary_json)),
  summary_hash TEXT NOT NULL CHECK (${sha256('summary_hash')}),
  charts_json TEXT NOT NULL CHECK (json_valid(charts_json)),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  UNIQUE (inputs_hash, spec_hash, seed, trials, engine_version)
) STRICT;
CREATE INDEX risk_runs_by_scenario ON risk_runs (scenario_id, id);
CREATE TRIGGER risk_runs_no_update BEFORE UPDATE ON risk_runs
BEGIN
  SELECT RAISE(ABORT, 'risk_runs are immutable: a run is recorded once');
END;
`,
};
