import request from 'supertest';
import { makeApp, type TestApp } from './support/app';
import { BOND_HEAVY, DEMO_CITY, PPP_HEAVY } from '../helpers/demo-names';

/** The fiscal part of /api/v1 (issue 5): the same figures as the pages, JSON in and out. */
const TRANSPORT_SUBSIDY = 'PPP+建设期补助 PPP with construction subsidy';

let t: TestApp;
const id = (name: string) => t.store.portfolios.getByName(name).id;
const api = () => request(t.app);
const put = (url: string, body: unknown) =>
  api().put(url).set('Content-Type', 'application/json').send(JSON.stringify(body));
const switchParam = (code: string, scenario: string | number) =>
  `switch=${encodeURIComponent(`${code}=${scenario}`)}`;

interface Row {
  year: number;
  ratio: string | null;
  breach: boolean;
  breachYuan: string | null;
}

describe('reading', () => {
  beforeAll(() => {
    t = makeApp();
  });

  it('GET /portfolios lists the portfolios with their members; GET /portfolios/:id adds the fiscal settings', async () => {
    const list = await api().get('/api/v1/portfolios');
    expect(list.status).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.body.portfolios.map((p: { name: string }) => p.name)).toEqual([
      PPP_HEAVY,
      BOND_HEAVY,
      '2027 均衡方案 Balanced 2027 plan',
    ]);
    expect(list.body.portfolios[0].members).toHaveLength(12);
    const one = await api().get(`/api/v1/portfolios/${id(PPP_HEAVY)}`);
    expect(one.status).toBe(200);
    expect(one.body.portfolio.name).toBe(PPP_HEAVY);
    expect(one.body.fiscalSettings).toMatchObject({
      jurisdiction: DEMO_CITY,
      budget: { method: 'explicit' },
    });
    expect((await api().get('/api/v1/portfolios/999')).status).toBe(404);
    expect((await api().get('/api/v1/portfolios/abc')).status).toBe(404);
  });

  it('GET /portfolios/:id/fiscal: affordability by year with the breach years and amounts, bonds, VfM, failures', async () => {
    const res = await api().get(`/api/v1/portfolios/${id(PPP_HEAVY)}/fiscal`);
    expect(res.status).toBe(200);
    const report = res.body.report;
    expect(report.switches).toEqual([]);
    expect(report.affordability.breachYears).toEqual([2029, 2030, 2031, 2032, 2033]);
    const y2032 = report.affordability.rows.find((r: Row) => r.year === 2032);
    expect(y2032).toMatchObject({
      ratio: '0.102875',
      breach: true,
      breachYuan: '161356641.54',
      totalYuan: '5773356641.54',
      budgetYuan: '56120000000',
    });
    expect(report.thresholds.affordabilityCap).toBe('0.10');
    // 11 since engine 1.2.0 (SC-PUBLIC-DATA fails user-pays); 12 since the water concession joined the plan (the 10 % cap).
    expect(report.failures.length).toBe(12);
    expect(
      report.failures
        .filter((f: { row: { ruleId: string } }) => f.row.ruleId === 'nm2023-user-pays')
        .map((f: { projectCode: string }) => f.projectCode),
    ).toEqual(['SC-PUBLIC-DATA']);
    const streetlight = report.members.find(
      (m: { projectCode: string }) => m.projectCode === 'SC-STREETLIGHT',
    );
    expect(streetlight.vfm).toMatchObject({ verdict: 'pass' });
  });

  it('what-if ?switch=CODE=SCENARIO (by name or id) moves the ratio and saves nothing', async () => {
    const portfolio = id(PPP_HEAVY);
    const audit = t.store.audit.count();
    const byName = await api().get(
      `/api/v1/portfolios/${portfolio}/fiscal?${switchParam('SC-TRANSPORT', TRANSPORT_SUBSIDY)}`,
    );
    expect(byName.status).toBe(200);
    expect(byName.body.report.switches).toEqual([
      expect.objectContaining({
        projectCode: 'SC-TRANSPORT',
        from: expect.objectContaining({ scenarioName: 'PPP 可用性付费 Availability PPP' }),
        to: expect.objectContaining({ scenarioName: TRANSPORT_SUBSIDY }),
      }),
    ]);
    expect(byName.body.report.affordability.breachYears).toEqual([]);
    expect(byName.body.report.affordability.rows.find((r: Row) => r.year === 2032).ratio).toBe(
      '0.09981',
    );
    const scenarioId = t.store.scenarios.get('SC-TRANSPORT', TRANSPORT_SUBSIDY).id;
    const byId = await api().get(
      `/api/v1/portfolios/${portfolio}/fiscal?${switchParam('SC-TRANSPORT', scenarioId)}`,
    );
    expect(byId.body.report.affordability).toEqual(byName.body.report.affordability);
    expect(
      t.store.portfolios.get(portfolio).members.find((m) => m.projectCode === 'SC-TRANSPORT')
        ?.scenarioName,
    ).toBe('PPP 可用性付费 Availability PPP');
    expect(t.store.audit.count()).toBe(audit);
  });

  it('answers 400 for a switch it cannot read and 422 at switches.CODE for a project or scenario that does not exist', async () => {
    const portfolio = id(PPP_HEAVY);
    const bad = await api().get(
      `/api/v1/portfolios/${portfolio}/fiscal?switch=SC-TRANSPORT&switch=SC-WATER%3Dx`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad-request');
    expect(bad.body.error.issues).toEqual([
      { path: 'switch[0]', message: expect.stringContaining('PROJECT-CODE=SCENARIO') },
    ]);
    const twice = await api().get(
      `/api/v1/portfolios/${portfolio}/fiscal?${switchParam('SC-WATER', 'a')}&${switchParam('SC-WATER', 'b')}`,
    );
    expect(twice.status).toBe(400);
    expect(twice.body.error.issues[0].path).toBe('switch[1]');
    const unknown = await api().get(
      `/api/v1/portfolios/${portfolio}/fiscal?${switchParam('SC-NOPE', 'x')}&${switchParam('SC-TRANSPORT', 'no such')}`,
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'switches.SC-NOPE',
      'switches.SC-TRANSPORT',
    ]);
  });

  it('GET /versions/:id/checklist: every rule with status, figure, detail and citation', async () => {
    const water = t.store.scenarios.get('SC-WATER', '专项债+预算 Bond + budget');
    const res = await api().get(`/api/v1/versions/${water.currentVersionId}/checklist`);
    expect(res.status).toBe(200);
    const checklist = res.body.checklist;
    expect(checklist).toMatchObject({
      projectCode: 'SC-WATER',
      jurisdiction: DEMO_CITY,
      thresholdsSource: 'jurisdiction',
      summary: { fail: 2, pass: 1 },
    });
    expect(
      checklist.rows.find((r: { ruleId: string }) => r.ruleId === 'sb-coverage'),
    ).toMatchObject({
      status: 'fail',
      figure: '0.982 < 1.2; 209,977,824.42',
      citation: expect.stringContaining('财预〔2017〕89号'),
      title: { zh: expect.any(String), en: 'Special-bond coverage ratio' },
    });
    // 945,414,815.58 / 962,827,200.00 = 0.98191537… (6 places); 1.2 × 962,827,200.00 − 945,414,815.58 short.
    // The bond is issued at the start of each construction year (src/domain/README.md, "Draw timing"):
    // 2.31 % × 720 m ÷ 2 = 8,316,000 more construction interest than the half coupon before (954,511,200).
    expect(checklist.bondSelfBalance.base).toMatchObject({
      ratio: '0.981915',
      netIncomeYuan: '945414815.58',
      debtServiceYuan: '962827200',
      pass: false,
      shortfallYuan: '209977824.42',
    });
    const other = await api().get(
      `/api/v1/versions/${water.currentVersionId}/checklist?jurisdiction=Elsewhere`,
    );
    expect(other.body.checklist).toMatchObject({
      jurisdiction: 'Elsewhere',
      thresholdsSource: 'defaults',
    });
    expect((await api().get('/api/v1/versions/99999/checklist')).status).toBe(404);
  });
});

