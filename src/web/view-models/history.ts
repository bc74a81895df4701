import { NotFoundError } from '../../domain/errors';
import type { Store } from '../../store/store';
import type { Lang, Unit } from '../format/number';
import type { Translate } from '../i18n';
import { comparisonRows, type ComparisonRow } from './comparison';
import { projectName } from './common';
import { tryResult } from './projects';

export interface HistoryView {
  project: { code: string; name: string; href: string };
  scenario: { id: number; name: string; href: string };
  versions: Array<{ id: number; no: number; href: string; author: string; createdAt: string; comment: string; restoredFromNo: number | null; current: boolean; isFrom: boolean; isTo: boolean }>;
  single: boolean;
  from: { id: number; no: number } | null;
  to: { id: number; no: number } | null;
  changes: Array<{ path: string; kind: string; before: string; after: string }>;
  metrics: ComparisonRow[];
  metricsError: string | null;
}

const parseId = (v: unknown): number | null => (typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : null);

/** A JSON value as one line of text for the diff table. */
function show(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The versions of one scenario, and what changed between two of them (default: the previous
 * and the current version): inputs field by field, and the key metrics.
 * @throws NotFoundError for an unknown scenario, or versions that are not this scenario's
 */
export function buildHistory(store: Store, scenarioId: number, query: { from?: unknown; to?: unknown }, lang: Lang, unit: Unit, t: Translate): HistoryView {
  const scenario = store.scenarios.getById(scenarioId);
  const project = store.projects.get(scenario.projectCode);
  const versions = store.scenarios.versions(scenario.id);
  const byId = new Map(versions.map((v) => [v.id, v]));
  const pick = (raw: unknown, fallback: number | undefined) => {
    const id = parseId(raw);
    if (raw !== undefined && raw !== '' && (id === null || !byId.has(id))) throw new NotFoundError('Version', String(raw));
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
    changes = store.scenarios.compare(from.id, to.id).map((c) => ({
      path: c.path,
      kind: t(`history.change.${c.kind}`),
      before: show(c.before),
      after: show(c.after),
    }));
    const a = tryResult(store, from.id);
    const b = tryResult(store, to.id);
    if (a.result && b.result) metrics = comparisonRows([a.result, b.result], lang, unit, t);
    else metricsError = a.error ?? b.error;
  }
  const noOf = new Map(versions.map((v) => [v.id, v.versionNo]));
  return {
    project: { code: project.code, name: projectName(project, lang), href: `/projects/${encodeURIComponent(project.code)}` },
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
    })),
    single,
    from: from ? { id: from.id, no: from.versionNo } : null,
    to: to ? { id: to.id, no: to.versionNo } : null,
    changes,
    metrics,
    metricsError,
  };
}
