import type { Lang } from '../format/number';
import { en, type MessageKey } from './en';
import { zh } from './zh';

export type { MessageKey } from './en';

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, zh };

/** True when `key` is in the catalogue (for keys built from data, e.g. `sector.${code}`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/**
 * The message for `key` in `lang`, with `{name}` placeholders filled from `params`.
 * @throws Error for a key that is not in the catalogue or a placeholder without a value:
 *   a missing text is a defect to see, not an empty spot on a page.
 */
export function translate(
  lang: Lang,
  key: string,
  params: Record<string, string | number> = {},
): string {
  if (!isMessageKey(key)) throw new Error(`unknown message key "${key}"`);
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`message "${key}" needs a value for {${name}}`);
    return String(value);
  });
}

/** A translator bound to one language. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  return (key, params) => translate(lang, key, params);
}
