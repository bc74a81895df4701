import fc from 'fast-check';
import { Dec, ZERO } from '../../../src/domain/decimal';
import type { ValidationError } from '../../../src/domain/errors';
import { ledgerLines } from '../../../src/domain/engine/ledger-table';
import { simulate } from '../../../src/domain/engine/simulate';
import { sideTotal } from '../../../src/domain/engine/sources-and-uses';
import type { LedgerYear } from '../../../src/domain/engine/types';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { loadExamples, small, smallInput } from '../../helpers/scenarios';

/**
 * Indirect taxes (src/domain/README.md, "Indirect taxes (增值税及附加)"). The purpose-made case:
 * 1 construction year, 3 operation years, all equity (no borrowing costs), income tax 25 %.
 * Capex 1,000,000 VAT-inclusive at 13 %: input VAT 1,000,000 × 0.13 ÷ 1.13 = 115,044.247… →
 * 115,044.25; depreciable base 884,955.75, over 3 years 294,985.25 a year.
 * Opex 100,000 VAT-inclusive at 6 %: input 100,000 × 0.06 ÷ 1.06 = 5,660.377… → 5,660.38;
 * deductible opex 94,339.62. Revenue 800,000 VAT-exclusive at 9 %: output 72,000.
 *
 * | year | output | input | credit in | payable | credit out | 7 % | 3 % | 2 % |
 * |---|---|---|---|---|---|---|---|---|
 * | build | 0 | 115,044.25 | 0 | 0 | 115,044.25 | 0 | 0 | 0 |
 * | 1 | 72,000 | 5,660.38 | 115,044.25 | 0 | 48,704.63 | 0 | 0 | 0 |
 * | 2 | 72,000 | 5,660.38 | 48,704.63 | 17,634.99 | 0 | 1,234.45 | 529.05 | 352.70 |
 * | 3 | 72,000 | 5,660.38 | 0 | 66,339.62 | 0 | 4,643.77 | 1,990.19 | 1,326.79 |
 *
 * Surcharges: 17,634.99 × 0.07 = 1,234.4493 → 1,234.45; × 0.03 = 529.0497 → 529.05; × 0.02 =
 * 352.6998 → 352.70 (Σ 2,116.20); 66,339.62 × 0.07 = 4,643.7734 → 4,643.77; × 0.03 = 1,990.1886 →
 * 1,990.19; × 0.02 = 1,326.7924 → 1,326.79 (Σ 7,960.75).
 * Taxable income = 800,000 − 94,339.62 − surcharges − 294,985.25: 410,675.13, 408,558.93,
 * 402,714.38; tax 25 %: 102,668.7825 → 102,668.78; 102,139.7325 → 102,139.73; 100,678.595 →
 * 100,678.60.
 * CFADS = 800,000 + 72,000 − 100,000 − payable − surcharges − tax: 669,331.22, 650,109.08,
 * 597,021.03.
 */
function vatInput(patch: (s: ScenarioInput) => void = () => undefined): ScenarioInput {
  return smallInput((s) => {
    s.timeline = { startYear: 2026, constructionYears: 1, operationYears: 3 };
    s.capex = { scheduleYuan: ['1000000'] };
    s.operatingCost = { annualYuan: '100000' };
    s.revenues = [{ kind: 'other', name: 'Service fees', annualYuan: '800000', vatRate: '0.09' }];
    s.funding = {
      sources: [{ id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '1000000' }],
    };
    s.indirectTax = { capexInputRate: '0.13', opexInputRate: '0.06' };
    patch(s);
  });
}

const col = (ledger: LedgerYear[], pick: (y: LedgerYear) => Dec | undefined) =>
  ledger.map((y) => (pick(y) ?? ZERO).toFixed(2));

