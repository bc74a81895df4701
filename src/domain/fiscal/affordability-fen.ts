import type { Dec } from '../decimal';
import { ZERO } from '../decimal';
import { decOf, decOfScaled, fenOrNull, microRatio, type Fen } from '../fen';
import type { AffordabilityReport } from './affordability';

/**
 * The affordability figures a portfolio risk trial keeps (README "Portfolio risk"), judged from
 * each year's total PPP obligations in integer fen instead of a whole `AffordabilityReport`: the
 * same figures, exactly. The frame (years, budget figures, cap and line, other obligations) is
 * read once from a report of the same portfolio; a trial only adds its members' totals.
 */

/** What every trial is judged against, by report row. */
export interface AffordabilityFrame {
  /** The report's rows' years, ascending. */
  years: readonly number[];
  /** The first row's year: row of year y is `rowOf[y − firstYear]` (−1: no row). */
  firstYear: number;
  rowOf: Int32Array;
  /** The other obligations of each row, fen: what a trial's totals start from. */
  otherFen: Float64Array;
  /** The budget of each row, fen (> 0); null without a budget figure. */
  budgetFen: ReadonlyArray<Fen | null>;
  /** floor(cap × budget × 100): a total of t fen exceeds the cap exactly when t > this. */
  capFloorFen: ReadonlyArray<number>;
  /** The same for the new-project line. */
  lineFloorFen: ReadonlyArray<number>;
  /** cap × budget, yuan, exact (what a breach year's excess is measured from). */
  capExact: ReadonlyArray<Dec | null>;
}

/** One trial's figures, as `judgeAffordability` in src/domain/risk/portfolio.ts keeps them. */
export interface AffordabilityTrialFen {
  /** The peak ratio (6 dp, decimal text); null without any budget figure. */
  peakRatio: string | null;
  breach: boolean;
  aboveLine: boolean;
  /** Σ over breach years of total − cap × budget, yuan, exact (decimal text). */
  overCapYuan: string;
  /** Σ over rows of the total, yuan (decimal text). */
  totalYuan: string;
}

const safeFloor = (d: Dec): number | null => {
  const n = d.times(100).floor().toNumber();
  return Number.isSafeInteger(n) ? n : null;
};

/**
 * The frame of a portfolio's affordability from one report of it (any trial's: the rows, budget
 * figures and other obligations do not depend on the members' figures). Null when a figure is not
 * whole fen or a budget is not positive: then every trial takes the report's own path.
 */
export function affordabilityFrame(report: AffordabilityReport): AffordabilityFrame | null {
  const rows = report.rows;
  const years = rows.map((r) => r.year);
  const firstYear = years[0] ?? 0;
  const rowOf = new Int32Array(rows.length === 0 ? 0 : years[years.length - 1]! - firstYear + 1);
  rowOf.fill(-1);
  const otherFen = new Float64Array(rows.length);
  const budgetFen: Array<Fen | null> = [];
  const capFloorFen: number[] = [];
  const lineFloorFen: number[] = [];
  const capExact: Array<Dec | null> = [];
  for (const [t, r] of rows.entries()) {
    rowOf[r.year - firstYear] = t;
    const other = fenOrNull(r.otherYuan);
    if (other === null) return null;
    otherFen[t] = other;
    if (r.budgetYuan === null) {
      budgetFen.push(null);
      capFloorFen.push(0);
      lineFloorFen.push(0);
      capExact.push(null);
      continue;
    }
    const budget = fenOrNull(r.budgetYuan);
    const cap = r.budgetYuan.times(report.cap);
    const capFloor = safeFloor(cap);
    const lineFloor = safeFloor(r.budgetYuan.times(report.newProjectLine));
    if (budget === null || budget <= 0 || capFloor === null || lineFloor === null) return null;
    budgetFen.push(budget);
    capFloorFen.push(capFloor);
    lineFloorFen.push(lineFloor);
    capExact.push(cap);
  }
  return { years, firstYear, rowOf, otherFen, budgetFen, capFloorFen, lineFloorFen, capExact };
}

/**
 * Adds a member's totals (fen by year) into a trial's row totals. False when a year has no row
 * or a sum is past 2^53 (then the trial takes the report's path).
 */
export function addMemberTotals(
  frame: AffordabilityFrame,
  totals: Float64Array,
  years: readonly number[],
  fen: readonly Fen[],
): boolean {
  for (let k = 0; k < years.length; k++) {
    const t = frame.rowOf[years[k]! - frame.firstYear];
    if (t === undefined || t < 0) return false;
    const sum = totals[t]! + fen[k]!;
    if (!Number.isSafeInteger(sum)) return false;
    totals[t] = sum;
  }
  return true;
}

/**
 * Judges one trial's row totals (fen, other obligations included) as `assessAffordabilityOf`
 * does: ratio 6 dp half-up (the floats into `ratio` from `offset`, NaN without a budget figure),
 * the peak (earliest on ties), breach and the new-project line on exact figures. Null when a
 * total is negative or a ratio past 2^53 millionths (the report's path decides).
 */
export function judgeTotalsFen(
  frame: AffordabilityFrame,
  totals: Float64Array,
  ratio: Float64Array,
  offset: number,
): AffordabilityTrialFen | null {
  let peak = -1;
  let breach = false;
  let aboveLine = false;
  let over = ZERO;
  let sum = 0;
  for (let t = 0; t < frame.years.length; t++) {
    const total = totals[t]!;
    sum += total;
    if (!Number.isSafeInteger(sum) || total < 0) return null;
    const budget = frame.budgetFen[t];
    if (budget === null || budget === undefined) {
      ratio[offset + t] = NaN;
      continue;
    }
    const m = microRatio(total, budget);
    if (!Number.isSafeInteger(m)) return null;
    // m / 10^6 in floats is the double nearest the exact ratio, as Number of its decimal text.
    ratio[offset + t] = m / 1_000_000;
    if (m > peak) peak = m;
    if (total > frame.capFloorFen[t]!) {
      breach = true;
      over = over.plus(decOf(total).minus(frame.capExact[t]!));
    }
    if (total > frame.lineFloorFen[t]!) aboveLine = true;
  }
  return {
    peakRatio: peak < 0 ? null : peak === 0 ? '0' : decOfScaled(peak, 6).toString(),
    breach,
    aboveLine,
    overCapYuan: over.toString(),
    totalYuan: decOf(sum).toString(),
  };
}
