import { NotFoundError } from '../../domain/errors';
import type { FilingTransition, StoredFilingState } from '../../domain/filing';
import type { PreApprovalConfig } from '../../domain/filing';
import { canonicalJson, sha256Hex } from '../canonical-json';
import { assertStorableText, type StoreContext } from '../context';
import type { Db } from '../open';
import type { DbFiling, DbFilingChecklist, DbFilingEvent, DbFilingJustification } from '../rows';
import type { AuditAction } from '../types';

/**
 * Filings, their events and justifications, and jurisdictions' pre-approval checklists
 * (migration 0006). These functions write what they are told: the workflow's rules (who, from
 * which state, conflicts) are the app layer's (src/app/filings.ts), which calls them inside its
 * own write transaction. Every write appends one audit entry.
 */

/** Who acts on a filing: always a signed-in user of an organisation. */
export interface FilingActor {
  label: string;
  userId: number;
  orgId: number;
}

/** A filing row with what lists and pages show beside it. */
export interface DbFilingListed extends DbFiling {
  project_name: string;
  scenario_name: string;
  version_no: number;
  filed_by_username: string;
  filed_org_name: string;
  decided_by_username: string | null;
  event_count: number;
}

export interface NewFiling {
  scenarioId: number;
  versionId: number;
  projectCode: string;
  jurisdiction: string;
  dataSharingDeclared: boolean;
  allFundingDeclared: boolean;
  comment: string;
}

/** A state change (or a comment, `to` = the current state) to record. */
export interface FilingChange {
  kind: Exclude<FilingTransition, 'submit' | 'justify'>;
  to: StoredFilingState;
  comment: string;
  /** A resubmission: the version it carries and the filer's declarations for it. */
  resubmission?: { versionId: number; dataSharingDeclared: boolean; allFundingDeclared: boolean };
}

function eventState(e: DbFilingEvent) {
  return {
    id: e.id,
    kind: e.kind,
    from: e.from_state,
    to: e.to_state,
    versionId: e.version_id,
    userId: e.user_id,
    orgId: e.org_id,
    at: e.at,
    comment: e.comment,
  };
}

function justificationState(j: DbFilingJustification) {
  return {
    versionId: j.version_id,
    ruleId: j.rule_id,
    text: j.text,
    userId: j.user_id,
    at: j.at,
  };
}

/**
 * What the audit log records of a filing: the row, and digests (SHA-256 of canonical JSON) of
 * its events and justifications, so an event or justification changed or removed behind the
 * application's back shows in `audit verify` as well as a changed row.
 */
export function filingState(
  row: DbFiling,
  events: readonly DbFilingEvent[],
  justifications: readonly DbFilingJustification[],
) {
  return {
    scenarioId: row.scenario_id,
    versionId: row.version_id,
    projectCode: row.project_code,
    jurisdiction: row.jurisdiction,
    state: row.state,
    filedBy: row.filed_by,
    filedOrgId: row.filed_org_id,
    filedAt: row.filed_at,
    dataSharingDeclared: row.data_sharing_declared === 1,
    allFundingDeclared: row.all_funding_declared === 1,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    updatedAt: row.updated_at,
    events: events.length,
    eventsHash: sha256Hex(canonicalJson(events.map(eventState))),
    justificationsHash: sha256Hex(canonicalJson(justifications.map(justificationState))),
  };
}

/** What the audit log records of a jurisdiction's pre-approval checklist. */
export function checklistState(row: DbFilingChecklist) {
  return {
    jurisdiction: row.jurisdiction,
    items: { 'data-sharing': row.data_sharing === 1, 'all-caliber': row.all_caliber === 1 },
    updatedAt: row.updated_at,
  };
}

function readers(db: Db) {
  const events = db.prepare('SELECT * FROM filing_events WHERE filing_id = ? ORDER BY id');
  const justifications = db.prepare(
    'SELECT * FROM filing_justifications WHERE filing_id = ? ORDER BY version_id, rule_id',
  );
  return {
    events: (filingId: number) => events.all(filingId) as DbFilingEvent[],
    justifications: (filingId: number) => justifications.all(filingId) as DbFilingJustification[],
  };
}

