/**
 * Editor, results page and API for source draw timing and the equity waterfall (issue 9, item 9
 * and "Equity waterfall tiers"; src/domain/README.md, "Draw timing" and "Equity waterfall").
 */
import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import {
  encodeForm,
  fieldValue,
  fill,
  formFields,
  section,
  visibleText,
  type Fields,
} from './support/html';
import { smallInput } from '../helpers/scenarios';
import type { ScenarioInput } from '../../src/domain/scenario/schema';

let t: TestApp;
let agent: Agent;
beforeEach(() => {
  t = makeApp({ demo: false });
  agent = request.agent(t.app);
});

async function openForm(url: string): Promise<Fields> {
  const res = await agent.get(url).set('Cookie', 'lang=en');
  expect(res.status).toBe(200);
  return formFields(section(res.text, 'form', 'editor'));
}

const post = (fields: Fields) =>
  agent
    .post('/editor')
    .set('Cookie', 'lang=en')
    .type('form')
    .send(encodeForm([...fields, ['action', 'save']]));

/** A new project funded by one special bond (1 construction + 2 operation years). */
const BOND: Record<string, string> = {
  'project[code]': 'T-DRAW',
  'project[name]': 'Draw timing',
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
  'funding[sources][0][id]': 'bond',
  'funding[sources][0][name]': 'Special bond',
  'funding[sources][0][type]': 'special-bond',
  'funding[sources][0][amountYuan]': '1000000',
  'funding[sources][0][debt][annualRate]': '0.03',
  'funding[sources][0][debt][tenorYears]': '3',
  'funding[sources][0][debt][repayment]': 'bullet',
  'discountRates[project]': '0.06',
  'discountRates[equity]': '0.08',
  'discountRates[government]': '0.04',
  shortfall: 'government',
};

const newBondFields = async (values: Record<string, string>) =>
  fill(
    (await openForm('/projects/new')).filter(([n]) => n !== 'capex[scheduleYuan][1]'),
    { ...BOND, ...values },
  );

describe('draw timing in the source row', () => {
  it('offers the select with the by-type default first, and keeps the choice after a validation error', async () => {
    const html = (await agent.get('/projects/new').set('Cookie', 'lang=en')).text;
    const select =
      /<select[^>]*name="funding\[sources\]\[0\]\[drawTiming\]"[^>]*>([\s\S]*?)<\/select>/.exec(
        html,
      )?.[1] ?? '';
    expect(visibleText(select)).toBe(
      'By type (special and general bonds start of year, other debt mid-year) Start of year (full coupon) Mid-year (half the year)',
    );
    const res = await post(
      await newBondFields({
        'funding[sources][0][drawTiming]': 'mid-year',
        'discountRates[project]': '',
      }),
    );
    expect(res.status).toBe(422);
    expect(t.store.projects.list()).toHaveLength(0);
    const again = formFields(section(res.text, 'form', 'editor'));
    expect(fieldValue(again, 'funding[sources][0][drawTiming]')).toBe('mid-year');
    expect(res.text).toMatch(/<option value="mid-year" selected>/);
  });

  it('saves a declared timing, leaves an empty one out, and the results follow it', async () => {
    expect((await post(await newBondFields({}))).status).toBe(303);
    const byType = t.store.scenarios.get('T-DRAW', 'base');
    expect(t.store.scenarios.current(byType.id).inputs.funding.sources[0]).not.toHaveProperty(
      'drawTiming',
    );
    const fields = fill(await openForm(`/scenarios/${byType.id}/edit`), {
      'funding[sources][0][drawTiming]': 'mid-year',
    });
    expect((await post(fields)).status).toBe(303);
    const inputs = t.store.scenarios.current(byType.id).inputs;
    expect(inputs.funding.sources[0]!.drawTiming).toBe('mid-year');
    // Construction interest: 1,000,000 × 3 % = 30,000 by type (a bond: start of year); 15,000 mid-year.
    const result = await request(t.app).get(
      `/api/v1/versions/${t.store.scenarios.current(byType.id).id}/result`,
    );
    expect(result.body.result.ledger[0].debt[0].interest).toBe('15000');
    const first = [...t.store.scenarios.versions(byType.id)].sort((a, b) => a.id - b.id)[0]!;
    const before = await request(t.app).get(`/api/v1/versions/${first.id}/result`);
    expect(before.body.result.ledger[0].debt[0].interest).toBe('30000');
  });
});

/** The waterfall test's guided fund (30 %, 4 % capped) and private holder (70 %). */
function fundInput(): ScenarioInput {
  return smallInput((s) => {
    s.project.code = 'T-FUND';
    s.timeline.operationYears = 4;
    s.operatingCost.annualYuan = '0';
    s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '400000', rampUp: ['0.025'] }];
    s.funding = {
      sources: [
        { id: 'fund', name: 'Guided fund', type: 'guided-fund-equity', amountYuan: '300000' },
        { id: 'private', name: 'Private partner', type: 'enterprise-equity', amountYuan: '700000' },
      ],
      waterfall: { preferredSourceIds: ['fund'], preferredRate: '0.04', capped: true },
    };
    s.tax = { incomeTaxRate: '0' };
  });
}

