import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { simulate } from '../../domain/engine/simulate';
import { ENGINE_VERSION } from '../../domain/engine/types';
import { createStore, openDatabase, type Store } from '../../store';
import { portfolioFiscalReport, scenarioChecklist } from '../../store/fiscal-report';
import { toTaggedJson } from '../../store/report-json';

/** What a fiscal worker is started with (its `workerData`). */
export interface FiscalWorkerInit {
  /** The database file the main thread serves. */
  file: string;
  /** False when the main thread takes no writes: the worker then opens the file read-only. */
  writable: boolean;
  /** False for a script that calls `serveFiscalJobs` itself (tests' gated workers). */
  autoStart?: boolean;
}

/**
 * One report to build: a portfolio's with its effective what-if switches, or the checklist of a
 * stored version against its project's jurisdiction (bond stress included).
 */
export type FiscalJob =
  | {
      id: number;
      kind: 'portfolio';
      portfolioId: number;
      switches: Record<string, string | number>;
    }
  | { id: number; kind: 'checklist'; versionId: number };

/** The answer to a job: the report as tagged JSON and the generation read before building it. */
export type FiscalJobAnswer =
  | { id: number; ok: true; generation: number; json: string }
  | { id: number; ok: false; error: { name: string; message: string } };

/** The worker's own store on the same file: it writes only the results cache, as the main thread would. */
function openWorkerStore(init: FiscalWorkerInit): Store {
  const db = openDatabase(init.file, { fileMustExist: true, readonly: !init.writable });
  const store = createStore(db, {
    clock: () => new Date(),
    engine: { simulate, version: ENGINE_VERSION },
  });
  if (!init.writable) store.storage.refuseWrites('read-only', 'the main thread takes no writes');
  return store;
}

/** Builds one job's report; errors go back as their name and message (the main thread recomputes). */
function answer(store: Store, job: FiscalJob, building: (job: FiscalJob) => void): FiscalJobAnswer {
  try {
    // Labelled with the generation read first: data written meanwhile can only make it newer.
    const generation = store.generation('portfolios');
    building(job);
    const report =
      job.kind === 'portfolio'
        ? portfolioFiscalReport(store, job.portfolioId, { switches: job.switches })
        : scenarioChecklist(store, job.versionId);
    return { id: job.id, ok: true, generation, json: toTaggedJson(report) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { id: job.id, ok: false, error: { name: e.name, message: e.message } };
  }
}

/**
 * Answers fiscal jobs posted on `port`, one at a time. `building` runs as each report starts,
 * after its generation is read (a test holds a job there: a report that takes long).
 */
export function serveFiscalJobs(
  port: MessagePort,
  init: FiscalWorkerInit,
  building: (job: FiscalJob) => void = () => undefined,
): void {
  const store = openWorkerStore(init);
  port.on('message', (job: FiscalJob) => port.postMessage(answer(store, job, building)));
}

if (!isMainThread && parentPort && (workerData as FiscalWorkerInit).autoStart !== false)
  serveFiscalJobs(parentPort, workerData as FiscalWorkerInit);
