import { ValidationError } from '../../../src/domain/errors';
import {
  budgetForYear,
  budgetSeries,
  parseBudgetForecast,
} from '../../../src/domain/fiscal/budget';
import { fiscalAmountsByYear } from '../../../src/domain/fiscal/obligations';
import {
  DEFAULT_THRESHOLDS,
  applyThresholdsChange,
  minCapitalRatioFor,
  parseThresholds,
} from '../../../src/domain/fiscal/thresholds';
import { parseScenario } from '../../../src/domain/scenario/parse';
import { loadExamples } from '../../helpers/scenarios';
import { legacyPpp, legacyPppInput } from './builders';

const issuesOf = (fn: () => unknown): Array<{ path: string; message: string }> => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected a ValidationError');
};

describe('jurisdiction thresholds', () => {
  it('defaults to DOMAIN.md §5', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      affordabilityCap: '0.10',
      newProjectLine: '0.05',
      bondCoverage: '1.2',
      maxConcessionYears: 40,
      privateControlShare: '0.5',
      minPrivateShareStronglyPublic: '0.35',
      maxBondAsCapitalShare: '0.25',
      maxBondAsCapitalShareFrom2024: '0.30',
      minCapitalRatio: '0.20',
      minCapitalRatioBySector: {},
      // Issue 9, item 11: 国办函〔2023〕115号, concessions' investment support is not a PPP obligation.
      countConcessionInvestmentSupport: false,
    });
    expect(Object.isFrozen(DEFAULT_THRESHOLDS)).toBe(true);
  });

  it('applies a change and keeps the rest', () => {
    const t = applyThresholdsChange(DEFAULT_THRESHOLDS, {
      affordabilityCap: '0.08',
      maxBondAsCapitalShare: '0.30',
    });
    expect([t.affordabilityCap, t.maxBondAsCapitalShare, t.newProjectLine]).toEqual([
      '0.08',
      '0.30',
      '0.05',
    ]);
    expect(DEFAULT_THRESHOLDS.affordabilityCap).toBe('0.10');
  });

  it.each([
    ['a cap above the national 10 %', { affordabilityCap: '0.12' }, 'affordabilityCap'],
    ['a new-project line above the cap', { affordabilityCap: '0.04' }, 'newProjectLine'],
    ['a coverage threshold below 1', { bondCoverage: '0.9' }, 'bondCoverage'],
    ['a share written as a float', { maxBondAsCapitalShare: 0.3 }, 'maxBondAsCapitalShare'],
    ['a share with a percent sign', { minCapitalRatio: '20%' }, 'minCapitalRatio'],
    [
      'an unknown sector',
      { minCapitalRatioBySector: { airports: '0.3' } },
      'minCapitalRatioBySector',
    ],
    ['an unknown field', { vatRate: '0.06' }, ''],
    ['a fractional concession term', { maxConcessionYears: 40.5 }, 'maxConcessionYears'],
    [
      'counting concession support written as text',
      { countConcessionInvestmentSupport: 'yes' },
      'countConcessionInvestmentSupport',
    ],
  ])('rejects %s', (_what, change, path) => {
    const issues = issuesOf(() => applyThresholdsChange(DEFAULT_THRESHOLDS, change));
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('rejects a change that is not an object', () => {
    expect(issuesOf(() => applyThresholdsChange(DEFAULT_THRESHOLDS, ['0.1']))).toHaveLength(1);
  });

  it('takes the national ceiling as a parameter ([verify] figure)', () => {
    expect(parseThresholds({ affordabilityCap: '0.12' }, '0.15').affordabilityCap).toBe('0.12');
  });

  it('gives the sector override of the minimum capital ratio, else the general figure', () => {
    const t = parseThresholds({ minCapitalRatioBySector: { 'smart-water': '0.25' } });
    expect(minCapitalRatioFor(t, 'smart-water').toString()).toBe('0.25');
    expect(minCapitalRatioFor(t, 'iot-sensing').toString()).toBe('0.2');
  });
});

