/**
 * Chart descriptions sent to the browser as JSON (no functions: the page's CSP forbids eval and
 * inline code). The static script `charts.js` turns each into a chart.js configuration and adds
 * the number formatting. Values are floats in the page's unit: a chart is a picture, the exact
 * figures are in the tables next to it.
 */

import { UNIT_DECIMALS, type Lang, type Unit } from '../format/number';
import type { Translate } from '../i18n';

export interface DatasetSpec {
  label: string;
  data: Array<number | null>;
  color: string;
  /** Draw as a line over bars (mixed charts). */
  line?: boolean;
  /** Plot against the right-hand ratio axis (DSCR, its covenant), which never stacks. */
  right?: boolean;
  dashed?: boolean;
  /** A reference line (a cap, a threshold): drawn without points. Lines are never stacked. */
  flat?: boolean;
}

export interface ChartSpec {
  kind: 'bar' | 'line' | 'doughnut';
  labels: Array<string | number>;
  datasets: DatasetSpec[];
  stacked?: boolean;
  /** What the left axis shows: amounts in the page's unit, ratios, or percentages (5.25 is 5.25 %). */
  yFormat: 'amount' | 'ratio' | 'percent';
  /** Start the left axis at zero (default: chart.js chooses). */
  beginAtZero?: boolean;
  yTitle?: string;
  /** Title of the right-hand ratio axis, when a dataset uses it. */
  rightTitle?: string;
  /** Bars along the x axis, categories down the y axis (a tornado). */
  horizontal?: boolean;
  /** Doughnuts: one colour per slice. */
  sliceColors?: string[];
}

export interface ChartData {
  lang: string;
  unitLabel: string;
  /** Shown instead of a chart with nothing to draw. */
  noData: string;
  /** Decimal places of amounts in the page's unit (axis ticks and tooltips). */
  decimals: number;
  charts: Record<string, ChartSpec>;
}

/** A calm palette that stays apart on a projector and in greyscale print. */
export const PALETTE = [
  '#2f6db5',
  '#d08a2e',
  '#3c9a6e',
  '#8a5cb8',
  '#c4534a',
  '#4aa3b5',
  '#9a8f3c',
  '#6b7785',
  '#d46fa1',
  '#5b8c3a',
  '#b5762f',
  '#3f5aa8',
];

export const PILLAR_COLORS: Record<'government' | 'enterprise' | 'social', string> = {
  government: '#2f6db5',
  enterprise: '#d08a2e',
  social: '#3c9a6e',
};

export const color = (i: number): string => PALETTE[i % PALETTE.length] as string;

/** True when a series has something to draw (all-zero series only clutter the legend). */
export const hasData = (data: Array<number | null>): boolean =>
  data.some((v) => v !== null && v !== 0);

/**
 * A page's chart payload: its charts with what the browser script needs to format them (the
 * page's language, the unit's label and decimal places, the no-data text).
 */
export function chartData(
  lang: Lang,
  unit: Unit,
  t: Translate,
  charts: Record<string, ChartSpec>,
): ChartData {
  return {
    lang,
    unitLabel: t(`unit.${unit}`),
    noData: t('chart.noData'),
    decimals: UNIT_DECIMALS[unit],
    charts,
  };
}
