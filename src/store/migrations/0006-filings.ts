import type { Migration } from './types';

// Self-contained on purpose (other migrations are numbered next to this one): the helpers
// repeat those of 0001 and 0003.
const isoTime = (col: string) =>
  `${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'`;
const maybeIso = (col: string) => `${col} IS NULL OR ${isoTime(col)}`;
const trimmed = (col: string, max: number) =>
  `length(${col}) BETWEEN 1 AND ${max} AND ${col} = trim(${col})`;
const bool = (col: string) => `${col} IN (0, 1)`;
const STORED_STATES = `'submitted', 'under-review', 'returned', 'resubmitted', 'approved', 'withdrawn'`;

/**
 * The filing workflow (issue 10): filings of versions to a jurisdiction's bureau, their events
 * (every transition and comment), the filer's justifications of failing checklist rules, and each
 * jurisdiction's pre-approval checklist.
 *
 * - A filing row starts at `submitted`: `draft` (a version never filed) is not stored.
 * - `version_id` is the version the filing carries now (a resubmission may carry a newer one of
 *   the same scenario); each submit/resubmit event keeps the version it carried.
 * - At most one open filing (not approved, not withdrawn) per scenario.
 * - `decided_by`/`decided_at` are set by the approval, and only then.
 * - Every write is audited (entity `filing`, `filing-checklist`); `audit verify` compares each
 *   filing, with a digest of its events and justifications, with its latest entry.
 */
export const migration: Migration = {
  id: 6,
  name: 'filings',
  sql: `
CREATE TABLE filings (
  id INTEGER PRIMARY KEY,
  scenario_id INTEGER NOT NULL REFERENCES scenarios (id),
  version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
  project_code TEXT NOT NULL CHECK (length(project_code) BETWEEN 1 AND 40),
  jurisdiction TEXT NOT NULL CHECK (${trimmed('jurisdiction', 120)}),
  state TEXT NOT NULL CHECK (state IN (${STORED_STATES})),
  filed_by INTEGER NOT NULL REFERENCES users (id),
  filed_org_id INTEGER NOT NULL REFERENCES organisations (id),
  filed_at TEXT NOT NULL CHECK (${isoTime('filed_at')}),
  data_sharing_declared INTEGER NOT NULL CHECK (${bool('data_sharing_declared')}),
  all_funding_declared INTEGER NOT NULL CHECK (${bool('all_funding_declared')}),
  decided_by INTEGER REFERENCES users (id),
  decided_at TEXT CHECK (${maybeIso('decided_at')}),
  updated_at TEXT NOT NULL CHECK (${isoTime('updated_at')}),
  CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
  CHECK ((state = 'approved') = (decided_at IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX filings_one_open_per_scenario ON filings (scenario_id)
  WHERE state NOT IN ('approved', 'withdrawn');
CREATE INDEX filings_by_jurisdiction ON filings (jurisdiction, state);
CREATE INDEX filings_by_org ON filings (filed_org_id, state);

CREATE TABLE filing_events (
  id INTEGER PRIMARY KEY,
  filing_id INTEGER NOT NULL REFERENCES filings (id),
  kind TEXT NOT NULL CHECK (kind IN ('submit', 'take-under-review', 'return', 'resubmit', 'approve', 'withdraw', 'comment', 'justify')),
  from_state TEXT CHECK (from_state IS NULL OR from_state IN (${STORED_STATES})),
  to_state TEXT NOT NULL CHECK (to_state IN (${STORED_STATES})),
  version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  org_id INTEGER NOT NULL REFERENCES organisations (id),
  at TEXT NOT NULL CHECK (${isoTime('at')}),
  comment TEXT NOT NULL CHECK (length(comment) <= 4000),
  CHECK ((kind = 'submit') = (from_state IS NULL))
) STRICT;
CREATE INDEX filing_events_by_filing ON filing_events (filing_id, id);

CREATE TABLE filing_justifications (
  filing_id INTEGER NOT NULL REFERENCES filings (id),
  version_id INTEGER NOT NULL REFERENCES scenario_versions (id),
  rule_id TEXT NOT NULL CHECK (length(rule_id) BETWEEN 1 AND 80 AND rule_id NOT GLOB '*[^a-z0-9-]*'),
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  user_id INTEGER NOT NULL REFERENCES users (id),
  at TEXT NOT NULL CHECK (${isoTime('at')}),
  PRIMARY KEY (filing_id, version_id, rule_id)
) STRICT;

CREATE TABLE filing_checklists (
  id INTEGER PRIMARY KEY,
  jurisdiction TEXT NOT NULL UNIQUE CHECK (${trimmed('jurisdiction', 120)}),
  data_sharing INTEGER NOT NULL CHECK (${bool('data_sharing')}),
  all_caliber INTEGER NOT NULL CHECK (${bool('all_caliber')}),
  updated_at TEXT NOT NULL CHECK (${isoTime('updated_at')})
) STRICT;
`,
};
