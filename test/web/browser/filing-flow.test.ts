import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { makeApp, type TestApp } from '../support/app';
import {
  browserSuite,
  closeBrowser,
  expectNoPageErrors,
  openBrowser,
  openContext,
  type BrowserSession,
} from './support/browser';
import { pdfContains, pdfText } from './support/pdf-text';

/**
 * Issue 10's tests in headless Chromium: every demo role signs in through the sign-in form (one
 * browser context each, nothing signed in for them), and a filing is walked from submission to
 * approval and a return, each user asserting what they see: the enterprise imports its own
 * project and files its current version to 示范市 Demo City's bureau with the two declarations;
 * the approver takes it under review and returns it with a comment; the enterprise finds it
 * "returned to me", justifies each failing rule and resubmits; the approver takes it under review
 * again, the pre-approval checklist complete, while the analyst, who sees the filing under way,
 * has no approve button and is refused a posted approval (403), then approves; the admin sees no
 * project; the auditor sees the approved filing and prints its report to PDF (one A4 page,
 * nothing cut off: every item's text is in the PDF's text; Chinese set in Noto Sans CJK SC).
 *
 * Screenshots go to test/artifacts/screenshots/, the report's PDF to test/artifacts/.
 */
const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts');
const SHOTS = path.join(ARTIFACTS, 'screenshots');
const EXAMPLE = path.join(
  __dirname,
  '..',
  '..',
  '..',
  'data',
  'examples',
  'smart-parking-concession.json',
);
const CITY = '示范市 Demo City';
const FIRM = '智慧城建科技有限公司 Smart City Builders Ltd';
const PROJECT = '企业智慧停车 Enterprise smart parking';
const USERS = ['analyst', 'approver', 'enterprise', 'auditor', 'admin'] as const;
type User = (typeof USERS)[number];
/** The role the header names for each demo user (zh.ts `role.*`). */
const ROLE: Record<User, string> = {
  analyst: '财政局分析员',
  approver: '财政局审批人',
  enterprise: '企业分析员',
  auditor: '审计员',
  admin: '管理员',
};

/** A4 at 96 px per inch, less the report's 12 mm margins (report.css `@page`). */
const MM = 96 / 25.4;
const A4_CONTENT = { width: Math.floor((210 - 24) * MM), height: Math.floor((297 - 24) * MM) };