describe('equity waterfall on the results page, the API and the editor', () => {
  it('shows each holder its own IRR and the preferred tiers in the ledger', async () => {
    const res = await request(t.app)
      .post('/api/v1/projects')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(fundInput()));
    expect(res.status).toBe(201);
    const metrics = (await request(t.app).get(`/api/v1/versions/${res.body.version.id}/result`))
      .body.result.metrics;
    // src/domain/README.md, "Equity waterfall": fund 3.987 %, private 7.311 %.
    expect(
      metrics.equity.map((e: { name: string; distributed: string }) => [e.name, e.distributed]),
    ).toEqual([
      ['Guided fund', '324000'],
      ['Private partner', '886000'],
    ]);
    const id = t.store.scenarios.get('T-FUND', 'base').id;
    const page = await agent.get(`/scenarios/${id}`).set('Cookie', 'lang=en');
    expect(page.status).toBe(200);
    const metric = (key: string) =>
      visibleText(
        new RegExp(
          `<div class="card metric[^"]*" data-metric="${key}">[\\s\\S]*?</div>\\s*</div>`,
        ).exec(page.text)?.[0] ?? '',
      );
    expect(metric('equityIrr:0')).toContain('Equity IRR · Guided fund');
    expect(metric('equityIrr:0')).toContain('3.99%');
    expect(metric('equityIrr:1')).toContain('Equity IRR · Private partner');
    expect(metric('equityIrr:1')).toContain('7.31%');
    const text = visibleText(page.text);
    expect(text).toContain('Guided fund: of which preferred return');
    expect(text).toContain('Guided fund: preferred return owed');
    expect(text).not.toContain('Private partner: of which preferred return');
  });

  it('edits the waterfall block and keeps it after an error at its field', async () => {
    const created = await request(t.app)
      .post('/api/v1/projects')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(fundInput()));
    expect(created.status).toBe(201);
    const id = t.store.scenarios.get('T-FUND', 'base').id;
    const fields = await openForm(`/scenarios/${id}/edit`);
    expect(fieldValue(fields, 'funding[waterfall][preferredSourceIds]')).toBe('fund');
    expect(fieldValue(fields, 'funding[waterfall][preferredRate]')).toBe('0.04');
    const bad = await post(
      fill(fields, { 'funding[waterfall][preferredSourceIds]': 'fund, nope' }),
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('There is no funding source &quot;nope&quot;');
    const again = formFields(section(bad.text, 'form', 'editor'));
    expect(fieldValue(again, 'funding[waterfall][preferredSourceIds]')).toBe('fund, nope');
    const ok = await post(fill(fields, { 'funding[waterfall][preferredRate]': '0.05' }));
    expect(ok.status).toBe(303);
    expect(t.store.scenarios.current(id).inputs.funding.waterfall).toEqual({
      preferredSourceIds: ['fund'],
      preferredRate: '0.05',
      returnOfCapital: true,
      capped: true,
    });
  });
});

describe('the API takes both through the same schema', () => {
  const simulateBody = (input: unknown) =>
    request(t.app)
      .post('/api/v1/simulate')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(input));

  it('refuses drawTiming on equity and a waterfall naming a loan with 422 at the field', async () => {
    const timing = await simulateBody(
      smallInput((s) => (s.funding.sources[0]!.drawTiming = 'start-of-year')),
    );
    expect(timing.status).toBe(422);
    expect(JSON.stringify(timing.body)).toContain('funding.sources[0].drawTiming');
    const wf = await simulateBody(
      smallInput((s) => {
        s.funding.waterfall = { preferredSourceIds: ['loan'], preferredRate: '0.04' };
      }),
    );
    expect(wf.status).toBe(422);
    expect(JSON.stringify(wf.body)).toContain(
      'Source \\"loan\\" is not equity: only equity holders take part in the waterfall',
    );
  });

  it('simulates a waterfall: the holders are paid differently', async () => {
    const res = await simulateBody(fundInput());
    expect(res.status).toBe(200);
    expect(
      res.body.result.ledger.map((y: { equity: Array<{ distribution: string }> }) =>
        y.equity.map((e) => e.distribution),
      ),
    ).toEqual([
      ['0', '0'],
      ['10000', '0'],
      ['314000', '86000'],
      ['0', '400000'],
      ['0', '400000'],
    ]);
  });
});

describe('equity waterfall on the compare page', () => {
  it('compares each holder’s IRR, matched by source id, once a scenario has several holders', async () => {
    const create = async (input: ScenarioInput) => {
      const res = await request(t.app)
        .post('/api/v1/projects')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(input));
      expect(res.status).toBe(201);
      return res.body.scenario.id as number;
    };
    const tiered = await create(fundInput());
    const plainInput = fundInput();
    plainInput.project.code = 'T-FUND-PRO-RATA';
    delete plainInput.funding.waterfall;
    const proRata = await create(plainInput);
    const res = await agent.get(`/compare?s=${tiered}&s=${proRata}`).set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    const rows = visibleText(section(res.text, 'table', 'compare-metrics'));
    // Tiered: fund 3.99 %, private 7.31 % (above); pro rata with no debt and no tax, each holder's
    // flows are the project's own, so both equal the project IRR, 6.65 %.
    expect(rows).toContain('Project IRR 6.65% 6.65% 0.00 pp');
    expect(rows).toContain('Equity IRR · Guided fund 3.99% 6.65% +2.66 pp');
    expect(rows).toContain('Equity IRR · Private partner 7.31% 6.65% -0.66 pp');
    expect(rows).not.toMatch(/Equity IRR \d/);
  });
});
