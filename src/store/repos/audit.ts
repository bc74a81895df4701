import {
  auditEntryHash,
  fiscalSettingsState,
  GENESIS_HASH,
  jurisdictionFiscalState,
  jurisdictionState,
  portfolioState,
  legacyProjectState,
  projectState,
  scenarioState,
  versionState,
} from '../audit-state';
import { chinaDayStartAt } from '../../domain/china-time';
import { canonicalJson, sha256Hex } from '../canonical-json';
import { toAuditEntry } from '../mappers';
import { accountStates } from './accounts';
import { filingStates } from './filings';
import type { Db } from '../open';
import type {
  DbAuditEntry,
  DbJurisdiction,
  DbJurisdictionFiscal,
  DbPortfolio,
  DbPortfolioFiscal,
  DbPortfolioMember,
  DbProject,
  DbScenario,
  DbScenarioVersion,
} from '../rows';
import type { AuditEntry, AuditProblem, AuditReport } from '../types';

/**
 * Which entries to read (every field optional; all given ones must hold).
 * - `actor`: a substring of the recorded actor text, case-insensitive for ASCII letters (SQLite
 *   `LIKE`; `%`, `_` and `\` in it match themselves);
 * - `orgId`: entries made by a user of this organisation: the `actor_org_id` column once the
 *   audit log has one (migration 0005), else the organisation recorded in the entry's details
 *   (`details.by.orgId`, as accounts entries carry it); entries older than both match no
 *   organisation;
 * - `entity`, `entityId`: about this entity (and this one of them);
 * - `from`, `to`: `YYYY-MM-DD`, inclusive, days of China Standard Time (UTC+8), the zone the
 *   pages show times in.
 */
export interface AuditFilter {
  actor?: string;
  orgId?: number;
  entity?: string;
  entityId?: number;
  from?: string;
  to?: string;
}

/** One page of entries: newest first, and only those with ids below `beforeId` (keyset paging). */
export interface AuditPageRequest {
  /** 1 to 10,000; default 100. */
  limit?: number;
  beforeId?: number;
}

/** An entry with the user and organisation that made it, where the log knows them. */
export interface AuditListEntry extends AuditEntry {
  actorUserId: number | null;
  actorOrgId: number | null;
}

export interface AuditRepo {
  /** Entries newest first, filtered. */
  list(opts?: AuditFilter & AuditPageRequest): AuditListEntry[];
  /** How many entries the filter matches (all entries without one). */
  count(filter?: AuditFilter): number;
  /** One page of the filter's entries with the filter's total, as the audit log page shows it. */
  search(
    filter: AuditFilter,
    page?: AuditPageRequest,
  ): { entries: AuditListEntry[]; total: number };
  /** Checks the whole history; see `verifyAudit`. */
  verify(opts?: VerifyOptions): AuditReport;
}

/** `LIKE` pattern for "contains `text`", with the escape character `\\`. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The day after a `YYYY-MM-DD` date, as `YYYY-MM-DD` (UTC calendar). */

/** The entities whose entries record their actor's ids in `details.by` (src/store/repos/accounts.ts). */
const ACCOUNT_ENTITIES = `'organisation', 'user', 'api-token'`;

/** The SQL for an entry's user and organisation: the columns of migration 0005 where present. */
function actorColumns(db: Db): { userId: string; orgId: string } {
  const columns = new Set(
    (db.pragma('table_info(audit_log)') as Array<{ name: string }>).map((c) => c.name),
  );
  // Only accounts entries record `details.by`; CASE keeps json_extract off every other row
  // (a 20,000-entry log filtered by organisation: 30 ms with it on every row, 7 ms without).
  const fromDetails = (key: string) =>
    `CASE WHEN entity IN (${ACCOUNT_ENTITIES}) THEN json_extract(details, '$.by.${key}') END`;
  const either = (column: string, key: string) =>
    columns.has(column) ? `COALESCE(${column}, ${fromDetails(key)})` : fromDetails(key);
  return { userId: either('actor_user_id', 'userId'), orgId: either('actor_org_id', 'orgId') };
}

