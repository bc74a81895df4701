import { Dec } from '../../domain/decimal';
import { FundMixError } from '../../domain/errors';
import { dataTable, sensitivity, spider } from '../../domain/risk/sensitivity';
import { solveBreakEven } from '../../domain/risk/solve';
import { parseScenario } from '../../domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../domain/scenario/schema';
import {
  metricReport,
  riskEvents,
  runRest,
  runTrials,
  sampleColumns,
  sampleEvents,
  samplePaths,
} from '../../domain/risk/montecarlo';
import { readSpec } from '../../domain/risk/spec';
import { averageRanks } from '../../domain/risk/correlation';
import type { RiskSpecInput } from '../../domain/risk/spec';
import {
  readPortfolioRiskSpec,
  runPortfolioTrials,
  summarisePortfolioRisk,
  type PortfolioRiskModel,
  type PortfolioRiskSpecInput,
  type PortfolioTrialBlock,
} from '../../domain/risk/portfolio';
import highsLoader from 'highs';
import type { ScoringData } from '../evaluation-scores';
import type { PlanModelSource } from '../plan-model';
import { simulate } from '../../domain/engine/simulate';
import type { PlanInput } from '../../domain/plan/model';
import { highsSolver } from '../../domain/plan/solver';
import {
  shadowValue,
  solveProgramme,
  type LpSolver,
  type OptimiseOptions,
} from '../../domain/plan/optimise';
import type { SimulationResult } from '../../domain/engine/types';
import type { BudgetForecast } from '../../domain/fiscal/budget';
import type { MetricContext } from '../../domain/risk/metrics';
import type { JurisdictionThresholds } from '../../domain/fiscal/thresholds';

/** A chunk of trials of one Monte Carlo run, as handed to a worker. */
export interface TrialsTask {
  kind: 'trials';
  scenario: ScenarioInput;
  spec: RiskSpecInput;
  metrics: string[];
  from: number;
  /** The chunk's sampled values, one column per driver of the spec. */
  columns: Float64Array[];
  /** The chunk's event values (NaN: the risk does not occur), one column per event. */
  eventColumns: Float64Array[];
  /** The chunk's revenue path factors, per path of the spec: trials × operation years, row-major. */
  pathColumns: Float64Array[];
}

/** Every trial's sampled driver and event values of a run, drawn from spec and seed. */
export interface SampleTask {
  kind: 'sample';
  scenario: ScenarioInput;
  spec: RiskSpecInput;
  trials: number;
  seed: number;
}

export interface Samples {
  columns: Float64Array[];
  /** Each driver column's average ranks (for the rank correlations of every metric). */
  ranks: Float64Array[];
  eventColumns: Float64Array[];
  pathColumns: Float64Array[];
}

/** One metric's report over a whole run (summary, importance, histogram, CDF): one task per metric. */
export interface MetricTask {
  kind: 'metric';
  values: Array<string | null>;
  columns: Float64Array[];
  ranks: Float64Array[];
  drivers: string[];
}

/** Probabilities, events and fan bands of a whole run. */
export interface RestTask {
  kind: 'rest';
  scenario: ScenarioInput;
  spec: RiskSpecInput;
  trials: number;
  metrics: string[];
  values: Array<Array<string | null>>;
  arrears: Uint8Array;
  cfads: Float64Array;
  dscr: Float64Array;
  years: number[];
  eventColumns: Float64Array[];
}

/** A deterministic analysis of one scenario (tornado, spider, data table, break-even). */
export interface AnalysisTask {
  kind: 'analysis';
  scenario: ScenarioInput;
  request: AnalysisRequest;
  /** The portfolio a `peakPppRatio` is measured in (its members are simulated in the worker). */
  portfolio?: PortfolioModelData;
}

export type AnalysisRequest =
  | { kind: 'sensitivity'; metric: string; ranges?: TextRange[] }
  | { kind: 'spider'; metric: string; ranges?: TextRange[]; steps: number }
  | {
      kind: 'table';
      metric: string;
      rows: { driver: string; values: string[] };
      columns: { driver: string; values: string[] };
    }
  | { kind: 'solve'; driver: string; metric: string; target: string; low?: string; high?: string };

/** A driver range with decimal text (Decimals do not cross threads). */
export interface TextRange {
  driver: string;
  low?: string;
  high?: string;
}

