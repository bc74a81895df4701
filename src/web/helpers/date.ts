import type { HelperOptions } from 'handlebars';
import { formatDate } from '../format/date';
import { pageLang } from './page-context';

/**
 * `{{date project.approvalDate}}`: a YYYY-MM-DD date for the page's language
 * (zh "2025年3月1日", en "1 Mar 2025"); `null` renders "—".
 * @throws for anything that is not a real date
 */
export function date(value: unknown, options: HelperOptions): string {
  if (value === null) return '—';
  return formatDate(value, pageLang(options));
}
