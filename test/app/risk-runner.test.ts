import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { runInThisThread } from '../../src/domain/risk/montecarlo';
import { defaultSpec, readSpec } from '../../src/domain/risk/spec';
import { MonteCarloRunner, WorkerFailedError, type Progress } from '../../src/app/risk/runner';
import { smallInput } from '../helpers/scenarios';
import { riskWorkerFile } from '../helpers/risk-worker';
import { parseScenario } from '../../src/domain/scenario/parse';

/**
 * The worker pool runs the TypeScript sources through a transpiling hook (no build needed). Its
 * figures are the ones a single thread computes, whatever the number of workers.
 */
const filename = riskWorkerFile();

const input = smallInput();
const scenario = parseScenario(input);
const spec = defaultSpec(scenario);
const TRIALS = 600;

function inThisThread() {
  return runInThisThread(scenario, readSpec(spec, scenario), TRIALS, 5, ENGINE_VERSION);
}

it('1 and 2 workers give the figures of one thread, bit for bit, and report progress to the end', async () => {
  const here = inThisThread();
  for (const workers of [1, 2]) {
    const runner = new MonteCarloRunner({ workers, filename });
    const seen: Progress[] = [];
    try {
      const out = await runner.run(
        { scenario: input, spec, trials: TRIALS, seed: 5 },
        { onProgress: (p) => seen.push(p) },
      );
      expect(out.summary).toEqual(here.summary);
      expect(out.charts).toEqual(here.charts);
    } finally {
      await runner.close();
    }
    // Chunks of 250 finish in any order with 2 workers; progress only grows, and ends at 600.
    const done = seen.map((p) => p.done);
    expect(done).toHaveLength(3);
    expect(done.every((d, i) => i === 0 || d > done[i - 1]!)).toBe(true);
    expect(done.at(-1)).toBe(600);
    expect(seen.at(-1)!.etaMs).toBe(0);
  }
}, 120_000);

it('with revenue paths too: 1 and 2 workers give the figures of one thread, bit for bit', async () => {
  // Each trial's path is drawn before the chunks go out: chunks of 250 must not move a draw.
  const withPaths = {
    ...spec,
    paths: [
      { driver: 'revenue', model: 'random-walk' as const, sd: 0.1, start: 1 },
      { driver: 'revenue:Income', model: 'ar1' as const, sd: 0.2, phi: 0.5, start: 2 },
    ],
  };
  const here = runInThisThread(scenario, readSpec(withPaths, scenario), TRIALS, 5, ENGINE_VERSION);
  expect(here.summary).not.toEqual(inThisThread().summary);
  for (const workers of [1, 2]) {
    const runner = new MonteCarloRunner({ workers, filename });
    try {
      const out = await runner.run({ scenario: input, spec: withPaths, trials: TRIALS, seed: 5 });
      expect(out.summary).toEqual(here.summary);
      expect(out.charts).toEqual(here.charts);
    } finally {
      await runner.close();
    }
  }
}, 120_000);

it('a cancelled run stops with an abort error and leaves the pool usable', async () => {
  const runner = new MonteCarloRunner({ workers: 1, filename });
  try {
    const controller = new AbortController();
    const run = runner.run(
      { scenario: input, spec, trials: 5000, seed: 1 },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const out = await runner.run({ scenario: input, spec, trials: 10, seed: 1 });
    expect(out.summary.trials).toBe(10);
  } finally {
    await runner.close();
  }
}, 120_000);

it('a worker thread that cannot start fails the run with its reason, instead of hanging or crashing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-worker-'));
  const broken = path.join(dir, 'broken-worker.js');
  fs.writeFileSync(broken, "throw new Error('the worker module is broken');\n");
  const runner = new MonteCarloRunner({ workers: 1, filename: broken });
  try {
    const failure = await runner.run({ scenario: input, spec, trials: 10, seed: 1 }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkerFailedError);
    expect((failure as Error).message).toBe(
      'A risk worker thread failed: the worker module is broken',
    );
    await expect(
      runner.analyse(input, { kind: 'sensitivity', metric: 'projectNpv' }),
    ).rejects.toThrow('the worker module is broken');
  } finally {
    await runner.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