/** A portfolio's members and fiscal settings as plain data (see `PortfolioRiskModel`). */
export interface PortfolioModelData {
  members: Array<{ index: number; scenario: ScenarioInput }>;
  budget: BudgetForecast | null;
  thresholds: JurisdictionThresholds;
  otherObligations: ReadonlyArray<{ year: number; amountYuan: string }>;
}

/** A chunk of trials of a portfolio risk run: the chunk's common and own standard normal draws. */
export interface PortfolioTask {
  kind: 'portfolio';
  model: PortfolioModelData;
  spec: PortfolioRiskSpecInput;
  from: number;
  common: Float64Array;
  own: Float64Array[];
}

/** The summary of a portfolio risk run from its blocks. */
export interface PortfolioSummaryTask {
  kind: 'portfolio-summary';
  model: PortfolioModelData;
  spec: PortfolioRiskSpecInput;
  engineVersion: string;
  blocks: PortfolioTrialBlock[];
}

/**
 * A step of a programme optimisation (README "Programme optimiser"), off the request thread:
 * the main solve (with its gap bound), or one constraint's shadow-value re-solve (`row`, an
 * index of the solved programme's constraints, whose total score is `totalScore`).
 */
export interface PlanTask {
  kind: 'plan';
  input: PlanInput;
  options: Pick<OptimiseOptions, 'timeLimit'>;
  shadow?: { row: number; totalScore: string };
}

/**
 * Building a programme's model (README "Programme optimiser", Where it runs): the rows read from
 * the store, each scenario revived, scored and its needs taken here, off the request thread.
 */
export interface PlanModelTask {
  kind: 'plan-model';
  source: PlanModelSource;
  scoring: ScoringData;
}

export type RiskTask =
  | PlanTask
  | PlanModelTask
  | SampleTask
  | TrialsTask
  | MetricTask
  | RestTask
  | AnalysisTask
  | PortfolioTask
  | PortfolioSummaryTask;

// A worker serves chunk after chunk of the same run: the scenario is read (and compiled) once.
let last: { key: string; scenario: ReturnType<typeof parseScenario> } | null = null;

function scenarioOf(input: ScenarioInput) {
  const key = JSON.stringify(input);
  if (last?.key !== key) last = { key, scenario: parseScenario(input) };
  return last.scenario;
}

/** The task handler piscina calls in each worker thread (pure: the domain does the work). */
export default function handle(task: RiskTask): unknown {
  if (task.kind === 'plan') return solvePlan(task);
  if (task.kind === 'plan-model') return planModel(task);
  try {
    return work(task);
  } catch (err) {
    // Typed errors do not survive the thread boundary as classes: they cross as data.
    if (err instanceof FundMixError) return { failed: errorData(err) };
    throw err;
  }
}

/**
 * Loaded on a thread's first model only: it brings the evaluation and store modules, which the
 * Monte Carlo tasks do not need (a thread starts quicker without them).
 */
async function planModel(task: PlanModelTask): Promise<unknown> {
  const { buildPlanModel, scoreOfData } = await import('../plan-model');
  return buildPlanModel(task.source, scoreOfData(task.scoring));
}

// HiGHS (WebAssembly) is instantiated once per worker thread, on its first plan.
let highs: Promise<LpSolver> | null = null;

async function solvePlan(task: PlanTask): Promise<unknown> {
  highs ??= highsLoader().then(highsSolver);
  const solver = await highs;
  try {
    return task.shadow
      ? shadowValue(task.input, solver, task.shadow, task.shadow.row, task.options)
      : solveProgramme(task.input, solver, task.options);
  } catch (err) {
    if (err instanceof FundMixError) return { failed: errorData(err) };
    // A solver that failed (a WebAssembly abort) is not reused.
    highs = null;
    throw err;
  }
}

/** A typed error as plain data (see `revive` in runner.ts). */
export interface ErrorData {
  name: string;
  code: string;
  message: string;
  reason?: string;
  issues?: Array<{ path: string; message: string }>;
}

function errorData(err: FundMixError): ErrorData {
  const e = err as FundMixError & { reason?: string; issues?: ErrorData['issues'] };
  return { name: e.name, code: e.code, message: e.message, reason: e.reason, issues: e.issues };
}

