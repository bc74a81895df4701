import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

/**
 * Transpiles .ts files on require with the installed `typescript` (no ts-node needed), so a
 * child process (or a worker thread started with `eval`) can run test helpers and src/ as they are.
 */
export const HOOK = `
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), {
  fileName: file,
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
}).outputText, file);
`;

/** `setpriv` arguments that run a command as user and group 65534 (nobody), without root's groups. */
export const AS_NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

/**
 * Runs a TypeScript file in a fresh `node` process with extra environment variables.
 * `asNobody`: as user nobody (through `setpriv`), so file permissions apply as they do to a
 * service account (root writes read-only files).
 */
export function spawnTs(
  script: string,
  env: Record<string, string>,
  opts: { asNobody?: boolean } = {},
): ChildProcessWithoutNullStreams {
  const args = ['-e', `${HOOK}\nrequire(${JSON.stringify(path.resolve(script))});`];
  return spawn(
    opts.asNobody ? 'setpriv' : process.execPath,
    opts.asNobody ? [...AS_NOBODY, process.execPath, ...args] : args,
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
}

/** Calls `onLine` for each complete stdout line of the child. */
export function onLines(
  child: ChildProcessWithoutNullStreams,
  onLine: (line: string) => void,
): void {
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  });
}

export function exited(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}
