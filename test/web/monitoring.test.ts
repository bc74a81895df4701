import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import { DEMO_CITY } from './support/accounts';
import { encodeForm, fill, formFields, section, visibleText, type Fields } from './support/html';
import { scenarioInput } from '../store/helpers/fixtures';
import { Dec } from '../../src/domain/decimal';
import { simulate } from '../../src/domain/engine/simulate';
import { parseScenario } from '../../src/domain/scenario/parse';
import { formatAmount } from '../../src/web/format/number';

/*
 * P-001 of the store fixture in the demo city: construction 2026–2027 (capex 6,000,000 and
 * 4,000,000), operation 2028–2037, opex 300,000 in 2028, stream Advertising 900,000 in 2028.
 */
let t: TestApp;
let agent: Agent;
const setup = (as: 'analyst' | 'approver' | 'auditor' | 'enterprise' = 'analyst') => {
  t = makeApp({ demo: false, as });
  agent = request.agent(t.app);
  t.store.scenarios.save(
    scenarioInput('P-001', 'Base case', (s) => (s.project.jurisdiction = DEMO_CITY)),
    { actor: 'setup' },
  );
};

async function page(query = '', lang = 'en; unit=yuan'): Promise<string> {
  const res = await agent.get(`/projects/P-001/monitoring${query}`).set('Cookie', `lang=${lang}`);
  expect(res.status).toBe(200);
  return res.text;
}
const form = (html: string): Fields => formFields(section(html, 'form', 'mon-form'));
const post = (fields: Fields) =>
  agent
    .post('/projects/P-001/monitoring/actuals')
    .set('Cookie', 'lang=en; unit=yuan')
    .type('form')
    .send(encodeForm(fields));

describe('the Monitoring page', () => {
  beforeEach(() => setup());

  it('records a year through the form and shows plan vs actual with the flag and the re-forecast', async () => {
    const fields = fill(form(await page()), {
      year: '2028',
      opexYuan: '360000.00',
      'revenue[0]': '720000.00',
      source: 'Audited accounts 2028',
    });
    const res = await post(fields);
    expect(res.status).toBe(303);
    const html = await page('?saved=2028');
    expect(visibleText(section(html, 'p', 'mon-notice'))).toBe('Actuals of 2028 recorded.');
    const table = visibleText(section(html, 'table', 'mon-table'));
    expect(table).toContain('2028 Opex 300,000.00 360,000.00 +60,000.00 20.00% Off plan');
    expect(table).toContain(
      '2028 Revenue: Advertising 900,000.00 720,000.00 -180,000.00 20.00% Off plan',
    );
    expect(visibleText(section(html, 'span', 'mon-off-plan'))).toBe('Off plan');
    const metrics = visibleText(section(html, 'table', 'mon-metrics'));
    // The plan's NPV is the unchanged scenario's; the re-forecast's the engine run with 2028's
    // opex × 1.2 and revenue × 0.8 (plan 300,000 and 900,000: see test/app/monitoring.test.ts).
    const plan = simulate(parseScenario(scenarioInput('P-001')));
    const re = simulate(parseScenario(scenarioInput('P-001')), {
      overrides: {
        opexYearFactors: [new Dec('1.2')],
        streamYearFactors: { Advertising: [new Dec('0.8')] },
      },
    });
    const yuan = (d: Dec) => formatAmount(d.toFixed(2), 'yuan');
    expect(metrics).toContain(
      `Project NPV ${yuan(plan.metrics.projectNpv)} ${yuan(re.metrics.projectNpv)}`,
    );
    expect(metrics).toContain(
      `Government NPV ${yuan(plan.metrics.governmentNpv)} ${yuan(re.metrics.governmentNpv)}`,
    );
    expect(visibleText(section(html, 'table', 'mon-recorded'))).toContain(
      '2028 v1 analyst Audited accounts 2028',
    );
  });

  it('a threshold of 25 % leaves the 20 % deviations unflagged', async () => {
    await post(fill(form(await page()), { year: '2028', opexYuan: '360000.00', source: 's' }));
    const table = visibleText(section(await page('?threshold=25'), 'table', 'mon-table'));
    expect(table).toContain('2028 Opex 300,000.00 360,000.00 +60,000.00 20.00% —');
  });

  it('refuses bad input with 422 at the field, keeping what was typed, writing nothing', async () => {
    const res = await post(
      fill(form(await page()), { year: '2026', capexYuan: '12.345', source: 'Q1 report' }),
    );
    expect(res.status).toBe(422);
    expect(visibleText(section(res.text, 'div', 'mon-errors'))).toContain(
      'capexYuan Capex has more than 2 decimals (fen)',
    );
    const kept = formFields(section(res.text, 'form', 'mon-form'));
    expect(kept.find(([n]) => n === 'capexYuan')?.[1]).toBe('12.345');
    expect(kept.find(([n]) => n === 'source')?.[1]).toBe('Q1 report');
    expect(t.store.db.prepare('SELECT COUNT(*) AS n FROM project_actuals').get()).toEqual({ n: 0 });
  });

  it('refuses a post without the CSRF token', async () => {
    const fields = fill(form(await page()), {
      year: '2026',
      capexYuan: '1.00',
      source: 's',
    }).filter(([n]) => n !== '_csrf');
    expect((await post(fields)).status).toBe(403);
    expect(t.store.db.prepare('SELECT COUNT(*) AS n FROM project_actuals').get()).toEqual({ n: 0 });
  });

  it('speaks Chinese with amounts in 万元', async () => {
    await post(fill(form(await page()), { year: '2026', capexYuan: '6600000.00', source: 's' }));
    const html = await page('', 'zh; unit=wan');
    expect(visibleText(section(html, 'table', 'mon-table'))).toContain(
      '2026 资本支出 600.00 660.00',
    );
    expect(visibleText(html)).toContain('计划与实际对比');
  });

  it('lists the project on the dashboard while its latest year is off plan', async () => {
    await post(fill(form(await page()), { year: '2026', capexYuan: '6700000.00', source: 's' }));
    let dash = visibleText(
      section((await agent.get('/').set('Cookie', 'lang=en')).text, 'section', 'off-plan'),
    );
    expect(dash).toContain('Project P-001 P-001 · 2026 · Capex');
    await post(fill(form(await page()), { year: '2027', capexYuan: '4000000.00', source: 's' }));
    dash = visibleText(
      section((await agent.get('/').set('Cookie', 'lang=en')).text, 'section', 'off-plan'),
    );
    expect(dash).toContain('No project is off plan.');
  });
});

