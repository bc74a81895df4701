import { Dec, type DecimalInput } from '../decimal';
import { decOf, type Fen } from '../fen';
import { DomainError } from '../errors';
import { badArgument, readDatedFlows, readNumber, readValueParts, readValues } from './args';
import { partsOfDec, type DecParts } from './exact';
import { buildPolynomial, periodPolynomial } from './polynomial';
import { solveRatePolynomial, type IrrResult } from './rate-solver';

export type { IrrResult } from './rate-solver';

/** Code of the DomainError thrown when no rate in (−1, ∞) makes the NPV zero. */
export const NO_SOLUTION = 'no-solution';

const DEFAULT_GUESS = new Dec('0.1');
const DAYS_PER_YEAR = 365;

function readGuess(guess: DecimalInput | undefined): Dec {
  if (guess === undefined) return DEFAULT_GUESS;
  const g = readNumber('guess', guess);
  if (g.lte(-1)) badArgument('guess', 'must be greater than −1 (−100 %)', guess);
  return g;
}

function checkFinite(values: readonly Dec[]): void {
  if (!Array.isArray(values) || values.length === 0)
    badArgument('values', 'must be a non-empty list of amounts', values);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as Dec;
    if (!Dec.isDecimal(v) || !v.isFinite())
      badArgument(`values[${i}]`, 'must be a finite Decimal', v);
  }
}

/**
 * Internal rate of return of periodic flows, with everything the engine needs to report it honestly.
 *
 * `values[0]` is undiscounted, `values[i]` is discounted i periods (Excel's IRR); amounts in any one
 * currency unit, signs as seen by the holder (outflows negative). The rate is a fraction per period.
 * Roots are searched in (−1, ∞) only: a rate of −100 % or less is never returned, and all-same-sign
 * (or all-zero) flows give `status: 'no-solution'`. Found in floats, then confirmed exactly in integer
 * arithmetic (the flows over a common power of ten, 1/(1 + r) an exact ratio), which is stricter than
 * a Decimal confirmation: the NPV at the returned, rounded rate is within tolerance of the flows' size.
 * See {@link IrrResult} for the fields and rounding.
 *
 * @param values cash flows per period, as Decimals.
 * @param guess where to start, and which root `rate` is when several exist (nearest to it); default 0.1.
 * @throws DomainError `invalid-argument` when values is empty or holds a non-finite Decimal, when the
 *   guess is not greater than −1, or when an amount is beyond 1e300 in magnitude.
 */
export function solveIrr(values: readonly Dec[], guess?: DecimalInput): IrrResult {
  // Checked and read in one pass: the flows are Decimals already, their digits are read directly.
  if (!Array.isArray(values) || values.length === 0)
    badArgument('values', 'must be a non-empty list of amounts', values);
  const parts = new Array<DecParts>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as Dec;
    if (!Dec.isDecimal(v) || !v.isFinite())
      badArgument(`values[${i}]`, 'must be a finite Decimal', v);
    parts[i] = partsOfDec(v);
  }
  const g = readGuess(guess);
  return solveRatePolynomial(
    periodPolynomial(parts, (i) => values[i] as Dec),
    g,
  );
}

/**
 * `solveIrr` for amounts in integer fen, the engine's posting unit: the same solver and exact
 * confirmation, read straight from the integers instead of through Decimals.
 * @param valuesFen safe integers, fen (0.01 yuan) per period
 * @throws DomainError `invalid-argument` when the list is empty or holds a value that is not a safe integer
 */
export function solveIrrFen(valuesFen: readonly Fen[], guess?: DecimalInput): IrrResult {
  if (valuesFen.length === 0)
    badArgument('values', 'must be a non-empty list of amounts', valuesFen);
  const parts = valuesFen.map((v, i): DecParts => {
    if (!Number.isSafeInteger(v)) badArgument(`values[${i}]`, 'must be a whole number of fen', v);
    return { coef: BigInt(v), exp: -2, f: v / 100, c: v };
  });
  return solveRatePolynomial(
    periodPolynomial(parts, (i) => decOf(valuesFen[i] as Fen)),
    readGuess(guess),
  );
}

/**
 * Annual internal rate of return of dated flows (Excel's XIRR): the rate r for which
 * Σ values[i] / (1 + r)^((dates[i] − dates[0]) / 365) = 0, with actual day counts.
 *
 * Dates are `YYYY-MM-DD`; they may be in any order but none may precede `dates[0]`. Flows on the
 * same day are netted before counting sign changes. Found in floats in z = (1+r)^(−1/365), where every
 * power is an integer number of days, and confirmed in Decimal the same way. See {@link IrrResult}.
 *
 * @throws DomainError `invalid-argument` when the lists are empty or differ in length, a date is not a
 *   calendar date or precedes the first, a value is not finite, or the guess is not greater than −1.
 */
export function solveXirr(
  values: readonly Dec[],
  dates: readonly string[],
  guess?: DecimalInput,
): IrrResult {
  checkFinite(values);
  const { days } = readDatedFlows(values, dates);
  const g = readGuess(guess);
  return solveRatePolynomial(buildPolynomial(values, days, DAYS_PER_YEAR, true), g);
}

function rateOrThrow(r: IrrResult, what: string): Dec {
  if (r.status === 'ok' && r.rate !== null) return r.rate;
  const why =
    r.signChanges === 0 ? 'the flows never change sign' : 'no rate above −100 % makes the NPV zero';
  throw new DomainError(NO_SOLUTION, `${what} has no solution: ${why}`, {
    signChanges: r.signChanges,
  });
}

/**
 * Excel's IRR(values, [guess]): the rate per period at which the NPV of the flows is zero, the first
 * flow undiscounted. When several rates qualify, the one nearest the guess (default 0.1).
 *
 * @param values cash flows per period (decimal strings, safe integers or Decimals), outflows negative.
 * @param guess starting point and tie-breaker; must be greater than −1.
 * @returns the rate as a fraction per period, in (−1, ∞), rounded half-up to 15 significant digits
 *   (of 1 + rate for rates below about −90 %, see {@link IrrResult}).
 * @throws DomainError `no-solution` when no rate in (−1, ∞) solves it (e.g. all flows of one sign).
 * @throws DomainError `invalid-argument` for an empty list, a non-decimal value or a guess ≤ −1.
 */
export function irr(values: readonly DecimalInput[], guess?: DecimalInput): Dec {
  // Text is read straight into exact parts: parsing every flow into a Decimal first would cost more
  // than the whole solve.
  const { parts, decOf } = readValueParts('values', values);
  const g = readGuess(guess);
  return rateOrThrow(solveRatePolynomial(periodPolynomial(parts, decOf), g), 'IRR');
}

/**
 * Excel's XIRR(values, dates, [guess]): the annual rate at which the XNPV of the dated flows is zero
 * (365-day years, actual day counts from the first date). When several rates qualify, the one nearest
 * the guess (default 0.1).
 *
 * @param values amounts (decimal strings, safe integers or Decimals), outflows negative.
 * @param dates `YYYY-MM-DD`, one per value, none before the first.
 * @returns the annual rate as a fraction, in (−1, ∞), rounded like {@link irr}.
 * @throws DomainError `no-solution` when no rate in (−1, ∞) solves it.
 * @throws DomainError `invalid-argument` for mismatched lists, bad dates or values, or a guess ≤ −1.
 */
export function xirr(
  values: readonly DecimalInput[],
  dates: readonly string[],
  guess?: DecimalInput,
): Dec {
  return rateOrThrow(solveXirr(readValues('values', values), dates, guess), 'XIRR');
}
