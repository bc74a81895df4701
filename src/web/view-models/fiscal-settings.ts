import { ValidationError, type FieldIssue } from '../../domain/errors';
import { parseThresholds, type JurisdictionThresholds } from '../../domain/fiscal/thresholds';
import { SECTORS } from '../../domain/scenario/schema';
import type { AuditEntry, PortfolioFiscalSettings } from '../../store/types';
import { formatAmount, formatPercent, formatRatio, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';
import { localizeIssue } from '../i18n/issues';
import type { FieldView } from './editor';
import { fieldValue } from './editor-form';
import {
  commentFields,
  formField,
  postedText,
  type CommentValues,
  type FormField,
} from './form-fields';

/**
 * The fiscal settings page: a portfolio's budget forecast and other PPP obligations, its
 * jurisdiction's thresholds, and the audit trail of both. Forms keep what the user typed (as
 * text) so a refused form comes back exactly as sent; the store validates.
 */

type Sector = (typeof SECTORS)[number];

export interface SettingsForm {
  jurisdiction: string;
  /** 'growth' | 'explicit' (anything else is reported by the schema). */
  method: string;
  baseYear: string;
  baseAmountYuan: string;
  growth: string;
  /** "year: amount" per line. */
  years: string;
  otherObligations: string;
  /** Government-fund budget: growth fields, or "year: amount" lines (explicit); all blank for none. */
  fundBaseYear: string;
  fundBaseAmountYuan: string;
  fundGrowth: string;
  fundYears: string;
  /** New-bond quotas, one "year: special / general" per line. */
  bondQuotas: string;
  comment: string;
}

/** Threshold fields in the order the form shows them, with how each is written. */
export const THRESHOLD_FIELDS = [
  { key: 'affordabilityCap', kind: 'fraction' },
  { key: 'newProjectLine', kind: 'fraction' },
  { key: 'bondCoverage', kind: 'ratio' },
  { key: 'maxConcessionYears', kind: 'years' },
  { key: 'privateControlShare', kind: 'fraction' },
  { key: 'minPrivateShareStronglyPublic', kind: 'fraction' },
  { key: 'maxBondAsCapitalShare', kind: 'fraction' },
  { key: 'maxBondAsCapitalShareFrom2024', kind: 'fraction' },
  { key: 'minCapitalRatio', kind: 'fraction' },
  // Issue 9, item 11: a checkbox ('true' / 'false').
  { key: 'countConcessionInvestmentSupport', kind: 'flag' },
] as const;
export type ThresholdKey = (typeof THRESHOLD_FIELDS)[number]['key'];

export interface ThresholdsForm {
  jurisdiction: string;
  values: Record<ThresholdKey, string>;
  /** Sector overrides of the minimum capital ratio; '' is "no override". */
  sectors: Record<Sector, string>;
  comment: string;
}

const field = (body: unknown, key: string): unknown =>
  typeof body === 'object' && body !== null && Object.prototype.hasOwnProperty.call(body, key)
    ? (body as Record<string, unknown>)[key]
    : undefined;

/** "year: amount" lines from stored rows. */
const yearLines = (rows: ReadonlyArray<{ year: number; amountYuan: string }>) =>
  rows.map((r) => `${r.year}: ${r.amountYuan}`).join('\n');

export function settingsFormFrom(
  settings: Omit<PortfolioFiscalSettings, 'portfolioId'> | null,
  jurisdiction: string | null,
): SettingsForm {
  const b = settings?.budget;
  const f = settings?.fundBudget ?? null;
  return {
    jurisdiction: settings?.jurisdiction ?? jurisdiction ?? '',
    method: b?.method ?? 'growth',
    baseYear: b?.method === 'growth' ? String(b.baseYear) : '',
    baseAmountYuan: b?.method === 'growth' ? b.baseAmountYuan : '',
    growth: b?.method === 'growth' ? b.growth : '',
    years: b?.method === 'explicit' ? yearLines(b.years) : '',
    otherObligations: yearLines(settings?.otherObligations ?? []),
    fundBaseYear: f?.method === 'growth' ? String(f.baseYear) : '',
    fundBaseAmountYuan: f?.method === 'growth' ? f.baseAmountYuan : '',
    fundGrowth: f?.method === 'growth' ? f.growth : '',
    fundYears: f?.method === 'explicit' ? yearLines(f.years) : '',
    bondQuotas: (settings?.bondQuotas ?? [])
      .map((q) => `${q.year}: ${q.specialBondYuan} / ${q.generalBondYuan}`)
      .join('\n'),
    comment: '',
  };
}

export function settingsFormFromPost(body: unknown): SettingsForm {
  const get = (k: string) => postedText(body, k);
  return {
    jurisdiction: get('jurisdiction'),
    method: get('method'),
    baseYear: get('baseYear'),
    baseAmountYuan: get('baseAmountYuan'),
    growth: get('growth'),
    years: get('years'),
    otherObligations: get('otherObligations'),
    fundBaseYear: get('fundBaseYear'),
    fundBaseAmountYuan: get('fundBaseAmountYuan'),
    fundGrowth: get('fundGrowth'),
    fundYears: get('fundYears'),
    bondQuotas: get('bondQuotas'),
    comment: get('comment'),
  };
}

const decimal = (s: string) => fieldValue({ path: '', kind: 'decimal' }, s);
const int = (s: string) => fieldValue({ path: '', kind: 'int' }, s);
const yearAmounts = (s: string) => fieldValue({ path: '', kind: 'yearAmounts' }, s) ?? [];

/** The settings JSON the form describes (validated by the store, never trusted). */
export function settingsInput(form: SettingsForm): Record<string, unknown> {
  const method = form.method.trim();
  const budget: Record<string, unknown> =
    method === 'growth'
      ? {
          method,
          baseYear: int(form.baseYear),
          baseAmountYuan: decimal(form.baseAmountYuan),
          growth: decimal(form.growth),
        }
      : method === 'explicit'
        ? { method, years: yearAmounts(form.years) }
        : { method: method === '' ? undefined : method };
  return {
    jurisdiction: form.jurisdiction.trim() === '' ? undefined : form.jurisdiction.trim(),
    budget,
    otherObligations: yearAmounts(form.otherObligations),
    fundBudget: fundBudgetInput(form),
    bondQuotas: bondQuotaLines(form.bondQuotas),
  };
}

/** The government-fund forecast the form describes: explicit lines win; all blank is none. */
function fundBudgetInput(form: SettingsForm): Record<string, unknown> | null {
  if (form.fundYears.trim() !== '')
    return { method: 'explicit', years: yearAmounts(form.fundYears) };
  const growth = [form.fundBaseYear, form.fundBaseAmountYuan, form.fundGrowth];
  if (growth.every((v) => v.trim() === '')) return null;
  return {
    method: 'growth',
    baseYear: int(form.fundBaseYear),
    baseAmountYuan: decimal(form.fundBaseAmountYuan),
    growth: decimal(form.fundGrowth),
  };
}

/**
 * Quota lines "2027: 300000000 / 100000000" (special-bond quota / general-bond quota, yuan).
 * A line not written so goes on as text, for the schema to name at this field.
 */
function bondQuotaLines(text: string): Array<Record<string, unknown>> {
  return text
    .split(/[\n;；]+/)
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .map((e) => {
      const m = /^(\d{4})\s*[:=：]\s*([^/]*)\/(.*)$/.exec(e);
      const amount = (v: string) => v.replace(/[\s,，_]/g, '');
      return m
        ? {
            year: Number(m[1]),
            specialBondYuan: amount(m[2] as string),
            generalBondYuan: amount(m[3] as string),
          }
        : { year: e, specialBondYuan: '', generalBondYuan: '' };
    });
}

export function thresholdsFormFrom(
  name: string,
  thresholds: JurisdictionThresholds,
): ThresholdsForm {
  return {
    jurisdiction: name,
    values: Object.fromEntries(
      THRESHOLD_FIELDS.map((f) => [f.key, String(thresholds[f.key])]),
    ) as Record<ThresholdKey, string>,
    sectors: Object.fromEntries(
      SECTORS.map((s) => [s, thresholds.minCapitalRatioBySector[s] ?? '']),
    ) as Record<Sector, string>,
    comment: '',
  };
}

export function thresholdsFormFromPost(body: unknown): ThresholdsForm {
  const sectors = field(body, 'sector');
  return {
    jurisdiction: postedText(body, 'jurisdiction'),
    values: Object.fromEntries(
      THRESHOLD_FIELDS.map((f) => [f.key, postedText(body, f.key)]),
    ) as Record<ThresholdKey, string>,
    sectors: Object.fromEntries(SECTORS.map((s) => [s, postedText(sectors, s)])) as Record<
      Sector,
      string
    >,
    comment: postedText(body, 'comment'),
  };
}

/** Clearing a portfolio's budget settings: a confirmation box, and why. */
export interface ClearForm extends CommentValues {
  /** 'true' when the box is ticked. */
  confirm: string;
}

export const blankClearForm = (): ClearForm => ({ confirm: '', comment: '' });

export function clearFormFromPost(body: unknown): ClearForm {
  return {
    confirm: postedText(body, 'confirm'),
    comment: postedText(body, 'comment'),
  };
}

/**
 * Clearing removes figures people typed in: only with the box ticked.
 * @throws ValidationError at `confirm` when it is not
 */
export function checkClearConfirmed(form: ClearForm): void {
  if (form.confirm !== 'true')
    throw new ValidationError(
      [{ path: 'confirm', message: 'Tick the box to confirm' }],
      'The removal was not confirmed',
    );
}

/**
 * The thresholds JSON the form describes. Every main threshold must be filled in: an emptied
 * field would otherwise silently take the national default.
 * @throws ValidationError naming every empty or bad field (checked by the domain's schema)
 */
export function thresholdsInput(form: ThresholdsForm): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const missing: FieldIssue[] = [];
  for (const f of THRESHOLD_FIELDS) {
    const raw = form.values[f.key];
    if (f.kind === 'flag') {
      // A checkbox: unticked (or left out of the post) is false, never "required".
      input[f.key] = raw === 'true' || raw === 'on';
      continue;
    }
    const value = f.kind === 'years' ? int(raw) : decimal(raw);
    if (value === undefined) missing.push({ path: f.key, message: 'This field is required' });
    else input[f.key] = value;
  }
  const overrides = Object.fromEntries(
    SECTORS.flatMap((s) => {
      const v = decimal(form.sectors[s]);
      return v === undefined ? [] : [[s, v]];
    }),
  );
  input.minCapitalRatioBySector = overrides;
  if (missing.length > 0) {
    let others: FieldIssue[] = [];
    try {
      parseThresholds(input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      others = err.issues.filter((i) => !missing.some((m) => m.path === i.path));
    }
    throw new ValidationError([...missing, ...others], 'The thresholds are not valid');
  }
  return input;
}

/** Where an issue of the settings form shows: its field key, or '' for the top of the form. */
function settingsTarget(path: string): string {
  if (path === 'jurisdiction') return 'jurisdiction';
  if (path === 'budget' || path === 'budget.method') return 'method';
  for (const k of ['baseYear', 'baseAmountYuan', 'growth', 'years'] as const)
    if (
      path === `budget.${k}` ||
      path.startsWith(`budget.${k}[`) ||
      path.startsWith(`budget.${k}.`)
    )
      return k;
  if (path === 'otherObligations' || path.startsWith('otherObligations['))
    return 'otherObligations';
  if (path === 'bondQuotas' || path.startsWith('bondQuotas[')) return 'bondQuotas';
  if (path === 'fundBudget.years' || path.startsWith('fundBudget.years[')) return 'fundYears';
  for (const [k, to] of [
    ['baseYear', 'fundBaseYear'],
    ['baseAmountYuan', 'fundBaseAmountYuan'],
    ['growth', 'fundGrowth'],
  ] as const)
    if (path === `fundBudget.${k}`) return to;
  if (path.startsWith('fundBudget')) return 'fundYears';
  if (path === 'comment') return 'comment';
  return '';
}

function thresholdsTarget(path: string): string {
  if (THRESHOLD_FIELDS.some((f) => f.key === path)) return path;
  const sector = /^minCapitalRatioBySector\.(.+)$/.exec(path);
  if (sector && (SECTORS as readonly string[]).includes(sector[1] as string))
    return `sector.${sector[1]}`;
  if (path === 'comment') return 'comment';
  return '';
}

function clearTarget(path: string): string {
  if (path === 'confirm') return 'confirm';
  if (path === 'comment') return 'comment';
  return '';
}

interface PlacedIssues {
  byField: Map<string, string>;
  global: string[];
}

/** Messages in the page's language; list entries named by their position ("Entry 3: ..."). */
function place(
  issues: readonly FieldIssue[],
  target: (path: string) => string,
  values: Record<string, string>,
  lang: Lang,
  t: Translate,
): PlacedIssues {
  const out: PlacedIssues = { byField: new Map(), global: [] };
  for (const issue of issues) {
    const key = target(issue.path);
    const empty = key !== '' && (values[key] ?? '').trim() === '';
    let message =
      empty || issue.message === 'This field is required'
        ? t('issue.required')
        : localizeIssue(issue.message, lang);
    const entry = /\[(\d+)\]/.exec(issue.path);
    if (entry && !empty) message = t('settings.entry', { n: Number(entry[1]) + 1, message });
    if (key === '') out.global.push(message);
    else
      out.byField.set(key, out.byField.has(key) ? `${out.byField.get(key)} ${message}` : message);
  }
  return out;
}

function fieldOf(
  form: string,
  key: string,
  name: string,
  kind: FieldView['kind'],
  value: string,
  label: string,
  placed: PlacedIssues,
  opts: {
    hint?: string | null;
    required?: boolean;
    rows?: number;
    options?: FieldView['options'];
  } = {},
): FormField {
  return formField({
    id: `${form}-${key.replace(/[^a-zA-Z0-9-]+/g, '-')}`,
    name,
    path: key,
    kind,
    value,
    label,
    error: placed.byField.get(key) ?? null,
    ...opts,
  });
}

export interface AuditRowView {
  id: number;
  at: string;
  actor: string;
  what: string;
  comment: string;
  changes: Array<{ field: string; before: string; after: string }>;
}

export interface FiscalSettingsView {
  portfolio: { id: number; name: string };
  links: { fiscal: string; settings: string };
  csrfToken: string;
  notice: { text: string; tone: 'ok' | 'warn' } | null;
  settings: {
    action: string;
    status: string;
    /** "Please correct 3 problem(s)…" above a refused form; null when nothing is wrong. */
    summary: string | null;
    errors: string[];
    main: FormField[];
    growth: FormField[];
    explicit: FormField[];
    other: FormField[];
    fund: FormField[];
    quotas: FormField[];
    save: FormField[];
    methodGrowth: boolean;
    methodExplicit: boolean;
    /** The other live portfolios measured against the jurisdiction's figures (none: no list). */
    siblings: Array<{ name: string; href: string }>;
    siblingsTitle: string | null;
    /** Before the portfolio has settings: the form holds its jurisdiction's stored figures. */
    prefilled: string | null;
  };
  thresholds: {
    action: string;
    jurisdiction: string;
    status: string;
    summary: string | null;
    errors: string[];
    fields: FormField[];
    sectors: FormField[];
    /** The sector overrides start open when one is set or wrong. */
    sectorsOpen: boolean;
    save: FormField[];
  } | null;
  /** Clearing the budget settings (null when the portfolio has none). */
  clear: {
    action: string;
    summary: string | null;
    errors: string[];
    fields: FormField[];
  } | null;
  audit: AuditRowView[];
}

export interface FiscalSettingsInput {
  portfolio: { id: number; name: string };
  csrfToken: string;
  settingsForm: SettingsForm;
  settingsIssues?: readonly FieldIssue[];
  /** True when the portfolio has stored settings. */
  settingsStored: boolean;
  /** The other live portfolios whose settings name the jurisdiction, measured against its figures. */
  siblings?: ReadonlyArray<{ id: number; name: string }>;
  /** True when the portfolio has no settings and the form holds its jurisdiction's stored figures. */
  figuresPrefilled?: boolean;
  /** The stored jurisdiction the siblings share (the form may hold another, typed but refused). */
  siblingJurisdiction?: string;
  /** Null when the portfolio has no jurisdiction yet (no settings, members of several). */
  thresholdsForm: ThresholdsForm | null;
  thresholdsIssues?: readonly FieldIssue[];
  /** The clear form as sent (refused), else blank. */
  clearForm?: ClearForm;
  clearIssues?: readonly FieldIssue[];
  /** True when the jurisdiction has stored thresholds (else the national defaults apply). */
  thresholdsStored: boolean;
  audit: readonly AuditEntry[];
  notice?: { text: string; tone: 'ok' | 'warn' } | null;
  lang: Lang;
  unit: Unit;
  t: Translate;
}

const KIND_OF: Record<string, (typeof THRESHOLD_FIELDS)[number]['kind']> = Object.fromEntries(
  THRESHOLD_FIELDS.map((f) => [f.key, f.kind]),
);

/** A recorded value for the audit table: fractions as percentages, yuan in the page's unit. */
function auditValue(path: string, value: unknown, lang: Lang, unit: Unit): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  const s = String(value);
  const isDecimal = /^-?\d+(\.\d+)?$/.test(s);
  const kind =
    KIND_OF[path] ?? (path.startsWith('minCapitalRatioBySector.') ? 'fraction' : undefined);
  if (isDecimal && kind === 'fraction') return formatPercent(s, lang);
  if (isDecimal && kind === 'ratio') return formatRatio(s);
  if (isDecimal && (/Yuan$/.test(path) || path === 'budget.baseAmountYuan'))
    return formatAmount(s, unit);
  if (isDecimal && path === 'budget.growth') return formatPercent(s, lang);
  return s;
}

