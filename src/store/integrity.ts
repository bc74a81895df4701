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
  if (found.length === 1 && found[0] === 'ok') return [];
  // A row may hold several lines ("*** in database main ***\nOn tree page 40 …"): one problem
  // per line, without the header, so every message built from them stays on one line.
  return found
    .flatMap((text) => text.split(/\r?\n/))
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\*\*\* in database \w+ \*\*\*$/.test(line));
}
