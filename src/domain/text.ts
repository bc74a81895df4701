import { z } from 'zod';

/**
 * The one rule for text that people enter (scenario files, fiscal settings, forms, API query
 * and body, command-line arguments and environment, imported histories and portfolio files).
 *
 * Refused everywhere: the C0 control characters U+0000–U+001F except tab, DEL U+007F and the
 * C1 controls U+0080–U+009F (invisible, and a NUL makes SQLite's `length()` disagree with
 * JavaScript's); unpaired surrogates (not Unicode text: they cannot be stored as UTF-8 as given);
 * and the bidirectional embedding, override and isolate controls U+202A–U+202E, U+2066–U+2069
 * (they make a name display differently from what is stored). Line breaks (LF, CR, U+2028,
 * U+2029) are allowed only in multi-line fields (descriptions, comments). Tab is allowed
 * everywhere. Format characters that real text needs (zero-width joiners, LRM/RLM marks) stay.
 */

/** `single-line`: names, codes, authors; `multi-line`: descriptions and comments. */
export type TextKind = 'single-line' | 'multi-line';

/** What is wrong with a character: which rule it breaks. */
export type TextProblemKind = 'control' | 'line-break' | 'surrogate' | 'bidi';

/** The first character a text may not hold. */
export interface TextProblem {
  kind: TextProblemKind;
  /** The character's code point (the code unit for an unpaired surrogate). */
  codePoint: number;
  /** 1-based position in characters (code points) of the text as given, before any trimming. */
  position: number;
}

const isLineBreak = (cp: number) => cp === 0x0a || cp === 0x0d || cp === 0x2028 || cp === 0x2029;
const isControl = (cp: number) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
const isBidiControl = (cp: number) =>
  (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
const isSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;

/** Quick pre-check so that ordinary text costs one regular expression test. */
const SUSPECT =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

/**
 * The first character of `text` that the rule above refuses in a field of `kind`, or null.
 * Iterates by code point, so a well-formed surrogate pair (an emoji, a rare CJK character) is
 * one character and passes.
 */
export function findTextProblem(text: string, kind: TextKind): TextProblem | null {
  if (!SUSPECT.test(text)) return null;
  let position = 0;
  for (const ch of text) {
    position++;
    const cp = ch.codePointAt(0) as number;
    if (cp === 0x09) continue;
    if (isLineBreak(cp)) {
      if (kind === 'multi-line') continue;
      return { kind: 'line-break', codePoint: cp, position };
    }
    if (isControl(cp)) return { kind: 'control', codePoint: cp, position };
    if (isBidiControl(cp)) return { kind: 'bidi', codePoint: cp, position };
    if (isSurrogate(cp)) return { kind: 'surrogate', codePoint: cp, position };
  }
  return null;
}

/** `U+0000`: a code point as Unicode writes it. */
export const codePointLabel = (cp: number): string =>
  `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The message for a problem, naming the subject: "Project name contains a control character
 * (U+0000) at position 1; only tab is allowed in a one-line field". The web app translates it
 * by pattern (src/web/i18n/issues.ts), so keep the wording in step with the patterns there.
 */
export function textProblemMessage(what: string, kind: TextKind, p: TextProblem): string {
  const at = `(${codePointLabel(p.codePoint)}) at position ${p.position}`;
  switch (p.kind) {
    case 'line-break':
      return `${what} contains a line break ${at}; it must be one line`;
    case 'control':
      return kind === 'multi-line'
        ? `${what} contains a control character ${at}; only tab and line breaks are allowed`
        : `${what} contains a control character ${at}; only tab is allowed in a one-line field`;
    case 'bidi':
      return `${what} contains a bidirectional control character ${at}; it would change how the text is displayed`;
    case 'surrogate':
      return `${what} contains an unpaired surrogate ${at}; it is not valid Unicode text`;
  }
}

/** The message for the first character `text` may not hold, or null when it is acceptable. */
export function checkText(what: string, text: string, kind: TextKind): string | null {
  const p = findTextProblem(text, kind);
  return p ? textProblemMessage(what, kind, p) : null;
}

export interface TextFieldOptions {
  /** Most characters (after trimming, when trimmed). */
  max: number;
  /** Fewest characters after trimming (default 0). */
  min?: number;
  /** Trim white space at both ends (default: true for one-line fields, false for multi-line). */
  trim?: boolean;
  /** Message when the value is not a string at all. */
  typeError?: string;
  /** Message when the text is shorter than `min` (e.g. empty). */
  required?: string;
  /** Message when the text is longer than `max`. */
  tooLong?: string;
}

/**
 * A zod text field that applies the rule above to the text as given (before trimming), then
 * trims (optionally) and checks its length.
 */
export function textField(what: string, kind: TextKind, opts: TextFieldOptions) {
  const base = z
    .string(opts.typeError ? { error: opts.typeError } : undefined)
    .superRefine((value, ctx) => {
      const message = checkText(what, value, kind);
      // The character is the problem to fix; its length after trimming would only add noise.
      if (message) ctx.addIssue({ code: 'custom', message, input: value, continue: false });
    });
  const trimmed = (opts.trim ?? kind === 'single-line') ? base.trim() : base;
  const min = opts.min ?? 0;
  const withMin =
    min > 0 ? trimmed.min(min, opts.required ? { error: opts.required } : undefined) : trimmed;
  return withMin.max(opts.max, opts.tooLong ? { error: opts.tooLong } : undefined);
}

/** A name, code, author or other one-line text: tab allowed, no line breaks or other controls. */
export const singleLineText = (what: string, opts: TextFieldOptions) =>
  textField(what, 'single-line', opts);

/** A description or comment: tab and line breaks allowed, no other controls. */
export const multiLineText = (what: string, opts: TextFieldOptions) =>
  textField(what, 'multi-line', opts);
