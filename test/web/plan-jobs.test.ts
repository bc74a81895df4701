import type { PlanOutcome } from '../../src/app/plan';
import type { PlanProgress } from '../../src/app/risk/runner';
import { DomainError, ValidationError } from '../../src/domain/errors';
import { PlanJobs, TooManyPlanJobsError } from '../../src/web/services/plan-jobs';

/**
 * The optimiser's job table (README "Programme optimiser", Jobs) on a clock the test moves: the
 * phase and time left it reports, how a job ends (done, failed with the request's conflict,
 * cancelled), and that a job is its starter's only.
 */
let now = 0;
const jobs = (onFault: (err: unknown) => void = () => undefined) =>
  new PlanJobs(
    () => new Date('2026-05-04T08:30:00.000Z'),
    () => now,
    onFault,
  );

/** Lets the job's work start and its promise callbacks run (the work starts on the next turn). */
const settle = () =>
  new Promise<void>((r) => setImmediate(r)).then(() => new Promise((r) => setImmediate(r)));

/** Work the test drives: it reports what it is told and ends when told. */
function driven() {
  let report: (p: PlanProgress) => void = () => undefined;
  let finish: (o: PlanOutcome) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  let aborted = false;
  const work = (signal: AbortSignal, onProgress: (p: PlanProgress) => void) =>
    new Promise<PlanOutcome>((resolve, reject) => {
      report = onProgress;
      finish = resolve;
      fail = reject;
      signal.addEventListener('abort', () => {
        aborted = true;
        reject(new Error('aborted'));
      });
    });
  return {
    work,
    report: (p: PlanProgress) => report(p),
    finish: (o: PlanOutcome) => finish(o),
    fail: (e: unknown) => fail(e),
    aborted: () => aborted,
  };
}

const outcome = { saved: null } as unknown as PlanOutcome;
const meta = { portfolioId: 7, timeLimitSeconds: 30, form: null };

beforeEach(() => {
  now = 1000;
});

describe('PlanJobs', () => {
  it('reports the phase and the time left: the solve at most its time limit, the re-solves by their pace', async () => {
    const table = jobs();
    const w = driven();
    const job = table.start('u1', meta, w.work);
    expect(job.progress).toEqual({
      phase: 'model',
      done: 0,
      total: 0,
      elapsedMs: 0,
      etaMs: null,
      etaIsLimit: false,
    });
    await settle();
    now = 1500;
    w.report({ phase: 'solve', done: 0, total: 0 });
    now = 5500; // 4 s into the solve of a 30 s limit
    expect(table.get(job.id, 'u1')!.progress).toEqual({
      phase: 'solve',
      done: 0,
      total: 0,
      elapsedMs: 4500,
      etaMs: 26_000,
      etaIsLimit: true,
    });
    w.report({ phase: 'shadow', done: 0, total: 4 });
    now = 8500;
    expect(table.get(job.id, 'u1')!.progress.etaMs).toBeNull();
    w.report({ phase: 'shadow', done: 1, total: 4 }); // 3 s for the first of 4
    expect(table.get(job.id, 'u1')!.progress).toMatchObject({
      phase: 'shadow',
      done: 1,
      total: 4,
      elapsedMs: 7500,
      etaMs: 9000,
      etaIsLimit: false,
    });
    now = 9000;
    w.finish(outcome);
    await settle();
    now = 20_000;
    const done = table.get(job.id, 'u1')!;
    expect(done.state).toBe('done');
    expect(done.outcome).toBe(outcome);
    expect(done.progress).toMatchObject({ elapsedMs: 8000, etaMs: 0, done: 4, total: 4 });
  });

  it('cancels: the work is aborted and the job ends cancelled, with no error', async () => {
    const table = jobs();
    const w = driven();
    const job = table.start('u1', meta, w.work);
    await settle();
    expect(table.cancel(job.id, 'u2')).toBe(false);
    expect(w.aborted()).toBe(false);
    expect(table.cancel(job.id, 'u1')).toBe(true);
    await settle();
    expect(w.aborted()).toBe(true);
    expect(table.get(job.id, 'u1')).toMatchObject({ state: 'cancelled', error: null });
    expect(table.cancel(job.id, 'u1')).toBe(false);
  });

  it.each([
    [
      'the request conflicts',
      new ValidationError([{ path: 'mustDo[0]', message: 'X is not a project' }], 'Not valid'),
      {
        code: 'invalid-input',
        message: 'Not valid',
        issues: [{ path: 'mustDo[0]', message: 'X is not a project' }],
      },
      false,
    ],
    [
      'no programme fits',
      new DomainError('plan-infeasible', 'No programme meets the constraints'),
      { code: 'plan-infeasible', message: 'No programme meets the constraints', issues: [] },
      false,
    ],
    [
      'a fault (logged, not shown)',
      new Error('wasm abort'),
      { code: 'plan-failed', message: 'The optimisation stopped unexpectedly', issues: [] },
      true,
    ],
  ])('fails when %s', async (_what, err, error, logged) => {
    const faults: unknown[] = [];
    const table = jobs((e) => faults.push(e));
    const w = driven();
    const job = table.start('u1', meta, w.work);
    await settle();
    w.fail(err);
    await settle();
    expect(table.get(job.id, 'u1')).toMatchObject({ state: 'failed', error });
    expect(faults).toEqual(logged ? [err] : []);
  });

  it('is its starter’s only, and one user runs at most two at once', async () => {
    const table = jobs();
    const a = table.start('u1', meta, driven().work);
    table.start('u1', meta, driven().work);
    expect(() => table.start('u1', meta, driven().work)).toThrow(TooManyPlanJobsError);
    expect(table.start('u2', meta, driven().work).owner).toBe('u2');
    expect(table.get(a.id, 'u2')).toBeNull();
    expect(table.get('no-such-job', 'u1')).toBeNull();
    await settle();
  });
});
