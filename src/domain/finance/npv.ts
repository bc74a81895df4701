import { Dec, ONE, ZERO, type DecimalInput } from '../decimal';
import { badArgument, readDatedFlows, readNumber, readValues } from './args';
import { buildPolynomial, evalDecimal } from './polynomial';

const DAYS_PER_YEAR = 365;

/**
 * Excel's NPV(rate, value1, …, valueN): Σ values[i] / (1 + rate)^(i + 1) — the first value is
 * discounted one full period (unlike IRR, whose first flow is undiscounted).
 *
 * Computed in Decimal by Horner's scheme in 1/(1 + rate); not rounded (40 significant digits).
 * Amounts in any one currency unit; the result is in the same unit, signs as given.
 *
 * @param rate discount rate per period as a fraction ("0.1" = 10 %); any value but −1.
 * @param values amounts at the end of periods 1…N (decimal strings, safe integers or Decimals).
 * @throws DomainError `invalid-argument` when rate is −1, values is empty or an argument is not a decimal number.
 */
export function npv(rate: DecimalInput, values: readonly DecimalInput[]): Dec {
  const r = readNumber('rate', rate);
  const v = readValues('values', values);
  const onePlus = ONE.plus(r);
  if (onePlus.isZero()) badArgument('rate', 'cannot be −1 (division by zero)', rate);
  const x = ONE.div(onePlus);
  let acc = ZERO;
  for (let i = v.length - 1; i >= 0; i--) acc = acc.plus(v[i] as Dec).times(x);
  return acc;
}

/**
 * Excel's XNPV(rate, values, dates): Σ values[i] / (1 + rate)^((dates[i] − dates[0]) / 365),
 * actual day counts, 365-day years.
 *
 * Computed in Decimal: z = (1 + rate)^(−1/365) is the one fractional power, every flow is then an
 * integer power of z (its day offset), summed by Horner's scheme over the days. Not rounded
 * (40 significant digits).
 *
 * @param rate annual discount rate as a fraction; must be greater than −1.
 * @param values amounts (decimal strings, safe integers or Decimals), signs as given.
 * @param dates `YYYY-MM-DD`, one per value, in any order but none before the first.
 * @throws DomainError `invalid-argument` when rate ≤ −1, the lists are empty or differ in length,
 *   a date is not a calendar date or precedes the first, or a value is not a decimal number.
 */
export function xnpv(
  rate: DecimalInput,
  values: readonly DecimalInput[],
  dates: readonly string[],
): Dec {
  const r = readNumber('rate', rate);
  const { amounts, days } = readDatedFlows(values, dates);
  if (r.lte(-1)) badArgument('rate', 'must be greater than −1 (−100 %)', rate);
  const p = buildPolynomial(amounts, days, DAYS_PER_YEAR, false);
  if (p.coefs.length === 0) return ZERO;
  const z = r.isZero() ? ONE : ONE.plus(r).pow(new Dec(-1).div(DAYS_PER_YEAR));
  return evalDecimal(p, 'forward', z);
}
