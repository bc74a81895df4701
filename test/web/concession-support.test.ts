import request from 'supertest';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import { portfolioFiscalReport } from '../../src/store';
import { renderFiscalTable } from '../../src/cli/format/fiscal-table';
import { addBureauApprover } from './support/accounts';
import { makeApp, type Agent, type TestApp } from './support/app';
import { encodeForm, fill, formFields, section, visibleText, type Fields } from './support/html';

/*
 * Issue 9, item 11: new-mechanism concessions' construction-period investment support, its own
 * line, and the jurisdiction threshold that decides whether it counts in the PPP ratio.
 *
 * Test County, budget 10,000,000 in 2026 growing 5 % (2027: 10,500,000), no other obligations.
 * - T-PPP-A, legacy PPP (2019): government equity 200,000 in 2026, operating subsidy 100,000 a
 *   year 2027–2028;
 * - T-NM-S, concession approved 2025-01-01 (new mechanism): capex 1,000,000 in 2026 = budget
 *   350,000 (the investment support) + private equity 650,000; users pay, no government payment.
 *
 *   year  A        support (N)  total, not counted          total, counted
 *   2026  200,000  350,000      200,000 → 0.020000          550,000 → 0.055000 (> 5 % line)
 *   2027  100,000  0            100,000 / 10,500,000 = 0.009524 either way
 */
const COUNTY = 'Test County';
/** An approver of Test County's bureau, as whom every request goes. */
const APPROVER = 'county-approver';

const base = (code: string, patch: (s: ScenarioInput) => void): ScenarioInput => {
  const s: ScenarioInput = {
    format: 'fundmix-scenario@2',
    project: {
      code,
      name: `Project ${code}`,
      sector: 'smart-parking',
      category: 'market-oriented',
      approvalDate: '2019-06-20',
      jurisdiction: COUNTY,
    },
    scenario: { name: 'base', delivery: 'ppp' },
    timeline: { startYear: 2026, constructionYears: 1, operationYears: 2 },
    capex: { scheduleYuan: ['1000000'] },
    operatingCost: { annualYuan: '300000' },
    revenues: [{ kind: 'other', name: 'Fees', annualYuan: '250000' }],
    funding: {
      sources: [
        { id: 'gov', name: 'Government equity', type: 'government-equity', amountYuan: '200000' },
        {
          id: 'private',
          name: 'Private equity',
          type: 'social-equity',
          ownership: 'private',
          amountYuan: '800000',
        },
      ],
    },
    government: { operatingSubsidy: { annualYuan: '100000' } },
    tax: { incomeTaxRate: '0' },
    discountRates: { project: '0.06', equity: '0.08', government: '0.1' },
    shortfall: 'equity',
  };
  patch(s);
  return s;
};
const A = base('T-PPP-A', () => undefined);
const N = base('T-NM-S', (s) => {
  s.scenario.delivery = 'concession';
  s.project.approvalDate = '2025-01-01';
  s.revenues = [{ kind: 'other', name: 'Fees', annualYuan: '900000' }];
  s.government = {};
  s.funding.sources = [
    { id: 'budget', name: 'Budget investment support', type: 'budget', amountYuan: '350000' },
    {
      id: 'private',
      name: 'Private equity',
      type: 'social-equity',
      ownership: 'private',
      amountYuan: '650000',
    },
  ];
});

const EN_YUAN = 'lang=en; unit=yuan';
let t: TestApp;
let agent: Agent;
let portfolioId: number;
beforeEach(() => {
  t = makeApp({ demo: false, as: APPROVER });
  addBureauApprover(t.store, COUNTY, APPROVER);
  agent = request.agent(t.app);
  for (const s of [A, N]) t.store.scenarios.save(s, { actor: 'alice' });
  portfolioId = t.store.portfolios.create(
    {
      name: 'County plan',
      members: [
        { projectCode: 'T-PPP-A', scenarioName: 'base' },
        { projectCode: 'T-NM-S', scenarioName: 'base' },
      ],
    },
    'alice',
  ).id;
  t.store.fiscal.setSettings(
    portfolioId,
    {
      jurisdiction: COUNTY,
      budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '10000000', growth: '0.05' },
      otherObligations: [],
    },
    'alice',
  );
});

