import { simulate } from '../../src/domain/engine/simulate';
import type { StoredResult } from '../../src/store/types';
import { translator } from '../../src/web/i18n';
import { keyMetrics } from '../../src/web/view-models/common';
import { small } from '../helpers/scenarios';

// The results page's key metrics show what the engine corrections of issue 9 added:
// the debt unpaid at the end, every IRR root when there are several, the pre-tax project IRR.
const stored = (r: ReturnType<typeof simulate>) => JSON.parse(JSON.stringify(r)) as StoredResult;
const rows = (r: ReturnType<typeof simulate>, lang: 'en' | 'zh' = 'en') =>
  keyMetrics(stored(r), { minDscr: '1.2', bondCoverage: '1.2' }, lang, 'yuan', translator(lang));
const row = (r: ReturnType<typeof simulate>, key: string, lang: 'en' | 'zh' = 'en') =>
  rows(r, lang).find((x) => x.key === key);

describe('key metrics added by the engine corrections (issue 9)', () => {
  it('shows the debt unpaid at the end only when some is (src/domain/README.md, "Shortfalls and arrears")', () => {
    // The 400,000-revenue variant of the arrears case in test/domain/engine/corrections.test.ts.
    const unpaid = simulate(
      small((x) => {
        x.timeline.operationYears = 3;
        x.revenues = [
          { kind: 'other', name: 'Income', annualYuan: '800000', rampUp: ['0.5', '0.5', '0.5'] },
        ];
        x.tax = { incomeTaxRate: '0' };
        x.shortfall = 'unfunded';
        const loan = x.funding.sources[1]!;
        loan.debt = { ...loan.debt!, constructionInterest: 'capitalised' };
      }),
    );
    expect(row(unpaid, 'unpaidAtEnd')?.figure).toEqual({
      text: '396,689.38',
      note: 'Unfunded arrears still owed when the project ends',
      tone: 'bad',
    });
    expect(row(unpaid, 'unpaidAtEnd', 'zh')?.label).toBe('期末未偿债务');
    expect(row(simulate(small()), 'unpaidAtEnd')).toBeUndefined();
  });

  it('lists every IRR root when there are several, and the pre-tax project IRR', () => {
    // Flows −1,600, 10,000, −10,000: roots 25 % and 400 %.
    const r = simulate(
      small((x) => {
        x.capex = { scheduleYuan: ['1600'] };
        x.operatingCost = { annualYuan: '10000' };
        x.revenues = [{ kind: 'other', name: 'Income', annualYuan: '20000', rampUp: ['1', '0'] }];
        x.tax = { incomeTaxRate: '0' };
        x.funding.sources = [
          { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '1600' },
        ];
      }),
    );
    const irr = row(r, 'projectIrr')?.figure;
    expect(irr?.note).toContain('Rates solving the flows: ');
    expect(irr?.note).toMatch(/25(\.0+)?\s?%, 400(\.0+)?\s?%/);
    expect(row(r, 'projectIrrPreTax')?.figure.text).toBe(irr?.text);
  });
});
