import type { Migration } from './types';

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form `Date.prototype.toISOString` writes. */
const isoTime = (col: string) =>
  `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'`;
const kebab = (col: string, max: number) =>
  `length(${col}) BETWEEN 1 AND ${max} AND ${col} NOT GLOB '*[^a-z0-9-]*'`;
const sha256 = (col: string) => `length(${col}) = 64 AND ${col} NOT GLOB '*[^0-9a-f]*'`;
const text = (col: string, min: number, max: number) => `length(${col}) BETWEEN ${min} AND ${max}`;

/**
 * Projects, scenarios with immutable versions, portfolios, the results cache and the hash-chained
 * audit log. Money never appears in a column of its own: it lives inside scenario inputs and
 * results as decimal strings in JSON text. Actions and entities are checked as kebab-case words,
 * not closed lists, so a review workflow can add `review`/`approve` without rebuilding the table.
 */
export const migration: Migration = {
  id: 1,
  name: 'initial',
  sql: `
PRAGMA application_id = 1179473969; -- 'FMX1': marks the file as a FundMix database

CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40 AND code NOT GLOB '*[^A-Za-z0-9-]*'),
  name TEXT NOT NULL CHECK (${text('name', 1, 200)}),
  name_en TEXT CHECK (name_en IS NULL OR length(name_en) <= 200),
  sector TEXT NOT NULL CHECK (${kebab('sector', 60)}),
  category TEXT NOT NULL CHECK (category IN ('basic', 'market-oriented')),
  delivery TEXT NOT NULL CHECK (delivery IN ('government', 'ppp', 'concession')),
  approval_date TEXT NOT NULL CHECK (approval_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  jurisdiction TEXT CHECK (jurisdiction IS NULL OR length(jurisdiction) <= 120),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  updated_at TEXT NOT NULL CHECK (${isoTime('updated_at')}),
  deleted_at TEXT CHECK (deleted_at IS NULL OR ${isoTime('deleted_at')})
) STRICT;

CREATE TABLE scenarios (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id),
  name TEXT NOT NULL CHECK (${text('name', 1, 200)}),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  deleted_at TEXT CHECK (deleted_at IS NULL OR ${isoTime('deleted_at')}),
  UNIQUE (project_id, name),
  UNIQUE (id, project_id)
) STRICT;

CREATE TABLE scenario_versions (
  id INTEGER PRIMARY KEY,
  scenario_id INTEGER NOT NULL REFERENCES scenarios (id),
  version_no INTEGER NOT NULL CHECK (version_no >= 1),
  inputs_json TEXT NOT NULL CHECK (json_valid(inputs_json)),
  inputs_hash TEXT NOT NULL CHECK (${sha256('inputs_hash')}),
  author TEXT NOT NULL CHECK (${text('author', 1, 200)}),
  comment TEXT NOT NULL CHECK (length(comment) <= 4000),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  restored_from_id INTEGER REFERENCES scenario_versions (id),
  UNIQUE (scenario_id, version_no)
) STRICT;

CREATE TRIGGER scenario_versions_in_sequence BEFORE INSERT ON scenario_versions
BEGIN
  SELECT RAISE(ABORT, 'scenario_versions: version_no must follow the scenario''s latest version')
  WHERE NEW.version_no IS NOT (SELECT COALESCE(MAX(version_no), 0) + 1 FROM scenario_versions WHERE scenario_id = NEW.scenario_id);
END;
CREATE TRIGGER scenario_versions_no_update BEFORE UPDATE ON scenario_versions
BEGIN
  SELECT RAISE(ABORT, 'scenario_versions are immutable: save a new version instead');
END;
CREATE TRIGGER scenario_versions_no_delete BEFORE DELETE ON scenario_versions
BEGIN
  SELECT RAISE(ABORT, 'scenario_versions are immutable: they cannot be deleted');
END;

CREATE TABLE results_cache (
  id INTEGER PRIMARY KEY,
  inputs_hash TEXT NOT NULL CHECK (${sha256('inputs_hash')}),
  engine_version TEXT NOT NULL CHECK (${text('engine_version', 1, 40)}),
  result_json TEXT NOT NULL CHECK (json_valid(result_json)),
  computed_at TEXT NOT NULL CHECK (${isoTime('computed_at')}),
  UNIQUE (inputs_hash, engine_version)
) STRICT;

CREATE TABLE portfolios (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (${text('name', 1, 200)}),
  description TEXT NOT NULL CHECK (length(description) <= 4000),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  updated_at TEXT NOT NULL CHECK (${isoTime('updated_at')}),
  deleted_at TEXT CHECK (deleted_at IS NULL OR ${isoTime('deleted_at')})
) STRICT;

CREATE TABLE portfolio_members (
  portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
  project_id INTEGER NOT NULL REFERENCES projects (id),
  scenario_id INTEGER NOT NULL,
  PRIMARY KEY (portfolio_id, project_id),
  FOREIGN KEY (scenario_id, project_id) REFERENCES scenarios (id, project_id)
) STRICT;
CREATE INDEX portfolio_members_by_project ON portfolio_members (project_id);
CREATE INDEX portfolio_members_by_scenario ON portfolio_members (scenario_id, project_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY CHECK (id >= 1),
  at TEXT NOT NULL CHECK (${isoTime('at')}),
  actor TEXT NOT NULL CHECK (${text('actor', 1, 200)}),
  action TEXT NOT NULL CHECK (${kebab('action', 40)}),
  entity TEXT NOT NULL CHECK (${kebab('entity', 40)}),
  entity_id INTEGER CHECK ((entity = 'database') = (entity_id IS NULL)),
  details TEXT NOT NULL CHECK (json_valid(details)),
  prev_hash TEXT NOT NULL CHECK (${sha256('prev_hash')}),
  hash TEXT NOT NULL CHECK (${sha256('hash')})
) STRICT;
CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_extends_chain BEFORE INSERT ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log: a new entry must follow the last one (next id, previous hash)')
  WHERE NEW.id IS NOT (SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log)
     OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '${'0'.repeat(64)}');
END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
END;
`,
};
