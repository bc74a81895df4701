import type { Dec } from '../decimal';

/**
 * The engine metrics an indicator can score (README "Evaluation index system"), each a plain
 * ratio or rate as a fraction (0.05 = 5 %), except `projectNpvYuan` (yuan).
 */
export const METRIC_NAMES = [
  'vfmIndex',
  'bondCoverage',
  'equityIrr',
  'projectIrr',
  'dscrMin',
  'fiscalBurden',
  'projectNpvYuan',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * One scenario's metrics as an evaluation reads them; a metric absent or `null` has no value for
 * this scenario (e.g. no special bond: no bond coverage) and its indicators are missing data.
 */
export type EvaluationMetrics = Partial<Record<MetricName, Dec | null>>;

/**
 * Linear between two bounds: a value at `zeroAt` scores 0 points, at `fullAt` 100, straight in
 * between and clamped outside. `fullAt > zeroAt` means higher is better, `fullAt < zeroAt` lower
 * is better. Decimal text.
 */
export interface LinearScale {
  kind: 'linear';
  zeroAt: string;
  fullAt: string;
}

/**
 * Bands: the first band whose range holds the value gives its points (0–100); a value in no band
 * scores 0. `min` is inclusive, `max` exclusive; either may be left out (open end). Decimal text.
 */
export interface BandsScale {
  kind: 'bands';
  bands: Array<{ min?: string; max?: string; points: string }>;
}

/** Yes scores 100, no scores 0. */
export interface YesNoMethod {
  kind: 'yes-no';
}

/** A named engine metric of the scenario, scored by a linear or a bands scale. */
export interface MetricMethod {
  kind: 'metric';
  metric: MetricName;
  scale: LinearScale | BandsScale;
}

export type ScoringMethod = LinearScale | BandsScale | YesNoMethod | MetricMethod;

/** Where a monitoring actual can feed an indicator's value ("with actuals"). */
export type ActualsFeed = 'satisfaction';

/**
 * One node of the indicator tree: a group (has `children`, no `method`) or an indicator (has a
 * `method`, no `children`). `weightPercent` is its share of its parent as exact decimal text in
 * percent ("37", "12.5"); the siblings of every level sum to exactly 100.
 */
export interface IndicatorNode {
  code: string;
  nameZh: string;
  nameEn: string;
  weightPercent: string;
  /** Unit of the entered value, for people (e.g. "%", "分", "min"); none for yes/no and metrics. */
  unit?: string;
  method?: ScoringMethod;
  /** With actuals, the value is taken from this monitoring actual when one is recorded. */
  fromActuals?: ActualsFeed;
  children?: IndicatorNode[];
}

/** A jurisdiction's evaluation index system: the first level of the tree. */
export interface EvaluationSystem {
  indicators: IndicatorNode[];
}

/** An entered value: a decimal for linear and bands indicators, yes/no for yes/no indicators. */
export type IndicatorValue = Dec | boolean;

/** A project's latest value per indicator code (only indicators that are not engine metrics). */
export type IndicatorData = ReadonlyMap<string, IndicatorValue>;

/** Why an indicator had no score (it then scores 0: README "missing data"). */
export type MissingReason = 'no-data' | 'no-metric' | 'wrong-type';

export interface MissingDatum {
  code: string;
  /** Codes from the first level down to this indicator. */
  path: string[];
  reason: MissingReason;
  /** The engine metric that had no value (reason `no-metric`). */
  metric?: MetricName;
}

/** One node's score in a project's breakdown; every figure rounded at the reporting point. */
export interface NodeScore {
  code: string;
  nameZh: string;
  nameEn: string;
  weightPercent: Dec;
  /** The node's share of the whole score, percent (product of the weights down the path). */
  effectiveWeightPercent: Dec;
  /** 0–100: the indicator's points, or the weighted sum of the group's children. */
  score: Dec;
  /** Points this node adds to the total: score × effective weight / 100. */
  contribution: Dec;
  /** The value scored (entered, from actuals, or the engine metric); absent when missing. */
  value?: IndicatorValue;
  missing?: MissingReason;
  children?: NodeScore[];
}

/** A project's score: the total 0–100, the breakdown tree, and the missing data listed. */
export interface ProjectScore {
  total: Dec;
  breakdown: NodeScore[];
  missing: MissingDatum[];
}
