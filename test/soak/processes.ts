import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';

/** dist/test/soak → dist: the compiled server and command line sit next to this suite. */
const DIST = path.resolve(__dirname, '..', '..');
export const SERVER_JS = path.join(DIST, 'src', 'web', 'server.js');
export const CLI_JS = path.join(DIST, 'src', 'cli', 'main.js');

/** uid/gid of `nobody`: the read-only part runs the server as this user. */
export const NOBODY = 65534;

/** Every child still running, so the hard stop can end them all (by their own pid). */
const live = new Set<ChildProcess>();

/** SIGKILLs every child this suite started and has not yet seen exit. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** What a finished child left behind. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** A child process whose stdout and stderr are collected (the last 256 KB) as it runs. */
export interface Child {
  proc: ChildProcess;
  output(): string;
  stderr(): string;
  exited: Promise<Finished>;
}

const KEEP_CHARS = 256 * 1024;

/**
 * Starts `node SCRIPT ARGS` with the given environment, as `nobody` through setpriv when asked.
 * Only 127.0.0.1 is served: HOST is always set to it.
 */
export function startNode(
  script: string,
  args: string[],
  env: Record<string, string>,
  asNobody = false,
): Child {
  const argv = [script, ...args];
  const [command, commandArgs] = asNobody
    ? [
        'setpriv',
        [
          `--reuid=${NOBODY}`,
          `--regid=${NOBODY}`,
          '--clear-groups',
          '--inh-caps=-all',
          process.execPath,
          ...argv,
        ],
      ]
    : [process.execPath, argv];
  const proc = spawn(command, commandArgs, {
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  let out = '';
  let err = '';
  const keep = (s: string) => (s.length > KEEP_CHARS ? s.slice(-KEEP_CHARS) : s);
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out = keep(out + d)));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err = keep(err + d);
    out = keep(out + d);
  });
  const exited = new Promise<Finished>((resolve) => {
    proc.once('error', (e) => {
      live.delete(proc);
      resolve({ code: null, signal: null, output: `${out}${e.message}\n` });
    });
    proc.once('close', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal, output: out });
    });
  });
  return { proc, output: () => out, stderr: () => err, exited };
}

/** Runs the fundmix command line to its end (at most `timeoutMs`, then SIGKILL). */
export async function runCli(args: string[], timeoutMs = 60_000): Promise<Finished> {
  const child = startNode(CLI_JS, args, { LOG_LEVEL: 'warn' });
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), timeoutMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** `fundmix audit verify --db FILE`: ok when it exits 0; `line` is its first output line. */
export async function auditVerify(db: string): Promise<{ ok: boolean; line: string }> {
  const r = await runCli(['audit', 'verify', '--db', db]);
  const line = r.output.split('\n').find((l) => l.trim() !== '') ?? '(no output)';
  return { ok: r.code === 0, line: line.trim() };
}

/** SQLite's own `PRAGMA integrity_check` on the file (opened read-only): 'ok' or the first problem. */
export function integrityCheck(db: string): string {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return String(conn.pragma('integrity_check', { simple: true }));
  } catch (err) {
    return (err as Error).message;
  } finally {
    conn.close();
  }
}

/** The line of `output` that tells most: the first naming an error, else the first one. */
export function tellingLine(output: string): string {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  return (lines.find((l) => /^\w*Error\b/.test(l.trim())) ?? lines[0] ?? '(no output)').trim();
}

/** The port in the server's "serving http://host:PORT" log line, once it has appeared. */
export function servedPort(output: string): number | null {
  const m = /serving http:\/\/[^\s:/]+:(\d+)/.exec(output);
  return m ? Number(m[1]) : null;
}

/** A FundMix server started by this suite on an ephemeral port of 127.0.0.1. */
export interface Server extends Child {
  port: number;
  base: string;
  /** SIGTERM and wait: the server closes the database cleanly. */
  stop(): Promise<Finished>;
  /** SIGKILL and wait: nothing gets to run in the server after this. */
  kill(): Promise<Finished>;
}

/** Why a server did not start: its exit status and what it printed. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly finished: Finished | null,
  ) {
    super(message);
    this.name = 'ServerStartError';
  }
}

/**
 * Starts `node dist/src/web/server.js` on FUNDMIX_DB=`db`, PORT=0, and resolves once it logs the
 * port it serves. Rejects with ServerStartError when it exits first or takes over `readyMs`.
 */
export async function startServer(
  db: string,
  opts: { asNobody?: boolean; readyMs?: number } = {},
): Promise<Server> {
  const child = startNode(
    SERVER_JS,
    [],
    { FUNDMIX_DB: db, PORT: '0', LOG_LEVEL: 'info' },
    opts.asNobody,
  );
  const port = await new Promise<number>((resolve, reject) => {
    const poll = setInterval(() => {
      const p = servedPort(child.output());
      if (p !== null) done(() => resolve(p));
    }, 20);
    const timer = setTimeout(() => {
      child.proc.kill('SIGKILL');
      done(() => reject(new ServerStartError('the server did not start in time', null)));
    }, opts.readyMs ?? 30_000);
    const done = (f: () => void) => {
      clearInterval(poll);
      clearTimeout(timer);
      f();
    };
    void child.exited.then((fin) =>
      done(() =>
        reject(new ServerStartError(`the server exited (${fin.code ?? fin.signal})`, fin)),
      ),
    );
  });
  const signalled = (sig: NodeJS.Signals) => () => {
    child.proc.kill(sig);
    return child.exited;
  };
  return {
    ...child,
    port,
    base: `http://127.0.0.1:${port}`,
    stop: signalled('SIGTERM'),
    kill: signalled('SIGKILL'),
  };
}