describe('indirect taxes: the purpose-made case', () => {
  const r = simulate(parseScenario(vatInput()));
  const v = (pick: (x: NonNullable<LedgerYear['indirectTax']>) => Dec) =>
    col(r.ledger, (y) => (y.indirectTax ? pick(y.indirectTax) : undefined));

  it('output and input VAT, the construction credit carried forward and the VAT paid', () => {
    expect(v((x) => x.outputVat)).toEqual(['0.00', '72000.00', '72000.00', '72000.00']);
    expect(v((x) => x.inputVat)).toEqual(['115044.25', '5660.38', '5660.38', '5660.38']);
    expect(v((x) => x.creditCarriedForward)).toEqual(['115044.25', '48704.63', '0.00', '0.00']);
    expect(v((x) => x.vatPayable)).toEqual(['0.00', '0.00', '17634.99', '66339.62']);
  });

  it('surcharges at 7 + 3 + 2 % of the VAT paid, each rounded half-up to fen', () => {
    expect(v((x) => x.urbanMaintenanceTax)).toEqual(['0.00', '0.00', '1234.45', '4643.77']);
    expect(v((x) => x.educationSurcharge)).toEqual(['0.00', '0.00', '529.05', '1990.19']);
    expect(v((x) => x.localEducationSurcharge)).toEqual(['0.00', '0.00', '352.70', '1326.79']);
    expect(v((x) => x.surcharges)).toEqual(['0.00', '0.00', '2116.20', '7960.75']);
  });

  it('depreciation on the capex without its input VAT; income tax after surcharges; CFADS', () => {
    expect(col(r.ledger, (y) => y.depreciation)).toEqual([
      '0.00',
      '294985.25',
      '294985.25',
      '294985.25',
    ]);
    expect(col(r.ledger, (y) => y.taxableIncome)).toEqual([
      '0.00',
      '410675.13',
      '408558.93',
      '402714.38',
    ]);
    expect(col(r.ledger, (y) => y.tax)).toEqual(['0.00', '102668.78', '102139.73', '100678.60']);
    expect(col(r.ledger, (y) => y.cfads)).toEqual(['0.00', '669331.22', '650109.08', '597021.03']);
    // Revenue and operating cost lines keep the scenario's figures (VAT-exclusive / -inclusive).
    expect(col(r.ledger, (y) => y.totalRevenue)).toEqual([
      '0.00',
      '800000.00',
      '800000.00',
      '800000.00',
    ]);
    expect(col(r.ledger, (y) => y.opex)).toEqual(['0.00', '100000.00', '100000.00', '100000.00']);
  });

  it('the unlevered project flow has the same VAT and (without debt) the same tax', () => {
    expect(col(r.ledger, (y) => y.unleveredTax)).toEqual(col(r.ledger, (y) => y.tax));
    expect(col(r.ledger, (y) => y.projectFlow)).toEqual([
      '-1000000.00',
      '669331.22',
      '650109.08',
      '597021.03',
    ]);
  });

  it('sources and uses carry the VAT lines and balance', () => {
    const l = r.sourcesAndUses.lifetime;
    const find = (lines: typeof l.sources, key: string) =>
      lines.find((x) => x.key === key)?.amount.toFixed(2);
    expect(find(l.sources, 'output-vat')).toBe('216000.00');
    expect(find(l.uses, 'vat-paid')).toBe('83974.61');
    expect(find(l.uses, 'surcharges')).toBe('10076.95');
    expect(sideTotal(l.sources).toFixed(2)).toBe(l.total.toFixed(2));
  });

  it('the ledger table shows the VAT lines, and only when VAT is on', () => {
    const keys = ledgerLines(r).map((l) => l.key);
    for (const k of [
      'output-vat',
      'input-vat',
      'vat-credit',
      'vat-payable',
      'urban-maintenance-tax',
      'education-surcharge',
      'local-education-surcharge',
    ])
      expect(keys).toContain(k);
    const off = ledgerLines(simulate(small())).map((l) => l.key);
    expect(off.filter((k) => k.includes('vat') || k.includes('surcharge'))).toEqual([]);
  });
});

