import { Dec } from '../../domain/decimal';
import { GOVERNMENT_INSTRUMENTS, type GovernmentInstrument } from '../../domain/engine/types';
import type { PortfolioFiscalReport } from '../../store/fiscal-report';
import type { Store } from '../../store/store';
import type { PortfolioView, StoredResult } from '../../store/types';
import {
  amountForChart,
  formatAmount,
  formatPercent,
  formatRatio,
  type Lang,
  type Unit,
} from '../format/number';
import { yearRanges } from '../format/years';
import type { Translate } from '../i18n';
import { chartData, PILLAR_COLORS, color, hasData, type ChartData, type ChartSpec } from './charts';
import {
  ATTENTION_FLAGS,
  flagView,
  irrText,
  projectName,
  thresholdsOf,
  type FlagView,
} from './common';

type D = InstanceType<typeof Dec>;
const ZERO = new Dec(0);
const PILLARS = ['government', 'enterprise', 'social'] as const;

/** A portfolio added up: totals, per-year series and one row per member project. */
export interface PortfolioSummary {
  id: number;
  name: string;
  description: string;
  memberCount: number;
  investment: D;
  outlay: D;
  peakBond: D;
  pillars: Record<(typeof PILLARS)[number], D>;
  years: number[];
  outlayByYear: Map<number, Record<GovernmentInstrument, D>>;
  bondByYear: Map<number, D>;
  flagged: number;
  rows: Array<{
    code: string;
    name: string;
    href: string;
    category: string;
    sector: string;
    scenario: string;
    scenarioHref: string;
    investment: string | null;
    projectIrr: string;
    equityIrr: string;
    dscrMin: string;
    dscrBad: boolean;
    bondCoverage: string;
    coverageBad: boolean;
    outlay: string | null;
    flags: FlagView[];
  }>;
}

const emptyInstruments = (): Record<GovernmentInstrument, D> =>
  Object.fromEntries(GOVERNMENT_INSTRUMENTS.map((k) => [k, ZERO])) as Record<
    GovernmentInstrument,
    D
  >;

/** Adds up a loaded portfolio (exactly, in Decimal) and builds its table rows for the page. */
export function summarisePortfolio(
  view: PortfolioView,
  lang: Lang,
  unit: Unit,
  t: Translate,
): PortfolioSummary {
  let investment = ZERO;
  let outlay = ZERO;
  const pillars = { government: ZERO, enterprise: ZERO, social: ZERO };
  const outlayByYear = new Map<number, Record<GovernmentInstrument, D>>();
  const bondByYear = new Map<number, D>();
  let flagged = 0;
  const rows: PortfolioSummary['rows'] = [];

  for (const m of view.members) {
    const r = m.result;
    const thresholds = thresholdsOf(
      m.version.inputs as { covenants?: { minDscr?: string; bondCoverage?: string } },
    );
    const base = {
      code: m.project.code,
      name: projectName(m.project, lang),
      href: `/projects/${encodeURIComponent(m.project.code)}`,
      category: m.project.category,
      sector: m.project.sector,
      scenario: m.scenario.name,
      scenarioHref: `/scenarios/${m.scenario.id}`,
    };
    if (!r) {
      flagged++;
      rows.push({
        ...base,
        investment: null,
        projectIrr: '—',
        equityIrr: '—',
        dscrMin: '—',
        dscrBad: false,
        bondCoverage: '—',
        coverageBad: false,
        outlay: null,
        flags: [
          {
            code: 'result-missing',
            severity: 'error',
            severityLabel: t('severity.error'),
            text: t('dash.resultMissing', { message: m.resultError?.message ?? '' }),
            short: t('flag.short.result-missing'),
          },
        ],
      });
      continue;
    }
    const mt = r.metrics;
    investment = investment.plus(mt.totalInvestment);
    outlay = outlay.plus(mt.governmentOutlayTotal);
    for (const p of PILLARS) pillars[p] = pillars[p].plus(mt.fundingByPillar[p].amount);
    const bondIdx = r.debts
      .map((d, j) => (d.type === 'special-bond' ? j : -1))
      .filter((j) => j >= 0);
    for (const y of r.ledger) {
      const acc = outlayByYear.get(y.year) ?? emptyInstruments();
      for (const k of GOVERNMENT_INSTRUMENTS) acc[k] = acc[k].plus(y.government[k]);
      outlayByYear.set(y.year, acc);
      const bond = bondIdx.reduce((a, j) => a.plus(y.debt[j]?.closing ?? '0'), ZERO);
      bondByYear.set(y.year, (bondByYear.get(y.year) ?? ZERO).plus(bond));
    }
    const flags = r.flags
      .filter((f) => (ATTENTION_FLAGS as readonly string[]).includes(f.code))
      .map((f) => flagView(f, unit, t));
    if (flags.length > 0) flagged++;
    const dscrBad = mt.dscrMin !== null && new Dec(mt.dscrMin).lt(thresholds.minDscr);
    const coverageBad =
      mt.bondCoverage !== null && new Dec(mt.bondCoverage).lt(thresholds.bondCoverage);
    rows.push({
      ...base,
      investment: formatAmount(mt.totalInvestment, unit),
      projectIrr: irrText(mt.projectIrr, lang, t),
      equityIrr: equityIrrText(mt.equity, lang, t),
      dscrMin: mt.dscrMin === null ? '—' : formatRatio(mt.dscrMin),
      dscrBad,
      bondCoverage: mt.bondCoverage === null ? '—' : formatRatio(mt.bondCoverage),
      coverageBad,
      outlay: formatAmount(mt.governmentOutlayTotal, unit),
      flags,
    });
  }
  const years = [...new Set([...outlayByYear.keys(), ...bondByYear.keys()])].sort((a, b) => a - b);
  const peakBond = [...bondByYear.values()].reduce((a, b) => (b.gt(a) ? b : a), ZERO);
  return {
    id: view.portfolio.id,
    name: view.portfolio.name,
    description: view.portfolio.description,
    memberCount: view.members.length,
    investment,
    outlay,
    peakBond,
    pillars,
    years,
    outlayByYear,
    bondByYear,
    flagged,
    rows,
  };
}

