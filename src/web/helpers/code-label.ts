import type { HelperOptions } from 'handlebars';
import { translate } from '../i18n';
import { argumentError, pageLang } from './page-context';

/**
 * `{{codeLabel "sector" project.sector}}`: the display name of a code from a closed list
 * (sectors, instruments, pillars ...), i.e. the message `sector.<code>`.
 * @throws for a code the catalogue does not know
 */
export function codeLabel(group: unknown, code: unknown, options: HelperOptions): string {
  if (typeof group !== 'string') throw argumentError('codeLabel', 'a group name', group);
  if (typeof code !== 'string') throw argumentError('codeLabel', `a ${group} code`, code);
  return translate(pageLang(options), `${group}.${code}`);
}
