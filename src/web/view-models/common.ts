import { Dec } from '../../domain/decimal';
import type { Project, StoredResult } from '../../store/types';
import {
  formatAmount,
  formatPercent,
  formatRatio,
  UNIT_DECIMALS,
  type Lang,
  type Unit,
} from '../format/number';
import type { Translate } from '../i18n';

type StoredFlag = StoredResult['flags'][number];

/** A project's name in the page's language (the Chinese name when there is no English one). */
export function projectName(p: Pick<Project, 'name' | 'nameEn'>, lang: Lang): string {
  return lang === 'en' && p.nameEn ? p.nameEn : p.name;
}

/** A project as the project and results pages head it. */
export interface ProjectHeaderView {
  code: string;
  name: string;
  /** The name in the other language, when there is one. */
  nameAlt: string | null;
  sector: string;
  category: string;
  /**
   * The delivery models of the project's scenarios (format v2: each scenario has its own), each
   * once, in scenario order: one project may be weighed as a government project and as a PPP.
   */
  deliveries: string[];
  approvalDate: string;
  jurisdiction: string | null;
  deleted: boolean;
}

export function projectHeader(
  project: Project,
  lang: Lang,
  deliveries: ReadonlyArray<string | null>,
): ProjectHeaderView {
  return {
    code: project.code,
    name: projectName(project, lang),
    nameAlt: lang === 'en' ? (project.nameEn ? project.name : null) : project.nameEn,
    sector: project.sector,
    category: project.category,
    deliveries: distinctDeliveries(deliveries),
    approvalDate: project.approvalDate,
    jurisdiction: project.jurisdiction,
    deleted: project.deletedAt !== null,
  };
}

/** Each delivery model once, in the order given; scenarios without one are left out. */
export function distinctDeliveries(deliveries: ReadonlyArray<string | null>): string[] {
  return [...new Set(deliveries.filter((d): d is string => d !== null))];
}

/** Amount with its unit, for running text: "1,234.56 万元" / "1,234.56 CNY 10,000". */
export function amountText(value: string, unit: Unit, t: Translate): string {
  return `${formatAmount(value, unit)} ${t(`unit.${unit}`)}`;
}

export interface FlagView {
  code: string;
  severity: StoredFlag['severity'];
  severityLabel: string;
  text: string;
  short: string | null;
}

/** Flags with user-relevant consequences: shown as badges in tables. */
export const ATTENTION_FLAGS = [
  'dscr-below-covenant',
  'bond-coverage-below-threshold',
  'debt-not-repaid',
  'unfunded-shortfall',
  'government-shortfall-support',
] as const;

const yearsText = (years: number[] | undefined) => {
  const list = years ?? [];
  return list.length > 8 ? `${list.slice(0, 8).join(', ')} …` : list.join(', ');
};

/** An engine flag in the page's language, with its amount in the chosen unit. */
export function flagView(flag: StoredFlag, unit: Unit, t: Translate): FlagView {
  const params: Record<string, string | number> = {
    count: flag.years?.length ?? 0,
    years: yearsText(flag.years),
    amount: flag.amount === undefined ? '' : amountText(flag.amount, unit, t),
    name: /^(.*) is not repaid within its/.exec(flag.message)?.[1] ?? '',
  };
  let text: string;
  try {
    text = t(`flag.${flag.code}`, params);
  } catch {
    // A flag this catalogue does not know yet: the engine's own (English) words.
    text = flag.message;
  }
  let short: string | null = null;
  try {
    short = t(`flag.short.${flag.code}`);
  } catch {
    short = null;
  }
  return {
    code: flag.code,
    severity: flag.severity,
    severityLabel: t(`severity.${flag.severity}`),
    text,
    short,
  };
}

/** A figure for a metric card or a table cell: display text and a machine-readable kind. */
export interface FigureView {
  text: string;
  /** Smaller text under the figure (rate, year, threshold). */
  note: string | null;
  tone: 'neutral' | 'good' | 'bad';
}

const fig = (
  text: string,
  note: string | null = null,
  tone: FigureView['tone'] = 'neutral',
): FigureView => ({ text, note, tone });

export function irrText(
  irr: StoredResult['metrics']['projectIrr'],
  lang: Lang,
  t: Translate,
): string {
  if (irr.status !== 'ok' || irr.rate === null) return t('metric.irrNone');
  return formatPercent(irr.rate, lang);
}

export function paybackText(years: number | null, t: Translate): string {
  // Paybacks are floats of years (a duration, not money); one decimal is what people read.
  return years === null
    ? t('metric.paybackNever')
    : t('metric.paybackYears', { n: years.toFixed(1) });
}

/** The inputs a few metrics are judged against (from the scenario's covenants). */
export interface Thresholds {
  minDscr: string;
  bondCoverage: string;
}

export function thresholdsOf(inputs: {
  covenants?: { minDscr?: string; bondCoverage?: string };
}): Thresholds {
  return {
    minDscr: inputs.covenants?.minDscr ?? '1.2',
    bondCoverage: inputs.covenants?.bondCoverage ?? '1.2',
  };
}

