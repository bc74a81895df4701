import fc from 'fast-check';
import { Dec, ZERO, toFen } from '../../../src/domain/decimal';
import {
  annuityCapitalPart,
  mofCapitalPart,
  withOperations,
  type AvailabilityInputs,
} from '../../../src/domain/engine/government';
import { simulate } from '../../../src/domain/engine/simulate';
import { small } from '../../helpers/scenarios';

/**
 * The engine posts the availability payment from integer fen and one float fraction where that
 * is provably the Decimal formula's result (src/domain/engine/simulate.ts `paymentFen`); the
 * Decimal formula of government.ts, rounded half-up to the fen and floored at 0, is the reference
 * here, over random inputs and over inputs made to land on a half fen.
 */

const yuan = (maxFen: number) =>
  fc.integer({ min: 1, max: maxFen }).map((f) => (f / 100).toFixed(2));
const rate = fc.integer({ min: 0, max: 500_000 }).map((m) => (m / 1_000_000).toString());

const apArb = fc.record({
  method: fc.constantFrom('mof-formula' as const, 'annuity' as const),
  constructionCostYuan: fc.option(yuan(100_000_000_00), { nil: undefined }),
  profitRate: rate,
  discountRate: rate,
  annuityRate: fc.option(rate, { nil: undefined }),
  periodYears: fc.integer({ min: 1, max: 6 }),
  firstIndex: fc.integer({ min: 0, max: 1 }),
  includeOperatingCost: fc.boolean(),
  deductUserFees: fc.boolean(),
});

const caseArb = fc.record({
  ap: apArb,
  opex: yuan(5_000_000_00),
  income: yuan(20_000_000_00),
  operate: fc.integer({ min: 6, max: 8 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function check({ ap, opex, income, operate }: Case): void {
  const scenario = small((x) => {
    x.timeline.operationYears = operate;
    x.operatingCost = { annualYuan: opex };
    x.revenues = [{ kind: 'other', name: 'Income', annualYuan: income }];
    x.government = { availabilityPayment: ap };
  });
  const result = simulate(scenario);
  const C = scenario.timeline.constructionYears;
  const totalCapex = result.ledger.slice(0, C).reduce((a, y) => a.plus(y.capex), ZERO);
  const inputs: AvailabilityInputs = {
    constructionCost: ap.constructionCostYuan ? new Dec(ap.constructionCostYuan) : totalCapex,
    profitRate: new Dec(ap.profitRate),
    discountRate: new Dec(ap.discountRate),
    annuityRate: new Dec(ap.annuityRate ?? ap.profitRate),
    periodYears: ap.periodYears,
  };
  result.ledger.slice(C).forEach((y, k) => {
    if (k >= ap.periodYears) return expect(y.availabilityPayment.toFixed(2)).toBe('0.00');
    const capital =
      ap.method === 'mof-formula'
        ? mofCapitalPart(inputs, k + ap.firstIndex)
        : annuityCapitalPart(inputs);
    const o = ap.includeOperatingCost ? y.opex : ZERO;
    const u = ap.deductUserFees
      ? y.revenues
          .reduce((a, r) => a.plus(r), ZERO)
          .minus(y.dataAuthorityShare.reduce((a, r) => a.plus(r), ZERO))
      : ZERO;
    const raw = withOperations(inputs, capital, o, u);
    const expected = raw.lt(0) ? '0.00' : toFen(raw).toFixed(2);
    expect(y.availabilityPayment.toFixed(2)).toBe(expected);
  });
}

describe('availability payment in fen', () => {
  it('equals the Decimal formula rounded half-up and floored at 0, for random inputs', () => {
    fc.assert(fc.property(caseArb, check), { numRuns: 300, seed: 20261202 });
  });

  it.each([
    // C / N = 100,000.01 / 2 = 50,000.005: a half fen exactly, rounded up.
    ['100000.01', 2, '0', '1', '50000.01'],
    // 100,000.03 / 2 = 50,000.015 plus O × (1 + p) = 0.01 × 1.5: 50,000.03 exactly (a whole fen).
    ['100000.03', 2, '0.5', '0.01', '50000.03'],
    // 0.01 / 2 + 0.01 × 1 − U(0.01): 0.005, a half fen just above 0, posts 0.01.
    ['0.01', 2, '0', '0.01', '0.01'],
  ])('cost %s over %i years, p = %s, opex %s: posts %s', (cost, years, p, opex, posted) => {
    const scenario = small((x) => {
      x.timeline.operationYears = 2;
      x.operatingCost = { annualYuan: opex };
      x.revenues = [
        { kind: 'other', name: 'Income', annualYuan: posted === '0.01' ? '0.01' : '0' },
      ];
      x.government = {
        availabilityPayment: {
          method: 'annuity',
          constructionCostYuan: cost,
          profitRate: p,
          discountRate: '0',
          annuityRate: '0',
          periodYears: years,
          includeOperatingCost: opex !== '1',
          deductUserFees: posted === '0.01',
        },
      };
    });
    const ledger = simulate(scenario).ledger.slice(1);
    expect(ledger.map((y) => y.availabilityPayment.toFixed(2))).toEqual([posted, posted]);
  });

  it('a payment a fraction of a fen below 0 is floored, and the flag says so: 0.07 / 10 − 0.01 = −0.003', () => {
    const scenario = small((x) => {
      x.timeline.operationYears = 10;
      x.revenues = [{ kind: 'other', name: 'Income', annualYuan: '0.01' }];
      x.government = {
        availabilityPayment: {
          method: 'annuity',
          constructionCostYuan: '0.07',
          profitRate: '0',
          discountRate: '0',
          annuityRate: '0',
          periodYears: 10,
          includeOperatingCost: false,
          deductUserFees: true,
        },
      };
    });
    const result = simulate(scenario);
    expect(result.ledger.slice(1).map((y) => y.availabilityPayment.toFixed(2))).toEqual(
      Array(10).fill('0.00'),
    );
    const flag = result.flags.find((f) => f.code === 'availability-payment-floored');
    expect(flag?.years).toEqual([2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035, 2036]);
  });
});
