import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { DomainError } from '../../../src/domain/errors';
import { presentValueByYear, valueForMoney } from '../../../src/domain/fiscal/vfm';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { legacyPpp } from './builders';

type Psc = NonNullable<NonNullable<ScenarioInput['fiscal']>['psc']>;

/*
 * Hand-worked (discount 10 %, the scenario's government rate; valuation at the start of 2026):
 *   equity 200,000 in 2026           → 200,000 / 1.1                          = 181,818.18
 *   subsidy 110,000 in 2027 and 2028 → 110,000 / 1.21 + 110,000 / 1.331      = 173,553.72
 *   risk-bearing 12,100 in 2027      → 12,100 / 1.21                          =  10,000.00
 *   supporting 55,000 in 2026        → 55,000 / 1.1                           =  50,000.00
 *   PPP value                                                                 = 415,371.90
 * PSC = (350,000 build + 100,000 operating − 20,000 income) + 5,000 neutrality
 *       + 10,000 retained (default: the risk-bearing PV) + 15,000 transferable = 460,000.00
 * VfM = 44,628.10, index 44,628.10 / 460,000 = 0.097018 → pass.
 */
const scenario = (psc: Psc) =>
  legacyPpp((s) => {
    s.timeline.operationYears = 2;
    s.government = { operatingSubsidy: { annualYuan: '110000' } };
    s.revenues = [{ kind: 'other', name: 'Fees', annualYuan: '190000' }];
    s.fiscal = {
      riskBearing: { byYear: [{ year: 2027, amountYuan: '12100' }] },
      supportingInvestment: { byYear: [{ year: 2026, amountYuan: '55000' }] },
      psc,
    };
  });
const basePsc: Psc = {
  referenceBuildCostYuan: '350000',
  referenceOperatingCostYuan: '100000',
  referenceIncomeYuan: '20000',
  competitiveNeutralityYuan: '5000',
  transferableRiskYuan: '15000',
};
const vfm = (psc: Psc, options?: Parameters<typeof valueForMoney>[2]) => {
  const s = scenario(psc);
  return valueForMoney(s, simulate(s), options);
};

describe('value for money (财金〔2015〕167号), hand-worked', () => {
  const v = vfm(basePsc);

  it.each([
    ['equityContribution', '181818.18'],
    ['operatingSubsidy', '173553.72'],
    ['riskBearing', '10000.00'],
    ['supportingInvestment', '50000.00'],
    ['total', '415371.90'],
  ] as const)('PPP value: %s = %s', (key, expected) => {
    expect(v.pppValue[key].toFixed(2)).toBe(expected);
  });

  it('PSC 460,000 with the retained risk taken from the risk-bearing cost', () => {
    expect(v.psc.referenceNetCost.toFixed(2)).toBe('430000.00');
    expect(v.psc.retainedRisk.toFixed(2)).toBe('10000.00');
    expect(v.psc.retainedRiskSource).toBe('risk-bearing-cost');
    expect(v.psc.total.toFixed(2)).toBe('460000.00');
  });

  it('VfM 44,628.10, index 0.097018, passes', () => {
    expect(v.discountRate.toString()).toBe('0.1');
    expect(v.valuationYear).toBe(2026);
    expect(v.vfmYuan.toFixed(2)).toBe('44628.10');
    expect(v.vfmIndex?.toFixed(6)).toBe('0.097018');
    expect(v.verdict).toBe('pass');
  });

  it.each([
    // psc change, VfM, index, verdict
    [
      'a cheaper reference build (300,000)',
      { referenceBuildCostYuan: '300000' },
      '-5371.90',
      '-0.013102',
      'fail',
    ],
    [
      'PSC equal to the PPP value',
      { referenceBuildCostYuan: '305371.90' },
      '0.00',
      '0.000000',
      'fail',
    ],
    [
      'an explicit retained risk of 30,000',
      { retainedRiskYuan: '30000' },
      '64628.10',
      '0.134642',
      'pass',
    ],
  ] as const)('%s %j: VfM %s, index %s, %s', (_what, change, amount, index, verdict) => {
    const r = vfm({ ...basePsc, ...change });
    expect(r.vfmYuan.toFixed(2)).toBe(amount);
    expect(r.vfmIndex?.toFixed(6)).toBe(index);
    expect(r.verdict).toBe(verdict);
  });

  it('discounts at the PSC rate or an explicit rate instead of the government rate', () => {
    // At 0 % the PPP value is the plain sum: 200,000 + 220,000 + 12,100 + 55,000.
    expect(vfm({ ...basePsc, discountRate: '0' }).pppValue.total.toFixed(2)).toBe('487100.00');
    expect(vfm(basePsc, { discountRate: '0' }).pppValue.total.toFixed(2)).toBe('487100.00');
  });

  it('needs a PSC and a sensible rate', () => {
    const s = legacyPpp();
    expect(() => valueForMoney(s, simulate(s))).toThrow(
      expect.objectContaining({ code: 'missing-psc' }),
    );
    expect(() => vfm(basePsc, { discountRate: '-0.01' })).toThrow(DomainError);
    expect(() => vfm(basePsc, { discountRate: 'ten' })).toThrow(DomainError);
  });
});

describe('presentValueByYear', () => {
  it.each([
    // flows at year ends from the valuation year: Excel NPV(0.1, 100, 121) = 100/1.1 + 121/1.21 = 190.909...
    [
      [
        { year: 2026, amount: '100' },
        { year: 2027, amount: '121' },
      ],
      '0.1',
      '190.9090909091',
    ],
    // a flow the year before the valuation year is compounded by one year less: 110/1.1^0 = 110
    [[{ year: 2025, amount: '110' }], '0.1', '110.0000000000'],
    [[], '0.1', '0.0000000000'],
  ])('%j at %s = %s', (flows, rate, expected) => {
    const pv = presentValueByYear(
      flows.map((f) => ({ year: f.year, amount: new Dec(f.amount) })),
      new Dec(rate),
      2026,
    );
    expect(pv.toFixed(10)).toBe(expected);
  });
});
