import type { HelperOptions } from 'handlebars';
import { formatRatio } from '../format/number';
import { argumentError } from './page-context';

/**
 * `{{ratio dscr}}`: a ratio (decimal text) with 2 places, "1.349999" → "1.35";
 * `sign=true` for deltas; `null` renders "—".
 * @throws for undefined or a value that is not decimal text
 */
export function ratio(value: unknown, options: HelperOptions): string {
  if (value === null) return '—';
  if (value === undefined || typeof value === 'object')
    throw argumentError('ratio', 'a ratio', value);
  return formatRatio(value, { sign: options.hash?.sign === true });
}