/** A project's failing rules in the portfolio (from the fiscal report). */
export interface RowChecks {
  fails: number;
  text: string;
  /** The failing rules' titles, for the badge's tooltip. */
  titles: string;
}

/** The portfolio's fiscal picture in brief, linking to the fiscal page. */
export interface DashboardFiscal {
  href: string;
  ratio: { value: string; note: string; tone: 'good' | 'bad' } | null;
  failures: { value: string; note: string; tone: 'good' | 'bad' };
}

function fiscalSummary(report: PortfolioFiscalReport, lang: Lang, t: Translate): DashboardFiscal {
  const a = report.affordability;
  const failing = new Set(report.failures.map((f) => f.projectCode));
  return {
    href: `/portfolios/${report.portfolio.id}/fiscal`,
    ratio:
      a && a.peak
        ? {
            value: formatPercent(a.peak.ratio, lang),
            note:
              a.breachYears.length > 0
                ? t('dash.fiscal.breach', {
                    years: yearRanges(a.breachYears),
                    cap: formatPercent(a.cap, lang),
                  })
                : t('dash.fiscal.within', { year: a.peak.year, cap: formatPercent(a.cap, lang) }),
            tone: a.breachYears.length > 0 ? 'bad' : 'good',
          }
        : null,
    failures: {
      value: String(report.failures.length),
      note:
        report.failures.length > 0
          ? t('dash.fiscal.failingProjects', { n: failing.size })
          : t('dash.fiscal.noFailures'),
      tone: report.failures.length > 0 ? 'bad' : 'good',
    },
  };
}

function rowChecks(
  report: PortfolioFiscalReport | null,
  code: string,
  lang: Lang,
  t: Translate,
): RowChecks | null {
  const member = report?.members.find((m) => m.projectCode === code);
  if (!report || !member || member.resultError) return null;
  const fails = member.checklist.filter((r) => r.status === 'fail');
  return {
    fails: fails.length,
    text: fails.length > 0 ? t('dash.fiscal.fails', { n: fails.length }) : t('dash.fiscal.pass'),
    titles: fails.map((r) => r.title[lang]).join(' · '),
  };
}

