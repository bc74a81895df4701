import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import { formFields, section, visibleText } from './support/html';
import { postSettingsForm } from './support/settings-form';
import { BALANCED, BOND_HEAVY, DEMO_CITY, PPP_HEAVY } from '../helpers/demo-names';

/**
 * One jurisdiction, one set of figures (README "Fiscal settings"): the budget figures belong to
 * the jurisdiction, so the settings page lists the other portfolios measured against them, a save
 * from any portfolio changes them for all, and a portfolio without settings starts from them.
 */
const EN = 'lang=en; unit=yuan';

let t: TestApp;
let agent: Agent;
const id = (name: string) => t.store.portfolios.getByName(name).id;
const settingsPage = (pid: number, cookie = EN) =>
  agent.get(`/portfolios/${pid}/fiscal/settings`).set('Cookie', cookie);

beforeEach(() => {
  t = makeApp();
  agent = request.agent(t.app);
});

const post = (pid: number, values: Record<string, string>) =>
  postSettingsForm(agent, pid, values, EN);

describe('the settings page', () => {
  it("lists the jurisdiction's other portfolios that share the figures, in English and Chinese", async () => {
    const page = await settingsPage(id(BALANCED));
    const box = visibleText(section(page.text, 'fieldset', 'jurisdiction-portfolios'));
    expect(box).toContain('Other portfolios of 示范市 Demo City (2)');
    expect(box).toContain('so saving them here changes them for these portfolios too');
    expect(box).toContain(PPP_HEAVY);
    expect(box).toContain(BOND_HEAVY);
    expect(formFields(section(page.text, 'form', 'settings-form')).map(([k]) => k)).not.toContain(
      'applyToJurisdiction',
    );
    const zh = await settingsPage(id(BALANCED), 'lang=zh');
    expect(visibleText(section(zh.text, 'fieldset', 'jurisdiction-portfolios'))).toContain(
      '示范市 Demo City的其他组合（2个）',
    );
  });

  it('a save from one portfolio changes the figures of every portfolio of the jurisdiction, and says so', async () => {
    const res = await post(id(BALANCED), {
      bondQuotas: '2027: 420000000 / 90000000',
      comment: 'Province allotment',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(
      `/portfolios/${id(BALANCED)}/fiscal/settings?saved=jurisdiction`,
    );
    for (const name of [BALANCED, PPP_HEAVY, BOND_HEAVY])
      expect(t.store.fiscal.getSettings(id(name))!.bondQuotas).toEqual([
        { year: 2027, specialBondYuan: '420000000', generalBondYuan: '90000000' },
      ]);
    const page = await agent.get(res.headers.location!).set('Cookie', EN);
    expect(visibleText(page.text)).toContain(
      "The jurisdiction's budget figures were saved and recorded in the audit log; every portfolio of the jurisdiction is now measured against them.",
    );
    // Another portfolio's page shows the change in its log, with the comment.
    const other = await settingsPage(id(PPP_HEAVY));
    const log = visibleText(section(other.text, 'table', 'settings-audit'));
    expect(log).toContain('Province allotment');
    expect(log).toContain('bondQuotas[0].specialBondYuan: 400,000,000.00 → 420,000,000.00');
  });

  it('a refused form keeps what was typed and writes nothing anywhere', async () => {
    const audit = t.store.audit.count();
    const res = await post(id(BALANCED), {
      bondQuotas: '2027: 420000000 / 90000000\n2027: 1 / 1',
    });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('quota year 2027 is given twice');
    const fields = formFields(section(res.text, 'form', 'settings-form'));
    expect(fields).toContainEqual(['bondQuotas', '2027: 420000000 / 90000000\n2027: 1 / 1']);
    expect(t.store.audit.count()).toBe(audit);
  });

  it('a refused form that renames the jurisdiction still heads the list with the stored one, whose portfolios it lists', async () => {
    const res = await post(id(BALANCED), {
      jurisdiction: 'Typed City',
      bondQuotas: '2027: 1 / 1\n2027: 2 / 2',
    });
    expect(res.status).toBe(422);
    const fields = formFields(section(res.text, 'form', 'settings-form'));
    expect(fields).toContainEqual(['jurisdiction', 'Typed City']);
    const box = visibleText(section(res.text, 'fieldset', 'jurisdiction-portfolios'));
    expect(box).toContain('Other portfolios of 示范市 Demo City (2)');
    expect(box).not.toContain('Typed City');
  });

  it("refuses to change another jurisdiction's figures from this portfolio: 403, the form as typed, nothing written", async () => {
    const {
      portfolioId: _p,
      updatedAt: _u,
      jurisdiction: _j,
      ...figures
    } = t.store.fiscal.getSettings(id(BALANCED))!;
    t.store.fiscal.setJurisdictionFiscal('Elsewhere', { ...figures, bondQuotas: [] }, 'operator');
    const audit = t.store.audit.count();
    const res = await post(id(BALANCED), { jurisdiction: 'Elsewhere' });
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain(
      'Nothing was saved: the budget figures of Elsewhere are its own bureau’s to change',
    );
    const fields = new Map(formFields(section(res.text, 'form', 'settings-form')));
    expect(fields.get('jurisdiction')).toBe('Elsewhere');
    expect(fields.get('bondQuotas')).toContain('2027: 300000000.00 / 80000000.00');
    expect(t.store.audit.count()).toBe(audit);
    expect(t.store.fiscal.getSettings(id(BALANCED))!.jurisdiction).toBe(DEMO_CITY);
  });

  it("a portfolio without settings starts from its jurisdiction's figures, and saving them as they are links it", async () => {
    // A new portfolio of a Demo City project: its jurisdiction is the members'.
    const { members } = t.store.portfolios.get(id(BALANCED));
    const fresh = t.store.portfolios.create(
      {
        name: 'New plan',
        members: [{ projectCode: members[0]!.projectCode, scenarioName: members[0]!.scenarioName }],
      },
      'approver',
    );
    const page = await settingsPage(fresh.id);
    expect(visibleText(page.text)).toContain(
      'This portfolio has no budget settings yet. The form holds the figures stored for 示范市 Demo City',
    );
    const fields = new Map(formFields(section(page.text, 'form', 'settings-form')));
    expect(fields.get('jurisdiction')).toBe('示范市 Demo City');
    expect(fields.get('bondQuotas')).toContain('2027: 300000000.00 / 80000000.00');
    const audit = t.store.audit.count();
    const res = await post(fresh.id, {});
    expect(res.status).toBe(303);
    // Only the link is new: the figures, and so the other portfolios, are unchanged.
    expect(res.headers.location).toBe(`/portfolios/${fresh.id}/fiscal/settings?saved=settings`);
    expect(t.store.audit.count()).toBe(audit + 1);
    const { portfolioId: _a, updatedAt: _b, ...mine } = t.store.fiscal.getSettings(fresh.id)!;
    const { portfolioId: _c, updatedAt: _d, ...theirs } = t.store.fiscal.getSettings(id(BALANCED))!;
    expect(mine).toEqual(theirs);
  });
});

describe('PUT /api/v1/portfolios/:id/fiscal-settings?apply=', () => {
  const put = (url: string, body: unknown) =>
    request(t.app).put(url).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const body = () => {
    const { portfolioId: _p, updatedAt: _u, ...s } = t.store.fiscal.getSettings(id(BALANCED))!;
    return { ...s, bondQuotas: [{ year: 2027, specialBondYuan: '1', generalBondYuan: '2' }] };
  };

  it('answers the other portfolios of the jurisdiction, with or without apply=jurisdiction', async () => {
    for (const url of ['', '?apply=jurisdiction']) {
      const quotas = [{ year: 2027, specialBondYuan: url ? '3' : '1', generalBondYuan: '2' }];
      const res = await put(`/api/v1/portfolios/${id(BALANCED)}/fiscal-settings${url}`, {
        ...body(),
        bondQuotas: quotas,
      });
      expect(res.status).toBe(200);
      expect(res.body.changed).toBe(true);
      expect(res.body.applied).toEqual([
        { portfolioId: id(PPP_HEAVY), name: PPP_HEAVY, changed: true },
        { portfolioId: id(BOND_HEAVY), name: BOND_HEAVY, changed: true },
      ]);
      expect(t.store.fiscal.getSettings(id(BOND_HEAVY))!.bondQuotas).toEqual(quotas);
    }
  });

  it('apply=portfolio or any other value is a 422 at apply, nothing written', async () => {
    const audit = t.store.audit.count();
    const portfolio = await put(
      `/api/v1/portfolios/${id(PPP_HEAVY)}/fiscal-settings?apply=portfolio`,
      body(),
    );
    expect(portfolio.status).toBe(422);
    expect(portfolio.body.error.issues[0].path).toBe('apply');
    expect(portfolio.body.error.issues[0].message).toContain(
      'apply=portfolio is no longer possible',
    );
    const bad = await put(`/api/v1/portfolios/${id(PPP_HEAVY)}/fiscal-settings?apply=all`, body());
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues).toEqual([
      { path: 'apply', message: 'apply must be "jurisdiction" or absent' },
    ]);
    expect(t.store.audit.count()).toBe(audit);
  });
});

describe('GET and PUT /api/v1/jurisdictions/:name/fiscal', () => {
  const url = `/api/v1/jurisdictions/${encodeURIComponent(DEMO_CITY)}/fiscal`;
  const put = (body: unknown, query = '') =>
    request(t.app)
      .put(url + query)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  const figures = () => {
    const {
      id: _i,
      jurisdiction: _j,
      createdAt: _c,
      updatedAt: _u,
      ...rest
    } = t.store.fiscal.getJurisdictionFiscal(DEMO_CITY)!;
    return rest;
  };

  it("reads the jurisdiction's figures, the ones its portfolios are measured against", async () => {
    const res = await request(t.app).get(url);
    expect(res.status).toBe(200);
    const {
      portfolioId: _p,
      updatedAt: _u,
      ...settings
    } = t.store.fiscal.getSettings(id(BALANCED))!;
    expect(res.body.figures).toMatchObject(settings);
    expect(res.body.portfolios.map((p: { name: string }) => p.name).sort()).toEqual(
      [BALANCED, BOND_HEAVY, PPP_HEAVY].sort(),
    );
    const none = await request(t.app).get('/api/v1/jurisdictions/Nowhere/fiscal');
    expect(none.status).toBe(404);
  });

  it('sets them for every portfolio of the jurisdiction, audited once; the same again writes nothing', async () => {
    const audit = t.store.audit.count();
    const quotas = [{ year: 2027, specialBondYuan: '500000000', generalBondYuan: '100000000' }];
    const res = await put({ ...figures(), bondQuotas: quotas }, '?comment=2027%20allotment');
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(true);
    expect(res.body.figures.bondQuotas).toEqual(quotas);
    for (const name of [BALANCED, PPP_HEAVY, BOND_HEAVY])
      expect(t.store.fiscal.getSettings(id(name))!.bondQuotas).toEqual(quotas);
    expect(t.store.audit.count()).toBe(audit + 1);
    const entry = t.store.audit.list({ limit: 1 })[0]!;
    expect([entry.entity, entry.action, entry.actor]).toEqual([
      'jurisdiction-fiscal',
      'update-fiscal-settings',
      'approver',
    ]);
    expect(entry.details).toMatchObject({ via: 'update', comment: '2027 allotment' });
    expect(entry.details).not.toHaveProperty('portfolioId');
    const again = await put({ ...figures() });
    expect(again.body.changed).toBe(false);
    expect(t.store.audit.count()).toBe(audit + 1);
  });

  it('answers 422 at each bad field, and at jurisdiction when the body names one; nothing written', async () => {
    const audit = t.store.audit.count();
    const before = figures();
    const bad = await put({
      ...before,
      budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '1', growth: '3' },
      bondQuotas: [
        { year: 2027, specialBondYuan: '1', generalBondYuan: '1' },
        { year: 2027, specialBondYuan: '2', generalBondYuan: '2' },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'bondQuotas[1].year',
      'budget.growth',
    ]);
    const named = await put({ ...before, jurisdiction: 'Elsewhere' });
    expect(named.status).toBe(422);
    expect(named.body.error.issues).toEqual([
      { path: 'jurisdiction', message: 'The jurisdiction is the one named in the address' },
    ]);
    expect(figures()).toEqual(before);
    expect(t.store.audit.count()).toBe(audit);
  });
});
