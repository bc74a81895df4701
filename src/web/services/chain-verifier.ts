import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChainVerifier } from '../../app/chain-status';
import { FundMixError } from '../../domain/errors';
import type { ChainWorkerInit, ChainWorkerMessage } from './chain-worker';

/** The verification worker could not verify (unreadable file, worker stopped). */
export class ChainVerificationFailedError extends FundMixError {
  constructor(detail: string) {
    super('chain-verification-failed', `The audit chain could not be verified (${detail})`, {
      detail,
    });
  }
}

export interface WorkerChainVerifierOptions {
  /** The database file the store serves (never `:memory:`: the worker opens its own connection). */
  file: string;
  /** Starts the worker (default: `chain-worker.js` next to this compiled module). */
  spawn?: (init: ChainWorkerInit) => Worker;
}

const defaultSpawn = (init: ChainWorkerInit): Worker =>
  new Worker(path.join(__dirname, 'chain-worker.js'), { workerData: init });

/**
 * Verifies the audit chain in a worker thread started for each verification (they are rare:
 * start-up and an auditor's request), so neither start-up nor requests wait for a long chain.
 * @returns a verifier for `ChainStatus`; it rejects with ChainVerificationFailedError
 */
export function workerChainVerifier(opts: WorkerChainVerifierOptions): ChainVerifier {
  const spawn = opts.spawn ?? defaultSpawn;
  return (onProgress) =>
    new Promise((resolve, reject) => {
      const worker = spawn({ file: opts.file });
      // Never keeps the process alive: a server stopping does not wait for a verification.
      worker.unref();
      let settled = false;
      const fail = (detail: string) => {
        if (settled) return;
        settled = true;
        reject(new ChainVerificationFailedError(detail));
      };
      worker.on('message', (m: ChainWorkerMessage) => {
        if (m.kind === 'progress') onProgress(m.entriesChecked);
        else if (m.kind === 'failed') fail(m.message);
        else if (!settled) {
          settled = true;
          resolve(m.report);
        }
      });
      worker.on('error', (err) => fail(err.message));
      worker.on('exit', (code) => fail(`the worker stopped with exit code ${code}`));
    });
}
