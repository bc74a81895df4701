import { z } from 'zod';
import { Dec, ZERO } from '../decimal';
import { ValidationError } from '../errors';
import { simulate } from '../engine/simulate';
import type { SimulationResult } from '../engine/types';
import {
  affordabilityMember,
  assessAffordabilityOf,
  type AffordabilityMember,
} from '../fiscal/affordability';
import { assessCoverage, coverageBasis } from '../fiscal/bonds';
import type { BudgetForecast } from '../fiscal/budget';
import {
  addMemberTotals,
  affordabilityFrame,
  judgeTotalsFen,
  type AffordabilityFrame,
  type AffordabilityTrialFen,
} from '../fiscal/affordability-fen';
import {
  governmentObligationsFen,
  isPppProject,
  obligationsIndependentOfFactors,
} from '../fiscal/obligations';
import type { Fen } from '../fen';
import type { JurisdictionThresholds } from '../fiscal/thresholds';
import { toFieldIssues } from '../scenario/parse';
import type { Scenario } from '../scenario/schema';
import { applyDriver, driverApplies, parseDriverName, type DriverName } from './drivers';
import { bands, driverValue, summaryText, type FanBands, type MetricSummary } from './montecarlo';
import { uniformStreams } from './random';
import { MAX_TRIALS } from './spec';
import { normalQuantile } from './special';
import { probability, summariseTexts } from './stats';

/**
 * Portfolio risk (issue 11, README "Portfolio risk"): the jurisdiction's PPP ratio and the
 * special bonds' self-balance when every project's driver (revenue, capex or opex) moves by a
 * lognormal factor made of a common shock and the project's own.
 */

/** The drivers a portfolio shock may move. */
export const PORTFOLIO_DRIVERS = ['revenue', 'capex', 'opex'] as const;
/** The uniform stream of the common shock; project p (its member index) uses OWN_STREAM + p. */
export const COMMON_STREAM = 6000;
export const OWN_STREAM = 6001;
/** Largest standard deviation of a log shock. */
export const MAX_SHOCK_SD = 1;

const sd = (what: string) =>
  z
    .object({
      sd: z
        .number({ error: `Give the ${what} shock's standard deviation as a number` })
        .min(0, { error: `The ${what} shock's standard deviation cannot be negative` })
        .max(MAX_SHOCK_SD, {
          error: `The ${what} shock's standard deviation is at most ${MAX_SHOCK_SD}`,
        }),
    })
    .strict();

export const portfolioRiskSpecSchema = z
  .object({
    trials: z
      .int({ error: 'Trials must be a whole number' })
      .min(1, { error: 'At least 1 trial' })
      .max(MAX_TRIALS, { error: `At most ${MAX_TRIALS} trials` }),
    seed: z
      .int({ error: 'The seed must be a whole number' })
      .min(0, { error: 'The seed cannot be negative' })
      .max(0xffffffff, { error: 'The seed is at most 4294967295' }),
    shocks: z
      .object({
        driver: z.enum(PORTFOLIO_DRIVERS).default('revenue'),
        common: sd('common').default({ sd: 0.1 }),
        own: sd('own').default({ sd: 0.1 }),
      })
      .strict()
      .default({ driver: 'revenue', common: { sd: 0.1 }, own: { sd: 0.1 } }),
  })
  .strict();

export type PortfolioRiskSpec = z.output<typeof portfolioRiskSpecSchema>;
export type PortfolioRiskSpecInput = z.input<typeof portfolioRiskSpecSchema>;

/**
 * Reads a portfolio risk spec.
 * @throws ValidationError with the path of every problem (`trials`, `shocks.common.sd`, …)
 */
export function readPortfolioRiskSpec(input: unknown): PortfolioRiskSpec {
  const r = portfolioRiskSpecSchema.safeParse(input);
  if (!r.success)
    throw new ValidationError(toFieldIssues(r.error), 'The portfolio risk spec is not valid');
  return r.data;
}

/** What the fiscal report measures a portfolio with, its members parsed. */
export interface PortfolioRiskModel {
  /** The members that enter the fiscal report; `index` is the member's place among all of the portfolio's (by project code). */
  members: Array<{ index: number; scenario: Scenario }>;
  /** The budget forecast; null without fiscal settings (then no affordability figures). */
  budget: BudgetForecast | null;
  thresholds: JurisdictionThresholds;
  otherObligations: ReadonlyArray<{ year: number; amountYuan: string }>;
}

