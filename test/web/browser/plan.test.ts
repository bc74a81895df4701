import type { Page } from 'playwright-core';
import type { MonteCarloRunner } from '../../../src/app/risk/runner';
import { makeApp, testRiskRunner, type TestApp } from '../support/app';
import {
  browserSuite,
  closeBrowser,
  expectNoPageErrors,
  openBrowser,
  type BrowserSession,
} from './support/browser';

/**
 * The risk pool with every optimisation held in its solve phase until the test lets it go (or it
 * is cancelled): the job page can be watched while it runs, whatever the machine's speed.
 */
function heldRunner() {
  const real = testRiskRunner();
  const held: Array<() => void> = [];
  // Once released, later solves run at once (the model is built on the pool first, so the solve
  // may start after the test has let go).
  let released = false;
  const runner = Object.create(real) as MonteCarloRunner;
  runner.optimise = (input, options, control = {}) =>
    released
      ? real.optimise(input, options, control)
      : new Promise((resolve, reject) => {
          control.onProgress?.({ phase: 'solve', done: 0, total: 0 });
          control.signal?.addEventListener('abort', () => reject(control.signal?.reason));
          held.push(() => void real.optimise(input, options, control).then(resolve, reject));
        });
  const release = () => {
    released = true;
    held.splice(0).forEach((go) => go());
  };
  return { runner, release };
}

/**
 * Issue 12's optimiser in headless Chromium: Optimise starts a job whose page shows the phase and
 * the time left, and updates itself; Cancel stops it and shows the form again; a job that ends
 * shows the chosen programme and the save form.
 */
browserSuite('programme optimiser in a browser', () => {
  let t: TestApp;
  let session: BrowserSession | undefined;
  let page: Page;
  let base: string;
  let id: number;
  const held = heldRunner();

  jest.setTimeout(120_000);

  beforeAll(async () => {
    t = makeApp({ as: 'analyst', riskRunner: held.runner });
    session = await openBrowser(t.app, 'zh-CN');
    ({ base, page } = session);
    id = t.store.portfolios.list().find((p) => p.name.includes('Bond-heavy'))!.id;
  });

  afterAll(async () => {
    await closeBrowser(session);
    await testRiskRunner().close();
  });

  afterEach(() => expectNoPageErrors(session));

  const phase = () => page.locator('#job-phase').innerText();

  it('shows the solve in progress with its time left, and Cancel stops it', async () => {
    await page.goto(`${base}/portfolios/${id}/plan`);
    await page.fill('input[name="timeLimitSeconds"]', '45');
    await Promise.all([page.waitForURL(/\/plan-jobs\/[0-9a-f-]{36}$/), page.click('#plan-run')]);
    // The page follows the job by itself: the phase and the solve's upper bound appear.
    await page.waitForFunction(
      () => document.querySelector('#job-phase')?.textContent === '正在求解…',
    );
    await expect(page.locator('#job-eta').innerText()).resolves.toMatch(
      /^求解最多还需 (4[0-5]) 秒（到达时间上限即停止并报告差距）$/,
    );
    // The script updates the time so far (the page was rendered at 0 s).
    await page.waitForFunction(() =>
      /^已用 [1-9]\d* 秒$/.test(document.querySelector('#job-elapsed')?.textContent ?? ''),
    );
    const job = page.url();
    await Promise.all([page.waitForURL(job), page.click('#job-cancel')]);
    await expect(page.locator('#plan-problem').innerText()).resolves.toBe(
      '优化已取消，未求解也未保存任何内容。',
    );
    // The form as it was typed, ready to run again; no result.
    await expect(page.inputValue('input[name="timeLimitSeconds"]')).resolves.toBe('45');
    await expect(page.locator('#plan-result').count()).resolves.toBe(0);
  });

  it('shows the chosen programme when the job ends, with the save form', async () => {
    await page.goto(`${base}/portfolios/${id}/plan`);
    await Promise.all([page.waitForURL(/\/plan-jobs\//), page.click('#plan-run')]);
    await expect(phase()).resolves.toMatch(/^正在(构建模型|求解)…$/);
    held.release();
    await page.waitForSelector('#plan-result', { timeout: 90_000 });
    await expect(page.locator('#plan-status').innerText()).resolves.toMatch(/^已求得最优解。/);
    await expect(page.locator('#plan-total').innerText()).resolves.toMatch(/^\d+\.\d{4}$/);
    await expect(page.locator('#plan-save-name').count()).resolves.toBe(1);
  });
});
