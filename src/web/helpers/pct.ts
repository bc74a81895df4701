import type { HelperOptions } from 'handlebars';
import { formatPercent } from '../format/number';
import { argumentError, pageLang } from './page-context';

/**
 * `{{pct rate}}`: a fraction (decimal text) as a percentage, "0.0571" → "5.71%".
 * `dp=1` sets the places, `sign=true` writes "+" before positive values; `null` renders "—".
 * @throws for undefined or a value that is not decimal text
 */
export function pct(value: unknown, options: HelperOptions): string {
  if (value === null) return '—';
  if (value === undefined || typeof value === 'object')
    throw argumentError('pct', 'a fraction', value);
  const dp = options.hash?.dp as unknown;
  if (dp !== undefined && (typeof dp !== 'number' || !Number.isInteger(dp)))
    throw argumentError('pct', 'dp=<integer>', dp);
  return formatPercent(value, pageLang(options), {
    dp: dp as number | undefined,
    sign: options.hash?.sign === true,
  });
}
