-- FundMix schema after migrations 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13; application_id 1179473969
-- table api_tokens
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100 AND name = trim(name)),
  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
  read_only INTEGER NOT NULL CHECK (read_only IN (0, 1)),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  last_used_at TEXT CHECK (last_used_at IS NULL OR last_used_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  revoked_at TEXT CHECK (revoked_at IS NULL OR revoked_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

-- table audit_log
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY CHECK (id >= 1),
  at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
  action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 40 AND action NOT GLOB '*[^a-z0-9-]*'),
  entity TEXT NOT NULL CHECK (length(entity) BETWEEN 1 AND 40 AND entity NOT GLOB '*[^a-z0-9-]*'),
  entity_id INTEGER CHECK ((entity = 'database') = (entity_id IS NULL)),
  details TEXT NOT NULL CHECK (json_valid(details)),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64 AND prev_hash NOT GLOB '*[^0-9a-f]*'),
  hash TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*')
, actor_user_id INTEGER REFERENCES users (id), actor_org_id INTEGER REFERENCES organisations (id)
  CHECK ((actor_org_id IS NULL) = (actor_user_id IS NULL))) STRICT;

-- table evaluation_data
CREATE TABLE evaluation_data (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id),
  indicator_code TEXT NOT NULL CHECK (length(indicator_code) BETWEEN 1 AND 40),
  version_no INTEGER NOT NULL CHECK (version_no >= 1),
  value TEXT CHECK (value IS NULL OR value IN ('yes', 'no') OR (length(value) BETWEEN 1 AND 40 AND value NOT GLOB '*[^0-9.-]*')),
  source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  as_of TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UNIQUE (project_id, indicator_code, version_no)
) STRICT;

-- table evaluation_systems
CREATE TABLE evaluation_systems (
  id INTEGER PRIMARY KEY,
  jurisdiction TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 1 AND 120 AND jurisdiction = trim(jurisdiction)),
  version_no INTEGER NOT NULL CHECK (version_no >= 1),
  system_json TEXT NOT NULL CHECK (json_valid(system_json) AND json_type(system_json, '$.indicators') = 'array'),
  comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 500),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UNIQUE (jurisdiction, version_no)
) STRICT;

