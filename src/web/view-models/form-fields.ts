import type { Translate } from '../i18n';
import type { FieldView } from './editor';

/**
 * Small pieces shared by the forms outside the editor (fiscal settings, thresholds, restoring a
 * version, importing a file, clearing settings): one field builder for the `field` partial, one
 * reader of posted text, and the author and comment fields every audited form ends with.
 */

/** A field for the `field` partial; `rows` sizes the year-amount textareas. */
export type FormField = FieldView & { rows: number | null };

export interface FormFieldSpec {
  id: string;
  name: string;
  /** What issues are placed on (default: the name). */
  path?: string;
  kind: FieldView['kind'];
  value: string;
  label: string;
  hint?: string | null;
  error?: string | null;
  required?: boolean;
  rows?: number;
  options?: FieldView['options'];
}

export function formField(spec: FormFieldSpec): FormField {
  return {
    id: spec.id,
    name: spec.name,
    path: spec.path ?? spec.name,
    label: spec.label,
    hint: spec.hint ?? null,
    kind: spec.kind,
    value: spec.value,
    checked: spec.kind === 'bool' && (spec.value === 'true' || spec.value === 'on'),
    options: spec.options ?? [],
    required: spec.required === true,
    readonly: false,
    inputMode: spec.kind === 'decimal' ? 'decimal' : spec.kind === 'int' ? 'numeric' : null,
    error: spec.error ?? null,
    rows: spec.rows ?? null,
  };
}

/**
 * One text value of a posted form (urlencoded body): '' when absent or not text; the last one
 * when repeated (a checkbox posts its hidden "false" before its "true").
 */
export function postedText(body: unknown, key: string): string {
  if (typeof body !== 'object' || body === null || !Object.prototype.hasOwnProperty.call(body, key))
    return '';
  const value = (body as Record<string, unknown>)[key];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : '';
}

/** Who makes a change and why, as typed into a form. */
export interface AuthorValues {
  author: string;
  comment: string;
}

/**
 * The comment field of an audited form, id `${form}-comment` (the store reports its problems at
 * `comment`). There is no author field any more: the signed-in user is the author.
 */
export function authorFields(
  form: string,
  values: AuthorValues,
  errorOf: (key: 'author' | 'comment') => string | null,
  t: Translate,
): FormField[] {
  // No author field: the signed-in user is the author of every write (issue 10).
  return [
    formField({
      id: `${form}-comment`,
      name: 'comment',
      kind: 'text',
      value: values.comment,
      label: t('field.comment'),
      error: errorOf('comment'),
    }),
  ];
}