const below = (value: string | null, threshold: string) =>
  value !== null && new Dec(value).lt(threshold);

export interface MetricRow {
  key: string;
  label: string;
  /** The figure as shown (already in the page's unit and language). */
  figure: FigureView;
}

/**
 * The key metrics of a result, in the order people read them. Amounts in the chosen unit;
 * rates as percentages; DSCR-type ratios with 2 places, marked bad below their threshold.
 */
export function keyMetrics(
  result: StoredResult,
  thresholds: Thresholds,
  lang: Lang,
  unit: Unit,
  t: Translate,
  discountRate?: string,
): MetricRow[] {
  const m = result.metrics;
  const money = (v: string) => formatAmount(v, unit);
  const rows: MetricRow[] = [
    {
      key: 'totalInvestment',
      label: t('metric.totalInvestment'),
      figure: fig(money(m.totalInvestment)),
    },
    {
      key: 'projectNpv',
      label: t('metric.projectNpv'),
      figure: fig(
        money(m.projectNpv),
        discountRate ? t('metric.projectNpvAt', { rate: formatPercent(discountRate, lang) }) : null,
        m.projectNpv.startsWith('-') ? 'bad' : 'neutral',
      ),
    },
    {
      key: 'projectIrr',
      label: t('metric.projectIrr'),
      figure: fig(
        irrText(m.projectIrr, lang, t),
        m.projectIrr.multiple
          ? `${t('metric.irrMultiple')} · ${t('metric.irrRoots', {
              roots: m.projectIrr.roots.map((r) => formatPercent(r, lang)).join(', '),
            })}`
          : null,
      ),
    },
    {
      key: 'projectIrrPreTax',
      label: t('metric.projectIrrPreTax'),
      figure: fig(irrText(m.projectIrrPreTax, lang, t)),
    },
  ];
  if (m.equity.length === 0)
    rows.push({
      key: 'equityIrr',
      label: t('metric.equityIrr'),
      figure: fig(t('metric.equityNone')),
    });
  m.equity.forEach((e, i) =>
    rows.push({
      key: `equityIrr:${i}`,
      label: t('metric.equityIrrOf', { name: e.name }),
      figure: fig(irrText(e.irr, lang, t), t('metric.equityNpv', { amount: money(e.npv) })),
    }),
  );
  rows.push(
    { key: 'payback', label: t('metric.payback'), figure: fig(paybackText(m.paybackYears, t)) },
    {
      key: 'discountedPayback',
      label: t('metric.discountedPayback'),
      figure: fig(paybackText(m.discountedPaybackYears, t)),
    },
    {
      key: 'dscrMin',
      label: t('metric.dscrMin'),
      figure:
        m.dscrMin === null
          ? fig(t('metric.noDebt'))
          : fig(
              formatRatio(m.dscrMin),
              [
                m.dscrMinYear === null ? null : t('metric.dscrMinIn', { year: m.dscrMinYear }),
                t('metric.covenant', { value: thresholds.minDscr }),
              ]
                .filter(Boolean)
                .join(' · '),
              below(m.dscrMin, thresholds.minDscr) ? 'bad' : 'good',
            ),
    },
    {
      key: 'dscrAvg',
      label: t('metric.dscrAvg'),
      figure: fig(m.dscrAvg === null ? t('metric.noDebt') : formatRatio(m.dscrAvg)),
    },
    {
      key: 'llcr',
      label: t('metric.llcr'),
      figure: fig(m.llcr === null ? t('metric.noDebt') : formatRatio(m.llcr)),
    },
    {
      key: 'bondCoverage',
      label: t('metric.bondCoverage'),
      figure:
        m.bondCoverage === null
          ? fig(t('metric.noBonds'))
          : fig(
              formatRatio(m.bondCoverage),
              t('metric.threshold', { value: thresholds.bondCoverage }),
              below(m.bondCoverage, thresholds.bondCoverage) ? 'bad' : 'good',
            ),
    },
    ...(!new Dec(m.unpaidAtEnd).isZero()
      ? [
          {
            key: 'unpaidAtEnd',
            label: t('metric.unpaidAtEnd'),
            figure: fig(money(m.unpaidAtEnd), t('metric.unpaidAtEndNote'), 'bad'),
          },
        ]
      : []),
    // Reserve accounts (issue 9): only for a scenario with a DSRA.
    ...(m.dsraAtStartOfOperation !== undefined
      ? [
          {
            key: 'dsraAtStart',
            label: t('metric.dsraAtStart'),
            figure: fig(money(m.dsraAtStartOfOperation)),
          },
        ]
      : []),
    {
      key: 'governmentOutlay',
      label: t('metric.governmentOutlay'),
      figure: fig(money(m.governmentOutlayTotal)),
    },
    { key: 'governmentNpv', label: t('metric.governmentNpv'), figure: fig(money(m.governmentNpv)) },
  );
  return rows;
}

/** Decimal places used for deltas of amounts (same as the unit's). */
export const amountPlaces = (unit: Unit) => UNIT_DECIMALS[unit];
