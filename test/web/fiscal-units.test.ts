import { ValidationError } from '../../src/domain/errors';
import { yearRanges } from '../../src/web/format/years';
import { translator } from '../../src/web/i18n';
import { FiscalReports } from '../../src/web/services/fiscal-reports';
import { selfBalanceView } from '../../src/web/view-models/checks';
import { parseSwitchParams } from '../../src/web/view-models/fiscal';
import {
  settingsFormFrom,
  settingsFormFromPost,
  settingsInput,
  thresholdsFormFrom,
  thresholdsFormFromPost,
  thresholdsInput,
} from '../../src/web/view-models/fiscal-settings';
import { DEFAULT_THRESHOLDS } from '../../src/domain/fiscal/thresholds';
import { makeApp } from './support/app';

describe('yearRanges', () => {
  it.each([
    [[], ''],
    [[2029], '2029'],
    [[2029, 2030], '2029, 2030'],
    [[2029, 2030, 2031, 2032, 2033], '2029–2033'],
    [[2033, 2029, 2031, 2030, 2032, 2030], '2029–2033'],
    [[2019, 2020, 2021, 2024, 2026, 2027, 2028], '2019–2021, 2024, 2026–2028'],
  ])('%j → %s', (years, text) => {
    expect(yearRanges(years)).toBe(text);
  });

  it('refuses years that are not whole numbers', () => {
    expect(() => yearRanges([2029.5])).toThrow(TypeError);
  });
});

describe('parseSwitchParams', () => {
  it('reads one or several CODE=SCENARIO values (the scenario may contain "=" and spaces)', () => {
    expect(parseSwitchParams(undefined)).toEqual({});
    expect(parseSwitchParams('SC-TRANSPORT=24')).toEqual({ 'SC-TRANSPORT': '24' });
    expect(
      parseSwitchParams(['A=x = y', ' B = PPP+建设期补助 PPP with construction subsidy ']),
    ).toEqual({ A: 'x = y', B: 'PPP+建设期补助 PPP with construction subsidy' });
  });

  it.each([
    ['nonsense', 'switch[0]'],
    ['=24', 'switch[0]'],
    ['A=', 'switch[0]'],
    [['A=1', 'A=2'], 'switch[1]'],
    [['A=1', { b: '2' }], 'switch[1]'],
  ])('refuses %j at %s', (value, path) => {
    try {
      parseSwitchParams(value);
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toEqual([path]);
    }
  });
});

describe('FiscalReports: once per data generation', () => {
  const { store } = makeApp();
  const plan = store.portfolios.getByName('2027 PPP为主方案 PPP-heavy 2027 plan');
  const transport = plan.members.find((m) => m.projectCode === 'SC-TRANSPORT')!;
  const other = store.scenarios
    .list({ projectCode: 'SC-TRANSPORT' })
    .find((s) => s.id !== transport.scenarioId)!;

  it('hands out the same report until something is written, then a fresh one', () => {
    const reports = new FiscalReports(store);
    const first = reports.portfolio(plan.id);
    expect(reports.portfolio(plan.id)).toBe(first);
    const checklist = reports.checklist(other.currentVersionId);
    expect(reports.checklist(other.currentVersionId)).toBe(checklist);
    store.fiscal.setThresholds('Somewhere else', { affordabilityCap: '0.09' }, 'test');
    const second = reports.portfolio(plan.id);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(reports.checklist(other.currentVersionId)).not.toBe(checklist);
  });

  it('treats switches to the saved scenario (by id or name) as no switch, and keys real ones by content', () => {
    const reports = new FiscalReports(store);
    const saved = reports.portfolio(plan.id);
    expect(reports.portfolio(plan.id, { 'SC-TRANSPORT': String(transport.scenarioId) })).toBe(
      saved,
    );
    expect(reports.portfolio(plan.id, { 'SC-TRANSPORT': transport.scenarioName })).toBe(saved);
    const whatIf = reports.portfolio(plan.id, { 'SC-TRANSPORT': String(other.id) });
    expect(whatIf).not.toBe(saved);
    expect(whatIf.switches).toHaveLength(1);
    expect(reports.portfolio(plan.id, { 'SC-TRANSPORT': String(other.id) })).toBe(whatIf);
  });

  it('keeps at most its bound of entries, least recently used out first', () => {
    const reports = new FiscalReports(store, 2);
    const saved = reports.portfolio(plan.id);
    reports.portfolio(plan.id, { 'SC-TRANSPORT': String(other.id) });
    reports.portfolio(plan.id);
    reports.portfolio(plan.id, { 'SC-TRANSPORT': other.name });
    expect(reports.size).toBe(2);
    expect(reports.portfolio(plan.id)).toBe(saved);
  });

  it('does not keep reports that could not be made (bad switches)', () => {
    const reports = new FiscalReports(store);
    expect(() => reports.portfolio(plan.id, { 'SC-TRANSPORT': 'no such scenario' })).toThrow(
      ValidationError,
    );
    expect(reports.size).toBe(0);
  });
});