/** Standard normal shocks of every trial: `common[i]` and `own[k][i]` for the k-th member. */
export interface PortfolioShocks {
  common: Float64Array;
  own: Float64Array[];
}

/**
 * The shocks of `trials` trials: z = Φ⁻¹(u) of the uniforms of stream COMMON_STREAM (common) and
 * of stream OWN_STREAM + index (each member's own), one draw per trial in trial order.
 */
export function sampleShocks(
  seed: number,
  trials: number,
  indexes: readonly number[],
): PortfolioShocks {
  const last = Math.max(COMMON_STREAM, ...indexes.map((p) => OWN_STREAM + p));
  const streams = uniformStreams(seed, last + 1);
  const draw = (k: number) => {
    const u = streams[k]!;
    const out = new Float64Array(trials);
    for (let i = 0; i < trials; i++) out[i] = normalQuantile(u());
    return out;
  };
  return { common: draw(COMMON_STREAM), own: indexes.map((p) => draw(OWN_STREAM + p)) };
}

/**
 * A member's driver factor: exp(sdC·z + sdO·e − (sdC² + sdO²)/2), lognormal with mean 1, then
 * clamped to the driver's range and rounded like a Monte Carlo sample (`driverValue`).
 */
export function shockFactor(
  driver: DriverName,
  spec: PortfolioRiskSpec,
  z: number,
  e: number,
): Dec {
  const c = spec.shocks.common.sd;
  const o = spec.shocks.own.sd;
  return driverValue(driver, Math.exp(c * z + o * e - (c * c + o * o) / 2));
}

/** Members that can move a figure: PPP ones (the cap) and those with special bonds. */
function relevant(model: PortfolioRiskModel) {
  return model.members.flatMap((m, k) => {
    const counted = isPppProject(m.scenario);
    const bonds = m.scenario.funding.sources.some((s) => s.type === 'special-bond');
    return counted || bonds ? [{ ...m, k, counted, bonds }] : [];
  });
}

/** The bond members of a model, in member order (the order of `PortfolioTrialBlock.coverage`). */
export function bondMembers(model: PortfolioRiskModel): Array<{ index: number; code: string }> {
  return relevant(model)
    .filter((m) => m.bonds)
    .map((m) => ({ index: m.index, code: m.scenario.project.code }));
}

/** What trials [from, to) of a portfolio run gave. Exact figures as decimal text. */
export interface PortfolioTrialBlock {
  from: number;
  to: number;
  /** The affordability rows' years (empty without a budget). */
  years: number[];
  /** The peak ratio (6 dp) per trial; null without a ratio. */
  peakRatio: Array<string | null>;
  /** 1 where some year's total exceeds the cap (exact). */
  breach: Uint8Array;
  /** 1 where some year's total exceeds the new-project line (exact). */
  aboveLine: Uint8Array;
  /** Σ over years of max(0, total − cap × budget), yuan, exact. */
  overCapYuan: string[];
  /** Σ over years of the total PPP obligations, yuan, exact. */
  totalYuan: string[];
  /** Ratio per trial per year (row-major), floats for the fan chart; NaN without a budget figure. */
  ratio: Float64Array;
  /** Per bond member (see `bondMembers`): coverage ratio (6 dp) per trial, null without debt service. */
  coverage: Array<Array<string | null>>;
  /** Per bond member: 1 where the coverage is below the threshold (`assessCoverage` fails). */
  coverageBelow: Uint8Array[];
}

const baseResults = new WeakMap<Scenario, SimulationResult>();
function baseResult(scenario: Scenario): SimulationResult {
  let r = baseResults.get(scenario);
  if (!r) {
    r = simulate(scenario);
    baseResults.set(scenario, r);
  }
  return r;
}

/** A relevant member as a trial runs it. */
interface TrialMember {
  scenario: Scenario;
  /** Its stream's place among the model's members. */
  k: number;
  bonds: boolean;
  driver: DriverName;
  /** Its part when no trial can change it (judged once on its base run); null when it moves. */
  fixed: AffordabilityMember | null;
}

/**
 * The members of a run: a member is fixed when the driver cannot move it, or when it has no
 * special bonds and its obligations cannot depend on the factor
 * (`obligationsIndependentOfFactors`); a fixed member is not simulated per trial.
 */
function trialMembers(model: PortfolioRiskModel, spec: PortfolioRiskSpec): TrialMember[] {
  return relevant(model).map((m) => {
    const driver = parseDriverName(spec.shocks.driver, m.scenario);
    const still =
      !driverApplies(driver.base, m.scenario) ||
      (!m.bonds && obligationsIndependentOfFactors(m.scenario));
    const fixed = still
      ? affordabilityMember(
          { scenario: m.scenario, result: baseResult(m.scenario) },
          model.thresholds,
        )
      : null;
    return { scenario: m.scenario, k: m.k, bonds: m.bonds, driver, fixed };
  });
}

