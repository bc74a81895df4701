import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { openDatabase, type Db } from './open';

/** One entry of sqlite_master, keyed `TYPE NAME` (e.g. `table results_cache`). */
interface SchemaObject {
  type: string;
  name: string;
  table: string;
  /** The CREATE statement with runs of white space made one space. */
  sql: string | null;
}

/**
 * Left out of the comparison: the statistics tables SQLite adds on ANALYZE or PRAGMA optimize,
 * and the automatic indexes of UNIQUE and PRIMARY KEY constraints, which follow from their
 * table's CREATE statement (compared already).
 */
const IGNORED = /^sqlite_(stat\d|autoindex_.*)$/;

/** Every table, index, trigger and view of `db`, normalised so equal definitions compare equal. */
function schemaObjects(db: Db): Map<string, SchemaObject> {
  const rows = db
    .prepare(`SELECT type, name, tbl_name AS "table", sql FROM sqlite_master`)
    .all() as SchemaObject[];
  return new Map(
    rows
      .filter((r) => !IGNORED.test(r.name))
      .map((r) => [
        `${r.type} ${r.name}`,
        { ...r, sql: r.sql === null ? null : r.sql.replace(/\s+/g, ' ').trim() },
      ]),
  );
}

/** The schema the first `migrationCount` migrations create, read from a fresh in-memory database. */
function expectedSchema(migrationCount: number): Map<string, SchemaObject> {
  const db = openDatabase(':memory:');
  try {
    migrate(db, MIGRATIONS.slice(0, migrationCount));
    return schemaObjects(db);
  } finally {
    db.close();
  }
}

/**
 * Compares the schema of `db` with the one its `migrationCount` applied migrations create:
 * every table (with its columns and constraints), index, trigger and view, nothing more.
 * @returns one plain sentence per difference, e.g. `table results_cache is missing`; empty when equal
 */
export function schemaDifferences(db: Db, migrationCount: number): string[] {
  const actual = schemaObjects(db);
  const expected = expectedSchema(migrationCount);
  const out: string[] = [];
  for (const [key, want] of expected) {
    const got = actual.get(key);
    if (got === undefined) out.push(`${key} is missing`);
    else if (got.sql !== want.sql || got.table !== want.table)
      out.push(`${key} differs from the one FundMix creates`);
  }
  for (const key of actual.keys())
    if (!expected.has(key)) out.push(`${key} is not part of the FundMix schema`);
  return out;
}
