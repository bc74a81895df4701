import { SOURCE_KINDS, SOURCE_TYPES } from '../../domain/scenario/schema';
import type { FieldIssue } from '../../domain/errors';
import { formatAmount, type Lang } from '../format/number';
import type { Translate } from '../i18n';
import { localizeIssue } from '../i18n/issues';
import {
  DEBT_FIELDS,
  EQUITY_FIELDS,
  SECTION_FIELDS,
  SOURCE_FIELDS,
  STREAM_FIELDS,
  STREAM_KINDS,
  blankSource,
  blankStream,
  fieldId,
  formName,
  fundingCheck,
  isDebtType,
  isEquityType,
  sourceFieldsFor,
  type EditorForm,
  type FieldSpec,
  type RowValues,
  type SectionKey,
  type StreamKind,
} from './editor-form';

export interface OptionView {
  value: string;
  label: string;
  selected: boolean;
}

export interface FieldView {
  id: string;
  name: string;
  path: string;
  label: string;
  hint: string | null;
  kind: FieldSpec['kind'];
  value: string;
  checked: boolean;
  options: OptionView[];
  required: boolean;
  readonly: boolean;
  inputMode: string | null;
  error: string | null;
}

export interface RowView {
  index: string;
  title: string;
  kind: string;
  kindLabel: string;
  fields: FieldView[];
  debtFields: FieldView[];
  isDebt: boolean;
  /** Equity sources: the ownership select (hidden for other types). */
  equityFields: FieldView[];
  isEquity: boolean;
  errors: string[];
  removeAction: string;
}

export interface EditorView {
  mode: EditorForm['meta']['mode'];
  heading: string;
  csrfToken: string;
  errorSummary: Array<{ message: string; href: string }>;
  notice: string | null;
  sections: Record<Exclude<SectionKey, 'government'>, FieldView[]>;
  subsidy: FieldView[];
  availability: FieldView[];
  capex: { fields: FieldView[]; errors: string[] };
  revenues: {
    rows: RowView[];
    errors: string[];
    addButtons: Array<{ action: string; label: string; kind: string }>;
    templates: RowView[];
  };
  sources: { rows: RowView[]; errors: string[]; template: RowView };
  check: {
    complete: boolean;
    investment: string;
    funded: string;
    gap: string;
    status: 'ok' | 'short' | 'over' | 'incomplete';
    message: string;
    pillars: Array<{ pillar: string; amount: string }>;
  };
  meta: EditorForm['meta'];
  /** The optional fiscal section starts open when something in it is filled in or wrong. */
  fiscalOpen: boolean;
  /** The equity waterfall block is open when it has content or errors. */
  waterfallOpen: boolean;
  /** The reserves block starts open when something in it is filled in or wrong. */
  reservesOpen: boolean;
  reserveErrors: string[];
  /** Author and comment of the version the save creates. */
  saveFields: FieldView[];
  globalErrors: string[];
  /** Data for the browser script (funding check and debt-term toggling). */
  client: {
    pillarOf: Record<string, string>;
    pillarLabels: Record<string, string>;
    streamKinds: Record<string, string>;
    debtTypes: string[];
    equityTypes: string[];
    messages: Record<string, string>;
    lang: Lang;
  };
}

/** Issues located on fields, on groups (rows, lists) or on nothing in particular. */
interface Placed {
  byField: Map<string, string>;
  byGroup: Map<string, string[]>;
  global: string[];
  summary: Array<{ message: string; href: string }>;
}

const covers = (fieldPath: string, issuePath: string) =>
  issuePath === fieldPath ||
  issuePath.startsWith(`${fieldPath}.`) ||
  issuePath.startsWith(`${fieldPath}[`);

/**
 * Puts each issue on the field whose path is the longest prefix of the issue's path (so
 * `revenues[0].rampUp[2]` lands on the ramp-up field), else on the enclosing row or list, else
 * at the top. An empty field the schema rejects is reported as "required".
 */