describe('who sees the form', () => {
  it('an auditor reads the page without the entry form', async () => {
    setup('auditor');
    const html = await page();
    expect(html).toContain('id="mon-deviations"');
    expect(html).not.toContain('id="mon-form"');
  });
});

describe('the API', () => {
  beforeEach(() => setup());
  it('POST then GET actuals and monitoring', async () => {
    const posted = await agent
      .post('/api/v1/projects/P-001/actuals')
      .send({ year: 2028, opexYuan: '330000.00', source: 'report' });
    expect(posted.status).toBe(201);
    expect(posted.body.actuals).toMatchObject({ year: 2028, versionNo: 1, author: 'analyst' });
    const list = await agent.get('/api/v1/projects/P-001/actuals');
    expect(list.body.actuals).toHaveLength(1);
    const m = await agent.get('/api/v1/projects/P-001/monitoring?threshold=5');
    expect(m.status).toBe(200);
    expect(m.body.deviations).toEqual([
      {
        year: 2028,
        line: 'opex',
        plan: '300000',
        actual: '330000',
        difference: '30000',
        ratio: '0.1',
        flagged: true,
      },
    ]);
    expect(typeof m.body.reforecast.metrics.projectNpv).toBe('string');
  });
  it('answers 422 naming the field for an unknown stream and a year outside the timeline', async () => {
    const res = await agent
      .post('/api/v1/projects/P-001/actuals')
      .send({ year: 2040, source: 'x' });
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([
      { path: 'year', message: "Year 2040 is outside the project's timeline (2026–2037)" },
    ]);
    const bad = await agent
      .post('/api/v1/projects/P-001/actuals')
      .send({ year: 2028, revenuesYuan: { Tolls: '1.00' }, source: 'x' });
    expect(bad.body.error.issues).toEqual([
      { path: 'revenuesYuan.Tolls', message: 'The scenario has no revenue stream "Tolls"' },
    ]);
  });
});