-- table filing_checklists
CREATE TABLE filing_checklists (
  id INTEGER PRIMARY KEY,
  jurisdiction TEXT NOT NULL UNIQUE CHECK (length(jurisdiction) BETWEEN 1 AND 120 AND jurisdiction = trim(jurisdiction)),
  data_sharing INTEGER NOT NULL CHECK (data_sharing IN (0, 1)),
  all_caliber INTEGER NOT NULL CHECK (all_caliber IN (0, 1)),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

-- table filing_events
CREATE TABLE filing_events (
  id INTEGER PRIMARY KEY,
  filing_id INTEGER NOT NULL REFERENCES filings (id),
  kind TEXT NOT NULL CHECK (kind IN ('submit', 'take-under-review', 'return', 'resubmit', 'approve', 'withdraw', 'comment', 'justify')),
  from_state TEXT CHECK (from_state IS NULL OR from_state IN ('submitted', 'under-review', 'returned', 'resubmitted', 'approved', 'withdrawn')),
  to_state TEXT NOT NULL CHECK (to_state IN ('submitted', 'under-review', 'returned', 'resubmitted', 'approved', 'withdrawn')),
  version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  comment TEXT NOT NULL CHECK (length(comment) <= 4000),
  CHECK ((kind = 'submit') = (from_state IS NULL))
) STRICT;

-- table filing_justifications
CREATE TABLE filing_justifications (
  filing_id INTEGER NOT NULL REFERENCES filings (id),
  version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
  rule_id TEXT NOT NULL CHECK (length(rule_id) BETWEEN 1 AND 80 AND rule_id NOT GLOB '*[^a-z0-9-]*'),
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  user_id INTEGER NOT NULL REFERENCES users (id),
  at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  PRIMARY KEY (filing_id, version_id, rule_id)
) STRICT;

-- table filings
CREATE TABLE filings (
  id INTEGER PRIMARY KEY,
  scenario_id INTEGER NOT NULL REFERENCES scenarios (id),
  version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
  project_code TEXT NOT NULL CHECK (length(project_code) BETWEEN 1 AND 40),
  jurisdiction TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 1 AND 120 AND jurisdiction = trim(jurisdiction)),
  state TEXT NOT NULL CHECK (state IN ('submitted', 'under-review', 'returned', 'resubmitted', 'approved', 'withdrawn')),
  filed_by INTEGER NOT NULL REFERENCES users (id),
  filed_org_id INTEGER NOT NULL REFERENCES organisations (id),
  filed_at TEXT NOT NULL CHECK (filed_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  data_sharing_declared INTEGER NOT NULL CHECK (data_sharing_declared IN (0, 1)),
  all_funding_declared INTEGER NOT NULL CHECK (all_funding_declared IN (0, 1)),
  decided_by INTEGER REFERENCES users (id),
  decided_at TEXT CHECK (decided_at IS NULL OR decided_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
  CHECK ((state = 'approved') = (decided_at IS NOT NULL))
) STRICT;

-- table jurisdiction_fiscal
CREATE TABLE jurisdiction_fiscal (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120 AND name = trim(name)),
  budget_json TEXT NOT NULL CHECK (json_valid(budget_json) AND json_type(budget_json) = 'object' AND (
      (json_extract(budget_json, '$.method') = 'growth'
        AND json_type(budget_json, '$.baseYear') = 'integer'
        AND json_type(budget_json, '$.baseAmountYuan') = 'text'
        AND json_type(budget_json, '$.growth') = 'text')
      OR (json_extract(budget_json, '$.method') = 'explicit'
        AND json_type(budget_json, '$.years') = 'array'
        AND json_array_length(budget_json, '$.years') >= 1)
    )),
  other_obligations_json TEXT NOT NULL DEFAULT '[]' CHECK (
    json_valid(other_obligations_json) AND json_type(other_obligations_json) = 'array'
  ),
  fund_budget_json TEXT CHECK (fund_budget_json IS NULL OR (json_valid(fund_budget_json) AND json_type(fund_budget_json) = 'object' AND (
      (json_extract(fund_budget_json, '$.method') = 'growth'
        AND json_type(fund_budget_json, '$.baseYear') = 'integer'
        AND json_type(fund_budget_json, '$.baseAmountYuan') = 'text'
        AND json_type(fund_budget_json, '$.growth') = 'text')
      OR (json_extract(fund_budget_json, '$.method') = 'explicit'
        AND json_type(fund_budget_json, '$.years') = 'array'
        AND json_array_length(fund_budget_json, '$.years') >= 1)
    ))),
  bond_quotas_json TEXT NOT NULL DEFAULT '[]' CHECK (
    json_valid(bond_quotas_json) AND json_type(bond_quotas_json) = 'array'
  ),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

-- table jurisdictions
CREATE TABLE jurisdictions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120 AND name = trim(name)),
  thresholds_json TEXT NOT NULL CHECK (
    json_valid(thresholds_json) AND json_type(thresholds_json) = 'object'
    AND json_type(thresholds_json, '$.affordabilityCap') = 'text'
    AND json_type(thresholds_json, '$.newProjectLine') = 'text'
    AND json_type(thresholds_json, '$.bondCoverage') = 'text'
    AND json_type(thresholds_json, '$.maxConcessionYears') = 'integer'
  ),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

-- table login_attempts
CREATE TABLE login_attempts (
  key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 300),
  at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  ok INTEGER NOT NULL CHECK (ok IN (0, 1))
) STRICT;

-- table organisations
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200 AND name = trim(name)),
  kind TEXT NOT NULL CHECK (kind IN ('bureau', 'enterprise', 'audit')),
  jurisdiction TEXT CHECK (jurisdiction IS NULL OR (length(jurisdiction) BETWEEN 1 AND 120 AND jurisdiction = trim(jurisdiction))),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  CHECK (kind = 'enterprise' OR jurisdiction IS NOT NULL)
) STRICT;

-- table portfolio_fiscal
CREATE TABLE portfolio_fiscal (
  portfolio_id INTEGER PRIMARY KEY REFERENCES portfolios (id),
  jurisdiction TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 1 AND 120 AND jurisdiction = trim(jurisdiction)),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