function placeIssues(
  issues: FieldIssue[],
  fields: Map<string, string>,
  groups: string[],
  lang: Lang,
  t: Translate,
): Placed {
  const placed: Placed = { byField: new Map(), byGroup: new Map(), global: [], summary: [] };
  const fieldPaths = [...fields.keys()];
  for (const issue of issues) {
    const target = fieldPaths
      .filter((p) => covers(p, issue.path))
      .sort((a, b) => b.length - a.length)[0];
    const raw = target === undefined ? undefined : fields.get(target);
    const message =
      target === issue.path && raw !== undefined && raw.trim() === ''
        ? t('issue.required')
        : localizeIssue(issue.message, lang);
    if (target !== undefined) {
      const before = placed.byField.get(target);
      placed.byField.set(target, before ? `${before} ${message}` : message);
      placed.summary.push({
        message: `${labelOfPath(target, t)}: ${message}`,
        href: `#${fieldId(target)}`,
      });
      continue;
    }
    const group = groups
      .filter((g) => covers(g, issue.path))
      .sort((a, b) => b.length - a.length)[0];
    if (group !== undefined) {
      placed.byGroup.set(group, [...(placed.byGroup.get(group) ?? []), message]);
      placed.summary.push({ message, href: `#${fieldId(group)}` });
    } else {
      placed.global.push(message);
      placed.summary.push({ message, href: '#editor-errors' });
    }
  }
  return placed;
}

/** The label key of a field path: indexes dropped (`funding.sources[2].name` → `funding.sources.name`). */
const labelKey = (path: string) => path.replace(/\[(\d+|__i__)\]/g, '');

function labelOfPath(path: string, t: Translate): string {
  if (path.startsWith('meta.')) return t(`field.${path.slice('meta.'.length)}`);
  const capex = /^capex\.scheduleYuan\[(\d+)\]$/.exec(path);
  if (capex) return `${t('editor.section.timeline')} #${Number(capex[1]) + 1}`;
  const row = /^(revenues|funding\.sources)\[(\d+)\]/.exec(path);
  const label = t(`field.${labelKey(path)}`);
  if (!row) return label;
  const n = Number(row[2]) + 1;
  return `${t(row[1] === 'revenues' ? 'editor.stream' : 'editor.source', { n })} · ${label}`;
}

function optionViews(spec: FieldSpec, value: string, t: Translate): OptionView[] {
  return (spec.options ?? []).map((o) => ({
    value: o,
    label: spec.optionLabels
      ? o === ''
        ? spec.optionLabels === 'apMethod' ||
          spec.optionLabels === 'ownership' ||
          spec.optionLabels === 'drawTiming'
          ? t(`${spec.optionLabels}.none`)
          : '—'
        : t(`${spec.optionLabels}.${o}`)
      : o,
    selected: o === value,
  }));
}

function fieldView(
  spec: FieldSpec,
  path: string,
  value: string,
  t: Translate,
  errors: Map<string, string>,
  opts: { label?: string; readonly?: boolean } = {},
): FieldView {
  const key = labelKey(path);
  const hint = spec.hint ? t(`field.${key}.hint`) : spec.fraction ? t('field.fraction.hint') : null;
  return {
    id: fieldId(path),
    name: formName(path),
    path,
    label: opts.label ?? t(`field.${key}`),
    hint,
    kind: spec.kind,
    value,
    checked: spec.kind === 'bool' && (value === 'true' || value === 'on'),
    options: optionViews(spec, value, t),
    required: spec.required === true,
    readonly: opts.readonly === true,
    inputMode: spec.kind === 'decimal' ? 'decimal' : spec.kind === 'int' ? 'numeric' : null,
    error: errors.get(path) ?? null,
  };
}

function streamRow(
  index: string,
  kind: string,
  values: RowValues,
  t: Translate,
  placed: Placed,
): RowView {
  const specs = (STREAM_KINDS as readonly string[]).includes(kind)
    ? STREAM_FIELDS[kind as StreamKind]
    : [];
  const base = `revenues[${index}]`;
  const kindLabel = (STREAM_KINDS as readonly string[]).includes(kind)
    ? t(`streamKind.${kind}`)
    : kind;
  return {
    index,
    title:
      index === '__i__'
        ? kindLabel
        : `${t('editor.stream', { n: Number(index) + 1 })} · ${kindLabel}`,
    kind,
    kindLabel,
    fields: specs.map((s) =>
      fieldView(s, `${base}.${s.path}`, values[s.path] ?? '', t, placed.byField),
    ),
    debtFields: [],
    isDebt: false,
    equityFields: [],
    isEquity: false,
    errors: placed.byGroup.get(base) ?? [],
    removeAction: `remove-stream:${index}`,
  };
}

