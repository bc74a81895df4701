/**
 * Child process for the reliability tests: saves scenario versions into the database given as
 * $FUNDMIX_BURST_DB as fast as it can, and after each save returns (its transaction committed) prints
 * `ack PROJECT VERSION_NO INPUTS_HASH`. Runs until killed.
 */
import fs from 'node:fs';
import { createStore, migrate, openDatabase } from '../../../src/store';
import { scenarioInput } from './fixtures';

const file = process.env.FUNDMIX_BURST_DB;
if (!file || !file.endsWith('.db')) throw new Error('set FUNDMIX_BURST_DB to the database file');
const db = openDatabase(file);
migrate(db);
const store = createStore(db, { clock: () => new Date() });
fs.writeSync(1, 'ready\n');
for (let i = 0; ; i++) {
  const code = `K-${i % 20}`;
  const res = store.scenarios.save(
    scenarioInput(code, 'Burst', (s) => {
      s.residualValueYuan = `${i}.00`;
    }),
    { actor: 'burst', comment: `save ${i}` },
  );
  // Synchronous write: the line is out before the next save starts.
  fs.writeSync(1, `ack ${code} ${res.version.versionNo} ${res.version.inputsHash}\n`);
}
