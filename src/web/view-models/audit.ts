import {
  AUDIT_PAGE_SIZE,
  type AuditLogEntry,
  type AuditLogPage,
  type ChainCheck,
  type ChainStatusView,
} from '../../app/audit';
import { AUDIT_ENTITIES } from '../../store/types';
import type { FieldIssue } from '../../domain/errors';
import { formatDateTime } from '../format/date';
import type { Lang } from '../format/number';
import { isMessageKey, type Translate } from '../i18n';
import { formField, type FormField } from './form-fields';

/** One line of the audit log page. */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  organisation: string | null;
  action: string;
  entity: string;
  entityId: number | null;
  /** The entity's page, where it has one. */
  href: string | null;
  /** What the entry is about in a few words (a name, a code, a version), from its details. */
  detail: string;
}

/** The filter as typed into the form (query parameters), shown again as it was. */
export interface AuditFilterTyped {
  actor: string;
  orgId: string;
  entity: string;
  from: string;
  to: string;
}

export interface AuditLogView {
  fields: FormField[];
  /** Set when the filter was refused: what to fix, above the form. */
  errorSummary: string | null;
  rows: AuditRow[];
  /** "50 of 1234 entries" or "No entries match". */
  summary: string;
  /** The next (older) page and the first (newest) page of the same filter; null where none. */
  olderHref: string | null;
  newestHref: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

/** The page of an entity, by its id and what its entry records. */
function entityHref(e: AuditLogEntry): string | null {
  if (e.entityId === null) return null;
  const code = text(e.details.code) ?? text(record(e.details.state).code);
  switch (e.entity) {
    case 'project':
      return code === null ? null : `/projects/${encodeURIComponent(code)}`;
    case 'scenario':
      return `/scenarios/${e.entityId}`;
    case 'scenario-version':
      return `/versions/${e.entityId}`;
    case 'portfolio':
      return `/portfolios/${e.entityId}/fiscal`;
    case 'portfolio-fiscal':
      return `/portfolios/${e.entityId}/fiscal/settings`;
    case 'filing':
      return `/filings/${e.entityId}`;
    default:
      return null;
  }
}

/** A few words on what the entry is about: the names and codes its details record. */
export function auditDetail(e: AuditLogEntry, t: Translate): string {
  const d = e.details;
  const state = record(d.state);
  const parts: Array<string | null> = [];
  switch (e.entity) {
    case 'project':
      parts.push(text(d.code) ?? text(state.code), text(state.name));
      break;
    case 'scenario':
      parts.push(text(d.projectCode), text(state.name));
      break;
    case 'scenario-version':
      parts.push(
        text(d.projectCode),
        text(d.scenarioName),
        typeof d.versionNo === 'number' ? t('common.versionNo', { n: d.versionNo }) : null,
        text(d.comment),
      );
      break;
    case 'user':
      parts.push(text(state.username));
      break;
    default:
      parts.push(text(state.name));
  }
  return parts.filter((p) => p !== null).join(' · ');
}

/** A label from the catalogue where it has one, else the word as recorded (actions added later). */
const labelOr = (t: Translate, key: string, word: string) => (isMessageKey(key) ? t(key) : word);

/** The query string of a filter page, with `beforeId` for another page. */
function filterQuery(page: AuditLogPage, beforeId?: number): string {
  const f = page.filter;
  const q = new URLSearchParams();
  const put = (name: string, v: string | number | undefined) => {
    if (v !== undefined) q.set(name, String(v));
  };
  put('actor', f.actor);
  put('orgId', f.orgId);
  put('entity', f.entity);
  put('entityId', f.entityId);
  put('from', f.from);
  put('to', f.to);
  if (f.limit !== AUDIT_PAGE_SIZE) put('limit', f.limit);
  put('beforeId', beforeId);
  const s = q.toString();
  return s === '' ? '/audit' : `/audit?${s}`;
}

/** A refused filter's message in the page's language (the schema's are English). */
function filterError(issue: FieldIssue, t: Translate): string {
  const m = issue.message;
  if (/must be a real date/.test(m)) return t('audit.error.date');
  if (/must not be before/.test(m)) return t('audit.error.order');
  if (/whole number|1 or more|at most/.test(m)) return t('audit.error.number');
  if (issue.path === 'entity') return t('audit.error.entity');
  return m;
}

function filterFields(
  typed: AuditFilterTyped,
  organisations: AuditLogPage['organisations'],
  issues: readonly FieldIssue[],
  t: Translate,
): FormField[] {
  const error = (path: string) => {
    const issue = issues.find((i) => i.path === path);
    return issue ? filterError(issue, t) : null;
  };
  const any = { value: '', label: t('audit.any'), selected: false };
  return [
    formField({
      id: 'audit-actor',
      name: 'actor',
      kind: 'text',
      value: typed.actor,
      label: t('audit.actor'),
      hint: t('audit.actorHint'),
      error: error('actor'),
    }),
    formField({
      id: 'audit-org',
      name: 'orgId',
      kind: 'select',
      value: typed.orgId,
      label: t('audit.organisation'),
      error: error('orgId'),
      options: [
        { ...any, selected: typed.orgId === '' },
        ...organisations.map((o) => ({
          value: String(o.id),
          label: o.name,
          selected: String(o.id) === typed.orgId,
        })),
      ],
    }),
    formField({
      id: 'audit-entity',
      name: 'entity',
      kind: 'select',
      value: typed.entity,
      label: t('audit.entity'),
      error: error('entity'),
      options: [
        { ...any, selected: typed.entity === '' },
        ...AUDIT_ENTITIES.map((value) => ({
          value,
          label: labelOr(t, `audit.entity.${value}`, value),
          selected: value === typed.entity,
        })),
      ],
    }),
    formField({
      id: 'audit-from',
      name: 'from',
      kind: 'date',
      value: typed.from,
      label: t('audit.from'),
      error: error('from'),
    }),
    formField({
      id: 'audit-to',
      name: 'to',
      kind: 'date',
      value: typed.to,
      label: t('audit.to'),
      error: error('to'),
    }),
  ];
}

function auditRow(e: AuditLogEntry, t: Translate): AuditRow {
  return {
    id: e.id,
    at: e.at,
    actor: e.actor,
    organisation: e.organisation,
    action: labelOr(t, `audit.action.${e.action}`, e.action),
    entity: labelOr(t, `audit.entity.${e.entity}`, e.entity),
    entityId: e.entityId,
    href: entityHref(e),
    detail: auditDetail(e, t),
  };
}

/** The audit log page's model: a page of entries, or the refused filter with its problems. */
export function buildAuditLog(
  typed: AuditFilterTyped,
  outcome:
    | { page: AuditLogPage }
    | { issues: readonly FieldIssue[]; organisations: AuditLogPage['organisations'] },
  t: Translate,
): AuditLogView {
  if (!('page' in outcome))
    return {
      fields: filterFields(typed, outcome.organisations, outcome.issues, t),
      errorSummary: t('audit.error.summary'),
      rows: [],
      summary: '',
      olderHref: null,
      newestHref: null,
    };
  const { page } = outcome;
  const rows = page.entries.map((e) => auditRow(e, t));
  return {
    fields: filterFields(typed, page.organisations, [], t),
    errorSummary: null,
    rows,
    summary:
      rows.length === 0
        ? t('audit.noEntries')
        : t('audit.summary', { shown: String(rows.length), total: String(page.total) }),
    olderHref: page.nextBeforeId === null ? null : filterQuery(page, page.nextBeforeId),
    newestHref: page.filter.beforeId === undefined ? null : filterQuery(page),
  };
}

/** The chain verification page's model. */
export interface ChainView {
  state: 'not-run' | 'running' | 'ok' | 'broken';
  summary: string;
  running: { startedAt: string; entriesChecked: number } | null;
  last: ChainCheck | null;
  /** The log page showing the first broken entry at its top. */
  brokenHref: string | null;
  failure: { message: string; at: string } | null;
}

/** The audit log page that shows `entryId` first. */
export const entryHref = (entryId: number) => `/audit?beforeId=${entryId + 1}`;

export function buildChainView(status: ChainStatusView, t: Translate): ChainView {
  const last = status.last;
  const state = status.running ? 'running' : last === null ? 'not-run' : last.ok ? 'ok' : 'broken';
  const summary =
    state === 'running'
      ? t('audit.chain.running', { n: String(status.running?.entriesChecked ?? 0) })
      : last === null
        ? t('audit.chain.notRun')
        : chainSummary(last, t);
  return {
    state,
    summary,
    running: status.running,
    last,
    brokenHref:
      last !== null && last.firstBrokenEntryId !== null ? entryHref(last.firstBrokenEntryId) : null,
    failure: status.failure,
  };
}

/**
 * "1234 entries checked, chain intact." or "Broken at entry 17: …". The problem is said in the page's
 * language where its code has a message (the chain's own problems), else as verification wrote it.
 */
export function chainSummary(check: ChainCheck, t: Translate): string {
  if (check.ok) return t('audit.chain.ok', { n: String(check.entries) });
  const id = check.firstBrokenEntryId;
  const problem = problemText(check, t);
  return id === null
    ? t('audit.chain.brokenNoEntry', { problem })
    : t('audit.chain.broken', { id: String(id), problem });
}

/** The first problem in the page's language where its code has a message, else as verification wrote it. */
function problemText(check: ChainCheck, t: Translate): string {
  const key = `audit.problem.${check.firstProblemCode ?? ''}`;
  return check.firstBrokenEntryId !== null && isMessageKey(key)
    ? t(key)
    : (check.firstProblem ?? '');
}

/** The broken-chain banner above every page of an auditor or administrator. */
export interface ChainBannerView {
  /** "The audit chain is broken at entry 17: it was changed after it was written. Verified …" */
  text: string;
  /** The log page showing the first broken entry at its top; null where none can be named. */
  entryHref: string | null;
}

/** The banner for a verification that found the chain broken (see `chainBanner` in src/app/audit.ts). */
export function chainBannerView(check: ChainCheck, t: Translate, lang: Lang): ChainBannerView {
  const id = check.firstBrokenEntryId;
  const problem = problemText(check, t);
  const at = formatDateTime(check.finishedAt, lang);
  return {
    text:
      id === null
        ? t('audit.bannerNoEntry', { problem, at })
        : t('audit.banner', { id: String(id), problem, at }),
    entryHref: id === null ? null : entryHref(id),
  };
}