describe('writing', () => {
  beforeEach(() => {
    t = makeApp();
  });

  const SETTINGS = {
    jurisdiction: DEMO_CITY,
    budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '60000000000', growth: '0.03' },
    otherObligations: [{ year: 2030, amountYuan: '4000000000' }],
  };

  it('PUT /portfolios/:id/fiscal-settings replaces the settings, audited with the signed-in user (?author= ignored); the same again changes nothing', async () => {
    const portfolio = id(PPP_HEAVY);
    const res = await put(
      `/api/v1/portfolios/${portfolio}/fiscal-settings?author=chen&comment=${encodeURIComponent('2027 budget')}`,
      SETTINGS,
    );
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(true);
    expect(res.body.settings).toMatchObject({
      portfolioId: portfolio,
      jurisdiction: DEMO_CITY,
      budget: SETTINGS.budget,
    });
    // The other demo portfolios share Demo City's figures, so they changed with them.
    expect(res.body.applied.map((a: { changed: boolean }) => a.changed)).toEqual([true, true]);
    const entry = t.store.audit.list({ entity: 'jurisdiction-fiscal', limit: 1 })[0]!;
    expect(entry).toMatchObject({
      action: 'update-fiscal-settings',
      actor: 'approver',
      details: expect.objectContaining({ comment: '2027 budget', portfolioId: portfolio }),
    });
    const again = await put(`/api/v1/portfolios/${portfolio}/fiscal-settings`, SETTINGS);
    expect(again.body.changed).toBe(false);
    // The fiscal report follows at once (the cached one is for the previous data).
    const report = await api().get(`/api/v1/portfolios/${portfolio}/fiscal`);
    expect(report.body.report.affordability.rows.find((r: Row) => r.year === 2032).breach).toBe(
      false,
    );
  });

  it('answers 422 naming each bad field by its path, writing nothing', async () => {
    const portfolio = id(PPP_HEAVY);
    const audit = t.store.audit.count();
    const res = await put(`/api/v1/portfolios/${portfolio}/fiscal-settings`, {
      jurisdiction: '',
      budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '60000000000', growth: '3' },
      otherObligations: [{ year: 2030, amountYuan: '1.234' }],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'budget.growth',
      'jurisdiction',
      'otherObligations[0].amountYuan',
    ]);
    expect(t.store.audit.count()).toBe(audit);
  });

  it('answers 400 for a body that is not a JSON object, 415 for a form body, 404 for an unknown portfolio', async () => {
    const portfolio = id(PPP_HEAVY);
    const array = await put(`/api/v1/portfolios/${portfolio}/fiscal-settings`, [SETTINGS]);
    expect(array.status).toBe(400);
    expect(array.body.error.issues).toEqual([
      { path: '', message: 'The body must be a JSON object' },
    ]);
    const broken = await api()
      .put(`/api/v1/portfolios/${portfolio}/fiscal-settings`)
      .set('Content-Type', 'application/json')
      .send('{"jurisdiction":');
    expect(broken.status).toBe(400);
    const form = await api()
      .put(`/api/v1/portfolios/${portfolio}/fiscal-settings`)
      .type('form')
      .send('jurisdiction=x');
    expect(form.status).toBe(415);
    expect((await put('/api/v1/portfolios/999/fiscal-settings', SETTINGS)).status).toBe(404);
  });

  it('PUT /jurisdictions/:name/thresholds sets the thresholds (audited with the signed-in user, ?author= ignored, with what changed) and the reports use them', async () => {
    const res = await put(
      `/api/v1/jurisdictions/${encodeURIComponent(DEMO_CITY)}/thresholds?author=li`,
      { affordabilityCap: '0.08', bondCoverage: '1.3' },
    );
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(true);
    expect(res.body.jurisdiction.thresholds).toMatchObject({
      affordabilityCap: '0.08',
      bondCoverage: '1.3',
      newProjectLine: '0.05',
    });
    const entry = t.store.audit.list({ entity: 'jurisdiction', limit: 1 })[0]!;
    expect(entry).toMatchObject({ action: 'update-thresholds', actor: 'approver' });
    expect(entry.details.changes).toEqual(
      expect.arrayContaining([
        { path: 'affordabilityCap', kind: 'changed', before: '0.10', after: '0.08' },
        { path: 'bondCoverage', kind: 'changed', before: '1.2', after: '1.3' },
      ]),
    );
    const report = await api().get(`/api/v1/portfolios/${id(BOND_HEAVY)}/fiscal`);
    expect(report.body.report.thresholds.affordabilityCap).toBe('0.08');
    expect(report.body.report.affordability.breachYears[0]).toBe(2022);
  });

  it('answers 422 with field paths for thresholds that are not valid, writing nothing', async () => {
    const audit = t.store.audit.count();
    const cap = await put(`/api/v1/jurisdictions/${encodeURIComponent(DEMO_CITY)}/thresholds`, {
      affordabilityCap: '0.12',
    });
    expect(cap.status).toBe(422);
    expect(cap.body.error.issues).toEqual([
      { path: 'affordabilityCap', message: expect.stringContaining('national 10 %') },
    ]);
    const fields = await put(`/api/v1/jurisdictions/${encodeURIComponent(DEMO_CITY)}/thresholds`, {
      maxConcessionYears: 'forty',
      minCapitalRatioBySector: { 'smart-water': '2' },
      colour: 'red',
    });
    expect(fields.status).toBe(422);
    expect(fields.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(
      ['', 'maxConcessionYears', 'minCapitalRatioBySector.smart-water'].sort(),
    );
    const line = await put(`/api/v1/jurisdictions/${encodeURIComponent(DEMO_CITY)}/thresholds`, {
      newProjectLine: '0.2',
    });
    expect(line.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['newProjectLine']);
    expect(t.store.audit.count()).toBe(audit);
  });
});