function sourceRow(index: string, values: RowValues, t: Translate, placed: Placed): RowView {
  const base = `funding.sources[${index}]`;
  const type = values.type ?? '';
  return {
    index,
    title: index === '__i__' ? '' : t('editor.source', { n: Number(index) + 1 }),
    kind: type,
    kindLabel: SOURCE_KINDS[type as keyof typeof SOURCE_KINDS]
      ? t(`pillar.${SOURCE_KINDS[type as keyof typeof SOURCE_KINDS].pillar}`)
      : '',
    fields: SOURCE_FIELDS.map((s) =>
      fieldView(s, `${base}.${s.path}`, values[s.path] ?? '', t, placed.byField),
    ),
    debtFields: DEBT_FIELDS.map((s) =>
      fieldView(s, `${base}.${s.path}`, values[s.path] ?? '', t, placed.byField),
    ),
    isDebt: isDebtType(type),
    equityFields: EQUITY_FIELDS.map((s) =>
      fieldView(s, `${base}.${s.path}`, values[s.path] ?? '', t, placed.byField),
    ),
    isEquity: isEquityType(type),
    errors: [...(placed.byGroup.get(base) ?? []), ...(placed.byGroup.get(`${base}.debt`) ?? [])],
    removeAction: `remove-source:${index}`,
  };
}

export interface EditorViewInput {
  form: EditorForm;
  issues: FieldIssue[];
  lang: Lang;
  t: Translate;
  csrfToken: string;
  heading: string;
  notice?: string | null;
}

