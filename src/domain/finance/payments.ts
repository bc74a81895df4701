import { Dec, ONE, type DecimalInput } from '../decimal';
import { badArgument, readNumber, readPaymentType } from './args';

/**
 * Level-payment annuities with Excel's argument order and sign convention: money received is
 * positive, money paid out negative, so a loan received (pv > 0) has negative payments.
 * Everything is computed in Decimal and returned unrounded (40 significant digits); round at the
 * point of use (e.g. `toFen`).
 */

/** (1 + rate)^n: integer n by repeated squaring (exact to working precision), otherwise a Decimal power. */
function growth(rate: Dec, n: Dec, name: string): Dec {
  const base = ONE.plus(rate);
  if (n.isInteger()) return base.pow(n);
  if (!base.isPositive()) badArgument(name, 'must be a whole number when rate ≤ −1', n.toString());
  return base.pow(n);
}

function pmtOf(rate: Dec, nper: Dec, pv: Dec, fv: Dec, type: 0 | 1): Dec {
  if (nper.isZero()) badArgument('nper', 'cannot be 0');
  if (rate.isZero()) return pv.plus(fv).neg().div(nper);
  const g = growth(rate, nper, 'nper');
  const denom = (type === 1 ? ONE.plus(rate) : ONE).times(g.minus(1));
  if (denom.isZero())
    badArgument('rate', 'gives a zero annuity factor (division by zero)', rate.toString());
  return rate.times(pv.times(g).plus(fv)).neg().div(denom);
}

/** Excel's FV for whole-period balances: −(pv·(1+r)^n + pmt·(1 + r·type)·((1+r)^n − 1)/r). */
function fvOf(rate: Dec, n: Dec, pmt: Dec, pv: Dec, type: 0 | 1): Dec {
  if (rate.isZero()) return pv.plus(pmt.times(n)).neg();
  const g = growth(rate, n, 'per');
  const due = type === 1 ? ONE.plus(rate) : ONE;
  return pv
    .times(g)
    .plus(pmt.times(due).times(g.minus(1)).div(rate))
    .neg();
}

interface PaymentArgs {
  rate: Dec;
  nper: Dec;
  pv: Dec;
  fv: Dec;
  type: 0 | 1;
}

function readArgs(
  rate: DecimalInput,
  nper: DecimalInput,
  pv: DecimalInput,
  fv: DecimalInput,
  type: DecimalInput,
): PaymentArgs {
  return {
    rate: readNumber('rate', rate),
    nper: readNumber('nper', nper),
    pv: readNumber('pv', pv),
    fv: readNumber('fv', fv),
    type: readPaymentType(type),
  };
}

/**
 * Excel's PMT(rate, nper, pv, [fv], [type]): the level payment per period that turns a present value
 * `pv` into a future value `fv` over `nper` periods.
 *
 * @param rate interest rate per period as a fraction (e.g. "0.00666…" for 8 %/12).
 * @param nper number of periods; any non-zero number (whole numbers use exact integer powers).
 * @param pv present value; positive when received (a loan taken), per Excel's sign convention.
 * @param fv future value left after the last payment; default 0.
 * @param type 0 (default) = payments at the end of each period, 1 = at the start.
 * @returns the payment per period, opposite in sign to pv + fv, unrounded.
 * @throws DomainError `invalid-argument` when an argument is not a decimal number, nper is 0,
 *   type is not 0 or 1, or the annuity factor is zero.
 */
export function pmt(
  rate: DecimalInput,
  nper: DecimalInput,
  pv: DecimalInput,
  fv: DecimalInput = 0,
  type: DecimalInput = 0,
): Dec {
  const a = readArgs(rate, nper, pv, fv, type);
  return pmtOf(a.rate, a.nper, a.pv, a.fv, a.type);
}

function ipmtOf(a: PaymentArgs, per: Dec): Dec {
  if (per.lt(1) || per.gt(a.nper))
    badArgument('per', `must lie between 1 and nper (${a.nper.toString()})`, per.toString());
  const payment = pmtOf(a.rate, a.nper, a.pv, a.fv, a.type);
  let balance: Dec;
  if (per.eq(1)) balance = a.type === 1 ? new Dec(0) : a.pv.neg();
  else if (a.type === 1) balance = fvOf(a.rate, per.minus(2), payment, a.pv, 1).minus(payment);
  else balance = fvOf(a.rate, per.minus(1), payment, a.pv, 0);
  return balance.times(a.rate);
}

/**
 * Excel's IPMT(rate, per, nper, pv, [fv], [type]): the interest part of the payment in period `per`.
 * With type 1 the first period's interest is 0 (the first payment is made before any interest accrues).
 *
 * @param rate interest rate per period as a fraction.
 * @param per the period, 1 … nper.
 * @param nper number of periods.
 * @param pv present value, positive when received.
 * @param fv future value; default 0.
 * @param type 0 (default) end of period, 1 start of period.
 * @returns the interest in period `per`, with the sign of the payment (negative for a loan taken), unrounded.
 * @throws DomainError `invalid-argument` when per is outside 1 … nper or another argument is invalid (see {@link pmt}).
 */
export function ipmt(
  rate: DecimalInput,
  per: DecimalInput,
  nper: DecimalInput,
  pv: DecimalInput,
  fv: DecimalInput = 0,
  type: DecimalInput = 0,
): Dec {
  return ipmtOf(readArgs(rate, nper, pv, fv, type), readNumber('per', per));
}

/**
 * Excel's PPMT(rate, per, nper, pv, [fv], [type]): the principal part of the payment in period `per`,
 * PMT − IPMT, so IPMT + PPMT = PMT in every period and, with fv = 0, the PPMTs of all periods sum to −pv.
 *
 * @param rate interest rate per period as a fraction.
 * @param per the period, 1 … nper.
 * @param nper number of periods.
 * @param pv present value, positive when received.
 * @param fv future value; default 0.
 * @param type 0 (default) end of period, 1 start of period.
 * @returns the principal repaid in period `per`, with the sign of the payment, unrounded.
 * @throws DomainError `invalid-argument` when per is outside 1 … nper or another argument is invalid (see {@link pmt}).
 */
export function ppmt(
  rate: DecimalInput,
  per: DecimalInput,
  nper: DecimalInput,
  pv: DecimalInput,
  fv: DecimalInput = 0,
  type: DecimalInput = 0,
): Dec {
  const a = readArgs(rate, nper, pv, fv, type);
  const p = readNumber('per', per);
  return pmtOf(a.rate, a.nper, a.pv, a.fv, a.type).minus(ipmtOf(a, p));
}
