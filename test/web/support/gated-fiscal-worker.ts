import { parentPort, workerData } from 'node:worker_threads';
import { serveFiscalJobs, type FiscalWorkerInit } from '../../../src/web/services/fiscal-worker';

/**
 * A fiscal worker that holds each job, once its generation is read, until the test opens its
 * gate: `gate[0]` is 0 while closed; the test stores 1 and notifies. While it waits, the report
 * is "building" in the worker thread, however small the portfolio. `gate[1]` counts the jobs
 * that reached the gate (notified, for the test to wait on).
 */
const init = workerData as FiscalWorkerInit & { gate: SharedArrayBuffer };
const gate = new Int32Array(init.gate);
if (parentPort)
  serveFiscalJobs(parentPort, init, () => {
    Atomics.add(gate, 1, 1);
    Atomics.notify(gate, 1);
    while (Atomics.load(gate, 0) === 0) Atomics.wait(gate, 0, 0);
  });
