import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The browser tests' shared set-up: Debian's Chromium (never a downloaded one) driven by
 * playwright-core against the app served on a free port. Without Chromium the suites fail under
 * CI=true and are skipped, with a message, elsewhere.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = fs.existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';

if (!available && !inCi) {
  console.warn(
    `Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH). They fail instead when CI=true.`,
  );
}

/** `describe` when the suite can run (or must: CI), `describe.skip` otherwise. */
export const browserSuite = available || inCi ? describe : describe.skip;

/** A served app with one browser page on it, recording script errors and CSP violations. */
export interface BrowserSession {
  server: Server;
  base: string;
  browser: Browser;
  page: Page;
  /** Script errors and console errors seen since the last check (422 answers excepted). */
  errors: string[];
}

/**
 * Serves `app` on 127.0.0.1 and opens a 1440 × 900 page on it.
 * @throws when Chromium is missing (only reached under CI=true)
 */
export async function openBrowser(app: Express, locale?: string): Promise<BrowserSession> {
  if (!available)
    throw new Error(
      `Chromium is required for the browser tests (CI=true) but ${CHROMIUM} does not exist`,
    );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return { server, base, browser, ...(await recordedPage(browser, locale)) };
}

/**
 * Another browser context (its own cookies: another signed-in user) on the same served app and
 * browser, recording script errors and CSP violations as the first. Closed with the browser.
 */
export async function openContext(s: BrowserSession, locale?: string): Promise<BrowserSession> {
  return { ...s, ...(await recordedPage(s.browser, locale)) };
}

/** A 1440 × 900 page in a new context, with its script errors and CSP violations recorded. */
async function recordedPage(
  browser: Browser,
  locale: string | undefined,
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    ...(locale ? { locale } : {}),
  });
  // Record CSP violations and script errors: the pages must run under their own policy.
  await context.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __csp: string[] }).__csp.push(
        `${e.violatedDirective} ${e.blockedURI}`,
      );
    });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The 422 answers to deliberately wrong forms are the one error response the tests expect.
    if (m.type() === 'error' && !/status of 422/.test(m.text()))
      errors.push(`console: ${m.text()}`);
  });
  return { page, errors };
}

/** Closes the browser and the server (either may be missing when start-up failed). */
export async function closeBrowser(s: BrowserSession | undefined): Promise<void> {
  await s?.browser.close();
  await new Promise<void>((resolve) => (s ? s.server.close(() => resolve()) : resolve()));
}

/** Asserts that no CSP violation and no script error happened since the last call. */
export async function expectNoPageErrors(s: BrowserSession | undefined): Promise<void> {
  const csp = s
    ? await s.page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])
    : [];
  const seen = s ? s.errors.splice(0) : [];
  expect(csp).toEqual([]);
  expect(seen).toEqual([]);
}