function whereOf(
  filter: AuditFilter & { beforeId?: number },
  orgExpr: string,
): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (filter.actor !== undefined) add(`actor LIKE ? ESCAPE '\\'`, containsPattern(filter.actor));
  if (filter.orgId !== undefined) add(`${orgExpr} = ?`, filter.orgId);
  if (filter.entity !== undefined) add('entity = ?', filter.entity);
  if (filter.entityId !== undefined) add('entity_id = ?', filter.entityId);
  if (filter.from !== undefined) add('at >= ?', chinaDayStartAt(filter.from));
  if (filter.to !== undefined) add('at < ?', chinaDayStartAt(filter.to, 1));
  if (filter.beforeId !== undefined) add('id < ?', filter.beforeId);
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

type DbAuditListRow = DbAuditEntry & { by_user_id: number | null; by_org_id: number | null };

function toListEntry(row: DbAuditListRow): AuditListEntry {
  return { ...toAuditEntry(row), actorUserId: row.by_user_id, actorOrgId: row.by_org_id };
}

export function createAuditRepo(db: Db): AuditRepo {
  const actorSql = actorColumns(db);
  const list = (opts: AuditFilter & AuditPageRequest = {}) => {
    const { sql, params } = whereOf(opts, actorSql.orgId);
    const limit = Math.max(1, Math.min(Math.trunc(opts.limit ?? 100), 10000));
    const rows = db
      .prepare(
        `SELECT *, ${actorSql.userId} AS by_user_id, ${actorSql.orgId} AS by_org_id FROM audit_log ${sql} ORDER BY id DESC LIMIT ${limit}`,
      )
      .all(...params) as DbAuditListRow[];
    return rows.map(toListEntry);
  };
  const count = (filter: AuditFilter = {}) => {
    const { sql, params } = whereOf({ ...filter, beforeId: undefined }, actorSql.orgId);
    return db
      .prepare(`SELECT COUNT(*) FROM audit_log ${sql}`)
      .pluck()
      .get(...params) as number;
  };
  return {
    list,
    count,
    search: (filter, page = {}) => ({
      entries: list({ ...filter, ...page }),
      total: count(filter),
    }),
    verify: (opts) => verifyAudit(db, opts),
  };
}

const CHAIN_PROBLEMS = new Set(['entry-missing', 'chain-broken', 'entry-altered']);

interface Latest {
  entryId: number;
  details: Record<string, unknown>;
}

/**
 * Verifies the history end to end, read-only:
 * 1. the chain: ids run 1, 2, 3 … without gaps, each entry's `prev_hash` is the previous entry's
 *    hash and its `hash` is recomputed from its fields (an edited or deleted entry breaks it);
 * 2. versions: every stored version's inputs still hash to its `inputs_hash`, and the version's
 *    audit entry records the same hash, author, time and comment; no version lacks its entry and
 *    no entry's version is missing;
 * 3. projects, scenarios, portfolios, portfolios' fiscal settings, jurisdictions' fiscal figures
 *    and thresholds,
 *    users, tokens, filings (with digests of their events and justifications) and pre-approval
 *    checklists: each row equals the state its latest audit entry records; a row whose latest entry records
 *    its removal (state null, e.g. cleared fiscal settings) must not exist.
 * Truncating the newest entries together with the rows they describe cannot be detected from
 * inside the file: compare `headHash` with a value noted earlier for that.
 *
 * Reads in one transaction, so a connection verifying while another process (the server, a
 * worker, the CLI) writes sees one snapshot: a write committed half-way cannot make a row look
 * newer than the chain read before it.
 * @param opts.onProgress called with the number of entries checked so far, every
 *   `VERIFY_PROGRESS_EVERY` entries of the chain (the state comparisons after it are quicker)
 */
export function verifyAudit(db: Db, opts: VerifyOptions = {}): AuditReport {
  const check = () => checkHistory(db, opts.onProgress);
  return db.inTransaction ? check() : db.transaction(check).deferred();
}

export interface VerifyOptions {
  onProgress?: (entriesChecked: number) => void;
}

/** How often `verifyAudit` reports progress, in entries. */
export const VERIFY_PROGRESS_EVERY = 1000;

