import { Dec, toDec, type DecimalInput } from '../decimal';
import { DomainError } from '../errors';
import { partsOfDec, partsOfText, type DecParts } from './exact';

/**
 * Argument readers shared by the financial functions. Every bad argument becomes a
 * `DomainError` with code `invalid-argument` naming the argument, so a caller can show
 * which input was wrong instead of a bare TypeError.
 */

/** Code of every argument error thrown by the financial functions. */
export const INVALID_ARGUMENT = 'invalid-argument';

/** Throws the `invalid-argument` DomainError for `name`. */
export function badArgument(name: string, message: string, value?: unknown): never {
  throw new DomainError(
    INVALID_ARGUMENT,
    `${name}: ${message}`,
    value === undefined ? { argument: name } : { argument: name, value },
  );
}

/**
 * Reads one numeric argument (decimal string, safe integer or Decimal) as a finite Decimal.
 * @throws DomainError `invalid-argument` when it is not a decimal number.
 */
export function readNumber(name: string, value: DecimalInput): Dec {
  let d: Dec;
  try {
    d = toDec(value);
  } catch (e) {
    return badArgument(name, e instanceof Error ? e.message : 'not a decimal number', value);
  }
  if (!d.isFinite()) badArgument(name, 'must be a finite number', value);
  return d;
}

/**
 * Reads a list of cash flows.
 * @throws DomainError `invalid-argument` when the list is empty or an element is not a decimal number.
 */
export function readValues(name: string, values: readonly DecimalInput[]): Dec[] {
  if (!Array.isArray(values) || values.length === 0)
    badArgument(name, 'must be a non-empty list of amounts', values);
  const out = new Array<Dec>(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = readNumber(`${name}[${i}]`, values[i] as DecimalInput);
  return out;
}

/**
 * Reads a list of cash flows as exact parts (coef × 10^exp), accepting and rejecting exactly what
 * {@link readValues} does. Decimal text is split into its digits directly, without building a Decimal;
 * `decOf(i)` gives flow i as a Decimal when one is needed after all.
 * @throws DomainError `invalid-argument` when the list is empty or an element is not a decimal number.
 */
export function readValueParts(
  name: string,
  values: readonly DecimalInput[],
): { parts: DecParts[]; decOf: (i: number) => Dec } {
  if (!Array.isArray(values) || values.length === 0)
    badArgument(name, 'must be a non-empty list of amounts', values);
  const parts = new Array<DecParts>(values.length);
  const decs: Array<Dec | undefined> = new Array<Dec | undefined>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as DecimalInput;
    const fast = typeof v === 'string' ? partsOfText(v.trim()) : null;
    if (fast !== null) {
      parts[i] = fast;
    } else {
      const d = readNumber(`${name}[${i}]`, v);
      decs[i] = d;
      parts[i] = partsOfDec(d);
    }
  }
  const decOf = (i: number): Dec => {
    let d = decs[i];
    if (d === undefined) {
      const p = parts[i] as DecParts;
      d = new Dec(`${p.coef}e${p.exp}`);
      decs[i] = d;
    }
    return d;
  };
  return { parts, decOf };
}

/**
 * Reads the `type` argument of PMT/IPMT/PPMT: 0 = payment at the end of each period, 1 = at the start.
 * @throws DomainError `invalid-argument` for anything but 0 or 1.
 */
export function readPaymentType(value: DecimalInput): 0 | 1 {
  const d = readNumber('type', value);
  if (d.eq(0)) return 0;
  if (d.eq(1)) return 1;
  return badArgument('type', 'must be 0 (end of period) or 1 (start of period)', value);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * Reads a `YYYY-MM-DD` calendar date as a day number (days since 1970-01-01, proleptic Gregorian).
 * @throws DomainError `invalid-argument` when the text is not a real calendar date.
 */
export function readDay(name: string, text: unknown): number {
  const m = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (!m) return badArgument(name, 'must be a date written YYYY-MM-DD', text);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (
    month < 1 ||
    month > 12 ||
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day
  ) {
    badArgument(name, 'is not a calendar date', text);
  }
  return Math.round(ms / MS_PER_DAY);
}

/**
 * Reads dated flows for XNPV/XIRR: the day offset of every flow from the first date
 * (actual day count), as Excel does. Dates may come in any order after the first one.
 * @throws DomainError `invalid-argument` when the lists differ in length, are empty, a date is
 *   malformed or a date precedes the first date.
 */
export function readDatedFlows(
  values: readonly DecimalInput[],
  dates: readonly string[],
): { amounts: Dec[]; days: number[] } {
  const amounts = readValues('values', values);
  if (!Array.isArray(dates) || dates.length !== amounts.length) {
    badArgument('dates', `must have one date per value (${amounts.length})`, dates);
  }
  const first = readDay('dates[0]', dates[0]);
  const days = new Array<number>(dates.length);
  for (let i = 0; i < dates.length; i++) {
    const d = i === 0 ? first : readDay(`dates[${i}]`, dates[i]);
    if (d < first)
      badArgument(`dates[${i}]`, `precedes the first date ${String(dates[0])}`, dates[i]);
    days[i] = d - first;
  }
  return { amounts, days };
}
