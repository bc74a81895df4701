import request from 'supertest';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
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

/*
 * The Risk register page (issue 11) on the small scenario (construction 2026, operation 2027–2028,
 * government rate 4 %), hand-worked:
 *   ops: 0.5 × 1,000.01, government alone = 500.005 → 500.01, over 2027–2028: 250.01 + 250.00
 *   cost: 0.1 × 20,000 in 2026: government 25 % → 500.00, partner 75 % → 1,500.00
 *   probability method by year: 2026 500.00; 2027 250.01; 2028 250.00
 *   retained = 500/1.04 + 250.01/1.0816 + 250/1.124864 = 934.1666 → 934.17
 *   transferable = 1,500/1.04 = 1,442.3077 → 1,442.31
 */
const RISKS: NonNullable<ScenarioInput['risks']> = {
  method: 'probability',
  items: [
    {
      id: 'ops',
      category: 'demand',
      description: 'Demand below forecast',
      probability: '0.5',
      impactYuan: '1000.01',
      years: 'operation',
      allocation: { government: '1', partner: '0' },
    },
    {
      id: 'cost',
      category: 'construction-overrun',
      description: 'Cost overrun',
      probability: '0.1',
      impactYuan: '20000',
      years: [2026],
      allocation: { government: '0.25', partner: '0.75' },
      monteCarlo: { driver: 'capex', impact: { min: '1', mode: '1.05', max: '1.2' } },
    },
  ],
};

let t: TestApp;
let agent: Agent;
let id: number;
beforeEach(() => {
  t = makeApp({ demo: false });
  agent = request.agent(t.app);
  id = t.store.scenarios.save(
    demoCityInput((s) => (s.risks = structuredClone(RISKS))),
    { actor: 'setup' },
  ).scenario.id;
});

async function page(lang = 'en; unit=yuan'): Promise<{ html: string; fields: Fields }> {
  const res = await agent.get(`/scenarios/${id}/risk-register`).set('Cookie', `lang=${lang}`);
  expect(res.status).toBe(200);
  return { html: res.text, fields: formFields(section(res.text, 'form', 'risk-form')) };
}
const post = (fields: Fields) =>
  agent
    .post(`/scenarios/${id}/risk-register`)
    .set('Cookie', 'lang=en')
    .type('form')
    .send(encodeForm(fields));