describe('indirect taxes: government payments, rates and the credit left at the end', () => {
  it('the operating subsidy bears output VAT at its own rate (default 0)', () => {
    const withSubsidy = (rate?: string) =>
      simulate(
        parseScenario(
          vatInput((s) => {
            s.government = { operatingSubsidy: { annualYuan: '100000' } };
            if (rate) s.indirectTax = { ...s.indirectTax, operatingSubsidyRate: rate };
          }),
        ),
      ).ledger.map((y) => y.indirectTax?.outputVat.toFixed(2));
    // 72,000 + 100,000 × 6 % = 78,000.
    expect(withSubsidy('0.06')).toEqual(['0.00', '78000.00', '78000.00', '78000.00']);
    expect(withSubsidy()).toEqual(['0.00', '72000.00', '72000.00', '72000.00']);
  });

  it('the government pays the subsidy with its VAT: outlay 100,000 × 1.06 = 106,000 a year', () => {
    const outlay = (rate?: string) =>
      simulate(
        parseScenario(
          vatInput((s) => {
            s.government = { operatingSubsidy: { annualYuan: '100000' } };
            if (rate) s.indirectTax = { ...s.indirectTax, operatingSubsidyRate: rate };
          }),
        ),
      ).ledger.map((y) => y.government['operating-subsidy'].toFixed(2));
    expect(outlay('0.06')).toEqual(['0.00', '106000.00', '106000.00', '106000.00']);
    expect(outlay()).toEqual(['0.00', '100000.00', '100000.00', '100000.00']);
  });

  it('a county-town urban maintenance rate of 5 %: 66,339.62 × 0.05 = 3,316.981 → 3,316.98', () => {
    const r = simulate(
      parseScenario(
        vatInput((s) => (s.indirectTax = { ...s.indirectTax, urbanMaintenanceRate: '0.05' })),
      ),
    );
    expect(r.ledger[3]?.indirectTax?.urbanMaintenanceTax.toFixed(2)).toBe('3316.98');
  });

  it('credit left at the end is not refunded: flagged with its amount', () => {
    // Revenue 100,000 at 9 %: output 9,000 a year < input 5,660.38 + the capex credit:
    // 115,044.25 + 3 × 5,660.38 − 3 × 9,000 = 105,025.39 left.
    const r = simulate(
      parseScenario(
        vatInput(
          (s) =>
            (s.revenues = [{ kind: 'other', name: 'Fees', annualYuan: '100000', vatRate: '0.09' }]),
        ),
      ),
    );
    expect(r.ledger.map((y) => y.indirectTax?.vatPayable.toFixed(2))).toEqual([
      '0.00',
      '0.00',
      '0.00',
      '0.00',
    ]);
    const flag = r.flags.find((f) => f.code === 'vat-credit-unused');
    expect(flag?.amount?.toFixed(2)).toBe('105025.39');
  });

  it('rejects a rate out of range and an unknown urban maintenance rate, naming the field', () => {
    const issues = (it: Record<string, string>) => {
      try {
        parseScenario(vatInput((s) => (s.indirectTax = it)));
      } catch (e) {
        return (e as ValidationError).issues.map((i) => i.path);
      }
      return [];
    };
    expect(issues({ capexInputRate: '0.3' })).toEqual(['indirectTax.capexInputRate']);
    expect(issues({ urbanMaintenanceRate: '0.03' })).toEqual(['indirectTax.urbanMaintenanceRate']);
  });
});

describe('indirect taxes off', () => {
  it('a scenario without indirectTax has no VAT lines; all-zero rates change no figure', () => {
    for (const { file, input } of loadExamples()) {
      const off = simulate(parseScenario(input));
      expect(off.ledger.some((y) => 'indirectTax' in y)).toBe(false);
      const zero = simulate(parseScenario({ ...input, indirectTax: {} }));
      const strip = (ys: LedgerYear[]) => ys.map(({ indirectTax: _v, ...rest }) => rest);
      expect({ file, ledger: strip(zero.ledger) }).toEqual({ file, ledger: strip(off.ledger) });
      expect(zero.metrics).toEqual(off.metrics);
    }
  });
});

const yuanArb = (min: number, max: number) =>
  fc.integer({ min: min * 100, max: max * 100 }).map((fen) => (fen / 100).toFixed(2));
