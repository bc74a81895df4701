import { ZERO, type Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import type { LedgerYear } from '../../../src/domain/engine/types';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { small } from '../../helpers/scenarios';

/**
 * Residual value taxed as a gain over the book value (src/domain/README.md, "Residual value").
 * The small project (test/helpers/scenarios.ts): capex 1,000,000, loan 600,000 at 5 % (interest
 * 30,000 then 15,000; construction interest 15,000 paid, so the depreciable base is 1,015,000),
 * revenue 800,000, opex 300,000, tax 25 %, two operation years.
 */
const col = (ledger: LedgerYear[], pick: (y: LedgerYear) => Dec) =>
  ledger.map((y) => pick(y).toFixed(2));

const withResidual = (residual: string, patch: (s: ScenarioInput) => void = () => undefined) =>
  simulate(
    small((s) => {
      s.residualValueYuan = residual;
      patch(s);
    }),
  );

describe('residual value taxed as a gain', () => {
  it('levered: the whole residual is taxable in the last year (book value 0 after the write-off)', () => {
    // Depreciation 507,500 a year. Year 1: 500,000 − 507,500 − 30,000 = −37,500 (a loss).
    // Year 2: 500,000 − 507,500 − 15,000 + 100,000 = 77,500; less the loss 37,500 = 40,000 → tax
    // 10,000 (untaxed, the year would be −22,500 and pay no tax). CFADS 500,000 − 10,000.
    const r = withResidual('100000');
    expect(col(r.ledger, (y) => y.taxableIncome)).toEqual(['0.00', '-37500.00', '77500.00']);
    expect(col(r.ledger, (y) => y.tax)).toEqual(['0.00', '0.00', '10000.00']);
    expect(col(r.ledger, (y) => y.cfads)).toEqual(['0.00', '500000.00', '490000.00']);
    expect(col(r.ledger, (y) => y.residualValue)).toEqual(['0.00', '0.00', '100000.00']);
  });

  it('unlevered: capex depreciation 500,000 a year, year 2 taxes the residual: 100,000 × 25 %', () => {
    const r = withResidual('100000');
    expect(col(r.ledger, (y) => y.unleveredTax)).toEqual(['0.00', '0.00', '25000.00']);
    // Project flow: −1,000,000; 500,000; 500,000 + 100,000 − 25,000.
    expect(col(r.ledger, (y) => y.projectFlow)).toEqual(['-1000000.00', '500000.00', '575000.00']);
    expect(col(r.ledger, (y) => y.projectFlowPreTax)).toEqual([
      '-1000000.00',
      '500000.00',
      '600000.00',
    ]);
  });

  it('a residual below the book value left before the write-off: the loss and the write-off net out', () => {
    // 4 depreciation years: 253,750 in year 1, 761,250 (write-off) in year 2. Book value at
    // disposal without the write-off: 1,015,000 − 2 × 253,750 = 507,500; gain 300,000 − 507,500 =
    // −207,500; taxable 500,000 − 253,750 − 207,500 − 15,000 = 23,750 = 500,000 − 761,250 −
    // 15,000 + 300,000 → tax 5,937.50. Year 1: 500,000 − 253,750 − 30,000 = 216,250 → 54,062.50.
    const r = withResidual(
      '300000',
      (s) => (s.tax = { incomeTaxRate: '0.25', depreciationYears: 4 }),
    );
    expect(col(r.ledger, (y) => y.depreciation)).toEqual(['0.00', '253750.00', '761250.00']);
    expect(col(r.ledger, (y) => y.taxableIncome)).toEqual(['0.00', '216250.00', '23750.00']);
    expect(col(r.ledger, (y) => y.tax)).toEqual(['0.00', '54062.50', '5937.50']);
  });

  it('only the last year changes, by the residual value, against a scenario without one', () => {
    const none = withResidual('0');
    const some = withResidual('123456.78');
    const diff = some.ledger.map((y, t) =>
      y.taxableIncome.minus(none.ledger[t]?.taxableIncome ?? ZERO).toFixed(2),
    );
    expect(diff).toEqual(['0.00', '0.00', '123456.78']);
  });

  it('with VAT on, the residual bears no VAT', () => {
    const vat = (residual: string) =>
      withResidual(residual, (s) => {
        s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '800000', vatRate: '0.06' }];
        s.indirectTax = {};
      }).ledger.map((y) => y.indirectTax?.outputVat.toFixed(2));
    expect(vat('100000')).toEqual(['0.00', '48000.00', '48000.00']);
    expect(vat('100000')).toEqual(vat('0'));
  });
});
