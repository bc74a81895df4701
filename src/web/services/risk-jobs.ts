import type { Progress } from '../../app/risk/runner';
import { FundMixError } from '../../domain/errors';
import { JobRegistry, type JobEntry, type JobState } from './job-registry';

export type RiskJobState = JobState;

/** What a job runs: a scenario's Monte Carlo or a portfolio's risk run. */
export type RiskJobKind = 'scenario' | 'portfolio';

/** A Monte Carlo running for one user: its progress, and the recorded run when done. */
export interface RiskJob {
  id: string;
  /** The viewer key of who started it: only they see it (others get 404). */
  owner: string;
  kind: RiskJobKind;
  /** The scenario (kind `scenario`) or the portfolio (kind `portfolio`) it runs on. */
  subjectId: number;
  trials: number;
  state: RiskJobState;
  progress: Progress;
  runId: number | null;
  error: { code: string; message: string } | null;
  startedAt: string;
}

/** Where a job's subject, its recorded run's page and its recorded run's API answer are. */
export function jobPaths(job: Pick<RiskJob, 'kind' | 'subjectId' | 'runId'>) {
  const scenario = job.kind === 'scenario';
  const run =
    job.runId === null ? null : `${scenario ? '/risk-runs' : '/portfolio-risk-runs'}/${job.runId}`;
  return {
    back: scenario
      ? `/scenarios/${job.subjectId}/risk`
      : `/portfolios/${job.subjectId}/fiscal#portfolio-risk`,
    run,
    apiRun: run === null ? null : `/api/v1${run}`,
  };
}

/** Jobs kept after they end, so a page polling late still learns the outcome. */
const KEEP_ENDED = 200;
/** Jobs one user may have running at once: a run uses every core for a while. */
export const MAX_RUNNING_PER_USER = 2;

/** Too many runs of one user at once: 429. */
export class TooManyRiskJobsError extends FundMixError {
  constructor() {
    super(
      'too-many-risk-jobs',
      `At most ${MAX_RUNNING_PER_USER} Monte Carlo runs at once: wait for one to end or cancel it`,
    );
  }
}

type Entry = RiskJob & JobEntry;

/**
 * Monte Carlo runs under way in this server process, each with an abort controller. The work
 * itself runs on worker threads (src/app/risk/runner.ts); this only follows it.
 */
export class RiskJobs {
  private readonly jobs = new JobRegistry<Entry>(
    { maxRunning: MAX_RUNNING_PER_USER, keepEnded: KEEP_ENDED },
    () => new TooManyRiskJobsError(),
  );

  constructor(private readonly clock: () => Date) {}

  /**
   * Starts `work` as a job of `owner`.
   * @throws TooManyRiskJobsError when the owner already has MAX_RUNNING_PER_USER running
   */
  start(
    owner: string,
    meta: { kind: RiskJobKind; subjectId: number; trials: number },
    work: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<{ id: number }>,
  ): RiskJob {
    const job = this.jobs.add(owner, (id, controller) => ({
      id,
      owner,
      ...meta,
      state: 'running',
      progress: { done: 0, total: meta.trials, elapsedMs: 0, etaMs: null },
      runId: null,
      error: null,
      startedAt: this.clock().toISOString(),
      controller,
    }));
    this.jobs.follow(
      job,
      work(job.controller.signal, (p) => (job.progress = p)),
      {
        done: (run) => {
          job.runId = run.id;
          job.progress = { ...job.progress, done: job.trials, etaMs: 0 };
        },
        failed: (err) => {
          job.error =
            err instanceof FundMixError
              ? { code: err.code, message: err.message }
              : { code: 'risk-run-failed', message: 'The run stopped unexpectedly' };
        },
      },
    );
    return this.view(job);
  }

  /** A job of `owner`; null for an unknown id or another user's job. */
  get(id: string, owner: string): RiskJob | null {
    const job = this.jobs.get(id, owner);
    return job ? this.view(job) : null;
  }

  /** Cancels a running job of `owner`; false when there is none. */
  cancel(id: string, owner: string): boolean {
    return this.jobs.cancel(id, owner);
  }

  private view(job: Entry): RiskJob {
    const { controller: _c, ...rest } = job;
    return { ...rest, progress: { ...rest.progress } };
  }
}
