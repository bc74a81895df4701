import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import {
  encodeForm,
  fieldValue,
  fill,
  formFields,
  inputValue,
  section,
  visibleText,
  type Fields,
} from './support/html';
import { parseScenario } from '../../src/domain/scenario/parse';
import { formFromInput, formToInput } from '../../src/web/view-models/editor-form';
import { smallInput } from '../helpers/scenarios';

// The editor's "Indirect taxes" block and the per-stream VAT rate (src/domain/README.md,
// "Indirect taxes (增值税及附加)"); the results ledger shows the VAT lines.
let t: TestApp;
let agent: Agent;
beforeEach(() => {
  t = makeApp({ demo: false });
  agent = request.agent(t.app);
});

async function openForm(url: string, cookies = 'lang=en'): Promise<Fields> {
  const res = await agent.get(url).set('Cookie', cookies);
  expect(res.status).toBe(200);
  return formFields(section(res.text, 'form', 'editor'));
}

const post = (fields: Fields, cookies = 'lang=en') =>
  agent
    .post('/editor')
    .set('Cookie', cookies)
    .type('form')
    .send(encodeForm([...fields, ['action', 'save']]));

/** The purpose-made case of test/domain/engine/indirect-tax.test.ts, typed into the form. */
const VAT: Record<string, string> = {
  'project[code]': 'T-VAT',
  'project[name]': 'VAT project',
  'project[sector]': 'other',
  'project[category]': 'market-oriented',
  'scenario[delivery]': 'concession',
  'project[approvalDate]': '2025-01-01',
  'scenario[name]': 'base',
  'timeline[startYear]': '2026',
  'timeline[constructionYears]': '1',
  'timeline[operationYears]': '3',
  'capex[scheduleYuan][0]': '1000000',
  'operatingCost[annualYuan]': '100000',
  'revenues[0][kind]': 'other',
  'revenues[0][name]': 'Service fees',
  'revenues[0][annualYuan]': '800000',
  'revenues[0][vatRate]': '0.09',
  'funding[sources][0][id]': 'eq',
  'funding[sources][0][name]': 'Equity',
  'funding[sources][0][type]': 'enterprise-equity',
  'funding[sources][0][amountYuan]': '1000000',
  'discountRates[project]': '0.06',
  'discountRates[equity]': '0.08',
  'discountRates[government]': '0.04',
  shortfall: 'equity',
  'indirectTax[on]': 'true',
  'indirectTax[capexInputRate]': '0.13',
  'indirectTax[opexInputRate]': '0.06',
  'indirectTax[urbanMaintenanceRate]': '0.05',
};

async function vatFields(values: Record<string, string> = {}): Promise<Fields> {
  const fields = (await openForm('/projects/new')).filter(([n]) => n !== 'capex[scheduleYuan][1]');
  return fill(fields, { ...VAT, ...values });
}

