import type { HelperOptions } from 'handlebars';
import { formatDateTime } from '../format/date';
import { pageLang } from './page-context';

/**
 * `{{datetime version.createdAt}}`: an ISO timestamp in China time for the page's language
 * (zh "2025年3月1日 14:05", en "1 Mar 2025, 14:05"); `null` renders "—".
 * @throws for anything that is not a timestamp
 */
export function datetime(value: unknown, options: HelperOptions): string {
  if (value === null) return '—';
  return formatDateTime(value, pageLang(options));
}
