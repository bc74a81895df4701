import { NotFoundError } from '../../domain/errors';

/**
 * A numeric id from a URL segment. Anything else cannot name a record: 404, like an id that
 * does not exist.
 * @throws NotFoundError
 */
export function idParam(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^\d{1,12}$/.test(value)) throw new NotFoundError(what, String(value));
  return Number(value);
}

/** One text value of a query parameter (the last when repeated), or undefined. */
export function queryText(value: unknown): string | undefined {
  if (Array.isArray(value)) return queryText(value[value.length - 1]);
  return typeof value === 'string' ? value : undefined;
}

/** Who a change made through a form is recorded as when the form leaves the name empty. */
export const DEFAULT_AUTHOR = 'analyst';

/** The author typed into a form, or DEFAULT_AUTHOR when left empty. */
export const formAuthor = (text: string): string => (text.trim() === '' ? DEFAULT_AUTHOR : text);