function checkHistory(db: Db, onProgress?: (entriesChecked: number) => void): AuditReport {
  const problems: AuditProblem[] = [];
  const latest = new Map<string, Latest>();
  const versionEntries = new Map<number, Latest>();
  let expectedId = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let headId: number | null = null;

  for (const row of db
    .prepare('SELECT * FROM audit_log ORDER BY id')
    .iterate() as IterableIterator<DbAuditEntry>) {
    entries++;
    if (entries % VERIFY_PROGRESS_EVERY === 0) onProgress?.(entries);
    headId = row.id;
    if (row.id !== expectedId) {
      problems.push({
        entryId: expectedId,
        code: 'entry-missing',
        message: `entry ${expectedId}${row.id > expectedId + 1 ? `–${row.id - 1}` : ''} is missing (the next entry is ${row.id})`,
      });
    }
    if (row.prev_hash !== prevHash) {
      problems.push({
        entryId: row.id,
        code: 'chain-broken',
        message: `entry ${row.id} does not follow the entry before it (previous hash differs)`,
      });
    }
    let details: Record<string, unknown> | null = null;
    try {
      details = JSON.parse(row.details) as Record<string, unknown>;
    } catch {
      problems.push({
        entryId: row.id,
        code: 'entry-altered',
        message: `entry ${row.id} has unreadable details`,
      });
    }
    if (details !== null) {
      const hash = auditEntryHash(row.prev_hash, {
        id: row.id,
        at: row.at,
        actor: row.actor,
        action: row.action,
        entity: row.entity,
        entityId: row.entity_id,
        detailsJson: canonicalJson(details),
        actorUserId: row.actor_user_id,
        actorOrgId: row.actor_org_id,
      });
      if (hash !== row.hash) {
        const what = `${row.action} ${row.entity}${row.entity_id === null ? '' : ` ${row.entity_id}`}`;
        problems.push({
          entryId: row.id,
          code: 'entry-altered',
          message: `entry ${row.id} (${what}) was changed after it was written`,
        });
      }
      if (row.entity_id !== null) {
        const latestEntry = { entryId: row.id, details };
        latest.set(`${row.entity}:${row.entity_id}`, latestEntry);
        if (row.entity === 'scenario-version') {
          if (versionEntries.has(row.entity_id)) {
            problems.push({
              entryId: row.id,
              code: 'version-recorded-twice',
              message: `entry ${row.id} records version ${row.entity_id} a second time`,
            });
          }
          versionEntries.set(row.entity_id, latestEntry);
        }
      }
    }
    prevHash = row.hash;
    expectedId = row.id + 1;
  }

  // Versions: inputs hash, and the row against what its entry recorded.
  for (const v of db
    .prepare('SELECT * FROM scenario_versions ORDER BY id')
    .iterate() as IterableIterator<DbScenarioVersion>) {
    const entry = versionEntries.get(v.id);
    if (sha256Hex(v.inputs_json) !== v.inputs_hash) {
      problems.push({
        entryId: entry?.entryId ?? null,
        code: 'version-altered',
        message: `the stored inputs of version ${v.id} (scenario ${v.scenario_id} v${v.version_no}) no longer match their hash`,
      });
    }
    if (!entry) {
      problems.push({
        entryId: null,
        code: 'version-unrecorded',
        message: `version ${v.id} (scenario ${v.scenario_id} v${v.version_no}) has no audit entry`,
      });
      continue;
    }
    versionEntries.delete(v.id);
    const recorded = entry.details;
    const actual = versionState(v);
    const differs = (Object.keys(actual) as Array<keyof typeof actual>).filter(
      (k) => canonicalJson(recorded[k] ?? null) !== canonicalJson(actual[k]),
    );
    if (differs.length > 0) {
      problems.push({
        entryId: entry.entryId,
        code: 'version-altered',
        message: `version ${v.id} differs from what entry ${entry.entryId} recorded (${differs.join(', ')})`,
      });
    }
  }
  for (const [versionId, entry] of versionEntries) {
    problems.push({
      entryId: entry.entryId,
      code: 'version-missing',
      message: `version ${versionId}, recorded by entry ${entry.entryId}, is missing`,
    });
  }

  const compareState = (entity: string, id: number, label: string, actual: unknown) => {
    const entry = latest.get(`${entity}:${id}`);
    if (!entry) {
      problems.push({
        entryId: null,
        code: `${entity}-unrecorded`,
        message: `${label} has no audit entry`,
      });
      return;
    }
    latest.delete(`${entity}:${id}`);
    const recorded = entry.details.state ?? null;
    const expected = entity === 'project' ? legacyProjectState(recorded) : recorded;
    if (canonicalJson(expected) !== canonicalJson(actual)) {
      problems.push({
        entryId: entry.entryId,
        code: `${entity}-altered`,
        message: `${label} differs from the state entry ${entry.entryId} recorded`,
      });
    }
  };
  for (const p of db.prepare('SELECT * FROM projects ORDER BY id').all() as DbProject[]) {
    compareState('project', p.id, `project ${p.id} (${p.code})`, projectState(p));
  }
  for (const s of db.prepare('SELECT * FROM scenarios ORDER BY id').all() as DbScenario[]) {
    compareState('scenario', s.id, `scenario ${s.id} ("${s.name}")`, scenarioState(s));
  }
  const members = db.prepare(
    `SELECT m.*, p.code AS project_code, s.name AS scenario_name FROM portfolio_members m
     JOIN projects p ON p.id = m.project_id JOIN scenarios s ON s.id = m.scenario_id WHERE m.portfolio_id = ?`,
  );
  for (const p of db.prepare('SELECT * FROM portfolios ORDER BY id').all() as DbPortfolio[]) {
    compareState(
      'portfolio',
      p.id,
      `portfolio ${p.id} ("${p.name}")`,
      portfolioState(p, members.all(p.id) as DbPortfolioMember[]),
    );
  }
  for (const f of db
    .prepare('SELECT * FROM portfolio_fiscal ORDER BY portfolio_id')
    .all() as DbPortfolioFiscal[]) {
    compareState(
      'portfolio-fiscal',
      f.portfolio_id,
      `the fiscal settings of portfolio ${f.portfolio_id}`,
      fiscalSettingsState(f),
    );
  }
  for (const j of db
    .prepare('SELECT * FROM jurisdiction_fiscal ORDER BY id')
    .all() as DbJurisdictionFiscal[]) {
    compareState(
      'jurisdiction-fiscal',
      j.id,
      `the fiscal figures of jurisdiction ${j.id} ("${j.name}")`,
      jurisdictionFiscalState(j),
    );
  }
  for (const j of db.prepare('SELECT * FROM jurisdictions ORDER BY id').all() as DbJurisdiction[]) {
    compareState(
      'jurisdiction',
      j.id,
      `the thresholds of jurisdiction ${j.id} ("${j.name}")`,
      jurisdictionState(j),
    );
  }
  for (const [entity, id, label, state] of accountStates(db))
    compareState(entity, id, label, state);
  for (const [entity, id, label, state] of filingStates(db)) compareState(entity, id, label, state);
  for (const [key, entry] of latest) {
    const [entity, id] = key.split(':');
    // Entities whose rows can be removed: a latest state of null says the row is gone on purpose.
    const removable = entity === 'portfolio-fiscal' || entity === 'jurisdiction';
    if (removable && (entry.details.state ?? null) === null) continue;
    const account = entity === 'user' || entity === 'api-token';
    const filing = entity === 'filing' || entity === 'filing-checklist';
    if (
      entity === 'project' ||
      entity === 'scenario' ||
      entity === 'portfolio' ||
      entity === 'jurisdiction-fiscal' ||
      removable ||
      account ||
      filing
    ) {
      problems.push({
        entryId: entry.entryId,
        code: `${entity}-missing`,
        message: `${entity} ${id}, recorded by entry ${entry.entryId}, is missing`,
      });
    }
  }

  // A broken chain comes first: once an entry is in doubt, state comparisons built on it are too.
  const rank = (p: AuditProblem) => (CHAIN_PROBLEMS.has(p.code) ? 0 : 1);
  problems.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.entryId ?? Number.MAX_SAFE_INTEGER) - (b.entryId ?? Number.MAX_SAFE_INTEGER),
  );
  const first = problems.find((p) => p.entryId !== null);
  return {
    ok: problems.length === 0,
    entries,
    headHash: prevHash,
    headId,
    firstBrokenEntryId: first?.entryId ?? null,
    problems,
  };
}
