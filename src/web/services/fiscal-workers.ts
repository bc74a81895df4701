import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { FundMixError } from '../../domain/errors';
import type { PortfolioFiscalReport, ScenarioChecklistReport } from '../../store/fiscal-report';
import { fromTaggedJson } from '../../store/report-json';
import type { FiscalJob, FiscalJobAnswer, FiscalWorkerInit } from './fiscal-worker';

/** A fiscal worker stopped (crashed, was terminated) before answering: the job was not done. */
export class FiscalWorkerCrashedError extends FundMixError {
  constructor(detail: string) {
    super('fiscal-worker-crashed', `The fiscal report worker stopped (${detail})`, { detail });
  }
}

/** A job the worker answered with an error (unknown portfolio, bad switch, engine error). */
export class FiscalJobFailedError extends FundMixError {
  constructor(name: string, message: string) {
    super('fiscal-job-failed', message, { name });
  }
}

/** A report built by a worker, with the data generation it read before building. */
export interface WorkerReport<R = PortfolioFiscalReport> {
  generation: number;
  report: R;
}

/** A job as handed in, before the pool numbers it. */
type JobRequest =
  | Omit<Extract<FiscalJob, { kind: 'portfolio' }>, 'id'>
  | Omit<Extract<FiscalJob, { kind: 'checklist' }>, 'id'>;

export interface FiscalWorkerPoolOptions {
  /** The database file the store serves (never `:memory:`: a worker opens its own connection). */
  file: string;
  /** Whether the main thread takes writes; a worker then may write the results cache too. */
  writable: boolean;
  /** How many workers at most (default 1). */
  size?: number;
  /** Starts one worker (default: `fiscal-worker.js` next to this compiled module). */
  spawn?: (init: FiscalWorkerInit) => Worker;
  /** Called when a job is handed to a worker (tests, diagnostics). */
  onJob?: (job: FiscalJob) => void;
}

interface Pending {
  resolve: (r: WorkerReport<unknown>) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

const defaultSpawn = (init: FiscalWorkerInit): Worker =>
  new Worker(path.join(__dirname, 'fiscal-worker.js'), { workerData: init });

/**
 * Worker threads that build portfolio fiscal reports off the main thread, so a report of
 * seconds does not hold up every other request. Workers start on the first job and answer
 * one job at a time each; a job goes to the least busy one. A worker that stops rejects its
 * jobs with FiscalWorkerCrashedError and is replaced on the next job.
 */
export class FiscalWorkerPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;

  constructor(private readonly opts: FiscalWorkerPoolOptions) {
    this.size = Math.max(1, Math.trunc(opts.size ?? 1));
  }

  /**
   * Builds a portfolio's report in a worker.
   * @throws FiscalWorkerCrashedError when the worker stops first; FiscalJobFailedError when it
   *   answered with an error
   */
  run(portfolioId: number, switches: Record<string, string | number>): Promise<WorkerReport> {
    return this.submit({ kind: 'portfolio', portfolioId, switches });
  }

  /**
   * Builds a stored version's checklist in a worker (a scenario's bond stress re-runs the engine).
   * @throws as {@link run}
   */
  runChecklist(versionId: number): Promise<WorkerReport<ScenarioChecklistReport>> {
    return this.submit({ kind: 'checklist', versionId });
  }

  private submit<R>(request: JobRequest): Promise<WorkerReport<R>> {
    if (this.closed) return Promise.reject(new FiscalWorkerCrashedError('the pool is closed'));
    const slot = this.pick();
    const job = { ...request, id: this.nextId++ } as FiscalJob;
    return new Promise<WorkerReport<R>>((resolve, reject) => {
      slot.pending.set(job.id, { resolve: resolve as Pending['resolve'], reject });
      slot.worker.postMessage(job);
      this.opts.onJob?.(job);
    });
  }

  /** Stops every worker; their unanswered jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private pick(): Slot {
    const idle = this.slots.find((s) => s.pending.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.start();
    return this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private start(): Slot {
    const spawn = this.opts.spawn ?? defaultSpawn;
    const worker = spawn({ file: this.opts.file, writable: this.opts.writable });
    // A worker never keeps the process alive on its own: the server stops it on shutdown.
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (a: FiscalJobAnswer) => this.settle(slot, a));
    worker.on('error', (err) => this.fail(slot, err.message));
    worker.on('exit', (code) => this.fail(slot, `exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, a: FiscalJobAnswer): void {
    const p = slot.pending.get(a.id);
    if (!p) return;
    slot.pending.delete(a.id);
    if (!a.ok) {
      p.reject(new FiscalJobFailedError(a.error.name, a.error.message));
      return;
    }
    try {
      p.resolve({ generation: a.generation, report: fromTaggedJson<unknown>(a.json) });
    } catch (err) {
      p.reject(new FiscalJobFailedError('SyntaxError', String(err)));
    }
  }

  private fail(slot: Slot, detail: string): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    const error = new FiscalWorkerCrashedError(detail);
    for (const p of slot.pending.values()) p.reject(error);
    slot.pending.clear();
  }
}