/** Each counted member's totals (fen) by year, from its part; null when a total is not whole fen. */
function totalsOf(part: AffordabilityMember): { years: number[]; fen: Fen[] } | null {
  const fen: Fen[] = [];
  for (const y of part.years) {
    const f = y.fen[4] ?? null;
    if (f === null) return null;
    fen.push(f);
  }
  return { years: part.years.map((y) => y.year), fen };
}

/** What a fast trial needs: the frame, and each member's base years (a trial must keep them). */
interface FastJudge {
  frame: AffordabilityFrame;
  baseYears: Array<readonly number[] | null>;
  fixedTotals: Float64Array;
}

/**
 * The frame of the run's fast path (`affordabilityFrame`) from the base runs' report, and the
 * fixed members' totals added up by row. Null without a budget, or when a figure is not whole fen.
 */
function fastJudge(model: PortfolioRiskModel, members: readonly TrialMember[]): FastJudge | null {
  if (!model.budget) return null;
  const base = members.map(
    (m) =>
      m.fixed ??
      affordabilityMember(
        { scenario: m.scenario, result: baseResult(m.scenario) },
        model.thresholds,
      ),
  );
  const report = assessAffordabilityOf(base, model.budget, model.thresholds, {
    otherObligations: model.otherObligations,
  });
  const frame = affordabilityFrame(report);
  if (!frame) return null;
  const fixedTotals = frame.otherFen.slice();
  const baseYears: Array<readonly number[] | null> = [];
  for (const [j, m] of members.entries()) {
    if (!base[j]!.counted) {
      baseYears.push(null);
      continue;
    }
    const t = totalsOf(base[j]!);
    if (!t) return null;
    baseYears.push(t.years);
    if (m.fixed && !addMemberTotals(frame, fixedTotals, t.years, t.fen)) return null;
  }
  return { frame, baseYears, fixedTotals };
}

const sameYears = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((y, i) => y === b[i]);

/**
 * One trial's row totals in fen from the moving members' runs (`governmentObligationsFen`),
 * the fixed members' already added; null when a member has no fen figures or other years than
 * its base run (then the trial takes the report's path).
 */
function trialTotals(
  fast: FastJudge,
  members: readonly TrialMember[],
  results: ReadonlyArray<SimulationResult | null>,
  thresholds: JurisdictionThresholds,
): Float64Array | null {
  const totals = fast.fixedTotals.slice();
  for (const [j, m] of members.entries()) {
    const years = fast.baseYears[j];
    if (m.fixed || !years) continue;
    const rows = governmentObligationsFen(m.scenario, results[j]!, thresholds);
    if (!rows || rows.length !== years.length) return null;
    const ys = rows.map((r) => r.year);
    if (!sameYears(ys, years)) return null;
    const fen = rows.map((r) => r.components[4]);
    if (!addMemberTotals(fast.frame, totals, ys, fen)) return null;
  }
  return totals;
}

/** A run's members and fast path, per model and driver: a worker serves chunk after chunk of one run. */
const preparedRuns = new WeakMap<
  PortfolioRiskModel,
  Map<string, { members: TrialMember[]; fast: FastJudge | null }>
>();
function prepared(model: PortfolioRiskModel, spec: PortfolioRiskSpec) {
  let byDriver = preparedRuns.get(model);
  if (!byDriver) {
    byDriver = new Map();
    preparedRuns.set(model, byDriver);
  }
  let p = byDriver.get(spec.shocks.driver);
  if (!p) {
    const members = trialMembers(model, spec);
    p = { members, fast: fastJudge(model, members) };
    byDriver.set(spec.shocks.driver, p);
  }
  return p;
}

/**
 * Runs trials [from, from + n) where `shocks` holds those trials' draws: each moving member is
 * simulated with its factor (a fixed member keeps its base result, see `trialMembers`), then
 * the trial is judged as the fiscal report's `assessAffordabilityOf` judges it (from the
 * members' totals in fen by `judgeTotalsFen` where every figure is whole fen, else by the
 * report itself) and `assessCoverage` judges each bond member.
 */