function auditLabel(path: string, t: Translate): string {
  if (KIND_OF[path]) return t(`threshold.${path}`);
  const sector = /^minCapitalRatioBySector\.(.+)$/.exec(path);
  if (sector && (SECTORS as readonly string[]).includes(sector[1] as string))
    return `${t('threshold.minCapitalRatio')} · ${t(`sector.${sector[1]}`)}`;
  return path;
}

export function auditRows(
  entries: readonly AuditEntry[],
  lang: Lang,
  unit: Unit,
  t: Translate,
): AuditRowView[] {
  return [...entries]
    .sort((a, b) => b.id - a.id)
    .map((e) => {
      const d = e.details as {
        comment?: unknown;
        changes?: unknown;
        before?: unknown;
        state?: { name?: unknown } | null;
      };
      const changes = Array.isArray(d.changes)
        ? (d.changes as Array<{ path: string; before?: unknown; after?: unknown }>)
        : [];
      const what =
        e.entity === 'jurisdiction'
          ? t('audit.thresholds', { name: typeof d.state?.name === 'string' ? d.state.name : '' })
          : e.action === 'clear-fiscal-settings'
            ? t('audit.settingsCleared')
            : d.before === null || d.before === undefined
              ? t('audit.settingsCreated')
              : t('audit.settings');
      return {
        id: e.id,
        at: e.at,
        actor: e.actor,
        what,
        comment: typeof d.comment === 'string' ? d.comment : '',
        changes: changes.map((c) => ({
          field: auditLabel(c.path, t),
          before: auditValue(c.path, c.before, lang, unit),
          after: auditValue(c.path, c.after, lang, unit),
        })),
      };
    });
}

