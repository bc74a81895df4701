import fs from 'node:fs';
import path from 'node:path';
import { NotFoundError } from '../../src/domain/errors';
import {
  assertCurrentSchema,
  FUNDMIX_APPLICATION_ID,
  migrate,
  migrationStatus,
  MIGRATIONS,
  NotADatabaseError,
  openDatabase,
  PendingMigrationError,
  UnknownMigrationError,
  type Db,
  type Migration,
} from '../../src/store';
import { tempDir } from './helpers/fixtures';

const GOLDEN = path.join(__dirname, 'schema.golden.sql');
const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'src', 'store', 'migrations');

/** Everything a migration can change that the code relies on, as comparable text. */
function dumpSchema(db: Db): string {
  const objects = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL
       ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'trigger' THEN 2 ELSE 3 END, name`,
    )
    .all() as Array<{ type: string; name: string; sql: string }>;
  const header = `-- FundMix schema after migrations ${MIGRATIONS.map((m) => m.id).join(', ')}; application_id ${String(db.pragma('application_id', { simple: true }))}\n`;
  return header + objects.map((o) => `-- ${o.type} ${o.name}\n${o.sql};\n`).join('\n');
}

function migrated(): Db {
  const db = openDatabase(':memory:');
  migrate(db);
  return db;
}

describe('schema', () => {
  it('matches the committed golden file (a schema change needs a migration and a new golden)', () => {
    const actual = dumpSchema(migrated());
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, actual);
    expect(actual).toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });

  it('has one migration file per migration, numbered from 1 and rising', () => {
    const files = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{4}-.+\.ts$/.test(f))
      .sort();
    expect(files.map((f) => f.replace(/\.ts$/, ''))).toEqual(
      MIGRATIONS.map((m) => `${String(m.id).padStart(4, '0')}-${m.name}`),
    );
    expect(MIGRATIONS[0]?.id).toBe(1);
    MIGRATIONS.forEach((m, i) => expect(m.id).toBeGreaterThan(MIGRATIONS[i - 1]?.id ?? 0));
  });

  it('uses only STRICT tables and never stores a REAL', () => {
    const db = migrated();
    const tables = db
      .prepare(
        `SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`,
      )
      .all() as Array<{ name: string; strict: number }>;
    expect(tables.map((t) => t.name).sort()).toEqual(
      [
        'api_tokens',
        'audit_log',
        'evaluation_data',
        'evaluation_systems',
        'filing_checklists',
        'filing_events',
        'filing_justifications',
        'filings',
        'jurisdiction_fiscal',
        'jurisdictions',
        'login_attempts',
        'organisations',
        'portfolio_fiscal',
        'portfolio_members',
        'portfolio_risk_runs',
        'portfolios',
        'project_actuals',
        'projects',
        'results_cache',
        'risk_runs',
        'scenario_versions',
        'scenarios',
        'schema_migrations',
        'sessions',
        'user_roles',
        'users',
      ].sort(),
    );
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
    const types = tables.flatMap((t) =>
      (
        db.prepare('SELECT name, type FROM pragma_table_info(?)').all(t.name) as Array<{
          name: string;
          type: string;
        }>
      ).map((c) => `${t.name}.${c.name}:${c.type}`),
    );
    expect(types.filter((t) => !/:(TEXT|INTEGER)$/.test(t))).toEqual([]);
  });

  it('marks the file as a FundMix database', () => {
    expect(migrated().pragma('application_id', { simple: true })).toBe(FUNDMIX_APPLICATION_ID);
  });
});

describe('migrate', () => {
  it('applies every migration once and records it', () => {
    const db = openDatabase(':memory:');
    expect(migrate(db).map((m) => m.id)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(migrate(db)).toEqual([]);
    const status = migrationStatus(db);
    expect(status.applied.map((a) => [a.id, a.name])).toEqual(
      MIGRATIONS.map((m) => [m.id, m.name]),
    );
    expect(status.pending).toEqual([]);
    expect(status.applied[0]?.appliedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('refuses a database with a migration it does not know, with a clear message, and changes nothing', () => {
    const db = migrated();
    db.prepare(
      `INSERT INTO schema_migrations (id, name, applied_at) VALUES (99, 'portfolio-budgets', '2030-01-01T00:00:00.000Z')`,
    ).run();
    const before = dumpSchema(db);
    let caught: unknown;
    try {
      migrate(db);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnknownMigrationError);
    expect((caught as Error).message).toContain('0099-portfolio-budgets');
    expect((caught as UnknownMigrationError).help).toMatch(/newer FundMix/);
    expect(dumpSchema(db)).toBe(before);
    expect(() => assertCurrentSchema(db)).toThrow(UnknownMigrationError);
  });

  it('treats a recorded migration with another name as unknown', () => {
    const db = openDatabase(':memory:');
    db.exec(`CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;
             INSERT INTO schema_migrations VALUES (1, 'something-else', '2030-01-01T00:00:00.000Z');`);
    expect(() => migrate(db)).toThrow(/0001-something-else/);
  });

  it('runs each migration in its own transaction: a failing one leaves the earlier ones applied', () => {
    const db = openDatabase(':memory:');
    const last = MIGRATIONS[MIGRATIONS.length - 1]?.id ?? 0;
    const extra: Migration[] = [
      ...MIGRATIONS,
      { id: last + 1, name: 'good', sql: 'CREATE TABLE good (x INTEGER) STRICT;' },
      {
        id: last + 2,
        name: 'bad',
        sql: 'CREATE TABLE half (x INTEGER) STRICT; SELECT no_such_function();',
      },
    ];
    expect(() => migrate(db, extra)).toThrow(/no_such_function/);
    expect(migrationStatus(db, extra).pending.map((m) => m.name)).toEqual(['bad']);
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .pluck()
      .all() as string[];
    expect(tables).toContain('good');
    expect(tables).not.toContain('half');
  });

  it('accepts a gap in the numbering (a migration written on another branch) but refuses a list out of order', () => {
    const m = (id: number): Migration => ({
      id,
      name: `m${id}`,
      sql: `CREATE TABLE t${id} (x INTEGER) STRICT;`,
    });
    const db = openDatabase(':memory:');
    expect(migrate(db, [m(1), m(3)]).map((x) => x.id)).toEqual([1, 3]);
    expect(migrate(db, [m(1), m(2), m(3)]).map((x) => x.id)).toEqual([2]);
    expect(() => migrate(openDatabase(':memory:'), [m(1), m(3), m(2)])).toThrow(
      'migration list is broken: position 3 holds migration 2',
    );
    expect(() => migrate(openDatabase(':memory:'), [m(2)])).toThrow(
      'migration list is broken: position 1 holds migration 2',
    );
  });

  it('reports pending migrations to read-only callers', () => {
    const db = openDatabase(':memory:');
    expect(() => assertCurrentSchema(db)).toThrow(PendingMigrationError);
    migrate(db);
    expect(() => assertCurrentSchema(db)).not.toThrow();
  });
});

describe('openDatabase', () => {
  it('turns on WAL and foreign keys for a file', () => {
    const file = path.join(tempDir(), 'a.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    db.close();
    const full = openDatabase(file, { synchronous: 'full' });
    expect(full.pragma('synchronous', { simple: true })).toBe(2);
    full.close();
  });

  it('enforces foreign keys', () => {
    const db = migrated();
    expect(() =>
      db
        .prepare(
          `INSERT INTO scenarios (project_id, name, created_at) VALUES (99, 'x', '2026-01-01T00:00:00.000Z')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('says clearly when a file is missing or not a database', () => {
    const dir = tempDir();
    expect(() => openDatabase(path.join(dir, 'missing.db'), { fileMustExist: true })).toThrow(
      NotFoundError,
    );
    expect(fs.existsSync(path.join(dir, 'missing.db'))).toBe(false);
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(
      junk,
      'this is not sqlite, just text that is long enough to fill a header '.repeat(10),
    );
    expect(() => openDatabase(junk)).toThrow(NotADatabaseError);
  });
});
