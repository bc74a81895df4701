import type { FieldIssue } from '../../domain/errors';
import type { PortfolioRiskRun } from '../../app/risk/portfolio';
import type { PortfolioRiskResult } from '../../domain/risk/portfolio';
import type { DbPortfolioRiskRunHead } from '../../store/repos/portfolio-risk-runs';
import type { MetricSummary } from '../../domain/risk/montecarlo';
import { formatAmount, formatPercent, formatRatio, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';
import { color, type ChartSpec } from './charts';

/** The portfolio risk form as typed (kept as text when refused). */
export interface PortfolioRiskForm {
  trials: string;
  seed: string;
  commonSd: string;
  ownSd: string;
  driver: string;
}

/**
 * The form's defaults. 200 trials: a portfolio trial re-runs every PPP and bond member (tens of
 * ms each on this engine); the unrecorded GET API waits for the whole run with these defaults.
 */
export const DEFAULT_PORTFOLIO_RISK_FORM: PortfolioRiskForm = {
  trials: '200',
  seed: '1',
  commonSd: '0.1',
  ownSd: '0.1',
  driver: 'revenue',
};

const CAP = '#c4534a';
const LINE = '#d08a2e';
const percentOf = (x: number | null) => (x === null ? null : Math.round(x * 1e8) / 1e6);

/** The section's figures as the fiscal page shows them, with the fan chart. */
export function portfolioRiskView(r: PortfolioRiskResult, lang: Lang, unit: Unit, t: Translate) {
  const a = r.affordability;
  const pct = (v: string) => formatPercent(v, lang, { dp: 2 });
  const summaryCells = (s: MetricSummary | null, text: (v: string) => string) =>
    s ? [s.mean, s.sd, s.p5, s.p10, s.p50, s.p90, s.p95].map(text) : null;
  const probabilities = [
    ...(a
      ? [
          {
            key: 'breach',
            label: t('portfolioRisk.breach', { cap: pct(a.cap) }),
            value: pct(a.breachProbability),
          },
          {
            key: 'line',
            label: t('portfolioRisk.aboveLine', { line: pct(a.newProjectLine) }),
            value: pct(a.aboveLineProbability),
          },
        ]
      : []),
    ...r.bonds.map((b) => ({
      key: `bond-${b.projectCode}`,
      label: t('portfolioRisk.bondBelow', {
        code: b.projectCode,
        threshold: formatRatio(b.threshold, { dp: 2 }),
      }),
      value: pct(b.belowProbability),
    })),
  ];
  let fan: ChartSpec | null = null;
  if (a) {
    const capPct = percentOf(Number(a.cap)) as number;
    const linePct = percentOf(Number(a.newProjectLine)) as number;
    // Years without a budget figure have no ratio: the chart shows the years that have one.
    const shown = a.fan.years.flatMap((y, i) => (a.fan.p50[i] === null ? [] : [i]));
    const years = shown.map((i) => a.fan.years[i]!);
    const band = (k: 'p10' | 'p50' | 'p90', i: number) => ({
      label: k.toUpperCase(),
      data: shown.map((j) => percentOf(a.fan[k][j] ?? null)),
      color: color(i),
      dashed: k !== 'p50',
    });
    fan = {
      kind: 'line',
      labels: years,
      yFormat: 'percent',
      beginAtZero: true,
      yTitle: t('fiscal.chart.ratioAxis'),
      datasets: [
        band('p10', 4),
        band('p50', 0),
        band('p90', 2),
        {
          label: t('fiscal.chart.cap', { cap: pct(a.cap) }),
          data: years.map(() => capPct),
          color: CAP,
          dashed: true,
          flat: true,
        },
        {
          label: t('fiscal.chart.line', { line: pct(a.newProjectLine) }),
          data: years.map(() => linePct),
          color: LINE,
          dashed: true,
          flat: true,
        },
      ],
    };
  }
  return {
    trials: r.trials,
    seed: r.seed,
    driver: t(`risk.driver.${r.shocks.driver}`),
    correlation: r.shocks.correlation ?? '—',
    probabilities,
    peak: a ? summaryCells(a.peakRatio, (v) => formatPercent(v, lang, { dp: 3 })) : null,
    total: a ? summaryCells(a.totalObligationsYuan, (v) => formatAmount(v, unit)) : null,
    expectedOverCap: a ? formatAmount(a.expectedOverCapYuan, unit) : null,
    noBudget: a === null,
    fan,
  };
}

/** The form's model: what was typed (or the defaults), and the issues of a refused one by field. */
export function portfolioRiskFormView(
  form: PortfolioRiskForm,
  issues: readonly FieldIssue[],
  t: Translate,
) {
  const at = (path: string) => issues.find((i) => i.path === path)?.message ?? null;
  return {
    ...form,
    drivers: ['revenue', 'capex', 'opex'].map((d) => ({
      value: d,
      label: t(`risk.driver.${d}`),
      selected: d === form.driver,
    })),
    issues: {
      trials: at('trials'),
      seed: at('seed'),
      commonSd: at('commonSd'),
      ownSd: at('ownSd'),
      driver: at('driver'),
    },
    refused: issues.length > 0,
  };
}

/** A recorded run's page: its figures (as the fiscal page showed them), members and what reproduces it. */
export function portfolioRiskRunView(run: PortfolioRiskRun, lang: Lang, unit: Unit, t: Translate) {
  const versionOf = new Map(run.inputs.members.map((m) => [m.index, m.versionId]));
  const { budget, thresholds, otherObligations } = run.inputs;
  return {
    figures: portfolioRiskView(run.summary, lang, unit, t),
    members: run.summary.members.map((m) => ({
      projectCode: m.projectCode,
      index: m.index,
      versionId: versionOf.get(m.index) ?? null,
    })),
    specText: JSON.stringify(run.spec, null, 2),
    inputsText: JSON.stringify({ budget, thresholds, otherObligations }, null, 2),
    rerunHref: `/portfolio-risk-runs/${run.id}/rerun`,
  };
}

/** The recorded runs listed on the fiscal page, newest first. */
export function portfolioRiskRunsView(rows: readonly DbPortfolioRiskRunHead[]) {
  return rows.map((r) => ({
    id: r.id,
    href: `/portfolio-risk-runs/${r.id}`,
    trials: r.trials,
    seed: r.seed,
    at: r.created_at,
    hash: r.summary_hash.slice(0, 12),
  }));
}
