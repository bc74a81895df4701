import { MIGRATIONS, type Migration } from './migrations';
import { PendingMigrationError, UnknownMigrationError } from './errors';
import type { Db } from './open';

/** 'FMX1' as a big-endian integer; migration 0001 writes it into the database header. */
export const FUNDMIX_APPLICATION_ID = 0x464d5831;

const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id INTEGER PRIMARY KEY CHECK (id >= 1),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  applied_at TEXT NOT NULL
) STRICT`;

export interface MigrationStatus {
  applied: Array<{ id: number; name: string; appliedAt: string }>;
  pending: Migration[];
  unknown: Array<{ id: number; name: string }>;
}

function where(db: Db): string {
  return db.name === ':memory:' ? '(in memory)' : `at ${db.name}`;
}

function hasTable(db: Db, name: string): boolean {
  return (
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !==
    undefined
  );
}

/**
 * Compares the migrations recorded in the database with the ones this code knows, without
 * changing anything. A recorded migration whose name differs from the known one of the same
 * number counts as unknown.
 */
export function migrationStatus(db: Db, known: readonly Migration[] = MIGRATIONS): MigrationStatus {
  const rows = hasTable(db, 'schema_migrations')
    ? (db.prepare('SELECT id, name, applied_at FROM schema_migrations ORDER BY id').all() as Array<{
        id: number;
        name: string;
        applied_at: string;
      }>)
    : [];
  const byId = new Map(known.map((m) => [m.id, m]));
  const unknown = rows
    .filter((r) => byId.get(r.id)?.name !== r.name)
    .map((r) => ({ id: r.id, name: r.name }));
  const done = new Set(rows.map((r) => r.id));
  return {
    applied: rows.map((r) => ({ id: r.id, name: r.name, appliedAt: r.applied_at })),
    pending: known.filter((m) => !done.has(m.id)),
    unknown,
  };
}

/**
 * Applies every pending migration in order, each in its own transaction together with its
 * schema_migrations record, so a failure leaves the database at the last complete migration.
 * @returns the migrations applied now (empty when the database was current)
 * @throws UnknownMigrationError when the database has migrations this code does not know;
 *   nothing is changed then
 */
export function migrate(db: Db, known: readonly Migration[] = MIGRATIONS): Migration[] {
  checkKnown(known);
  const before = migrationStatus(db, known);
  if (before.unknown.length > 0) throw new UnknownMigrationError(before.unknown, where(db));
  if (before.pending.length === 0) return [];
  db.exec(BOOKKEEPING);
  const record = db.prepare(
    `INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
  );
  for (const m of before.pending) {
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db, new Date().toISOString());
      record.run(m.id, m.name);
    }).immediate();
  }
  return before.pending;
}

/**
 * Refuses a database this code cannot use as it is: unknown migrations, or pending ones.
 * For read-only work (verify, export) that must not change the file.
 * @throws UnknownMigrationError
 * @throws PendingMigrationError
 */
export function assertCurrentSchema(db: Db, known: readonly Migration[] = MIGRATIONS): void {
  const status = migrationStatus(db, known);
  if (status.unknown.length > 0) throw new UnknownMigrationError(status.unknown, where(db));
  if (status.pending.length > 0)
    throw new PendingMigrationError(
      status.pending.map((m) => m.id),
      where(db),
    );
}

/**
 * The list must start at 1 and rise strictly. A gap is allowed: branches developed side by side
 * number their migrations ahead (0006 written while 0005 is still being written elsewhere), and a
 * pending migration is found by its id, not its position. Once merged, the list has no gap.
 */
function checkKnown(known: readonly Migration[]): void {
  known.forEach((m, i) => {
    const before = i === 0 ? 0 : (known[i - 1]?.id ?? 0);
    if (m.id <= before || (i === 0 && m.id !== 1))
      throw new Error(`migration list is broken: position ${i + 1} holds migration ${m.id}`);
  });
}