/** One count per field in trouble (a field may carry two messages), plus the form-wide ones. */
const summaryOf = (placed: PlacedIssues, t: Translate) => {
  const n = placed.byField.size + placed.global.length;
  return n > 0 ? t('editor.errorsTitle', { n }) : null;
};

function clearView(
  form: ClearForm,
  issues: readonly FieldIssue[],
  action: string,
  lang: Lang,
  t: Translate,
): NonNullable<FiscalSettingsView['clear']> {
  // An unticked box has its own message, not "required": place() sees it as filled in.
  const placed = place(
    issues,
    clearTarget,
    { comment: form.comment, confirm: 'unticked' },
    lang,
    t,
  );
  return {
    action,
    summary: summaryOf(placed, t),
    errors: placed.global,
    fields: [
      formField({
        id: 'clear-confirm',
        name: 'confirm',
        kind: 'bool',
        value: form.confirm,
        label: t('settings.clearConfirm'),
        error: placed.byField.get('confirm') ?? null,
      }),
      ...commentFields('clear', form, (k) => placed.byField.get(k) ?? null, t),
    ],
  };
}

/** The settings page (all three forms and the audit trail). */
export function fiscalSettingsView(input: FiscalSettingsInput): FiscalSettingsView {
  const { lang, unit, t } = input;
  const base = `/portfolios/${input.portfolio.id}/fiscal`;
  const sf = input.settingsForm;
  const sp = place(input.settingsIssues ?? [], settingsTarget, { ...sf }, lang, t);
  const s = (
    key: keyof SettingsForm,
    kind: FieldView['kind'],
    opts: Parameters<typeof fieldOf>[7] = {},
  ) => fieldOf('settings', key, key, kind, sf[key], t(`settings.field.${key}`), sp, opts);
  const method = sf.method.trim();
  const siblings = input.siblings ?? [];

  let thresholds: FiscalSettingsView['thresholds'] = null;
  const tf = input.thresholdsForm;
  if (tf) {
    const values: Record<string, string> = { ...tf.values, comment: tf.comment };
    for (const sector of SECTORS) values[`sector.${sector}`] = tf.sectors[sector];
    const tp = place(input.thresholdsIssues ?? [], thresholdsTarget, values, lang, t);
    thresholds = {
      action: `${base}/thresholds`,
      jurisdiction: tf.jurisdiction,
      status: input.thresholdsStored
        ? t('settings.thresholdsStored', { name: tf.jurisdiction })
        : t('settings.thresholdsDefaults', { name: tf.jurisdiction }),
      summary: summaryOf(tp, t),
      errors: tp.global,
      fields: THRESHOLD_FIELDS.map((f) =>
        fieldOf(
          'thresholds',
          f.key,
          f.key,
          f.kind === 'years' ? 'int' : f.kind === 'flag' ? 'bool' : 'decimal',
          tf.values[f.key],
          t(`threshold.${f.key}`),
          tp,
          {
            required: f.kind !== 'flag',
            hint: t(`threshold.${f.key}.hint`),
          },
        ),
      ),
      sectors: SECTORS.map((sector) =>
        fieldOf(
          'thresholds',
          `sector.${sector}`,
          `sector[${sector}]`,
          'decimal',
          tf.sectors[sector],
          t(`sector.${sector}`),
          tp,
          { hint: null },
        ),
      ),
      sectorsOpen: SECTORS.some(
        (sector) => tf.sectors[sector].trim() !== '' || tp.byField.has(`sector.${sector}`),
      ),
      save: commentFields('thresholds', tf, (k) => tp.byField.get(k) ?? null, t),
    };
  }

  return {
    portfolio: input.portfolio,
    links: { fiscal: base, settings: `${base}/settings` },
    csrfToken: input.csrfToken,
    notice: input.notice ?? null,
    settings: {
      action: `${base}/settings`,
      status: input.settingsStored ? t('settings.settingsStored') : t('settings.settingsNone'),
      summary: summaryOf(sp, t),
      errors: sp.global,
      main: [
        s('jurisdiction', 'text', { required: true, hint: t('settings.field.jurisdiction.hint') }),
        s('method', 'select', {
          required: true,
          options: ['growth', 'explicit'].map((m) => ({
            value: m,
            label: t(`settings.method.${m}`),
            selected: m === method,
          })),
        }),
      ],
      growth: [
        s('baseYear', 'int'),
        s('baseAmountYuan', 'decimal', { hint: t('settings.field.baseAmountYuan.hint') }),
        s('growth', 'decimal', { hint: t('field.fraction.hint') }),
      ],
      explicit: [s('years', 'yearAmounts', { hint: t('settings.field.years.hint'), rows: 8 })],
      other: [
        s('otherObligations', 'yearAmounts', {
          hint: t('settings.field.otherObligations.hint'),
          rows: 8,
        }),
      ],
      fund: [
        s('fundBaseYear', 'int'),
        s('fundBaseAmountYuan', 'decimal'),
        s('fundGrowth', 'decimal', { hint: t('field.fraction.hint') }),
        s('fundYears', 'yearAmounts', { hint: t('settings.field.fundYears.hint'), rows: 6 }),
      ],
      quotas: [
        s('bondQuotas', 'yearAmounts', { hint: t('settings.field.bondQuotas.hint'), rows: 6 }),
      ],
      save: commentFields('settings', sf, (k) => sp.byField.get(k) ?? null, t),
      methodGrowth: method !== 'explicit',
      methodExplicit: method === 'explicit',
      siblings: siblings.map((p) => ({
        name: p.name,
        href: `/portfolios/${p.id}/fiscal/settings`,
      })),
      siblingsTitle:
        siblings.length > 0
          ? t('settings.siblings', {
              name: input.siblingJurisdiction ?? sf.jurisdiction,
              count: String(siblings.length),
            })
          : null,
      prefilled: input.figuresPrefilled
        ? t('settings.prefilled', { name: input.siblingJurisdiction ?? sf.jurisdiction })
        : null,
    },
    thresholds,
    clear: input.settingsStored
      ? clearView(
          input.clearForm ?? blankClearForm(),
          input.clearIssues ?? [],
          `${base}/settings/clear`,
          lang,
          t,
        )
      : null,
    audit: auditRows(input.audit, lang, unit, t),
  };
}
