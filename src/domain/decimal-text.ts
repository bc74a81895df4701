import { z } from 'zod';
import { Dec } from './decimal';

/**
 * Zod building blocks for numbers written as text (files, forms, the API): amounts and rates stay
 * decimal strings so that no binary float ever touches them. One place for their wording, which
 * the web app translates by pattern.
 */

export const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/** Decimal text such as "1234.56" or "-0.5" (no commas, units or exponents). */
export const decimalText = (what: string) =>
  z
    .string({ error: `${what} must be a decimal number written as text, e.g. "1234.56"` })
    .trim()
    .regex(DECIMAL_RE, {
      error: `${what} must be a plain decimal number such as "1234.56" (no commas, units or exponents)`,
    });

/** Reads decimal text that may have failed the format check (zod runs later checks anyway): null then. */
export function readDecimalText(s: string): Dec | null {
  return DECIMAL_RE.test(s.trim()) ? new Dec(s.trim()) : null;
}

/** A non-negative amount in yuan, at most 2 decimal places (fen). */
export const yuanText = (what = 'Amount') =>
  decimalText(what)
    .refine((s) => !s.startsWith('-'), { error: `${what} cannot be negative` })
    .refine((s) => (s.split('.')[1] ?? '').length <= 2, {
      error: `${what} is in yuan and can have at most 2 decimal places (fen)`,
    });

/** A rate as a fraction between `min` and `max`, e.g. "0.0224". */
export const rateText = (what: string, min: string, max: string) =>
  // zod runs refinements even after the regex failed: only judge text that is a decimal.
  decimalText(what).refine(
    (s) => {
      const d = readDecimalText(s);
      return d === null || (d.gte(min) && d.lte(max));
    },
    { error: `${what} must be between ${min} and ${max} (a fraction: 0.05 means 5 %)` },
  );
