import { FundMixError } from '../../domain/errors';
import type { FiscalReports } from '../services/fiscal-reports';
import type { Store } from '../../store/store';
import type { ScenarioRecord, StoredResult } from '../../store/types';
import { formatAmount, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';
import { checkRowView, failingRows, type CheckRowView } from './checks';
import { MAX_COMPARED } from './compare';
import {
  distinctDeliveries,
  flagView,
  keyMetrics,
  projectHeader,
  projectName,
  thresholdsOf,
  type FlagView,
  type ProjectHeaderView,
} from './common';

export interface ProjectListView {
  projects: Array<{
    code: string;
    href: string;
    name: string;
    sector: string;
    category: string;
    /** Its scenarios' delivery models, each once ("government / PPP" when they differ). */
    deliveries: string[];
    scenarioCount: number;
    updatedAt: string | null;
  }>;
}

/** All live projects with their number of scenarios and when they were last saved. */
export function buildProjectList(store: Store, lang: Lang): ProjectListView {
  const scenarios = store.scenarios.list();
  const byProject = new Map<string, ScenarioRecord[]>();
  for (const s of scenarios)
    byProject.set(s.projectCode, [...(byProject.get(s.projectCode) ?? []), s]);
  return {
    projects: store.projects.list().map((p) => {
      const own = byProject.get(p.code) ?? [];
      const latest =
        own
          .map((s) => s.updatedAt)
          .sort()
          .pop() ?? null;
      return {
        code: p.code,
        href: `/projects/${encodeURIComponent(p.code)}`,
        name: projectName(p, lang),
        sector: p.sector,
        category: p.category,
        deliveries: distinctDeliveries(own.map((s) => s.delivery)),
        scenarioCount: own.length,
        updatedAt: latest,
      };
    }),
  };
}

/** A result, or why there is none (an engine error for stored inputs shows, it does not crash the page). */
export function tryResult(
  store: Store,
  versionId: number,
): { result: StoredResult | null; error: string | null } {
  try {
    return { result: store.results.forVersion(versionId), error: null };
  } catch (err) {
    if (err instanceof FundMixError) return { result: null, error: err.message };
    throw err;
  }
}

export interface ProjectView {
  project: ProjectHeaderView;
  scenarios: Array<{
    id: number;
    name: string;
    /** The scenario's delivery model (format v2), or null when its inputs have none. */
    delivery: string | null;
    href: string;
    editHref: string;
    copyHref: string;
    historyHref: string;
    versionNo: number;
    error: string | null;
    flags: FlagView[];
    /** Failing rules: the scenario's own checklist and, for the 10 % cap and 5 % line, its portfolios'. */
    checks: { fails: CheckRowView[]; text: string; portfolios: string[] } | null;
  }>;
  /** Metric rows × scenario columns. */
  metricRows: Array<{
    label: string;
    cells: Array<{ text: string; note: string | null; tone: string }>;
  }>;
  history: Array<{
    scenario: string;
    versionNo: number;
    href: string;
    author: string;
    createdAt: string;
    comment: string;
    restoredFromId: number | null;
    current: boolean;
  }>;
  newScenarioHref: string;
  compareHref: string | null;
  /** The compare button's text: with more than four scenarios it says the user will choose. */
  compareLabel: string;
}

/**
 * A project with its scenarios side by side (key metrics of each current version) and the
 * history of every version, newest first.
 * @throws NotFoundError for an unknown project code
 */
export function buildProject(
  store: Store,
  code: string,
  lang: Lang,
  unit: Unit,
  t: Translate,
  fiscal?: FiscalReports,
): ProjectView {
  const project = store.projects.get(code);
  const records = store.scenarios.list({ projectCode: project.code });
  const loaded = records.map((s) => {
    const version = store.scenarios.version(s.currentVersionId);
    return { s, version, ...tryResult(store, s.currentVersionId) };
  });
  const columns = loaded.map(({ version, result }) =>
    result
      ? keyMetrics(
          result,
          thresholdsOf(version.inputs as never),
          lang,
          unit,
          t,
          (version.inputs as { discountRates?: { project?: string } }).discountRates?.project,
        )
      : null,
  );
  // Rows by metric key in first-seen order (scenarios may have different equity holders).
  const keys: Array<{ key: string; label: string }> = [];
  for (const col of columns)
    for (const r of col ?? [])
      if (!keys.some((k) => k.key === r.key)) keys.push({ key: r.key, label: r.label });
  const metricRows = keys.map((k) => ({
    label: k.label,
    cells: columns.map((col) => {
      const found = col?.find((r) => r.key === k.key);
      return found
        ? { text: found.figure.text, note: found.figure.note, tone: found.figure.tone }
        : { text: '—', note: null, tone: 'neutral' };
    }),
  }));
  const history = records
    .flatMap((s) =>
      store.scenarios.versions(s.id).map((v) => ({
        scenario: s.name,
        versionNo: v.versionNo,
        href: `/versions/${v.id}`,
        author: v.author,
        createdAt: v.createdAt,
        comment: v.comment,
        restoredFromId: v.restoredFromId,
        current: v.id === s.currentVersionId,
        id: v.id,
      })),
    )
    .sort((a, b) =>
      a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1,
    )
    .map(({ id: _id, ...rest }) => rest);
  return {
    project: projectHeader(
      project,
      lang,
      records.map((s) => s.delivery),
    ),
    scenarios: loaded.map(({ s, result, error }) => ({
      id: s.id,
      name: s.name,
      delivery: s.delivery,
      href: `/scenarios/${s.id}`,
      editHref: `/scenarios/${s.id}/edit`,
      copyHref: `/scenarios/${s.id}/edit?copy=1`,
      historyHref: `/scenarios/${s.id}/history`,
      versionNo: s.currentVersionNo,
      error,
      flags: (result?.flags ?? [])
        .filter((f) => f.severity !== 'info')
        .map((f) => flagView(f, unit, t)),
      checks: result && fiscal ? scenarioFailures(fiscal, s, lang, t) : null,
    })),
    metricRows,
    history,
    newScenarioHref: `/projects/${encodeURIComponent(project.code)}/scenarios/new`,
    // Every scenario: with more than four the compare page asks which to compare.
    compareHref:
      records.length >= 2 ? `/compare?${records.map((s) => `s=${s.id}`).join('&')}` : null,
    compareLabel:
      records.length > MAX_COMPARED
        ? t('project.compareChoose', { max: MAX_COMPARED, n: records.length })
        : t('project.compareAll'),
  };
}

function scenarioFailures(
  fiscal: FiscalReports,
  s: ScenarioRecord,
  lang: Lang,
  t: Translate,
): NonNullable<ProjectView['scenarios'][number]['checks']> {
  const portfolios = fiscal.portfoliosUsing(s.id);
  const fails = failingRows(fiscal.checklist(s.currentVersionId).rows, portfolios, s.id).map((r) =>
    checkRowView(r, lang, t),
  );
  return {
    fails,
    text: fails.length > 0 ? t('dash.fiscal.fails', { n: fails.length }) : t('dash.fiscal.pass'),
    portfolios: portfolios.map((p) => p.portfolio.name),
  };
}

/** Total investment text of a result, for compact lists. */
export const investmentText = (r: StoredResult | null, unit: Unit) =>
  r ? formatAmount(r.metrics.totalInvestment, unit) : '—';
