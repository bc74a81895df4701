import type { RiskRun } from '../../app/risk/runs';
import { jobPaths, type RiskJob } from '../services/risk-jobs';
import { Dec } from '../../domain/decimal';
import { DRIVER_KINDS, type BaseDriver } from '../../domain/risk/drivers';
import { INPUT_PREFIX, INPUT_UNITS, type BaseInput } from '../../domain/risk/inputs';
import {
  ANALYSIS_METRIC_UNITS,
  PEAK_PPP_RATIO,
  type AnalysisMetric,
  type MetricUnit,
} from '../../domain/risk/metrics';
import {
  amountForChart,
  formatAmount,
  formatPercent,
  formatRatio,
  type Lang,
  type Unit,
} from '../format/number';
import type { Translate } from '../i18n';
import { chartData, color, type ChartSpec } from './charts';

/** How a metric is measured (equityIrr:ID is a rate like equityIrr). */
export const metricUnit = (metric: string): MetricUnit =>
  ANALYSIS_METRIC_UNITS[metric.split(':')[0] as AnalysisMetric] ?? 'ratio';

/**
 * A metric's value as the page shows it: yuan in the chosen unit, a rate in %, a ratio; the
 * portfolio's peak PPP ratio (a ratio to 6 dp, measured against a 10 % cap) in % to 4 dp, as the
 * fiscal page shows the ratio, so that a tornado's ends can be told apart.
 */
export function metricText(value: string | null, metric: string, lang: Lang, unit: Unit): string {
  if (value === null) return '—';
  if (metric === PEAK_PPP_RATIO) return formatPercent(value, lang, { dp: 4 });
  const kind = metricUnit(metric);
  if (kind === 'yuan') return formatAmount(value, unit);
  if (kind === 'rate') return formatPercent(value, lang, { dp: 2 });
  return formatRatio(value, { dp: 3 });
}

/** A metric's value on a chart axis: the chosen unit, percentage points, or the ratio. */
export function metricForChart(value: string | null, metric: string, unit: Unit): number | null {
  if (value === null) return null;
  const kind = metricUnit(metric);
  if (kind === 'yuan') return amountForChart(value, unit);
  if (kind === 'rate' || metric === PEAK_PPP_RATIO)
    return new Dec(value).times(100).toDecimalPlaces(6).toNumber();
  return new Dec(value).toDecimalPlaces(6).toNumber();
}

const yFormatOf = (metric: string): ChartSpec['yFormat'] => {
  if (metric === PEAK_PPP_RATIO) return 'percent';
  const kind = metricUnit(metric);
  return kind === 'yuan' ? 'amount' : kind === 'rate' ? 'percent' : 'ratio';
};

/** An input name's base and target: `input:debt-share:bank` → ['debt-share', 'bank']. */
const inputParts = (name: string) =>
  name.slice(INPUT_PREFIX.length).split(/:(.*)/s) as [string, string | undefined];

/**
 * A driver's (or a solvable input's) name in the page's language: `revenue:Fees` → "收入 ·
 * Fees", `input:debt-share:bank` → "债务占总投资比例 · bank".
 */
export function driverLabel(name: string, t: Translate): string {
  const input = name.startsWith(INPUT_PREFIX);
  const [base, target] = input
    ? inputParts(name)
    : (name.split(/:(.*)/s) as [string, string | undefined]);
  const label = t(input ? `risk.input.${base}` : `risk.driver.${base}`);
  return target ? `${label} · ${target}` : label;
}

/**
 * A driver's value in its unit: ×0.9, +100 bp, 2 年 / 2 years, +1.00 pp, 10.00%; an input's: a
 * rate or share in % (4 dp), yuan in the page's unit (`unit`, default yuan).
 */
export function driverValueText(
  name: string,
  value: string,
  lang: Lang,
  t: Translate,
  unit: Unit = 'yuan',
): string {
  const d = new Dec(value);
  if (name.startsWith(INPUT_PREFIX)) {
    const kind = INPUT_UNITS[inputParts(name)[0] as BaseInput];
    return kind === 'yuan' ? formatAmount(d, unit) : formatPercent(d, lang, { dp: 4 });
  }
  const kind = DRIVER_KINDS[name.split(':')[0] as BaseDriver];
  switch (kind?.unit) {
    case 'factor':
      return `×${d.toString()}`;
    case 'bp':
      return `${d.gt(0) ? '+' : ''}${d.toString()} bp`;
    case 'years':
      return t('risk.years', { n: d.toString() });
    case 'shift':
      return `${d.gt(0) ? '+' : ''}${d.times(100).toFixed(2)} pp`;
    case 'share':
      return formatPercent(d, lang, { dp: 2 });
    default:
      return d.toString();
  }
}

