import { Dec } from '../../domain/decimal';
import { ledgerLines } from '../../domain/engine/ledger-table';
import { GOVERNMENT_INSTRUMENTS } from '../../domain/engine/types';
import { OWNERSHIPS, effectiveOwnership, type Ownership } from '../../domain/scenario/ownership';
import { deliveryOf } from '../../domain/scenario/upgrade';
import { deliveryComparisonView, type DeliveryComparisonView } from './delivery-comparison';
import type { Store } from '../../store/store';
import type { Project, ScenarioRecord, ScenarioVersion, StoredResult } from '../../store/types';
import {
  amountForChart,
  formatAmount,
  formatPercent,
  formatRatio,
  type Lang,
  type Unit,
} from '../format/number';
import type { Translate } from '../i18n';
import type { FiscalReports } from '../services/fiscal-reports';
import type { ResultFigures } from '../services/result-figures';
import { scenarioChecksView, type ScenarioChecksView } from './checks';
import { reviveResult } from '../../store/result-revive';
import type { ChartData, ChartSpec, DatasetSpec } from './charts';
import { PILLAR_COLORS, chartData, color, hasData } from './charts';
import {
  flagView,
  keyMetrics,
  projectHeader,
  thresholdsOf,
  type FlagView,
  type MetricRow,
  type ProjectHeaderView,
} from './common';

export interface LedgerRowView {
  label: string;
  total: boolean;
  ratio: boolean;
  cells: string[];
}

export interface ResultsView {
  project: ProjectHeaderView;
  /** `delivery`: this version's delivery model (format v2: the scenario's). */
  scenario: { id: number; name: string; delivery: string | null; description: string | null };
  version: {
    id: number;
    no: number;
    total: number;
    author: string;
    createdAt: string;
    comment: string;
    isCurrent: boolean;
    currentNo: number;
    restoredFromNo: number | null;
  };
  notice: string | null;
  metrics: MetricRow[];
  flags: FlagView[];
  years: Array<{ year: number; construction: boolean }>;
  ledger: LedgerRowView[];
  sources: Array<{
    name: string;
    type: string;
    pillar: string;
    amount: string;
    share: string;
    /** Equity only: who owns it (declared or the type's default), as shown; null otherwise. */
    ownership: string | null;
  }>;
  sourcesUses: Array<{
    key: string;
    title: string;
    sources: Array<{ label: string; amount: string }>;
    uses: Array<{ label: string; amount: string }>;
    total: string;
  }>;
  charts: ChartData;
  /** The compliance checklist (null when the page is built without the fiscal service). */
  checks: ScenarioChecksView | null;
  /** PPP and concession versions: the project's government scenarios against this one. */
  deliveryComparison: DeliveryComparisonView | null;
  downloads: { scenario: string; ledger: string; workbook: string };
  links: {
    edit: string;
    history: string;
    project: string;
    compare: string;
    current: string;
    riskRegister: string;
  };
}

export interface ResultsInput {
  project: Project;
  scenario: ScenarioRecord;
  version: ScenarioVersion;
  versionCount: number;
  /** Version number the scenario is at now. */
  currentNo: number;
  restoredFromNo: number | null;
  /** The version's result (read only when `figures` are not given). */
  result: () => StoredResult;
  /** The version's figures when already computed. */
  figures?: VersionFigures;
  lang: Lang;
  unit: Unit;
  t: Translate;
  notice?: string | null;
  checks?: ScenarioChecksView | null;
  deliveryComparison?: DeliveryComparisonView | null;
}

const D = (s: string) => new Dec(s);

/** Text of one ledger cell: amounts in the unit (exact zero as "–"), ratios with 2 places. */
function cell(
  value: InstanceType<typeof Dec> | null | undefined,
  ratio: boolean,
  unit: Unit,
): string {
  if (value === null || value === undefined) return '';
  if (ratio) return formatRatio(value);
  return value.isZero() ? '–' : formatAmount(value, unit);
}

