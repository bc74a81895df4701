import type { AppliedSystem, DatumRecord, EnterableIndicator } from '../../app/evaluation';
import type { PortfolioScores, ProjectEvaluation } from '../../app/evaluation-scores';
import type { FieldIssue } from '../../domain/errors';
import type {
  BandsScale,
  IndicatorNode,
  IndicatorValue,
  LinearScale,
  MetricName,
  NodeScore,
  ScoringMethod,
} from '../../domain/evaluation';
import { formatAmount, formatPercent, formatRatio, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';
import { chartData, color, type ChartData } from './charts';

/** A node's name in the page's language (the other one after it for people who read both). */
const nameOf = (n: { nameZh: string; nameEn: string }, lang: Lang): string =>
  lang === 'zh' ? n.nameZh : n.nameEn;

function scaleText(s: LinearScale | BandsScale, t: Translate): string {
  if (s.kind === 'linear') return t('eval.method.linear', { zero: s.zeroAt, full: s.fullAt });
  const bands = s.bands.map((b) => `[${b.min ?? '−∞'}, ${b.max ?? '∞'}) → ${b.points}`);
  return `${t('eval.method.bands')}: ${bands.join('; ')}`;
}

/** One line saying how an indicator scores. */
export function methodText(m: ScoringMethod | undefined, t: Translate): string {
  if (!m) return '';
  if (m.kind === 'yes-no') return t('eval.method.yesNo');
  if (m.kind === 'metric') return `${t(`eval.metric.${m.metric}`)}: ${scaleText(m.scale, t)}`;
  return scaleText(m, t);
}

/** The tree as rows, each with its depth, weight and method. */
export function treeRows(system: AppliedSystem['system'], lang: Lang, t: Translate) {
  const rows: Array<{
    depth: number;
    code: string;
    name: string;
    weight: string;
    group: boolean;
    method: string;
    unit: string;
    fromActuals: boolean;
  }> = [];
  const walk = (nodes: IndicatorNode[], depth: number): void => {
    for (const n of nodes) {
      rows.push({
        depth,
        code: n.code,
        name: nameOf(n, lang),
        weight: `${n.weightPercent}%`,
        group: n.children !== undefined,
        method: methodText(n.method, t),
        unit: n.unit ?? '',
        fromActuals: n.fromActuals !== undefined,
      });
      if (n.children) walk(n.children, depth + 1);
    }
  };
  walk(system.indicators, 0);
  return rows;
}

/** Where the system comes from, for the notice every evaluation page shows. */
export function systemNote(a: AppliedSystem, t: Translate) {
  return {
    defaults: a.source === 'defaults',
    text:
      a.source === 'defaults'
        ? t('eval.defaultsNote')
        : t('eval.versionNote', { version: a.versionNo ?? 0, author: a.author ?? '—' }),
    href:
      a.jurisdiction === null
        ? null
        : `/jurisdictions/${encodeURIComponent(a.jurisdiction)}/evaluation`,
  };
}

const valueText = (v: IndicatorValue | undefined, t: Translate): string =>
  v === undefined ? '—' : typeof v === 'boolean' ? t(v ? 'eval.yes' : 'eval.no') : v.toFixed();

function breakdownRows(nodes: NodeScore[], lang: Lang, t: Translate) {
  const rows: Array<Record<string, unknown>> = [];
  const walk = (list: NodeScore[], depth: number): void => {
    for (const n of list) {
      rows.push({
        depth,
        code: n.code,
        name: nameOf(n, lang),
        group: n.children !== undefined,
        weight: `${n.weightPercent.toFixed()}%`,
        effective: `${n.effectiveWeightPercent.toFixed(2)}%`,
        score: n.score.toFixed(2),
        contribution: n.contribution.toFixed(2),
        value: n.children ? '' : valueText(n.value, t),
        missing: n.missing ? t(`eval.missing.${n.missing}`) : null,
      });
      if (n.children) walk(n.children, depth + 1);
    }
  };
  walk(nodes, 0);
  return rows;
}

const PERCENT_METRICS: readonly MetricName[] = ['equityIrr', 'projectIrr', 'fiscalBurden'];

/** The engine metrics scored, shown as percentages, ratios or amounts in the page's unit. */
function metricRows(e: ProjectEvaluation, lang: Lang, unit: Unit, t: Translate) {
  return (Object.keys(e.metrics) as MetricName[]).map((k) => {
    const v = e.metrics[k];
    const text =
      v === null || v === undefined
        ? '—'
        : k === 'projectNpvYuan'
          ? `${formatAmount(v, unit)} ${t(`unit.${unit}`)}`
          : PERCENT_METRICS.includes(k)
            ? formatPercent(v, lang)
            : formatRatio(v, { dp: 4 });
    return { key: k, label: t(`eval.metric.${k}`), text };
  });
}

/** The first-level groups' points against what they could add (their weight). */
function scoreChart(nodes: NodeScore[], lang: Lang, unit: Unit, t: Translate): ChartData {
  return chartData(lang, unit, t, {
    groups: {
      kind: 'bar',
      labels: nodes.map((n) => nameOf(n, lang)),
      yFormat: 'ratio',
      beginAtZero: true,
      datasets: [
        {
          label: t('eval.chart.contribution'),
          data: nodes.map((n) => n.contribution.toNumber()),
          color: color(0),
        },
        {
          label: t('eval.chart.weight'),
          data: nodes.map((n) => n.effectiveWeightPercent.toNumber()),
          color: color(7),
        },
      ],
    },
  });
}

/** Which metrics were scored, in words (README "With actuals"). */
function basisText(e: ProjectEvaluation, t: Translate): string | null {
  if (e.scenario === null || e.resultError !== null) return null;
  const b = e.basis;
  if (b.kind === 'reforecast') return t('eval.basis.reforecast', { year: b.toYear });
  return b.reforecastError === null
    ? t('eval.basis.plan')
    : t('eval.basis.refused', { why: b.reforecastError });
}

/** Both totals when the re-forecast's differs from the plan's, else null. */
function bothTotals(e: ProjectEvaluation, t: Translate) {
  if (e.basis.kind !== 'reforecast' || !e.planScore || e.planScore.total.eq(e.score.total))
    return null;
  return [
    {
      key: 'reforecast',
      label: t('eval.score.onReforecast', { year: e.basis.toYear }),
      total: e.score.total.toFixed(2),
    },
    { key: 'plan', label: t('eval.score.onPlan'), total: e.planScore.total.toFixed(2) },
  ];
}

/** The project score page. */
export function projectScoreView(e: ProjectEvaluation, lang: Lang, unit: Unit, t: Translate) {
  const dataByCode = new Map(e.data.map((d) => [d.code, d]));
  return {
    project: e.project,
    system: systemNote(e.applied, t),
    scenarios: e.scenarios.map((s) => ({ ...s, selected: s.id === e.scenario?.id })),
    scenario: e.scenario,
    total: e.score.total.toFixed(2),
    basis: basisText(e, t),
    totals: bothTotals(e, t),
    breakdown: breakdownRows(e.score.breakdown, lang, t).map((r) => {
      const d = dataByCode.get(r.code as string);
      return { ...r, source: d && !r.group ? `${d.source} · ${d.date}` : '' };
    }),
    missing: e.score.missing.map((m) => ({
      code: m.code,
      path: m.path.join(' / '),
      reason: t(`eval.missing.${m.reason}`),
    })),
    fromActuals: e.fromActuals
      ? t('eval.fromActuals', {
          year: e.fromActuals.year,
          value: e.fromActuals.value,
          codes: e.fromActuals.codes.join(', '),
        })
      : null,
    resultError: e.resultError?.message ?? null,
    metrics: metricRows(e, lang, unit, t),
    charts: scoreChart(e.score.breakdown, lang, unit, t),
  };
}

/** The ranking page. */
export function rankingView(r: PortfolioScores, lang: Lang, unit: Unit, t: Translate) {
  return {
    portfolio: r.portfolio,
    system: systemNote(r.applied, t),
    rows: r.members.map((m) => ({
      rank: m.rank,
      code: m.projectCode,
      name: m.projectName,
      scenario: m.scenarioName,
      total: m.score.total.toFixed(2),
      missing: m.score.missing.length,
      href: `/projects/${encodeURIComponent(m.projectCode)}/evaluation?scenario=${m.scenarioId}`,
    })),
    charts: chartData(lang, unit, t, {
      ranking: {
        kind: 'bar',
        horizontal: true,
        labels: r.members.map((m) => m.projectCode),
        yFormat: 'ratio',
        beginAtZero: true,
        datasets: [
          {
            label: t('eval.col.total'),
            data: r.members.map((m) => m.score.total.toNumber()),
            color: color(0),
          },
        ],
      },
    }),
  };
}

/** The data-entry form as typed: per indicator code, value, source and date text. */
export type DataForm = Record<string, { value: string; source: string; date: string }>;

/** The form filled with the current values. */
export function formFromData(indicators: EnterableIndicator[], current: DatumRecord[]): DataForm {
  const byCode = new Map(current.map((d) => [d.code, d]));
  return Object.fromEntries(
    indicators.map((i) => {
      const d = byCode.get(i.node.code);
      return [i.node.code, { value: d?.value ?? '', source: d?.source ?? '', date: d?.date ?? '' }];
    }),
  );
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The form from a post: fields `value[CODE]`, `source[CODE]`, `date[CODE]`. */
export function formFromPost(body: unknown, indicators: EnterableIndicator[]): DataForm {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const part = (k: string) =>
    (typeof b[k] === 'object' && b[k] !== null ? b[k] : {}) as Record<string, unknown>;
  const [value, source, date] = [part('value'), part('source'), part('date')];
  return Object.fromEntries(
    indicators.map((i) => {
      const c = i.node.code;
      return [c, { value: text(value[c]), source: text(source[c]), date: text(date[c]) }];
    }),
  );
}

/**
 * The API body of a form: the rows with anything typed (a row left wholly empty is left out; a
 * value emptied with a source clears it). Yes/no values go as booleans.
 */
export function bodyOfForm(form: DataForm, indicators: EnterableIndicator[]) {
  const rows = indicators.flatMap((i) => {
    const f = form[i.node.code];
    if (!f || (f.value.trim() === '' && f.source.trim() === '' && f.date.trim() === '')) return [];
    const v = f.value.trim();
    const value =
      v === '' ? null : i.kind === 'yes-no' ? (v === 'yes' ? true : v === 'no' ? false : v) : v;
    return [{ code: i.node.code, value, source: f.source, date: f.date.trim() }];
  });
  return { rows, body: { data: rows } };
}

/** The entry rows with what was typed and each row's errors (issues `data[i].field`). */
export function dataFormView(
  indicators: EnterableIndicator[],
  form: DataForm,
  issues: FieldIssue[],
  sentCodes: string[],
  lang: Lang,
  t: Translate,
) {
  const errorsOf = (code: string) => {
    const at = sentCodes.indexOf(code);
    return issues.filter((i) => at >= 0 && i.path.startsWith(`data[${at}].`)).map((i) => i.message);
  };
  return indicators.map((i) => {
    const f = form[i.node.code] ?? { value: '', source: '', date: '' };
    return {
      code: i.node.code,
      path: i.path.join(' / '),
      name: nameOf(i.node, lang),
      yesNo: i.kind === 'yes-no',
      unit: i.node.unit ?? '',
      method: methodText(i.node.method, t),
      fromActuals: i.node.fromActuals !== undefined,
      ...f,
      // `date` is a helper's name in the templates.
      dateText: f.date,
      isYes: f.value === 'yes',
      isNo: f.value === 'no',
      errors: errorsOf(i.node.code),
    };
  });
}