const put = (body: unknown) =>
  request(t.app)
    .put(`/api/v1/jurisdictions/${encodeURIComponent(COUNTY)}/thresholds?author=li`)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));

interface ApiRow {
  year: number;
  concessionInvestmentSupportYuan: string;
  obligations: { supportingInvestment: string };
  totalYuan: string;
  ratio: string;
  aboveNewProjectLine: boolean;
}
async function apiRows(): Promise<{ counted: boolean; rows: string[][] }> {
  const res = await request(t.app).get(`/api/v1/portfolios/${portfolioId}/fiscal`);
  expect(res.status).toBe(200);
  const a = res.body.report.affordability;
  return {
    counted: a.concessionInvestmentSupportCounted,
    rows: (a.rows as ApiRow[]).map((r) => [
      String(r.year),
      r.concessionInvestmentSupportYuan,
      r.obligations.supportingInvestment,
      r.totalYuan,
      r.ratio,
      String(r.aboveNewProjectLine),
    ]),
  };
}

describe('the API', () => {
  it('reports the support on its own line, outside the ratio, by default', async () => {
    expect(await apiRows()).toEqual({
      counted: false,
      rows: [
        ['2026', '350000', '0', '200000', '0.02', 'false'],
        ['2027', '0', '0', '100000', '0.009524', 'false'],
        ['2028', '0', '0', '100000', '0.00907', 'false'],
      ],
    });
  });

  it('PUT /jurisdictions/:name/thresholds with countConcessionInvestmentSupport counts it', async () => {
    const res = await put({ countConcessionInvestmentSupport: true });
    expect(res.status).toBe(200);
    expect(res.body.jurisdiction.thresholds.countConcessionInvestmentSupport).toBe(true);
    expect(await apiRows()).toEqual({
      counted: true,
      rows: [
        ['2026', '350000', '350000', '550000', '0.055', 'true'],
        ['2027', '0', '0', '100000', '0.009524', 'false'],
        ['2028', '0', '0', '100000', '0.00907', 'false'],
      ],
    });
  });

  it('refuses a value that is not true or false with 422 at the field, writing nothing', async () => {
    const before = t.store.audit.count();
    const res = await put({ countConcessionInvestmentSupport: 'yes' });
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([
      {
        path: 'countConcessionInvestmentSupport',
        message: 'Counting concession investment support must be true or false',
      },
    ]);
    expect(t.store.audit.count()).toBe(before);
    expect(t.store.fiscal.getJurisdiction(COUNTY)).toBeNull();
  });
});

