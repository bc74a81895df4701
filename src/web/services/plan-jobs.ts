import type { PlanOutcome } from '../../app/plan';
import type { PlanProgress } from '../../app/risk/runner';
import { DomainError, FundMixError, ValidationError, type FieldIssue } from '../../domain/errors';
import type { PlanForm } from '../view-models/plan';
import { JobRegistry, type JobEntry, type JobState } from './job-registry';

export type PlanJobState = JobState;

/** Where a solve is, with its times (milliseconds on the service's monotonic clock). */
export interface PlanJobProgress extends PlanProgress {
  elapsedMs: number;
  /**
   * Time left: during the shadow values, the phase's time so far ÷ re-solves done × those left
   * (null before the first); during the solve, at most what is left of its time limit.
   */
  etaMs: number | null;
  /** True when `etaMs` is an upper bound (the solve's time limit), not an estimate. */
  etaIsLimit: boolean;
}

/** A programme optimisation running for one user: its progress, and its outcome when done. */
export interface PlanJob {
  id: string;
  /** The viewer key of who started it: only they see it (others get 404). */
  owner: string;
  portfolioId: number;
  state: PlanJobState;
  progress: PlanJobProgress;
  /** Why it failed: the request's conflict (`issues` at their fields) or the solver's message. */
  error: { code: string; message: string; issues: FieldIssue[] } | null;
  startedAt: string;
  /** The form as typed (page jobs), shown again with the result or the refusal. */
  form: PlanForm | null;
  /** The solved programme once done (and `saved` once saved from the job page). */
  outcome: PlanOutcome | null;
}

/** Jobs kept after they end, so a page polling late still shows the result. */
const KEEP_ENDED = 100;
/** Solves one user may have running at once: each uses a worker thread for up to its time limit. */
export const MAX_PLAN_JOBS_PER_USER = 2;

/** Too many solves of one user at once: 429. */
export class TooManyPlanJobsError extends FundMixError {
  constructor() {
    super(
      'too-many-plan-jobs',
      `At most ${MAX_PLAN_JOBS_PER_USER} optimisations at once: wait for one to end or cancel it`,
    );
  }
}

type Entry = PlanJob &
  JobEntry & {
    started: number;
    phaseStarted: number;
    timeLimitMs: number;
  };

/** Ends of a job's work that are the request's or the solver's answer, not a server fault. */
function errorOf(err: unknown): PlanJob['error'] {
  if (err instanceof ValidationError)
    return { code: err.code, message: err.message, issues: err.issues };
  if (err instanceof DomainError) return { code: err.code, message: err.message, issues: [] };
  return { code: 'plan-failed', message: 'The optimisation stopped unexpectedly', issues: [] };
}

/**
 * Programme optimisations under way in this server process (README "Programme optimiser",
 * Jobs), each with an abort controller. The solves run on the risk worker pool
 * (`MonteCarloRunner.optimise`); this only follows them.
 */
export class PlanJobs {
  private readonly jobs = new JobRegistry<Entry>(
    { maxRunning: MAX_PLAN_JOBS_PER_USER, keepEnded: KEEP_ENDED },
    () => new TooManyPlanJobsError(),
  );

  constructor(
    private readonly clock: () => Date,
    private readonly now: () => number = () => performance.now(),
    private readonly onFault: (err: unknown) => void = () => undefined,
  ) {}

  /**
   * Starts `work` as a job of `owner` on `portfolioId`; `timeLimitSeconds` bounds its solve.
   * @throws TooManyPlanJobsError when the owner already has MAX_PLAN_JOBS_PER_USER running
   */
  start(
    owner: string,
    meta: { portfolioId: number; timeLimitSeconds: number; form: PlanForm | null },
    work: (signal: AbortSignal, onProgress: (p: PlanProgress) => void) => Promise<PlanOutcome>,
  ): PlanJob {
    const now = this.now();
    const job = this.jobs.add(owner, (id, controller) => ({
      id,
      owner,
      portfolioId: meta.portfolioId,
      state: 'running',
      progress: { phase: 'model', done: 0, total: 0, elapsedMs: 0, etaMs: null, etaIsLimit: false },
      error: null,
      startedAt: this.clock().toISOString(),
      form: meta.form,
      outcome: null,
      controller,
      started: now,
      phaseStarted: now,
      timeLimitMs: meta.timeLimitSeconds * 1000,
    }));
    const onProgress = (p: PlanProgress) => {
      if (p.phase !== job.progress.phase) job.phaseStarted = this.now();
      job.progress = { ...job.progress, ...p };
    };
    // The work starts on the next turn: the request that started it is answered first.
    const run = () => work(job.controller.signal, onProgress);
    this.jobs.follow(job, new Promise<void>((resolve) => setImmediate(resolve)).then(run), {
      done: (outcome) => {
        job.outcome = outcome;
        job.progress = { ...job.progress, done: job.progress.total };
      },
      failed: (err) => {
        job.error = errorOf(err);
        if (job.error?.code === 'plan-failed') this.onFault(err);
      },
      ended: () => {
        job.progress = { ...job.progress, elapsedMs: this.now() - job.started };
      },
    });
    return this.view(job);
  }

  /** A job of `owner`; null for an unknown id or another user's job. */
  get(id: string, owner: string): PlanJob | null {
    const job = this.jobs.get(id, owner);
    return job ? this.view(job) : null;
  }

  /** Cancels a running job of `owner`; false when there is none. */
  cancel(id: string, owner: string): boolean {
    return this.jobs.cancel(id, owner);
  }

  /** Records the outcome a done job of `owner` was saved as. */
  saved(id: string, owner: string, outcome: PlanOutcome): void {
    const job = this.jobs.get(id, owner);
    if (job && job.state === 'done') job.outcome = outcome;
  }

  private view(job: Entry): PlanJob {
    const { controller: _c, started, phaseStarted, timeLimitMs, ...rest } = job;
    const now = this.now();
    const p = rest.progress;
    const inPhase = now - phaseStarted;
    const running = rest.state === 'running';
    const etaMs = !running
      ? 0
      : p.phase === 'solve'
        ? Math.max(0, timeLimitMs - inPhase)
        : p.phase === 'shadow' && p.done > 0
          ? (inPhase / p.done) * (p.total - p.done)
          : null;
    return {
      ...rest,
      progress: {
        ...p,
        elapsedMs: running ? now - started : p.elapsedMs,
        etaMs,
        etaIsLimit: running && p.phase === 'solve',
      },
    };
  }
}