browserSuite('a filing walked through by each role in the browser', () => {
  let t: TestApp;
  let first: BrowserSession | undefined;
  const sessions = new Map<User, BrowserSession>();
  let base: string;
  let filingId: number;

  jest.setTimeout(60_000);

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // Nobody is signed in for the browser: each user signs in through the form.
    t = makeApp({ as: null });
    first = await openBrowser(t.app, 'zh-CN');
    base = first.base;
    sessions.set(USERS[0], first);
    for (const user of USERS.slice(1)) sessions.set(user, await openContext(first, 'zh-CN'));
    // A missing element fails its step at once, not after playwright's 30 s.
    for (const s of sessions.values()) s.page.setDefaultTimeout(5_000);
  });

  afterAll(() => closeBrowser(first));

  afterEach(async () => {
    for (const s of sessions.values()) await expectNoPageErrors(s);
  });

  const pageOf = (user: User): Page => sessions.get(user)!.page;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  /** The visible text of the one element a selector finds, spaces collapsed. */
  const text = async (page: Page, selector: string) =>
    (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();
  /** Clicks and waits until the browser is at the page the click leads to. */
  const follow = (page: Page, url: string | RegExp, selector: string) =>
    Promise.all([page.waitForURL(url), page.click(selector)]);
  /** Posts a filing page's transition form and waits for the page it leads to. */
  const transition = (page: Page, kind: string) =>
    follow(page, new RegExp(`/filings/${filingId}\\?done=${kind}$`), `#transition-${kind} button`);
  /** Opens the filing from a section of the user's inbox (/filings), through its link. */
  const openFromInbox = async (page: Page, section: string) => {
    await page.goto(`${base}/filings`);
    await expect(text(page, `#${section} tbody`)).resolves.toContain(PROJECT);
    await follow(page, `${base}/filings/${filingId}`, `#${section} a:has-text("${PROJECT}")`);
  };

  it('signs every demo role in through the sign-in form', async () => {
    for (const user of USERS) {
      const page = pageOf(user);
      await page.goto(`${base}/`);
      // Nobody signed in: the app sends the browser to the sign-in page.
      await page.waitForURL(/\/login(\?|$)/);
      await expect(text(page, 'h1')).resolves.toBe('登录');
      await page.fill('#login-username', user);
      await page.fill('#login-password', `demo-${user}-2026`);
      await Promise.all([
        page.waitForURL((url) => url.pathname !== '/login'),
        page.click('#login-form button[type="submit"]'),
      ]);
      await expect(text(page, '#viewer [data-username]')).resolves.toBe(user);
      await expect(text(page, '#viewer .viewer-roles')).resolves.toBe(ROLE[user]);
    }
    await expect(text(pageOf('enterprise'), '#viewer .viewer-org')).resolves.toBe(FIRM);
    await shot(pageOf('enterprise'), 'filing-01-signed-in');
  });

  it('the enterprise imports its own project and files its current version to the bureau', async () => {
    const page = pageOf('enterprise');
    // Its project list is empty: the demo city's projects are the bureau's.
    await page.goto(`${base}/projects`);
    await expect(text(page, '.empty')).resolves.toBe('尚无项目。');

    const file = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as {
      project: { code: string; name: string; jurisdiction: string };
      funding: { sources: Array<{ id: string; share: string }> };
    };
    file.project.code = 'ENT-PARK';
    file.project.name = PROJECT;
    // The private partner's equity cut to 10 % and the city company's raised to 30 %: the
    // private-enterprise share (25 % of the equity) fails its rule, which then needs a justification.
    const [privateEquity, soeEquity] = file.funding.sources;
    expect([privateEquity!.id, soeEquity!.id]).toEqual(['private-equity', 'soe-equity']);
    privateEquity!.share = '0.1';
    soeEquity!.share = '0.3';
    expect(file.project.jurisdiction).toBe(CITY);
    await follow(page, `${base}/import`, 'a:has-text("导入文件")');
    await page.setInputFiles('#import-file', {
      name: 'ent-park.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file, null, 2)),
    });
    await page.waitForFunction(() =>
      (document.querySelector('#import-text') as HTMLTextAreaElement | null)?.value.includes(
        '"ENT-PARK"',
      ),
    );
    await follow(page, /\/scenarios\/\d+\?saved=1$/, '#import-form button[type="submit"]');
    await expect(text(page, '.notice-ok')).resolves.toBe('已保存为第1版。');

    // The results page of its current version offers to file it.
    await expect(text(page, '#results-file')).resolves.toBe('报送此版本 提交财政局审核批准');
    await follow(page, /\/versions\/\d+\/file$/, '#results-file a');
    await expect(text(page, 'h1')).resolves.toMatch(/^报送 .+ v1$/);
    await page.selectOption('#file-jurisdiction', CITY);
    await page.check('#file-data-sharing');
    await page.check('#file-all-funding');
    await page.fill('#file-comment', '请审核。项目数据资源已在城市数据平台登记。');
    await shot(page, 'filing-02-file-form');
    await follow(page, /\/filings\/\d+\?done=submit$/, '#file-form button[type="submit"]');
    filingId = Number(/\/filings\/(\d+)/.exec(page.url())![1]);

    await expect(text(page, '#filing-notice')).resolves.toBe(
      '已报送，该辖区财政局的待审列表中已可见。',
    );
    await expect(text(page, '#filing-state')).resolves.toBe('已报送');
    await expect(text(page, '#filing-lead')).resolves.toMatch(
      new RegExp(`^由 enterprise（${FIRM.replace(/[()]/g, '\\$&')}）于 .+ 报送至 ${CITY}$`),
    );
    await expect(text(page, '#filing-declarations')).resolves.toBe(
      '已声明 项目数据资源已在城市数据平台登记共享（信息共享前置） 已声明 项目全部资金来源均已在本版本中申报（全口径）',
    );
    await expect(text(page, '#filing-thread')).resolves.toContain(
      '请审核。项目数据资源已在城市数据平台登记。',
    );
    // The filer may withdraw, not review or approve its own filing.
    await expect(page.locator('#filing-actions button').allInnerTexts()).resolves.toEqual([
      '撤回报送',
    ]);
    await page.goto(`${base}/filings`);
    await expect(text(page, '#inbox-mine tbody')).resolves.toContain(PROJECT);
    await expect(page.locator('#inbox-review').count()).resolves.toBe(0);
  });

  it('the approver finds it awaiting review, takes it under review and returns it with a comment', async () => {
    const page = pageOf('approver');
    await openFromInbox(page, 'inbox-review');
    await expect(text(page, '#filing-state')).resolves.toBe('已报送');
    // Returned only once under review.
    await expect(page.locator('#filing-actions button').allInnerTexts()).resolves.toEqual([
      '受理审核',
    ]);
    await transition(page, 'take-under-review');
    await expect(text(page, '#filing-notice')).resolves.toBe('已受理审核。');
    await expect(text(page, '#filing-state')).resolves.toBe('审核中');
    await expect(page.locator('#filing-actions button').allInnerTexts()).resolves.toEqual([
      '批准',
      '退回并附意见',
    ]);
    // The failing rule has no justification yet: the pre-approval checklist is incomplete.
    await expect(text(page, '#pre-approval h2 .badge')).resolves.toBe('未完备：暂不能批准');
    await expect(text(page, '#pre-all-caliber')).resolves.toBe(
      '缺项 全口径审查 未通过的规则“民营企业参与比例”尚无书面情况说明。',
    );
    await page.click('#transition-approve button');
    await page.waitForSelector('#transition-approve .error-summary');
    await expect(text(page, '#transition-approve .error-summary')).resolves.toBe(
      '审批前置清单未完备：全口径审查。缺项见下文。',
    );
    await expect(text(page, '#filing-state')).resolves.toBe('审核中');

    // A return needs its reason: without one, refused at the form.
    await page.click('#transition-return button');
    await page.waitForSelector('#transition-return .error-summary');
    await expect(text(page, '#transition-return .error-summary')).resolves.toBe('请说明退回理由。');
    await expect(text(page, '#filing-state')).resolves.toBe('审核中');
    await page.fill(
      '#transition-return-comment',
      '请补充运营成本测算依据，并对未通过项作出书面说明。',
    );
    await shot(page, 'filing-03-return');
    await transition(page, 'return');
    await expect(text(page, '#filing-notice')).resolves.toBe('已退回报送方，并附您的意见。');
    await expect(text(page, '#filing-state')).resolves.toBe('已退回（附意见）');
    await expect(page.locator('#filing-actions button').count()).resolves.toBe(0);
    await page.goto(`${base}/filings`);
    // Only the demo's own filing (SC-COMMUNITY) still waits for review; this one does not.
    await expect(text(page, '#inbox-review')).resolves.not.toContain('ENT-PARK');
    await expect(text(page, '#inbox-review')).resolves.toContain('SC-COMMUNITY');
  });

  it('the enterprise sees it returned to it, justifies each failing rule and resubmits', async () => {
    const page = pageOf('enterprise');
    await openFromInbox(page, 'inbox-returned');
    await expect(text(page, '#filing-state')).resolves.toBe('已退回（附意见）');
    await expect(text(page, '#filing-thread')).resolves.toContain(
      '退回 (审核中 → 已退回（附意见）) · approver',
    );
    await expect(text(page, '#filing-thread')).resolves.toContain(
      '请补充运营成本测算依据，并对未通过项作出书面说明。',
    );
    const failing = await page.locator('#checklist tr[data-status="fail"]').count();
    expect(failing).toBe(1);
    const forms = page.locator('#pre-approval .justification form');
    await expect(forms.count()).resolves.toBe(failing);
    for (let i = 0; i < failing; i++) {
      const form = forms.first();
      await form.locator('textarea').fill(`未通过项情况说明 ${i + 1}：已报经主管部门批准。`);
      await Promise.all([
        page.waitForURL(new RegExp(`/filings/${filingId}\\?done=justify$`)),
        form.locator('button').click(),
      ]);
      await expect(text(page, '#filing-notice')).resolves.toBe('情况说明已保存。');
    }
    await expect(page.locator('#pre-approval .justification blockquote').count()).resolves.toBe(
      failing,
    );
    await expect(text(page, '#pre-all-caliber')).resolves.toBe('已完备 全口径审查');
    await expect(text(page, '#pre-data-sharing')).resolves.toBe('已完备 信息共享前置');

    // The resubmission keeps the two declarations, ticked as filed.
    await expect(text(page, '#transition-resubmit .hint')).resolves.toBe(
      '按原样重新报送第 1 版（如需修改，请先保存新版本）。',
    );
    const boxes = page.locator('#transition-resubmit input[type="checkbox"]');
    await expect(boxes.count()).resolves.toBe(2);
    for (const i of [0, 1]) await expect(boxes.nth(i).isChecked()).resolves.toBe(true);
    await page.fill('#transition-resubmit-comment', '已补充说明。');
    await transition(page, 'resubmit');
    await expect(text(page, '#filing-notice')).resolves.toBe('已重新报送财政局。');
    await expect(text(page, '#filing-state')).resolves.toBe('已重新报送');
    await shot(page, 'filing-04-resubmitted');
  });

  it('the approver takes it under review again: the pre-approval checklist is complete', async () => {
    const page = pageOf('approver');
    await openFromInbox(page, 'inbox-review');
    await expect(text(page, '#filing-state')).resolves.toBe('已重新报送');
    await transition(page, 'take-under-review');
    await expect(text(page, '#filing-state')).resolves.toBe('审核中');
    await expect(text(page, '#pre-approval h2 .badge')).resolves.toBe('已完备');
    await expect(text(page, '#pre-data-sharing')).resolves.toBe('已完备 信息共享前置');
    await expect(text(page, '#pre-all-caliber')).resolves.toBe('已完备 全口径审查');
    await expect(page.locator('#transition-approve button').innerText()).resolves.toBe('批准');
  });

  it('the analyst sees the filing under way but cannot approve it: no button, and a posted approval answers 403', async () => {
    const page = pageOf('analyst');
    await openFromInbox(page, 'inbox-under-way');
    await expect(text(page, '#filing-state')).resolves.toBe('审核中');
    await expect(page.locator('#transition-approve').count()).resolves.toBe(0);
    await expect(page.locator('#filing-actions button').count()).resolves.toBe(0);
    // Posted anyway, as the approver's page would (its event count), with the analyst's own
    // session and form token: refused for the role, not for the token.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const events = await pageOf('approver')
      .locator('#transition-approve input[name="expectedEvents"]')
      .inputValue();
    const answer = await page.context().request.post(`${base}/filings/${filingId}/approve`, {
      form: { _csrf: csrf, expectedEvents: events, comment: '越权批准' },
      maxRedirects: 0,
    });
    expect(answer.status()).toBe(403);
    expect(await answer.text()).toContain('无权操作');
    await page.reload();
    await expect(text(page, '#filing-state')).resolves.toBe('审核中');
  });

  it('the approver approves it', async () => {
    const page = pageOf('approver');
    await page.fill('#transition-approve-comment', '同意备案。');
    await transition(page, 'approve');
    await expect(text(page, '#filing-notice')).resolves.toBe('已批准。');
    await expect(text(page, '#filing-state')).resolves.toBe('已批准');
    await expect(text(page, '#filing-lead')).resolves.toMatch(/ · 由 approver 于 .+ 批准$/);
    await expect(text(page, '#filing-no-actions')).resolves.toBe('您目前对该报送无可执行的操作。');
    // The whole walk in the thread, the analyst's refused post not among it.
    await expect(page.locator('#filing-thread li > strong').allInnerTexts()).resolves.toEqual([
      '报送',
      '受理审核',
      '退回',
      '情况说明',
      '重新报送',
      '受理审核',
      '批准',
    ]);
    await shot(page, 'filing-05-approved');
    await page.goto(`${base}/filings`);
    await expect(text(page, '#inbox-approved h2')).resolves.toBe('2026年已批准 1');
    await expect(text(page, '#inbox-approved tbody')).resolves.toContain('已批准');
    // The analyst finds it approved too.
    const analyst = pageOf('analyst');
    await openFromInbox(analyst, 'inbox-approved');
    await expect(text(analyst, '#filing-state')).resolves.toBe('已批准');
  });

  it('the admin sees no project and no filing', async () => {
    const page = pageOf('admin');
    await page.goto(`${base}/projects`);
    await expect(text(page, '.empty')).resolves.toBe('尚无项目。');
    await expect(page.locator('#project-list').count()).resolves.toBe(0);
    await page.goto(`${base}/filings`);
    await expect(text(page, '#inbox-approved')).resolves.toContain('暂无。');
    await expect(page.locator('#filings-list a, main tbody a').count()).resolves.toBe(0);
  });

  it('the auditor sees the approved filing and its report, printed to PDF on one A4 page with Chinese text', async () => {
    const page = pageOf('auditor');
    await openFromInbox(page, 'inbox-approved');
    await expect(text(page, '#filing-state')).resolves.toBe('已批准');
    await expect(page.locator('#filing-actions button').count()).resolves.toBe(0);
    await follow(page, `${base}/filings/${filingId}/report`, '#report-link');
    await expect(text(page, '#filing-report h1')).resolves.toContain(`备案报告 · ${PROJECT}`);
    const facts = await text(page, '#report-facts');
    for (const fact of [CITY, 'ENT-PARK', '报送人 enterprise', `批准人 approver`])
      expect(facts).toContain(fact);
    await expect(text(page, '#report-checklist')).resolves.toContain(
      '民营企业参与比例 · enterprise 说明: 未通过项情况说明 1：已报经主管部门批准。',
    );
    await expect(text(page, '#report-comments')).resolves.toContain('同意备案。');
    await expect(text(page, '#report-comments')).resolves.toContain(
      '请补充运营成本测算依据，并对未通过项作出书面说明。',
    );

    await shot(page, 'filing-06-report');
    // Laid out as printed, at the width and height of A4's content box.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize(A4_CONTENT);
    const layout = await page.evaluate(({ width, height }) => {
      const report = document.querySelector('#filing-report')!;
      const outside = Array.from(report.querySelectorAll<HTMLElement>('*'))
        .filter((el) => {
          const r = el.getBoundingClientRect();
          const clipped = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
          return clipped || r.right > width + 0.5 || r.bottom > height + 0.5 || r.left < -0.5;
        })
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}: ${el.innerText.slice(0, 60)}`,
        );
      // Chinese set in a real CJK glyph: a full-width em per character, not a narrow box.
      const probe = document.createElement('span');
      probe.textContent = '备案报告审计';
      probe.style.fontSize = '16px';
      report.append(probe);
      const cjkWidth = probe.getBoundingClientRect().width;
      probe.remove();
      return {
        outside,
        scrollWidth: document.documentElement.scrollWidth,
        scrollHeight: document.documentElement.scrollHeight,
        barShown: getComputedStyle(document.querySelector('.report-bar')!).display !== 'none',
        cjkFont: document.fonts.check('16px "Noto Sans CJK SC"', '备案'),
        cjkWidth,
      };
    }, A4_CONTENT);
    expect(layout.outside).toEqual([]);
    expect(layout.scrollWidth).toBeLessThanOrEqual(A4_CONTENT.width);
    expect(layout.scrollHeight).toBeLessThanOrEqual(A4_CONTENT.height);
    expect(layout.barShown).toBe(false);
    expect(layout.cjkFont).toBe(true);
    expect(Math.round(layout.cjkWidth)).toBe(96);

    // Every item the issue asks of the report, as the page shows it, one text per line or cell.
    const items = await page.evaluate(() =>
      Array.from(
        document.querySelectorAll<HTMLElement>(
          [
            '#filing-report h1',
            '#filing-report header .sub',
            '#report-facts dt',
            '#report-facts dd',
            '#report-inputs li',
            '#report-results th',
            '#report-results td',
            '#report-checklist h2',
            '#report-checklist th',
            '#report-checklist td',
            '#report-checklist p',
            '#report-comments li',
            '#report-hashes dt',
            '#report-hashes dd',
          ].join(','),
        ),
      ).map((el) => el.innerText),
    );
    expect(items.length).toBeGreaterThan(40);
    const hashes = await page.locator('#report-hashes code').allInnerTexts();
    expect(hashes).toHaveLength(4);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);

    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'filing-report.pdf'), pdf);
    const raw = pdf.toString('latin1');
    expect(raw.match(/\/Type\s*\/Page(?![s\w])/g)).toHaveLength(1);
    // A4 as Chromium sizes it (8.27 in × 11.7 in): 595.92 × 842.88 points.
    expect(raw).toMatch(/\/MediaBox\s*\[\s*0 0 595\.\d+ 842\.\d+\s*\]/);
    // The Chinese text is set in the embedded Noto Sans CJK SC (a subset), not a fallback box.
    expect(raw).toMatch(/\/FontName\s*\/[A-Z]{6}\+NotoSansCJKsc-Regular/);
    // Nothing cut off: the text of every item is on the printed page.
    const printed = pdfText(pdf);
    expect(items.filter((item) => !pdfContains(printed, item))).toEqual([]);
    for (const must of [PROJECT, CITY, '同意备案。', ...hashes])
      expect(pdfContains(printed, must)).toBe(true);
    // The screen-only bar (back link, print button) is not printed: the reader is no yes-man.
    expect(pdfContains(printed, '返回报送')).toBe(false);
  });
});
