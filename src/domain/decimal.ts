import DecimalJs from 'decimal.js';

/**
 * The one Decimal constructor FundMix uses for money and rates.
 *
 * 40 significant digits keep every intermediate of a 50-year ledger exact to far below a fen;
 * the default rounding is half-up (四舍五入), the convention of Chinese financial statements.
 * Never call the global `Decimal.set`: other code in the process may rely on its defaults.
 */
export const Dec = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Dec = DecimalJs;

/** Something that can be read as a Decimal: a decimal string, an integer or a Decimal. */
export type DecimalInput = string | number | DecimalJs;

export const ZERO = new Dec(0);
export const ONE = new Dec(1);
export const HALF = new Dec('0.5');

/** The larger of two Decimals (the argument itself, no copy: `Decimal.max` constructs new ones). */
export function maxDec(a: Dec, b: Dec): Dec {
  return a.gte(b) ? a : b;
}

/** The smaller of two Decimals (the argument itself, no copy). */
export function minDec(a: Dec, b: Dec): Dec {
  return a.lte(b) ? a : b;
}

/** Rounding modes named where they are used, so each rounding point says how it rounds. */
export const Rounding = {
  halfUp: DecimalJs.ROUND_HALF_UP,
  halfEven: DecimalJs.ROUND_HALF_EVEN,
  down: DecimalJs.ROUND_DOWN,
} as const;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads a value as a Decimal.
 * Numbers are accepted only when they are safe integers: a binary fraction must never become money.
 * @throws TypeError when the value is not a decimal string, a safe integer or a Decimal.
 */
export function toDec(value: DecimalInput): Dec {
  if (Dec.isDecimal(value)) {
    // A Decimal from another clone (or the global constructor) is re-read in ours.
    return value instanceof Dec ? value : new Dec((value as DecimalJs).toString());
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return new Dec(value);
    throw new TypeError(`expected a decimal string, got the binary number ${value}`);
  }
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return new Dec(value.trim());
  throw new TypeError(`expected a decimal number, got ${JSON.stringify(value)}`);
}

/** Rounds to fen (0.01 yuan) half-up: the rounding point for posting amounts and for display. */
export function toFen(value: Dec): Dec {
  return value.toDecimalPlaces(2, Rounding.halfUp);
}

/** Sum of Decimals, exact. */
export function sum(values: readonly Dec[]): Dec {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
