import { NotFoundError, type FieldIssue } from '../../domain/errors';
import type { Store } from '../../store/store';
import type { Lang, Unit } from '../format/number';
import type { Translate } from '../i18n';
import { localizeIssue } from '../i18n/issues';
import { comparisonRows, type ComparisonRow } from './comparison';
import { projectName } from './common';
import { commentFields, type CommentValues, type FormField } from './form-fields';
import { tryResult } from './projects';
import { readableChanges, type ReadableChange } from './readable-diff';

/** The restore form of one version as sent, with what the store found wrong (422). */
export interface RestoreFormState extends CommentValues {
  versionId: number;
  issues: readonly FieldIssue[];
}

/** What the page needs for its restore forms. */
export interface RestoreOptions {
  csrfToken: string;
  /** A refused restore: its form comes back open, as typed, with the problems. */
  refused?: RestoreFormState;
  /** Shown above the versions (a conflict: nothing was restored). */
  notice?: string | null;
}

export interface RestoreFormView {
  action: string;
  open: boolean;
  fields: FormField[];
  /** Problems not about the comment (e.g. stored inputs the schema no longer accepts). */
  errors: string[];
  summary: string | null;
}

export interface HistoryView {
  project: { code: string; name: string; href: string };
  scenario: { id: number; name: string; href: string };
  versions: Array<{
    id: number;
    no: number;
    href: string;
    author: string;
    createdAt: string;
    comment: string;
    restoredFromNo: number | null;
    current: boolean;
    isFrom: boolean;
    isTo: boolean;
    /** Null for the current version and for a deleted scenario or project. */
    restore: RestoreFormView | null;
  }>;
  csrfToken: string;
  notice: string | null;
  currentNo: number;
  single: boolean;
  from: { id: number; no: number } | null;
  to: { id: number; no: number } | null;
  /** Each input change as a sentence, with its JSON path as secondary text. */
  changes: ReadableChange[];
  metrics: ComparisonRow[];
  metricsError: string | null;
}

const parseId = (v: unknown): number | null =>
  typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : null;

/**
 * The form that makes version `no` current again. Problems with the comment go to its field;
 * anything else (the stored inputs no longer valid) above them, with its path.
 */
function restoreForm(
  versionId: number,
  refused: RestoreFormState | undefined,
  lang: Lang,
  t: Translate,
): RestoreFormView {
  const mine = refused?.versionId === versionId ? refused : undefined;
  const byField = new Map<string, string>();
  const errors: string[] = [];
  for (const issue of mine?.issues ?? []) {
    const message = localizeIssue(issue.message, lang);
    const before = byField.get('comment');
    if (issue.path === 'comment') byField.set('comment', before ? `${before} ${message}` : message);
    else errors.push(issue.path ? `${issue.path}: ${message}` : message);
  }
  const problems = byField.size + errors.length;
  return {
    action: `/versions/${versionId}/restore`,
    open: mine !== undefined,
    fields: commentFields(
      `restore-${versionId}`,
      mine ?? { comment: '' },
      (k) => byField.get(k) ?? null,
      t,
    ),
    errors,
    summary: problems > 0 ? t('editor.errorsTitle', { n: problems }) : null,
  };
}

/**
 * The versions of one scenario, and what changed between two of them (default: the previous
 * and the current version): inputs field by field, and the key metrics. Every earlier version
 * of a live scenario has a form to restore it (a new version; nothing is overwritten).
 * @throws NotFoundError for an unknown scenario, or versions that are not this scenario's
 */
export function buildHistory(
  store: Store,
  scenarioId: number,
  query: { from?: unknown; to?: unknown },
  lang: Lang,
  unit: Unit,
  t: Translate,
  restore: RestoreOptions,
): HistoryView {
  const scenario = store.scenarios.getById(scenarioId);
  const project = store.projects.get(scenario.projectCode);
  const versions = store.scenarios.versions(scenario.id);
  const byId = new Map(versions.map((v) => [v.id, v]));
  const pick = (raw: unknown, fallback: number | undefined) => {
    const id = parseId(raw);
    if (raw !== undefined && raw !== '' && (id === null || !byId.has(id)))
      throw new NotFoundError('Version', String(raw));
    return id ?? fallback;
  };
  const last = versions[versions.length - 1];
  const prev = versions[versions.length - 2];
  const toId = pick(query.to, last?.id);
  const fromId = pick(query.from, prev?.id ?? last?.id);
  const from = fromId === undefined ? undefined : byId.get(fromId);
  const to = toId === undefined ? undefined : byId.get(toId);
  const single = versions.length < 2;

  let changes: HistoryView['changes'] = [];
  let metrics: ComparisonRow[] = [];
  let metricsError: string | null = null;
  if (from && to && !single) {
    const compared = store.scenarios.compareInputs(from.id, to.id);
    changes = readableChanges(compared.changes, compared, lang, unit, t);
    const a = tryResult(store, from.id);
    const b = tryResult(store, to.id);
    if (a.result && b.result) metrics = comparisonRows([a.result, b.result], lang, unit, t);
    else metricsError = a.error ?? b.error;
  }
  const noOf = new Map(versions.map((v) => [v.id, v.versionNo]));
  return {
    project: {
      code: project.code,
      name: projectName(project, lang),
      href: `/projects/${encodeURIComponent(project.code)}`,
    },
    scenario: { id: scenario.id, name: scenario.name, href: `/scenarios/${scenario.id}` },
    versions: [...versions].reverse().map((v) => ({
      id: v.id,
      no: v.versionNo,
      href: `/versions/${v.id}`,
      author: v.author,
      createdAt: v.createdAt,
      comment: v.comment,
      restoredFromNo: v.restoredFromId === null ? null : (noOf.get(v.restoredFromId) ?? null),
      current: v.id === scenario.currentVersionId,
      isFrom: v.id === from?.id,
      isTo: v.id === to?.id,
      restore:
        v.id === scenario.currentVersionId ||
        scenario.deletedAt !== null ||
        project.deletedAt !== null
          ? null
          : restoreForm(v.id, restore.refused, lang, t),
    })),
    csrfToken: restore.csrfToken,
    notice: restore.notice ?? null,
    currentNo: scenario.currentVersionNo,
    single,
    from: from ? { id: from.id, no: from.versionNo } : null,
    to: to ? { id: to.id, no: to.versionNo } : null,
    changes,
    metrics,
    metricsError,
  };
}
