import { Dec, Rounding, ZERO, maxDec, minDec } from '../decimal';
import type {
  BandsScale,
  EvaluationMetrics,
  EvaluationSystem,
  IndicatorData,
  IndicatorNode,
  IndicatorValue,
  LinearScale,
  MetricName,
  MissingDatum,
  MissingReason,
  NodeScore,
  ProjectScore,
} from './types';

/** The one rounding point: every reported score figure, 2 decimals, half-up. */
export const SCORE_DECIMALS = 2;
const HUNDRED = new Dec(100);

type Scale =
  | { kind: 'linear'; zeroAt: Dec; span: Dec }
  | { kind: 'bands'; bands: Array<{ min: Dec | null; max: Dec | null; points: Dec }> };

interface CompiledLeaf {
  node: IndicatorNode;
  path: string[];
  /** Share of the total as a fraction (product of weight/100 down the path). */
  share: Dec;
  metric: MetricName | null;
  /** null: yes/no. */
  scale: Scale | null;
}

/** A system prepared for scoring many projects: parsed once, leaves flattened. */
export interface CompiledSystem {
  system: EvaluationSystem;
  leaves: CompiledLeaf[];
}

const compiled = new WeakMap<EvaluationSystem, CompiledSystem>();

/**
 * Prepares a (valid) system for scoring; cached per system object, so calling
 * {@link scoreProject} with the same object many times parses it once.
 */
export function compileSystem(system: EvaluationSystem): CompiledSystem {
  const hit = compiled.get(system);
  if (hit) return hit;
  const leaves: CompiledLeaf[] = [];
  const walk = (nodes: IndicatorNode[], path: string[], share: Dec): void => {
    for (const n of nodes) {
      const s = share.times(n.weightPercent).div(HUNDRED);
      const p = [...path, n.code];
      if (n.children) walk(n.children, p, s);
      else leaves.push(compileLeaf(n, p, s));
    }
  };
  walk(system.indicators, [], new Dec(1));
  const result = { system, leaves };
  compiled.set(system, result);
  return result;
}

function compileLeaf(node: IndicatorNode, path: string[], share: Dec): CompiledLeaf {
  const m = node.method;
  if (!m || m.kind === 'yes-no') return { node, path, share, metric: null, scale: null };
  if (m.kind === 'metric')
    return { node, path, share, metric: m.metric, scale: compileScale(m.scale) };
  return { node, path, share, metric: null, scale: compileScale(m) };
}

function compileScale(s: LinearScale | BandsScale): Scale {
  if (s.kind === 'linear')
    return { kind: 'linear', zeroAt: new Dec(s.zeroAt), span: new Dec(s.fullAt).minus(s.zeroAt) };
  return {
    kind: 'bands',
    bands: s.bands.map((b) => ({
      min: b.min === undefined ? null : new Dec(b.min),
      max: b.max === undefined ? null : new Dec(b.max),
      points: new Dec(b.points),
    })),
  };
}

/** Points 0–100 of a value on a scale, full precision (no rounding here). */
function scaled(scale: Scale, v: Dec): Dec {
  if (scale.kind === 'linear') {
    const raw = v.minus(scale.zeroAt).times(HUNDRED).div(scale.span);
    return minDec(maxDec(raw, ZERO), HUNDRED);
  }
  for (const b of scale.bands)
    if ((b.min === null || v.gte(b.min)) && (b.max === null || v.lt(b.max))) return b.points;
  return ZERO;
}

type LeafOutcome = { points: Dec; value: IndicatorValue } | { missing: MissingReason };

function scoreLeaf(
  leaf: CompiledLeaf,
  data: IndicatorData,
  metrics: EvaluationMetrics,
): LeafOutcome {
  if (leaf.metric !== null) {
    const v = metrics[leaf.metric];
    if (v === undefined || v === null) return { missing: 'no-metric' };
    return { points: scaled(leaf.scale as Scale, v), value: v };
  }
  const v = data.get(leaf.node.code);
  if (v === undefined) return { missing: 'no-data' };
  if (leaf.scale === null)
    return typeof v === 'boolean'
      ? { points: v ? HUNDRED : ZERO, value: v }
      : { missing: 'wrong-type' };
  return typeof v === 'boolean'
    ? { missing: 'wrong-type' }
    : { points: scaled(leaf.scale, v), value: v };
}

const round = (d: Dec): Dec => d.toDecimalPlaces(SCORE_DECIMALS, Rounding.halfUp);

