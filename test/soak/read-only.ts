import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { seededDb } from './fixtures';
import { NOBODY, startServer, tellingLine, ServerStartError, type Server } from './processes';
import { boolRow, skipRow, type SoakRow } from './report';
import { ensureProjects, loadTemplates, saveScenario, type Template } from './saves';
import { send, signIn, withCookiesOf, type Client } from './session';

const PART = '2 read-only database';

/** A stack trace line ("    at fn (file.js:1:2)") or an SQLite code: not a plain message. */
const UNPLAIN = /^\s*at .+:\d+:\d+\)?$|SQLITE_[A-Z]/m;

/** What the setup saved: a scenario with two versions; the first one's result is not cached. */
interface Fixture {
  template: Template;
  scenarioId: number;
  firstVersionId: number;
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Why this part cannot run here, or null: it needs root and setpriv to become `nobody`. */
function cannotRun(): string | null {
  if (process.getuid?.() !== 0) return 'needs root, to run the server as nobody (setpriv)';
  if (spawnSync('setpriv', ['--version']).status !== 0) return 'needs setpriv (util-linux)';
  return null;
}

/** Seeds the database, saves a scenario twice, and drops the cached result of its first version. */
async function prepare(dir: string): Promise<{ db: string; fx: Fixture }> {
  const template = loadTemplates()[0]!;
  let fx: Fixture | null = null;
  const db = await seededDb(dir, 'read-only-source.db', async (client) => {
    await ensureProjects(client, [template]);
    const first = await saveScenario(client, template, 'read-only v');
    const changed = {
      ...template,
      file: { ...template.file, scenario: { ...template.file.scenario, description: 'v2' } },
    };
    const second = await saveScenario(client, changed, 'read-only v');
    if (first.kind !== 'ack' || second.kind !== 'ack') throw new Error('setup saves failed');
    const v = await send(client, `/api/v1/versions/${second.ack.versionId}`);
    if (v.status !== 200) throw new Error(`setup: GET the saved version: ${v.status}`);
    const { version } = (await v.json()) as { version: { scenarioId: number } };
    fx = { template, scenarioId: version.scenarioId, firstVersionId: first.ack.versionId };
  });
  // A read that must compute a result it cannot store (as after an engine upgrade).
  const raw = new Database(db);
  raw
    .prepare(
      'DELETE FROM results_cache WHERE inputs_hash = (SELECT inputs_hash FROM scenario_versions WHERE id = ?)',
    )
    .run(fx!.firstVersionId);
  raw.close();
  return { db, fx: fx! };
}

/**
 * How the database is made read-only for `nobody`. `file`: the file is root's, mode 0644, in a
 * directory nobody owns (SQLite may create its -wal and -shm there). `dir`: the directory is
 * root's too; SQLite cannot read a WAL database there unless its -wal and -shm files exist, so
 * they are left as a running server leaves them (root's, 0644).
 */
type Variant = 'file' | 'dir';

/** Copies `source` into a fresh directory set up as `variant`; returns the copy's path. */
function readOnlyCopy(source: string, dir: string, variant: Variant): string {
  const roDir = path.join(dir, `read-only-${variant}`);
  fs.mkdirSync(roDir, { mode: 0o755 });
  fs.chmodSync(roDir, 0o755);
  const db = path.join(roDir, 'read-only.db');
  fs.copyFileSync(source, db);
  if (variant === 'dir') {
    // Copies of the side files taken while a connection has them open, put back after it closes.
    const conn = new Database(db);
    conn.prepare('SELECT count(*) FROM scenario_versions').get();
    for (const side of ['-wal', '-shm']) fs.copyFileSync(db + side, `${db + side}.keep`);
    conn.close();
    for (const side of ['-wal', '-shm']) fs.renameSync(`${db + side}.keep`, db + side);
  } else {
    fs.chownSync(roDir, NOBODY, NOBODY);
  }
  for (const f of fs.readdirSync(roDir)) {
    fs.chownSync(path.join(roDir, f), 0, 0);
    fs.chmodSync(path.join(roDir, f), 0o644);
  }
  return db;
}

/** Every file in the directory with its hash, as one string to compare before and after. */
function snapshot(dir: string, variant: Variant): string {
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      // In `file`, SQLite may create an empty -wal and a -shm (shared memory, not data) itself.
      if (variant === 'file' && f.endsWith('-shm')) return '';
      if (variant === 'file' && f.endsWith('-wal') && fs.statSync(file).size === 0) return '';
      return `${f}:${sha256(file)}`;
    })
    .filter((x) => x !== '')
    .join(',');
}

