import { Dec, ONE, Rounding, ZERO, toDec, toFen, type DecimalInput } from '../decimal';
import { DomainError } from '../errors';
import type { SimulationResult } from '../engine/types';
import type { Scenario } from '../scenario/schema';
import { governmentObligations, type ObligationComponents } from './obligations';
import { riskRegister } from './risk-bearing';

/**
 * Value for money (物有所值, MoF 财金〔2015〕167号, DOMAIN.md §5.2), quantitative part:
 *
 * - PSC = reference net cost (build + operating − third-party income) + competitive-neutrality
 *   adjustment + retained risk + transferable risk; inputs in `fiscal.psc`, each a present value;
 * - PPP value = present value of the government's obligations under the PPP (the four
 *   components of 财金〔2015〕21号, see `governmentObligations`);
 * - VfM amount = PSC − PPP value; VfM index = VfM ÷ PSC; the verdict passes when VfM > 0.
 *
 * Valuation basis (both sides): present value at the start of the scenario's first year
 * (`timeline.startYear`), flows at year ends, so year `startYear + k` is discounted k + 1 times:
 * the Excel NPV convention the engine uses for its government NPV.
 */

/** Ratios are reported to 6 decimal places, half-up. */
const RATIO_DP = 6;

export interface VfmResult {
  /** The discount rate used, a fraction. */
  discountRate: Dec;
  /** Present values are at the start of this calendar year. */
  valuationYear: number;
  psc: {
    referenceBuildCost: Dec;
    referenceOperatingCost: Dec;
    referenceIncome: Dec;
    /** build + operating − income. */
    referenceNetCost: Dec;
    competitiveNeutrality: Dec;
    retainedRisk: Dec;
    /**
     * 'input': `fiscal.psc.retainedRiskYuan`; 'risk-bearing-cost': PV of `fiscal.riskBearing`;
     * 'risk-register': the register's retained risk (and transferable risk) at the VfM rate.
     */
    retainedRiskSource: 'input' | 'risk-bearing-cost' | 'risk-register';
    transferableRisk: Dec;
    /** Sum of the above (net cost + adjustment + both risks), yuan. */
    total: Dec;
  };
  /** PV of each obligation component, half-up to fen; `total` is the sum of the rounded parts. */
  pppValue: ObligationComponents;
  /** PSC − PPP value, yuan. */
  vfmYuan: Dec;
  /** VfM ÷ PSC, 6 dp half-up; null when the PSC is not positive. */
  vfmIndex: Dec | null;
  verdict: 'pass' | 'fail';
}

export interface VfmOptions {
  /** Discount rate, a fraction (default: `fiscal.psc.discountRate`, else the scenario's government rate). */
  discountRate?: DecimalInput;
}

/**
 * Present value of amounts by calendar year at the start of `valuationYear`, flows at year ends:
 * Σ amount_y / (1 + rate)^(y − valuationYear + 1). Exact (integer powers); unrounded.
 */
export function presentValueByYear(
  amounts: ReadonlyArray<{ year: number; amount: Dec }>,
  rate: Dec,
  valuationYear: number,
): Dec {
  const base = ONE.plus(rate);
  let pv = ZERO;
  for (const { year, amount } of amounts) {
    if (amount.isZero()) continue;
    pv = pv.plus(amount.div(base.pow(year - valuationYear + 1)));
  }
  return pv;
}

/**
 * The PSC's retained and transferable risk: from the risk register when the scenario has one
 * (its present values at `rate`), else as typed in `fiscal.psc`, the retained risk defaulting to
 * the PV of the risk-bearing cost the government budgets for.
 */
function pscRisks(
  scenario: Scenario,
  result: SimulationResult,
  rate: Dec,
  riskBearingPv: Dec,
): Pick<VfmResult['psc'], 'retainedRisk' | 'retainedRiskSource' | 'transferableRisk'> {
  const psc = scenario.fiscal?.psc;
  const register = riskRegister(scenario, result.ledger, { discountRate: rate });
  if (register)
    return {
      retainedRisk: register.retainedRiskPv,
      retainedRiskSource: 'risk-register',
      transferableRisk: register.transferableRiskPv,
    };
  return {
    retainedRisk:
      psc?.retainedRiskYuan !== undefined ? new Dec(psc.retainedRiskYuan) : riskBearingPv,
    retainedRiskSource: psc?.retainedRiskYuan !== undefined ? 'input' : 'risk-bearing-cost',
    transferableRisk: new Dec(psc?.transferableRiskYuan ?? '0'),
  };
}

