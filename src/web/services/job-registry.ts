import { randomUUID } from 'node:crypto';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

/** What every job holds: who started it, where it is, and what cancels it. */
export interface JobEntry {
  id: string;
  /** The viewer key of who started it: only they see it (others get 404). */
  owner: string;
  state: JobState;
  controller: AbortController;
}

/**
 * The jobs of one kind under way in this server process (Monte Carlo runs, programme
 * optimisations): each owner's own, at most `maxRunning` running per owner, the last `keepEnded`
 * ended ones kept so a page polling late still learns the outcome. The work itself runs
 * elsewhere (the risk worker pool); this only follows it.
 */
export class JobRegistry<E extends JobEntry> {
  private readonly jobs = new Map<string, E>();

  constructor(
    private readonly limits: { maxRunning: number; keepEnded: number },
    /** The error thrown when an owner already has `maxRunning` jobs running (a 429). */
    private readonly tooMany: () => Error,
  ) {}

  /**
   * Registers a new running job of `owner`, made by `make` from its id and abort controller.
   * @throws the `tooMany` error when the owner already has `maxRunning` running
   */
  add(owner: string, make: (id: string, controller: AbortController) => E): E {
    let running = 0;
    for (const j of this.jobs.values()) if (j.owner === owner && j.state === 'running') running++;
    if (running >= this.limits.maxRunning) throw this.tooMany();
    const job = make(randomUUID(), new AbortController());
    this.jobs.set(job.id, job);
    return job;
  }

  /**
   * Follows `work` of a registered job: `done` with its answer, or the job `cancelled` (its
   * signal aborted) or `failed` (`failed` records why); ended jobs beyond `keepEnded` are dropped.
   */
  follow<T>(
    job: E,
    work: Promise<T>,
    on: { done: (value: T) => void; failed: (err: unknown) => void; ended?: () => void },
  ): void {
    work
      .then(
        (value) => {
          job.state = 'done';
          on.done(value);
        },
        (err: unknown) => {
          if (job.controller.signal.aborted) job.state = 'cancelled';
          else {
            job.state = 'failed';
            on.failed(err);
          }
        },
      )
      .finally(() => {
        on.ended?.();
        this.prune();
      });
  }

  /** A job of `owner`; null for an unknown id or another user's job. */
  get(id: string, owner: string): E | null {
    const job = this.jobs.get(id);
    return job && job.owner === owner ? job : null;
  }

  /** Cancels a running job of `owner` (aborts its signal); false when there is none. */
  cancel(id: string, owner: string): boolean {
    const job = this.get(id, owner);
    if (!job || job.state !== 'running') return false;
    job.controller.abort();
    return true;
  }

  private prune(): void {
    const ended = [...this.jobs.values()].filter((j) => j.state !== 'running');
    const drop = ended.length - this.limits.keepEnded;
    for (const j of ended.slice(0, Math.max(0, drop))) this.jobs.delete(j.id);
  }
}
