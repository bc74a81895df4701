import {
  auditEntryHash,
  fiscalSettingsState,
  GENESIS_HASH,
  jurisdictionState,
  portfolioState,
  legacyProjectState,
  projectState,
  scenarioState,
  versionState,
} from '../audit-state';
import { canonicalJson, sha256Hex } from '../canonical-json';
import { toAuditEntry } from '../mappers';
import { accountStates } from './accounts';
import { filingStates } from './filings';
import type { Db } from '../open';
import type {
  DbAuditEntry,
  DbJurisdiction,
  DbPortfolio,
  DbPortfolioFiscal,
  DbPortfolioMember,
  DbProject,
  DbScenario,
  DbScenarioVersion,
} from '../rows';
import type { AuditEntry, AuditProblem, AuditReport } from '../types';

export interface AuditRepo {
  /** Entries newest first, optionally for one entity. */
  list(opts?: {
    entity?: string;
    entityId?: number;
    limit?: number;
    beforeId?: number;
  }): AuditEntry[];
  count(): number;
  /** Checks the whole history; see `verifyAudit`. */
  verify(): AuditReport;
}

export function createAuditRepo(db: Db): AuditRepo {
  const count = db.prepare('SELECT COUNT(*) FROM audit_log').pluck();
  return {
    list(opts = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (opts.entity !== undefined) {
        where.push('entity = ?');
        params.push(opts.entity);
      }
      if (opts.entityId !== undefined) {
        where.push('entity_id = ?');
        params.push(opts.entityId);
      }
      if (opts.beforeId !== undefined) {
        where.push('id < ?');
        params.push(opts.beforeId);
      }
      const limit = Math.max(1, Math.min(opts.limit ?? 100, 10000));
      const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`;
      return (db.prepare(sql).all(...params) as DbAuditEntry[]).map(toAuditEntry);
    },
    count: () => count.get() as number,
    verify: () => verifyAudit(db),
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
 * 3. projects, scenarios, portfolios, portfolios' fiscal settings, jurisdictions' thresholds,
 *    users, tokens, filings (with digests of their events and justifications) and pre-approval
 *    checklists: each row equals the state its latest audit entry records; a row whose latest entry records
 *    its removal (state null, e.g. cleared fiscal settings) must not exist.
 * Truncating the newest entries together with the rows they describe cannot be detected from
 * inside the file: compare `headHash` with a value noted earlier for that.
 */
export function verifyAudit(db: Db): AuditReport {
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
