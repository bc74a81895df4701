import { argumentError, isOptions } from './page-context';

/** `{{#if (eq a b)}}`: strict equality of two values (both must be given). */
export function eq(a: unknown, b: unknown): boolean {
  if (isOptions(a) || isOptions(b)) throw argumentError('eq', 'two values', isOptions(a) ? a : b);
  return a === b;
}