/** True when `nobody` cannot open the file for writing (nor, for `dir`, create a file beside it). */
function nobodyCannotWrite(db: string, variant: Variant): boolean {
  const beside =
    variant === 'dir'
      ? `try{fs.writeFileSync(${JSON.stringify(`${db}-probe`)},'x');w++}catch{}`
      : '';
  const probe = `const fs=require('fs');let w=0;try{fs.openSync(${JSON.stringify(db)},'r+');w++}catch{}${beside}process.exit(w)`;
  const r = spawnSync(
    'setpriv',
    [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', probe],
    { stdio: 'ignore' },
  );
  return r.status === 0;
}

/**
 * GETs a page as the signed-in client and follows its redirects within the site (`/fiscal` leads
 * to the default portfolio's fiscal page), except one to the sign-in form.
 * @returns null for a 200, else the status and where it went wrong (`303 to /login`)
 */
async function readProblem(client: Client, url: string): Promise<string | null> {
  let at = url;
  for (let hops = 0; hops < 5; hops++) {
    const res = await send(client, at);
    await res.arrayBuffer();
    const to = res.headers.get('location');
    if (res.status === 200) return null;
    if (res.status < 300 || res.status > 399 || !to) return String(res.status);
    const next = new URL(to, client.base);
    if (next.origin !== new URL(client.base).origin) return `${res.status} off the site`;
    if (next.pathname === '/login') return `${res.status} to /login`;
    at = next.pathname + next.search;
  }
  return 'too many redirects';
}

/**
 * GETs each page as the signed-in client; the ones that did not answer 200, with their status (a
 * 303 to /login is a failed read, never the sign-in page's 200).
 */
async function failedReads(client: Client, urls: string[]): Promise<string[]> {
  const failed: string[] = [];
  for (const url of urls) {
    const problem = await readProblem(client, url);
    if (problem !== null) failed.push(`${url} ${problem}`);
  }
  return failed;
}

/**
 * A form post with the page's CSRF token and the session's cookies, as a signed-in browser sends
 * it; a form page that does not answer 200 gives its own answer (so the row fails with its status).
 */
async function formPost(client: Client, formPage: string, action: string): Promise<Response> {
  const page = await send(client, formPage);
  const html = await page.text();
  if (page.status !== 200) return new Response(html, { status: page.status });
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return send(withCookiesOf(client, page), action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, comment: '' }).toString(),
  });
}

/** One write attempt: 503 with a plain message is the target. */
async function writeRow(label: string, send: () => Promise<Response>): Promise<SoakRow> {
  const res = await send();
  const text = await res.text();
  let message = text;
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '';
  } catch {
    // An HTML page: the message is somewhere in it; the whole page is checked for plainness.
  }
  const plain = message.trim() !== '' && !UNPLAIN.test(text);
  return {
    part: PART,
    check: `write refused: ${label}`,
    figure: String(res.status),
    target: '503, plain message',
    ok: res.status === 503 && plain,
    note: res.status === 503 && !plain ? 'the answer is not a plain message' : undefined,
  };
}

/**
 * The writes tried against the read-only server as the signed-in approver (who may make each of
 * them, so a refusal can only come from the database): API saves, a restore, a form post.
 */
