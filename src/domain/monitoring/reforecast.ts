import { allocate } from '../allocate';
import { Dec, ZERO } from '../decimal';
import { DomainError } from '../errors';
import { simulate } from '../engine/simulate';
import type { Overrides, SimulationResult } from '../engine/types';
import type { Scenario } from '../scenario/schema';
import type { ActualsInput } from './actuals';
import type { PlanYear } from './plan-vs-actual';

/** A recorded line the re-forecast could not put in place of the plan's, and why. */
export interface KeptPlanLine {
  year: number;
  line: string;
  /** `plan-zero`: the plan is 0 (no factor turns it into the actual); `actual-zero`: a factor of 0 is outside the engine's range. */
  reason: 'plan-zero' | 'actual-zero' | 'factor-over-100';
}

export interface Reforecast {
  /** The scenario with the construction years' capex replaced (funding re-scaled). */
  scenario: Scenario;
  /** Per-year factors actual / plan for opex and revenue streams. */
  overrides: Overrides;
  result: SimulationResult;
  kept: KeptPlanLine[];
}

/** The plan's years from a run's ledger. */
export function planYears(result: SimulationResult): PlanYear[] {
  return result.ledger.map((y) => ({
    year: y.year,
    capex: y.capex,
    opex: y.opex,
    revenues: y.revenues,
  }));
}

/**
 * The scenario with each construction year's capex that has an actual set to it. Funding follows
 * the new total: share sources scale by themselves; amount sources share what the shares leave,
 * in proportion to their amounts (largest remainder to fen, `allocate`).
 * @throws DomainError `reforecast-funding` when the shares leave a part that is not whole fen
 */
export function withActualCapex(scenario: Scenario, actuals: readonly ActualsInput[]): Scenario {
  const start = scenario.timeline.startYear;
  const schedule = scenario.capex.scheduleYuan.map((v, i) => {
    const a = actuals.find((x) => x.year === start + i)?.capexYuan;
    return a !== undefined ? new Dec(a).toFixed(2) : v;
  });
  if (schedule.every((v, i) => new Dec(v).eq(scenario.capex.scheduleYuan[i] as string)))
    return scenario;
  const total = schedule.reduce((t, v) => t.plus(v), ZERO);
  const sources = scenario.funding.sources;
  const shareTotal = sources.reduce((t, s) => (s.share ? t.plus(s.share) : t), ZERO);
  const forAmounts = total.minus(total.times(shareTotal));
  const weights = sources
    .filter((s) => s.amountYuan !== undefined)
    .map((s) => new Dec(s.amountYuan as string));
  if (weights.length > 0 && !forAmounts.times(100).isInteger())
    throw new DomainError(
      'reforecast-funding',
      `The funding shares leave ${forAmounts.toString()} yuan for the amount sources, not whole fen`,
      { total: total.toFixed(2) },
    );
  const parts = weights.length > 0 ? allocate(forAmounts, weights) : [];
  let next = 0;
  return {
    ...scenario,
    capex: { ...scenario.capex, scheduleYuan: schedule },
    funding: {
      ...scenario.funding,
      sources: sources.map((s) =>
        s.amountYuan === undefined ? s : { ...s, amountYuan: (parts[next++] as Dec).toFixed(2) },
      ),
    },
  };
}

/**
 * Per operation year, the factors actual / plan for opex (`opexYearFactors`) and each revenue
 * stream (`streamYearFactors`), against `plan` (the run of the capex-replaced scenario). A line
 * whose plan is 0, whose actual is 0, or whose factor would pass the engine's 100 keeps the plan (listed in `kept`).
 */
export function actualFactors(
  scenario: Scenario,
  plan: readonly PlanYear[],
  actuals: readonly ActualsInput[],
): { overrides: Overrides; kept: KeptPlanLine[] } {
  const C = scenario.timeline.constructionYears;
  const O = scenario.timeline.operationYears;
  const opStart = scenario.timeline.startYear + C;
  const kept: KeptPlanLine[] = [];
  const factor = (year: number, line: string, planned: Dec, actual: string | undefined) => {
    if (actual === undefined) return new Dec(1);
    const a = new Dec(actual);
    if (planned.isZero() || a.isZero()) {
      kept.push({ year, line, reason: planned.isZero() ? 'plan-zero' : 'actual-zero' });
      return new Dec(1);
    }
    const f = a.div(planned);
    if (f.gt(100)) {
      kept.push({ year, line, reason: 'factor-over-100' });
      return new Dec(1);
    }
    return f;
  };
  const byYear = (k: number) => actuals.find((x) => x.year === opStart + k);
  const planAt = (k: number) => plan.find((y) => y.year === opStart + k);
  const years = Array.from({ length: O }, (_, k) => k);
  const opex = years.map((k) =>
    factor(opStart + k, 'opex', planAt(k)?.opex ?? ZERO, byYear(k)?.opexYuan),
  );
  const streams = Object.fromEntries(
    scenario.revenues.map((s, i) => [
      s.name,
      years.map((k) =>
        factor(
          opStart + k,
          `revenue:${s.name}`,
          planAt(k)?.revenues[i] ?? ZERO,
          byYear(k)?.revenuesYuan[s.name],
        ),
      ),
    ]),
  );
  const used = (fs: Dec[]) => fs.some((f) => !f.eq(1));
  const overrides: Overrides = {};
  if (used(opex)) overrides.opexYearFactors = opex;
  const usedStreams = Object.entries(streams).filter(([, fs]) => used(fs));
  if (usedStreams.length > 0) overrides.streamYearFactors = Object.fromEntries(usedStreams);
  return { overrides, kept };
}

/**
 * The re-forecast (README "Monitoring and post-evaluation"): the plan with its actual years in
 * place of the plan's lines, the rest as planned, simulated by the engine. Capex goes into the
 * scenario (`withActualCapex`); opex and revenue go through per-operation-year factors actual /
 * plan (`actualFactors`), so the engine posts actual-or-within-a-fen amounts and keeps every
 * other rule (tax, debt, reserves, government payments) as for any run.
 * @throws DomainError `reforecast-funding` (see `withActualCapex`)
 */
export function reforecast(scenario: Scenario, actuals: readonly ActualsInput[]): Reforecast {
  const changed = withActualCapex(scenario, actuals);
  const base = simulate(changed);
  const { overrides, kept } = actualFactors(changed, planYears(base), actuals);
  const result = Object.keys(overrides).length > 0 ? simulate(changed, { overrides }) : base;
  return { scenario: changed, overrides, result, kept };
}

/**
 * The latest year whose actuals change the engine's run (README "With actuals"): a year that
 * records capex, opex or a revenue line; null when no year does (a year with only volumes or a
 * survey score leaves the run as planned).
 */
export function lastFinancialYear(actuals: readonly ActualsInput[]): number | null {
  const years = actuals
    .filter(
      (a) =>
        a.capexYuan !== undefined ||
        a.opexYuan !== undefined ||
        Object.keys(a.revenuesYuan).length > 0,
    )
    .map((a) => a.year);
  return years.length === 0 ? null : Math.max(...years);
}
