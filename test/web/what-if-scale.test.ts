import type { Server } from 'node:http';
import request from 'supertest';
import { createHttpServer } from '../../src/web/http-server';
import { PARAMETER_LIMIT } from '../../src/web/middleware/query';
import { scenarioInput } from '../store/helpers/fixtures';
import { DEMO_CITY } from './support/accounts';
import { makeApp, type Agent, type TestApp } from './support/app';
import { encodeForm, formFields, section, setField, visibleText } from './support/html';

/**
 * What-if on a 1,000-project portfolio (issue 8, defect 2). Express's `extended` query parser
 * turned more than 20 `switch=` values into an object: the fiscal page answered 422 and the API
 * 400. The portfolio is cheap: 1,000 one-year projects paid from the budget, and one of them has
 * a second scenario half on special bonds, so switching it makes bonds appear (10,000,000.00
 * yuan of capex × 0.5 = 5,000,000.00 yuan issued).
 */

const PROJECTS = 1000;
// The first report simulates all 1,000 members: seconds, more on a loaded machine.
jest.setTimeout(120_000);
const code = (i: number) => `P-${String(i).padStart(4, '0')}`;
const EN = 'lang=en; unit=yuan';

let t: TestApp;
let server: Server;
let agent: Agent;
let portfolioId: number;
let bondId: number;

const small = (c: string, name: string, bondShare: string | null) =>
  scenarioInput(c, name, (s) => {
    s.project.jurisdiction = DEMO_CITY; // which the signed-in approver may read and write
    s.timeline = { startYear: 2026, constructionYears: 1, operationYears: 1 };
    s.capex.scheduleYuan = ['10000000.00'];
    s.funding.sources = bondShare
      ? [
          { id: 'budget', name: 'General budget', type: 'budget', share: '0.5' },
          {
            id: 'bond',
            name: 'Special bond',
            type: 'special-bond',
            share: bondShare,
            debt: { annualRate: '0.0224', tenorYears: 2, graceYears: 0, repayment: 'bullet' },
          },
        ]
      : [{ id: 'budget', name: 'General budget', type: 'budget', share: '1' }];
  });

beforeAll(() => {
  t = makeApp({ demo: false });
  t.store.transaction(() => {
    for (let i = 0; i < PROJECTS; i++)
      t.store.scenarios.save(small(code(i), 'Base', null), { actor: 'test' });
    bondId = t.store.scenarios.save(small(code(7), 'Bond', '0.5'), { actor: 'test' }).scenario.id;
  });
  portfolioId = t.store.portfolios.create(
    {
      name: 'Big',
      members: Array.from({ length: PROJECTS }, (_, i) => ({
        projectCode: code(i),
        scenarioName: 'Base',
      })),
    },
    'test',
  ).id;
  server = createHttpServer(t.app);
  agent = request.agent(server);
});

afterAll(() => {
  server.close();
});

/** Every project's `switch=CODE=ID` as saved, with P-0007 switched to its bond scenario. */
const allSwitches = () =>
  Array.from({ length: PROJECTS }, (_, i) =>
    i === 7 ? `${code(7)}=${bondId}` : `${code(i)}=${t.store.scenarios.get(code(i), 'Base').id}`,
  );