describe('settings forms', () => {
  it('turns the budget form into settings JSON: numbers as typed, grouping removed, the other method ignored', () => {
    const form = settingsFormFromPost({
      jurisdiction: ' Demo ',
      method: 'growth',
      baseYear: '2026',
      baseAmountYuan: '47,000,000,000',
      growth: '0.03',
      years: '2027: 1',
      otherObligations: '2030: 1,000\n\n2031=2000',
      comment: ['a', 'b'],
    });
    expect(form.comment).toBe('b');
    expect(settingsInput(form)).toEqual({
      jurisdiction: 'Demo',
      budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '47000000000', growth: '0.03' },
      otherObligations: [
        { year: 2030, amountYuan: '1000' },
        { year: 2031, amountYuan: '2000' },
      ],
      fundBudget: null,
      bondQuotas: [],
    });
    // Quota lines "year: special / general", grouping removed; a line not so written goes on as text.
    expect(
      settingsInput({ ...form, bondQuotas: '2027: 3,000 / 500\nnonsense', fundYears: '2027: 9' }),
    ).toMatchObject({
      fundBudget: { method: 'explicit', years: [{ year: 2027, amountYuan: '9' }] },
      bondQuotas: [
        { year: 2027, specialBondYuan: '3000', generalBondYuan: '500' },
        { year: 'nonsense', specialBondYuan: '', generalBondYuan: '' },
      ],
    });
    expect(
      settingsInput({ ...form, method: 'explicit', years: '2026: 5\n2027: 6' }).budget,
    ).toEqual({
      method: 'explicit',
      years: [
        { year: 2026, amountYuan: '5' },
        { year: 2027, amountYuan: '6' },
      ],
    });
  });

  it('shows stored settings as the user would type them', () => {
    const form = settingsFormFrom(
      {
        jurisdiction: 'Demo',
        budget: { method: 'explicit', years: [{ year: 2026, amountYuan: '5.00' }] },
        otherObligations: [{ year: 2030, amountYuan: '7' }],
        fundBudget: null,
        bondQuotas: [],
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
      null,
    );
    expect(form).toMatchObject({
      jurisdiction: 'Demo',
      method: 'explicit',
      years: '2026: 5.00',
      otherObligations: '2030: 7',
      baseYear: '',
    });
    expect(settingsFormFrom(null, 'Elsewhere')).toMatchObject({
      jurisdiction: 'Elsewhere',
      method: 'growth',
      years: '',
    });
  });

  it('turns the thresholds form into thresholds JSON; sector overrides only where filled in', () => {
    const form = thresholdsFormFromPost({
      jurisdiction: 'Demo',
      ...thresholdsFormFrom('Demo', { ...DEFAULT_THRESHOLDS }).values,
      maxConcessionYears: '35',
      sector: { 'smart-water': '0.3', 'iot-sensing': '' },
    });
    expect(thresholdsInput(form)).toEqual({
      affordabilityCap: '0.10',
      newProjectLine: '0.05',
      bondCoverage: '1.2',
      maxConcessionYears: 35,
      privateControlShare: '0.5',
      minPrivateShareStronglyPublic: '0.35',
      maxBondAsCapitalShare: '0.25',
      maxBondAsCapitalShareFrom2024: '0.30',
      minCapitalRatio: '0.20',
      countConcessionInvestmentSupport: false,
      minCapitalRatioBySector: { 'smart-water': '0.3' },
    });
  });

  it('refuses empty thresholds, together with the other problems of the form', () => {
    const values = {
      ...thresholdsFormFrom('Demo', { ...DEFAULT_THRESHOLDS }).values,
      affordabilityCap: '',
      bondCoverage: '9',
    };
    try {
      thresholdsInput(thresholdsFormFromPost({ jurisdiction: 'Demo', ...values }));
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path).sort()).toEqual([
        'affordabilityCap',
        'bondCoverage',
      ]);
    }
  });
});

describe('bond self-balance view', () => {
  it('names the stress cases by the revenue fall and shows coverages with 3 places', () => {
    const t = translator('en');
    const coverage = (ratio: string, pass: boolean, short: string) => ({
      netIncomeYuan: '1',
      debtServiceYuan: '1',
      ratio,
      threshold: '1.2',
      pass,
      shortfallYuan: short,
    });
    const view = selfBalanceView(
      {
        projectCode: 'P',
        scenarioName: 's',
        bondAmountYuan: '720000000',
        lifeYears: 22,
        base: coverage('1.196', false, '12345.678'),
        stress: [
          { revenueFactor: '0.9', coverage: coverage('1.05', false, '2') },
          { revenueFactor: '0.8', coverage: coverage('0.9', false, '3') },
        ],
      },
      'en',
      'yuan',
      t,
    );
    expect(view.base).toMatchObject({
      ratio: '1.196',
      pass: false,
      statusLabel: 'Fail',
      shortfall: '12,345.68',
    });
    expect(view.stress.map((s) => s.label)).toEqual(['Revenue −10%', 'Revenue −20%']);
    expect(view.threshold).toBe('1.20');
  });
});
