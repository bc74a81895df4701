import { Dec, ZERO } from '../decimal';
import type { ActualsInput } from './actuals';

/** The default deviation threshold: 10 %. */
export const DEFAULT_THRESHOLD = new Dec('0.1');

/** A line of the plan-vs-actual table: `capex`, `opex` or `revenue:<stream name>`. */
export type LineKey = 'capex' | 'opex' | `revenue:${string}`;

/** What the plan says for one year (the plan run's ledger, yuan). */
export interface PlanYear {
  year: number;
  capex: Dec;
  opex: Dec;
  /** Revenue per stream, in the scenario's order. */
  revenues: Dec[];
}

/** One compared figure. */
export interface Deviation {
  year: number;
  line: LineKey;
  plan: Dec;
  actual: Dec;
  /** actual − plan (yuan). */
  difference: Dec;
  /** |actual − plan| / |plan|; null when the plan is 0. */
  ratio: Dec | null;
  /** ratio > threshold; with a plan of 0, any actual other than 0. */
  flagged: boolean;
}

/**
 * Compares every recorded line with the plan, year by year (README "Monitoring and
 * post-evaluation"): a line is flagged when |actual − plan| / |plan| > `threshold`; when the plan
 * is 0, when the actual is not 0. Exact Decimals, no rounding. Lines not recorded are not compared.
 * @param streams the scenario's stream names, in the order of `PlanYear.revenues`
 */
export function planVsActual(
  plan: readonly PlanYear[],
  streams: readonly string[],
  actuals: readonly ActualsInput[],
  threshold: Dec = DEFAULT_THRESHOLD,
): Deviation[] {
  const out: Deviation[] = [];
  for (const a of [...actuals].sort((x, y) => x.year - y.year)) {
    const p = plan.find((y) => y.year === a.year);
    if (!p) continue;
    const push = (line: LineKey, planned: Dec, actual: string | undefined) => {
      if (actual !== undefined)
        out.push(compare(a.year, line, planned, new Dec(actual), threshold));
    };
    push('capex', p.capex, a.capexYuan);
    push('opex', p.opex, a.opexYuan);
    streams.forEach((name, i) =>
      push(`revenue:${name}`, p.revenues[i] ?? ZERO, a.revenuesYuan[name]),
    );
  }
  return out;
}

function compare(year: number, line: LineKey, plan: Dec, actual: Dec, threshold: Dec): Deviation {
  const difference = actual.minus(plan);
  const ratio = plan.isZero() ? null : difference.abs().div(plan.abs());
  const flagged = ratio === null ? !actual.isZero() : ratio.gt(threshold);
  return { year, line, plan, actual, difference, ratio, flagged };
}

/** Whether the latest year with actuals has a flagged line (the dashboard's "off plan"). */
export function offPlan(deviations: readonly Deviation[]): boolean {
  if (deviations.length === 0) return false;
  const latest = Math.max(...deviations.map((d) => d.year));
  return deviations.some((d) => d.year === latest && d.flagged);
}
