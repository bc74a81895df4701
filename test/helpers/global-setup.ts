import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Jest's global set-up: every temporary file of the run (test databases, CLI folders, the risk
 * worker's hook, browser profiles) goes under one fresh folder, which the global tear-down
 * removes. The test processes and the programs they start inherit TMPDIR, so `os.tmpdir()` names
 * it everywhere; a test killed on a timeout leaves nothing behind in the machine's /tmp.
 */
export default function globalSetup(): void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-test-run-'));
  // Like /tmp itself (world-writable, sticky): tests that start the app as another user reach
  // their folders inside it.
  fs.chmodSync(root, 0o1777);
  process.env.FUNDMIX_TEST_TMP_ROOT = root;
  process.env.TMPDIR = root;
}