describe('a what-if on a 1,000-project portfolio', () => {
  it('"Show" on the fiscal page sends one select per project and applies the switch', async () => {
    const page = await agent.get(`/portfolios/${portfolioId}/fiscal`).set('Cookie', EN);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('id="bonds-by-year"');
    const fields = formFields(section(page.text, 'form', 'what-if'));
    expect(fields.filter(([n]) => n === 'switch')).toHaveLength(PROJECTS);

    const shown = await agent
      .get(`/portfolios/${portfolioId}/fiscal?${encodeForm(setField(fields, 'switch', 'x'))}`)
      .set('Cookie', EN);
    // setField replaced every switch: one bad value among 1,000 is named by its index.
    expect(shown.status).toBe(422);
    expect(visibleText(shown.text)).toContain('switch[0]');

    const switched = fields.map(([n, v]): [string, string] =>
      n === 'switch' && v.startsWith(`${code(7)}=`) ? [n, `${code(7)}=${bondId}`] : [n, v],
    );
    const res = await agent
      .get(`/portfolios/${portfolioId}/fiscal?${encodeForm(switched)}`)
      .set('Cookie', EN);
    expect(res.status).toBe(200);
    expect(visibleText(section(res.text, 'div', 'what-if-notice'))).toContain(
      `(${code(7)}): Base → Bond`,
    );
    const bonds = visibleText(section(res.text, 'table', 'bonds-by-year'));
    expect(bonds).toContain('Total 5,000,000.00');
  });

  it('the API takes 1,000 switch= parameters', async () => {
    const query = allSwitches()
      .map((s) => `switch=${encodeURIComponent(s)}`)
      .join('&');
    const res = await agent.get(`/api/v1/portfolios/${portfolioId}/fiscal?${query}`);
    expect(res.status).toBe(200);
    const report = res.body.report as {
      switches: Array<{ projectCode: string; to: { scenarioId: number } }>;
      bonds: { totalIssuedYuan: string };
    };
    expect(report.switches.map((s) => [s.projectCode, s.to.scenarioId])).toEqual([
      [code(7), bondId],
    ]);
    expect(report.bonds.totalIssuedYuan).toBe('5000000');
  });

  it(`refuses more than ${PARAMETER_LIMIT} query parameters with 400 and says why`, async () => {
    const query = Array.from({ length: PARAMETER_LIMIT + 1 }, () => 'switch=x').join('&');
    const api = await agent.get(`/api/v1/portfolios/${portfolioId}/fiscal?${query}`);
    expect(api.status).toBe(400);
    expect(api.body.error.issues).toEqual([
      { path: 'query', message: `The address carries more than ${PARAMETER_LIMIT} parameters` },
    ]);
    const page = await agent.get(`/portfolios/${portfolioId}/fiscal?${query}`).set('Cookie', EN);
    expect(page.status).toBe(400);
    expect(visibleText(page.text)).toContain(
      `The address carries more than ${PARAMETER_LIMIT} parameters`,
    );
    const zh = await agent
      .get(`/portfolios/${portfolioId}/fiscal?${query}`)
      .set('Cookie', 'lang=zh');
    expect(visibleText(zh.text)).toContain(`网址的参数超过 ${PARAMETER_LIMIT} 个`);
    const form = await agent
      .post(`/portfolios/${portfolioId}/fiscal/selection`)
      .set('Cookie', EN)
      .type('form')
      .send(query);
    expect(form.status).toBe(400);
    expect(visibleText(form.text)).toContain(
      `The form carries more than ${PARAMETER_LIMIT} parameters`,
    );
  });
  it('"Save this selection" takes a form body with 1,000 switch= values', async () => {
    const url = `/portfolios/${portfolioId}/fiscal?switch=${encodeURIComponent(`${code(7)}=${bondId}`)}`;
    const page = await agent.get(url).set('Cookie', EN);
    const fields = formFields(section(page.text, 'form', 'save-selection')).filter(
      ([n]) => n !== 'switch',
    );
    const body = encodeForm([
      ...fields,
      ...allSwitches().map((v): [string, string] => ['switch', v]),
    ]);
    const res = await agent
      .post(`/portfolios/${portfolioId}/fiscal/selection`)
      .set('Cookie', EN)
      .type('form')
      .send(body);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/portfolios/${portfolioId}/fiscal?saved=1`);
    const members = t.store.portfolios.get(portfolioId).members;
    expect(members.filter((m) => m.scenarioName !== 'Base')).toEqual([
      expect.objectContaining({ projectCode: code(7), scenarioName: 'Bond' }),
    ]);
  });
});