/** Everything the editor template shows, from the form as typed and the issues found. */
export function editorView({
  form,
  issues,
  lang,
  t,
  csrfToken,
  heading,
  notice = null,
}: EditorViewInput): EditorView {
  // Every field on the form and what it holds, for placing issues.
  const fields = new Map<string, string>();
  for (const specs of Object.values(SECTION_FIELDS))
    for (const s of specs as FieldSpec[]) fields.set(s.path, form.fields[s.path] ?? '');
  form.capex.forEach((v, i) => fields.set(`capex.scheduleYuan[${i}]`, v));
  form.revenues.forEach((r, i) => {
    const specs = (STREAM_KINDS as readonly string[]).includes(r.kind)
      ? STREAM_FIELDS[r.kind as StreamKind]
      : [];
    for (const s of specs) fields.set(`revenues[${i}].${s.path}`, r.values[s.path] ?? '');
  });
  form.sources.forEach((src, i) => {
    for (const s of sourceFieldsFor(src.type ?? ''))
      fields.set(`funding.sources[${i}].${s.path}`, src[s.path] ?? '');
  });
  fields.set('meta.comment', form.meta.comment);
  const groups = [
    'capex.scheduleYuan',
    'capex',
    'revenues',
    'funding.sources',
    'funding',
    'government.availabilityPayment',
    'government.operatingSubsidy',
    'government',
    'fiscal.riskBearing',
    'fiscal.supportingInvestment',
    'fiscal.psc',
    'fiscal',
    'reserves',
    'indirectTax',
    ...form.revenues.map((_, i) => `revenues[${i}]`),
    ...form.sources.flatMap((_, i) => [`funding.sources[${i}]`, `funding.sources[${i}].debt`]),
  ];
  // The store reports the comment as `comment`.
  const located = issues.map((i) => (i.path === 'comment' ? { ...i, path: 'meta.comment' } : i));
  const placed = placeIssues(located, fields, groups, lang, t);

  const section = (key: SectionKey) =>
    (SECTION_FIELDS[key] as FieldSpec[]).map((s) =>
      fieldView(s, s.path, form.fields[s.path] ?? '', t, placed.byField, {
        readonly: s.path === 'project.code' && form.meta.lockedCode !== '',
      }),
    );
  const government = section('government');
  const startYear = /^\d{4}$/.test((form.fields['timeline.startYear'] ?? '').trim())
    ? Number(form.fields['timeline.startYear'])
    : null;
  const capexSpec: FieldSpec = { path: 'capex', kind: 'decimal', required: true };

  const check = fundingCheck(form);
  const gapAbs = check.gap.replace(/^-/, '');
  const status: EditorView['check']['status'] = !check.complete
    ? 'incomplete'
    : check.gap === '0.00'
      ? 'ok'
      : check.gap.startsWith('-')
        ? 'over'
        : 'short';
  const yuan = (s: string) => formatAmount(s, 'yuan');
  const message =
    status === 'ok'
      ? t('editor.check.ok')
      : status === 'short'
        ? t('editor.check.short', { gap: yuan(gapAbs) })
        : status === 'over'
          ? t('editor.check.over', { gap: yuan(gapAbs) })
          : t('editor.check.incomplete');

  const sectionErrors = (key: string) => placed.byGroup.get(key) ?? [];

  return {
    mode: form.meta.mode,
    heading,
    csrfToken,
    errorSummary: placed.summary,
    notice,
    sections: {
      project: section('project'),
      scenario: section('scenario'),
      timeline: section('timeline'),
      opex: section('opex'),
      tax: section('tax'),
      rates: section('rates'),
      fiscal: section('fiscal'),
      waterfall: section('waterfall'),
      reserves: section('reserves'),
      indirectTax: section('indirectTax'),
    },
    subsidy: government.filter((f) => f.path.startsWith('government.operatingSubsidy.')),
    availability: government.filter((f) => f.path.startsWith('government.availabilityPayment.')),
    capex: {
      fields: form.capex.map((v, i) =>
        fieldView(capexSpec, `capex.scheduleYuan[${i}]`, v, t, placed.byField, {
          label:
            startYear === null
              ? `${t('editor.section.timeline')} #${i + 1}`
              : t('editor.capexYear', { year: startYear + i }),
        }),
      ),
      errors: [...sectionErrors('capex.scheduleYuan'), ...sectionErrors('capex')],
    },
    revenues: {
      rows: form.revenues.map((r, i) => streamRow(String(i), r.kind, r.values, t, placed)),
      errors: sectionErrors('revenues'),
      addButtons: STREAM_KINDS.map((k) => ({
        action: `add-stream:${k}`,
        kind: k,
        label: t('editor.addStream', { kind: t(`streamKind.${k}`) }),
      })),
      templates: STREAM_KINDS.map((k) => streamRow('__i__', k, blankStream(k).values, t, placed)),
    },
    sources: {
      rows: form.sources.map((s, i) => sourceRow(String(i), s, t, placed)),
      errors: [...sectionErrors('funding.sources'), ...sectionErrors('funding')],
      template: sourceRow('__i__', blankSource(), t, placed),
    },
    check: {
      complete: check.complete,
      investment: yuan(check.investment),
      funded: yuan(check.funded),
      gap: yuan(check.gap),
      status,
      message,
      pillars: (['government', 'enterprise', 'social'] as const).map((p) => ({
        pillar: p,
        amount: yuan(check.byPillar[p]),
      })),
    },
    meta: form.meta,
    waterfallOpen:
      ['funding.waterfall.preferredSourceIds', 'funding.waterfall.preferredRate'].some(
        (p) => (form.fields[p] ?? '').trim() !== '',
      ) || [...placed.byField.keys()].some((p) => p.startsWith('funding.waterfall')),
    fiscalOpen:
      (SECTION_FIELDS.fiscal as FieldSpec[]).some(
        (s) =>
          (s.kind !== 'select' || !s.path.endsWith('.phase')) &&
          (form.fields[s.path] ?? '').trim() !== '',
      ) || [...placed.byField.keys(), ...placed.byGroup.keys()].some((p) => p.startsWith('fiscal')),
    reservesOpen:
      (SECTION_FIELDS.reserves as FieldSpec[]).some(
        (s) => s.kind !== 'select' && (form.fields[s.path] ?? '').trim() !== '',
      ) ||
      [...placed.byField.keys(), ...placed.byGroup.keys()].some((p) => p.startsWith('reserves')),
    reserveErrors: sectionErrors('reserves'),
    saveFields: [
      fieldView(
        { path: 'meta.comment', kind: 'textarea' },
        'meta.comment',
        form.meta.comment,
        t,
        placed.byField,
        { label: t('field.comment') },
      ),
    ],
    globalErrors: [
      ...placed.global,
      ...sectionErrors('government'),
      ...sectionErrors('government.availabilityPayment'),
      ...sectionErrors('government.operatingSubsidy'),
      ...sectionErrors('fiscal'),
      ...sectionErrors('fiscal.riskBearing'),
      ...sectionErrors('fiscal.supportingInvestment'),
      ...sectionErrors('fiscal.psc'),
      ...sectionErrors('indirectTax'),
    ],
    client: {
      pillarOf: Object.fromEntries(SOURCE_TYPES.map((ty) => [ty, SOURCE_KINDS[ty].pillar])),
      pillarLabels: {
        government: t('pillar.government'),
        enterprise: t('pillar.enterprise'),
        social: t('pillar.social'),
      },
      streamKinds: Object.fromEntries(STREAM_KINDS.map((k) => [k, t(`streamKind.${k}`)])),
      debtTypes: SOURCE_TYPES.filter((ty) => SOURCE_KINDS[ty].nature === 'debt'),
      equityTypes: SOURCE_TYPES.filter((ty) => SOURCE_KINDS[ty].nature === 'equity'),
      messages: {
        source: t('editor.source', { n: '{n}' }),
        stream: t('editor.stream', { n: '{n}' }),
        capexYear: t('editor.capexYear', { year: '{year}' }),
        capexN: `${t('editor.section.timeline')} #{n}`,
        ok: t('editor.check.ok'),
        short: t('editor.check.short', { gap: '{gap}' }),
        over: t('editor.check.over', { gap: '{gap}' }),
        incomplete: t('editor.check.incomplete'),
      },
      lang,
    },
  };
}
