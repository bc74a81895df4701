import fs from 'node:fs';

/** Jest's global tear-down: removes the run's temporary folder (see global-setup.ts). */
export default function globalTeardown(): void {
  const root = process.env.FUNDMIX_TEST_TMP_ROOT;
  if (root) fs.rmSync(root, { recursive: true, force: true });
}