/**
 * Value for money of one PPP scenario.
 *
 * Rounding: each PPP-value component's PV is rounded half-up to fen (the reporting point) and the
 * total is their sum, so the parts add up; PSC inputs are fen already; the index is 6 dp half-up.
 * The verdict is judged on the reported amounts.
 *
 * @param scenario a validated scenario with a `fiscal.psc` section
 * @param result its simulation
 * @throws DomainError `missing-psc` when the scenario has no `fiscal.psc`
 * @throws DomainError `invalid-argument` for a negative or unreadable discount rate
 */
export function valueForMoney(
  scenario: Scenario,
  result: SimulationResult,
  options: VfmOptions = {},
): VfmResult {
  const psc = scenario.fiscal?.psc;
  if (!psc) {
    throw new DomainError(
      'missing-psc',
      'Value for money needs the public-sector comparator (fiscal.psc) of the scenario',
      {
        project: scenario.project.code,
      },
    );
  }
  let rate: Dec;
  try {
    rate = toDec(options.discountRate ?? psc.discountRate ?? scenario.discountRates.government);
  } catch (err) {
    throw new DomainError(
      'invalid-argument',
      `The VfM discount rate is not a number: ${(err as Error).message}`,
    );
  }
  if (rate.isNaN() || rate.lt(0))
    throw new DomainError('invalid-argument', 'The VfM discount rate cannot be negative', {
      rate: rate.toString(),
    });
  const valuationYear = scenario.timeline.startYear;

  // The PPP value is the government's whole cost of the PPP, so a concession's investment
  // support is in it whatever the jurisdiction counts against the PPP ratio.
  const years = governmentObligations(scenario, result, { countConcessionInvestmentSupport: true });
  const pvOf = (pick: (c: ObligationComponents) => Dec) =>
    presentValueByYear(
      years.map((y) => ({ year: y.year, amount: pick(y.components) })),
      rate,
      valuationYear,
    );
  const equityContribution = toFen(pvOf((c) => c.equityContribution));
  const operatingSubsidy = toFen(pvOf((c) => c.operatingSubsidy));
  const riskBearing = toFen(pvOf((c) => c.riskBearing));
  const supportingInvestment = toFen(pvOf((c) => c.supportingInvestment));
  const pppValue: ObligationComponents = {
    equityContribution,
    operatingSubsidy,
    riskBearing,
    supportingInvestment,
    total: equityContribution.plus(operatingSubsidy).plus(riskBearing).plus(supportingInvestment),
  };

  const referenceBuildCost = new Dec(psc.referenceBuildCostYuan);
  const referenceOperatingCost = new Dec(psc.referenceOperatingCostYuan);
  const referenceIncome = new Dec(psc.referenceIncomeYuan);
  const referenceNetCost = referenceBuildCost.plus(referenceOperatingCost).minus(referenceIncome);
  const competitiveNeutrality = new Dec(psc.competitiveNeutralityYuan);
  const { retainedRisk, retainedRiskSource, transferableRisk } = pscRisks(
    scenario,
    result,
    rate,
    riskBearing,
  );
  const total = referenceNetCost
    .plus(competitiveNeutrality)
    .plus(retainedRisk)
    .plus(transferableRisk);

  const vfmYuan = total.minus(pppValue.total);
  return {
    discountRate: rate,
    valuationYear,
    psc: {
      referenceBuildCost,
      referenceOperatingCost,
      referenceIncome,
      referenceNetCost,
      competitiveNeutrality,
      retainedRisk,
      retainedRiskSource,
      transferableRisk,
      total,
    },
    pppValue,
    vfmYuan,
    vfmIndex: total.gt(0) ? vfmYuan.div(total).toDecimalPlaces(RATIO_DP, Rounding.halfUp) : null,
    verdict: vfmYuan.gt(0) ? 'pass' : 'fail',
  };
}