function suLabel(
  key: string,
  label: string,
  sourceNames: Map<string, string>,
  t: Translate,
): string {
  if (key.startsWith('source:')) return sourceNames.get(key.slice('source:'.length)) ?? label;
  try {
    return t(`su.${key}`);
  } catch {
    return label;
  }
}

/** The charts of one result (see charts.ts for the format). */
export function resultCharts(
  result: StoredResult,
  minDscr: string,
  lang: Lang,
  unit: Unit,
  t: Translate,
): ChartData {
  const L = result.ledger;
  const years = L.map((y) => y.year);
  const amt = (v: string) => amountForChart(v, unit);
  const neg = (v: string) => -amountForChart(v, unit);
  const sumOf = (xs: string[]) => xs.reduce((a, b) => a.plus(b), new Dec(0)).toString();
  const unitLabel = t(`unit.${unit}`);

  const flows: DatasetSpec[] = [
    ...result.streams.map((s, i) => ({
      label: s.name,
      data: L.map((y) => amt(y.revenues[i] ?? '0')),
      color: color(i + 2),
    })),
    {
      label: t('su.operating-subsidy'),
      data: L.map((y) => amt(y.operatingSubsidy)),
      color: '#4aa3b5',
    },
    {
      label: t('su.availability-payment'),
      data: L.map((y) => amt(y.availabilityPayment)),
      color: '#8a5cb8',
    },
    { label: t('su.residual-value'), data: L.map((y) => amt(y.residualValue)), color: '#9a8f3c' },
    { label: t('su.capex'), data: L.map((y) => neg(y.capex)), color: '#6b7785' },
    { label: t('su.opex'), data: L.map((y) => neg(y.opex)), color: '#c4534a' },
    {
      label: t('su.data-authority-share'),
      data: L.map((y) => neg(sumOf(y.dataAuthorityShare))),
      color: '#d46fa1',
    },
    { label: t('su.tax'), data: L.map((y) => neg(y.tax)), color: '#b5762f' },
    // Indirect taxes: no data (so no dataset) for a scenario without them.
    {
      label: t('su.output-vat'),
      data: L.map((y) => amt(y.indirectTax?.outputVat ?? '0')),
      color: '#5c8a3c',
    },
    {
      label: t('results.chart.indirectTaxPaid'),
      data: L.map((y) =>
        neg(
          new Dec(y.indirectTax?.vatPayable ?? '0')
            .plus(y.indirectTax?.surcharges ?? '0')
            .toString(),
        ),
      ),
      color: '#7d6b3c',
    },
  ].filter((d) => hasData(d.data));
  flows.push({
    label: t('results.chart.projectFlow'),
    data: L.map((y) => amt(y.projectFlow)),
    color: '#1f2a37',
    line: true,
  });

  const debt: DatasetSpec[] = result.debts.map((s, j) => ({
    label: s.name,
    data: L.map((y) => amt(y.debt[j]?.closing ?? '0')),
    color: color(j),
  }));
  if (L.some((y) => y.dscr !== null)) {
    debt.push({
      label: t('results.chart.dscr'),
      data: L.map((y) => (y.dscr === null ? null : Number(y.dscr))),
      color: '#1f2a37',
      line: true,
      right: true,
    });
    debt.push({
      label: t('results.chart.covenant'),
      data: L.map((y) => (y.dscr !== null ? Number(minDscr) : null)),
      color: '#c4534a',
      line: true,
      right: true,
      dashed: true,
      flat: true,
    });
  }

  const pillars = (['government', 'enterprise', 'social'] as const).map((p) => ({
    p,
    v: amt(result.metrics.fundingByPillar[p].amount),
  }));
  const government: DatasetSpec[] = GOVERNMENT_INSTRUMENTS.map((k, i) => ({
    label: t(`instrument.${k}`),
    data: L.map((y) => amt(y.government[k])),
    color: color(i),
  })).filter((d) => hasData(d.data));

  const charts: Record<string, ChartSpec> = {
    cashflows: {
      kind: 'bar',
      labels: years,
      datasets: flows,
      stacked: true,
      yFormat: 'amount',
      yTitle: unitLabel,
    },
    debt: {
      kind: 'bar',
      labels: years,
      datasets: debt,
      stacked: true,
      yFormat: 'amount',
      yTitle: unitLabel,
      rightTitle: t('results.chart.dscr'),
    },
    pillars: {
      kind: 'doughnut',
      labels: pillars.map((x) => t(`pillar.${x.p}`)),
      datasets: [{ label: t('results.chart.pillars'), data: pillars.map((x) => x.v), color: '' }],
      yFormat: 'amount',
      yTitle: unitLabel,
      sliceColors: pillars.map((x) => PILLAR_COLORS[x.p]),
    },
    government: {
      kind: 'bar',
      labels: years,
      datasets: government,
      stacked: true,
      yFormat: 'amount',
      yTitle: unitLabel,
    },
  };
  return chartData(lang, unit, t, charts);
}