export interface SensitivityJson {
  metric: string;
  base: string | null;
  drivers: Array<{
    driver: string;
    low: string;
    high: string;
    atLow: string | null;
    atHigh: string | null;
    swing: string | null;
  }>;
}

export interface SpiderJson {
  metric: string;
  base: string | null;
  lines: Array<{ driver: string; points: Array<{ value: string; metric: string | null }> }>;
}

export interface TableJson {
  metric: string;
  rows: { driver: string; values: string[] };
  columns: { driver: string; values: string[] };
  cells: Array<Array<string | null>>;
}

/** The tornado's rows as text and its chart: each end's change from the scenario's value. */
export function tornadoView(s: SensitivityJson, lang: Lang, unit: Unit, t: Translate) {
  const base = s.base === null ? null : new Dec(s.base);
  const delta = (v: string | null) =>
    v === null || base === null
      ? null
      : metricForChart(new Dec(v).minus(base).toString(), s.metric, unit);
  const rows = s.drivers.map((r) => ({
    driver: r.driver,
    label: driverLabel(r.driver, t),
    low: driverValueText(r.driver, r.low, lang, t),
    high: driverValueText(r.driver, r.high, lang, t),
    atLow: metricText(r.atLow, s.metric, lang, unit),
    atHigh: metricText(r.atHigh, s.metric, lang, unit),
    swing: metricText(r.swing, s.metric, lang, unit),
  }));
  const chart: ChartSpec = {
    kind: 'bar',
    horizontal: true,
    stacked: true,
    labels: rows.map((r) => r.label),
    yFormat: yFormatOf(s.metric),
    datasets: [
      { label: t('risk.atLow'), data: s.drivers.map((r) => delta(r.atLow)), color: color(4) },
      { label: t('risk.atHigh'), data: s.drivers.map((r) => delta(r.atHigh)), color: color(0) },
    ],
  };
  return { base: metricText(s.base, s.metric, lang, unit), rows, chart };
}

/** The spider chart: each driver's metric over its steps from low (1) to high (last). */
export function spiderChart(s: SpiderJson, unit: Unit, t: Translate): ChartSpec {
  const steps = Math.max(0, ...s.lines.map((l) => l.points.length));
  return {
    kind: 'line',
    labels: Array.from({ length: steps }, (_, i) =>
      i === 0 ? t('risk.low') : i === steps - 1 ? t('risk.high') : `${i + 1}`,
    ),
    yFormat: yFormatOf(s.metric),
    datasets: s.lines.map((l, i) => ({
      label: driverLabel(l.driver, t),
      data: l.points.map((p) => metricForChart(p.metric, s.metric, unit)),
      color: color(i),
    })),
  };
}

/** The two-way table as text cells with its row and column headings. */
export function dataTableView(d: TableJson, lang: Lang, unit: Unit, t: Translate) {
  return {
    rowDriver: driverLabel(d.rows.driver, t),
    columnDriver: driverLabel(d.columns.driver, t),
    columns: d.columns.values.map((v) => driverValueText(d.columns.driver, v, lang, t)),
    rows: d.rows.values.map((v, i) => ({
      value: driverValueText(d.rows.driver, v, lang, t),
      cells: (d.cells[i] ?? []).map((c) => metricText(c, d.metric, lang, unit)),
    })),
  };
}

/** The metrics a run page charts (histogram and CDF), those the run has values of. */
const CHARTED = ['equityIrr', 'projectNpv', 'dscrMin', 'governmentNpv'];

