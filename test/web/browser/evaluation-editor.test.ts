import type { Page } from 'playwright-core';
import { makeApp, type TestApp } from '../support/app';
import { DEMO_CITY } from '../support/accounts';
import {
  browserSuite,
  closeBrowser,
  expectNoPageErrors,
  openBrowser,
  type BrowserSession,
} from './support/browser';

/**
 * Issue 12's evaluation-system editor in headless Chromium, by its buttons: add a child to a
 * group, a save refused at the node (the group's weights no longer sum to 100 %) that keeps what
 * was typed, then a save that makes the jurisdiction's next version.
 */
browserSuite('evaluation system editor in a browser', () => {
  let t: TestApp;
  let session: BrowserSession | undefined;
  let page: Page;
  let base: string;

  jest.setTimeout(120_000);

  beforeAll(async () => {
    t = makeApp({ as: 'analyst' });
    session = await openBrowser(t.app, 'en-GB');
    ({ base, page } = session);
    await page.context().addCookies([{ name: 'lang', value: 'en', url: base }]);
  });

  afterAll(async () => closeBrowser(session));

  afterEach(() => expectNoPageErrors(session));

  /** The row (fieldset) of the node whose code field holds `code`. */
  const row = (code: string) =>
    page.locator('fieldset.eval-node', {
      has: page.locator(`input[name$="[code]"][value="${code}"]`),
    });

  it('adds a child, keeps the input of a refused save, then saves a new version', async () => {
    const before = t.store.evaluation.systemVersions(DEMO_CITY).length;
    await page.goto(`${base}/jurisdictions/${encodeURIComponent(DEMO_CITY)}/evaluation`);
    await row('GG').locator('[data-add-child]').click();
    await page.waitForLoadState();
    const kid = row('GG2');
    await expect(kid.locator('select[name$="[kind]"]').inputValue()).resolves.toBe('linear');
    await kid.locator('input[name$="[nameZh]"]').fill('数据要素改革');
    await kid.locator('input[name$="[nameEn]"]').fill('Data reform');
    await kid.locator('input[name$="[weightPercent]"]').fill('50');
    await kid.locator('input[name$="[fullAt]"]').fill('10');
    await page.locator('#eval-node-comment').fill('data reform');
    await page.locator('#eval-node-save').click();
    await page.waitForLoadState();
    await expect(page.locator('#eval-node-errors').innerText()).resolves.toContain(
      'The system was not saved (1 to fix)',
    );
    await expect(row('GG').locator('.group-error').innerText()).resolves.toBe(
      'Group GG (改革创新 · Reform and innovation): weights sum to 150 %, must be 100 %',
    );
    await expect(row('GG2').locator('input[name$="[nameZh]"]').inputValue()).resolves.toBe(
      '数据要素改革',
    );
    await expect(page.locator('#eval-node-comment').inputValue()).resolves.toBe('data reform');
    expect(t.store.evaluation.systemVersions(DEMO_CITY)).toHaveLength(before);
    await row('GG1').locator('input[name$="[weightPercent]"]').fill('50');
    await page.locator('#eval-node-save').click();
    await page.waitForSelector('#eval-notice');
    await expect(page.locator('#eval-notice').innerText()).resolves.toBe(
      `Version ${before + 1} saved.`,
    );
    await expect(page.locator('#eval-tree-table tr[data-code="GG2"]').innerText()).resolves.toMatch(
      /GG2\s+Data reform\s+50%\s+linear: 0 → 0 points, 10 → 100/,
    );
  });
});
