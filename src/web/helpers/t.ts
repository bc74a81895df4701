import type { HelperOptions } from 'handlebars';
import { translate } from '../i18n';
import { argumentError, isOptions, pageLang } from './page-context';

/**
 * `{{t "nav.dashboard"}}`, `{{t "common.years" n=5}}`: a message in the page's language.
 * @throws for a missing or unknown key (a typo must fail loudly, not render blank)
 */
export function t(key: unknown, options: HelperOptions): string {
  if (typeof key !== 'string' || isOptions(key)) throw argumentError('t', 'a message key', key);
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(options.hash ?? {})) {
    if (typeof v !== 'string' && typeof v !== 'number')
      throw argumentError('t', `a text or number for ${k}`, v);
    params[k] = v;
  }
  return translate(pageLang(options), key, params);
}
