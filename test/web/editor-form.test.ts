import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import {
  applyAction,
  blankForm,
  fieldId,
  formFromInput,
  formFromPost,
  formName,
  formToInput,
  fundingCheck,
  postedList,
  type EditorForm,
} from '../../src/web/view-models/editor-form';
import { editorView } from '../../src/web/view-models/editor';
import { translator } from '../../src/web/i18n';
import { smallInput } from '../helpers/scenarios';

const ROOT = join(__dirname, '..', '..', 'data');
const scenarioFiles = [
  ...readdirSync(join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(ROOT, 'examples', f)),
  ...readdirSync(join(ROOT, 'demo', 'scenarios'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(ROOT, 'demo', 'scenarios', f)),
];
const meta = (): EditorForm['meta'] => ({
  mode: 'edit',
  comment: '',
  baseVersionId: '',
  lockedCode: '',
});

describe('editor form ↔ scenario file', () => {
  it('covers the example and demo files', () => {
    expect(scenarioFiles.length).toBeGreaterThanOrEqual(20);
  });

  // Every field of every shipped file shows in the form and comes back unchanged: the editor
  // covers the whole format, and saving an untouched scenario changes nothing.
  it.each(scenarioFiles.map((f) => [f.split('/').slice(-2).join('/'), f]))(
    '%s survives the form unchanged',
    (_name, file) => {
      const input = JSON.parse(readFileSync(file, 'utf8')) as ScenarioInput;
      const back = formToInput(formFromInput(input, meta()));
      expect(parseScenario(back)).toEqual(parseScenario(input));
    },
  );

  it('carries the optional fiscal section both ways', () => {
    const input = smallInput((s) => {
      (s as Record<string, unknown>).fiscal = {
        riskBearing: { annualYuan: '120000.50', phase: 'all' },
        supportingInvestment: {
          byYear: [
            { year: 2025, amountYuan: '3000000' },
            { year: 2027, amountYuan: '150000.25' },
          ],
        },
        psc: {
          referenceBuildCostYuan: '1100000',
          referenceOperatingCostYuan: '500000',
          transferableRiskYuan: '20000',
          discountRate: '0.045',
        },
        bondAsCapitalYuan: '0',
        paymentMechanism: 'user-pay',
      };
    });
    const form = formFromInput(input, meta());
    expect(form.fields['fiscal.supportingInvestment.byYear']).toBe(
      '2025: 3000000\n2027: 150000.25',
    );
    expect(parseScenario(formToInput(form))).toEqual(parseScenario(input));
    form.fields['fiscal.supportingInvestment.byYear'] = '2025: 3,000,000; soon: 5';
    const back = formToInput(form) as { fiscal: { supportingInvestment: { byYear: unknown[] } } };
    expect(back.fiscal.supportingInvestment.byYear).toEqual([
      { year: 2025, amountYuan: '3000000' },
      { year: 'soon: 5', amountYuan: '' },
    ]);
  });

  it('survives a round trip through posted form fields (names → qs-shaped body)', () => {
    const input = JSON.parse(
      readFileSync(
        scenarioFiles.find((f) => f.includes('traffic-signals'))!,
        'utf8',
      ),
    ) as ScenarioInput;
    const form = formFromInput(input, meta());
    // What qs makes of the page's field names: nested objects, arrays by index.
    const body: Record<string, unknown> = {};
    const put = (path: string, value: string) => {
      const keys = formName(path).replace(/\]/g, '').split('[');
      let at: Record<string, unknown> = body;
      keys.slice(0, -1).forEach((k, i) => {
        const nextIsIndex = /^\d+$/.test(keys[i + 1] as string);
        at[k] ??= nextIsIndex ? [] : {};
        at = at[k] as Record<string, unknown>;
      });
      at[keys[keys.length - 1] as string] = value;
    };
    Object.entries(form.fields).forEach(([p, v]) => put(p, v));
    form.capex.forEach((v, i) => put(`capex.scheduleYuan[${i}]`, v));
    form.revenues.forEach((r, i) => {
      put(`revenues[${i}].kind`, r.kind);
      Object.entries(r.values).forEach(([p, v]) => put(`revenues[${i}].${p}`, v));
    });
    form.sources.forEach((s, i) =>
      Object.entries(s).forEach(([p, v]) => put(`funding.sources[${i}].${p}`, v)),
    );
    const posted = formFromPost(body);
    expect(parseScenario(formToInput(posted))).toEqual(parseScenario(input));
  });

  it('reads numbers as typed: grouping removed, whole numbers as integers, bad integers passed on for the schema to name', () => {
    const form = formFromInput(smallInput(), meta());
    form.capex = ['1,000,000'];
    form.fields['timeline.operationYears'] = '2.5';
    form.sources[0]!.amountYuan = '400 000';
    const input = formToInput(form) as Record<string, Record<string, unknown>>;
    expect((input.capex as { scheduleYuan: string[] }).scheduleYuan).toEqual(['1000000']);
    expect(input.timeline!.operationYears).toBe('2.5');
    expect(input.timeline!.constructionYears).toBe(1);
    expect(
      (input.funding as { sources: Array<{ amountYuan: string }> }).sources[0]!.amountYuan,
    ).toBe('400000');
  });

  it('leaves out empty optional fields and blocks, and debt terms of non-debt instruments', () => {
    const form = blankForm(new Date('2026-05-04T00:00:00Z'), meta());
    form.sources[0] = { ...form.sources[0]!, type: 'budget', 'debt.annualRate': '0.03' };
    const input = formToInput(form);
    expect(input).not.toHaveProperty('government');
    expect(input).not.toHaveProperty('revenues');
    expect(input).not.toHaveProperty('fiscal');
    expect((input.funding as { sources: object[] }).sources[0]).not.toHaveProperty('debt');
    expect(input.timeline).toEqual({ startYear: 2027, constructionYears: 2, operationYears: 20 });
  });

  it('reads qs lists given as arrays or as objects with numeric keys (sparse or past the array limit)', () => {
    expect(postedList(['a', undefined, 'b'])).toEqual(['a', 'b']);
    expect(postedList({ 10: 'c', 2: 'b', 0: 'a', x: 'no' })).toEqual(['a', 'b', 'c']);
    expect(postedList('x')).toEqual([]);
  });

  it('takes the last value of a repeated field (hidden "false" then a ticked checkbox)', () => {
    const form = formFromPost({
      government: {
        availabilityPayment: {
          method: 'annuity',
          deductUserFees: ['false', 'true'],
          includeOperatingCost: 'false',
        },
      },
    });
    expect(form.fields['government.availabilityPayment.deductUserFees']).toBe('true');
    const ap = (formToInput(form).government as { availabilityPayment: Record<string, unknown> })
      .availabilityPayment;
    expect(ap.deductUserFees).toBe(true);
    expect(ap.includeOperatingCost).toBe(false);
  });

  it('adds and removes rows (the buttons that work without JavaScript), and fits capex fields to the construction years', () => {
    let form = formFromInput(smallInput(), meta());
    form = applyAction(form, 'add-source');
    form = applyAction(form, 'add-stream:public-data');
    expect(form.sources).toHaveLength(3);
    expect(form.revenues.map((r) => r.kind)).toEqual(['other', 'public-data']);
    form = applyAction(form, 'remove-source:0');
    form = applyAction(form, 'remove-stream:0');
    expect(form.sources.map((s) => s.id)).toEqual(['loan', '']);
    expect(form.revenues.map((r) => r.kind)).toEqual(['public-data']);
    form.fields['timeline.constructionYears'] = '3';
    expect(applyAction(form, 'refresh').capex).toEqual(['1000000', '', '']);
    form.fields['timeline.constructionYears'] = 'x';
    expect(applyAction(form, 'refresh').capex).toEqual(['1000000']);
  });

  it('checks funding exactly: amounts plus shares of the investment', () => {
    const form = formFromInput(smallInput(), meta());
    expect(fundingCheck(form)).toMatchObject({
      complete: true,
      investment: '1000000.00',
      funded: '1000000.00',
      gap: '0.00',
    });
    form.sources[0] = { ...form.sources[0]!, amountYuan: '', share: '0.3' };
    expect(fundingCheck(form)).toMatchObject({
      complete: true,
      funded: '900000.00',
      gap: '100000.00',
      byPillar: { enterprise: '900000.00', government: '0.00', social: '0.00' },
    });
    form.sources[1] = { ...form.sources[1]!, amountYuan: 'abc' };
    expect(fundingCheck(form).complete).toBe(false);
  });

  it('names fields after their JSON path', () => {
    expect(formName('funding.sources[0].debt.annualRate')).toBe(
      'funding[sources][0][debt][annualRate]',
    );
    expect(formName('revenues[__i__].name')).toBe('revenues[__i__][name]');
    expect(fieldId('funding.sources[2].amountYuan')).toBe('f-funding-sources-2-amountYuan');
  });
});

