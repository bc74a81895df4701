import { Dec } from '../../domain/decimal';
import { ValidationError } from '../../domain/errors';
import type { Store } from '../../store/store';
import type { StoredResult } from '../../store/types';
import { amountForChart, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';
import { chartData, color, type ChartData, type ChartSpec } from './charts';
import { comparisonRows, type ComparisonRow } from './comparison';
import { projectName } from './common';

export interface CompareView {
  /** The picker: four slots, each listing every scenario grouped by project. */
  slots: Array<{
    n: number;
    groups: Array<{
      project: string;
      options: Array<{ id: number; label: string; selected: boolean }>;
    }>;
  }>;
  problem: string | null;
  /**
   * More than MAX scenarios asked for: each of them with a box to tick, to pick which to compare
   * (the page answers 422; nothing is compared until the user chooses).
   */
  choose: {
    max: number;
    items: Array<{ id: number; label: string }>;
  } | null;
  columns: Array<{
    project: string;
    scenario: string;
    /** The scenario's delivery model (format v2): a bond and a PPP variant side by side. */
    delivery: string | null;
    href: string;
    versionNo: number;
  }>;
  rows: ComparisonRow[];
  charts: ChartData;
  hasComparison: boolean;
  /** The comparison as a workbook (README "Portfolio workbooks"); null without a comparison. */
  xlsxHref: string | null;
}

/** At most this many scenarios side by side (the picker's slots, the limit of `s=`). */
export const MAX_COMPARED = 4;
const MAX = MAX_COMPARED;

/** The `s` query values as scenario ids (a single value or a repeated key). */
export function selectedIds(query: unknown): number[] {
  const values = Array.isArray(query) ? query : query === undefined ? [] : [query];
  const ids = values.filter((v): v is string => typeof v === 'string' && v !== '');
  const bad = ids.find((v) => !/^\d{1,12}$/.test(v));
  if (bad !== undefined)
    throw new ValidationError(
      [{ path: 's', message: `"${bad}" is not a scenario id` }],
      'The comparison is not valid',
    );
  return [...new Set(ids.map(Number))];
}

function overlay(
  results: Array<{ name: string; result: StoredResult }>,
  pick: (y: StoredResult['ledger'][number]) => string,
  unit: Unit,
  unitLabel: string,
): ChartSpec {
  const years = [...new Set(results.flatMap((r) => r.result.ledger.map((y) => y.year)))].sort(
    (a, b) => a - b,
  );
  return {
    kind: 'line',
    labels: years,
    yFormat: 'amount',
    yTitle: unitLabel,
    datasets: results.map((r, i) => {
      const byYear = new Map(r.result.ledger.map((y) => [y.year, pick(y)]));
      return {
        label: r.name,
        data: years.map((y) =>
          byYear.has(y) ? amountForChart(byYear.get(y) as string, unit) : null,
        ),
        color: color(i),
      };
    }),
  };
}

/**
 * Two to four scenarios of any projects side by side: metrics with deltas against the first,
 * and overlaid yearly charts.
 * @throws NotFoundError for an unknown scenario id
 */
/** The message and the boxes to tick when more than MAX scenarios are asked for. */
function tooMany(
  store: Store,
  ids: number[],
  lang: Lang,
  t: Translate,
): Pick<CompareView, 'problem' | 'choose'> {
  const items = ids.map((id) => {
    const s = store.scenarios.getById(id);
    const project = store.projects.get(s.projectCode);
    return { id, label: `${projectName(project, lang)} (${s.projectCode}) · ${s.name}` };
  });
  return {
    problem: t('compare.tooManyChosen', { n: ids.length, max: MAX }),
    choose: { max: MAX, items },
  };
}

/**
 * The compared scenarios, each with its project and its current version's result.
 * @throws NotFoundError for an unknown (or unseen) scenario id
 */
export function comparedScenarios(store: Store, ids: readonly number[]) {
  return ids.map((id) => {
    const s = store.scenarios.getById(id);
    const project = store.projects.get(s.projectCode);
    return { s, project, result: store.results.forVersion(s.currentVersionId) };
  });
}

export function buildCompare(
  store: Store,
  ids: number[],
  lang: Lang,
  unit: Unit,
  t: Translate,
): CompareView {
  const all = store.scenarios.list();
  const projects = new Map(store.projects.list().map((p) => [p.code, p]));
  const groups = [...new Set(all.map((s) => s.projectCode))].map((code) => ({
    code,
    project: projects.get(code) ? `${projectName(projects.get(code)!, lang)} (${code})` : code,
    scenarios: all.filter((s) => s.projectCode === code),
  }));
  const slots = Array.from({ length: MAX }, (_, i) => ({
    n: i + 1,
    groups: groups.map((g) => ({
      project: g.project,
      options: g.scenarios.map((s) => ({ id: s.id, label: s.name, selected: ids[i] === s.id })),
    })),
  }));
  const unitLabel = t(`unit.${unit}`);
  const empty: CompareView = {
    slots,
    problem: null,
    choose: null,
    columns: [],
    rows: [],
    charts: chartData(lang, unit, t, {}),
    hasComparison: false,
    xlsxHref: null,
  };
  if (ids.length === 0) return empty;
  if (ids.length < 2) return { ...empty, problem: t('compare.tooFew') };
  if (ids.length > MAX) return { ...empty, ...tooMany(store, ids, lang, t) };

  const picked = comparedScenarios(store, ids);
  const named = picked.map((p) => ({ name: `${p.project.code} · ${p.s.name}`, result: p.result }));
  const debtTotal = (y: StoredResult['ledger'][number]) =>
    y.debt.reduce((a, d) => a.plus(d.closing), new Dec(0)).toString();
  return {
    slots,
    problem: null,
    choose: null,
    columns: picked.map((p) => ({
      project: projectName(p.project, lang),
      scenario: p.s.name,
      delivery: p.s.delivery,
      href: `/scenarios/${p.s.id}`,
      versionNo: p.s.currentVersionNo,
    })),
    rows: comparisonRows(
      picked.map((p) => p.result),
      lang,
      unit,
      t,
    ),
    charts: chartData(lang, unit, t, {
      projectFlow: overlay(named, (y) => y.projectFlow, unit, unitLabel),
      debt: overlay(named, debtTotal, unit, unitLabel),
      government: overlay(named, (y) => y.governmentNet, unit, unitLabel),
    }),
    hasComparison: true,
    xlsxHref: `/compare.xlsx?${ids.map((id) => `s=${id}`).join('&')}`,
  };
}