export interface DashboardView {
  portfolios: Array<{ id: number; name: string; selected: boolean; compared: boolean }>;
  current: {
    id: number;
    name: string;
    description: string;
    memberCount: number;
    totals: Array<{ label: string; value: string }>;
    pillars: Array<{ pillar: string; amount: string; share: string }>;
    flaggedText: string;
    flagged: number;
    rows: Array<PortfolioSummary['rows'][number] & { checks: RowChecks | null }>;
    fiscal: DashboardFiscal | null;
  } | null;
  comparison: {
    names: [string, string];
    rows: Array<{ label: string; a: string; b: string; delta: string }>;
  } | null;
  charts: ChartData;
}

function chartsFor(
  a: PortfolioSummary,
  b: PortfolioSummary | null,
  lang: Lang,
  unit: Unit,
  t: Translate,
): ChartData {
  const amt = (v: D) => amountForChart(v, unit);
  const unitLabel = t(`unit.${unit}`);
  const outlay: ChartSpec = {
    kind: 'bar',
    labels: a.years,
    stacked: true,
    yFormat: 'amount',
    yTitle: unitLabel,
    datasets: GOVERNMENT_INSTRUMENTS.map((k, i) => ({
      label: t(`instrument.${k}`),
      data: a.years.map((y) => amt(a.outlayByYear.get(y)?.[k] ?? ZERO)),
      color: color(i),
    })).filter((d) => hasData(d.data)),
  };
  const bond: ChartSpec = {
    kind: 'bar',
    labels: a.years,
    yFormat: 'amount',
    yTitle: unitLabel,
    datasets: [
      {
        label: t('sourceType.special-bond'),
        data: a.years.map((y) => amt(a.bondByYear.get(y) ?? ZERO)),
        color: PILLAR_COLORS.government,
      },
    ],
  };
  const pillars: ChartSpec = {
    kind: 'doughnut',
    labels: PILLARS.map((p) => t(`pillar.${p}`)),
    datasets: [
      { label: t('dash.pillars'), data: PILLARS.map((p) => amt(a.pillars[p])), color: '' },
    ],
    yFormat: 'amount',
    yTitle: unitLabel,
    sliceColors: PILLARS.map((p) => PILLAR_COLORS[p]),
  };
  const charts: Record<string, ChartSpec> = { outlay, bond, pillars };
  if (b) {
    const years = [...new Set([...a.years, ...b.years])].sort((x, y) => x - y);
    const net = (s: PortfolioSummary, y: number) => {
      const r = s.outlayByYear.get(y);
      return r ? amt(GOVERNMENT_INSTRUMENTS.reduce((acc, k) => acc.plus(r[k]), ZERO)) : null;
    };
    charts.compareOutlay = {
      kind: 'line',
      labels: years,
      yFormat: 'amount',
      yTitle: unitLabel,
      datasets: [
        { label: a.name, data: years.map((y) => net(a, y)), color: color(0) },
        { label: b.name, data: years.map((y) => net(b, y)), color: color(1) },
      ],
    };
    charts.compareBond = {
      kind: 'line',
      labels: years,
      yFormat: 'amount',
      yTitle: unitLabel,
      datasets: [
        {
          label: a.name,
          data: years.map((y) => (a.bondByYear.has(y) ? amt(a.bondByYear.get(y) as D) : null)),
          color: color(0),
        },
        {
          label: b.name,
          data: years.map((y) => (b.bondByYear.has(y) ? amt(b.bondByYear.get(y) as D) : null)),
          color: color(1),
        },
      ],
    };
  }
  return chartData(lang, unit, t, charts);
}

const parseId = (v: unknown): number | null =>
  typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : null;

/**
 * The portfolio whose fiscal report the dashboard shows (the chosen one: the compared one is
 * only added up), for `FiscalReports.prepare`; null when there is none.
 */
export function dashboardReportId(store: Store, query: { portfolio?: unknown }): number | null {
  return parseId(query.portfolio) ?? store.portfolios.list()[0]?.id ?? null;
}

/**
 * The dashboard: the chosen portfolio (default: the first by name) added up, optionally side by
 * side with a second one.
 * @throws NotFoundError when a requested portfolio does not exist
 */
