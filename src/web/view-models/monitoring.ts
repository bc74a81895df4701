import type { KeyMetrics, Monitoring, OffPlanProject } from '../../app/monitoring';
import { Dec } from '../../domain/decimal';
import type { FieldIssue } from '../../domain/errors';
import type { SimulationResult } from '../../domain/engine/types';
import { amountForChart, formatPercent, formatRatio, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';
import { chartData, color, type ChartData } from './charts';

/** The entry form as typed (every value text), stream fields by stream index. */
export interface ActualsForm {
  year: string;
  capexYuan: string;
  opexYuan: string;
  revenue: string[];
  volume: string[];
  satisfaction: string;
  source: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown, n: number): string[] => {
  const arr = Array.isArray(v) ? v : typeof v === 'object' && v !== null ? Object.values(v) : [];
  return Array.from({ length: n }, (_, i) => text(arr[i]));
};

/** The form from a posted body (`revenue[i]`, `volume[i]` by stream index). */
export function formFromPost(body: unknown, streams: number): ActualsForm {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return {
    year: text(b.year),
    capexYuan: text(b.capexYuan),
    opexYuan: text(b.opexYuan),
    revenue: list(b.revenue, streams),
    volume: list(b.volume, streams),
    satisfaction: text(b.satisfaction),
    source: text(b.source),
  };
}

export const emptyForm = (streams: number, year: string): ActualsForm => ({
  year,
  capexYuan: '',
  opexYuan: '',
  revenue: Array<string>(streams).fill(''),
  volume: Array<string>(streams).fill(''),
  satisfaction: '',
  source: '',
});

/** The use case's body from the form: streams by name; empty fields are not recorded. */
export function bodyOf(
  form: ActualsForm,
  m: Monitoring,
  scenarioId: number,
): Record<string, unknown> {
  const byName = (values: string[], keep: (kind: string) => boolean) =>
    Object.fromEntries(
      m.frame.streams.flatMap((s, i) =>
        keep(s.kind) && (values[i] ?? '').trim() !== '' ? [[s.name, values[i]]] : [],
      ),
    );
  return {
    scenario: String(scenarioId),
    year: form.year,
    capexYuan: form.capexYuan,
    opexYuan: form.opexYuan,
    revenuesYuan: byName(form.revenue, () => true),
    volumes: byName(form.volume, (k) => k === 'user-fee'),
    satisfaction: form.satisfaction,
    source: form.source,
  };
}

const lineLabel = (line: string, t: Translate) =>
  line.startsWith('revenue:')
    ? `${t('mon.line.revenue')}: ${line.slice(8)}`
    : t(`mon.line.${line}`);

function metricRows(plan: KeyMetrics, re: KeyMetrics | null, lang: Lang, t: Translate) {
  const pct = (v: Dec | null) => (v === null ? '—' : formatPercent(v, lang));
  const ratio = (v: Dec | null) => (v === null ? '—' : formatRatio(v));
  const rows: Array<[string, (m: KeyMetrics) => { money?: string; text?: string }]> = [
    ['projectNpv', (m) => ({ money: m.projectNpv.toFixed(2) })],
    ['projectIrr', (m) => ({ text: pct(m.projectIrr) })],
    ['equityIrr', (m) => ({ text: pct(m.equityIrr) })],
    ['dscrMin', (m) => ({ text: ratio(m.dscrMin) })],
    ['governmentNpv', (m) => ({ money: m.governmentNpv.toFixed(2) })],
  ];
  return rows.map(([key, f]) => ({
    key,
    label: t(`mon.metric.${key}`),
    plan: f(plan),
    reforecast: re ? f(re) : null,
  }));
}

function monitoringCharts(m: Monitoring, lang: Lang, unit: Unit, t: Translate): ChartData {
  const years = m.plan.result.ledger.map((y) => y.year);
  const amt = (v: Dec | null) => (v === null ? null : amountForChart(v.toFixed(2), unit));
  const byYear = new Map(m.actuals.map((a) => [a.year, a]));
  const revenueOf = (r: SimulationResult, year: number) =>
    r.ledger.find((y) => y.year === year)?.revenues.reduce((s, v) => s.plus(v), new Dec(0)) ?? null;
  const actualRevenue = (year: number) => {
    const a = byYear.get(year);
    const values = a ? Object.values(a.revenuesYuan) : [];
    return values.length === 0 ? null : values.reduce((s, v) => s.plus(v), new Dec(0));
  };
  const actualCapex = (year: number) => {
    const v = byYear.get(year)?.capexYuan;
    return v === undefined ? null : new Dec(v);
  };
  return chartData(lang, unit, t, {
    revenue: {
      kind: 'bar',
      labels: years,
      yFormat: 'amount',
      beginAtZero: true,
      datasets: [
        {
          label: t('mon.chart.plan'),
          data: years.map((y) => amt(revenueOf(m.plan.result, y))),
          color: color(0),
        },
        {
          label: t('mon.chart.actual'),
          data: years.map((y) => amt(actualRevenue(y))),
          color: color(1),
        },
      ],
    },
    capex: {
      kind: 'bar',
      labels: years.slice(0, m.frame.constructionYears),
      yFormat: 'amount',
      beginAtZero: true,
      datasets: [
        {
          label: t('mon.chart.plan'),
          data: m.plan.result.ledger.slice(0, m.frame.constructionYears).map((y) => amt(y.capex)),
          color: color(0),
        },
        {
          label: t('mon.chart.actual'),
          data: years.slice(0, m.frame.constructionYears).map((y) => amt(actualCapex(y))),
          color: color(1),
        },
      ],
    },
  });
}

/** Which form field an issue's path belongs to (streams by index). */
function fieldOf(path: string, m: Monitoring): string {
  const stream = (prefix: string, field: string) => {
    if (!path.startsWith(prefix)) return null;
    const i = m.frame.streams.findIndex((s) => s.name === path.slice(prefix.length));
    return i >= 0 ? `${field}.${i}` : field;
  };
  return stream('revenuesYuan.', 'revenue') ?? stream('volumes.', 'volume') ?? path;
}

/** The Monitoring page. */
export function monitoringView(
  m: Monitoring,
  form: ActualsForm,
  issues: FieldIssue[],
  lang: Lang,
  unit: Unit,
  t: Translate,
) {
  const errors = new Map<string, string>();
  for (const i of issues) errors.set(fieldOf(i.path, m), i.message);
  const field = (name: string, value: string) => ({
    name,
    id: `f-${name.replace('.', '-')}`,
    value,
    error: errors.get(name) ?? null,
  });
  const first = m.frame.startYear;
  const opStart = first + m.frame.constructionYears;
  const last = opStart + m.frame.operationYears - 1;
  const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  return {
    project: m.project,
    scenario: m.scenario,
    scenarios: m.scenarios.map((s) => ({ ...s, selected: s.id === m.scenario.id })),
    thresholdPct: m.threshold.times(100).toString(),
    timeline: t('mon.timeline', { first, built: opStart - 1, opStart, last }),
    summary: issues.map((i) => ({ path: i.path, message: i.message })),
    form: {
      year: {
        ...field('year', form.year),
        options: years.map((y) => ({ value: String(y), selected: String(y) === form.year })),
      },
      capex: field('capexYuan', form.capexYuan),
      opex: field('opexYuan', form.opexYuan),
      streams: m.frame.streams.map((s, i) => ({
        name: s.name,
        revenue: { ...field(`revenue.${i}`, form.revenue[i] ?? ''), name: `revenue[${i}]` },
        volume:
          s.kind === 'user-fee'
            ? { ...field(`volume.${i}`, form.volume[i] ?? ''), name: `volume[${i}]` }
            : null,
      })),
      satisfaction: field('satisfaction', form.satisfaction),
      source: field('source', form.source),
    },
    deviations: m.deviations.map((d) => ({
      year: d.year,
      line: lineLabel(d.line, t),
      plan: d.plan.toFixed(2),
      actual: d.actual.toFixed(2),
      difference: d.difference.toFixed(2),
      deviation: d.ratio === null ? t('mon.planZero') : formatPercent(d.ratio, lang),
      flagged: d.flagged,
    })),
    offPlan: m.offPlan,
    actuals: m.actuals.map((a) => ({
      year: a.year,
      versionNo: a.versionNo,
      author: a.author ?? 'system',
      source: a.source,
      createdAt: a.createdAt,
      satisfaction: a.satisfaction ?? null,
      volumes: Object.entries(a.volumes)
        .map(([name, v]) => `${name}: ${v}`)
        .join('; '),
    })),
    historyCount: m.history.length,
    metrics: metricRows(m.plan.metrics, m.reforecast?.metrics ?? null, lang, t),
    hasReforecast: m.reforecast !== null,
    reforecastError: m.reforecastError,
    kept: (m.reforecast?.kept ?? []).map((k) =>
      t(`mon.kept.${k.reason}`, { year: k.year, line: lineLabel(k.line, t) }),
    ),
    charts: monitoringCharts(m, lang, unit, t),
  };
}

/** The dashboard's list of projects off plan. */
export function offPlanView(list: OffPlanProject[], t: Translate) {
  return list.map((p) => ({
    ...p,
    href: `/projects/${encodeURIComponent(p.code)}/monitoring`,
    lines: p.lines.map((l) => lineLabel(l, t)).join(', '),
  }));
}

/** The API's answer for GET …/monitoring (no ledgers: metrics, deviations, actuals). */
export function monitoringJson(m: Monitoring) {
  return {
    project: m.project,
    scenario: m.scenario,
    threshold: m.threshold,
    actuals: m.actuals,
    deviations: m.deviations,
    offPlan: m.offPlan,
    plan: { metrics: m.plan.metrics },
    reforecast: m.reforecast ? { metrics: m.reforecast.metrics, kept: m.reforecast.kept } : null,
    reforecastError: m.reforecastError,
  };
}