/**
 * Filings and pre-approval checklists as `audit verify` compares them with their latest audit
 * entry (entity, id, label, state); empty on a database from before migration 0006.
 */
export function filingStates(
  db: Db,
): Array<[entity: string, id: number, label: string, state: unknown]> {
  const migrated = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'filings'`)
    .get();
  if (!migrated) return [];
  const read = readers(db);
  const filings = (db.prepare('SELECT * FROM filings ORDER BY id').all() as DbFiling[]).map(
    (f): [string, number, string, unknown] => [
      'filing',
      f.id,
      `filing ${f.id} (${f.project_code} to ${f.jurisdiction})`,
      filingState(f, read.events(f.id), read.justifications(f.id)),
    ],
  );
  const checklists = (
    db.prepare('SELECT * FROM filing_checklists ORDER BY id').all() as DbFilingChecklist[]
  ).map((c): [string, number, string, unknown] => [
    'filing-checklist',
    c.id,
    `the pre-approval checklist of ${c.jurisdiction}`,
    checklistState(c),
  ]);
  return [...filings, ...checklists];
}

const LISTED = `SELECT f.*, p.name AS project_name, s.name AS scenario_name, v.version_no,
    u.username AS filed_by_username, o.name AS filed_org_name, d.username AS decided_by_username,
    (SELECT COUNT(*) FROM filing_events e WHERE e.filing_id = f.id) AS event_count
  FROM filings f
  JOIN scenarios s ON s.id = f.scenario_id
  JOIN projects p ON p.id = s.project_id
  JOIN scenario_versions v ON v.id = f.version_id
  JOIN users u ON u.id = f.filed_by
  JOIN organisations o ON o.id = f.filed_org_id
  LEFT JOIN users d ON d.id = f.decided_by`;

export type FilingsRepo = ReturnType<typeof createFilingsRepo>;

export function createFilingsRepo(ctx: StoreContext) {
  return { ...filingReads(ctx.db), ...filingWrites(ctx), ...checklistFunctions(ctx) };
}

function filingReads(db: Db) {
  const read = readers(db);
  const byId = db.prepare(`${LISTED} WHERE f.id = ?`);
  const openOf = db.prepare(
    `${LISTED} WHERE f.scenario_id = ? AND f.state NOT IN ('approved', 'withdrawn')`,
  );
  const ofScenario = db.prepare(`${LISTED} WHERE f.scenario_id = ? ORDER BY f.id`);
  const filedToScenario = db
    .prepare(
      `SELECT DISTINCT jurisdiction FROM filings WHERE scenario_id = ? AND state <> 'withdrawn' ORDER BY 1`,
    )
    .pluck();
  const filedToProject = db
    .prepare(
      `SELECT DISTINCT f.jurisdiction FROM filings f JOIN scenarios s ON s.id = f.scenario_id
       WHERE s.project_id = ? AND f.state <> 'withdrawn' ORDER BY 1`,
    )
    .pluck();
  const eventCount = db.prepare('SELECT COUNT(*) FROM filing_events WHERE filing_id = ?').pluck();
  const inStates = (states: readonly string[]) => states.map(() => '?').join(', ');
  return {
    /** The filing with its listing fields, or undefined. */
    findFiling: (id: number) => byId.get(id) as DbFilingListed | undefined,
    /** @throws NotFoundError */
    getFiling(id: number): DbFilingListed {
      const row = byId.get(id) as DbFilingListed | undefined;
      if (!row) throw new NotFoundError('Filing', id);
      return row;
    },
    /** The scenario's open filing (neither approved nor withdrawn), if any. */
    openFiling: (scenarioId: number) => openOf.get(scenarioId) as DbFilingListed | undefined,
    /** Every filing of a scenario, oldest first. */
    filingsOfScenario: (scenarioId: number) => ofScenario.all(scenarioId) as DbFilingListed[],
    /** Jurisdictions a scenario is filed to (withdrawn filings left out), by name. */
    filedToOfScenario: (scenarioId: number) => filedToScenario.all(scenarioId) as string[],
    /** Jurisdictions any scenario of a project is filed to (withdrawn filings left out). */
    filedToOfProject: (projectId: number) => filedToProject.all(projectId) as string[],
    events: read.events,
    eventCount: (filingId: number) => eventCount.get(filingId) as number,
    justifications: read.justifications,
    /** Filings to these jurisdictions in these states, oldest filing first. */
    filingsTo(jurisdictions: readonly string[], states: readonly string[]): DbFilingListed[] {
      if (jurisdictions.length === 0 || states.length === 0) return [];
      return db
        .prepare(
          `${LISTED} WHERE f.jurisdiction IN (${inStates(jurisdictions)}) AND f.state IN (${inStates(states)}) ORDER BY f.updated_at, f.id`,
        )
        .all(...jurisdictions, ...states) as DbFilingListed[];
    },
    /** Filings an organisation made, in these states, most recently changed first. */
    filingsBy(orgId: number, states: readonly string[]): DbFilingListed[] {
      if (states.length === 0) return [];
      return db
        .prepare(
          `${LISTED} WHERE f.filed_org_id = ? AND f.state IN (${inStates(states)}) ORDER BY f.updated_at DESC, f.id DESC`,
        )
        .all(orgId, ...states) as DbFilingListed[];
    },
    /** Filings approved at or after `from` and before `to` (ISO times), latest first. */
    approvedBetween(from: string, to: string): DbFilingListed[] {
      return db
        .prepare(
          `${LISTED} WHERE f.state = 'approved' AND f.decided_at >= ? AND f.decided_at < ? ORDER BY f.decided_at DESC, f.id DESC`,
        )
        .all(from, to) as DbFilingListed[];
    },
  };
}

function filingWrites(ctx: StoreContext) {
  const { db } = ctx;
  const read = readers(db);
  const insert = db.prepare(
    `INSERT INTO filings (scenario_id, version_id, project_code, jurisdiction, state, filed_by, filed_org_id,
       filed_at, data_sharing_declared, all_funding_declared, updated_at)
     VALUES (?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const byId = db.prepare('SELECT * FROM filings WHERE id = ?');
  const setState = db.prepare(
    `UPDATE filings SET state = ?, updated_at = ?,
       decided_by = CASE WHEN ? = 'approved' THEN ? ELSE decided_by END,
       decided_at = CASE WHEN ? = 'approved' THEN ? ELSE decided_at END
     WHERE id = ? RETURNING *`,
  );
  const setResubmission = db.prepare(
    `UPDATE filings SET version_id = ?, data_sharing_declared = ?, all_funding_declared = ? WHERE id = ?`,
  );
  const touch = db.prepare('UPDATE filings SET updated_at = ? WHERE id = ? RETURNING *');
  const insertEvent = db.prepare(
    `INSERT INTO filing_events (filing_id, kind, from_state, to_state, version_id, user_id, org_id, at, comment)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const upsertJustification = db.prepare(
    `INSERT INTO filing_justifications (filing_id, version_id, rule_id, text, user_id, at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (filing_id, version_id, rule_id) DO UPDATE SET text = excluded.text, user_id = excluded.user_id, at = excluded.at`,
  );

  const addEvent = (
    filing: DbFiling,
    kind: FilingTransition,
    from: string | null,
    by: FilingActor,
    at: string,
    comment: string,
  ) =>
    insertEvent.get(
      filing.id,
      kind,
      from,
      filing.state,
      filing.version_id,
      by.userId,
      by.orgId,
      at,
      comment,
    ) as DbFilingEvent;

  const audit = (
    action: AuditAction,
    filing: DbFiling,
    event: DbFilingEvent,
    by: FilingActor,
    extra: Record<string, unknown> = {},
  ) =>
    ctx.appendAudit({
      actor: by.label,
      action,
      entity: 'filing',
      entityId: filing.id,
      at: event.at,
      details: {
        by: { userId: by.userId, orgId: by.orgId },
        event: eventState(event),
        ...extra,
        state: filingState(filing, read.events(filing.id), read.justifications(filing.id)),
      },
    });

  const mustRow = (id: number) => {
    const row = byId.get(id) as DbFiling | undefined;
    if (!row) throw new NotFoundError('Filing', id);
    return row;
  };

  return {
    /** Records a new filing at `submitted` with its submit event (audited `submit`). */
    addFiling(input: NewFiling, by: FilingActor): DbFiling {
      assertStorableText([
        ['jurisdiction', 'Jurisdiction', input.jurisdiction],
        ['comment', 'Comment', input.comment, 'multi-line'],
      ]);
      return ctx.write(() => {
        const at = ctx.now();
        const row = insert.get(
          input.scenarioId,
          input.versionId,
          input.projectCode,
          input.jurisdiction,
          by.userId,
          by.orgId,
          at,
          input.dataSharingDeclared ? 1 : 0,
          input.allFundingDeclared ? 1 : 0,
          at,
        ) as DbFiling;
        const event = addEvent(row, 'submit', null, by, at, input.comment);
        audit('submit', row, event, by);
        return row;
      });
    },
    /**
     * Moves a filing to `change.to` (or leaves it, for a comment) and records the event; an
     * approval sets `decided_by`/`decided_at`. Audited with the event's kind as the action.
     */
    changeFiling(id: number, change: FilingChange, by: FilingActor): DbFiling {
      assertStorableText([['comment', 'Comment', change.comment, 'multi-line']]);
      return ctx.write(() => {
        const before = mustRow(id);
        const at = ctx.now();
        const r = change.resubmission;
        if (r)
          setResubmission.run(
            r.versionId,
            r.dataSharingDeclared ? 1 : 0,
            r.allFundingDeclared ? 1 : 0,
            id,
          );
        const row = setState.get(
          change.to,
          at,
          change.to,
          by.userId,
          change.to,
          at,
          id,
        ) as DbFiling;
        const event = addEvent(row, change.kind, before.state, by, at, change.comment);
        audit(change.kind, row, event, by);
        return row;
      });
    },
    /**
     * Records (or replaces) the filer's justification of a failing rule for the version the
     * filing carries, with a `justify` event whose comment is the text.
     */
    justifyRule(id: number, ruleId: string, text: string, by: FilingActor): DbFiling {
      assertStorableText([['text', 'Justification', text, 'multi-line']]);
      return ctx.write(() => {
        const at = ctx.now();
        const before = mustRow(id);
        upsertJustification.run(id, before.version_id, ruleId, text, by.userId, at);
        const row = touch.get(at, id) as DbFiling;
        const event = addEvent(row, 'justify', before.state, by, at, text);
        audit('justify', row, event, by, { ruleId });
        return row;
      });
    },
  };
}

function checklistFunctions(ctx: StoreContext) {
  const { db } = ctx;
  const byJurisdiction = db.prepare('SELECT * FROM filing_checklists WHERE jurisdiction = ?');
  const upsert = db.prepare(
    `INSERT INTO filing_checklists (jurisdiction, data_sharing, all_caliber, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (jurisdiction) DO UPDATE SET data_sharing = excluded.data_sharing,
       all_caliber = excluded.all_caliber, updated_at = excluded.updated_at
     RETURNING *`,
  );
  return {
    /** The jurisdiction's stored pre-approval checklist, if it stored one. */
    findChecklist: (jurisdiction: string) =>
      byJurisdiction.get(jurisdiction) as DbFilingChecklist | undefined,
    /**
     * Sets the jurisdiction's pre-approval checklist (audited `update-pre-approval` on entity
     * `filing-checklist`, with the state before and after).
     */
    setChecklist(
      jurisdiction: string,
      config: PreApprovalConfig,
      by: FilingActor,
    ): DbFilingChecklist {
      assertStorableText([['jurisdiction', 'Jurisdiction', jurisdiction]]);
      return ctx.write(() => {
        const before = byJurisdiction.get(jurisdiction) as DbFilingChecklist | undefined;
        const at = ctx.now();
        const row = upsert.get(
          jurisdiction,
          config['data-sharing'] ? 1 : 0,
          config['all-caliber'] ? 1 : 0,
          at,
        ) as DbFilingChecklist;
        ctx.appendAudit({
          actor: by.label,
          action: 'update-pre-approval',
          entity: 'filing-checklist',
          entityId: row.id,
          at,
          details: {
            by: { userId: by.userId, orgId: by.orgId },
            before: before ? checklistState(before) : null,
            state: checklistState(row),
          },
        });
        return row;
      });
    },
  };
}
