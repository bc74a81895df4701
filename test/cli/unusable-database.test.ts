import fs from 'node:fs';
import path from 'node:path';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { seedDemoIfEmpty } from '../../src/store';
import { runStoreCli } from '../store/helpers/cli';
import { corruptDataPages } from '../store/helpers/damage';
import { fileStore, tempDir } from '../store/helpers/fixtures';
import { DEMO_DIR } from '../web/support/app';

/**
 * Issue 8, defect 4: `fundmix audit verify` on a file that is no database, or one with damaged
 * data pages, prints what is wrong and what to do (no stack trace) and exits 1.
 */

function seeded(): string {
  const { db, store, file } = fileStore(tempDir(), 'fundmix.db', {
    engine: { simulate, version: ENGINE_VERSION },
  });
  seedDemoIfEmpty(store, DEMO_DIR);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return file;
}

describe('fundmix audit verify on an unusable file', () => {
  it('a file that is not a database: message, exit 1', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'notes.db');
    fs.writeFileSync(file, 'minutes of the meeting\n'.repeat(100));
    const run = await runStoreCli(['audit', 'verify', '--db', file], { cwd: dir });
    expect(run).toEqual({
      code: 1,
      out: '',
      err:
        `error (not-a-database): ${file} is not a FundMix database (file is not a database)\n` +
        'Restore a backup with `fundmix restore PATH`. Or give --db the right file.\n',
    });
  });

  it('a database with damaged data pages: message, exit 1', async () => {
    const file = seeded();
    const intact = await runStoreCli(['audit', 'verify', '--db', file], { cwd: tempDir() });
    expect(intact.code).toBe(0);
    // Pages of a data table: the file is recognisably FundMix's, and damaged.
    corruptDataPages(file, 'results_cache');
    const run = await runStoreCli(['audit', 'verify', '--db', file], { cwd: tempDir() });
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toBe(
      `error (database-damaged): ${file} is damaged (database disk image is malformed)\n` +
        'Restore a backup with `fundmix restore PATH`.\n',
    );
  });
});
