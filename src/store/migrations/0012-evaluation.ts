import type { Migration } from './types';

// Self-contained on purpose: the helper repeats that of 0001.
const isoTime = (col: string) =>
  `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'`;
const isoDate = (col: string) => `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`;
const appendOnly = (table: string, what: string) => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN
  SELECT RAISE(ABORT, '${table} are append-only: save a new ${what}');
END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN
  SELECT RAISE(ABORT, '${table} are append-only: save a new ${what}');
END;`;

/**
 * The evaluation index system in the store (issue 12, README "Evaluation index system").
 * - `evaluation_systems`: each save of a jurisdiction's indicator tree is a new row with the next
 *   `version_no`; the highest is the jurisdiction's current system. `system_json` is the tree as
 *   validated (canonical JSON). A jurisdiction without rows uses the GB/T defaults.
 * - `evaluation_data`: each entered value of a project's indicator is a new row with the next
 *   `version_no` for that (project, indicator code); the highest is current. `value` is decimal
 *   text, `yes` or `no`, or NULL (cleared); `source` and `as_of` (the date the figure refers to)
 *   say where it comes from; `created_by` is the author.
 * Both are append-only (triggers refuse updates and deletes); every insert is audited (entities
 * `evaluation-system` and `evaluation-data`).
 */
export const migration: Migration = {
  id: 12,
  name: 'evaluation',
  sql: `
CREATE TABLE evaluation_systems (
  id INTEGER PRIMARY KEY,
  jurisdiction TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 1 AND 120 AND jurisdiction = trim(jurisdiction)),
  version_no INTEGER NOT NULL CHECK (version_no >= 1),
  system_json TEXT NOT NULL CHECK (json_valid(system_json) AND json_type(system_json, '$.indicators') = 'array'),
  comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 500),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  UNIQUE (jurisdiction, version_no)
) STRICT;
CREATE TABLE evaluation_data (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id),
  indicator_code TEXT NOT NULL CHECK (length(indicator_code) BETWEEN 1 AND 40),
  version_no INTEGER NOT NULL CHECK (version_no >= 1),
  value TEXT CHECK (value IS NULL OR value IN ('yes', 'no') OR (length(value) BETWEEN 1 AND 40 AND value NOT GLOB '*[^0-9.-]*')),
  source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  as_of TEXT NOT NULL CHECK (${isoDate('as_of')}),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  UNIQUE (project_id, indicator_code, version_no)
) STRICT;
${appendOnly('evaluation_systems', 'version')}
${appendOnly('evaluation_data', 'value')}
`,
};
