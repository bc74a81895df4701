import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe("the run's temporary folder", () => {
  it('is where os.tmpdir() points in the test processes', () => {
    const root = process.env.FUNDMIX_TEST_TMP_ROOT!;
    expect(path.basename(root)).toMatch(/^fundmix-test-run-/);
    expect(os.tmpdir()).toBe(root);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-probe-'));
    expect(path.dirname(dir)).toBe(root);
  });
});