export function runPortfolioTrials(
  model: PortfolioRiskModel,
  spec: PortfolioRiskSpec,
  shocks: PortfolioShocks,
  from: number,
): PortfolioTrialBlock {
  const n = shocks.common.length;
  const { members, fast } = prepared(model, spec);
  const threshold = new Dec(model.thresholds.bondCoverage);
  const bondCount = members.filter((m) => m.bonds).length;
  const block: PortfolioTrialBlock = {
    from,
    to: from + n,
    years: [],
    peakRatio: new Array<string | null>(n),
    breach: new Uint8Array(n),
    aboveLine: new Uint8Array(n),
    overCapYuan: new Array<string>(n),
    totalYuan: new Array<string>(n),
    ratio: new Float64Array(0),
    coverage: Array.from({ length: bondCount }, () => new Array<string | null>(n)),
    coverageBelow: Array.from({ length: bondCount }, () => new Uint8Array(n)),
  };
  if (fast) {
    block.years = [...fast.frame.years];
    block.ratio = new Float64Array(n * block.years.length);
  }
  for (let i = 0; i < n; i++) {
    const results = members.map((m) => {
      if (m.fixed) return null;
      const factor = shockFactor(m.driver, spec, shocks.common[i]!, shocks.own[m.k]![i]!);
      return simulate(m.scenario, { overrides: applyDriver({}, m.driver, factor) });
    });
    const resultOf = (j: number) => results[j] ?? baseResult(members[j]!.scenario);
    const totals = fast && trialTotals(fast, members, results, model.thresholds);
    const judged =
      totals && judgeTotalsFen(fast.frame, totals, block.ratio, i * block.years.length);
    if (judged) keepJudged(block, i, judged);
    else {
      // Without a budget nothing is judged (and `assessAffordabilityOf` refuses duplicate members).
      const parts = model.budget
        ? members.map(
            (m, j) =>
              m.fixed ??
              affordabilityMember({ scenario: m.scenario, result: resultOf(j) }, model.thresholds),
          )
        : [];
      judgeAffordability(model, parts, block, i, n);
    }
    let b = 0;
    members.forEach((m, j) => {
      if (!m.bonds) return;
      const basis = coverageBasis(m.scenario, resultOf(j));
      const c = basis && assessCoverage(basis.netIncome, basis.debtService, threshold);
      block.coverage[b]![i] = c?.ratio?.toString() ?? null;
      block.coverageBelow[b]![i] = c && !c.pass ? 1 : 0;
      b++;
    });
  }
  return block;
}

function keepJudged(block: PortfolioTrialBlock, i: number, judged: AffordabilityTrialFen): void {
  block.peakRatio[i] = judged.peakRatio;
  block.breach[i] = judged.breach ? 1 : 0;
  block.aboveLine[i] = judged.aboveLine ? 1 : 0;
  block.overCapYuan[i] = judged.overCapYuan;
  block.totalYuan[i] = judged.totalYuan;
}

/** One trial's affordability figures into the block (the fiscal report's own function). */
function judgeAffordability(
  model: PortfolioRiskModel,
  parts: readonly AffordabilityMember[],
  block: PortfolioTrialBlock,
  i: number,
  n: number,
): void {
  if (!model.budget) {
    block.peakRatio[i] = null;
    block.overCapYuan[i] = '0';
    block.totalYuan[i] = '0';
    return;
  }
  const report = assessAffordabilityOf(parts, model.budget, model.thresholds, {
    otherObligations: model.otherObligations,
  });
  if (i === 0) {
    block.years = report.rows.map((r) => r.year);
    block.ratio = new Float64Array(n * block.years.length);
  }
  const span = block.years.length;
  let over = ZERO;
  let total = ZERO;
  report.rows.forEach((r, t) => {
    total = total.plus(r.totalYuan);
    block.ratio[i * span + t] = r.ratio === null ? NaN : r.ratio.toNumber();
    // Over the cap exactly when the year breaches it (total > cap × budget).
    if (r.budgetYuan === null || !r.breach) return;
    over = over.plus(r.totalYuan.minus(r.budgetYuan.times(report.cap)));
  });
  block.peakRatio[i] = report.peak?.ratio.toString() ?? null;
  block.breach[i] = report.breachYears.length > 0 ? 1 : 0;
  block.aboveLine[i] = report.yearsAboveNewProjectLine.length > 0 ? 1 : 0;
  block.overCapYuan[i] = over.toString();
  block.totalYuan[i] = total.toString();
}