/** Equity sources: the ownership that applies (declared, else the type's default), in words. */
function ownershipLabel(
  s: { id: string; type: string; nature: string },
  inputs: unknown,
  t: Translate,
): string | null {
  if (s.nature !== 'equity') return null;
  const listed = (inputs as { funding?: { sources?: unknown } }).funding?.sources;
  const found = (Array.isArray(listed) ? listed : []).find(
    (x): x is { ownership?: unknown } =>
      typeof x === 'object' && x !== null && (x as { id?: unknown }).id === s.id,
  );
  const declared = (OWNERSHIPS as readonly unknown[]).includes(found?.ownership)
    ? (found?.ownership as Ownership)
    : undefined;
  const o = effectiveOwnership({ type: s.type, ownership: declared });
  return o === null ? t('ownership.undeclared') : t(`ownership.${o}`);
}

/**
 * What a results page shows of the version's inputs and result alone: the same for as long as
 * the version exists (its inputs never change, and its result is keyed by their hash and the
 * engine version), so it is computed once per version, language and unit (see ResultFigures).
 */
export type VersionFigures = Pick<
  ResultsView,
  'metrics' | 'flags' | 'years' | 'ledger' | 'sources' | 'sourcesUses' | 'charts'
>;

type VersionInputs = {
  covenants?: { minDscr?: string; bondCoverage?: string };
  discountRates?: { project?: string };
  scenario?: { description?: string };
};

/** Cards, flags, charts, the full ledger, sources and uses of one version's result. */
export function versionFigures(
  version: ScenarioVersion,
  result: StoredResult,
  lang: Lang,
  unit: Unit,
  t: Translate,
): VersionFigures {
  const inputs = version.inputs as VersionInputs;
  const thresholds = thresholdsOf(inputs);
  const revived = reviveResult(result);
  const lines = ledgerLines(revived);
  const total = D(result.metrics.totalInvestment);
  const sourceNames = new Map(result.sources.map((s) => [s.id, s.name]));
  const su = (side: 'construction' | 'lifetime') => {
    const x = result.sourcesAndUses[side];
    const rows = (ls: typeof x.sources) =>
      ls
        .filter((l) => !D(l.amount).isZero())
        .map((l) => ({
          label: suLabel(l.key, l.label, sourceNames, t),
          amount: formatAmount(l.amount, unit),
        }));
    return {
      key: side,
      title: t(`results.${side}`),
      sources: rows(x.sources),
      uses: rows(x.uses),
      total: formatAmount(x.total, unit),
    };
  };
  return {
    metrics: keyMetrics(result, thresholds, lang, unit, t, inputs.discountRates?.project),
    flags: result.flags.map((f) => flagView(f, unit, t)),
    years: result.ledger.map((y) => ({ year: y.year, construction: y.phase === 'construction' })),
    ledger: lines.map((l) => ({
      label: lang === 'zh' ? l.labelZh : l.label,
      total: l.total === true,
      ratio: l.kind === 'ratio',
      cells: l.values.map((v) => cell(v, l.kind === 'ratio', unit)),
    })),
    sources: result.sources.map((s) => ({
      name: s.name,
      type: s.type,
      pillar: s.pillar,
      amount: formatAmount(s.amount, unit),
      share: total.isZero() ? '—' : formatPercent(D(s.amount).div(total), lang),
      ownership: ownershipLabel(s, version.inputs, t),
    })),
    sourcesUses: [su('construction'), su('lifetime')],
    charts: resultCharts(result, thresholds.minDscr, lang, unit, t),
  };
}

