import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChainStatus } from '../../src/app/chain-status';
import type { Store, Db } from '../../src/store';
import {
  ChainVerificationFailedError,
  workerChainVerifier,
} from '../../src/web/services/chain-verifier';
import type { ChainWorkerInit } from '../../src/web/services/chain-worker';
import { HOOK } from '../store/helpers/child';
import { behindTheBack, fileStore, scenarioInput, tempDir } from '../store/helpers/fixtures';

/**
 * The audit chain verified in a worker thread (issue 10, the auditor's workspace): the worker
 * reads the served file on its own connection and reports what the main thread's own
 * verification reports. Workers run the TypeScript sources, transpiled on require.
 */

const WORKER = path.join(__dirname, '..', '..', 'src', 'web', 'services', 'chain-worker.ts');
const spawn = (init: ChainWorkerInit) =>
  new Worker(`${HOOK}\nrequire(${JSON.stringify(WORKER)});`, { eval: true, workerData: init });

jest.setTimeout(60_000);

let db: Db;
let store: Store;
let file: string;
beforeEach(() => {
  ({ db, store, file } = fileStore(tempDir('fundmix-chain-')));
  store.scenarios.save(scenarioInput('P-001'), { actor: 'alice' });
  store.scenarios.save(scenarioInput('P-002'), { actor: 'bob' });
});
afterEach(() => db.close());

describe('verifying the chain in a worker', () => {
  it('reports an intact chain as the main thread does', async () => {
    const report = await workerChainVerifier({ file, spawn })(() => undefined);
    expect(report).toEqual(store.audit.verify());
    expect(report).toMatchObject({ ok: true, entries: 6, headId: 6 });
  });

  it('names the first broken entry of a chain changed with SQL', async () => {
    behindTheBack(db, 'audit_log', () =>
      db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE id = 4`).run(),
    );
    const chain = new ChainStatus(workerChainVerifier({ file, spawn }), () => store.now());
    const check = await chain.refresh();
    expect(check).toMatchObject({
      ok: false,
      entries: 6,
      firstBrokenEntryId: 4,
      firstProblem: 'entry 4 (create project 2) was changed after it was written',
    });
    expect(chain.view().last).toBe(check);
  });

  it('rejects, saying why, when the file cannot be verified', async () => {
    const missing = path.join(tempDir('fundmix-chain-'), 'gone.db');
    const chain = new ChainStatus(workerChainVerifier({ file: missing, spawn }), () => store.now());
    const err = await chain.refresh().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainVerificationFailedError);
    expect((err as Error).message).toBe(
      `The audit chain could not be verified (Database file ${missing} was not found)`,
    );
    expect(chain.view().failure?.message).toBe((err as Error).message);
  });
});
