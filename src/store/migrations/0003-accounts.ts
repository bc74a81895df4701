import type { Migration } from './types';

// Self-contained on purpose (another migration may be numbered next to this one): the helpers
// repeat those of 0001.
const isoTime = (col: string) =>
  `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'`;
const maybeIso = (col: string) => `${col} IS NULL OR ${isoTime(col)}`;
const sha256 = (col: string) => `length(${col}) = 64 AND ${col} NOT GLOB '*[^0-9a-f]*'`;
const trimmed = (col: string, max: number) =>
  `length(${col}) BETWEEN 1 AND ${max} AND ${col} = trim(${col})`;
const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/**
 * Accounts (issue 10, foundation): organisations, users and their roles, personal access tokens,
 * sessions and sign-in attempts, and each project's owning organisation.
 *
 * - Secrets are never stored: passwords as argon2id hashes (PHC text, `$argon2id$…`), tokens and
 *   session ids as the SHA-256 hex of the secret.
 * - A bureau and an audit office name their jurisdiction; at most one bureau per jurisdiction.
 * - Existing projects are given an owner: one bureau organisation is created per distinct
 *   project jurisdiction (named `财政局 · <jurisdiction>`) and owns that jurisdiction's projects.
 *   Projects without a jurisdiction keep no owner. Nothing of this is audited (SQLite cannot
 *   compute the chain's hashes) and old audit entries stay as they were: `projectState` does not
 *   include the owner, so `audit verify` still holds.
 * - Sessions and sign-in attempts change on every sign-in: they are not audited.
 */
export const migration: Migration = {
  id: 3,
  name: 'accounts',
  sql: `
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (${trimmed('name', 200)}),
  kind TEXT NOT NULL CHECK (kind IN ('bureau', 'enterprise', 'audit')),
  jurisdiction TEXT CHECK (jurisdiction IS NULL OR (${trimmed('jurisdiction', 120)})),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  CHECK (kind = 'enterprise' OR jurisdiction IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX organisations_one_bureau_per_jurisdiction ON organisations (jurisdiction) WHERE kind = 'bureau';

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64 AND username NOT GLOB '*[^a-z0-9._-]*'),
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  password_hash TEXT NOT NULL CHECK (password_hash GLOB '$argon2id$*'),
  disabled_at TEXT CHECK (${maybeIso('disabled_at')}),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  password_changed_at TEXT NOT NULL CHECK (${isoTime('password_changed_at')})
) STRICT;
CREATE INDEX users_by_org ON users (org_id);

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('bureau-analyst', 'bureau-approver', 'enterprise-analyst', 'auditor', 'admin')),
  PRIMARY KEY (user_id, role)
) STRICT;

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  name TEXT NOT NULL CHECK (${trimmed('name', 100)}),
  token_hash TEXT NOT NULL UNIQUE CHECK (${sha256('token_hash')}),
  read_only INTEGER NOT NULL CHECK (read_only IN (0, 1)),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  last_used_at TEXT CHECK (${maybeIso('last_used_at')}),
  revoked_at TEXT CHECK (${maybeIso('revoked_at')})
) STRICT;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY CHECK (${sha256('id_hash')}),
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL CHECK (${isoTime('created_at')}),
  last_seen_at TEXT NOT NULL CHECK (${isoTime('last_seen_at')}),
  expires_at TEXT NOT NULL CHECK (${isoTime('expires_at')}),
  revoked_at TEXT CHECK (${maybeIso('revoked_at')})
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE login_attempts (
  key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 300),
  at TEXT NOT NULL CHECK (${isoTime('at')}),
  ok INTEGER NOT NULL CHECK (ok IN (0, 1))
) STRICT;
CREATE INDEX login_attempts_by_key ON login_attempts (key, at);

ALTER TABLE projects ADD COLUMN owner_org_id INTEGER REFERENCES organisations (id);
CREATE INDEX projects_by_owner ON projects (owner_org_id);

INSERT INTO organisations (name, kind, jurisdiction, created_at)
  SELECT '财政局 · ' || jurisdiction, 'bureau', jurisdiction, ${NOW}
  FROM (SELECT DISTINCT trim(jurisdiction) AS jurisdiction FROM projects
        WHERE jurisdiction IS NOT NULL AND trim(jurisdiction) <> '' ORDER BY 1);
UPDATE projects SET owner_org_id = (
  SELECT o.id FROM organisations o WHERE o.kind = 'bureau' AND o.jurisdiction = trim(projects.jurisdiction)
) WHERE jurisdiction IS NOT NULL;
`,
};
