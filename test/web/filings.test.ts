import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { canonicalJson } from '../../src/store';
import { makeApp, signedInAs, type Agent, type TestApp } from './support/app';
import { encodeForm, fill, formFields, section, visibleText, type Fields } from './support/html';
import { smallInput } from '../helpers/scenarios';

const CITY = '示范市 Demo City';
const FIRM = '智慧城建科技有限公司 Smart City Builders Ltd';
const EN = 'lang=en; unit=yuan';

/** A browser signed in as a demo user, keeping its cookies (CSRF) between requests. */
const browser = (t: TestApp & { inner: TestApp['app'] }, username: string): Agent =>
  request.agent(signedInAs(t.inner, t.store, username));

const get = (agent: Agent, url: string) => agent.get(url).set('Cookie', EN);
const post = (agent: Agent, url: string, fields: Fields) =>
  agent.post(url).set('Cookie', EN).type('form').send(encodeForm(fields));
const text = (html: string, tag: string, id: string) => visibleText(section(html, tag, id));

/** The fields of a form of the page at `url`, as the browser would send them. */
async function formOf(agent: Agent, url: string, id: string): Promise<Fields> {
  const page = await get(agent, url);
  expect(page.status).toBe(200);
  return formFields(section(page.text, 'form', id));
}

