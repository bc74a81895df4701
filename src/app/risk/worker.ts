import { parseScenario } from '../../domain/scenario/parse';
import type { ScenarioInput } from '../../domain/scenario/schema';
import { runTrials, summariseRun, type TrialBlock } from '../../domain/risk/montecarlo';
import { readSpec } from '../../domain/risk/spec';
import type { RiskSpecInput } from '../../domain/risk/spec';

/** A chunk of trials of one Monte Carlo run, as handed to a worker. */
export interface TrialsTask {
  kind: 'trials';
  scenario: ScenarioInput;
  spec: RiskSpecInput;
  metrics: string[];
  from: number;
  /** The chunk's sampled values, one column per driver of the spec. */
  columns: Float64Array[];
}

/** The summary of a whole run, built off the main thread too (it sorts every metric's values). */
export interface SummaryTask {
  kind: 'summary';
  scenario: ScenarioInput;
  spec: RiskSpecInput;
  metrics: string[];
  trials: number;
  seed: number;
  engineVersion: string;
  columns: Float64Array[];
  blocks: TrialBlock[];
}

export type RiskTask = TrialsTask | SummaryTask;

// A worker serves chunk after chunk of the same run: the scenario is read (and compiled) once.
let last: { key: string; scenario: ReturnType<typeof parseScenario> } | null = null;

function scenarioOf(input: ScenarioInput) {
  const key = JSON.stringify(input);
  if (last?.key !== key) last = { key, scenario: parseScenario(input) };
  return last.scenario;
}

/** The task handler piscina calls in each worker thread (pure: the domain does the work). */
export default function handle(task: RiskTask) {
  const scenario = scenarioOf(task.scenario);
  const read = readSpec(task.spec, scenario);
  if (task.kind === 'trials')
    return runTrials(scenario, read.drivers, task.columns, task.metrics, task.from);
  return summariseRun({ ...task, scenario, read });
}