/** The results page of one version: cards, flags, charts, the full ledger, sources and uses. */
export function resultsView(input: ResultsInput): ResultsView {
  const { project, scenario, version, lang } = input;
  const inputs = version.inputs as VersionInputs;
  const delivery = deliveryOf(version.inputs);
  const figures =
    input.figures ?? versionFigures(version, input.result(), lang, input.unit, input.t);
  const base = `/versions/${version.id}`;
  return {
    project: projectHeader(project, lang, [delivery]),
    scenario: {
      id: scenario.id,
      name: scenario.name,
      delivery,
      description: inputs.scenario?.description ?? null,
    },
    version: {
      id: version.id,
      no: version.versionNo,
      total: input.versionCount,
      author: version.author,
      createdAt: version.createdAt,
      comment: version.comment,
      isCurrent: version.versionNo === input.currentNo,
      currentNo: input.currentNo,
      restoredFromNo: input.restoredFromNo,
    },
    notice: input.notice ?? null,
    ...figures,
    checks: input.checks ?? null,
    deliveryComparison: input.deliveryComparison ?? null,
    downloads: {
      scenario: `${base}/scenario.json`,
      ledger: `${base}/ledger.csv`,
      workbook: `${base}/workbook.xlsx`,
    },
    links: {
      edit: `/scenarios/${scenario.id}/edit`,
      history: `/scenarios/${scenario.id}/history`,
      project: `/projects/${encodeURIComponent(project.code)}`,
      compare: `/compare?s=${scenario.id}`,
      current: `/scenarios/${scenario.id}`,
      riskRegister: `/scenarios/${scenario.id}/risk-register`,
    },
  };
}

/**
 * Loads one version with everything its results page shows.
 * @throws NotFoundError for an unknown version; the engine's error when its inputs cannot be simulated
 */
export function buildResults(
  store: Store,
  versionId: number,
  lang: Lang,
  unit: Unit,
  t: Translate,
  notice: string | null = null,
  fiscal?: FiscalReports,
  figures?: ResultFigures,
): ResultsView {
  const version = store.scenarios.version(versionId);
  const scenario = store.scenarios.getById(version.scenarioId);
  const project = store.projects.get(version.projectCode);
  const versions = store.scenarios.versions(scenario.id);
  const result = () => store.results.forVersion(versionId);
  const restoredFrom =
    version.restoredFromId === null
      ? undefined
      : versions.find((v) => v.id === version.restoredFromId);
  // Portfolios judge their members' current versions: an older version is checked on its own.
  const checks = fiscal
    ? scenarioChecksView(
        fiscal.checklist(versionId),
        version.id === scenario.currentVersionId ? fiscal.portfoliosUsing(scenario.id) : [],
        lang,
        unit,
        t,
      )
    : null;
  return resultsView({
    project,
    scenario,
    version,
    versionCount: versions.length,
    currentNo: scenario.currentVersionNo,
    restoredFromNo: restoredFrom?.versionNo ?? null,
    result,
    figures: figures?.of(version, result, lang, unit, t),
    lang,
    unit,
    t,
    notice,
    checks,
    deliveryComparison: deliveryComparisonView(store, version, result, lang, unit, t),
  });
}