function writes(client: Client, fx: Fixture): Array<[string, () => Promise<Response>]> {
  const json = (url: string, body: unknown) => () =>
    send(client, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const file = fx.template.file;
  return [
    [
      'POST /api/v1/projects/:code/scenarios',
      json(`/api/v1/projects/${fx.template.code}/scenarios`, {
        ...file,
        scenario: { ...file.scenario, name: 'read-only new' },
      }),
    ],
    [
      'POST /api/v1/projects (new project)',
      json('/api/v1/projects', {
        ...file,
        project: { ...(file.project as object), code: 'SOAK-READ-ONLY' },
      }),
    ],
    [
      'POST /api/v1/versions/:id/restore',
      json(`/api/v1/versions/${fx.firstVersionId}/restore`, {}),
    ],
    [
      'form POST /versions/:id/restore',
      () =>
        formPost(
          client,
          `/scenarios/${fx.scenarioId}/history`,
          `/versions/${fx.firstVersionId}/restore`,
        ),
    ],
  ];
}

/**
 * Part 2: the server runs as `nobody` on a database it truly cannot write (as root, file modes do
 * not stop a write), once with only the file read-only and once with its directory too. Reads
 * answer 200 (also one whose result is not cached), writes 503 with a plain message, and nothing
 * in the files changes.
 */
export async function readOnly(dir: string): Promise<SoakRow[]> {
  const why = cannotRun();
  if (why) return [skipRow(PART, 'read-only database', why)];
  const { db: source, fx } = await prepare(dir);
  const rows: SoakRow[] = [];
  for (const variant of ['file', 'dir'] as const)
    rows.push(...(await variantRows(readOnlyCopy(source, dir, variant), variant, fx)));
  return rows;
}

/** The checks on one read-only copy, each labelled with its variant. */
async function variantRows(db: string, variant: Variant, fx: Fixture): Promise<SoakRow[]> {
  const label = variant === 'file' ? '[file 0644]' : '[file + dir]';
  const row = (r: SoakRow): SoakRow => ({ ...r, check: `${label} ${r.check}` });
  const roDir = path.dirname(db);
  const before = snapshot(roDir, variant);
  const rows: SoakRow[] = [
    boolRow(PART, 'setup: nobody cannot write it', nobodyCannotWrite(db, variant)),
  ];
  let server: Server;
  try {
    server = await startServer(db, { asNobody: true });
  } catch (err) {
    const out = err instanceof ServerStartError ? (err.finished?.output ?? '') : String(err);
    rows.push(boolRow(PART, 'the server starts and serves', false, tellingLine(out).slice(0, 160)));
    return rows.map(row);
  }
  const reads = [
    '/',
    '/fiscal',
    `/scenarios/${fx.scenarioId}`,
    `/scenarios/${fx.scenarioId}/history`,
    `/versions/${fx.firstVersionId}`,
    '/api/v1/projects',
    `/api/v1/versions/${fx.firstVersionId}/result`,
  ];
  // Signing in works on a read-only database: the session is kept in the server's memory.
  let client: Client;
  try {
    client = await signIn(server.base);
  } catch (err) {
    rows.push(boolRow(PART, 'sign-in through the form', false, (err as Error).message));
    await server.stop();
    return rows.map(row);
  }
  rows.push(boolRow(PART, 'sign-in through the form (session in memory)', true));
  const failedBefore = await failedReads(client, reads);
  rows.push({
    part: PART,
    check: 'reads answering 200 (one result not cached)',
    figure: `${reads.length - failedBefore.length}/${reads.length}`,
    target: `${reads.length}/${reads.length}`,
    ok: failedBefore.length === 0,
    note: failedBefore.length > 0 ? failedBefore.join('; ') : undefined,
  });
  for (const [what, attempt] of writes(client, fx)) rows.push(await writeRow(what, attempt));
  const failedAfter = await failedReads(client, reads);
  rows.push(
    boolRow(
      PART,
      'reads still answer 200 after the writes',
      failedAfter.length === 0,
      failedAfter.join('; ') || undefined,
    ),
  );
  await server.stop();
  rows.push(
    boolRow(PART, 'nothing written (files unchanged)', snapshot(roDir, variant) === before),
  );
  return rows.map(row);
}