// The same for a portfolio's members, read once per run.
let lastModel: { key: string; model: PortfolioRiskModel } | null = null;

function modelOf(data: PortfolioModelData): PortfolioRiskModel {
  const key = JSON.stringify(data);
  if (lastModel?.key !== key)
    lastModel = {
      key,
      model: {
        ...data,
        members: data.members.map((m) => ({ index: m.index, scenario: parseScenario(m.scenario) })),
      },
    };
  return lastModel.model;
}

function work(task: Exclude<RiskTask, PlanTask | PlanModelTask>): unknown {
  if (task.kind === 'metric')
    return metricReport(task.values, task.columns, task.drivers, task.ranks);
  if (task.kind === 'portfolio')
    return runPortfolioTrials(
      modelOf(task.model),
      readPortfolioRiskSpec(task.spec),
      { common: task.common, own: task.own },
      task.from,
    );
  if (task.kind === 'portfolio-summary')
    return summarisePortfolioRisk({
      model: modelOf(task.model),
      spec: readPortfolioRiskSpec(task.spec),
      engineVersion: task.engineVersion,
      blocks: task.blocks,
    });
  const scenario = scenarioOf(task.scenario);
  if (task.kind === 'analysis') return analyse(scenario, task.request, contextOf(task.portfolio));
  const read = readSpec(task.spec, scenario);
  if (task.kind === 'sample') {
    const columns = sampleColumns(read.spec, task.trials, task.seed);
    return {
      columns,
      ranks: columns.map((c) => averageRanks(c)),
      eventColumns: sampleEvents(riskEvents(scenario, read.spec), task.trials, task.seed),
      pathColumns: samplePaths(read.spec, scenario, task.trials, task.seed),
    } satisfies Samples;
  }
  if (task.kind === 'trials')
    return runTrials(
      scenario,
      read.drivers,
      task.columns,
      task.metrics,
      task.from,
      { drivers: riskEvents(scenario, read.spec).map((e) => e.driver), columns: task.eventColumns },
      {
        drivers: read.pathDrivers,
        years: scenario.timeline.operationYears,
        columns: task.pathColumns,
      },
    );
  return runRest({ ...task, scenario, spec: read.spec });
}

// A member's run depends on its parsed scenario only (kept by `modelOf` while the model is the same).
const memberResults = new WeakMap<Scenario, SimulationResult>();
function resultOf(scenario: Scenario): SimulationResult {
  let r = memberResults.get(scenario);
  if (!r) {
    r = simulate(scenario);
    memberResults.set(scenario, r);
  }
  return r;
}

/** The metric context of an analysis: the portfolio's members run, with its fiscal settings. */
function contextOf(data: PortfolioModelData | undefined): MetricContext {
  if (!data?.budget) return {};
  const model = modelOf(data);
  return {
    portfolio: {
      members: model.members.map((m) => ({ scenario: m.scenario, result: resultOf(m.scenario) })),
      budget: data.budget,
      thresholds: data.thresholds,
      otherObligations: data.otherObligations,
    },
  };
}

const dec = (s: string | undefined) => (s === undefined ? undefined : new Dec(s));
const ranges = (r: TextRange[] | undefined) =>
  r?.map((x) => ({ driver: x.driver, low: dec(x.low), high: dec(x.high) }));
/** Decimals become their exact decimal text (what crosses back to the main thread). */
const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x)) as unknown;

function analyse(scenario: Scenario, r: AnalysisRequest, context: MetricContext): unknown {
  switch (r.kind) {
    case 'sensitivity':
      return plain(sensitivity(scenario, r.metric, ranges(r.ranges), context));
    case 'spider':
      return plain(spider(scenario, r.metric, ranges(r.ranges), r.steps, context));
    case 'table':
      return plain(
        dataTable(
          scenario,
          r.metric,
          { driver: r.rows.driver, values: r.rows.values.map((v) => new Dec(v)) },
          { driver: r.columns.driver, values: r.columns.values.map((v) => new Dec(v)) },
          context,
        ),
      );
    case 'solve':
      return plain(
        solveBreakEven(
          scenario,
          {
            driver: r.driver,
            metric: r.metric,
            target: new Dec(r.target),
            low: dec(r.low),
            high: dec(r.high),
          },
          context,
        ),
      );
  }
}
