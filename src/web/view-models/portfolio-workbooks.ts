import { CITY_COST_COLUMNS, type CityCostColumns } from '../../domain/fiscal/city-cost';
import type { CityCostWorkbookLabels } from '../../domain/workbook/portfolio-city-cost';
import type { FiscalWorkbookLabels } from '../../domain/workbook/portfolio-fiscal';
import type { Translate } from '../i18n';

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
