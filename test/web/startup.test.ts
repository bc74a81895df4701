import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { MIGRATIONS, migrate, openDatabase, seedDemoIfEmpty } from '../../src/store';
import { exited, onLines, spawnTs } from '../store/helpers/child';
import { corruptDataPages } from '../store/helpers/damage';
import { fileStore, tempDir } from '../store/helpers/fixtures';
import { smallInput } from '../helpers/scenarios';
import { DEMO_DIR } from './support/app';

/**
 * Issue 8, defect 4: `npm start` (src/web/server.ts) checks the database before it serves and,
 * when it cannot serve, says so in one plain line on stderr and exits 1. Each case spawns the
 * server as it runs from `npm start`.
 */

const SERVER = path.join(__dirname, '..', '..', 'src', 'web', 'server.ts');
const RESTORE = 'restore a backup with `fundmix restore PATH`';
const canDropRoot = process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv');
const asNobody = canDropRoot ? it : it.skip;

jest.setTimeout(120_000);

let good: string;
beforeAll(() => {
  const { db, store, file } = fileStore(tempDir(), 'seeded.db', {
    engine: { simulate, version: ENGINE_VERSION },
  });
  seedDemoIfEmpty(store, DEMO_DIR);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  good = file;
});

/** A copy of the seeded database in a new directory (mode 0777 so user nobody may use it). */
/** Signs in through the form of a running server; the cookies of the signed-in browser. */
async function signIn(base: string, username: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      jar.set(name!, value!);
    }
  };
  const header = () => [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
  const form = await fetch(`${base}/login`);
  keep(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ _csrf: token, username, password }).toString(),
  });
  expect(res.status).toBe(303);
  keep(res);
  return header();
}

