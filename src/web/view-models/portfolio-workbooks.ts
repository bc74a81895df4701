import { CITY_COST_COLUMNS, type CityCostColumns } from '../../domain/fiscal/city-cost';
import type { CityCostWorkbookLabels } from '../../domain/workbook/portfolio-city-cost';
import type { FiscalWorkbookLabels } from '../../domain/workbook/portfolio-fiscal';
import type {
  DashboardWorkbookLabels,
  DashboardWorkbookRow,
} from '../../domain/workbook/portfolio-dashboard';
import type { PortfolioView, StoredResult } from '../../store/types';
import type { Lang, Unit } from '../format/number';
import type { Translate } from '../i18n';
import { summarisePortfolio } from './dashboard';
import type { FilingReportView } from './filing';
import { comparisonMetrics } from './comparison';
import { compareSheet } from '../../domain/workbook/portfolio-compare';
import { filingSheets } from '../../domain/workbook/portfolio-filing';
import type { SheetModel } from '../../domain/workbook/portfolio-sheet';

/**
 * The headings of the portfolio workbooks (README "Portfolio workbooks") in the user's
 * language: the pages' own column labels wherever the page has one.
 */

export function fiscalWorkbookLabels(t: Translate): FiscalWorkbookLabels {
  return {
    sheet: t('workbook.fiscal.sheet'),
    columns: [
      t('workbook.fiscal.year'),
      t('fiscal.col.equity'),
      t('fiscal.col.subsidy'),
      t('fiscal.col.risk'),
      t('fiscal.col.supporting'),
      t('fiscal.col.programme'),
      t('fiscal.col.other'),
      t('fiscal.col.total'),
      t('fiscal.col.budget'),
      t('fiscal.col.ratio'),
      t('workbook.fiscal.capRate'),
      t('workbook.fiscal.capYuan'),
      t('fiscal.col.breach'),
      t('workbook.fiscal.breachYuan'),
      t('workbook.fiscal.headroom'),
      t('workbook.fiscal.lineRate'),
      t('workbook.fiscal.aboveLine'),
    ],
  };
}

export function cityCostWorkbookLabels(t: Translate): CityCostWorkbookLabels {
  const budget = (side: string) => ({
    charged: `${t(side)} · ${t('cityCost.charged')}`,
    budget: `${t(side)} · ${t('cityCost.budget')}`,
    share: `${t(side)} · ${t('cityCost.share')}`,
    headroom: `${t(side)} · ${t('cityCost.headroom')}`,
  });
  const bond = (kind: string) => ({
    issued: `${t(kind)} · ${t('cityCost.issued')}`,
    quota: `${t(kind)} · ${t('cityCost.quota')}`,
    headroom: `${t(kind)} · ${t('cityCost.headroom')}`,
    over: `${t(kind)} · ${t('workbook.cityCost.over')}`,
  });
  return {
    costSheet: t('workbook.cityCost.sheet'),
    quotaSheet: t('workbook.cityCost.quotaSheet'),
    year: t('common.year'),
    columns: Object.fromEntries(
      CITY_COST_COLUMNS.map((k) => [k, t(`cityCost.col.${k}`)]),
    ) as Record<keyof CityCostColumns, string>,
    total: t('cityCost.col.total'),
    totalRow: t('cityCost.totalRow'),
    general: budget('cityCost.general'),
    fund: budget('cityCost.fund'),
    special: bond('cityCost.kind.special-bond'),
    generalBond: bond('cityCost.kind.general-bond'),
  };
}

/**
 * The dashboard's project table with its raw figures (decimal text), in the page's order and
 * with the page's texts where a figure is missing (src/web/view-models/dashboard.ts).
 */
export function dashboardWorkbookRows(
  view: PortfolioView,
  lang: Lang,
  unit: Unit,
  t: Translate,
): DashboardWorkbookRow[] {
  const shown = summarisePortfolio(view, lang, unit, t).rows;
  return view.members.map((m, i) => {
    const page = shown[i]!;
    const mt = m.result?.metrics;
    const ok = (irr: { status: string; rate: string | null } | undefined) =>
      irr && irr.status === 'ok' ? irr.rate : null;
    // One holder: that IRR as a number; several (a waterfall) keep the page's range text.
    const equity = mt && mt.equity.length === 1 ? ok(mt.equity[0]!.irr) : null;
    return {
      code: page.code,
      name: page.name,
      category: t(`category.${page.category}`),
      sector: t(`sector.${page.sector}`),
      scenario: page.scenario,
      investmentYuan: mt ? mt.totalInvestment : null,
      projectIrr: { rate: ok(mt?.projectIrr), text: page.projectIrr },
      equityIrr: { rate: equity, text: page.equityIrr },
      dscrMin: mt?.dscrMin ?? null,
      bondCoverage: mt?.bondCoverage ?? null,
      outlayYuan: mt ? mt.governmentOutlayTotal : null,
      flags: page.flags.map((f) => f.short).join('; '),
    };
  });
}

