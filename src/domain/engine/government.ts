import { Dec, ONE } from '../decimal';
import { DomainError } from '../errors';

/**
 * Inputs of the availability-payment formulas (src/domain/README.md, "Availability payment");
 * amounts in yuan, rates as fractions.
 */
export interface AvailabilityInputs {
  /** C: construction cost the government pays for, yuan (by default without its own grants). */
  constructionCost: Dec;
  /** p: reasonable profit rate. */
  profitRate: Dec;
  /** d: annual discount rate of the MoF formula. */
  discountRate: Dec;
  /** k: the annuity method's rate; absent, the profit rate p. */
  annuityRate?: Dec;
  /** N: subsidy period, years. */
  periodYears: number;
}

/**
 * MoF 财金〔2015〕21号 availability payment for year n of the subsidy period:
 * `C × (1 + p) × (1 + d)^n / N + O_n × (1 + p) − U_n`. Unrounded; may be negative (the caller
 * decides whether the government can receive money).
 * @param n year index in the formula (1-based by default; the scenario may start at 0)
 * @param operatingCost O_n, yuan
 * @param userFees U_n, yuan
 */
export function mofAvailabilityPayment(
  inputs: AvailabilityInputs,
  n: number,
  operatingCost: Dec,
  userFees: Dec,
): Dec {
  return withOperations(inputs, mofCapitalPart(inputs, n), operatingCost, userFees);
}

/** The MoF formula's capital part `C × (1 + p) × (1 + d)^n / N`, the same Decimal steps. */
export function mofCapitalPart(inputs: AvailabilityInputs, n: number): Dec {
  const { constructionCost: c, profitRate: p, discountRate: d, periodYears } = inputs;
  return c.times(ONE.plus(p)).times(ONE.plus(d).pow(n)).div(periodYears);
}

/** A capital part plus `O × (1 + p) − U`. */
export function withOperations(
  inputs: AvailabilityInputs,
  capital: Dec,
  operatingCost: Dec,
  userFees: Dec,
): Dec {
  return capital.plus(operatingCost.times(ONE.plus(inputs.profitRate))).minus(userFees);
}

/**
 * Annuity variant used by many contracts: `C·k(1+k)^N / ((1+k)^N − 1) + O × (1 + p) − U`, k the
 * annuity rate (the profit rate unless given; never the MoF formula's discount rate d).
 * With k = 0 the capital part is C / N. Unrounded.
 */
export function annuityAvailabilityPayment(
  inputs: AvailabilityInputs,
  operatingCost: Dec,
  userFees: Dec,
): Dec {
  return withOperations(inputs, annuityCapitalPart(inputs), operatingCost, userFees);
}

/** The annuity variant's capital part `C·k(1+k)^N / ((1+k)^N − 1)` (C / N when k = 0). */
export function annuityCapitalPart(inputs: AvailabilityInputs): Dec {
  const { constructionCost: c, profitRate: p, periodYears: n } = inputs;
  const k = inputs.annuityRate ?? p;
  if (n < 1)
    throw new DomainError('invalid-argument', 'The payment period must be at least one year');
  const growth = ONE.plus(k).pow(n);
  return k.isZero() ? c.div(n) : c.times(k).times(growth).div(growth.minus(1));
}

/**
 * Special-bond coverage ratio (本息覆盖倍数, src/domain/README.md, "Special-bond coverage"): project net income over the bond's
 * life ÷ the bond's principal plus interest. Unrounded; null when there is no debt service.
 */
export function coverageRatio(netIncome: readonly Dec[], debtService: readonly Dec[]): Dec | null {
  const income = netIncome.reduce((a, b) => a.plus(b), new Dec(0));
  const service = debtService.reduce((a, b) => a.plus(b), new Dec(0));
  return service.isZero() ? null : income.div(service);
}
