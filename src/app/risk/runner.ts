import { EventEmitter, setMaxListeners } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { ENGINE_VERSION } from '../../domain/engine/types';
import {
  REST_METRICS,
  assembleRun,
  joinBlocks,
  runMetrics,
  type MonteCarloCharts,
  type MonteCarloSummary,
  type MetricReport,
  type RunRest,
  type TrialBlock,
} from '../../domain/risk/montecarlo';
import { readSpec, type RiskSpecInput } from '../../domain/risk/spec';
import { parseScenario } from '../../domain/scenario/parse';
import type { ScenarioInput } from '../../domain/scenario/schema';
import {
  readPortfolioRiskSpec,
  sampleShocks,
  type PortfolioRiskResult,
  type PortfolioRiskSpecInput,
  type PortfolioTrialBlock,
} from '../../domain/risk/portfolio';
import type { PlanInput } from '../../domain/plan/model';
import {
  shadowRows,
  type ConstraintReport,
  type OptimiseOptions,
  type PlanResult,
} from '../../domain/plan/optimise';
import type { ScoringData } from '../evaluation-scores';
import type { PlanModel, PlanModelSource } from '../plan-model';
import type {
  PlanModelTask,
  PlanTask,
  PortfolioModelData,
  PortfolioSummaryTask,
  PortfolioTask,
  AnalysisRequest,
  AnalysisTask,
  ErrorData,
  RiskTask,
  MetricTask,
  RestTask,
  SampleTask,
  Samples,
  TrialsTask,
} from './worker';
import { RiskInputError, type RiskInputReason } from '../../domain/risk/errors';
import { DomainError, ValidationError } from '../../domain/errors';

/** Trials per task handed to a worker: small enough for a smooth progress bar and a quick cancel. */
export const CHUNK_TRIALS = 250;
/** Portfolio trials per task: each runs every member, so chunks are smaller. */
export const PORTFOLIO_CHUNK_TRIALS = 50;

/** A portfolio risk run: the portfolio's members and fiscal settings, and the spec (trials, seed, shocks). */
export interface PortfolioRiskRequest {
  model: PortfolioModelData;
  spec: PortfolioRiskSpecInput;
}

export interface MonteCarloRequest {
  scenario: ScenarioInput;
  spec: RiskSpecInput;
  trials: number;
  seed: number;
}

export interface Progress {
  done: number;
  total: number;
  elapsedMs: number;
  /** Estimated time left: elapsed ÷ done × what is left; null before the first chunk. */
  etaMs: number | null;
}

/**
 * Where a programme optimisation is: building its model (the use case, before the runner),
 * the main solve, or the shadow-value re-solves (`done` of `total`; both 0 before them).
 */
export interface PlanProgress {
  phase: 'model' | 'solve' | 'shadow';
  done: number;
  total: number;
}

export interface MonteCarloOutcome {
  summary: MonteCarloSummary;
  charts: MonteCarloCharts;
}

export interface RunnerOptions {
  /** Worker threads (default: the machine's available parallelism). */
  workers?: number;
  /** The worker module (default: `worker.js` next to this compiled file). */
  filename?: string;
  /** Milliseconds on a monotonic clock (tests). */
  now?: () => number;
}

/**
 * Runs Monte Carlo trials on worker threads (piscina). The sampled values of every trial are
 * drawn here from the spec and seed first, then trials go out in chunks and come back by trial
 * index, so the figures do not depend on how many workers there are or which finishes first.
 */
export class MonteCarloRunner {
  private readonly pool: Piscina<RiskTask, unknown>;
  private readonly now: () => number;
  /** Tells the tasks in flight that a worker thread failed outside any task (see `submit`). */
  private readonly failures = new EventEmitter().setMaxListeners(0);

  constructor(options: RunnerOptions = {}) {
    const workers = Math.max(1, options.workers ?? os.availableParallelism());
    this.pool = new Piscina({
      filename: options.filename ?? path.join(__dirname, 'worker.js'),
      minThreads: 0,
      maxThreads: workers,
      // A thread's first few thousand trials run before V8 has optimised the engine (several
      // times slower); idle threads are kept ten minutes so the next run starts warm (they do not
      // keep the process alive: piscina unrefs an idle thread).
      idleTimeout: 600_000,
      // Lower priority than the thread answering requests (Linux nice +19, the lowest, where piscina's
      // optional @napi-rs/nice is installed): pages stay quick while a run uses every core.
      niceIncrement: 19,
    });
    this.now = options.now ?? (() => performance.now());
    // A thread that cannot start (its module fails to load) or dies outside a task is reported
    // by the pool, not by any task: without this, the process would crash on the unhandled
    // 'error' event, or the tasks waiting for that thread would never settle.
    this.pool.on('error', (err: unknown) => this.failures.emit('failed', err));
  }

