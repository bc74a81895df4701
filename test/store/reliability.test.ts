import path from 'node:path';
import { backupDatabase, createStore, importFiles, openDatabase, type Db } from '../../src/store';
import { exited, onLines, spawnTs } from './helpers/child';
import { fileStore, rows, scenarioInput, steppingClock, tempDir } from './helpers/fixtures';

const BURST = path.join(__dirname, 'helpers', 'save-burst.ts');

interface Ack {
  code: string;
  versionNo: number;
  hash: string;
}

/** Starts the save burst and resolves once `n` saves were acknowledged, with the acks so far. */
function burst(file: string) {
  const child = spawnTs(BURST, { FUNDMIX_BURST_DB: file });
  const acks: Ack[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  onLines(child, (line) => {
    const m = /^ack (\S+) (\d+) ([0-9a-f]{64})$/.exec(line);
    if (m) acks.push({ code: m[1]!, versionNo: Number(m[2]), hash: m[3]! });
    for (const w of waiters.filter((x) => acks.length >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const exit = exited(child);
  const after = (n: number) =>
    Promise.race([
      new Promise<void>((resolve) => (acks.length >= n ? resolve() : waiters.push({ n, resolve }))),
      exit.then(({ code, signal }) => {
        throw new Error(`save burst ended early (code ${code}, signal ${signal}): ${stderr}`);
      }),
    ]);
  return { child, acks, after, exit };
}

function checkIntact(db: Db, acks: readonly Ack[]): void {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  const stored = new Map(
    rows(
      db,
      `SELECT p.code, v.version_no, v.inputs_hash FROM scenario_versions v JOIN scenarios s ON s.id = v.scenario_id JOIN projects p ON p.id = s.project_id`,
    ).map((r) => [`${String(r.code)} ${String(r.version_no)}`, r.inputs_hash]),
  );
  const lost = acks.filter((a) => stored.get(`${a.code} ${a.versionNo}`) !== a.hash);
  expect(lost).toEqual([]);
  // Every version row is whole: its inputs hash and its audit entry check out.
  const report = createStore(db, { clock: steppingClock() }).audit.verify();
  expect(report.problems).toEqual([]);
}

describe('reliability of a file database', () => {
  it('keeps every acknowledged save and no half-written version when the writer is killed with SIGKILL', async () => {
    const dir = tempDir();
    const { db, file } = fileStore(dir);
    db.close();
    const run = burst(file);
    await run.after(150 + Math.floor(Math.random() * 150));
    run.child.kill('SIGKILL');
    expect((await run.exit).signal).toBe('SIGKILL');
    const after = openDatabase(file, { fileMustExist: true });
    try {
      checkIntact(after, run.acks);
      const versions = after
        .prepare('SELECT COUNT(*) FROM scenario_versions')
        .pluck()
        .get() as number;
      // At most the one save that committed but was killed before it could print its ack.
      expect(versions - run.acks.length).toBeGreaterThanOrEqual(0);
      expect(versions - run.acks.length).toBeLessThanOrEqual(1);
    } finally {
      after.close();
    }
  });

  it('backs up online and lets a second process write while another is saving', async () => {
    const dir = tempDir();
    const { db, file } = fileStore(dir);
    db.close();
    const run = burst(file);
    await run.after(50);

    const mine = openDatabase(file, { fileMustExist: true });
    const store = createStore(mine, { clock: steppingClock() });
    const report = importFiles(
      store,
      [{ name: 'x.json', text: JSON.stringify(scenarioInput('OTHER', 'Parallel')) }],
      { actor: 'second process' },
    );
    expect(report.versionsCreated).toBe(1);
    const backupFile = path.join(dir, 'online.db');
    await backupDatabase(mine, backupFile);
    await run.after(run.acks.length + 50);
    run.child.kill('SIGKILL');
    await run.exit;

    const copy = openDatabase(backupFile, { fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(createStore(copy, { clock: steppingClock() }).audit.verify().problems).toEqual([]);
      const inCopy = copy.prepare('SELECT COUNT(*) FROM scenario_versions').pluck().get() as number;
      expect(inCopy).toBeGreaterThan(50);
      expect(inCopy).toBeLessThan(run.acks.length + 1);
    } finally {
      copy.close();
    }
    checkIntact(mine, run.acks);
    expect(store.scenarios.get('OTHER', 'Parallel').currentVersionNo).toBe(1);
    mine.close();
  });
});
