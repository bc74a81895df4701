import { Dec, Rounding } from '../../domain/decimal';

/** Display units for money. Amounts are stored in yuan; only display divides. */
export const UNITS = ['yuan', 'wan', 'yi'] as const;
export type Unit = (typeof UNITS)[number];

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const SCALE: Record<Unit, InstanceType<typeof Dec>> = {
  yuan: new Dec(1),
  wan: new Dec(10_000),
  yi: new Dec(100_000_000),
};

/** Decimal places shown per unit: fen for 元 and 万元; 4 places for 亿元 keep 万元 precision. */
export const UNIT_DECIMALS: Record<Unit, number> = { yuan: 2, wan: 2, yi: 4 };

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** A value read for display: decimal text (as stored) or a Decimal. */
export type DecimalLike = string | InstanceType<typeof Dec>;

/**
 * Reads a stored decimal for display.
 * @throws TypeError when the value is neither decimal text nor a Decimal (never a binary float).
 */
export function readDecimal(value: unknown): InstanceType<typeof Dec> {
  if (Dec.isDecimal(value)) return new Dec((value as InstanceType<typeof Dec>).toString());
  if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return new Dec(value);
  throw new TypeError(`expected decimal text, got ${JSON.stringify(value)}`);
}

/** Puts thousands separators into fixed-point text: "-1234567.80" → "-1,234,567.80". */
export function groupThousands(fixed: string): string {
  const [intPart = '', frac] = fixed.split('.');
  const sign = intPart.startsWith('-') ? '-' : '';
  const digits = sign ? intPart.slice(1) : intPart;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** Fixed-point text rounded half-up, without a minus sign on a value that rounds to zero. */
function fixed(d: InstanceType<typeof Dec>, dp: number): string {
  const text = d.toFixed(dp, Rounding.halfUp);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

function signed(text: string, value: InstanceType<typeof Dec>, sign: boolean): string {
  return sign && value.gt(0) && !/^0(\.0*)?$/.test(text) ? `+${text}` : text;
}

const SHIFT: Record<Unit, number> = { yuan: 0, wan: 4, yi: 8 };

/** Adds one to a string of digits ("0999" → "1000"). */
function incrementDigits(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

/**
 * Decimal text divided by 10^shift and rounded half-up (away from zero at .5) to `dp` places,
 * by moving the decimal point in the text: exact like Decimal division by a power of ten, and
 * several times faster (a 40-year ledger page formats thousands of cells).
 */
export function shiftedFixed(text: string, shift: number, dp: number): string {
  const negative = text.startsWith('-');
  const [intPart = '0', fracPart = ''] = (negative ? text.slice(1) : text).split('.');
  let digits = intPart + fracPart;
  let point = intPart.length - shift;
  if (point < 1) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  const frac = digits.slice(point).padEnd(dp + 1, '0');
  let kept = digits.slice(0, point) + frac.slice(0, dp);
  if ((frac[dp] ?? '0') >= '5') kept = incrementDigits(kept);
  const intDigits = kept.slice(0, kept.length - dp).replace(/^0+(?=\d)/, '') || '0';
  const result = dp > 0 ? `${intDigits}.${kept.slice(kept.length - dp)}` : intDigits;
  return negative && /[1-9]/.test(result) ? `-${result}` : result;
}

/**
 * An amount in yuan shown in the chosen unit, exactly (the decimal point moved, half-up at the
 * shown places), with thousands separators: formatAmount("123456789.5", "wan") → "12,345.68".
 * @param sign put "+" before positive amounts (deltas)
 * @throws TypeError for a value that is not decimal text or a Decimal
 */
export function formatAmount(
  value: unknown,
  unit: Unit,
  opts: { sign?: boolean; dp?: number } = {},
): string {
  const text =
    typeof value === 'string' && DECIMAL_TEXT.test(value) ? value : readDecimal(value).toFixed();
  const out = groupThousands(shiftedFixed(text, SHIFT[unit], opts.dp ?? UNIT_DECIMALS[unit]));
  return opts.sign === true && !out.startsWith('-') && /[1-9]/.test(out) ? `+${out}` : out;
}

/** The amount in the chosen unit as a float, for charts only (a picture, never a figure). */
export function amountForChart(value: unknown, unit: Unit): number {
  return readDecimal(value).div(SCALE[unit]).toDecimalPlaces(6, Rounding.halfUp).toNumber();
}

/**
 * A fraction shown as a percentage: "0.0571514" → "5.72%". Both languages write percentages the
 * same way (zh-CN and en use "5.72%"), but the language is taken so a locale can differ later.
 */
export function formatPercent(
  value: unknown,
  _lang: Lang,
  opts: { dp?: number; sign?: boolean } = {},
): string {
  const d = readDecimal(value).times(100);
  const text = fixed(d, opts.dp ?? 2);
  return `${signed(groupThousands(text), d, opts.sign === true)}%`;
}

/** A ratio (DSCR, LLCR, coverage): "1.350000" → "1.35". */
export function formatRatio(value: unknown, opts: { dp?: number; sign?: boolean } = {}): string {
  const d = readDecimal(value);
  return signed(groupThousands(fixed(d, opts.dp ?? 2)), d, opts.sign === true);
}

/** A plain number (volumes, years) with separators; integers stay integers. */
export function formatNumber(value: unknown, opts: { dp?: number } = {}): string {
  const d =
    typeof value === 'number' && Number.isSafeInteger(value) ? new Dec(value) : readDecimal(value);
  return groupThousands(opts.dp === undefined ? d.toFixed() : fixed(d, opts.dp));
}
