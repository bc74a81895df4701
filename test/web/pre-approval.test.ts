import request from 'supertest';
import { preApprovalChecklist } from '../../src/app/filings';
import { makeApp, sessionCookie, type TestApp } from './support/app';
import { inputValue, section, visibleText } from './support/html';

const CITY = '示范市 Demo City';
const URL = `/jurisdictions/${encodeURIComponent(CITY)}/pre-approval`;

let t: TestApp;
beforeEach(() => {
  t = makeApp({ as: 'approver' });
});

const tokenOf = async (agent: ReturnType<typeof request.agent>) =>
  inputValue((await agent.get(URL)).text, '_csrf')!;

describe("a jurisdiction's pre-approval checklist", () => {
  it('shows both items on by default and lets the approver switch one off (audited)', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get(URL).set('Cookie', 'lang=en');
    expect(page.status).toBe(200);
    const form = section(page.text, 'form', 'pre-approval-form');
    expect(form).toMatch(/id="pre-approval-data-sharing" checked/);
    expect(form).toMatch(/id="pre-approval-all-caliber" checked/);
    expect(visibleText(form)).toContain('信息共享前置 Data-sharing commitment');

    const _csrf = await tokenOf(agent);
    const saved = await agent.post(URL).type('form').send({ _csrf, 'all-caliber': 'on' });
    expect(saved.status).toBe(200);
    expect(visibleText(saved.text)).toContain('审批前置清单已保存。');
    expect(preApprovalChecklist(t.store, CITY)).toEqual({
      'data-sharing': false,
      'all-caliber': true,
    });
    const user = t.store.accounts.findUser('approver')!;
    expect(t.store.audit.list({ limit: 1 })[0]).toMatchObject({
      actor: 'approver',
      actorUserId: user.id,
      actorOrgId: user.org_id,
    });
  });

  it("refuses the analyst (403) and another jurisdiction's approver; nothing changes", async () => {
    // The analyst's own browser (the wrapper adds a session only to requests without one).
    const agent = request.agent(t.app);
    const analyst = sessionCookie(t.store, 'analyst');
    const form = await agent.get(URL).set('Cookie', analyst);
    expect(form.status).toBe(200);
    const _csrf = inputValue(form.text, '_csrf')!;
    const browser = (form.headers['set-cookie'] as unknown as string[])
      .map((c) => c.split(';')[0])
      .join('; ');
    const refused = await agent
      .post(URL)
      .set('Cookie', `${browser}; ${analyst}`)
      .type('form')
      .send({ _csrf });
    expect(refused.status).toBe(403);
    expect(visibleText(refused.text)).toContain('无权操作'); // the role, not the form token
    const elsewhere = `/jurisdictions/${encodeURIComponent('邻市')}/pre-approval`;
    const own = request.agent(t.app);
    const mine = await tokenOf(own);
    const other = await own.post(elsewhere).type('form').send({ _csrf: mine });
    expect(visibleText(other.text)).toContain('无权操作');
    expect(other.status).toBe(403);
    expect(preApprovalChecklist(t.store, CITY)).toEqual({
      'data-sharing': true,
      'all-caliber': true,
    });
  });
});