  /**
   * Runs one task on the pool: its answer, or its typed error; rejected with `WorkerFailedError`
   * when a worker thread fails while the task is in flight.
   */
  private submit<T>(task: RiskTask, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onFailure = (err: unknown) => reject(new WorkerFailedError(err));
      this.failures.once('failed', onFailure);
      answer<T>(this.pool.run(task, { signal }))
        .then(resolve, reject)
        .finally(() => this.failures.off('failed', onFailure));
    });
  }

  get workers(): number {
    return this.pool.options.maxThreads;
  }

  /**
   * Runs a request. Validation (scenario, spec, trials) happens before any work starts.
   * @throws ValidationError for a bad scenario or spec; AbortError when `signal` aborts
   */
  async run(
    req: MonteCarloRequest,
    opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
  ): Promise<MonteCarloOutcome> {
    const scenario = parseScenario(req.scenario);
    const read = readSpec(req.spec, scenario);
    const metrics = runMetrics(scenario);
    const years = scenario.timeline.operationYears;
    // Drawing every trial's values (Iman–Conover sorts each column) is work for a worker too.
    const sampleTask: SampleTask = {
      kind: 'sample',
      scenario: req.scenario,
      spec: req.spec,
      trials: req.trials,
      seed: req.seed,
    };
    const { columns, ranks, eventColumns, pathColumns } = await this.submit<Samples>(
      sampleTask,
      opts.signal,
    );
    // Every chunk's task listens to the one signal: more than Node's default 10 listeners.
    if (opts.signal)
      setMaxListeners(Math.ceil(req.trials / CHUNK_TRIALS) + metrics.length + 8, opts.signal);
    const started = this.now();
    let done = 0;
    const chunks: Promise<TrialBlock>[] = [];
    for (let from = 0; from < req.trials; from += CHUNK_TRIALS) {
      const to = Math.min(req.trials, from + CHUNK_TRIALS);
      const task: TrialsTask = {
        kind: 'trials',
        scenario: req.scenario,
        spec: req.spec,
        metrics,
        from,
        columns: columns.map((c) => c.slice(from, to)),
        eventColumns: eventColumns.map((c) => c.slice(from, to)),
        // Each trial's path is a row of operation-year factors.
        pathColumns: pathColumns.map((c) => c.slice(from * years, to * years)),
      };
      chunks.push(
        this.submit<TrialBlock>(task, opts.signal).then((block) => {
          done += block.to - block.from;
          const elapsedMs = this.now() - started;
          opts.onProgress?.({
            done,
            total: req.trials,
            elapsedMs,
            etaMs: (elapsedMs / done) * (req.trials - done),
          });
          return block;
        }),
      );
    }
    const blocks = await settleAll(chunks);
    // The summary in parts on the pool, in parallel: each metric's report, and the rest.
    const all = joinBlocks(blocks, metrics.length, req.trials);
    const drivers = read.drivers.map((d) => d.name);
    const reports = metrics.map((_, m) => {
      const task: MetricTask = { kind: 'metric', values: all.values[m]!, columns, ranks, drivers };
      return this.submit<MetricReport>(task, opts.signal);
    });
    const restTask: RestTask = {
      kind: 'rest',
      scenario: req.scenario,
      spec: req.spec,
      trials: req.trials,
      metrics,
      values: metrics.map((m, i) => (REST_METRICS.includes(m) ? all.values[i]! : [])),
      arrears: all.arrears,
      cfads: all.cfads,
      dscr: all.dscr,
      years: all.years,
      eventColumns,
    };
    const rest = this.submit<RunRest>(restTask, opts.signal);
    return assembleRun({
      read,
      trials: req.trials,
      seed: req.seed,
      engineVersion: ENGINE_VERSION,
      metrics,
      reports: await settleAll(reports),
      rest: await rest,
    });
  }

  /**
   * A portfolio risk run (README "Portfolio risk"): the shocks are drawn here from the seed,
   * trials go to the workers in chunks and come back by trial index, so the figures do not
   * depend on the number of workers.
   * @throws ValidationError for a bad spec or member scenario; AbortError when `signal` aborts
   */
  async runPortfolio(
    req: PortfolioRiskRequest,
    opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
  ): Promise<PortfolioRiskResult> {
    // The members are read (and refused) in the workers: the main thread only draws the shocks.
    const spec = readPortfolioRiskSpec(req.spec);
    const shocks = sampleShocks(
      spec.seed,
      spec.trials,
      req.model.members.map((m) => m.index),
    );
    // Every chunk's task listens to the one signal (a job's cancel): more than Node's default 10.
    if (opts.signal)
      setMaxListeners(Math.ceil(spec.trials / PORTFOLIO_CHUNK_TRIALS) + 8, opts.signal);
    const started = this.now();
    let done = 0;
    const chunks: Promise<PortfolioTrialBlock>[] = [];
    for (let from = 0; from < spec.trials; from += PORTFOLIO_CHUNK_TRIALS) {
      const to = Math.min(spec.trials, from + PORTFOLIO_CHUNK_TRIALS);
      const task: PortfolioTask = {
        kind: 'portfolio',
        model: req.model,
        spec,
        from,
        common: shocks.common.slice(from, to),
        own: shocks.own.map((c) => c.slice(from, to)),
      };
      chunks.push(
        this.submit<PortfolioTrialBlock>(task, opts.signal).then((block) => {
          done += block.to - block.from;
          const elapsedMs = this.now() - started;
          opts.onProgress?.({
            done,
            total: spec.trials,
            elapsedMs,
            etaMs: (elapsedMs / done) * (spec.trials - done),
          });
          return block;
        }),
      );
    }
    const blocks = await settleAll(chunks);
    const summary: PortfolioSummaryTask = {
      kind: 'portfolio-summary',
      model: req.model,
      spec,
      engineVersion: ENGINE_VERSION,
      blocks,
    };
    return this.submit<PortfolioRiskResult>(summary, opts.signal);
  }

  /**
   * A deterministic analysis (tornado, spider, data table, break-even) on a worker thread: a
   * few dozen engine runs, kept off the thread that answers requests. `portfolio` is what a
   * `peakPppRatio` is measured in (README "Risk metrics").
   * @throws RiskInputError, ValidationError as the domain throws them (re-created from the worker's)
   */
  async analyse(
    scenario: ScenarioInput,
    request: AnalysisRequest,
    portfolio?: PortfolioModelData,
  ): Promise<unknown> {
    const task: AnalysisTask = { kind: 'analysis', scenario, request, portfolio };
    return this.submit(task);
  }

  /**
   * Optimises a programme (README "Programme optimiser") on worker threads: the main solve (with
   * its gap bound), then each shadow-value re-solve as a task of its own, in parallel on the
   * pool, so a solve of seconds never holds up requests, progress is seen between re-solves, and
   * `signal` cancels whatever is running or queued.
   * @throws ValidationError, DomainError (`plan-infeasible`, `must-do-without-candidate`) as the
   *   domain throws them (re-created from the worker's); AbortError when `signal` aborts
   */
  async optimise(
    input: PlanInput,
    options: OptimiseOptions = {},
    opts: { signal?: AbortSignal; onProgress?: (p: PlanProgress) => void } = {},
  ): Promise<PlanResult> {
    const limit = { timeLimit: options.timeLimit };
    opts.onProgress?.({ phase: 'solve', done: 0, total: 0 });
    const task: PlanTask = { kind: 'plan', input, options: limit };
    const result = await this.submit<PlanResult>(task, opts.signal);
    if (options.shadowValues === false) return result;
    const rows = shadowRows(result);
    let done = 0;
    opts.onProgress?.({ phase: 'shadow', done, total: rows.length });
    if (opts.signal) setMaxListeners(rows.length + 8, opts.signal);
    const shadow = (row: number) =>
      this.submit<string>(
        { ...task, shadow: { row, totalScore: result.totalScore } },
        opts.signal,
      ).then((value) => {
        opts.onProgress?.({ phase: 'shadow', done: ++done, total: rows.length });
        return value;
      });
    const values = await settleAll(rows.map(shadow));
    rows.forEach(
      (row, k) => ((result.constraints[row] as ConstraintReport).shadowValue = values[k] as string),
    );
    return result;
  }

  /**
   * Builds a programme's model (README "Programme optimiser", Where it runs) on a worker thread:
   * each scenario's result revived, scored from `scoring` and its needs taken, so the thread
   * answering requests only reads the rows. `signal` cancels it.
   */
  async planModel(
    source: PlanModelSource,
    scoring: ScoringData,
    signal?: AbortSignal,
  ): Promise<PlanModel> {
    const task: PlanModelTask = { kind: 'plan-model', source, scoring };
    return this.submit<PlanModel>(task, signal);
  }

  /** Stops the workers (waits for running tasks to end). */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** A worker thread of the risk pool failed (a server fault, not the request's): the run cannot finish. */
export class WorkerFailedError extends Error {
  constructor(cause: unknown) {
    // The cause may come from another realm (a worker, a test VM): read its message, not its class.
    const reason =
      typeof cause === 'object' && cause !== null && 'message' in cause
        ? String(cause.message)
        : String(cause);
    super(`A risk worker thread failed: ${reason}`, { cause });
    this.name = 'WorkerFailedError';
  }
}

/** Like Promise.all, but waits for every chunk to settle before rejecting (no stray work). */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** A worker's answer: its result, or a typed error it sent back as data (see worker.ts). */
async function answer<T>(p: Promise<unknown>): Promise<T> {
  const value = await p;
  if (value && typeof value === 'object' && 'failed' in value)
    throw revive(value.failed as ErrorData);
  return value as T;
}

/** A typed error again, from the data a worker sent: input errors answer 422 / exit 2 with their fields. */
function revive(e: ErrorData): Error {
  if (e.name === 'RiskInputError' && e.reason && e.issues?.[0])
    return new RiskInputError(e.reason as RiskInputReason, e.issues[0].path, e.issues[0].message);
  if (e.issues) return new ValidationError(e.issues, e.message);
  return new DomainError(e.code, e.message);
}