/** The figures of a portfolio risk run (JSON-friendly: exact figures as decimal text). */
export interface PortfolioRiskResult {
  trials: number;
  seed: number;
  engineVersion: string;
  shocks: {
    driver: (typeof PORTFOLIO_DRIVERS)[number];
    commonSd: number;
    ownSd: number;
    /** Correlation of two members' log factors: sdC² / (sdC² + sdO²), 4 dp; null when both are 0. */
    correlation: string | null;
  };
  /** The members that entered (by project code), with their stream index. */
  members: Array<{ projectCode: string; index: number }>;
  /** Null without a budget forecast (no fiscal settings). */
  affordability: {
    cap: string;
    newProjectLine: string;
    /** Share of trials in which some year's ratio exceeds the cap. */
    breachProbability: string;
    /** Share of trials in which some year's ratio exceeds the new-project line. */
    aboveLineProbability: string;
    peakRatio: MetricSummary | null;
    /** Mean over trials of Σ years max(0, total − cap × budget), yuan. */
    expectedOverCapYuan: string;
    totalObligationsYuan: MetricSummary;
    /** The ratio by year, P10 / P50 / P90 across trials (floats, for the fan chart). */
    fan: { years: number[] } & FanBands;
  } | null;
  bonds: Array<{
    projectCode: string;
    threshold: string;
    /** Share of trials whose coverage is below the threshold. */
    belowProbability: string;
    coverage: MetricSummary | null;
  }>;
}

const summaryOf = (texts: readonly string[]): MetricSummary | null =>
  texts.length === 0 ? null : summaryText(summariseTexts(texts));

/** The figures that have a value (decimal text), read exactly by `summariseTexts`. */
const present = (xs: ReadonlyArray<string | null>) => xs.filter((x): x is string => x !== null);

/** Joins blocks (in any order) by trial index and summarises the run. */
export function summarisePortfolioRisk(args: {
  model: PortfolioRiskModel;
  spec: PortfolioRiskSpec;
  engineVersion: string;
  blocks: readonly PortfolioTrialBlock[];
}): PortfolioRiskResult {
  const { model, spec } = args;
  const trials = spec.trials;
  const blocks = [...args.blocks].sort((a, b) => a.from - b.from);
  const all = <T>(pick: (b: PortfolioTrialBlock) => ArrayLike<T>): T[] =>
    blocks.flatMap((b) => Array.from(pick(b)));
  const count = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const c = spec.shocks.common.sd;
  const o = spec.shocks.own.sd;
  const years = blocks[0]?.years ?? [];
  const ratio = new Float64Array(trials * years.length);
  for (const b of blocks) ratio.set(b.ratio, b.from * years.length);
  const overCap = present(all((b) => b.overCapYuan));
  const affordability = model.budget
    ? {
        cap: new Dec(model.thresholds.affordabilityCap).toString(),
        newProjectLine: new Dec(model.thresholds.newProjectLine).toString(),
        breachProbability: probability(count(all((b) => b.breach)), trials).toString(),
        aboveLineProbability: probability(count(all((b) => b.aboveLine)), trials).toString(),
        peakRatio: summaryOf(present(all((b) => b.peakRatio))),
        expectedOverCapYuan: summariseTexts(overCap).mean.toString(),
        totalObligationsYuan: summaryOf(present(all((b) => b.totalYuan)))!,
        fan: { years, ...bands(ratio, years.length, trials) },
      }
    : null;
  return {
    trials,
    seed: spec.seed,
    engineVersion: args.engineVersion,
    shocks: {
      driver: spec.shocks.driver,
      commonSd: c,
      ownSd: o,
      correlation: c === 0 && o === 0 ? null : ((c * c) / (c * c + o * o)).toFixed(4),
    },
    members: model.members.map((m) => ({ projectCode: m.scenario.project.code, index: m.index })),
    affordability,
    bonds: bondMembers(model).map((m, k) => ({
      projectCode: m.code,
      threshold: new Dec(model.thresholds.bondCoverage).toString(),
      belowProbability: probability(count(all((b) => b.coverageBelow[k]!)), trials).toString(),
      coverage: summaryOf(present(all((b) => b.coverage[k]!))),
    })),
  };
}

/** A whole run in this thread, in one block (what the worker pool computes in chunks). */
export function portfolioRiskInThisThread(
  model: PortfolioRiskModel,
  spec: PortfolioRiskSpec,
  engineVersion: string,
): PortfolioRiskResult {
  const shocks = sampleShocks(
    spec.seed,
    spec.trials,
    model.members.map((m) => m.index),
  );
  const block = runPortfolioTrials(model, spec, shocks, 0);
  return summarisePortfolioRisk({ model, spec, engineVersion, blocks: [block] });
}
