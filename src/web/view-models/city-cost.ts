import { Dec } from '../../domain/decimal';
import { CITY_COST_COLUMNS, type CityCostColumns } from '../../domain/fiscal/city-cost';
import type { PortfolioCityCost } from '../../store/fiscal-report';
import {
  amountForChart,
  formatAmount,
  formatPercent,
  type Lang,
  type Unit,
} from '../format/number';
import type { Translate } from '../i18n';
import { chartData, color, hasData, type ChartData, type DatasetSpec } from './charts';

/**
 * The "what it costs the city" page (README "What it costs the city"): the yearly table in the
 * chosen unit, both budgets' shares and headroom, issuance against the quotas and the checks.
 * Formatting only: every figure comes from `portfolioCityCost`.
 */

type Jsonified<T> = { [K in keyof T]: string };

const amount = (v: string, unit: Unit) => (new Dec(v).isZero() ? '–' : formatAmount(v, unit));
const orDash = (v: string | null, unit: Unit) => (v === null ? '—' : formatAmount(v, unit));
const share = (v: string | null, lang: Lang) => (v === null ? '—' : formatPercent(v, lang));

export interface CityCostPageInput {
  data: PortfolioCityCost;
  lang: Lang;
  unit: Unit;
  t: Translate;
}

function yearRows({ data, lang, unit }: CityCostPageInput) {
  return data.report.rows.map((r) => {
    const cols = r.columns as unknown as Jsonified<CityCostColumns>;
    return {
      year: r.year,
      cells: CITY_COST_COLUMNS.map((k) => amount(cols[k], unit)),
      total: amount(r.totalYuan, unit),
      general: {
        charged: amount(r.general.chargedYuan, unit),
        budget: orDash(r.general.budgetYuan, unit),
        share: share(r.general.share, lang),
        headroom: orDash(r.general.headroomYuan, unit),
        short: r.general.headroomYuan !== null && new Dec(r.general.headroomYuan).lt(0),
      },
      fund: {
        charged: amount(r.fund.chargedYuan, unit),
        budget: orDash(r.fund.budgetYuan, unit),
        share: share(r.fund.share, lang),
        headroom: orDash(r.fund.headroomYuan, unit),
        short: r.fund.headroomYuan !== null && new Dec(r.fund.headroomYuan).lt(0),
      },
      special: {
        issued: amount(r.specialIssuance.issuedYuan, unit),
        quota: orDash(r.specialIssuance.quotaYuan, unit),
        headroom: orDash(r.specialIssuance.headroomYuan, unit),
        over: new Dec(r.specialIssuance.overYuan).gt(0),
      },
      general2: {
        issued: amount(r.generalIssuance.issuedYuan, unit),
        quota: orDash(r.generalIssuance.quotaYuan, unit),
        headroom: orDash(r.generalIssuance.headroomYuan, unit),
        over: new Dec(r.generalIssuance.overYuan).gt(0),
      },
    };
  });
}

function quotaCheck({ data, unit, t }: CityCostPageInput) {
  const q = data.report.quotaCheck;
  const unitName = t(`unit.${unit}`);
  return {
    status: q.status,
    label: t(`cityCost.check.${q.status}`),
    breaches: q.breaches.map((b) =>
      t('cityCost.check.breach', {
        year: String(b.year),
        kind: t(`cityCost.kind.${b.kind}`),
        issued: formatAmount(b.issuedYuan, unit),
        quota: formatAmount(b.quotaYuan, unit),
        over: formatAmount(b.overYuan, unit),
        unit: unitName,
      }),
    ),
    unquoted:
      q.unquotedYears.length > 0
        ? t('cityCost.check.unquoted', { years: q.unquotedYears.join(', ') })
        : null,
  };
}

function bondAsCapital({ data, lang, unit, t }: CityCostPageInput) {
  const c = data.bondAsCapital;
  if (new Dec(c.bondsYuan).isZero()) return null;
  return {
    exceeds: c.exceeds,
    text: t('cityCost.asCapital', {
      amount: formatAmount(c.amountYuan, unit),
      bonds: formatAmount(c.bondsYuan, unit),
      share: c.share === null ? '—' : formatPercent(c.share, lang),
      max: formatPercent(c.max, lang),
      unit: t(`unit.${unit}`),
      verdict: t(c.exceeds ? 'cityCost.asCapital.over' : 'cityCost.asCapital.within'),
    }),
  };
}

function chart({ data, lang, unit, t }: CityCostPageInput): ChartData {
  const rows = data.report.rows;
  const labels = rows.map((r) => r.year);
  const amt = (v: string) => amountForChart(v, unit);
  const datasets: DatasetSpec[] = CITY_COST_COLUMNS.map((k, i) => ({
    label: t(`cityCost.col.${k}`),
    data: rows.map((r) => amt((r.columns as unknown as Jsonified<CityCostColumns>)[k])),
    color: color(i),
  })).filter((d) => hasData(d.data));
  const line = (label: string, pick: (r: (typeof rows)[number]) => string | null, c: string) => ({
    label,
    data: rows.map((r) => {
      const v = pick(r);
      return v === null ? null : amt(v);
    }),
    color: c,
    line: true,
    dashed: true,
    flat: true,
  });
  if (data.hasGeneralBudget)
    datasets.push(line(t('cityCost.chart.generalBudget'), (r) => r.general.budgetYuan, '#1f2a37'));
  if (data.hasFundBudget)
    datasets.push(line(t('cityCost.chart.fundBudget'), (r) => r.fund.budgetYuan, '#c4534a'));
  return chartData(lang, unit, t, {
    cityCost: {
      kind: 'bar',
      labels,
      datasets,
      stacked: true,
      yFormat: 'amount',
      yTitle: t(`unit.${unit}`),
    },
  });
}

/** The page model. */
export function cityCostPageView(input: CityCostPageInput) {
  const { data, unit, t } = input;
  const totals = data.report.totals as unknown as Jsonified<CityCostColumns> & {
    totalYuan: string;
  };
  return {
    portfolio: data.portfolio,
    jurisdiction: data.jurisdiction,
    unitName: t(`unit.${unit}`),
    headers: CITY_COST_COLUMNS.map((k) => ({
      key: k,
      label: t(`cityCost.col.${k}`),
      fund: k === 'specialBondPrincipal' || k === 'specialBondInterest',
    })),
    rows: yearRows(input),
    totals: {
      cells: CITY_COST_COLUMNS.map((k) => amount(totals[k], unit)),
      total: amount(totals.totalYuan, unit),
    },
    hasSettings: data.hasSettings,
    noFundBudget: data.hasSettings && !data.hasFundBudget,
    quotaCheck: quotaCheck(input),
    bondAsCapital: bondAsCapital(input),
    leftOut:
      data.leftOut.length > 0 ? t('cityCost.leftOut', { codes: data.leftOut.join(', ') }) : null,
    charts: chart(input),
  };
}