describe('the Risk register page', () => {
  it('shows the register and the computed figures by year, retained and transferable risk', async () => {
    const { html, fields } = await page();
    const byYear = visibleText(section(html, 'table', 'risk-by-year'));
    expect(byYear).toContain('2026 — — 500.00');
    expect(byYear).toContain('2027 — — 250.01');
    expect(byYear).toContain('2028 — — 250.00');
    const vfm = visibleText(section(html, 'dl', 'risk-vfm'));
    expect(vfm).toContain('Retained risk (PV) 934.17');
    expect(vfm).toContain('Transferable risk (PV) 1,442.31');
    expect(fieldValue(fields, 'items[1][government]')).toBe('0.25');
    expect(fieldValue(fields, 'items[1][years]')).toBe('2026');
    expect(fieldValue(fields, 'items[1][driver]')).toBe('capex');
  });

  it('shows the figures in the user’s unit and language', async () => {
    const res = await agent
      .get(`/scenarios/${id}/risk-register`)
      .set('Cookie', 'lang=zh; unit=wan');
    expect(res.status).toBe(200);
    const vfm = visibleText(section(res.text, 'dl', 'risk-vfm'));
    expect(vfm).toContain('可转移风险（现值） 0.14');
    expect(visibleText(res.text)).toContain('风险登记表');
  });

  it('saves an edited register as a new version, the rest of the scenario unchanged', async () => {
    const before = t.store.scenarios.current(id);
    const { fields } = await page();
    const res = await post(
      fill(fields, { 'items[0][probability]': '0.4', comment: 'lower demand risk' }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/scenarios/${id}/risk-register?saved=2`);
    const after = t.store.scenarios.current(id);
    expect(after.versionNo).toBe(2);
    const inputs = after.inputs as ScenarioInput;
    expect(inputs.risks!.items![0]!.probability).toBe('0.4');
    expect(inputs.risks!.items![1]!.monteCarlo).toEqual(RISKS.items![1]!.monteCarlo);
    expect({ ...inputs, risks: undefined }).toEqual({
      ...(before.inputs as ScenarioInput),
      risks: undefined,
    });
    // 0.4 × 1,000.01 = 400.004 → 400.00: 200.00 in each operation year.
    const { html } = await page();
    expect(visibleText(section(html, 'table', 'risk-by-year'))).toContain('2027 — — 200.00');
  });

  it('refuses shares that do not sum to 1 (422), keeping what was typed, saving nothing', async () => {
    const { fields } = await page();
    const res = await post(
      fill(fields, {
        'items[1][partner]': '0.7',
        'items[2][id]': 'new-risk',
        'items[2][description]': 'Typed',
      }),
    );
    expect(res.status).toBe(422);
    const form = formFields(section(res.text, 'form', 'risk-form'));
    expect(fieldValue(form, 'items[1][partner]')).toBe('0.7');
    expect(fieldValue(form, 'items[2][id]')).toBe('new-risk');
    expect(fieldValue(form, 'items[2][description]')).toBe('Typed');
    const text = visibleText(res.text);
    expect(text).toContain('risks.items[1].allocation');
    expect(text).toContain('The government and partner shares sum to 0.95, not exactly 1');
    expect(t.store.scenarios.current(id).versionNo).toBe(1);
  });

  it('names the problem in Chinese on a Chinese page', async () => {
    const { fields } = await page();
    const res = await agent
      .post(`/scenarios/${id}/risk-register`)
      .set('Cookie', 'lang=zh')
      .type('form')
      .send(encodeForm(fill(fields, { 'items[1][partner]': '0.7' })));
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('政府与社会资本承担比例合计为 0.95，须恰好为 1');
  });

  it('applies the stale-version check: a save from an older version answers 409', async () => {
    const { fields } = await page();
    t.store.scenarios.save(
      demoCityInput((s) => {
        s.risks = structuredClone(RISKS);
        s.operatingCost.annualYuan = '310000';
      }),
      { actor: 'someone' },
    );
    const res = await post(fill(fields, { 'items[0][probability]': '0.4' }));
    expect(res.status).toBe(409);
    expect(t.store.scenarios.current(id).versionNo).toBe(2);
  });

  it('is linked from the scenario’s results page', async () => {
    const res = await agent.get(`/scenarios/${id}`);
    expect(res.text).toContain(`href="/scenarios/${id}/risk-register"`);
  });

  it('the API gives the computed figures', async () => {
    const res = await agent.get(`/api/v1/scenarios/${id}/risk-register`);
    expect(res.status).toBe(200);
    const body = res.body as { register: Record<string, unknown> };
    expect(body.register.riskBearing).toEqual([
      { year: 2026, amountYuan: '500.00' },
      { year: 2027, amountYuan: '250.01' },
      { year: 2028, amountYuan: '250.00' },
    ]);
    expect(body.register.retainedRiskYuan).toBe('934.17');
    expect(body.register.transferableRiskYuan).toBe('1442.31');
  });
});

describe('the editor keeps a risk register it does not edit', () => {
  it('a round trip through the editor keeps `risks` (no new version when nothing changed)', async () => {
    const res = await agent.get(`/scenarios/${id}/edit`).set('Cookie', 'lang=en');
    const fields = formFields(section(res.text, 'form', 'editor'));
    const unchanged = await agent
      .post('/editor')
      .type('form')
      .send(encodeForm([...fields, ['action', 'save']]));
    expect(unchanged.status).toBe(303);
    expect(t.store.scenarios.current(id).versionNo).toBe(1);
    const changed = await agent
      .post('/editor')
      .type('form')
      .send(
        encodeForm([
          ...fill(fields, { 'operatingCost[annualYuan]': '310000' }),
          ['action', 'save'],
        ]),
      );
    expect(changed.status).toBe(303);
    const current = t.store.scenarios.current(id);
    expect(current.versionNo).toBe(2);
    expect((current.inputs as ScenarioInput).risks).toEqual(RISKS);
  });
});

describe('the editor with a register', () => {
  it('refuses a typed risk-bearing cost (422, at its field), saving nothing', async () => {
    const res = await agent.get(`/scenarios/${id}/edit`).set('Cookie', 'lang=en');
    const fields = formFields(section(res.text, 'form', 'editor'));
    const typed = await agent
      .post('/editor')
      .set('Cookie', 'lang=en')
      .type('form')
      .send(
        encodeForm([
          ...fill(fields, { 'fiscal[riskBearing][annualYuan]': '5000' }),
          ['action', 'save'],
        ]),
      );
    expect(typed.status).toBe(422);
    expect(visibleText(typed.text)).toContain(
      'The risk-bearing cost is computed from the risk register: leave it out while the scenario has one',
    );
    const kept = formFields(section(typed.text, 'form', 'editor'));
    expect(fieldValue(kept, 'fiscal[riskBearing][annualYuan]')).toBe('5000');
    expect(t.store.scenarios.current(id).versionNo).toBe(1);
  });
});

describe('the demo’s register (SC-TRANSPORT, availability PPP)', () => {
  it('gives the 6,000,000.00 a year and the 420,000,000.00 of transferable risk its sister scenario types in', async () => {
    const demo = makeApp();
    const scenario = demo.store.scenarios
      .list({ projectCode: 'SC-TRANSPORT' })
      .find((s) => s.name === 'PPP 可用性付费 Availability PPP')!;
    const res = await request(demo.app)
      .get(`/scenarios/${scenario.id}/risk-register`)
      .set('Cookie', 'lang=en; unit=yuan');
    expect(res.status).toBe(200);
    const byYear = visibleText(section(res.text, 'table', 'risk-by-year'));
    for (let year = 2024; year <= 2035; year++)
      expect(byYear).toContain(`${year} — — 6,000,000.00`);
    expect(visibleText(section(res.text, 'dl', 'risk-vfm'))).toContain(
      'Transferable risk (PV) 420,000,000.00',
    );
    expect(
      formFields(section(res.text, 'form', 'risk-form'))
        .filter(([n]) => /^items\[\d+\]\[id\]$/.test(n))
        .map(([, v]) => v),
    ).toEqual([
      'overrun',
      'financing',
      'delay',
      'demand',
      'policy',
      'data-security',
      'obsolescence',
      'force-majeure',
      '',
    ]);
  });
});
