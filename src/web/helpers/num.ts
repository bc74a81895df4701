import type { HelperOptions } from 'handlebars';
import { formatNumber } from '../format/number';
import { argumentError } from './page-context';

/**
 * `{{num volume}}`: a plain number (decimal text or an integer) with thousands separators;
 * `dp=1` rounds half-up to that many places; `null` renders "—".
 * @throws for undefined or a value that is not a number
 */
export function num(value: unknown, options: HelperOptions): string {
  if (value === null) return '—';
  if (value === undefined || typeof value === 'object')
    throw argumentError('num', 'a number', value);
  const dp = options.hash?.dp as unknown;
  if (dp !== undefined && (typeof dp !== 'number' || !Number.isInteger(dp)))
    throw argumentError('num', 'dp=<integer>', dp);
  // Paybacks are floats of years (not money); they are read through their decimal text.
  const text = typeof value === 'number' && !Number.isSafeInteger(value) ? String(value) : value;
  return formatNumber(text, { dp: dp as number | undefined });
}
