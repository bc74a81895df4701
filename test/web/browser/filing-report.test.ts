import { actorOfUser } from '../../../src/app/actors';
import {
  approveFiling,
  getFiling,
  justifyFailure,
  submitFiling,
  takeUnderReview,
} from '../../../src/app/filings';
import { asActor } from '../../../src/app/actors';
import { SIGN_IN_COOKIE } from '../../../src/web/middleware/auth';
import { makeApp, sessionCookie, type TestApp } from '../support/app';
import { smallInput } from '../../helpers/scenarios';
import { browserSuite, closeBrowser, openBrowser, type BrowserSession } from './support/browser';

const CITY = '示范市 Demo City';

/**
 * The printed filing report (issue 10) in headless Chromium: printed to PDF on A4 it is one
 * page, no line of it runs past the page's width, and its Chinese text is set in a CJK font
 * (the PDF embeds one).
 */
browserSuite('the filing report printed to PDF', () => {
  let t: TestApp;
  let session: BrowserSession | undefined;
  let filingId: number;

  beforeAll(async () => {
    t = makeApp({ demo: false, as: null });
    const actor = (name: string) => actorOfUser(t.store.accounts.findUser(name)!, 'session', false);
    const analyst = actor('analyst');
    const approver = actor('approver');
    const saved = asActor(t.store, analyst, () =>
      t.store.scenarios.save(
        smallInput((s) => {
          s.project.code = 'D-PARK';
          s.project.name = '示范市智慧停车项目 Demo City smart parking';
          s.project.jurisdiction = CITY;
          s.scenario.name = '基准方案 base';
        }),
        { actor: 'analyst', comment: '' },
      ),
    );
    const filed = submitFiling(t.store, analyst, {
      versionId: saved.version.id,
      jurisdiction: CITY,
      dataSharingDeclared: true,
      allFundingDeclared: true,
      comment: '请审核。数据资源已在城市数据平台登记。',
    });
    filingId = filed.id;
    let view = takeUnderReview(t.store, approver, {
      filingId,
      expectedEvents: filed.eventCount,
      comment: '受理。',
    });
    for (const item of view.preApproval.items)
      for (const gap of item.gaps)
        if (gap.code === 'failure-unjustified')
          view = justifyFailure(t.store, analyst, {
            filingId,
            ruleId: gap.ruleId,
            text: '合作方为依法设立的平台公司，已报经批准。',
          });
    approveFiling(t.store, approver, {
      filingId,
      expectedEvents: getFiling(t.store, approver, filingId).eventCount,
      comment: '同意备案。',
    });
    session = await openBrowser(t.app, 'zh-CN');
    const [name, value] = sessionCookie(t.store, 'auditor').split('=') as [string, string];
    expect(name).toBe(SIGN_IN_COOKIE);
    await session.page.context().addCookies([
      { name, value, url: session.base },
      { name: 'lang', value: 'zh', url: session.base },
    ]);
  });
  afterAll(() => closeBrowser(session));

  it('is one A4 page, nothing cut off, Chinese text rendered', async () => {
    const page = session!.page;
    const res = await page.goto(`${session!.base}/filings/${filingId}/report`);
    expect(res?.status()).toBe(200);
    await page.emulateMedia({ media: 'print' });
    // A4 less 12 mm margins at 96 px/in: 186 mm ≈ 703 px wide.
    await page.setViewportSize({ width: 703, height: 1009 });
    const overflowing = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#filing-report *'))
        .filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
        .map((el) => `${el.tagName}#${el.id}.${el.className}`),
    );
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      703,
    );
    expect(await page.locator('#filing-report h1').innerText()).toContain('备案报告');
    expect(await page.locator('.report-bar').isVisible()).toBe(false);

    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const text = pdf.toString('latin1');
    expect(text.match(/\/Type\s*\/Page(?!s)/g)?.length).toBe(1);
    expect(text).toMatch(/\/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?\s*\]/);
    expect(text).toMatch(/NotoS(ans|erif)CJK/);
  });
});
