import type { Translate } from '../i18n';
import type { FieldView } from './editor';

/**
 * Small pieces shared by the forms outside the editor (fiscal settings, thresholds, restoring a
 * version, importing a file, clearing settings): one field builder for the `field` partial, one
 * reader of posted text, and the comment field every audited form ends with.
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

/** Why a change is made, as typed into a form (who makes it is the signed-in user). */
export interface CommentValues {
  comment: string;
}

/**
 * The comment field of an audited form, id `${form}-comment` (the store reports its problems at
 * `comment`). There is no author field: the signed-in user is the author (issue 10).
 */
export function commentFields(
  form: string,
  values: CommentValues,
  errorOf: (key: 'comment') => string | null,
  t: Translate,
): FormField[] {
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