describe('editor view: issues placed on fields', () => {
  const t = translator('en');
  const view = (
    issues: Array<{ path: string; message: string }>,
    patch?: (f: EditorForm) => void,
  ) => {
    const form = formFromInput(smallInput(), meta());
    patch?.(form);
    return editorView({ form, issues, lang: 'en', t, csrfToken: 'tok', heading: 'Edit' });
  };

  it('puts an issue on the field with the longest matching path and lists it in the summary', () => {
    const v = view([
      {
        path: 'revenues[0].rampUp[1]',
        message: 'Ramp-up factor must be between 0 and 1 (a fraction: 0.05 means 5 %)',
      },
    ]);
    const ramp = v.revenues.rows[0]!.fields.find((f) => f.path === 'revenues[0].rampUp')!;
    expect(ramp.error).toMatch(/between 0 and 1/);
    expect(v.errorSummary).toEqual([
      { message: expect.stringMatching(/^Stream 1 · Ramp-up: /), href: '#f-revenues-0-rampUp' },
    ]);
  });

  it('says "required" for an empty field the schema rejects', () => {
    const v = view(
      [
        {
          path: 'operatingCost.annualYuan',
          message: 'Operating cost must be a decimal number written as text, e.g. "1234.56"',
        },
      ],
      (f) => {
        f.fields['operatingCost.annualYuan'] = '';
      },
    );
    expect(v.sections.opex.find((f) => f.path === 'operatingCost.annualYuan')!.error).toBe(
      'This field is required',
    );
  });

  it('puts list-wide and row-wide issues on their section, and the rest at the top', () => {
    const v = view([
      {
        path: 'funding.sources',
        message:
          'Funding sources total 1.00 yuan but the investment is 2.00 yuan: 1.00 yuan is not funded',
      },
      {
        path: 'funding.sources[1].debt',
        message: 'A bank-loan source needs debt terms (rate, tenor, repayment)',
      },
      { path: 'capex.scheduleYuan', message: 'Total investment must be more than 0 yuan' },
      { path: '', message: 'Not valid JSON: x' },
    ]);
    expect(v.sources.errors).toHaveLength(1);
    expect(v.sources.rows[1]!.errors).toHaveLength(1);
    expect(v.capex.errors).toEqual(['Total investment must be more than 0 yuan']);
    expect(v.globalErrors).toEqual(['Not valid JSON: x']);
    expect(v.errorSummary).toHaveLength(4);
  });

  it('marks the funding check short, over or balanced', () => {
    expect(view([]).check).toMatchObject({ status: 'ok', gap: '0.00' });
    expect(view([], (f) => (f.sources[0]!.amountYuan = '300000')).check).toMatchObject({
      status: 'short',
      message: '100,000.00 yuan is not funded.',
    });
    expect(view([], (f) => (f.sources[0]!.amountYuan = '500000')).check).toMatchObject({
      status: 'over',
      gap: '-100,000.00',
    });
  });
});