describe('the pages', () => {
  const fiscalPage = async () => {
    const res = await agent.get(`/portfolios/${portfolioId}/fiscal`).set('Cookie', EN_YUAN);
    expect(res.status).toBe(200);
    return res.text;
  };
  const supportCells = (html: string) =>
    [
      ...section(html, 'table', 'affordability').matchAll(
        /<td[^>]*data-concession-support>([^<]*)<\/td>/g,
      ),
    ].map((m) => m[1]);
  const header = (html: string) =>
    visibleText(/<th[^>]*data-concession-support-header>([^<]*)<\/th>/.exec(html)?.[1] ?? '');
  const note = (html: string) =>
    visibleText(/<p[^>]*id="concession-support-note">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '');
  const settings = `/portfolios/${'{id}'}/fiscal/settings`;
  const openThresholds = async (): Promise<Fields> => {
    const res = await agent
      .get(settings.replace('{id}', String(portfolioId)))
      .set('Cookie', EN_YUAN);
    expect(res.status).toBe(200);
    return formFields(section(res.text, 'form', 'thresholds-form'));
  };
  const postThresholds = (fields: Fields) =>
    agent
      .post(`/portfolios/${portfolioId}/fiscal/thresholds`)
      .set('Cookie', EN_YUAN)
      .type('form')
      .send(encodeForm(fields));

  it('shows the separate column and says it is not counted, with the citation', async () => {
    const html = await fiscalPage();
    expect(header(html)).toBe('Concessions’ investment support (not counted)');
    expect(supportCells(html)).toEqual(['350,000.00', '–', '–']);
    expect(note(html)).toBe(
      'New-mechanism concessions’ construction-period investment support (budget and construction subsidies) is shown on its own and not counted in the ratio: 国办函〔2023〕115号 allows government investment support during construction and forbids new future fiscal obligations through concessions. The jurisdiction’s thresholds can count it.',
    );
    expect(visibleText(/<tr data-year="2026"[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '')).toContain(
      '2.00%',
    );
  });

  it('the settings form has the box, unticked by default; ticking it counts the support (audited)', async () => {
    const fields = await openThresholds();
    expect(fields.filter(([n]) => n === 'countConcessionInvestmentSupport')).toEqual([
      ['countConcessionInvestmentSupport', 'false'],
    ]);
    const res = await postThresholds(
      fill(fields, { author: 'Li Wei' }).concat([['countConcessionInvestmentSupport', 'true']]),
    );
    expect(res.status).toBe(303);
    const stored = t.store.fiscal.getJurisdiction(COUNTY)!;
    expect(stored.thresholds.countConcessionInvestmentSupport).toBe(true);
    const entry = t.store.audit.list({ entity: 'jurisdiction', entityId: stored.id, limit: 1 })[0]!;
    expect(entry.actor).toBe(APPROVER); // the signed-in user, not the posted author
    expect(entry.details.changes).toEqual(
      expect.arrayContaining([
        { path: 'countConcessionInvestmentSupport', kind: 'changed', before: false, after: true },
      ]),
    );
    const html = await fiscalPage();
    expect(header(html)).toBe('Concessions’ investment support (in supporting investment)');
    expect(visibleText(/<tr data-year="2026"[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '')).toContain(
      '5.50%',
    );
    // Unticking it again (the hidden "false" alone is posted) stores false.
    const again = await openThresholds();
    expect(
      again.filter(([n]) => n === 'countConcessionInvestmentSupport').map(([, v]) => v),
    ).toEqual(['false', 'true']);
    const off = await postThresholds(
      again.filter(([n, v]) => !(n === 'countConcessionInvestmentSupport' && v === 'true')),
    );
    expect(off.status).toBe(303);
    expect(
      t.store.fiscal.getJurisdiction(COUNTY)!.thresholds.countConcessionInvestmentSupport,
    ).toBe(false);
  });
});

describe('fundmix fiscal report (its table)', () => {
  it('adds the column and a line saying whether it counts', () => {
    const text = renderFiscalTable(portfolioFiscalReport(t.store, portfolioId));
    expect(text).toMatch(/\nYear +Programme +Concession support +Other PPP +Total /);
    expect(text).toMatch(
      /\n2026 +200,000\.00 +350,000\.00 +0\.00 +200,000\.00 +10,000,000\.00 +2\.0000 %/,
    );
    expect(text).toContain(
      "Concessions' construction-period investment support: 350,000.00 yuan in 2026; not counted in the ratio (国办函〔2023〕115号 allows government investment support during construction and forbids new future fiscal obligations through concessions).\n",
    );
    t.store.fiscal.setThresholds(COUNTY, { countConcessionInvestmentSupport: true }, 'li');
    const counted = renderFiscalTable(portfolioFiscalReport(t.store, portfolioId));
    expect(counted).toMatch(
      /\n2026 +550,000\.00 +350,000\.00 +0\.00 +550,000\.00 +10,000,000\.00 +5\.5000 % .* above 5\.00 %\n/,
    );
    expect(counted).toContain(
      "Concessions' construction-period investment support: 350,000.00 yuan in 2026; counted as supporting investment in Programme (the jurisdiction's countConcessionInvestmentSupport).\n",
    );
  });
});
