/**
 * The general bond (一般债券, issue 12; README "General bonds") in the scenario form and the API:
 * the type can be chosen, saved and simulated; its schedule is the government's, not the project's
 * debt; sculpted or capitalised terms get 422 at the field path, nothing saved.
 */
import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import { encodeForm, fill, formFields, section, visibleText, type Fields } from './support/html';

let t: TestApp;
let agent: Agent;
beforeEach(() => {
  t = makeApp({ demo: false });
  agent = request.agent(t.app);
});

const post = (fields: Fields) =>
  agent
    .post('/editor')
    .set('Cookie', 'lang=en')
    .type('form')
    .send(encodeForm([...fields, ['action', 'save']]));

/** One construction year, 2 operation years; 1,000,000 general bond at 3 %, tenor 3, bullet. */
const BOND: Record<string, string> = {
  'project[code]': 'T-GB',
  'project[name]': 'General bond',
  'project[sector]': 'other',
  'project[category]': 'basic',
  'scenario[delivery]': 'government',
  'project[approvalDate]': '2025-01-01',
  'scenario[name]': 'base',
  'timeline[startYear]': '2026',
  'timeline[constructionYears]': '1',
  'timeline[operationYears]': '2',
  'capex[scheduleYuan][0]': '1000000',
  'operatingCost[annualYuan]': '0',
  'funding[sources][0][id]': 'gb',
  'funding[sources][0][name]': 'General bond',
  'funding[sources][0][type]': 'general-bond',
  'funding[sources][0][amountYuan]': '1000000',
  'funding[sources][0][debt][annualRate]': '0.03',
  'funding[sources][0][debt][tenorYears]': '3',
  'funding[sources][0][debt][repayment]': 'bullet',
  'discountRates[project]': '0.06',
  'discountRates[equity]': '0.08',
  'discountRates[government]': '0.04',
  shortfall: 'government',
};

async function newFields(values: Record<string, string>, lang = 'en'): Promise<Fields> {
  const res = await agent.get('/projects/new').set('Cookie', `lang=${lang}`);
  expect(res.status).toBe(200);
  const fields = formFields(section(res.text, 'form', 'editor')).filter(
    ([n]) => n !== 'capex[scheduleYuan][1]',
  );
  return fill(fields, { ...BOND, ...values });
}

const typeSelect = (html: string) =>
  /<select[^>]*name="funding\[sources\]\[0\]\[type\]"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ??
  '';

describe('general bond in the scenario form', () => {
  it('is a source type to choose, labelled in English and Chinese', async () => {
    const en = (await agent.get('/projects/new').set('Cookie', 'lang=en')).text;
    expect(typeSelect(en)).toMatch(/<option value="general-bond"[^>]*>General bond<\/option>/);
    const zh = (await agent.get('/projects/new').set('Cookie', 'lang=zh')).text;
    expect(typeSelect(zh)).toMatch(/<option value="general-bond"[^>]*>一般债券<\/option>/);
  });

  it('saves a project funded by it; the result keeps the bond out of the project debts', async () => {
    expect((await post(await newFields({}))).status).toBe(303);
    const scenario = t.store.scenarios.get('T-GB', 'base');
    const version = t.store.scenarios.current(scenario.id);
    expect(version.inputs.funding.sources[0]!.type).toBe('general-bond');
    const res = await request(t.app).get(`/api/v1/versions/${version.id}/result`);
    expect(res.status).toBe(200);
    const r = res.body.result;
    expect(r.debts).toEqual([]);
    expect(r.governmentDebts.map((s: { id: string }) => s.id)).toEqual(['gb']);
    // 1,000,000 × 3 % = 30,000 a year (start of year by type), 1,000,000 repaid at maturity (2028).
    expect(
      r.ledger.map((y: { governmentDebt: Array<Record<string, string>> }) => [
        y.governmentDebt[0]!.interest,
        y.governmentDebt[0]!.principal,
      ]),
    ).toEqual([
      ['30000', '0'],
      ['30000', '0'],
      ['30000', '1000000'],
    ]);
    expect(r.ledger.map((y: { totalDebtService: string }) => y.totalDebtService)).toEqual([
      '0',
      '0',
      '0',
    ]);
    const page = await agent.get(`/scenarios/${scenario.id}`).set('Cookie', 'lang=en');
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain('General bond: interest (general budget)');
    expect(text).toContain('General-bond service from the general budget');
    expect(text).toContain('are paid from the general public budget, not by the project');
  });

  it('refuses sculpted repayment with 422 at the field, nothing saved', async () => {
    const res = await post(
      await newFields({
        'funding[sources][0][debt][repayment]': 'sculpted',
        'funding[sources][0][debt][targetDscr]': '1.3',
      }),
    );
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('cannot be sculpted');
    expect(t.store.projects.list()).toHaveLength(0);
  });
});

describe('general bond through the API', () => {
  const body = () => ({
    format: 'fundmix-scenario@2',
    project: {
      code: 'T-GB',
      name: 'General bond',
      sector: 'other',
      category: 'basic',
      approvalDate: '2025-01-01',
    },
    scenario: { name: 'base', delivery: 'government' },
    timeline: { startYear: 2026, constructionYears: 1, operationYears: 2 },
    capex: { scheduleYuan: ['1000000'] },
    operatingCost: { annualYuan: '0' },
    funding: {
      sources: [
        {
          id: 'gb',
          name: 'General bond',
          type: 'general-bond',
          amountYuan: '1000000',
          debt: {
            annualRate: '0.03',
            tenorYears: 3,
            repayment: 'bullet',
            constructionInterest: 'capitalised',
          },
        },
      ],
    },
    discountRates: { project: '0.06', equity: '0.08', government: '0.04' },
  });

  it('refuses capitalised construction interest with 422 at the field path', async () => {
    const res = await request(t.app)
      .post('/api/v1/projects')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body()));
    expect(res.status).toBe(422);
    const text = JSON.stringify(res.body);
    expect(text).toContain('funding.sources[0].debt.constructionInterest');
    expect(text).toContain('construction interest cannot be capitalised');
    expect(t.store.projects.list()).toHaveLength(0);
  });
});
