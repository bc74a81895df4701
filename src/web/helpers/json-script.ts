import Handlebars from 'handlebars';
import { argumentError, isOptions } from './page-context';

const UNSAFE: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON text safe to place inside `<script type="application/json">`: `<`, `>`, `&`, U+2028 and
 * U+2029 are written as \u escapes, so no value can close the script element or open a comment,
 * and the text still parses to the same value.
 * @throws for undefined or a value JSON cannot represent
 */
export function safeJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('a value JSON cannot represent');
  return text.replace(/[<>&\u2028\u2029]/g, (c) => UNSAFE[c] as string);
}

/**
 * `<script type="application/json" id="chart-data">{{jsonScript charts}}</script>`.
 * The only helper that returns unescaped output: its text is JSON with the characters that
 * matter to HTML escaped (see `safeJson`); HTML-escaping it again would corrupt the JSON.
 */
export function jsonScript(value: unknown): Handlebars.SafeString {
  if (value === undefined || isOptions(value)) throw argumentError('jsonScript', 'a value', value);
  return new Handlebars.SafeString(safeJson(value));
}
