import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openDatabase, verifyAudit } from '../../store';
import type { AuditReport } from '../../store/types';

/** What a chain verification worker is started with (its `workerData`). */
export interface ChainWorkerInit {
  /** The database file the main thread serves. */
  file: string;
  /** False for a script that calls `verifyChainOn` itself (tests). */
  autoStart?: boolean;
}

/** What the worker posts: progress now and then, then the report or why there is none. */
export type ChainWorkerMessage =
  | { kind: 'progress'; entriesChecked: number }
  | { kind: 'done'; report: AuditReport }
  | { kind: 'failed'; message: string };

/**
 * Verifies the audit history of `init.file` on its own read-only connection (one snapshot, see
 * `verifyAudit`) and posts the report on `port`. Writes of the main thread meanwhile are not
 * held up: SQLite's WAL lets them commit while this connection reads.
 */
export function verifyChainOn(port: MessagePort, init: ChainWorkerInit): void {
  let message: ChainWorkerMessage;
  try {
    const db = openDatabase(init.file, { readonly: true });
    try {
      const report = verifyAudit(db, {
        onProgress: (entriesChecked) => port.postMessage({ kind: 'progress', entriesChecked }),
      });
      message = { kind: 'done', report };
    } finally {
      db.close();
    }
  } catch (err) {
    message = { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(message);
}

if (!isMainThread && parentPort && (workerData as ChainWorkerInit).autoStart !== false)
  verifyChainOn(parentPort, workerData as ChainWorkerInit);