const vatRateArb = fc.constantFrom('0', '0.03', '0.06', '0.09', '0.13');

describe('indirect taxes: invariants on random scenarios', () => {
  it('sources = uses; Σ VAT paid = Σ output − Σ input + credit left (= max(0, …) when none is left)', () => {
    fc.assert(
      fc.property(
        fc.record({
          build: fc.integer({ min: 1, max: 3 }),
          operate: fc.integer({ min: 1, max: 12 }),
          capex: yuanArb(1, 20_000_000),
          opex: yuanArb(0, 2_000_000),
          revenue: yuanArb(0, 8_000_000),
          data: yuanArb(0, 3_000_000),
          rates: fc.array(vatRateArb, { minLength: 4, maxLength: 4 }),
          residual: yuanArb(0, 500_000),
          loan: fc.boolean(),
        }),
        (x) => {
          const input = smallInput((s) => {
            s.timeline = { startYear: 2026, constructionYears: x.build, operationYears: x.operate };
            s.capex = { scheduleYuan: new Array<string>(x.build).fill(x.capex) };
            s.operatingCost = { annualYuan: x.opex, escalation: '0.03' };
            s.residualValueYuan = x.residual;
            s.revenues = [
              { kind: 'other', name: 'Fees', annualYuan: x.revenue, vatRate: x.rates[0] },
              {
                kind: 'public-data',
                name: 'Data',
                annualIncomeYuan: x.data,
                allowedProfitRate: '0.08',
                authorityShare: '0.1',
                vatRate: '0.06',
              },
            ];
            const total = new Dec(x.capex).times(x.build);
            const equity = x.loan ? total.times('0.4').toDecimalPlaces(2) : total;
            s.funding.sources = [
              {
                id: 'eq',
                name: 'Equity',
                type: 'enterprise-equity',
                amountYuan: equity.toFixed(2),
              },
            ];
            if (x.loan)
              s.funding.sources.push({
                id: 'loan',
                name: 'Loan',
                type: 'bank-loan',
                amountYuan: total.minus(equity).toFixed(2),
                debt: {
                  annualRate: '0.05',
                  tenorYears: x.build + x.operate,
                  repayment: 'annuity',
                },
              });
            s.shortfall = 'government';
            s.indirectTax = {
              capexInputRate: x.rates[1],
              opexInputRate: x.rates[2],
              operatingSubsidyRate: x.rates[3],
            };
          });
          const r = simulate(parseScenario(input));
          const l = r.sourcesAndUses.lifetime;
          expect(sideTotal(l.sources).toFixed(2)).toBe(l.total.toFixed(2));
          const c = r.sourcesAndUses.construction;
          expect(sideTotal(c.sources).toFixed(2)).toBe(c.total.toFixed(2));
          const sum = (pick: (v: NonNullable<LedgerYear['indirectTax']>) => Dec) =>
            r.ledger.reduce((a, y) => a.plus(pick(y.indirectTax!)), ZERO);
          const left = r.ledger[r.ledger.length - 1]!.indirectTax!.creditCarriedForward;
          const net = sum((v) => v.outputVat).minus(sum((v) => v.inputVat));
          expect(sum((v) => v.vatPayable).toFixed(2)).toBe(net.plus(left).toFixed(2));
          if (left.isZero())
            expect(sum((v) => v.vatPayable).toFixed(2)).toBe(Dec.max(ZERO, net).toFixed(2));
          for (const y of r.ledger) {
            const v = y.indirectTax!;
            expect(v.vatPayable.gte(0) && v.creditCarriedForward.gte(0)).toBe(true);
            // Cash identity: CFADS = revenue + output − data share − opex − VAT paid − surcharges − tax.
            if (y.phase === 'operation')
              expect(y.cfads.toFixed(2)).toBe(
                y.totalRevenue
                  .plus(v.outputVat)
                  .minus(y.dataAuthorityShare.reduce((a, b) => a.plus(b), ZERO))
                  .minus(y.opex)
                  .minus(v.vatPayable)
                  .minus(v.surcharges)
                  .minus(y.tax)
                  .toFixed(2),
              );
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
