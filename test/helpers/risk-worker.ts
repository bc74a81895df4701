import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOOK } from '../store/helpers/child';

let file: string | null = null;

/**
 * A worker module for the Monte Carlo pool that runs the TypeScript sources through a transpiling
 * hook, so tests need no build. Written once per test process into a temporary folder.
 */
export function riskWorkerFile(): string {
  if (file) return file;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-risk-worker-'));
  const worker = path.resolve(__dirname, '../../src/app/risk/worker.ts');
  // The hook requires typescript: resolve it from the repository, not from the temporary folder.
  const hook = HOOK.replace(
    "require('typescript')",
    `require(${JSON.stringify(require.resolve('typescript'))})`,
  );
  file = path.join(dir, 'worker.js');
  fs.writeFileSync(file, `${hook}\nmodule.exports = require(${JSON.stringify(worker)});\n`);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
}
