import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { ScenarioInputV1 } from '../../src/domain/scenario/schema-v1';
import { makeApp, type Agent, type TestApp } from './support/app';
import { demoCityInput } from './support/accounts';
import {
  encodeForm,
  fieldValue,
  fill,
  formFields,
  section,
  visibleText,
  type Fields,
} from './support/html';

/**
 * Scenario format v2 in the web app (issue 9): the delivery select is in the editor's scenario
 * section, and the project list, project page, results and compare pages show each scenario's
 * own delivery: one project, a government scenario on bonds and a PPP.
 */

let t: TestApp;
let agent: Agent;
beforeEach(() => {
  t = makeApp({ demo: false });
  agent = request.agent(t.app);
});

const V1_FILE = path.join(
  __dirname,
  '..',
  '..',
  'data',
  'examples',
  'v1',
  'iot-sensing-special-bond.json',
);
const CODE = 'DEMO-IOT-SENSING';

/** The v1 bond example and a PPP variant of the same project, both saved. */
function saveBondAndPpp(): { bondId: number; pppId: number } {
  const bond = JSON.parse(fs.readFileSync(V1_FILE, 'utf8')) as ScenarioInputV1;
  const ppp = structuredClone(bond);
  ppp.project.delivery = 'ppp';
  ppp.scenario.name = 'PPP';
  const a = t.store.scenarios.save(bond, { actor: 'bureau' });
  const b = t.store.scenarios.save(ppp, { actor: 'bureau' });
  return { bondId: a.scenario.id, pppId: b.scenario.id };
}

describe('editor: delivery is a scenario field', () => {
  it('shows the delivery select in the scenario section, not the project section', async () => {
    const res = await agent.get('/projects/new').set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    const projectSection = section(res.text, 'fieldset', 'sec-project');
    const scenarioSection = section(res.text, 'fieldset', 'sec-scenario');
    expect(projectSection).not.toContain('delivery');
    expect(scenarioSection).toContain('name="scenario[delivery]"');
    expect(visibleText(scenarioSection)).toContain('Delivery model (of this scenario)');
  });

  it('keeps the chosen delivery when the form comes back with an error (422)', async () => {
    const open = await agent.get('/projects/new').set('Cookie', 'lang=en');
    const fields: Fields = fill(formFields(section(open.text, 'form', 'editor')), {
      'project[code]': 'T-WEB',
      'project[name]': 'Web project',
      'project[sector]': 'other',
      'project[category]': 'basic',
      'scenario[delivery]': 'ppp',
      'project[approvalDate]': '2025-01-01',
      'scenario[name]': 'base',
      'capex[scheduleYuan][0]': '1,00a',
    });
    const res = await agent
      .post('/editor')
      .set('Cookie', 'lang=en')
      .type('form')
      .send(encodeForm([...fields, ['action', 'save']]));
    expect(res.status).toBe(422);
    const back = formFields(section(res.text, 'form', 'editor'));
    expect(fieldValue(back, 'scenario[delivery]')).toBe('ppp');
    expect(section(res.text, 'fieldset', 'sec-scenario')).toMatch(/<option value="ppp" selected/);
  });

  it('opens a stored v1 version with its delivery under the scenario; a new scenario of the project starts without one', async () => {
    const { bondId } = saveBondAndPpp();
    const edit = await agent.get(`/scenarios/${bondId}/edit`).set('Cookie', 'lang=en');
    expect(edit.status).toBe(200);
    expect(fieldValue(formFields(section(edit.text, 'form', 'editor')), 'scenario[delivery]')).toBe(
      'government',
    );
    const fresh = await agent.get(`/projects/${CODE}/scenarios/new`).set('Cookie', 'lang=en');
    expect(
      fieldValue(formFields(section(fresh.text, 'form', 'editor')), 'scenario[delivery]'),
    ).toBe('');
  });
});

describe('pages show each scenario’s delivery', () => {
  it('the project list shows “government / PPP” for a project with both', async () => {
    saveBondAndPpp();
    const res = await agent.get('/projects').set('Cookie', 'lang=en');
    const row = visibleText(section(res.text, 'table', 'project-list'));
    // Scenarios in name order: "PPP" sorts before the bond scenario's Chinese name.
    expect(row).toContain('PPP / Government investment');
  });

  it('the project page heads each scenario with its delivery, and compare shows both', async () => {
    const { bondId, pppId } = saveBondAndPpp();
    const page = await agent.get(`/projects/${CODE}`).set('Cookie', 'lang=en');
    expect(visibleText(section(page.text, 'dd', 'project-deliveries'))).toBe(
      'PPP / Government investment',
    );
    const heads = section(page.text, 'table', 'scenario-metrics');
    expect(heads).toContain(`data-delivery="government"`);
    expect(heads).toContain(`data-delivery="ppp"`);
    const cmp = await agent.get(`/compare?s=${bondId}&s=${pppId}`).set('Cookie', 'lang=en');
    expect(cmp.status).toBe(200);
    const thead = visibleText(section(cmp.text, 'table', 'compare-metrics').split('</thead>')[0]!);
    expect(thead).toContain('Government investment');
    expect(thead).toContain('PPP');
  });

  it('the results page shows the scenario’s delivery, not the last save’s', async () => {
    const { bondId } = saveBondAndPpp();
    const res = await agent.get(`/scenarios/${bondId}`).set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    expect(visibleText(section(res.text, 'span', 'scenario-delivery'))).toBe(
      'Government investment',
    );
  });
});

describe('results page: doing it itself or as a PPP', () => {
  // The two small scenarios of test/domain/fiscal/delivery-comparison.test.ts, worked by hand
  // there: government 54,762.18, PPP 181,355.26, saving −126,593.08 (yuan, 4 %, start of 2026).
  function saveSmallPair(): { govId: number; pppId: number } {
    const gov = demoCityInput((s) => {
      s.scenario = { name: 'government', delivery: 'government' };
      s.funding.sources = [{ id: 'budget', name: 'Budget', type: 'budget', amountYuan: '1000000' }];
      s.tax = { incomeTaxRate: '0' };
      s.shortfall = 'government';
    });
    const ppp = demoCityInput((s) => {
      s.scenario = { name: 'ppp', delivery: 'concession' };
      s.government = { operatingSubsidy: { annualYuan: '100000' } };
    });
    return {
      govId: t.store.scenarios.save(gov, { actor: 'bureau' }).scenario.id,
      pppId: t.store.scenarios.save(ppp, { actor: 'bureau' }).scenario.id,
    };
  }

  it('shows each government scenario of the project against the PPP, on the PPP’s basis', async () => {
    const { govId, pppId } = saveSmallPair();
    const res = await agent.get(`/scenarios/${pppId}`).set('Cookie', 'lang=en; unit=yuan');
    expect(res.status).toBe(200);
    const text = visibleText(section(res.text, 'section', 'delivery-comparison'));
    expect(text).toContain('Doing it itself or as a PPP');
    expect(text).toMatch(/government\s+54,762\.18\s+181,355\.26\s+[−-]126,593\.08/);
    expect(text).toContain('at 4.00%, present value at the start of 2026');
    // Not on the government scenario's own page.
    const own = await agent.get(`/scenarios/${govId}`).set('Cookie', 'lang=en; unit=yuan');
    expect(own.text).not.toContain('id="delivery-comparison"');
  });
});
