import { parentPort, workerData } from 'node:worker_threads';
import { serveFiscalJobs, type FiscalWorkerInit } from '../../../src/web/services/fiscal-worker';

/**
 * A fiscal worker that holds each job until the test opens its gate: `gate[0]` is 0 while
 * closed; the test stores 1 and notifies. While it waits, the report is "building" in the
 * worker thread, however small the portfolio.
 */
const init = workerData as FiscalWorkerInit & { gate: SharedArrayBuffer };
const gate = new Int32Array(init.gate);
if (parentPort)
  serveFiscalJobs(parentPort, init, () => {
    while (Atomics.load(gate, 0) === 0) Atomics.wait(gate, 0, 0);
  });