describe('budget expenditure forecast', () => {
  const growth = parseBudgetForecast({
    method: 'growth',
    baseYear: 2025,
    baseAmountYuan: '8000000000',
    growth: '0.035',
  });

  it.each([
    [2024, null],
    [2025, '8000000000.00'],
    [2026, '8280000000.00'],
    [2027, '8569800000.00'],
    // 8e9 × 1.035^10 = 11,284,790,084.9689… (Python decimal), half-up to fen
    [2035, '11284790084.97'],
  ])('growth forecast for %i: %s', (year, expected) => {
    expect(budgetForYear(growth, year)?.toFixed(2) ?? null).toBe(expected);
  });

  it('reads explicit figures and has none for other years', () => {
    const f = parseBudgetForecast({
      method: 'explicit',
      years: [
        { year: 2026, amountYuan: '100.50' },
        { year: 2028, amountYuan: '120' },
      ],
    });
    expect(budgetSeries(f, 2026, 2028).map((r) => r.amountYuan?.toFixed(2) ?? null)).toEqual([
      '100.50',
      null,
      '120.00',
    ]);
    expect(() => budgetSeries(f, 2028, 2026)).toThrow(RangeError);
  });

  it.each([
    [
      'a zero budget',
      { method: 'growth', baseYear: 2025, baseAmountYuan: '0', growth: '0.03' },
      'baseAmountYuan',
    ],
    [
      'a growth of 150 %',
      { method: 'growth', baseYear: 2025, baseAmountYuan: '100', growth: '1.5' },
      'growth',
    ],
    [
      'a year listed twice',
      {
        method: 'explicit',
        years: [
          { year: 2026, amountYuan: '1' },
          { year: 2026, amountYuan: '2' },
        ],
      },
      'years[1].year',
    ],
    ['no years', { method: 'explicit', years: [] }, 'years'],
    ['an unknown method', { method: 'guess' }, 'method'],
  ])('rejects %s', (_what, input, path) => {
    expect(issuesOf(() => parseBudgetForecast(input)).map((i) => i.path)).toContain(path);
  });
});

describe('the scenario fiscal section', () => {
  it('is optional: the example files stay valid without it', () => {
    for (const e of loadExamples()) expect(e.scenario.fiscal).toBeUndefined();
  });

  it('expands annual amounts over a phase and takes figures by year as given', () => {
    const s = legacyPpp((x) => {
      x.fiscal = {
        riskBearing: { annualYuan: '5', phase: 'all' },
        supportingInvestment: { byYear: [{ year: 2024, amountYuan: '7' }] },
      };
    });
    expect([...fiscalAmountsByYear(s.fiscal?.riskBearing, s).keys()]).toEqual([
      2026, 2027, 2028, 2029,
    ]);
    expect([
      ...fiscalAmountsByYear({ annualYuan: '5', phase: 'construction', byYear: [] }, s).keys(),
    ]).toEqual([2026]);
    expect(
      [...fiscalAmountsByYear(s.fiscal?.supportingInvestment, s).entries()].map(([y, a]) => [
        y,
        a.toString(),
      ]),
    ).toEqual([[2024, '7']]);
  });

  it.each([
    [
      'both an annual amount and figures by year',
      { riskBearing: { annualYuan: '1', byYear: [{ year: 2027, amountYuan: '1' }] } },
      'fiscal.riskBearing.byYear',
    ],
    [
      'a year listed twice',
      {
        riskBearing: {
          byYear: [
            { year: 2027, amountYuan: '1' },
            { year: 2027, amountYuan: '2' },
          ],
        },
      },
      'fiscal.riskBearing.byYear[1].year',
    ],
    [
      'a negative PSC figure',
      { psc: { referenceBuildCostYuan: '-1' } },
      'fiscal.psc.referenceBuildCostYuan',
    ],
    ['a PSC without the reference build cost', { psc: {} }, 'fiscal.psc.referenceBuildCostYuan'],
    ['an unknown payment mechanism', { paymentMechanism: 'free' }, 'fiscal.paymentMechanism'],
    ['an unknown field', { bondShare: '0.2' }, 'fiscal'],
  ])('rejects %s', (_what, fiscal, path) => {
    const input = { ...legacyPppInput(), fiscal } as unknown;
    expect(issuesOf(() => parseScenario(input)).map((i) => i.path)).toContain(path);
  });
});

describe('malformed numbers are reported, never thrown as Decimal errors', () => {
  it.each([
    [
      'thresholds',
      () => parseThresholds({ affordabilityCap: '10%', newProjectLine: 'five' }),
      ['affordabilityCap', 'newProjectLine'],
    ],
    [
      'budget',
      () =>
        parseBudgetForecast({
          method: 'growth',
          baseYear: 2025,
          baseAmountYuan: '1e9',
          growth: '3%',
        }),
      ['baseAmountYuan', 'growth'],
    ],
    [
      'fiscal section',
      () =>
        parseScenario({
          ...legacyPppInput(),
          fiscal: { psc: { referenceBuildCostYuan: '1', discountRate: '4.9%' } },
        }),
      ['fiscal.psc.discountRate'],
    ],
  ])('%s', (_what, fn, paths) => {
    expect(issuesOf(fn).map((i) => i.path)).toEqual(expect.arrayContaining(paths));
  });
});
