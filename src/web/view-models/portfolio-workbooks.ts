import { CITY_COST_COLUMNS, type CityCostColumns } from '../../domain/fiscal/city-cost';
import type { CityCostWorkbookLabels } from '../../domain/workbook/portfolio-city-cost';
import type { FiscalWorkbookLabels } from '../../domain/workbook/portfolio-fiscal';
import type {
  DashboardWorkbookLabels,
  DashboardWorkbookRow,
} from '../../domain/workbook/portfolio-dashboard';
import type { PortfolioView } from '../../store/types';
import type { Lang, Unit } from '../format/number';
import type { Translate } from '../i18n';
import { summarisePortfolio } from './dashboard';

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