export function dashboardWorkbookLabels(t: Translate): DashboardWorkbookLabels {
  return {
    sheet: t('workbook.dashboard.sheet'),
    columns: [
      t('workbook.dashboard.code'),
      t('common.project'),
      t('common.category'),
      t('common.sector'),
      t('common.scenario'),
      t('common.investment'),
      t('workbook.dashboard.share'),
      t('metric.projectIrr'),
      t('metric.equityIrr'),
      t('metric.dscrMin'),
      t('metric.bondCoverage'),
      t('metric.governmentOutlay'),
      t('common.flags'),
    ],
    totalRow: t('workbook.dashboard.total'),
    none: '—',
  };
}

/**
 * The filing report's workbook sheets, from the printed report's own model (./filing.ts): its
 * facts as item and value, the filed version's metrics with their raw values (as the
 * comparison's), and the checklist with counts by status.
 */
export function filingWorkbookSheets(
  report: FilingReportView,
  result: StoredResult,
  input: {
    lang: Lang;
    unit: Unit;
    t: Translate;
  },
): SheetModel[] {
  const { lang, unit, t } = input;
  const r = report;
  const facts: Array<readonly [string, string]> = [
    [
      t('report.heading'),
      `${r.project.name} · ${r.scenario} ${t('common.versionNo', { n: r.version.no })}`,
    ],
    [t('report.jurisdiction'), r.jurisdiction],
    [t('report.project'), `${r.project.code} · ${r.project.name}`],
    [
      t('report.version'),
      `${r.scenario} ${t('common.versionNo', { n: r.version.no })} · ${r.version.author} · ${r.version.createdAt}`,
    ],
    [t('report.filedBy'), `${r.filedBy} (${r.filedByOrg}) · ${r.filedAt}`],
    [
      t('report.approvedBy'),
      r.decidedBy ? `${r.decidedBy} · ${r.decidedAt ?? ''}` : t('report.notApproved'),
    ],
    ...[...r.inputs, ...r.declarations].map(
      (line, i) => [i === 0 ? t('filing.inputs') : '', line] as const,
    ),
    ...r.justifications.map(
      (j) => [j.title, t('report.justified', { user: j.by }) + `: ${j.text}`] as const,
    ),
    ...r.comments.map(
      (c, i) =>
        [
          i === 0 ? t('report.comments') : '',
          `${c.kind} · ${c.username} · ${c.at}: ${c.comment}`,
        ] as const,
    ),
    [t('report.inputsHash'), r.prints.inputsHash],
    [t('report.resultHash'), r.prints.resultHash ?? '—'],
    [t('report.chainHead'), r.prints.chainHeadAtFiling ?? '—'],
    ...(r.prints.chainHeadAtResubmission
      ? [[t('report.chainHeadResubmit'), r.prints.chainHeadAtResubmission] as const]
      : []),
  ];
  const sheets = filingSheets(
    facts,
    r.checks.rows.map((c) => ({
      title: c.title,
      status: c.status,
      statusLabel: c.statusLabel,
      figure: c.figure,
    })),
    {
      reportSheet: t('workbook.filing.sheet'),
      checksSheet: t('workbook.filing.checksSheet'),
      checkColumns: [
        t('workbook.filing.rule'),
        t('workbook.filing.status'),
        t('workbook.filing.figure'),
        t('workbook.filing.code'),
      ],
      statuses: {
        pass: t('check.status.pass'),
        fail: t('check.status.fail'),
        'not-applicable': t('check.status.not-applicable'),
      },
      reportColumns: [t('workbook.filing.item'), t('workbook.filing.value')],
    },
  );
  const results = compareSheet(comparisonMetrics([result], lang, unit, t), {
    sheet: t('workbook.filing.resultsSheet'),
    metric: t('workbook.compare.metric'),
    scenarios: [`${r.project.code} · ${r.scenario} ${t('common.versionNo', { n: r.version.no })}`],
    delta: (name) => name,
  });
  return [sheets.report, results, sheets.checks];
}
