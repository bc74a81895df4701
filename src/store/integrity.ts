import type { Db } from './open';

/**
 * SQLite's own check of a database file: `PRAGMA quick_check` (every page and its structure, in
 * one pass), or with `full` `PRAGMA integrity_check` (also every index's contents).
 * @returns the problems SQLite reports, in its order; empty when the file is sound
 * @throws SQLite's error when a page cannot be read at all (see storageFailureKind)
 */
export function pageProblems(db: Db, opts: { full?: boolean } = {}): string[] {
  const pragma = opts.full === true ? 'integrity_check' : 'quick_check';
  const rows = db.pragma(pragma) as Array<Record<string, unknown>>;
  const found = rows.map((row) => String(row[pragma]));
  return found.length === 1 && found[0] === 'ok' ? [] : found;
}
