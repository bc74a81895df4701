import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildProgram } from '../../src/cli/main';
import { createStore, migrate, MIGRATIONS, openDatabase, type Db } from '../../src/store';
import { behindTheBack, scenarioInput, steppingClock, tempDir } from '../store/helpers/fixtures';
import { MAX_IMPORT_FILE_BYTES } from '../../src/cli/commands/input-files';
import { runStoreCli } from '../store/helpers/cli';
import { guardFifos, mkfifo } from '../store/helpers/fifo';

const DEMO = path.join(__dirname, '..', 'fixtures', 'store', 'demo');

function write(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

/** Every file under `dir` with its bytes, by relative path. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function withDb<T>(file: string, fn: (db: Db) => T): T {
  const db = openDatabase(file, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const count = (file: string, table: string) =>
  withDb(file, (db) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number);

let dir: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runStoreCli(args, { env, cwd: dir });

beforeEach(() => {
  dir = tempDir('fundmix-cli-');
  env = { FUNDMIX_DB: path.join(dir, 'data', 'fundmix.db'), FUNDMIX_ACTOR: 'tester' };
});

it('is registered in the fundmix program', () => {
  const names = buildProgram().commands.map((c) => c.name());
  expect(names).toEqual(
    expect.arrayContaining(['import', 'export', 'backup', 'restore', 'audit', 'db']),
  );
});

describe('fundmix db', () => {
  it('migrate creates the database, seeds the demo once, and reports when it is current', async () => {
    const first = await cli('db', 'migrate', '--demo-dir', DEMO);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toContain('Applied 0001-initial');
    expect(first.out).toContain('Seeded the demo programme: 3 projects, 6 scenarios, 2 portfolios');
    const again = await cli('db', 'migrate', '--demo-dir', DEMO);
    expect(again.out).toContain(`is up to date (${MIGRATIONS.length} migration(s))\n`);
    expect(count(env.FUNDMIX_DB!, 'projects')).toBe(3);
    const status = await cli('db', 'status');
    expect(status.out).toContain('Projects 3, scenarios 6, versions 6, portfolios 2');
  });

  it('migrate seeds the real demo programme (data/demo/README.md): 12 projects, 29 scenarios, 3 portfolios', async () => {
    const real = path.join(__dirname, '..', '..', 'data', 'demo');
    const run = await cli('db', 'migrate', '--demo-dir', real);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toContain(
      'Seeded the demo programme: 12 projects, 29 scenarios, 3 portfolios\n',
    );
    expect((await cli('db', 'status')).out).toContain(
      'Projects 12, scenarios 29, versions 29, portfolios 3',
    );
  });

  it('migrate --no-demo leaves the database empty; --db overrides FUNDMIX_DB', async () => {
    const other = path.join(dir, 'other.db');
    expect((await cli('db', 'migrate', '--no-demo', '--db', 'other.db')).code).toBe(0);
    expect(count(other, 'projects')).toBe(0);
    expect(fs.existsSync(env.FUNDMIX_DB!)).toBe(false);
  });

  it('refuses a database from a newer FundMix with a clear message', async () => {
    await cli('db', 'migrate', '--no-demo');
    withDb(env.FUNDMIX_DB!, (db) =>
      db
        .prepare(
          `INSERT INTO schema_migrations VALUES (99, 'portfolio-budgets', '2030-01-01T00:00:00.000Z')`,
        )
        .run(),
    );
    for (const args of [
      ['db', 'migrate'],
      ['audit', 'verify'],
      ['import', 'x.json'],
    ]) {
      if (args[0] === 'import') write(dir, 'x.json', scenarioInput());
      const run = await cli(...args);
      expect(run.code).toBe(1);
      expect(run.err).toContain('error (unknown-migration)');
      expect(run.err).toContain('0099-portfolio-budgets');
      expect(run.err).toContain('Upgrade FundMix');
      expect(run.err).not.toMatch(/\n\s+at /);
    }
  });
});

describe('fundmix import / export', () => {
  it('imports files and directories, and export → import into an empty database reproduces every file byte for byte', async () => {
    write(dir, 'in/a.json', scenarioInput('P-A', 'Base'));
    write(
      dir,
      'in/b.json',
      scenarioInput('P-A', 'Base', (s) => (s.residualValueYuan = '10.00')),
    );
    write(dir, 'more/c.json', scenarioInput('P-B', '专项债 Bond'));
    const imported = await cli('import', 'in/a.json', '--comment', 'first cut');
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('in/a.json: P-A / Base: version 1 created');
    env.FUNDMIX_ACTOR = 'wang';
    const second = await cli('import', 'in/b.json', 'more');
    expect(second.out).toContain('in/b.json: P-A / Base: version 2 created');
    expect(second.out).toContain('more/c.json: P-B / 专项债 Bond: version 1 created');

    expect((await cli('export', '--out', 'out1')).code).toBe(0);
    const exported = tree(path.join(dir, 'out1'));
    expect(Object.keys(exported).sort()).toEqual(['P-A/Base.json', 'P-B/专项债-Bond.json']);
    const history = JSON.parse(exported['P-A/Base.json']!) as {
      versions: Array<{ author: string; comment: string }>;
    };
    expect(history.versions.map((v) => [v.author, v.comment])).toEqual([
      ['tester', 'first cut'],
      ['wang', 'Imported from in/b.json'],
    ]);

    env.FUNDMIX_DB = path.join(dir, 'copy.db');
    env.FUNDMIX_ACTOR = 'auditor';
    const back = await cli('import', 'out1');
    expect(back.code).toBe(0);
    expect(back.out).toContain('3 version(s), 2 new scenario(s), 2 new project(s)');
    expect((await cli('export', '--out', 'out2')).code).toBe(0);
    expect(tree(path.join(dir, 'out2'))).toEqual(exported);
    expect((await cli('audit', 'verify')).code).toBe(0);
  });

  it('exports one project', async () => {
    write(dir, 'a.json', scenarioInput('P-A'));
    write(dir, 'b.json', scenarioInput('P-B'));
    await cli('import', 'a.json', 'b.json');
    expect((await cli('export', '--project', 'P-B', '--out', 'only-b')).code).toBe(0);
    expect(Object.keys(tree(path.join(dir, 'only-b')))).toEqual(['P-B/Base-case.json']);
    const missing = await cli('export', '--project', 'NOPE', '--out', 'x');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('Project NOPE was not found');
  });

  it('rejects bad files with exit 2, lists every problem, and leaves no database behind', async () => {
    write(dir, 'good.json', scenarioInput('P-A'));
    write(
      dir,
      'bad.json',
      scenarioInput('P-B', 'Base', (s) => (s.operatingCost.annualYuan = '12,000')),
    );
    write(dir, 'broken.json', '{ "format": ');
    const run = await cli('import', 'good.json', 'bad.json', 'broken.json');
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toContain('Nothing was imported: 2 problem(s) found');
    expect(run.err).toContain('  - broken.json: Not valid JSON');
    expect(run.err).toContain(
      '  - bad.json: operatingCost.annualYuan: Operating cost must be a plain decimal number',
    );
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(env.FUNDMIX_DB!)).toBe(false);

    await cli('import', 'good.json');
    const before = count(env.FUNDMIX_DB!, 'audit_log');
    expect((await cli('import', 'bad.json')).code).toBe(2);
    expect(count(env.FUNDMIX_DB!, 'audit_log')).toBe(before);
  });

  it('names every file it cannot read', async () => {
    const run = await cli('import', 'nope-1.json', 'nope-2.json');
    expect(run.code).toBe(2);
    expect(run.err).toContain('  - nope-1.json: Cannot read it (ENOENT)');
    expect(run.err).toContain('  - nope-2.json: Cannot read it (ENOENT)');
  });

  it('reads regular files only: a FIFO in a directory is skipped and said so, one named is refused unopened', async () => {
    write(dir, 'in/good.json', scenarioInput('P-A'));
    fs.mkdirSync(path.join(dir, 'pipes'));
    const fifos = [path.join(dir, 'in', 'x.json'), path.join(dir, 'pipes', 'only.json')];
    fifos.forEach(mkfifo);

    const walked = await guardFifos(fifos, () => cli('import', 'in'));
    expect(walked.openedForReading).toEqual([]);
    expect(walked.result.err).toBe('skipped in/x.json: a FIFO (named pipe)\n');
    expect(walked.result.code).toBe(0);
    expect(walked.result.out).toContain('in/good.json: P-A / Base case: version 1 created');
    expect(walked.result.out).toContain('Imported 1 file(s)');

    const named = await guardFifos(fifos, () => cli('import', 'in/x.json', 'pipes'));
    expect(named.openedForReading).toEqual([]);
    expect(named.result.code).toBe(2);
    expect(named.result.err).toBe(
      'skipped pipes/only.json: a FIFO (named pipe)\n' +
        'Cannot read the files to import:\n' +
        '  - in/x.json: It is a FIFO (named pipe); only regular files are read\n' +
        '  - pipes: The directory holds no .json files\n',
    );
  });

  it('follows symbolic links to files, not into directories, and refuses a file over 32 MiB', async () => {
    write(dir, 'elsewhere/c.json', scenarioInput('P-C'));
    write(dir, 'elsewhere/deeper/d.json', scenarioInput('P-D'));
    fs.mkdirSync(path.join(dir, 'in'));
    fs.symlinkSync(path.join(dir, 'elsewhere', 'c.json'), path.join(dir, 'in', 'link.json'));
    fs.symlinkSync(path.join(dir, 'elsewhere', 'deeper'), path.join(dir, 'in', 'sub'));
    fs.symlinkSync(path.join(dir, 'gone.json'), path.join(dir, 'in', 'dangling.json'));
    const run = await cli('import', 'in');
    expect(run.err).toBe(
      'skipped in/dangling.json: a broken symbolic link\n' +
        'skipped in/sub: a symbolic link to a directory (not followed)\n',
    );
    expect(run.code).toBe(0);
    expect(run.out).toContain('in/link.json: P-C / Base case: version 1 created');
    expect(run.out).toContain('Imported 1 file(s)');

    // Sparse: the size is there without writing 32 MiB.
    fs.writeFileSync(path.join(dir, 'big.json'), '');
    fs.truncateSync(path.join(dir, 'big.json'), MAX_IMPORT_FILE_BYTES + 1);
    const big = await cli('import', 'big.json');
    expect(big.code).toBe(2);
    expect(big.err).toBe(
      'Cannot read the files to import:\n  - big.json: It is larger than 32 MiB\n',
    );
  });

  it.each([
    [['import'], /missing required argument 'files'/],
    [['export'], /required option '--out <dir>' not specified/],
    [['audit', 'verify', '--expect-head', 'nonsense'], /--expect-head: Write it as ID:HASH/],
    [['audit', 'log', '--limit', '0'], /--limit: Give a whole number/],
    [['backup'], /missing required argument 'path'/],
  ])('exits 2 on bad arguments: %j', async (args, message) => {
    await cli('db', 'migrate', '--no-demo');
    const run = await cli(...args);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
  });

  it('refuses to export into a non-empty directory or from a missing database', async () => {
    write(dir, 'full/x.txt', 'x');
    expect((await cli('export', '--out', 'empty')).err).toMatch(/Database file .* was not found/);
    await cli('db', 'migrate', '--no-demo');
    const run = await cli('export', '--out', 'full');
    expect(run.code).toBe(2);
    expect(run.err).toContain('must be empty');
  });
});

describe('fundmix audit', () => {
  beforeEach(async () => {
    await cli('db', 'migrate', '--demo-dir', DEMO);
  });

  it('verify exits 0 and prints the head to note down', async () => {
    const run = await cli('audit', 'verify');
    expect(run.code).toBe(0);
    const head = /Head: (\d+):([0-9a-f]{64})/.exec(run.out);
    expect(head).not.toBeNull();
    expect((await cli('audit', 'verify', '--expect-head', `${head![1]}:${head![2]}`)).code).toBe(0);
    const wrong = await cli('audit', 'verify', '--expect-head', `${head![1]}:${'0'.repeat(64)}`);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(
      `entry ${head![1]}: entry ${head![1]} no longer has the hash noted earlier`,
    );
  });

  it('verify fails naming the first broken entry after a behind-the-back edit', async () => {
    withDb(env.FUNDMIX_DB!, (db) =>
      behindTheBack(db, 'audit_log', () =>
        db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE id = 5`).run(),
      ),
    );
    const run = await cli('audit', 'verify');
    expect(run.code).toBe(1);
    expect(run.err).toContain('Audit verification FAILED');
    expect(run.err).toContain(
      '  - entry 5 (import scenario-version 2) was changed after it was written',
    );
    expect(run.err).toContain('error (audit-chain-broken): The history at');
    expect(run.err).toContain('fails verification from entry 5');
  });

  it('verify fails after a stored version is edited in SQL', async () => {
    withDb(env.FUNDMIX_DB!, (db) =>
      behindTheBack(db, 'scenario_versions', () =>
        db
          .prepare(
            `UPDATE scenario_versions SET inputs_json = json_set(inputs_json, '$.residualValueYuan', '1.00') WHERE id = 2`,
          )
          .run(),
      ),
    );
    const run = await cli('audit', 'verify');
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/the stored inputs of version 2 .* no longer match their hash/);
  });

  it('log prints the newest entries', async () => {
    const run = await cli('audit', 'log', '--limit', '2', '--entity', 'portfolio');
    expect(run.code).toBe(0);
    const lines = run.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d+\t\d{4}-.*Z\tfundmix-demo\tcreate portfolio 2\t\{/);
  });
});

describe('fundmix backup / restore', () => {
  beforeEach(async () => {
    await cli('db', 'migrate', '--demo-dir', DEMO);
  });

  it('backs up, and restore brings the backup back after saving the replaced database', async () => {
    const backup = await cli('backup', 'snap.db');
    expect(backup.code).toBe(0);
    expect(backup.out).toContain('integrity ok');
    // A self-contained file: rollback-journal header (byte 18 = 1, not WAL's 2), no -wal beside it.
    expect(fs.readFileSync(path.join(dir, 'snap.db'))[18]).toBe(1);
    expect(fs.existsSync(path.join(dir, 'snap.db-wal'))).toBe(false);
    expect((await cli('backup', 'snap.db')).code).toBe(2);

    write(dir, 'new.json', scenarioInput('P-NEW'));
    await cli('import', 'new.json');
    expect(count(env.FUNDMIX_DB!, 'projects')).toBe(4);

    env.FUNDMIX_ACTOR = 'ops';
    const restored = await cli('restore', 'snap.db');
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(
      /Saved the previous database as .*fundmix\.db\.before-restore-.*\.db/,
    );
    expect(count(env.FUNDMIX_DB!, 'projects')).toBe(3);
    const saved = /Saved the previous database as (.*)\n/.exec(restored.out)![1]!;
    expect(count(saved, 'projects')).toBe(4);
    withDb(env.FUNDMIX_DB!, (db) => {
      const store = createStore(db, { clock: steppingClock() });
      expect(store.audit.list({ limit: 1 })[0]).toMatchObject({
        actor: 'ops',
        action: 'restore',
        entity: 'database',
        details: { source: 'snap.db' },
      });
      expect(store.audit.verify().ok).toBe(true);
    });
    expect(fs.readdirSync(path.join(dir, 'data')).filter((f) => f.includes('.restore-'))).toEqual(
      [],
    );
  });

  it('refuses to restore a file that is not an intact FundMix database, leaving the database as it was', async () => {
    const before = count(env.FUNDMIX_DB!, 'audit_log');
    write(dir, 'junk.db', 'not a database at all '.repeat(50));
    const junk = await cli('restore', 'junk.db');
    expect(junk.code).toBe(2);
    expect(junk.err).toContain('junk.db is not a usable FundMix database');

    const foreign = openDatabase(path.join(dir, 'foreign.db'));
    foreign.exec('CREATE TABLE t (x INTEGER)');
    foreign.close();
    expect((await cli('restore', 'foreign.db')).err).toContain('was not written by FundMix');

    expect((await cli('restore', 'missing.db')).code).toBe(2);

    await cli('backup', 'tampered.db');
    withDb(path.join(dir, 'tampered.db'), (db) =>
      behindTheBack(db, 'audit_log', () =>
        db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE id = 3`).run(),
      ),
    );
    const tampered = await cli('restore', 'tampered.db');
    expect(tampered.code).toBe(1);
    expect(tampered.err).toContain('error (audit-chain-broken)');
    expect(tampered.err).toContain('from entry 3');

    const newer = openDatabase(path.join(dir, 'newer.db'));
    migrate(newer);
    newer
      .prepare(`INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00.000Z')`)
      .run();
    newer.close();
    expect((await cli('restore', 'newer.db')).err).toContain('error (unknown-migration)');

    expect(count(env.FUNDMIX_DB!, 'audit_log')).toBe(before);
    expect((await cli('audit', 'verify')).code).toBe(0);
    expect(
      fs
        .readdirSync(path.join(dir, 'data'))
        .filter((f) => f.includes('before-restore') || f.includes('.restore-')),
    ).toEqual([]);
  });

  /** Every file in data/ with a hash of its bytes: the live database and anything left beside it. */
  const dataFiles = () =>
    Object.fromEntries(
      fs
        .readdirSync(path.join(dir, 'data'))
        .sort()
        .map((f) => [f, sha256(fs.readFileSync(path.join(dir, 'data', f)))]),
    );

  /** A fresh backup, then altered by `sql`. */
  async function alteredBackup(name: string, sql: string): Promise<void> {
    expect((await cli('backup', name)).code).toBe(0);
    const db = new Database(path.join(dir, name));
    db.exec(sql);
    db.close();
  }

  it.each([
    ['DROP TABLE results_cache', 'table results_cache is missing'],
    ['DROP TRIGGER audit_log_no_update', 'trigger audit_log_no_update is missing'],
    ['DROP INDEX audit_log_by_entity', 'index audit_log_by_entity is missing'],
    [
      'ALTER TABLE projects ADD COLUMN note TEXT',
      'table projects differs from the one FundMix creates',
    ],
    ['CREATE TABLE extra (x INTEGER)', 'table extra is not part of the FundMix schema'],
  ])(
    'refuses a backup whose schema differs from what the migrations create (%s), touching nothing',
    async (sql, problem) => {
      await alteredBackup('altered.db', sql);
      const before = dataFiles();
      const run = await cli('restore', 'altered.db');
      expect(run.err).toBe(
        `error (backup-schema-mismatch): The backup ${path.join(dir, 'altered.db')} cannot be restored: ${problem}. Nothing was changed\n`,
      );
      expect(run.code).toBe(1);
      expect(dataFiles()).toEqual(before);
    },
  );

  it('restores a backup from an older FundMix: its schema is checked against its own migrations, then migrated', async () => {
    const older = openDatabase(path.join(dir, 'older.db'));
    migrate(older, MIGRATIONS.slice(0, 1));
    older.close();
    const run = await cli('restore', 'older.db');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`, ${MIGRATIONS.length - 1} migration(s) applied\n`);
    expect((await cli('db', 'status')).out).toContain(
      `Migrations applied: ${MIGRATIONS.map((m) => m.id).join(', ')}\n`,
    );

    const broken = openDatabase(path.join(dir, 'older-broken.db'));
    migrate(broken, MIGRATIONS.slice(0, 1));
    broken.exec('DROP TRIGGER scenario_versions_no_delete');
    broken.close();
    expect((await cli('restore', 'older-broken.db')).err).toContain(
      'cannot be restored: trigger scenario_versions_no_delete is missing. Nothing was changed',
    );
  });

  it('refuses to restore into a directory that does not exist', async () => {
    await cli('backup', 'snap.db');
    const run = await cli('restore', 'snap.db', '--db', 'nowhere/fundmix.db');
    expect(run.err).toBe(
      `Cannot restore:\n  - ${path.join(dir, 'nowhere', 'fundmix.db')}: The directory ${path.join(dir, 'nowhere')} does not exist\n`,
    );
    expect(run.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });

  it.each([
    ['the root page of audit_log', 'audit_log'],
    ['the pages of sqlite_master after the first', 'sqlite_master'],
  ])('refuses a backup with corrupted pages (%s), touching nothing', async (_what, table) => {
    expect((await cli('backup', 'corrupt.db')).code).toBe(0);
    const file = path.join(dir, 'corrupt.db');
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const pages = withDb(file, (db) => db.pragma('page_count', { simple: true }) as number);
    // Page numbers count from 1; page 1 holds the 100-byte header, which stays intact.
    const [from, to] =
      table === 'sqlite_master'
        ? [2, pages]
        : ((rootpage: number) => [rootpage, rootpage])(
            withDb(file, (db) =>
              db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = ?`).pluck().get(table),
            ) as number,
          );
    expect(from).toBeGreaterThan(1);
    bytes.fill(0xa5, (from - 1) * pageSize, to * pageSize);
    fs.writeFileSync(file, bytes);
    const before = dataFiles();
    const run = await cli('restore', 'corrupt.db');
    expect(run.err).toMatch(
      new RegExp(
        `^error \\(backup-damaged\\): The backup ${escape(file)} cannot be restored: it is damaged \\(.+\\)\\. Nothing was changed\n$`,
      ),
    );
    expect(run.code).toBe(1);
    expect(dataFiles()).toEqual(before);
  });

  it('refuses a directory, a FIFO or a missing file as the backup with exit 2, touching nothing', async () => {
    fs.mkdirSync(path.join(dir, 'folder'));
    const fifo = path.join(dir, 'pipe.db');
    mkfifo(fifo);
    const before = dataFiles();
    const folder = await cli('restore', 'folder');
    expect(folder.err).toBe(
      `${path.join(dir, 'folder')} is not a usable FundMix database:\n  - ${path.join(dir, 'folder')}: It is a directory, not a database file\n`,
    );
    expect(folder.code).toBe(2);
    const piped = await guardFifos([fifo], () => cli('restore', 'pipe.db'));
    expect(piped.openedForReading).toEqual([]);
    expect(piped.result.err).toContain(`${fifo}: It is a FIFO (named pipe), not a database file`);
    expect(piped.result.code).toBe(2);
    const missing = await cli('restore', 'missing.db');
    expect(missing.err).toBe(
      `error (not-found): Database file ${path.join(dir, 'missing.db')} was not found\n`,
    );
    expect(missing.code).toBe(2);
    expect(dataFiles()).toEqual(before);
  });

  it('backup refuses a directory, a FIFO, a path under a file and an unwritable place with a plain message', async () => {
    fs.mkdirSync(path.join(dir, 'folder'));
    const fifo = path.join(dir, 'pipe.db');
    mkfifo(fifo);
    write(dir, 'file.txt', 'x');
    for (const force of [[], ['--force']]) {
      const folder = await cli('backup', 'folder', ...force);
      expect(folder.err).toBe(
        `Cannot write the backup:\n  - ${path.join(dir, 'folder')}: It is a directory; give the name of a file to create\n`,
      );
      expect(folder.code).toBe(2);
      const piped = await guardFifos([fifo], () => cli('backup', 'pipe.db', ...force));
      expect(piped.result.err).toBe(
        `Cannot write the backup:\n  - ${fifo}: It is a FIFO (named pipe); give the name of a file to create\n`,
      );
      expect(piped.result.code).toBe(2);
    }
    const under = await cli('backup', 'file.txt/snap.db');
    expect(under.err).toBe(
      `Cannot write the backup:\n  - ${path.join(dir, 'file.txt', 'snap.db')}: ${path.join(dir, 'file.txt')} is not a directory\n`,
    );
    expect(under.code).toBe(2);
    // Not even root may create files in /proc.
    const proc = await cli('backup', '/proc/fundmix-snap.db');
    expect(proc.err).toMatch(
      /^(Cannot write the backup:\n {2}- \/proc\/fundmix-snap\.db: Cannot write into \/proc \(EACCES\)|error \(backup-failed\): Cannot write the backup to \/proc\/fundmix-snap\.db: .+)\n$/,
    );
    expect(proc.err).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
