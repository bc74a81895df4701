import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import { formFields, section, visibleText } from './support/html';
import { postSettingsForm } from './support/settings-form';

/**
 * One jurisdiction, one set of figures (README "Fiscal settings"): the settings page lists the
 * jurisdiction's other portfolios and whether their figures are the same, and a save can apply to
 * all of them (form checkbox, API `?apply=jurisdiction`).
 */

const BALANCED = '2027 均衡方案 Balanced 2027 plan';
const PPP_HEAVY = '2027 PPP为主方案 PPP-heavy 2027 plan';
const BOND_HEAVY = '2027 专项债为主方案 Bond-heavy 2027 plan';
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
  it("lists the jurisdiction's other portfolios with same or different figures, in English and Chinese", async () => {
    const page = await settingsPage(id(BALANCED));
    const box = visibleText(section(page.text, 'fieldset', 'jurisdiction-portfolios'));
    expect(box).toContain('Other portfolios of 示范市 Demo City (2)');
    expect(box).toContain(`${PPP_HEAVY} · same figures`);
    expect(box).toContain(`${BOND_HEAVY} · same figures`);
    expect(box).toContain('Apply to every portfolio of this jurisdiction');
    const zh = await settingsPage(id(BALANCED), 'lang=zh');
    expect(visibleText(section(zh.text, 'fieldset', 'jurisdiction-portfolios'))).toContain(
      '示范市 Demo City的其他组合（2个）',
    );
  });

  it('saves one portfolio by default: the others are then listed as different', async () => {
    const res = await post(id(BALANCED), { bondQuotas: '2027: 420000000 / 90000000' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/portfolios/${id(BALANCED)}/fiscal/settings?saved=settings`);
    expect(t.store.fiscal.getSettings(id(PPP_HEAVY))!.bondQuotas).toHaveLength(5);
    const page = await settingsPage(id(PPP_HEAVY));
    expect(visibleText(section(page.text, 'fieldset', 'jurisdiction-portfolios'))).toContain(
      `${BALANCED} · different figures`,
    );
  });

  it('with the box ticked saves every portfolio of the jurisdiction and says so', async () => {
    const res = await post(id(BALANCED), {
      bondQuotas: '2027: 420000000 / 90000000',
      applyToJurisdiction: 'true',
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
      'The budget settings were saved for this portfolio and every other portfolio of the jurisdiction',
    );
    expect(visibleText(section(page.text, 'fieldset', 'jurisdiction-portfolios'))).not.toContain(
      'different figures',
    );
  });

  it('a refused form keeps what was typed, the box ticked, and writes nothing anywhere', async () => {
    const audit = t.store.audit.count();
    const res = await post(id(BALANCED), {
      bondQuotas: '2027: 420000000 / 90000000\n2027: 1 / 1',
      applyToJurisdiction: 'true',
    });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('quota year 2027 is given twice');
    const fields = formFields(section(res.text, 'form', 'settings-form'));
    expect(fields).toContainEqual(['applyToJurisdiction', 'true']);
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
});

describe('PUT /api/v1/portfolios/:id/fiscal-settings?apply=', () => {
  const put = (url: string, body: unknown) =>
    request(t.app).put(url).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const body = () => {
    const { portfolioId: _p, updatedAt: _u, ...s } = t.store.fiscal.getSettings(id(BALANCED))!;
    return { ...s, bondQuotas: [{ year: 2027, specialBondYuan: '1', generalBondYuan: '2' }] };
  };

  it('apply=jurisdiction answers the portfolios it wrote', async () => {
    const res = await put(
      `/api/v1/portfolios/${id(BALANCED)}/fiscal-settings?apply=jurisdiction`,
      body(),
    );
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(true);
    expect(res.body.applied).toEqual([
      { portfolioId: id(PPP_HEAVY), name: PPP_HEAVY, changed: true },
      { portfolioId: id(BOND_HEAVY), name: BOND_HEAVY, changed: true },
    ]);
    expect(t.store.fiscal.getSettings(id(BOND_HEAVY))!.bondQuotas).toEqual(body().bondQuotas);
  });

  it('without apply the answer is as before (settings, changed); a bad apply is a 422 at apply, nothing written', async () => {
    const plain = await put(`/api/v1/portfolios/${id(BALANCED)}/fiscal-settings`, body());
    expect(Object.keys(plain.body).sort()).toEqual(['changed', 'settings']);
    const audit = t.store.audit.count();
    const bad = await put(`/api/v1/portfolios/${id(PPP_HEAVY)}/fiscal-settings?apply=all`, body());
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues).toEqual([
      { path: 'apply', message: 'apply must be "portfolio" or "jurisdiction"' },
    ]);
    expect(t.store.audit.count()).toBe(audit);
  });
});