-- table portfolio_members
CREATE TABLE portfolio_members (
  portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
  project_id INTEGER NOT NULL REFERENCES projects (id),
  scenario_id INTEGER NOT NULL,
  PRIMARY KEY (portfolio_id, project_id),
  FOREIGN KEY (scenario_id, project_id) REFERENCES scenarios (id, project_id)
) STRICT;

-- table portfolio_risk_runs
CREATE TABLE portfolio_risk_runs (
  id INTEGER PRIMARY KEY,
  portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
  inputs_json TEXT NOT NULL CHECK (json_valid(inputs_json)),
  inputs_hash TEXT NOT NULL CHECK (length(inputs_hash) = 64 AND inputs_hash NOT GLOB '*[^0-9a-f]*'),
  spec_json TEXT NOT NULL CHECK (json_valid(spec_json)),
  spec_hash TEXT NOT NULL CHECK (length(spec_hash) = 64 AND spec_hash NOT GLOB '*[^0-9a-f]*'),
  seed INTEGER NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
  trials INTEGER NOT NULL CHECK (trials BETWEEN 1 AND 100000),
  engine_version TEXT NOT NULL CHECK (length(engine_version) BETWEEN 1 AND 40),
  summary_json TEXT NOT NULL CHECK (json_valid(summary_json)),
  summary_hash TEXT NOT NULL CHECK (length(summary_hash) = 64 AND summary_hash NOT GLOB '*[^0-9a-f]*'),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UNIQUE (inputs_hash, spec_hash, seed, trials, engine_version)
) STRICT;

-- table portfolios
CREATE TABLE portfolios (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
  description TEXT NOT NULL CHECK (length(description) <= 4000),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  deleted_at TEXT CHECK (deleted_at IS NULL OR deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
, jurisdiction TEXT
  CHECK (jurisdiction IS NULL OR (length(jurisdiction) BETWEEN 1 AND 200 AND jurisdiction = trim(jurisdiction)))) STRICT;

-- table project_actuals
CREATE TABLE project_actuals (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id),
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  version_no INTEGER NOT NULL CHECK (version_no >= 1),
  data_json TEXT NOT NULL CHECK (json_valid(data_json)),
  source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UNIQUE (project_id, year, version_no)
) STRICT;

