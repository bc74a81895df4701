import { NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors';
import { checkText, type TextKind } from '../../domain/text';
import { ConflictError } from '../../store/errors';
import type { Lang } from '../format/number';
import { localizeIssue } from '../i18n/issues';

/**
 * A numeric id from a URL segment. Anything else cannot name a record: 404, like an id that
 * does not exist.
 * @throws NotFoundError
 */
export function idParam(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^\d{1,12}$/.test(value))
    throw new NotFoundError(what, String(value));
  return Number(value);
}

/** One text value of a query parameter (the last when repeated), or undefined. */
export function queryText(value: unknown): string | undefined {
  if (Array.isArray(value)) return queryText(value[value.length - 1]);
  return typeof value === 'string' ? value : undefined;
}

/** A query parameter to read as text: its name, its subject in messages and its kind. */
export interface QueryTextSpec {
  name: string;
  what: string;
  kind?: TextKind;
}

/**
 * The text values of query parameters (the last of each when repeated; undefined when absent),
 * under the text rule (src/domain/text.ts): every refused parameter is reported at once, at its
 * name (`author`, `switch[1]`).
 * @throws ValidationError (422)
 */
export function checkedQuery(
  query: Record<string, unknown>,
  specs: readonly QueryTextSpec[],
): Record<string, string | undefined> {
  const issues: FieldIssue[] = [];
  const out: Record<string, string | undefined> = {};
  for (const { name, what, kind = 'single-line' } of specs) {
    const raw = query[name];
    const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
    list.forEach((item, i) => {
      const message = typeof item === 'string' ? checkText(what, item, kind) : null;
      if (message) issues.push({ path: Array.isArray(raw) ? `${name}[${i}]` : name, message });
    });
    out[name] = queryText(raw);
  }
  if (issues.length > 0) throw new ValidationError(issues, 'The query is not valid');
  return out;
}

/** Who a change made through a form is recorded as when the form leaves the name empty. */
export const DEFAULT_AUTHOR = 'analyst';

/** The author typed into a form, or DEFAULT_AUTHOR when left empty. */
export const formAuthor = (text: string): string => (text.trim() === '' ? DEFAULT_AUTHOR : text);

/** How a form page answers a write the store refused. */
export type FormRefusal = { status: 422; issues: FieldIssue[] } | { status: 409; notice: string };

/**
 * What a form shows when the store refuses a write: 422 with every issue (ValidationError), or
 * 409 with the conflict's message in the page's language (ConflictError).
 * @throws anything else, unchanged
 */
export function formRefusal(err: unknown, lang: Lang): FormRefusal {
  if (err instanceof ValidationError) return { status: 422, issues: err.issues };
  if (err instanceof ConflictError)
    return { status: 409, notice: localizeIssue(err.message, lang) };
  throw err;
}