export function buildDashboard(
  store: Store,
  query: { portfolio?: unknown; vs?: unknown },
  lang: Lang,
  unit: Unit,
  t: Translate,
  fiscalOf: (portfolioId: number) => PortfolioFiscalReport | null = () => null,
): DashboardView {
  const list = store.portfolios.list();
  const wanted = parseId(query.portfolio);
  const chosen = wanted !== null ? store.portfolios.get(wanted) : list[0];
  const vsId = parseId(query.vs);
  const other = vsId !== null && vsId !== chosen?.id ? store.portfolios.get(vsId) : null;
  const portfolios = list.map((p) => ({
    id: p.id,
    name: p.name,
    selected: p.id === chosen?.id,
    compared: p.id === other?.id,
  }));
  if (!chosen)
    return {
      portfolios,
      current: null,
      comparison: null,
      charts: chartData(lang, unit, t, {}),
    };

  const a = summarisePortfolio(store.portfolios.load(chosen.id), lang, unit, t);
  const report = fiscalOf(chosen.id);
  const b = other ? summarisePortfolio(store.portfolios.load(other.id), lang, unit, t) : null;
  const money = (v: D) => formatAmount(v, unit);
  const share = (v: D) => (a.investment.isZero() ? '—' : formatPercent(v.div(a.investment), lang));

  let comparison: DashboardView['comparison'] = null;
  if (b) {
    const row = (label: string, x: D, y: D) => ({
      label,
      a: money(x),
      b: money(y),
      delta: formatAmount(y.minus(x), unit, { sign: true }),
    });
    comparison = {
      names: [a.name, b.name],
      rows: [
        row(t('dash.totalInvestment'), a.investment, b.investment),
        ...PILLARS.map((p) => row(t(`pillar.${p}`), a.pillars[p], b.pillars[p])),
        row(t('dash.outlayTotal'), a.outlay, b.outlay),
        row(t('dash.peakBond'), a.peakBond, b.peakBond),
        {
          label: t('common.project'),
          a: String(a.memberCount),
          b: String(b.memberCount),
          delta: `${b.memberCount - a.memberCount >= 0 ? '+' : ''}${b.memberCount - a.memberCount}`,
        },
        {
          label: t('common.flags'),
          a: String(a.flagged),
          b: String(b.flagged),
          delta: `${b.flagged - a.flagged >= 0 ? '+' : ''}${b.flagged - a.flagged}`,
        },
      ],
    };
  }

  return {
    portfolios,
    current: {
      id: a.id,
      name: a.name,
      description: a.description,
      memberCount: a.memberCount,
      totals: [
        { label: t('dash.totalInvestment'), value: money(a.investment) },
        { label: t('dash.outlayTotal'), value: money(a.outlay) },
        { label: t('dash.peakBond'), value: money(a.peakBond) },
      ],
      pillars: PILLARS.map((p) => ({
        pillar: p,
        amount: money(a.pillars[p]),
        share: share(a.pillars[p]),
      })),
      flaggedText: a.flagged > 0 ? t('dash.flagged', { n: a.flagged }) : t('dash.allClear'),
      flagged: a.flagged,
      rows: a.rows.map((r) => ({ ...r, checks: rowChecks(report, r.code, lang, t) })),
      fiscal: report ? fiscalSummary(report, lang, t) : null,
    },
    comparison,
    charts: chartsFor(a, b, lang, unit, t),
  };
}

/**
 * The dashboard's one equity-IRR cell (issue 9, equity waterfall): with one holder, or holders
 * whose IRRs read the same, that IRR; with a waterfall the holders' IRRs differ, so the range
 * "lowest – highest" over the holders whose IRR has a solution (the results page lists each one).
 * "—" without equity; the no-solution text when no holder's IRR has one.
 */
export function equityIrrText(
  holders: ReadonlyArray<{ irr: StoredResult['metrics']['projectIrr'] }>,
  lang: Lang,
  t: Translate,
): string {
  if (holders.length === 0) return '—';
  const rates = holders
    .map((h) => (h.irr.status === 'ok' && h.irr.rate !== null ? new Dec(h.irr.rate) : null))
    .filter((r): r is D => r !== null);
  if (rates.length === 0) return irrText(holders[0]!.irr, lang, t);
  const low = rates.reduce((a, b) => (b.lt(a) ? b : a));
  const high = rates.reduce((a, b) => (b.gt(a) ? b : a));
  const [lowText, highText] = [formatPercent(low, lang), formatPercent(high, lang)];
  return lowText === highText ? lowText : t('dash.irrRange', { low: lowText, high: highText });
}