describe('editor: indirect taxes', () => {
  it('shows the block, off by default', async () => {
    const res = await agent.get('/projects/new').set('Cookie', 'lang=zh');
    expect(visibleText(section(res.text, 'fieldset', 'sec-indirect-tax'))).toContain(
      '增值税及附加（可选）',
    );
    const fields = formFields(section(res.text, 'form', 'editor'));
    expect(fieldValue(fields, 'indirectTax[on]')).toBe('false');
    expect(fieldValue(fields, 'indirectTax[urbanMaintenanceRate]')).toBe('0.07');
  });

  it('saves the rates and the stream’s VAT rate, keeps them in the form and shows the VAT lines', async () => {
    const res = await post(await vatFields());
    expect(res.status).toBe(303);
    const id = t.store.scenarios.get('T-VAT', 'base').id;
    const inputs = t.store.scenarios.current(id).inputs;
    expect(inputs.indirectTax).toEqual({
      capexInputRate: '0.13',
      opexInputRate: '0.06',
      urbanMaintenanceRate: '0.05',
    });
    expect(inputs.revenues?.[0]).toMatchObject({ vatRate: '0.09' });

    const again = await openForm(`/scenarios/${id}/edit`);
    expect(fieldValue(again, 'indirectTax[on]')).toBe('true');
    expect(fieldValue(again, 'indirectTax[capexInputRate]')).toBe('0.13');
    expect(fieldValue(again, 'indirectTax[urbanMaintenanceRate]')).toBe('0.05');
    expect(fieldValue(again, 'revenues[0][vatRate]')).toBe('0.09');

    const page = await agent.get(`/scenarios/${id}`).set('Cookie', 'lang=en; unit=yuan');
    const ledger = visibleText(section(page.text, 'table', 'ledger'));
    for (const label of ['Output VAT', 'Input VAT', 'VAT credit carried forward', 'VAT paid'])
      expect(ledger).toContain(label);
    // The construction credit 115,044.25 and year 2's VAT paid 17,634.99 (hand-worked in the
    // engine test); urban maintenance at 5 %: 17,634.99 × 0.05 = 881.7495 → 881.75.
    expect(ledger).toContain('115,044.25');
    expect(ledger).toContain('17,634.99');
    expect(ledger).toContain('881.75');
    const zh = await agent.get(`/scenarios/${id}`).set('Cookie', 'lang=zh');
    expect(visibleText(section(zh.text, 'table', 'ledger'))).toContain('城市维护建设税');
    // Sources and uses (Σ output VAT 216,000; Σ VAT paid 83,974.61) and the flows chart, in Chinese.
    const zhText = visibleText(zh.text);
    expect(zhText).toContain('收取的销项税额');
    expect(zhText).toContain('缴纳的增值税');
    expect(zhText).toContain('增值税附加税费');
    expect(zh.text).toContain('缴纳的增值税及附加');
  });

  it('unticked, the rates are not saved and the ledger has no VAT lines', async () => {
    const fields = (await vatFields()).filter(
      ([n, v]) => !(n === 'indirectTax[on]' && v === 'true'),
    );
    expect((await post(fields)).status).toBe(303);
    const id = t.store.scenarios.get('T-VAT', 'base').id;
    expect(t.store.scenarios.current(id).inputs).not.toHaveProperty('indirectTax');
    const page = await agent.get(`/scenarios/${id}`).set('Cookie', 'lang=en');
    expect(visibleText(section(page.text, 'table', 'ledger'))).not.toContain('Output VAT');
    expect(page.text).not.toContain('VAT and surcharges paid');
  });

  it('refuses a rate out of range at its field (422), keeping what was typed', async () => {
    const res = await post(await vatFields({ 'indirectTax[capexInputRate]': '0.5' }));
    expect(res.status).toBe(422);
    expect(t.store.projects.list()).toHaveLength(0);
    expect(
      /<p class="field-error" id="f-indirectTax-capexInputRate-error">([^<]*)<\/p>/.exec(
        res.text,
      )?.[1],
    ).toMatch(/Input VAT rate on capex must be between 0 and 0\.2/);
    expect(inputValue(res.text, 'indirectTax[capexInputRate]')).toBe('0.5');
    expect(inputValue(res.text, 'revenues[0][vatRate]')).toBe('0.09');
  });
});

describe('API: indirect taxes through the same schema', () => {
  const json = (body: unknown) =>
    request(t.app)
      .post('/api/v1/simulate')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  it('returns the VAT lines of each year, and 422 at the field for a bad rate', async () => {
    const input = smallInput((s) => {
      s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '800000', vatRate: '0.06' }];
      s.indirectTax = { opexInputRate: '0.06' };
    });
    const res = await json(input);
    expect(res.status).toBe(200);
    // Output 800,000 × 6 % = 48,000; opex input 300,000 × 0.06 ÷ 1.06 = 16,981.132… → 16,981.13;
    // VAT paid 31,018.87; surcharges 12 %: 2,171.3209 → 2,171.32, 930.5661 → 930.57, 620.3774 → 620.38.
    expect(res.body.result.ledger[1].indirectTax).toEqual({
      outputVat: '48000',
      inputVat: '16981.13',
      creditCarriedForward: '0',
      vatPayable: '31018.87',
      urbanMaintenanceTax: '2171.32',
      educationSurcharge: '930.57',
      localEducationSurcharge: '620.38',
      surcharges: '3722.27',
    });
    const bad = await json(
      smallInput(
        (s) => (s.revenues = [{ kind: 'other', name: 'I', annualYuan: '1', vatRate: '0.3' }]),
      ),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'revenues[0].vatRate',
    ]);
  });
});

describe('editor form ↔ scenario file: indirect taxes', () => {
  const meta = () => ({
    mode: 'edit' as const,
    author: '',
    comment: '',
    baseVersionId: '',
    lockedCode: '',
  });
  it.each([
    [
      'every field',
      {
        capexInputRate: '0.13',
        opexInputRate: '0.06',
        availabilityPaymentRate: '0.06',
        operatingSubsidyRate: '0.06',
        urbanMaintenanceRate: '0.01' as const,
        educationRate: '0.03',
        localEducationRate: '0.02',
      },
    ],
    ['an empty section (defaults)', {}],
  ])('carries %s both ways', (_name, indirectTax) => {
    const input = smallInput((s) => {
      s.indirectTax = indirectTax;
      s.revenues = [
        {
          kind: 'user-fee',
          name: 'Fees',
          unitPriceYuan: '2',
          annualVolume: '1000',
          vatRate: '0.06',
        },
      ];
    });
    const form = formFromInput(input, meta());
    expect(form.fields['indirectTax.on']).toBe('true');
    expect(parseScenario(formToInput(form))).toEqual(parseScenario(input));
    const off = formFromInput(smallInput(), meta());
    expect(off.fields['indirectTax.on']).toBe('false');
    expect(formToInput(off)).not.toHaveProperty('indirectTax');
  });
});