/**
 * A project's score under one evaluation system for one scenario (README "Evaluation index
 * system"). This is the public entry point for other modules (the optimiser scores each
 * (project, scenario) pair with it); its signature is stable.
 *
 * - `system`: a valid system (from {@link parseEvaluationSystem}) or its {@link compileSystem}.
 * - `indicatorData`: the project's latest entered value per indicator code (decimals for linear
 *   and bands indicators, booleans for yes/no); codes the system does not have are ignored.
 * - `metrics`: the engine metrics of the scenario being scored ({@link evaluationMetrics}), so
 *   the score differs by scenario through its engine-metric indicators.
 *
 * Each indicator scores 0–100 points (linear: straight between the bounds, clamped; bands: the
 * first matching band; yes/no: 100 or 0; metric: the metric on its scale). A group's score is the
 * weighted sum of its children's; the total (0–100) is Σ points × share, share = the product of
 * weight/100 down the path. Missing data (no value, no metric, a value of the wrong kind) scores
 * 0 and is listed in `missing`; weights are never re-normalised. Everything is computed at full
 * precision and each reported figure rounded once, to {@link SCORE_DECIMALS} decimals half-up,
 * so rounded parts may differ from the rounded total by a few hundredths.
 */
export function scoreProject(
  system: EvaluationSystem | CompiledSystem,
  indicatorData: IndicatorData,
  metrics: EvaluationMetrics,
): ProjectScore {
  const c = 'leaves' in system ? system : compileSystem(system);
  const outcomes = new Map<string, LeafOutcome>();
  const missing: MissingDatum[] = [];
  let total = ZERO;
  for (const leaf of c.leaves) {
    const o = scoreLeaf(leaf, indicatorData, metrics);
    outcomes.set(leaf.node.code, o);
    if ('points' in o) total = total.plus(o.points.times(leaf.share));
    else
      missing.push({
        code: leaf.node.code,
        path: leaf.path,
        reason: o.missing,
        ...(o.missing === 'no-metric' && leaf.metric ? { metric: leaf.metric } : {}),
      });
  }
  const breakdown = c.system.indicators.map((n) => nodeScore(n, new Dec(1), outcomes).score);
  return { total: round(total), breakdown, missing };
}

interface Built {
  score: NodeScore;
  exact: Dec;
  share: Dec;
}

function nodeScore(n: IndicatorNode, parentShare: Dec, outcomes: Map<string, LeafOutcome>): Built {
  const weight = new Dec(n.weightPercent);
  const share = parentShare.times(weight).div(HUNDRED);
  const base = {
    code: n.code,
    nameZh: n.nameZh,
    nameEn: n.nameEn,
    weightPercent: weight,
    effectiveWeightPercent: round(share.times(HUNDRED)),
  };
  if (n.children) {
    const kids = n.children.map((k) => nodeScore(k, share, outcomes));
    const exact = kids.reduce(
      (s, k) => s.plus(k.exact.times(k.score.weightPercent).div(HUNDRED)),
      ZERO,
    );
    const children = kids.map((k) => k.score);
    const score = {
      ...base,
      score: round(exact),
      contribution: round(exact.times(share)),
      children,
    };
    return { score, exact, share };
  }
  const o = outcomes.get(n.code) ?? { missing: 'no-data' as const };
  const exact = 'points' in o ? o.points : ZERO;
  const extra = 'points' in o ? { value: o.value } : { missing: o.missing };
  return {
    score: { ...base, score: round(exact), contribution: round(exact.times(share)), ...extra },
    exact,
    share,
  };
}

/** One project of a batch: its entered data and the metrics of the scenario scored. */
export interface BatchItem {
  indicatorData: IndicatorData;
  metrics: EvaluationMetrics;
}

/**
 * The fast batch path: the totals only (same figure as {@link scoreProject}'s `total`) and the
 * number of missing indicators, for many projects under one system (compiled once).
 */
export function scoreTotals(
  system: EvaluationSystem | CompiledSystem,
  items: readonly BatchItem[],
): Array<{ total: Dec; missingCount: number }> {
  const c = 'leaves' in system ? system : compileSystem(system);
  return items.map(({ indicatorData, metrics }) => {
    let total = ZERO;
    let missingCount = 0;
    for (const leaf of c.leaves) {
      const o = scoreLeaf(leaf, indicatorData, metrics);
      if ('points' in o) total = total.plus(o.points.times(leaf.share));
      else missingCount++;
    }
    return { total: round(total), missingCount };
  });
}
