import type { HelperOptions } from 'handlebars';
import { formatAmount, UNITS, type Unit } from '../format/number';
import { argumentError, pageUnit } from './page-context';

/**
 * `{{money amount}}`: a yuan amount (decimal text) in the page's unit with separators;
 * `sign=true` writes "+" before positive values, `unit="yuan"` forces a unit.
 * `null` (no figure) renders "—".
 * @throws for undefined or a value that is not decimal text
 */
export function money(value: unknown, options: HelperOptions): string {
  if (value === null) return '—';
  if (value === undefined || (typeof value === 'object' && !('toFixed' in (value as object))))
    throw argumentError('money', 'an amount', value);
  const forced = options.hash?.unit as unknown;
  if (forced !== undefined && !UNITS.includes(forced as Unit))
    throw argumentError('money', 'unit="yuan|wan|yi"', forced);
  return formatAmount(value, (forced as Unit | undefined) ?? pageUnit(options), {
    sign: options.hash?.sign === true,
  });
}
