import type { Migration } from './types';

// Self-contained on purpose: the helper repeats that of 0001.
const isoTime = (col: string) =>
  `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'`;

/**
 * Recorded actuals of projects in construction or operation (issue 12, README "Monitoring and
 * post-evaluation"). Append-only with supersession: each record of a (project, year) is a new row
 * with the next `version_no`; the highest is the year's current actuals, the earlier ones stay as
 * its history. `data_json` holds the lines entered (capex, opex, revenue by stream, volumes, survey
 * score) as canonical JSON; `source` says where they come from; `created_by` is the author. Rows
 * are never updated nor deleted; each insert is audited (entity `project-actuals`).
 */
export const migration: Migration = {
  id: 11,
  name: 'project-actuals',
  sql: `
CREATE TABLE project_actuals (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  version_no INTEGER NOT NULL CHECK (version_no >= 1),
  data_json TEXT NOT NULL CHECK (json_valid(data_json)),
  source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  UNIQUE (project_id, year, version_no)
) STRICT;
CREATE TRIGGER project_actuals_no_update BEFORE UPDATE ON project_actuals
BEGIN
  SELECT RAISE(ABORT, 'project_actuals are append-only: record a new version');
END;
CREATE TRIGGER project_actuals_no_delete BEFORE DELETE ON project_actuals
BEGIN
  SELECT RAISE(ABORT, 'project_actuals are append-only: record a new version');
END;
`,
};
