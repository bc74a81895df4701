import type { Page } from 'playwright-core';
import { makeApp, testRiskRunner, type TestApp } from '../support/app';
import {
  browserSuite,
  closeBrowser,
  expectNoPageErrors,
  openBrowser,
  type BrowserSession,
} from './support/browser';

/**
 * Issue 12's optimiser page in headless Chromium: while the solve runs (held back here so the
 * wait can be seen), the form says it is solving, counts the seconds and cannot be sent twice;
 * then the chosen programme is shown.
 */
browserSuite('programme optimiser in a browser', () => {
  let t: TestApp;
  let session: BrowserSession | undefined;
  let page: Page;
  let base: string;

  jest.setTimeout(120_000);

  beforeAll(async () => {
    t = makeApp({ as: 'analyst' });
    session = await openBrowser(t.app, 'zh-CN');
    ({ base, page } = session);
  });

  afterAll(async () => {
    await closeBrowser(session);
    await testRiskRunner().close();
  });

  afterEach(() => expectNoPageErrors(session));

  it('shows the solve in progress, refuses a second click, then the chosen programme', async () => {
    const id = t.store.portfolios.list().find((p) => p.name.includes('Bond-heavy'))!.id;
    await page.goto(`${base}/portfolios/${id}/plan`);
    await expect(page.locator('#plan-busy').innerText()).resolves.toBe('');
    // The POST reaches the server only after 2.5 s: long enough to watch the form wait.
    let posts = 0;
    await page.route(`${base}/portfolios/${id}/plan`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts++;
      await new Promise((r) => setTimeout(r, 2500));
      return route.continue();
    });
    // Clicked and watched from inside the page, in one call: while the navigation it starts is
    // pending, Playwright would wait for the next document before evaluating anything else.
    const seen = await page.evaluate(async () => {
      const button = document.querySelector('#plan-run') as HTMLButtonElement;
      const busy = () => document.querySelector('#plan-busy')?.textContent ?? '';
      button.click();
      const atOnce = busy();
      await new Promise((r) => setTimeout(r, 1300));
      return { atOnce, later: busy(), disabled: button.disabled };
    });
    expect(seen).toEqual({
      atOnce: '正在求解… 已 0 秒（到达时间上限即停止并报告差距）',
      later: '正在求解… 已 1 秒（到达时间上限即停止并报告差距）',
      disabled: true,
    });
    await page.waitForSelector('#plan-result', { timeout: 90_000 });
    expect(posts).toBe(1);
    await expect(page.locator('#plan-total').innerText()).resolves.toMatch(/^\d+\.\d{4}$/);
    await expect(page.locator('#plan-run').isDisabled()).resolves.toBe(false);
  });
});