/** A recorded Monte Carlo run as its page shows it: summary rows, probabilities, charts. */
export function runView(run: RiskRun, lang: Lang, unit: Unit, t: Translate) {
  const s = run.summary;
  const metrics = Object.entries(s.metrics).map(([name, m]) => ({
    name,
    label:
      t(`risk.metric.${name.split(':')[0]}`) +
      (name.includes(':') ? ` · ${name.split(':')[1]}` : ''),
    count: m?.count ?? 0,
    cells: m
      ? [m.mean, m.sd, m.p5, m.p10, m.p50, m.p90, m.p95].map((v, i) =>
          i === 1 && metricUnit(name) === 'rate'
            ? formatPercent(v, lang, { dp: 2 })
            : metricText(v, name, lang, unit),
        )
      : null,
  }));
  const probabilities = Object.entries(s.probabilities).map(([key, p]) => ({
    key,
    label: t(`risk.probability.${key}`, {
      covenant: formatRatio(s.thresholds.dscrCovenant, { dp: 2 }),
      hurdle: formatPercent(s.thresholds.equityHurdle, lang, { dp: 2 }),
      coverage: formatRatio(s.thresholds.bondCoverage, { dp: 2 }),
    }),
    value: p === null ? '—' : formatPercent(p, lang, { dp: 2 }),
  }));
  const importance = Object.entries(s.importance)
    .filter(([name]) => CHARTED.includes(name))
    .map(([name, list]) => ({
      metric: t(`risk.metric.${name}`),
      drivers: list.map((d) => ({ label: driverLabel(d.driver, t), rho: d.rho })),
    }));
  const charts: Record<string, ChartSpec> = {};
  for (const name of CHARTED) {
    const h = run.charts.histograms[name];
    if (!h) continue;
    const scale = (x: number) => metricForChart(String(x), name, unit) ?? 0;
    // Both charts share the bins' upper edges as labels (4 significant digits), so the CDF's
    // shape shows against equal steps in value.
    const labels = h.counts.map((_, i) => label(scale(h.edges[i + 1] ?? 0)));
    const total = h.counts.reduce((a, b) => a + b, 0);
    let running = 0;
    charts[`hist-${name}`] = {
      kind: 'bar',
      labels,
      yFormat: 'ratio',
      beginAtZero: true,
      datasets: [{ label: t('risk.trials'), data: h.counts, color: color(0) }],
    };
    charts[`cdf-${name}`] = {
      kind: 'line',
      labels,
      yFormat: 'percent',
      beginAtZero: true,
      datasets: [
        {
          label: t('risk.cdf'),
          data: h.counts.map((n) => round(((running += n) / total) * 100)),
          color: color(2),
        },
      ],
    };
  }
  const fan = run.charts.fan;
  const band = (
    k: 'p10' | 'p50' | 'p90',
    data: Array<number | null>,
    i: number,
    scale: (x: number) => number,
  ) => ({
    label: k.toUpperCase(),
    data: data.map((v) => (v === null ? null : round(scale(v)))),
    color: color(i),
    dashed: k !== 'p50',
  });
  const money = (x: number) => amountForChart(String(x), unit);
  charts.fanCfads = {
    kind: 'line',
    labels: fan.years,
    yFormat: 'amount',
    datasets: [
      band('p10', fan.cfadsYuan.p10, 4, money),
      band('p50', fan.cfadsYuan.p50, 0, money),
      band('p90', fan.cfadsYuan.p90, 2, money),
    ],
  };
  const same = (x: number) => x;
  charts.fanDscr = {
    kind: 'line',
    labels: fan.years,
    yFormat: 'ratio',
    datasets: [
      band('p10', fan.dscr.p10, 4, same),
      band('p50', fan.dscr.p50, 0, same),
      band('p90', fan.dscr.p90, 2, same),
    ],
  };
  return {
    metrics,
    probabilities,
    importance,
    charted: CHARTED.filter((n) => charts[`hist-${n}`]).map((n) => ({
      histKey: `hist-${n}`,
      cdfKey: `cdf-${n}`,
      histTitle: t('risk.run.histogram', { metric: t(`risk.metric.${n}`) }),
      cdfTitle: t('risk.run.cdf', { metric: t(`risk.metric.${n}`) }),
    })),
    chartData: chartData(lang, unit, t, charts),
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
/** An axis label: 4 significant digits. */
const label = (x: number) => Number(x.toPrecision(4));

/** The models the Risk form's revenue-path fieldset offers: '' keeps the spec's own paths. */
export const PATH_MODELS = ['', 'random-walk', 'ar1'] as const;

/** What the revenue-path fieldset was sent (text, kept as typed on a 422). */
export interface PathForm {
  pathModel?: string;
  pathSd?: string;
  pathPhi?: string;
}

/** The revenue-path fieldset of the Monte Carlo form: its model choices and the typed values. */
export function pathFieldset(form: PathForm, t: Translate) {
  const model = form.pathModel ?? '';
  return {
    models: PATH_MODELS.map((value) => ({
      value,
      label: t(`risk.mc.pathModel.${value || 'none'}`),
      selected: value === model,
    })),
    sd: form.pathSd ?? '0.05',
    phi: form.pathPhi ?? '0.5',
  };
}

/**
 * The progress page of a job (a scenario's Monte Carlo or a portfolio's risk run): the bar, the
 * count, the state and the time left in words, where to go back to, the cancel form's token.
 */
export function riskJobView(job: RiskJob, t: Translate, csrfToken: string) {
  const eta = job.progress.etaMs;
  return {
    job,
    percent: Math.floor((job.progress.done / job.trials) * 100),
    running: job.state === 'running',
    stateLabel: t(`risk.job.state.${job.state}`),
    eta:
      job.state === 'running' && eta !== null
        ? t('risk.job.eta', { s: String(Math.ceil(eta / 1000)) })
        : '',
    back: jobPaths(job).back,
    backLabel: t(job.kind === 'scenario' ? 'risk.job.back' : 'portfolioRisk.job.back'),
    csrfToken,
  };
}