-- table projects
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40 AND code NOT GLOB '*[^A-Za-z0-9-]*'),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  name_en TEXT CHECK (name_en IS NULL OR length(name_en) <= 200),
  sector TEXT NOT NULL CHECK (length(sector) BETWEEN 1 AND 60 AND sector NOT GLOB '*[^a-z0-9-]*'),
  category TEXT NOT NULL CHECK (category IN ('basic', 'market-oriented')),
  approval_date TEXT NOT NULL CHECK (approval_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  jurisdiction TEXT CHECK (jurisdiction IS NULL OR length(jurisdiction) <= 120),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  updated_at TEXT NOT NULL CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  deleted_at TEXT CHECK (deleted_at IS NULL OR deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
, owner_org_id INTEGER REFERENCES organisations (id)) STRICT;

-- table results_cache
CREATE TABLE results_cache (
  id INTEGER PRIMARY KEY,
  inputs_hash TEXT NOT NULL CHECK (length(inputs_hash) = 64 AND inputs_hash NOT GLOB '*[^0-9a-f]*'),
  engine_version TEXT NOT NULL CHECK (length(engine_version) BETWEEN 1 AND 40),
  result_json TEXT NOT NULL CHECK (json_valid(result_json)),
  computed_at TEXT NOT NULL CHECK (computed_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UNIQUE (inputs_hash, engine_version)
) STRICT;

-- table risk_runs
CREATE TABLE risk_runs (
  id INTEGER PRIMARY KEY,
  scenario_id INTEGER NOT NULL REFERENCES scenarios (id),
  version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
  inputs_hash TEXT NOT NULL CHECK (length(inputs_hash) = 64 AND inputs_hash NOT GLOB '*[^0-9a-f]*'),
  spec_json TEXT NOT NULL CHECK (json_valid(spec_json)),
  spec_hash TEXT NOT NULL CHECK (length(spec_hash) = 64 AND spec_hash NOT GLOB '*[^0-9a-f]*'),
  seed INTEGER NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
  trials INTEGER NOT NULL CHECK (trials BETWEEN 1 AND 100000),
  engine_version TEXT NOT NULL CHECK (length(engine_version) BETWEEN 1 AND 40),
  summary_json TEXT NOT NULL CHECK (json_valid(summary_json)),
  summary_hash TEXT NOT NULL CHECK (length(summary_hash) = 64 AND summary_hash NOT GLOB '*[^0-9a-f]*'),
  charts_json TEXT NOT NULL CHECK (json_valid(charts_json)),
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UNIQUE (inputs_hash, spec_hash, seed, trials, engine_version)
) STRICT;

-- table scenario_versions
CREATE TABLE scenario_versions (
  id INTEGER PRIMARY KEY,
  scenario_id INTEGER NOT NULL REFERENCES scenarios (id),
  version_no INTEGER NOT NULL CHECK (version_no >= 1),
  inputs_json TEXT NOT NULL CHECK (json_valid(inputs_json)),
  inputs_hash TEXT NOT NULL CHECK (length(inputs_hash) = 64 AND inputs_hash NOT GLOB '*[^0-9a-f]*'),
  author TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 200),
  comment TEXT NOT NULL CHECK (length(comment) <= 4000),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  restored_from_id INTEGER REFERENCES scenario_versions (id),
  UNIQUE (scenario_id, version_no)
) STRICT;

-- table scenarios
CREATE TABLE scenarios (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  deleted_at TEXT CHECK (deleted_at IS NULL OR deleted_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  UNIQUE (project_id, name),
  UNIQUE (id, project_id)
) STRICT;

-- table schema_migrations
CREATE TABLE schema_migrations (
  id INTEGER PRIMARY KEY CHECK (id >= 1),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  applied_at TEXT NOT NULL
) STRICT;

-- table sessions
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY CHECK (length(id_hash) = 64 AND id_hash NOT GLOB '*[^0-9a-f]*'),
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  last_seen_at TEXT NOT NULL CHECK (last_seen_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  expires_at TEXT NOT NULL CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  revoked_at TEXT CHECK (revoked_at IS NULL OR revoked_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

-- table user_roles
CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('bureau-analyst', 'bureau-approver', 'enterprise-analyst', 'auditor', 'admin')),
  PRIMARY KEY (user_id, role)
) STRICT;

-- table users
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64 AND username NOT GLOB '*[^a-z0-9._-]*'),
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  password_hash TEXT NOT NULL CHECK (password_hash GLOB '$argon2id$*'),
  disabled_at TEXT CHECK (disabled_at IS NULL OR disabled_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  password_changed_at TEXT NOT NULL CHECK (password_changed_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z')
) STRICT;

-- index api_tokens_by_user
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- index audit_log_by_actor_org
CREATE INDEX audit_log_by_actor_org ON audit_log (actor_org_id, id);

-- index audit_log_by_entity
CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id);

-- index filing_events_by_filing
CREATE INDEX filing_events_by_filing ON filing_events (filing_id, id);

-- index filings_by_jurisdiction
CREATE INDEX filings_by_jurisdiction ON filings (jurisdiction, state);

-- index filings_by_org
CREATE INDEX filings_by_org ON filings (filed_org_id, state);

-- index filings_one_open_per_scenario
CREATE UNIQUE INDEX filings_one_open_per_scenario ON filings (scenario_id)
  WHERE state NOT IN ('approved', 'withdrawn');

-- index login_attempts_by_key
CREATE INDEX login_attempts_by_key ON login_attempts (key, at);

-- index organisations_one_bureau_per_jurisdiction
CREATE UNIQUE INDEX organisations_one_bureau_per_jurisdiction ON organisations (jurisdiction) WHERE kind = 'bureau';

-- index portfolio_fiscal_by_jurisdiction
CREATE INDEX portfolio_fiscal_by_jurisdiction ON portfolio_fiscal (jurisdiction);

-- index portfolio_members_by_project
CREATE INDEX portfolio_members_by_project ON portfolio_members (project_id);

-- index portfolio_members_by_scenario
CREATE INDEX portfolio_members_by_scenario ON portfolio_members (scenario_id, project_id);

-- index portfolio_risk_runs_by_portfolio
CREATE INDEX portfolio_risk_runs_by_portfolio ON portfolio_risk_runs (portfolio_id, id);

-- index projects_by_owner
CREATE INDEX projects_by_owner ON projects (owner_org_id);

-- index risk_runs_by_scenario
CREATE INDEX risk_runs_by_scenario ON risk_runs (scenario_id, id);

-- index sessions_by_user
CREATE INDEX sessions_by_user ON sessions (user_id);

-- index users_by_org
CREATE INDEX users_by_org ON users (org_id);

-- trigger audit_log_extends_chain
CREATE TRIGGER audit_log_extends_chain BEFORE INSERT ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log: a new entry must follow the last one (next id, previous hash)')
  WHERE NEW.id IS NOT (SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log)
     OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000');
END;

-- trigger audit_log_no_delete
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
END;

-- trigger audit_log_no_update
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;

-- trigger evaluation_data_no_delete
CREATE TRIGGER evaluation_data_no_delete BEFORE DELETE ON evaluation_data
BEGIN
  SELECT RAISE(ABORT, 'evaluation_data are append-only: save a new value');
END;

-- trigger evaluation_data_no_update
CREATE TRIGGER evaluation_data_no_update BEFORE UPDATE ON evaluation_data
BEGIN
  SELECT RAISE(ABORT, 'evaluation_data are append-only: save a new value');
END;

-- trigger evaluation_systems_no_delete
CREATE TRIGGER evaluation_systems_no_delete BEFORE DELETE ON evaluation_systems
BEGIN
  SELECT RAISE(ABORT, 'evaluation_systems are append-only: save a new version');
END;

-- trigger evaluation_systems_no_update
CREATE TRIGGER evaluation_systems_no_update BEFORE UPDATE ON evaluation_systems
BEGIN
  SELECT RAISE(ABORT, 'evaluation_systems are append-only: save a new version');
END;

-- trigger portfolio_risk_runs_no_update
CREATE TRIGGER portfolio_risk_runs_no_update BEFORE UPDATE ON portfolio_risk_runs
BEGIN
  SELECT RAISE(ABORT, 'portfolio_risk_runs are immutable: a run is recorded once');
END;

-- trigger project_actuals_no_delete
CREATE TRIGGER project_actuals_no_delete BEFORE DELETE ON project_actuals
BEGIN
  SELECT RAISE(ABORT, 'project_actuals are append-only: record a new version');
END;

-- trigger project_actuals_no_update
CREATE TRIGGER project_actuals_no_update BEFORE UPDATE ON project_actuals
BEGIN
  SELECT RAISE(ABORT, 'project_actuals are append-only: record a new version');
END;

-- trigger risk_runs_no_update
CREATE TRIGGER risk_runs_no_update BEFORE UPDATE ON risk_runs
BEGIN
  SELECT RAISE(ABORT, 'risk_runs are immutable: a run is recorded once');
END;

-- trigger scenario_versions_in_sequence
CREATE TRIGGER scenario_versions_in_sequence BEFORE INSERT ON scenario_versions
BEGIN
  SELECT RAISE(ABORT, 'scenario_versions: version_no must follow the scenario''s latest version')
  WHERE NEW.version_no IS NOT (SELECT COALESCE(MAX(version_no), 0) + 1 FROM scenario_versions WHERE scenario_id = NEW.scenario_id);
END;

-- trigger scenario_versions_no_delete
CREATE TRIGGER scenario_versions_no_delete BEFORE DELETE ON scenario_versions
BEGIN
  SELECT RAISE(ABORT, 'scenario_versions are immutable: they cannot be deleted');
END;

-- trigger scenario_versions_no_update
CREATE TRIGGER scenario_versions_no_update BEFORE UPDATE ON scenario_versions
BEGIN
  SELECT RAISE(ABORT, 'scenario_versions are immutable: save a new version instead');
END;
