import type { HelperOptions } from 'handlebars';
import { LANGS, UNITS, type Lang, type Unit } from '../format/number';

/** The language and unit a page is rendered in: set on the root context by the page renderer. */
export function pageLang(options: HelperOptions): Lang {
  const lang = (options.data?.root as { lang?: unknown } | undefined)?.lang;
  if (!LANGS.includes(lang as Lang))
    throw new Error(`the page has no language (root.lang = ${JSON.stringify(lang)})`);
  return lang as Lang;
}

export function pageUnit(options: HelperOptions): Unit {
  const unit = (options.data?.root as { unit?: unknown } | undefined)?.unit;
  if (!UNITS.includes(unit as Unit))
    throw new Error(`the page has no unit (root.unit = ${JSON.stringify(unit)})`);
  return unit as Unit;
}

/** Handlebars passes the options object last; a helper called with too few arguments gets it early. */
export function isOptions(x: unknown): x is HelperOptions {
  return typeof x === 'object' && x !== null && 'hash' in x && 'data' in x;
}

export function argumentError(helper: string, expected: string, got: unknown): Error {
  return new TypeError(
    `{{${helper}}} expects ${expected}, got ${isOptions(got) ? 'nothing' : JSON.stringify(got)}`,
  );
}
