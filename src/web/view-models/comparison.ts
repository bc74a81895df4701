import { Dec } from '../../domain/decimal';
import type { StoredResult } from '../../store/types';
import { formatAmount, formatPercent, formatRatio, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';
import { irrText, paybackText } from './common';

export type Kind = 'amount' | 'rate' | 'ratio' | 'years';

/**
 * Which way a metric is better: returns and cover (IRR, NPV, DSCR, LLCR, coverage) the higher,
 * what the budget pays, cash nobody funds and the payback the lower; sizes (investment, funding
 * by pillar) are neither.
 */
export type Better = 'higher' | 'lower' | 'neutral';

/**
 * What a difference means for the reader: better or worse by the metric's `Better`, a change
 * that is neither (neutral metrics), no change, or nothing to compare.
 */
export type DeltaTone = 'better' | 'worse' | 'same' | 'neutral' | 'none';

interface MetricDef {
  label: string;
  kind: Kind;
  better: Better;
  /** The value as decimal text (or a float of years), null when there is none. */
  pick: (r: StoredResult) => string | number | null;
  /** Display of a missing value or of an IRR's status. */
  show?: (r: StoredResult) => string;
}

export interface ComparisonRow {
  label: string;
  cells: Array<{
    text: string;
    delta: string | null;
    tone: DeltaTone;
    /** The tone in words (the cell's title): colour is never the only sign. */
    toneText: string | null;
  }>;
}

interface EquityHolder {
  id: string;
  name: string;
}

/**
 * The equity holders of the compared results, by source id in order of first appearance; one
 * (the first holder of each) when no result has more than one, so a plain comparison keeps a
 * single "Equity IRR" row.
 */
function equityHolders(results: StoredResult[]): EquityHolder[] {
  if (results.every((r) => r.metrics.equity.length <= 1)) return [{ id: '', name: '' }];
  const seen = new Map<string, string>();
  for (const r of results)
    for (const e of r.metrics.equity) if (!seen.has(e.sourceId)) seen.set(e.sourceId, e.name);
  return [...seen].map(([id, name]) => ({ id, name }));
}

function defs(lang: Lang, t: Translate, holders: EquityHolder[]): MetricDef[] {
  const irrOk = (x: StoredResult['metrics']['projectIrr'] | undefined) =>
    x && x.status === 'ok' ? x.rate : null;
  return [
    {
      label: t('metric.totalInvestment'),
      kind: 'amount',
      better: 'neutral',
      pick: (r) => r.metrics.totalInvestment,
    },
    {
      label: t('metric.projectNpv'),
      kind: 'amount',
      better: 'higher',
      pick: (r) => r.metrics.projectNpv,
    },
    {
      label: t('metric.projectIrr'),
      kind: 'rate',
      better: 'higher',
      pick: (r) => irrOk(r.metrics.projectIrr),
      show: (r) => irrText(r.metrics.projectIrr, lang, t),
    },
    ...holders.map((h): MetricDef => {
      const of = (r: StoredResult) =>
        holders.length === 1
          ? r.metrics.equity[0]
          : r.metrics.equity.find((e) => e.sourceId === h.id);
      return {
        // One row per equity holder once holders differ (waterfall tiers give them different IRRs).
        label:
          holders.length === 1 ? t('metric.equityIrr') : `${t('metric.equityIrr')} · ${h.name}`,
        kind: 'rate',
        better: 'higher',
        pick: (r) => irrOk(of(r)?.irr),
        show: (r) => {
          const e = of(r);
          return e ? irrText(e.irr, lang, t) : t('metric.equityNone');
        },
      };
    }),
    {
      label: t('metric.payback'),
      kind: 'years',
      better: 'lower',
      pick: (r) => r.metrics.paybackYears,
      show: (r) => paybackText(r.metrics.paybackYears, t),
    },
    {
      label: t('metric.dscrMin'),
      kind: 'ratio',
      better: 'higher',
      pick: (r) => r.metrics.dscrMin,
      show: () => t('metric.noDebt'),
    },
    {
      label: t('metric.dscrAvg'),
      kind: 'ratio',
      better: 'higher',
      pick: (r) => r.metrics.dscrAvg,
      show: () => t('metric.noDebt'),
    },
    {
      label: t('metric.llcr'),
      kind: 'ratio',
      better: 'higher',
      pick: (r) => r.metrics.llcr,
      show: () => t('metric.noDebt'),
    },
    {
      label: t('metric.bondCoverage'),
      kind: 'ratio',
      better: 'higher',
      pick: (r) => r.metrics.bondCoverage,
      show: () => t('metric.noBonds'),
    },
    {
      label: t('metric.governmentOutlay'),
      kind: 'amount',
      better: 'lower',
      pick: (r) => r.metrics.governmentOutlayTotal,
    },
    {
      label: t('metric.governmentNpv'),
      kind: 'amount',
      better: 'lower',
      pick: (r) => r.metrics.governmentNpv,
    },
    {
      label: t('metric.shortfallUnfunded'),
      kind: 'amount',
      better: 'lower',
      pick: (r) => r.ledger.reduce((a, y) => a.plus(y.shortfallUnfunded), new Dec(0)).toFixed(2),
    },
    {
      label: t('pillar.government'),
      kind: 'amount',
      better: 'neutral',
      pick: (r) => r.metrics.fundingByPillar.government.amount,
    },
    {
      label: t('pillar.enterprise'),
      kind: 'amount',
      better: 'neutral',
      pick: (r) => r.metrics.fundingByPillar.enterprise.amount,
    },
    {
      label: t('pillar.social'),
      kind: 'amount',
      better: 'neutral',
      pick: (r) => r.metrics.fundingByPillar.social.amount,
    },
  ];
}

function valueText(kind: Kind, v: string | number, lang: Lang, unit: Unit, t: Translate): string {
  switch (kind) {
    case 'amount':
      return formatAmount(v, unit);
    case 'rate':
      return formatPercent(v, lang);
    case 'ratio':
      return formatRatio(v);
    case 'years':
      return paybackText(v as number, t);
  }
}

function deltaText(
  kind: Kind,
  a: string | number,
  b: string | number,
  unit: Unit,
  t: Translate,
): { text: string; sign: number } {
  if (kind === 'years') {
    // Paybacks are floats of years: a duration, shown to one decimal.
    const d = (b as number) - (a as number);
    const text = d.toFixed(1);
    return {
      text: d > 0 && text !== '0.0' ? `+${text}` : text === '-0.0' ? '0.0' : text,
      sign: Math.sign(Number(text)),
    };
  }
  const d = new Dec(String(b)).minus(String(a));
  const sign = d.isZero() ? 0 : d.isNeg() ? -1 : 1;
  if (kind === 'amount') return { text: formatAmount(d, unit, { sign: true }), sign };
  if (kind === 'ratio') return { text: formatRatio(d, { sign: true }), sign };
  // Rates: the difference in percentage points.
  return { text: t('compare.pp', { value: formatRatio(d.times(100), { sign: true }) }), sign };
}

/** The tone of a difference of this sign (−1, 0, 1) in a metric that is better `better`. */
export function deltaTone(better: Better, sign: number): Exclude<DeltaTone, 'none'> {
  if (sign === 0) return 'same';
  if (better === 'neutral') return 'neutral';
  return sign > 0 === (better === 'higher') ? 'better' : 'worse';
}

/** One metric of the compared results: each result's value and the text the page shows. */
export interface ComparisonMetric {
  label: string;
  kind: Kind;
  better: Better;
  /** Decimal text (or a float of years); null where the result has none. */
  values: Array<string | number | null>;
  texts: string[];
}

/** The compared metrics with their raw values (the page's rows and the comparison workbook). */
export function comparisonMetrics(
  results: StoredResult[],
  lang: Lang,
  unit: Unit,
  t: Translate,
): ComparisonMetric[] {
  return defs(lang, t, equityHolders(results)).map((def) => {
    const values = results.map((r) => def.pick(r));
    return {
      label: def.label,
      kind: def.kind,
      better: def.better,
      values,
      texts: results.map((r, i) => {
        const v = values[i] ?? null;
        if (v === null) return def.show ? def.show(r) : '—';
        return def.kind === 'rate' && def.show
          ? def.show(r)
          : valueText(def.kind, v, lang, unit, t);
      }),
    };
  });
}

/**
 * Key metrics of several results side by side, each with its difference against the first
 * (exact for amounts and ratios, in percentage points for rates) and what the difference means:
 * better or worse by the metric's direction, not by its sign.
 */
export function comparisonRows(
  results: StoredResult[],
  lang: Lang,
  unit: Unit,
  t: Translate,
): ComparisonRow[] {
  return comparisonMetrics(results, lang, unit, t).map((m) => ({
    label: m.label,
    cells: m.values.map((v, i) => {
      const none = { text: m.texts[i]!, delta: null, tone: 'none' as const, toneText: null };
      const base = m.values[0] ?? null;
      if (i === 0 || v === null || base === null) return none;
      const d = deltaText(m.kind, base, v, unit, t);
      const tone = deltaTone(m.better, d.sign);
      return { ...none, delta: d.text, tone, toneText: t(`compare.tone.${tone}`) };
    }),
  }));
}
