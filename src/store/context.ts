import { ValidationError, type FieldIssue } from '../domain/errors';
import { checkText, type TextKind } from '../domain/text';
import { auditEntryHash, GENESIS_HASH } from './audit-state';
import { canonicalJson } from './canonical-json';
import type { Db } from './open';
import { createStorageState, type StorageState } from './storage';
import type { DbAuditEntry } from './rows';
import type { AuditAction, AuditEntity, EngineAdapter } from './types';

/** What every repository shares: the connection, the clock, the engine and the audit appender. */
export interface StoreContext {
  db: Db;
  /** Current time as ISO text. */
  now(): string;
  engine: EngineAdapter | undefined;
  engineVersion: string;
  /** Whether writes are accepted; turns SQLite storage errors into typed errors. */
  storage: StorageState;
  /** Appends one chained entry; call only inside a write transaction. */
  appendAudit(entry: NewAuditEntry): DbAuditEntry;
  /**
   * Runs `fn` in an IMMEDIATE transaction (nested calls become savepoints): the write lock is
   * taken up front, so two processes cannot both read the same audit head and fork the chain.
   * @throws StorageUnavailableError when writes are refused or SQLite cannot write now (the
   *   transaction is rolled back: nothing of it remains)
   * @throws DatabaseDamagedError when SQLite finds damaged data (writes are refused from then on)
   */
  write<T>(fn: () => T): T;
  /**
   * Runs `fn` (synchronous) with `who` as the author of every audit entry it appends: the
   * entry's actor text becomes `who.label` and its user and organisation ids are recorded. How
   * the app layer makes the signed-in user, not a typed name, the author of a write.
   */
  actingAs<T>(who: ActingUser, fn: () => T): T;
  /** The user `actingAs` runs for now, or null (the system, seeding, the CLI). */
  acting(): ActingUser | null;
}

/** A signed-in user as the audit log records them (see `StoreContext.actingAs`). */
export interface ActingUser {
  label: string;
  userId: number;
  orgId: number;
}

export interface NewAuditEntry {
  actor: string;
  action: AuditAction;
  entity: AuditEntity;
  entityId: number | null;
  details: Record<string, unknown>;
  /** Defaults to now; the same instant is used for the row the entry describes. */
  at?: string;
}

/** An audit entry with every field decided: what `auditAppender` chains and writes. */
export interface ChainedAuditEntry extends Omit<NewAuditEntry, 'at'> {
  at: string;
  actorUserId: number | null;
  actorOrgId: number | null;
}

/**
 * Appends entries to the hash chain of `db` (call inside a write transaction): the next id, the
 * previous entry's hash, the hash of this one. The one writer of audit entries, for the store's
 * repositories and for a migration's data step alike.
 */
export function auditAppender(db: Db): (entry: ChainedAuditEntry) => DbAuditEntry {
  const head = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
  const insert = db.prepare(
    'INSERT INTO audit_log (id, at, actor, action, entity, entity_id, details, prev_hash, hash, actor_user_id, actor_org_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (entry) => {
    const last = head.get() as { id: number; hash: string } | undefined;
    const id = (last?.id ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const details = canonicalJson(entry.details);
    const fields = {
      id,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      detailsJson: details,
      actorUserId: entry.actorUserId,
      actorOrgId: entry.actorOrgId,
    };
    const hash = auditEntryHash(prevHash, fields);
    insert.run(
      id,
      entry.at,
      entry.actor,
      entry.action,
      entry.entity,
      entry.entityId,
      details,
      prevHash,
      hash,
      entry.actorUserId,
      entry.actorOrgId,
    );
    return {
      id,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      details,
      prev_hash: prevHash,
      hash,
      actor_user_id: entry.actorUserId,
      actor_org_id: entry.actorOrgId,
    };
  };
}

export function createContext(
  db: Db,
  clock: () => Date,
  engine: EngineAdapter | undefined,
  engineVersion: string,
): StoreContext {
  const append = auditAppender(db);
  // One transaction wrapper for every write: better-sqlite3 builds several closures per wrapper.
  const run = db.transaction((fn: () => unknown) => fn());
  const storage = createStorageState();
  let acting: ActingUser | null = null;
  const now = () => {
    const d = clock();
    if (!(d instanceof Date) || Number.isNaN(d.getTime()))
      throw new TypeError('The store clock returned an invalid Date');
    return d.toISOString();
  };
  return {
    db,
    now,
    engine,
    engineVersion,
    storage,
    appendAudit(entry) {
      if (!db.inTransaction) throw new Error('appendAudit must run inside a write transaction');
      const actor = acting?.label ?? entry.actor;
      assertStorableText([['actor', 'Author', actor]]);
      return append({
        ...entry,
        actor,
        at: entry.at ?? now(),
        actorUserId: acting?.userId ?? null,
        actorOrgId: acting?.orgId ?? null,
      });
    },
    acting: () => acting,
    actingAs<T>(who: ActingUser, fn: () => T): T {
      const outer = acting;
      acting = who;
      try {
        const out = fn();
        if (out instanceof Promise) throw new TypeError('actingAs runs synchronous work only');
        return out;
      } finally {
        acting = outer;
      }
    },
    write<T>(fn: () => T): T {
      if (db.inTransaction) return run(fn) as T;
      storage.assertWritable();
      try {
        return run.immediate(fn) as T;
      } catch (err) {
        throw storage.translate(err);
      }
    },
  };
}

/**
 * Checks the "who" of a write.
 * @throws ValidationError when the actor is not a non-empty name of at most 200 characters
 */
export function checkActor(actor: unknown): string {
  if (typeof actor !== 'string' || actor.trim().length === 0) {
    throw new ValidationError(
      [{ path: 'actor', message: 'Say who makes the change (a non-empty name)' }],
      'The change has no author',
    );
  }
  const refused = checkText('Author', actor, 'single-line');
  if (refused)
    throw new ValidationError([{ path: 'actor', message: refused }], 'The author is not valid');
  if (actor.trim().length > 200) {
    throw new ValidationError(
      [{ path: 'actor', message: 'The author name is longer than 200 characters' }],
      'The author is not valid',
    );
  }
  return actor.trim();
}

/**
 * Checks a free-text comment.
 * @throws ValidationError when it is not a string of at most 4000 characters
 */
export function checkComment(comment: unknown, path = 'comment'): string {
  if (comment === undefined || comment === null) return '';
  if (typeof comment !== 'string')
    throw new ValidationError([{ path, message: 'The comment must be text' }]);
  const refused = checkText('Comment', comment, 'multi-line');
  if (refused) throw new ValidationError([{ path, message: refused }], 'The comment is not valid');
  if (comment.length > 4000)
    throw new ValidationError([{ path, message: 'The comment is longer than 4000 characters' }]);
  return comment;
}

/** A text about to be written: its issue path, its subject in messages, the value, its kind. */
export type StoredText = readonly [
  path: string,
  what: string,
  value: string | null,
  kind?: TextKind,
];

/**
 * The store's own guard for the text rule (src/domain/text.ts), run just before text columns are
 * written: every entry point validates first, but a caller that skipped it gets a typed
 * ValidationError here rather than a raw SQLite CHECK failure, or a NUL stored as is.
 * @throws ValidationError naming each field whose text holds a refused character
 */
export function assertStorableText(fields: readonly StoredText[]): void {
  const issues: FieldIssue[] = [];
  for (const [path, what, value, kind = 'single-line'] of fields) {
    const message = value === null ? null : checkText(what, value, kind);
    if (message) issues.push({ path, message });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'The text cannot be stored');
}