function copyOfGood(name = 'fundmix.db'): string {
  const dir = tempDir('fundmix-start-');
  fs.chmodSync(dir, 0o777);
  const file = path.join(dir, name);
  fs.copyFileSync(good, file);
  fs.chmodSync(file, 0o644);
  return file;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the server and waits until it exits (the failing cases). */
async function start(env: Record<string, string>, asNobodyUser = false): Promise<Run> {
  const child = spawnTs(
    SERVER,
    { PORT: '0', HOST: '127.0.0.1', FUNDMIX_LOG_FORMAT: 'plain', ...env },
    { asNobody: asNobodyUser },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const { code } = await exited(child);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Starts the server and resolves with its first stdout line and a way to stop it. */
function serve(env: Record<string, string>, asNobodyUser = false) {
  const child = spawnTs(
    SERVER,
    { PORT: '0', HOST: '127.0.0.1', ...env },
    { asNobody: asNobodyUser },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = exited(child);
  const first = new Promise<string>((resolve, reject) => {
    onLines(child, resolve);
    void exit.then(({ code }) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    return exit;
  };
  running.add(child);
  void exit.then(() => running.delete(child));
  return { first, stop, stderr: () => stderr };
}

/** Servers a failed test left running. */
const running = new Set<{ kill(signal: NodeJS.Signals): boolean }>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** The one line a failed start prints, checked to be alone and free of stack frames. */
function onlyLine(run: Run): string {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toContain('    at ');
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('npm start refuses a database it cannot serve, in one plain line, exit 1', () => {
  it('a file that is not a database', async () => {
    const file = path.join(tempDir(), 'fundmix.db');
    fs.writeFileSync(file, 'This is a shopping list, not a database.\n'.repeat(200));
    expect(onlyLine(await start({ FUNDMIX_DB: file }))).toBe(
      `FundMix cannot start: ${file} is not a FundMix database (file is not a database): ${RESTORE}, or set FUNDMIX_DB to the right file`,
    );
  });

  it('a database whose data pages are damaged (header intact)', async () => {
    const file = copyOfGood();
    // Pages of a data table (not of the schema or the migrations list): the file is FundMix's, damaged.
    corruptDataPages(file, 'results_cache');
    const before = fs.readFileSync(file);
    expect(onlyLine(await start({ FUNDMIX_DB: file }))).toBe(
      `FundMix cannot start: ${file} is damaged (database disk image is malformed): ${RESTORE}`,
    );
    // Nothing was written to it.
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('a database written by a newer FundMix (unknown migration)', async () => {
    const file = copyOfGood();
    const db = openDatabase(file);
    db.prepare(`INSERT INTO schema_migrations VALUES (99, 'from-the-future', '2030-01-01')`).run();
    db.close();
    expect(onlyLine(await start({ FUNDMIX_DB: file }))).toBe(
      `FundMix cannot start: ${file} was written by a newer FundMix (migrations 0099-from-the-future are unknown to this version): upgrade FundMix, or set FUNDMIX_DB to another file`,
    );
  });

  it('a port another program listens on', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      expect(onlyLine(await start({ FUNDMIX_DB: copyOfGood(), PORT: String(port) }))).toBe(
        `FundMix cannot start: Port ${port} is already in use: stop the program using it, or set PORT to a free port`,
      );
    } finally {
      busy.close();
    }
  });

  asNobody('a database directory the user cannot write', async () => {
    const file = copyOfGood();
    fs.chmodSync(file, 0o666);
    fs.chmodSync(path.dirname(file), 0o755);
    expect(onlyLine(await start({ FUNDMIX_DB: file }, true))).toBe(
      `FundMix cannot start: ${file} cannot be used: its directory ${path.dirname(file)} is not writable for this user, and SQLite must create fundmix.db-wal and -shm beside it; make the directory writable, or set FUNDMIX_DB to a file in a writable directory`,
    );
  });

  asNobody('a read-only database that still needs migrations', async () => {
    const dir = tempDir('fundmix-start-');
    fs.chmodSync(dir, 0o777);
    const file = path.join(dir, 'old.db');
    const db = openDatabase(file);
    migrate(db, MIGRATIONS.slice(0, 1));
    db.close();
    expect(onlyLine(await start({ FUNDMIX_DB: file }, true))).toBe(
      `FundMix cannot start: ${file} is read-only (the file is not writable for this user) and needs ${MIGRATIONS.length - 1} migration(s) before it can be served: make it writable for this user, or run \`fundmix db migrate\` as a user who may write it`,
    );
  });
});

describe('npm start serving', () => {
  asNobody(
    'serves read-only in a directory the user cannot write when the WAL files are there',
    async () => {
      const file = copyOfGood();
      // A connection of another user keeps fundmix.db-wal and -shm beside the file.
      const owner = openDatabase(file);
      owner.pragma('schema_version');
      try {
        for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.chmodSync(f, 0o644);
        fs.chmodSync(path.dirname(file), 0o755);
        const server = serve({ FUNDMIX_DB: file, FUNDMIX_LOG_FORMAT: 'plain' }, true);
        const line = await server.first;
        const m = /^FundMix is serving http:\/\/localhost:(\d+) with (.*)$/.exec(line);
        expect(m?.[2]).toBe(
          `${file} read-only (its directory is not writable for this user): writes answer 503`,
        );
        expect((await fetch(`http://127.0.0.1:${m![1]}/`)).status).toBe(200);
        expect(await server.stop()).toEqual({ code: 0, signal: null });
      } finally {
        owner.close();
      }
    },
  );

  asNobody(
    'serves a read-only, fully migrated database read-only: pages 200, writes 503',
    async () => {
      const file = copyOfGood();
      const before = fs.readFileSync(file);
      const server = serve({ FUNDMIX_DB: file, FUNDMIX_LOG_FORMAT: 'plain' }, true);
      const line = await server.first;
      const m = /^FundMix is serving http:\/\/localhost:(\d+) with (.*)$/.exec(line);
      expect(m?.[2]).toBe(
        `${file} read-only (the file is not writable for this user): writes answer 503`,
      );
      const base = `http://127.0.0.1:${m![1]}`;
      // Signing in works although nothing can be written: the session is kept in memory.
      const cookie = await signIn(base, 'analyst', 'demo-analyst-2026');
      expect((await fetch(`${base}/`, { headers: { cookie } })).status).toBe(200);
      const write = await fetch(`${base}/api/v1/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(smallInput()),
      });
      expect(write.status).toBe(503);
      expect(((await write.json()) as { error: { code: string } }).error.code).toBe(
        'storage-unavailable',
      );
      expect(await server.stop()).toEqual({ code: 0, signal: null });
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(server.stderr()).toBe('');
    },
  );

  it('prints plain lines with FUNDMIX_LOG_FORMAT=plain, JSON records when stdout is no terminal', async () => {
    const file = copyOfGood();
    const plain = serve({ FUNDMIX_DB: file, FUNDMIX_LOG_FORMAT: 'plain' });
    const line = await plain.first;
    expect(line).toMatch(/^FundMix is serving http:\/\/localhost:\d+ with /);
    expect(line).toBe(
      `FundMix is serving http://localhost:${/:(\d+) /.exec(line)![1]} with ${file}`,
    );
    expect(await plain.stop()).toEqual({ code: 0, signal: null });

    const json = serve({ FUNDMIX_DB: file, FUNDMIX_LOG_FORMAT: '' });
    const record = JSON.parse(await json.first) as { level: number; msg: string; port: number };
    expect(record.level).toBe(30);
    expect(record.msg).toBe(`FundMix is serving http://localhost:${record.port} with ${file}`);
    expect(await json.stop()).toEqual({ code: 0, signal: null });
  });
});
