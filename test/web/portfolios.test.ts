import request from 'supertest';
import { makeApp, type TestApp } from './support/app';
import { formFields, fill, encodeForm, inputValue, section, visibleText } from './support/html';

/** Portfolio management on the web and the API (issue 12, README "Portfolios"). */
let t: TestApp;
beforeEach(() => {
  t = makeApp({ as: 'analyst' });
});

const WATER = '专项债+预算 Bond + budget';
const DATA = '财政预算 Budget-funded';
const json = (app: TestApp['app']) => ({
  post: (url: string, body: unknown) =>
    request(app).post(url).set('Content-Type', 'application/json').send(JSON.stringify(body)),
  put: (url: string, body: unknown) =>
    request(app).put(url).set('Content-Type', 'application/json').send(JSON.stringify(body)),
  patch: (url: string, body: unknown) =>
    request(app).patch(url).set('Content-Type', 'application/json').send(JSON.stringify(body)),
});

describe('API', () => {
  it('POST /api/v1/portfolios creates (201) with members by name and id', async () => {
    const dataId = t.store.scenarios.get('SC-DATA-BASE', DATA).id;
    const res = await json(t.app).post('/api/v1/portfolios', {
      name: 'API plan',
      description: 'made by the API',
      members: [
        { project: 'SC-WATER', scenario: WATER },
        { project: 'SC-DATA-BASE', scenario: dataId },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.portfolio.name).toBe('API plan');
    expect(
      res.body.portfolio.members.map((m: { projectCode: string; scenarioName: string }) => [
        m.projectCode,
        m.scenarioName,
      ]),
    ).toEqual([
      ['SC-DATA-BASE', DATA],
      ['SC-WATER', WATER],
    ]);
    const listed = await request(t.app).get('/api/v1/portfolios');
    expect(listed.body.portfolios.map((p: { name: string }) => p.name)).toContain('API plan');
  });

  it('422 naming the field: a taken name, a scenario of another project; nothing written', async () => {
    const before = t.store.portfolios.list({ includeDeleted: true }).length;
    const taken = t.store.portfolios.list()[0]!.name;
    const dup = await json(t.app).post('/api/v1/portfolios', { name: taken });
    expect(dup.status).toBe(422);
    expect(dup.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['name']);
    const dataId = t.store.scenarios.get('SC-DATA-BASE', DATA).id;
    const other = await json(t.app).post('/api/v1/portfolios', {
      name: 'Other',
      members: [{ project: 'SC-WATER', scenario: dataId }],
    });
    expect(other.status).toBe(422);
    expect(other.body.error.issues).toEqual([
      {
        path: 'members[0].scenario',
        message: `Project SC-WATER has no scenario with id ${dataId}`,
      },
    ]);
    const bad = await json(t.app).post('/api/v1/portfolios', { name: 7, extra: 1 });
    expect(bad.status).toBe(422);
    expect(t.store.portfolios.list({ includeDeleted: true })).toHaveLength(before);
  });

  it('PUT /members replaces all or nothing: one bad member leaves the list as it was', async () => {
    const made = await json(t.app).post('/api/v1/portfolios', {
      name: 'Swap',
      members: [{ project: 'SC-WATER', scenario: WATER }],
    });
    const id = made.body.portfolio.id as number;
    const bad = await json(t.app).put(`/api/v1/portfolios/${id}/members`, [
      { project: 'SC-DATA-BASE', scenario: DATA },
      { project: 'SC-WATER', scenario: 'Nope' },
    ]);
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues).toEqual([
      { path: '[1].scenario', message: 'Project SC-WATER has no scenario "Nope"' },
    ]);
    expect(t.store.portfolios.get(id).members.map((m) => m.projectCode)).toEqual(['SC-WATER']);
    const notArray = await json(t.app).put(`/api/v1/portfolios/${id}/members`, { a: 1 });
    expect(notArray.status).toBe(422);
    const ok = await json(t.app).put(`/api/v1/portfolios/${id}/members`, [
      { project: 'SC-DATA-BASE', scenario: DATA },
    ]);
    expect(ok.status).toBe(200);
    expect(ok.body.portfolio.members.map((m: { projectCode: string }) => m.projectCode)).toEqual([
      'SC-DATA-BASE',
    ]);
  });

  it('rename, copy (201), archive (hidden unless ?archived=1), restore; 409 for a second archive', async () => {
    const id = t.store.portfolios.list()[0]!.id;
    const renamed = await json(t.app).patch(`/api/v1/portfolios/${id}`, { name: 'Renamed' });
    expect([renamed.status, renamed.body.portfolio.name]).toEqual([200, 'Renamed']);
    const copy = await json(t.app).post(`/api/v1/portfolios/${id}/copy`, { name: 'The copy' });
    expect(copy.status).toBe(201);
    expect(copy.body.portfolio.members).toHaveLength(t.store.portfolios.get(id).members.length);
    expect((await json(t.app).post(`/api/v1/portfolios/${id}/archive`, {})).status).toBe(200);
    expect((await json(t.app).post(`/api/v1/portfolios/${id}/archive`, {})).status).toBe(409);
    const ids = async (q: string) =>
      (await request(t.app).get(`/api/v1/portfolios${q}`)).body.portfolios.map(
        (p: { id: number }) => p.id,
      );
    expect(await ids('')).not.toContain(id);
    expect(await ids('?archived=1')).toContain(id);
    expect((await json(t.app).post(`/api/v1/portfolios/${id}/restore`, {})).status).toBe(200);
    expect(await ids('')).toContain(id);
  });

  it('the enterprise may not create (403), the auditor reads but may not write (403)', async () => {
    const ent = makeApp({ as: 'enterprise' });
    expect((await json(ent.app).post('/api/v1/portfolios', { name: 'E' })).status).toBe(403);
    const aud = makeApp({ as: 'auditor' });
    const id = aud.store.portfolios.list()[0]!.id;
    expect((await request(aud.app).get(`/api/v1/portfolios/${id}`)).status).toBe(200);
    expect((await json(aud.app).post(`/api/v1/portfolios/${id}/archive`, {})).status).toBe(403);
  });
});

async function page(app: TestApp['app'], url: string, lang: 'en' | 'zh' = 'en') {
  return request(app).get(url).set('Cookie', `lang=${lang}`);
}

describe('pages', () => {
  it('the list shows live portfolios; archived ones only with the filter (en and zh)', async () => {
    const first = t.store.portfolios.list()[0]!;
    t.store.portfolios.delete(first.id, 'analyst');
    const list = await page(t.app, '/portfolios');
    expect(list.status).toBe(200);
    expect(visibleText(section(list.text, 'table', 'portfolio-list'))).not.toContain(first.name);
    const all = await page(t.app, '/portfolios?archived=1');
    expect(visibleText(section(all.text, 'table', 'portfolio-list'))).toContain(`${first.name}`);
    expect(visibleText(all.text)).toContain('Archived');
    const zh = await page(t.app, '/portfolios?archived=1', 'zh');
    expect(visibleText(zh.text)).toContain('已归档');
    expect(visibleText(zh.text)).toContain('隐藏已归档的项目组合');
    expect(list.text).toContain('href="/portfolios"');
  });

  it('the new-portfolio form: a taken name answers 422 with what was typed kept', async () => {
    const agent = request.agent(t.app);
    const form = await agent.get('/portfolios/new').set('Cookie', 'lang=en');
    expect(form.status).toBe(200);
    const taken = t.store.portfolios.list()[0]!.name;
    const fields = fill(formFields(section(form.text, 'form', 'portfolio-form')), {
      name: taken,
      description: 'typed text',
      'members[0][project]': 'SC-WATER',
      'members[0][scenario]': String(t.store.scenarios.get('SC-WATER', WATER).id),
    });
    const res = await agent
      .post('/portfolios')
      .set('Cookie', 'lang=en')
      .type('form')
      .send(encodeForm(fields));
    expect(res.status).toBe(422);
    expect(inputValue(res.text, 'name')).toBe(taken);
    expect(res.text).toContain('typed text');
    expect(visibleText(res.text)).toContain(`A portfolio named "${taken}" already exists`);
    expect(res.text).toMatch(/<option value="SC-WATER" selected>/);
  });

  it('creates on the form, then a member of another project’s scenario is refused at its row', async () => {
    const agent = request.agent(t.app);
    const form = await agent.get('/portfolios/new').set('Cookie', 'lang=zh');
    const waterId = String(t.store.scenarios.get('SC-WATER', WATER).id);
    const fields = fill(formFields(section(form.text, 'form', 'portfolio-form')), {
      name: '新组合',
      'members[0][project]': 'SC-WATER',
      'members[0][scenario]': waterId,
    });
    const res = await agent.post('/portfolios').type('form').send(encodeForm(fields));
    expect(res.status).toBe(303);
    const id = t.store.portfolios.getByName('新组合').id;
    expect(res.headers.location).toBe(`/portfolios/${id}?saved=1`);
    const shown = await agent.get(`/portfolios/${id}`).set('Cookie', 'lang=zh');
    expect(visibleText(section(shown.text, 'table', 'portfolio-members'))).toContain(
      `SC-WATER ${WATER}`,
    );
    expect(visibleText(shown.text)).toContain('保存成员');
    const dataId = String(t.store.scenarios.get('SC-DATA-BASE', DATA).id);
    const edit = fill(formFields(section(shown.text, 'form', 'members-form')), {
      'members[0][scenario]': dataId,
    });
    const bad = await agent
      .post(`/portfolios/${id}/members`)
      .set('Cookie', 'lang=en')
      .type('form')
      .send(encodeForm(edit));
    expect(bad.status).toBe(422);
    expect(visibleText(bad.text)).toContain(`Project SC-WATER has no scenario with id ${dataId}`);
    expect(bad.text).toContain('data-issue="[0].scenario"');
    expect(t.store.portfolios.get(id).members.map((m) => m.scenarioName)).toEqual([WATER]);
  });

  it('a member whose scenario was archived is flagged on the portfolio page', async () => {
    const made = t.store.portfolios.create(
      { name: 'Flag', members: [{ projectCode: 'SC-WATER', scenarioName: WATER }] },
      'analyst',
    );
    // A scenario in a live portfolio cannot be archived: archive the portfolios that hold it first.
    const holders = t.store.portfolios
      .list()
      .filter((p) =>
        p.members.some((m) => m.projectCode === 'SC-WATER' && m.scenarioName === WATER),
      );
    for (const p of holders) t.store.portfolios.delete(p.id, 'analyst');
    t.store.scenarios.delete('SC-WATER', WATER, 'analyst');
    t.store.portfolios.restore(made.id, 'analyst');
    const en = await page(t.app, `/portfolios/${made.id}`);
    expect(visibleText(section(en.text, 'p', 'flagged-members'))).toBe(
      '1 member(s) point at an archived scenario: choose a live scenario for them.',
    );
    expect(visibleText(section(en.text, 'table', 'portfolio-members'))).toContain(
      `SC-WATER ${WATER} Archived scenario`,
    );
    const zh = await page(t.app, `/portfolios/${made.id}`, 'zh');
    expect(visibleText(zh.text)).toContain('方案已归档');
  });

  it('the auditor sees the portfolio without forms; the navigation links the list', async () => {
    const aud = makeApp({ as: 'auditor' });
    const id = aud.store.portfolios.list()[0]!.id;
    const res = await page(aud.app, `/portfolios/${id}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('id="members-form"');
    expect(res.text).not.toContain('id="archive-form"');
    expect(res.text).toContain('<a href="/portfolios"');
  });
});
