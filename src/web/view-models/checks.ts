import { Dec } from '../../domain/decimal';
import {
  RULE_SETS,
  type ChecklistRow,
  type RuleSetId,
  type RuleStatus,
} from '../../domain/fiscal/rules';
import type {
  FiscalBondSelfBalance,
  FiscalVfm,
  PortfolioFiscalReport,
  ScenarioChecklistReport,
} from '../../store/fiscal-report';
import { formatAmount, formatPercent, formatRatio, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';

/**
 * The rules checklist as pages show it (results, project, fiscal and dashboard pages): titles,
 * details and rule-set names in the page's language, a status badge. The deciding figure and the
 * detail are the rule's own text (amounts there are in yuan, as the rule judged them).
 */

export interface CheckRowView {
  ruleId: string;
  title: string;
  ruleSet: string;
  status: RuleStatus;
  statusLabel: string;
  /** Badge class: badge-good / badge-error / badge-muted. */
  badge: 'good' | 'error' | 'muted';
  figure: string;
  detail: string;
  citation: string;
}

const BADGE: Record<RuleStatus, CheckRowView['badge']> = {
  pass: 'good',
  fail: 'error',
  'not-applicable': 'muted',
};

export function ruleSetName(set: RuleSetId, lang: Lang): string {
  return RULE_SETS[set].title[lang];
}

export function checkRowView(row: ChecklistRow, lang: Lang, t: Translate): CheckRowView {
  return {
    ruleId: row.ruleId,
    title: row.title[lang],
    ruleSet: ruleSetName(row.set, lang),
    status: row.status,
    statusLabel: t(`check.status.${row.status}`),
    badge: BADGE[row.status],
    figure: row.figure,
    detail: row.detail[lang],
    citation: row.citation,
  };
}

/** Counts for a summary line: "2 failed · 5 passed · 9 not applicable". */
export function checkCountsText(summary: Record<RuleStatus, number>, t: Translate): string {
  return t('check.counts', {
    fail: summary.fail,
    pass: summary.pass,
    na: summary['not-applicable'],
  });
}

/** The rules judged on a portfolio's affordability (they are not applicable to a scenario alone). */
const PORTFOLIO_RULES = new Set(['ppp2015-affordability-cap', 'ppp2015-new-project-line']);

export interface PortfolioCheckView {
  portfolioName: string;
  href: string;
  rows: CheckRowView[];
}

/**
 * The portfolio-level rows (10 % cap, 5 % line) of one scenario, from each portfolio that uses it:
 * a scenario alone cannot be judged against the budget.
 */
export function portfolioChecks(
  reports: readonly PortfolioFiscalReport[],
  scenarioId: number,
  lang: Lang,
  t: Translate,
): PortfolioCheckView[] {
  return reports.flatMap((r) => {
    const member = r.members.find((m) => m.scenarioId === scenarioId);
    if (!member) return [];
    const rows = member.checklist.filter(
      (row) => PORTFOLIO_RULES.has(row.ruleId) && row.status !== 'not-applicable',
    );
    return rows.length === 0
      ? []
      : [
          {
            portfolioName: r.portfolio.name,
            href: `/portfolios/${r.portfolio.id}/fiscal`,
            rows: rows.map((row) => checkRowView(row, lang, t)),
          },
        ];
  });
}

/** Failing rows of a scenario: its own checklist's, then those judged in its portfolios. */
export function failingRows(
  own: readonly ChecklistRow[],
  portfolios: readonly PortfolioFiscalReport[],
  scenarioId: number,
): ChecklistRow[] {
  const out = own.filter((r) => r.status === 'fail');
  for (const report of portfolios) {
    const member = report.members.find((m) => m.scenarioId === scenarioId);
    for (const row of member?.checklist ?? []) {
      if (
        row.status === 'fail' &&
        PORTFOLIO_RULES.has(row.ruleId) &&
        !out.some((o) => o.ruleId === row.ruleId)
      )
        out.push(row);
    }
  }
  return out;
}

export interface VfmSummaryView {
  pscTotal: string;
  pppValue: string;
  vfm: string;
  index: string;
  verdict: 'pass' | 'fail';
  verdictLabel: string;
  badge: 'good' | 'error';
  basis: string;
}

export function vfmSummary(v: FiscalVfm, lang: Lang, unit: Unit, t: Translate): VfmSummaryView {
  return {
    pscTotal: formatAmount(v.psc.total, unit),
    pppValue: formatAmount(v.pppValue.total, unit),
    vfm: formatAmount(v.vfmYuan, unit, { sign: true }),
    index: v.vfmIndex === null ? '—' : formatPercent(v.vfmIndex, lang, { sign: true }),
    verdict: v.verdict,
    verdictLabel: t(`vfm.verdict.${v.verdict}`),
    badge: v.verdict === 'pass' ? 'good' : 'error',
    basis: t('vfm.basis', { rate: formatPercent(v.discountRate, lang), year: v.valuationYear }),
  };
}

export interface CoverageCellView {
  ratio: string;
  pass: boolean;
  badge: 'good' | 'error';
  statusLabel: string;
  shortfall: string;
}

export interface SelfBalanceView {
  bondAmount: string;
  lifeYears: number;
  netIncome: string;
  debtService: string;
  threshold: string;
  base: CoverageCellView;
  stress: Array<CoverageCellView & { label: string }>;
}

/** Coverage ratios with 3 places: at 2 places a failing 1.196 would read "1.20" against a 1.20 threshold. */
const coverageText = (ratio: string | null, t: Translate) =>
  ratio === null ? t('selfBalance.noService') : formatRatio(ratio, { dp: 3 });

function coverageCell(
  c: FiscalBondSelfBalance['base'],
  unit: Unit,
  t: Translate,
): CoverageCellView {
  return {
    ratio: coverageText(c.ratio, t),
    pass: c.pass,
    badge: c.pass ? 'good' : 'error',
    statusLabel: t(`check.status.${c.pass ? 'pass' : 'fail'}`),
    shortfall: c.pass ? '–' : formatAmount(c.shortfallYuan, unit),
  };
}

export function selfBalanceView(
  b: FiscalBondSelfBalance,
  lang: Lang,
  unit: Unit,
  t: Translate,
): SelfBalanceView {
  return {
    bondAmount: formatAmount(b.bondAmountYuan, unit),
    lifeYears: b.lifeYears,
    netIncome: formatAmount(b.base.netIncomeYuan, unit),
    debtService: formatAmount(b.base.debtServiceYuan, unit),
    threshold: formatRatio(b.base.threshold),
    base: coverageCell(b.base, unit, t),
    stress: b.stress.map((s) => ({
      ...coverageCell(s.coverage, unit, t),
      // 0.9 → "Revenue −10%"
      label: t('selfBalance.revenueDown', {
        pct: formatPercent(new Dec(1).minus(s.revenueFactor), lang, { dp: 0 }),
      }),
    })),
  };
}

export interface ScenarioChecksView {
  summary: string;
  failCount: number;
  /** The badge next to the heading: failures, all pass, or nothing applies. */
  headline: { text: string; badge: 'good' | 'error' | 'muted' };
  /** Rules that apply (pass or fail), then those that do not, shown folded. */
  rows: CheckRowView[];
  notApplicable: CheckRowView[];
  ruleSets: string[];
  jurisdiction: string;
  vfm: VfmSummaryView | null;
  selfBalance: SelfBalanceView | null;
  portfolios: PortfolioCheckView[];
}

/** The results page's compliance section: the scenario's checklist and what its portfolios judged. */
export function scenarioChecksView(
  report: ScenarioChecklistReport,
  portfolios: readonly PortfolioFiscalReport[],
  lang: Lang,
  unit: Unit,
  t: Translate,
): ScenarioChecksView {
  const inPortfolios = portfolioChecks(portfolios, report.scenarioId, lang, t);
  // Rules judged in a portfolio count there, not as "not applicable" here.
  const judged = new Set(inPortfolios.flatMap((p) => p.rows.map((r) => r.ruleId)));
  const portfolioRows = inPortfolios.flatMap((p) => p.rows);
  const summary = {
    fail: report.summary.fail + portfolioRows.filter((r) => r.status === 'fail').length,
    pass: report.summary.pass + portfolioRows.filter((r) => r.status === 'pass').length,
    'not-applicable': report.rows.filter(
      (r) => r.status === 'not-applicable' && !judged.has(r.ruleId),
    ).length,
  };
  const failCount = summary.fail;
  const rows = report.rows.map((r) => checkRowView(r, lang, t));
  const applicable = summary.fail + summary.pass;
  return {
    summary: checkCountsText(summary, t),
    failCount,
    headline:
      failCount > 0
        ? { text: t('dash.fiscal.fails', { n: failCount }), badge: 'error' }
        : applicable > 0
          ? { text: t('dash.fiscal.pass'), badge: 'good' }
          : { text: t('check.noneApplies'), badge: 'muted' },
    rows: rows.filter((r) => r.status !== 'not-applicable'),
    notApplicable: rows.filter((r) => r.status === 'not-applicable' && !judged.has(r.ruleId)),
    ruleSets: report.ruleSets.map((s) => ruleSetName(s, lang)),
    jurisdiction:
      report.thresholdsSource === 'jurisdiction'
        ? t('check.thresholdsOf', { name: report.jurisdiction ?? '' })
        : t('check.thresholdsDefault'),
    vfm: report.vfm ? vfmSummary(report.vfm, lang, unit, t) : null,
    selfBalance: report.bondSelfBalance
      ? selfBalanceView(report.bondSelfBalance, lang, unit, t)
      : null,
    portfolios: inPortfolios,
  };
}
