import { toDec, toFen, type Dec, type DecimalInput } from '../decimal';
import type { Scenario } from '../scenario/schema';
import { presentValueByYear } from './vfm';

/**
 * Doing it itself or as a PPP (scenario format v2, issue 9): one project can hold a government
 * scenario (e.g. budget and special-purpose bonds) and a PPP or concession scenario, and the
 * bureau weighs what each costs the government.
 *
 * The cost of a scenario to the government is the present value of its **net government outlay**
 * by year (the ledger line `governmentNet`: budget, grants, government equity, subsidies,
 * availability payments, shortfall cover and general-bond service, less the data-revenue share
 * and surpluses the government receives). Both scenarios are valued on one basis, the PPP scenario's VfM basis:
 * its `fiscal.psc.discountRate`, else its government discount rate, at the start of its
 * `timeline.startYear`, flows at year ends (as `valueForMoney`), so a government scenario that
 * starts in another year is discounted to the same date.
 *
 * Rounding: each present value half-up to the fen; the saving is the difference of the rounded
 * values, so the three figures agree.
 */
export interface DeliveryComparison {
  /** The discount rate, a fraction. */
  discountRate: Dec;
  /** Present values are at the start of this calendar year. */
  valuationYear: number;
  /** PV of the government scenario's net government outlay, yuan. */
  governmentCostYuan: Dec;
  /** PV of the PPP scenario's net government outlay, yuan. */
  pppCostYuan: Dec;
  /** governmentCost − pppCost: positive when the PPP costs the government less. */
  pppSavingYuan: Dec;
}

/** One year of a ledger, as far as this comparison reads it (Decimals or decimal strings). */
export interface GovernmentNetYear {
  year: number;
  governmentNet: DecimalInput;
}

/**
 * The basis of the comparison for a PPP scenario: its VfM discount rate and valuation year.
 */
export function comparisonBasis(ppp: Scenario): { discountRate: Dec; valuationYear: number } {
  return {
    discountRate: toDec(ppp.fiscal?.psc?.discountRate ?? ppp.discountRates.government),
    valuationYear: ppp.timeline.startYear,
  };
}

/**
 * What a government scenario and a PPP scenario of one project cost the government, on the PPP
 * scenario's basis (see `DeliveryComparison`).
 * @param ppp the PPP or concession scenario (its basis is used)
 * @param pppLedger its ledger years
 * @param governmentLedger the government scenario's ledger years
 */
export function compareDeliveries(
  ppp: Scenario,
  pppLedger: readonly GovernmentNetYear[],
  governmentLedger: readonly GovernmentNetYear[],
): DeliveryComparison {
  const { discountRate, valuationYear } = comparisonBasis(ppp);
  const pv = (ledger: readonly GovernmentNetYear[]) =>
    toFen(
      presentValueByYear(
        ledger.map((y) => ({ year: y.year, amount: toDec(y.governmentNet) })),
        discountRate,
        valuationYear,
      ),
    );
  const governmentCostYuan = pv(governmentLedger);
  const pppCostYuan = pv(pppLedger);
  return {
    discountRate,
    valuationYear,
    governmentCostYuan,
    pppCostYuan,
    pppSavingYuan: governmentCostYuan.minus(pppCostYuan),
  };
}