describe('filing → review → approval in the browser', () => {
  let t: ReturnType<typeof makeApp>;
  let firm: Agent;
  let approver: Agent;
  let scenarioId: number;
  let versionId: number;
  let filingId: number;
  const user = (name: string) => t.store.accounts.findUser(name)!;

  beforeAll(async () => {
    t = makeApp({ demo: false, as: 'enterprise' });
    firm = browser(t, 'enterprise');
    approver = browser(t, 'approver');
    // The enterprise creates its own project through the app.
    const created = await firm.post('/api/v1/projects').send(
      smallInput((s) => {
        s.project.code = 'E-PARK';
        s.project.name = '智慧停车 Smart parking';
      }),
    );
    expect(created.status).toBe(201);
    scenarioId = (created.body as { scenario: { id: number } }).scenario.id;
    versionId = (created.body as { version: { id: number } }).version.id;
  });

  it('walks submit → under review → return with a comment → resubmit → approve, audited with who acted', async () => {
    // The enterprise's results page offers to file; the bureau does not see the scenario yet.
    const results = await get(firm, `/scenarios/${scenarioId}`);
    expect(results.status).toBe(200);
    expect(text(results.text, 'p', 'results-file')).toBe(
      'File this version to a finance bureau for review and approval',
    );
    expect((await get(approver, `/scenarios/${scenarioId}`)).status).toBe(404);

    // Filing to a jurisdiction without a bureau: 422 at the field, what was typed kept.
    const fileUrl = `/versions/${versionId}/file`;
    const form = await formOf(firm, fileUrl, 'file-form');
    const refused = await post(
      firm,
      fileUrl,
      fill(form, { jurisdiction: 'Nowhere', comment: 'Please review' }),
    );
    expect(refused.status).toBe(422);
    const refusedForm = section(refused.text, 'form', 'file-form');
    expect(visibleText(refusedForm)).toContain(
      'No finance bureau is registered for "Nowhere": choose a jurisdiction from the list.',
    );
    expect(formFields(refusedForm)).toEqual(
      expect.arrayContaining([
        ['jurisdiction', 'Nowhere'],
        ['comment', 'Please review'],
      ]),
    );
    expect(t.store.filings.openFiling(scenarioId)).toBeUndefined();

    const filed = await post(
      firm,
      fileUrl,
      fill(form, {
        jurisdiction: CITY,
        dataSharingDeclared: 'true',
        allFundingDeclared: 'true',
        comment: 'Please review',
      }),
    );
    expect(filed.status).toBe(303);
    filingId = t.store.filings.openFiling(scenarioId)!.id;
    const page = `/filings/${filingId}`;
    expect(filed.headers.location).toBe(`${page}?done=submit`);

    const submitted = await get(firm, filed.headers.location as string);
    expect(text(submitted.text, 'p', 'filing-notice')).toBe(
      'Filed. The bureau of the jurisdiction now has it in its inbox.',
    );
    expect(text(submitted.text, 'span', 'filing-state')).toBe('Submitted');
    expect(text(submitted.text, 'p', 'filing-lead')).toBe(
      `Filed to ${CITY} by enterprise (${FIRM}) on 4 May 2026, 16:30`,
    );
    expect(text(submitted.text, 'ul', 'filing-inputs')).toBe(
      [
        'Concession, 2026–2028: construction 1 year(s), operation 2 year(s).',
        // 400,000 + 600,000 as filed; 300,000 a year over 2 years of operation.
        'Total investment 1,000,000.00, from 2 funding sources: Equity (Enterprise equity) 400,000.00, 40.00%; Loan (Commercial bank loan) 600,000.00, 60.00%.',
        'Revenue streams (1): Income.',
        'Operating cost 600,000.00 over the operation year(s) (2).',
      ].join(' '),
    );
    // The compliance checklist against the filing jurisdiction's thresholds (national defaults here).
    const checks = text(submitted.text, 'section', 'compliance');
    expect(checks).toContain(
      '1 failed · 4 passed · 6 not applicable · National default thresholds',
    );
    expect(text(submitted.text, 'table', 'checklist')).toContain(
      'Private-enterprise share New PPP mechanism (2023) Fail 0.00 % (> 50.00 %)',
    );
    // The version fails one compliance rule: the all-caliber review waits for its justification.
    const pre = section(submitted.text, 'section', 'pre-approval');
    expect(text(pre, 'li', 'pre-data-sharing')).toBe(
      'Complete Data-sharing commitment (信息共享前置)',
    );
    expect(text(pre, 'li', 'pre-all-caliber')).toBe(
      'Missing All-caliber review (全口径审查) The failing rule "Private-enterprise share" has no written justification.',
    );
    expect(text(submitted.text, 'section', 'filing-thread')).toContain(
      'Filed (Submitted) · enterprise',
    );
    expect(text(submitted.text, 'section', 'filing-thread')).toContain('Please review');

    // The inboxes: awaiting the approver's review, among the firm's open filings.
    expect(text((await get(approver, '/filings')).text, 'section', 'inbox-review')).toContain(
      '智慧停车 Smart parking · base',
    );
    const firmInbox = await get(firm, '/filings');
    expect(text(firmInbox.text, 'section', 'inbox-mine')).toContain('Submitted');
    expect(firmInbox.text).not.toContain('id="inbox-review"');

    // Take under review; a stale form (the event count it saw) answers 409 and shows the state now.
    const before = await get(approver, page);
    const take = formFields(section(before.text, 'form', 'transition-take-under-review'));
    expect(section(before.text, 'section', 'filing-actions')).not.toContain('transition-approve');
    expect((await post(approver, `${page}/take-under-review`, take)).status).toBe(303);
    const stale = await post(approver, `${page}/return`, fill(take, { comment: 'Too late' }));
    expect(stale.status).toBe(409);
    expect(text(stale.text, 'p', 'filing-notice')).toContain(
      'This filing changed while you were looking at it: it is now "Under review". Nothing was changed',
    );
    expect(text(stale.text, 'span', 'filing-state')).toBe('Under review');

    // Return: a comment is required (422 at the form, what was typed kept), then it goes back.
    const returnForm = await formOf(approver, page, 'transition-return');
    const empty = await post(approver, `${page}/return`, fill(returnForm, { comment: '  ' }));
    expect(empty.status).toBe(422);
    expect(text(empty.text, 'form', 'transition-return')).toContain(
      'Say why the filing is returned.',
    );
    const returned = await post(
      approver,
      `${page}/return`,
      fill(returnForm, { comment: 'Revenue looks optimistic' }),
    );
    expect(returned.status).toBe(303);
    const afterReturn = await get(firm, page);
    expect(text(afterReturn.text, 'span', 'filing-state')).toBe('Returned with comments');
    expect(text(afterReturn.text, 'section', 'filing-thread')).toContain(
      'Returned (Under review → Returned with comments) · approver',
    );
    expect(text(afterReturn.text, 'section', 'filing-thread')).toContain(
      'Revenue looks optimistic',
    );
    expect(text((await get(firm, '/filings')).text, 'section', 'inbox-returned')).toContain(
      '智慧停车 Smart parking · base',
    );

    // Resubmit as it is, then the approver takes it under review again and approves.
    const resubmit = await formOf(firm, page, 'transition-resubmit');
    const resubmitted = await post(
      firm,
      `${page}/resubmit`,
      fill(resubmit, { comment: 'Revenue is contracted' }),
    );
    expect(resubmitted.status).toBe(303);
    expect(text((await get(firm, page)).text, 'span', 'filing-state')).toBe('Resubmitted');
    expect(
      (
        await post(
          approver,
          `${page}/take-under-review`,
          await formOf(approver, page, 'transition-take-under-review'),
        )
      ).status,
    ).toBe(303);
    const early = await post(
      approver,
      `${page}/approve`,
      fill(await formOf(approver, page, 'transition-approve'), { comment: 'Approved' }),
    );
    expect(early.status).toBe(422);
    expect(text(early.text, 'form', 'transition-approve')).toContain(
      'The pre-approval checklist is not complete: All-caliber review (全口径审查). See what is missing below.',
    );
    expect(text(early.text, 'span', 'filing-state')).toBe('Under review');

    // The filer justifies the failing rule (an empty text is refused at the field).
    const justify = await formOf(firm, page, 'justify-nm2023-private-share');
    const blank = await post(firm, `${page}/justify`, fill(justify, { text: ' ' }));
    expect(blank.status).toBe(422);
    expect(text(blank.text, 'form', 'justify-nm2023-private-share')).toContain(
      'Write the justification.',
    );
    const why = 'The private partner is a state-owned platform company by statute';
    expect((await post(firm, `${page}/justify`, fill(justify, { text: why }))).status).toBe(303);
    const justified = await get(approver, page);
    expect(text(justified.text, 'li', 'pre-all-caliber')).toBe(
      'Complete All-caliber review (全口径审查)',
    );
    expect(text(justified.text, 'section', 'pre-approval')).toContain(why);
    expect(justified.text).not.toContain('id="justify-nm2023-private-share"');

    const approved = await post(
      approver,
      `${page}/approve`,
      fill(await formOf(approver, page, 'transition-approve'), { comment: 'Approved' }),
    );
    expect(approved.status).toBe(303);
    const done = await get(firm, page);
    expect(text(done.text, 'span', 'filing-state')).toBe('Approved');
    expect(text(done.text, 'p', 'filing-lead')).toBe(
      `Filed to ${CITY} by enterprise (${FIRM}) on 4 May 2026, 16:30 · approved by approver on 4 May 2026, 16:30`,
    );
    for (const who of [firm, approver, browser(t, 'auditor')])
      expect(text((await get(who, '/filings')).text, 'section', 'inbox-approved')).toContain(
        '智慧停车 Smart parking · base',
      );

    // Every step audited with the signed-in user's and organisation's ids.
    const ent = user('enterprise');
    const appr = user('approver');
    expect(
      t.store.audit
        .list({ entity: 'filing', entityId: filingId })
        .reverse()
        .map((e) => [e.action, e.actor, e.actorUserId, e.actorOrgId]),
    ).toEqual([
      ['submit', 'enterprise', ent.id, ent.org_id],
      ['take-under-review', 'approver', appr.id, appr.org_id],
      ['return', 'approver', appr.id, appr.org_id],
      ['resubmit', 'enterprise', ent.id, ent.org_id],
      ['take-under-review', 'approver', appr.id, appr.org_id],
      ['justify', 'enterprise', ent.id, ent.org_id],
      ['approve', 'approver', appr.id, appr.org_id],
    ]);
    expect(t.store.audit.verify().ok).toBe(true);
  });

  it('prints the filing report on one A4 page with every required item', async () => {
    const res = await get(firm, `/filings/${filingId}/report`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<link rel="stylesheet" href="/static/css/report.css">');
    expect(res.text).not.toContain('class="topbar"');
    const css = await get(firm, '/static/css/report.css');
    expect(css.status).toBe(200);
    expect(css.text).toMatch(/@page\s*\{\s*size: A4;/);
    expect(readFileSync(path.join(__dirname, '../../src/web/public/css/report.css'), 'utf8')).toBe(
      css.text,
    );

    const report = section(res.text, 'article', 'filing-report');
    expect(visibleText(report)).toMatch(
      /^Filing report · 智慧停车 Smart parking · base v1 Filing \d+ · Approved · printed 4 May 2026, 16:30 · Amounts in CNY /,
    );
    expect(text(report, 'dl', 'report-facts')).toBe(
      [
        `Jurisdiction ${CITY}`,
        'Project E-PARK · 智慧停车 Smart parking',
        'Version base v1 · enterprise · 4 May 2026, 16:30',
        `Filed by enterprise (${FIRM}) · 4 May 2026, 16:30`,
        'Approved by approver · 4 May 2026, 16:30',
      ].join(' '),
    );
    expect(text(report, 'section', 'report-inputs')).toContain(
      'Total investment 1,000,000.00, from 2 funding sources: Equity (Enterprise equity) 400,000.00, 40.00%; Loan (Commercial bank loan) 600,000.00, 60.00%.',
    );
    expect(text(report, 'section', 'report-results')).toContain('Total investment 1,000,000.00');
    const checklist = text(report, 'section', 'report-checklist');
    expect(checklist).toContain('Private-enterprise share Fail');
    expect(checklist).toContain(
      'justified by enterprise: The private partner is a state-owned platform company by statute',
    );
    const comments = text(report, 'section', 'report-comments');
    for (const c of [
      'Please review',
      'Revenue looks optimistic',
      'Revenue is contracted',
      'Approved',
    ])
      expect(comments).toContain(c);

    // The fingerprints, obtained independently: the stored file's SHA-256, the stored result's,
    // and the hash of the filing's submit entry in the audit chain.
    const file = await get(firm, `/versions/${versionId}/scenario.json`).buffer(true);
    const inputsHash = createHash('sha256').update(file.text, 'utf8').digest('hex');
    const stored = t.store.results.storedAny(inputsHash)!;
    const resultHash = createHash('sha256').update(canonicalJson(stored.result)).digest('hex');
    const submitEntry = t.store.audit
      .list({ entity: 'filing', entityId: filingId })
      .find((e) => e.action === 'submit')!;
    const hashes = text(report, 'section', 'report-hashes');
    expect(hashes).toContain(`Inputs hash (SHA-256) ${inputsHash}`);
    expect(hashes).toContain(
      `Result hash (SHA-256) ${resultHash} · engine ${stored.engineVersion}`,
    );
    expect(hashes).toContain(`Audit-chain head at filing ${submitEntry.hash}`);
    expect(hashes).toMatch(/Audit-chain head at the last resubmission [0-9a-f]{64}/);

    const zh = await firm.get(`/filings/${filingId}/report`).set('Cookie', 'lang=zh; unit=yuan');
    expect(visibleText(zh.text)).toContain('备案报告 · 智慧停车 Smart parking · base 第1版');
    expect(visibleText(zh.text)).toContain(`报送时审计链头 ${submitEntry.hash}`);
  });

  it('refuses by role: 403 where the user sees the filing, 404 where they may not know it', async () => {
    const page = `/filings/${filingId}`;
    const firmForm = await formOf(firm, page, 'comment');
    const withCount = fill(firmForm, { expectedEvents: '9' });
    expect((await post(firm, `${page}/approve`, withCount)).status).toBe(403);
    expect((await post(firm, `${page}/return`, withCount)).status).toBe(403);

    const analyst = browser(t, 'analyst');
    const seen = await get(analyst, page);
    expect(seen.status).toBe(200);
    expect(text(seen.text, 'p', 'filing-no-actions')).toBe(
      'Nothing for you to do on this filing now.',
    );
    const analystForm = formFields(section(seen.text, 'form', 'comment'));
    expect((await post(analyst, `${page}/take-under-review`, analystForm)).status).toBe(403);
    expect((await post(analyst, `${page}/approve`, analystForm)).status).toBe(403);

    const auditor = browser(t, 'auditor');
    const audited = await get(auditor, page);
    expect(audited.status).toBe(200);
    expect(audited.text).not.toContain('class="transition-form"');
    const auditorForm = formFields(section(audited.text, 'form', 'comment'));
    expect((await post(auditor, `${page}/approve`, auditorForm)).status).toBe(403);
    const commented = await post(
      auditor,
      `${page}/comment`,
      fill(auditorForm, { comment: 'Checked against the ledger' }),
    );
    expect(commented.status).toBe(303);
    expect(text((await get(firm, page)).text, 'section', 'filing-thread')).toContain(
      'Comment · auditor 示范市审计局 Demo City Audit Office',
    );

    // The administrator has no model reads: the filing does not exist for them.
    expect((await get(browser(t, 'admin'), page)).status).toBe(404);
    expect((await get(browser(t, 'admin'), `${page}/report`)).status).toBe(404);
    expect((await get(firm, '/filings/999999')).status).toBe(404);
    expect((await get(firm, '/filings/abc')).status).toBe(404);
    // Signed out: the inbox sends to the sign-in page, a post is refused.
    const anonymous = await request(t.inner).get('/filings');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Ffilings');
  });

  it("keeps the enterprise's unfiled work from the bureau (404) and offers no filing of a version twice", async () => {
    const second = await firm.post(`/api/v1/projects/E-PARK/scenarios`).send(
      smallInput((s) => {
        s.project.code = 'E-PARK';
        s.project.name = '智慧停车 Smart parking';
        s.scenario.name = 'unfiled';
      }),
    );
    expect(second.status).toBe(201);
    const v = (second.body as { version: { id: number } }).version.id;
    const s = (second.body as { scenario: { id: number } }).scenario.id;
    for (const who of ['analyst', 'approver', 'auditor']) {
      expect((await get(browser(t, who), `/versions/${v}/file`)).status).toBe(404);
      expect((await get(browser(t, who), `/scenarios/${s}`)).status).toBe(404);
    }
    // The approved scenario's results page lists its filing and offers to file again.
    const results = await get(firm, `/scenarios/${scenarioId}`);
    expect(text(results.text, 'p', 'results-filings')).toBe(`Filings: v1 → ${CITY} Approved`);
    expect(results.text).toContain('id="results-file"');
    // The bureau sees the filed scenario, but may not file the enterprise's version.
    const bureau = await get(approver, `/scenarios/${scenarioId}`);
    expect(bureau.status).toBe(200);
    expect(bureau.text).not.toContain('id="results-file"');
    expect((await get(approver, `/versions/${versionId}/file`)).status).toBe(403);
  });
});

describe('the demo data set', () => {
  it("seeds one filing awaiting review, so the approver's inbox is not empty on a fresh start", async () => {
    const t = makeApp();
    const inbox = await request(t.app).get('/filings').set('Cookie', EN);
    expect(inbox.status).toBe(200);
    const review = text(inbox.text, 'section', 'inbox-review');
    expect(review).toContain('特许经营+运营补贴 Concession + operating subsidy');
    expect(review).toContain(
      `v1 ${CITY} Submitted analyst ${'示范市财政局 Demo City Finance Bureau'}`,
    );
    const filing = t.store.filings.filingsTo([CITY], ['submitted'])[0]!;
    expect(filing).toMatchObject({ project_code: 'SC-COMMUNITY', filed_by_username: 'analyst' });
    expect(t.store.audit.verify().ok).toBe(true);
    // The approver may take it under review.
    const page = await request(t.app).get(`/filings/${filing.id}`).set('Cookie', EN);
    expect(page.text).toContain('id="transition-take-under-review"');
  });
});

describe('bad input, conflicts and languages', () => {
  let t: ReturnType<typeof makeApp>;
  let firm: Agent;
  let approver: Agent;
  let scenarioId: number;
  let page: string;

  beforeAll(async () => {
    t = makeApp({ demo: false, as: 'enterprise' });
    firm = browser(t, 'enterprise');
    approver = browser(t, 'approver');
    const created = await firm.post('/api/v1/projects').send(
      smallInput((s) => {
        s.project.code = 'E-LAMP';
        s.project.name = '智慧路灯 Smart lamps';
      }),
    );
    scenarioId = (created.body as { scenario: { id: number } }).scenario.id;
    const versionId = (created.body as { version: { id: number } }).version.id;
    const url = `/versions/${versionId}/file`;
    const filed = await post(
      firm,
      url,
      fill(await formOf(firm, url, 'file-form'), { jurisdiction: CITY }),
    );
    expect(filed.status).toBe(303);
    page = (filed.headers.location as string).replace(/\?.*$/, '');
  });

  it('answers 422, never 500, to an event count that is not a number, and keeps the comment', async () => {
    const form = await formOf(approver, page, 'transition-take-under-review');
    const res = await post(
      approver,
      `${page}/take-under-review`,
      fill(form, { expectedEvents: 'many', comment: 'Looking at it' }),
    );
    expect(res.status).toBe(422);
    const again = section(res.text, 'form', 'transition-take-under-review');
    expect(visibleText(again)).toContain(
      'Say how many events of the filing you have seen (expectedEvents)',
    );
    expect(formFields(again)).toContainEqual(['comment', 'Looking at it']);
    expect(text(res.text, 'span', 'filing-state')).toBe('Submitted');
  });

  it('refuses a second filing of a scenario with an open one (409), saying so', async () => {
    const versionId = t.store.scenarios.getById(scenarioId).currentVersionId;
    const url = `/versions/${versionId}/file`;
    const form = await formOf(firm, url, 'file-form');
    const page2 = await get(firm, url);
    expect(text(page2.text, 'p', 'file-open')).toBe(
      'This scenario is already filed (Submitted): it can be filed again once that filing is decided or withdrawn. Open the filing',
    );
    const res = await post(firm, url, fill(form, { jurisdiction: CITY }));
    expect(res.status).toBe(409);
    expect(text(res.text, 'div', 'file-errors')).toContain('has an open filing already');
    // In Chinese the refusal is Chinese, with the state in its Chinese name.
    const zh = await firm
      .post(url)
      .set('Cookie', 'lang=zh; unit=wan')
      .type('form')
      .send(encodeForm(fill(form, { jurisdiction: CITY })));
    expect(zh.status).toBe(409);
    expect(text(zh.text, 'div', 'file-errors')).toMatch(
      /项目 E-LAMP 的方案“base”已有未结报送（报送 \d+，已报送）/,
    );
    expect(t.store.filings.filingsOfScenario(scenarioId)).toHaveLength(1);
    // The results page no longer offers to file it.
    expect((await get(firm, `/scenarios/${scenarioId}`)).text).not.toContain('id="results-file"');
  });

  it('shows the filing page in Chinese, with the transitions in Chinese', async () => {
    const zh = await approver.get(page).set('Cookie', 'lang=zh; unit=wan');
    expect(zh.status).toBe(200);
    expect(text(zh.text, 'span', 'filing-state')).toBe('已报送');
    expect(text(zh.text, 'form', 'transition-take-under-review')).toContain('受理审核');
    expect(text(zh.text, 'p', 'filing-lead')).toBe(
      `由 enterprise（${FIRM}）于 2026年5月4日 16:30 报送至 ${CITY}`,
    );
    expect(text(zh.text, 'li', 'pre-all-caliber')).toBe(
      // Filed without the declarations: both items say what is missing.
      '缺项 全口径审查 报送方未声明已申报全部资金来源。 未通过的规则“民营企业参与比例”尚无书面情况说明。',
    );
  });

  it('resubmits a returned filing with the version saved since', async () => {
    const take = await formOf(approver, page, 'transition-take-under-review');
    expect((await post(approver, `${page}/take-under-review`, take)).status).toBe(303);
    const back = await formOf(approver, page, 'transition-return');
    expect(
      (await post(approver, `${page}/return`, fill(back, { comment: 'Add the lamp revenue' })))
        .status,
    ).toBe(303);
    const saved = await firm.post('/api/v1/projects/E-LAMP/scenarios').send(
      smallInput((s) => {
        s.project.code = 'E-LAMP';
        s.project.name = '智慧路灯 Smart lamps';
        s.operatingCost.annualYuan = '350000';
      }),
    );
    expect(saved.status).toBe(201);
    const resubmit = await formOf(firm, page, 'transition-resubmit');
    expect(text((await get(firm, page)).text, 'form', 'transition-resubmit')).toContain(
      'Resubmits version 2, saved since the filing was returned.',
    );
    expect((await post(firm, `${page}/resubmit`, resubmit)).status).toBe(303);
    const now = await get(approver, page);
    expect(text(now.text, 'span', 'filing-state')).toBe('Resubmitted');
    expect(text(now.text, 'section', 'filing-facts')).toContain('Version 2, saved by enterprise');
    expect(text(now.text, 'section', 'filing-thread')).toContain(
      'Resubmitted (Returned with comments → Resubmitted) · enterprise',
    );
  });
});
