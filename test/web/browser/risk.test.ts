import fs from 'node:fs';
import path from 'node:path';
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
 * Issue 11 in headless Chromium: the Risk page of a demo scenario draws its tornado and spider
 * charts; a Monte Carlo started from its form goes through the progress page (the script follows
 * the job) to the recorded run, whose histograms, CDFs and fan charts are drawn.
 * Screenshots go to test/artifacts/screenshots/.
 */
const SHOTS = path.join(__dirname, '..', '..', 'artifacts', 'screenshots');

browserSuite('risk analysis in a browser', () => {
  let t: TestApp;
  let session: BrowserSession | undefined;
  let page: Page;
  let base: string;

  jest.setTimeout(90_000);

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    t = makeApp({ as: 'analyst' });
    session = await openBrowser(t.app, 'zh-CN');
    ({ base, page } = session);
  });

  afterAll(async () => {
    await closeBrowser(session);
    await testRiskRunner().close();
  });

  afterEach(() => expectNoPageErrors(session));

  /** Pixels a chart canvas has drawn (non-transparent). */
  const pixels = (key: string) =>
    page.$eval(`canvas[data-chart="${key}"]`, (c) => {
      const canvas = c as HTMLCanvasElement;
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0) return 0;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) n++;
      return n;
    });
  const drawn = (key: string) =>
    page.waitForSelector(`canvas[data-chart="${key}"][data-drawn="true"]`);

  it('draws the tornado and the spider of a scenario and lists its drivers by swing', async () => {
    const id = t.store.scenarios.list({ projectCode: 'SC-WATER' })[0]!.id;
    await page.goto(`${base}/scenarios/${id}/risk`);
    await expect(page.locator('h1').innerText()).resolves.toContain('风险分析');
    await drawn('tornado');
    await drawn('spider');
    expect(await pixels('tornado')).toBeGreaterThan(1000);
    expect(await pixels('spider')).toBeGreaterThan(1000);
    expect(await page.locator('#tornado-table tbody tr').count()).toBeGreaterThan(3);
    await page.screenshot({ path: path.join(SHOTS, 'risk-page.png'), fullPage: true });
  });

  it('runs a Monte Carlo from the form, follows its progress and shows the recorded run with its charts', async () => {
    const visited: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && visited.push(f.url()));
    await page.fill('#mc-form input[name="trials"]', '400');
    await page.fill('#mc-form input[name="seed"]', '21');
    await Promise.all([
      page.waitForURL(/\/risk-runs\/\d+$/, { timeout: 60_000 }),
      page.click('#mc-form button[type="submit"]'),
    ]);
    expect(visited.some((u) => /\/risk-jobs\/[0-9a-f-]+$/.test(u))).toBe(true);
    await expect(page.locator('#risk-summary h2').innerText()).resolves.toContain('400');
    for (const key of ['hist-projectNpv', 'cdf-projectNpv', 'fanCfads', 'fanDscr']) {
      await drawn(key);
      expect(await pixels(key)).toBeGreaterThan(500);
    }
    await page.screenshot({ path: path.join(SHOTS, 'risk-run.png'), fullPage: true });
  });
});
