import { JobRegistry, type JobEntry } from '../../src/web/services/job-registry';

type Job = JobEntry & { value: number | null; why: string | null };

class TooMany extends Error {}

function registry(maxRunning = 2, keepEnded = 1) {
  return new JobRegistry<Job>({ maxRunning, keepEnded }, () => new TooMany('too many'));
}

const make = (owner: string) => (id: string, controller: AbortController) => ({
  id,
  owner,
  state: 'running' as const,
  controller,
  value: null,
  why: null,
});

/** A promise with its resolve and reject handles. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('JobRegistry', () => {
  it("shows a job to its owner only, and refuses a third running job of one owner (others' do not count)", () => {
    const jobs = registry();
    const a = jobs.add('ann', make('ann'));
    jobs.add('ann', make('ann'));
    jobs.add('bob', make('bob'));
    expect(jobs.get(a.id, 'ann')).toBe(a);
    expect(jobs.get(a.id, 'bob')).toBeNull();
    expect(jobs.get('no-such-id', 'ann')).toBeNull();
    expect(() => jobs.add('ann', make('ann'))).toThrow(TooMany);
  });

  it('records done with the value, failed with why, cancelled when its signal was aborted', async () => {
    const jobs = registry(3, 10);
    const [d1, d2, d3] = [deferred<number>(), deferred<number>(), deferred<number>()];
    const on = (job: Job) => ({
      done: (v: number) => (job.value = v),
      failed: (e: unknown) => (job.why = String(e)),
    });
    const done = jobs.add('ann', make('ann'));
    const failed = jobs.add('ann', make('ann'));
    const cancelled = jobs.add('ann', make('ann'));
    jobs.follow(done, d1.promise, on(done));
    jobs.follow(failed, d2.promise, on(failed));
    jobs.follow(cancelled, d3.promise, on(cancelled));
    expect(jobs.cancel(cancelled.id, 'bob')).toBe(false);
    expect(jobs.cancel(cancelled.id, 'ann')).toBe(true);
    expect(cancelled.controller.signal.aborted).toBe(true);
    d1.resolve(7);
    d2.reject(new Error('boom'));
    d3.reject(new Error('aborted'));
    await settle();
    expect([done.state, done.value]).toEqual(['done', 7]);
    expect([failed.state, failed.why]).toEqual(['failed', 'Error: boom']);
    expect([cancelled.state, cancelled.why]).toEqual(['cancelled', null]);
    expect(jobs.cancel(done.id, 'ann')).toBe(false);
    // Ended jobs free their owner's running slots.
    expect(() => jobs.add('ann', make('ann'))).not.toThrow();
  });

  it('keeps only the last keepEnded ended jobs, and never drops a running one', async () => {
    const jobs = registry(3, 1);
    const first = jobs.add('ann', make('ann'));
    const second = jobs.add('ann', make('ann'));
    const running = jobs.add('ann', make('ann'));
    jobs.follow(first, Promise.resolve(1), { done: () => undefined, failed: () => undefined });
    await settle();
    expect(jobs.get(first.id, 'ann')).toBe(first);
    jobs.follow(second, Promise.resolve(2), { done: () => undefined, failed: () => undefined });
    await settle();
    expect(jobs.get(first.id, 'ann')).toBeNull();
    expect(jobs.get(second.id, 'ann')).toBe(second);
    expect(jobs.get(running.id, 'ann')).toBe(running);
  });
});
