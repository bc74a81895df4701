import { simulate } from '../../../src/domain/engine/simulate';
import { compareDeliveries } from '../../../src/domain/fiscal/delivery-comparison';
import { parseScenario } from '../../../src/domain/scenario/parse';
import { smallInput } from '../../helpers/scenarios';

/**
 * Doing it itself or as a PPP (format v2, issue 9): PV of each scenario's net government outlay
 * on the PPP scenario's basis (government rate 4 %, valuation at the start of 2026).
 *
 * Government scenario: 1,000,000 of budget in 2026 (construction); operation 2027–2028 with
 * 800,000 income, 300,000 opex, no tax: CFADS 500,000 a year, and with no equity holder the
 * surplus returns to the government. Net outlay 2026 +1,000,000; 2027 −500,000; 2028 −500,000.
 *   PV = 1,000,000/1.04 − 500,000/1.04² − 500,000/1.04³
 *      = 961,538.4615… − 462,278.1065… − 444,498.1793… = 54,762.1757… → 54,762.18
 * PPP scenario (the small concession: equity and a loan) with an operating subsidy of 100,000 in
 * 2027 and 2028: net outlay 100,000 in each.
 *   PV = 100,000/1.04² + 100,000/1.04³ = 92,455.6213… + 88,899.6359… = 181,355.2572… → 181,355.26
 * Saving of the PPP = 54,762.18 − 181,355.26 = −126,593.08 (doing it itself costs less).
 * The government scenario started a year later (2027–2029) is discounted to 2026 too:
 *   1,000,000/1.04² − 500,000/1.04³ − 500,000/1.04⁴ = 52,655.94.
 */

const government = (startYear = 2026) =>
  parseScenario(
    smallInput((s) => {
      s.scenario.delivery = 'government';
      s.timeline.startYear = startYear;
      s.funding.sources = [{ id: 'budget', name: 'Budget', type: 'budget', amountYuan: '1000000' }];
      s.tax = { incomeTaxRate: '0' };
      s.shortfall = 'government';
    }),
  );
const ppp = parseScenario(
  smallInput((s) => {
    s.government = { operatingSubsidy: { annualYuan: '100000' } };
  }),
);
const ledgerOf = (s: ReturnType<typeof government>) =>
  simulate(s).ledger.map((y) => ({ year: y.year, governmentNet: y.governmentNet }));

describe('compareDeliveries', () => {
  it('has the net outlays worked by hand', () => {
    expect(ledgerOf(government()).map((y) => [y.year, y.governmentNet.toString()])).toEqual([
      [2026, '1000000'],
      [2027, '-500000'],
      [2028, '-500000'],
    ]);
    expect(ledgerOf(ppp).map((y) => [y.year, y.governmentNet.toString()])).toEqual([
      [2026, '0'],
      [2027, '100000'],
      [2028, '100000'],
    ]);
  });

  it('values both on the PPP scenario’s basis, to the fen', () => {
    const c = compareDeliveries(ppp, ledgerOf(ppp), ledgerOf(government()));
    expect([c.discountRate.toString(), c.valuationYear]).toEqual(['0.04', 2026]);
    expect(c.governmentCostYuan.toFixed(2)).toBe('54762.18');
    expect(c.pppCostYuan.toFixed(2)).toBe('181355.26');
    expect(c.pppSavingYuan.toFixed(2)).toBe('-126593.08');
  });

  it('discounts a government scenario that starts later to the PPP’s valuation year', () => {
    const c = compareDeliveries(ppp, ledgerOf(ppp), ledgerOf(government(2027)));
    expect(c.governmentCostYuan.toFixed(2)).toBe('52655.94');
  });

  it('takes the PPP’s VfM discount rate when it has one, and reads ledger strings', () => {
    const withPsc = parseScenario(
      smallInput((s) => {
        s.fiscal = { psc: { referenceBuildCostYuan: '1', discountRate: '0' } };
      }),
    );
    const c = compareDeliveries(
      withPsc,
      [{ year: 2027, governmentNet: '10.005' }],
      [
        { year: 2026, governmentNet: '1000000' },
        { year: 2027, governmentNet: '-500000' },
      ],
    );
    expect(c.discountRate.toString()).toBe('0');
    expect([c.governmentCostYuan.toFixed(2), c.pppCostYuan.toFixed(2)]).toEqual([
      '500000.00',
      '10.01',
    ]);
    expect(c.pppSavingYuan.toFixed(2)).toBe('499989.99');
  });
});
