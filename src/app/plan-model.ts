import type { SimulationResult } from '../domain/engine/types';
import type { JurisdictionThresholds } from '../domain/fiscal/thresholds';
import type { PlanScenario } from '../domain/plan/model';
import { minCapitalRatioText, planScenarioOf } from '../domain/plan/scenario';
import { parseScenario } from '../domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../domain/scenario/schema';
import { reviveResult } from '../store/result-revive';
import type { StoredResult } from '../store/types';
import { scorerOfData, type ScoringData } from './evaluation-scores';

/**
 * The optimiser's model of a portfolio's scenarios (README "Programme optimiser", Where it runs):
 * built from plain data read from the store, so it can run on a worker thread of the risk pool
 * (task `plan-model`) while the thread answering requests only reads rows.
 */

/** A (project, scenario) to be scored: what the evaluation needs of it. */
export interface ScoreSubject {
  projectCode: string;
  scenarioId: number;
  scenarioName: string;
  scenario: Scenario;
  result: SimulationResult;
}

/** Scores one (project, scenario), decimal text ≥ 0 (the evaluation index system's total). */
export type ScoreOf = (subject: ScoreSubject) => string;

/** One scenario of a member project, as read from the store: its inputs and cached result. */
export interface PlanModelScenario {
  id: number;
  name: string;
  inputs: ScenarioInput;
  /** The cached engine result (null: none could be computed). */
  stored: StoredResult | null;
}

/** Everything the model is built from, plain data (structured-cloneable). */
export interface PlanModelSource {
  thresholds: JurisdictionThresholds;
  /** Member projects in the portfolio's order; each one's scenarios, the member's first. */
  projects: Array<{ code: string; memberId: number; scenarios: PlanModelScenario[] }>;
}

/** The model: per project whose member scenario could be modelled, its candidates' scenarios. */
export interface PlanModel {
  projects: Array<{ code: string; minCapitalRatio: string; scenarios: PlanScenario[] }>;
  /** Scenarios left out: their result could not be read or modelled. */
  leftOut: Array<{ projectCode: string; scenarioName: string; reason: string }>;
}

/** The default score (the evaluation index system's total, 2 decimals) from scoring data. */
export function scoreOfData(data: ScoringData): ScoreOf {
  const scorer = scorerOfData(data);
  return (s) => scorer(s.projectCode, s.scenario, s.result).toFixed(2);
}

function modelScenario(
  s: PlanModelScenario,
  code: string,
  thresholds: JurisdictionThresholds,
  scoreOf: ScoreOf,
): { plan: PlanScenario; parsed: Scenario } | { error: string } {
  try {
    if (s.stored === null) return { error: 'no result' };
    const parsed = parseScenario(s.inputs);
    const result = reviveResult(s.stored);
    const score = scoreOf({
      projectCode: code,
      scenarioId: s.id,
      scenarioName: s.name,
      scenario: parsed,
      result,
    });
    const ref = { id: String(s.id), name: s.name };
    return { plan: planScenarioOf(ref, parsed, result, thresholds, score), parsed };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Builds the model: each scenario parsed, its result revived, scored with `scoreOf`, and its
 * needs, government-pay flag and capital ratio taken (`planScenarioOf`); a scenario that fails is
 * left out (listed), and a project whose member scenario fails has no model. The minimum capital
 * ratio is the member scenario's sector's.
 */
export function buildPlanModel(source: PlanModelSource, scoreOf: ScoreOf): PlanModel {
  const projects: PlanModel['projects'] = [];
  const leftOut: PlanModel['leftOut'] = [];
  for (const p of source.projects) {
    const scenarios: PlanScenario[] = [];
    let minCapitalRatio = source.thresholds.minCapitalRatio;
    for (const s of p.scenarios) {
      const got = modelScenario(s, p.code, source.thresholds, scoreOf);
      if ('error' in got) {
        leftOut.push({ projectCode: p.code, scenarioName: s.name, reason: got.error });
        continue;
      }
      scenarios.push(got.plan);
      if (s.id === p.memberId) minCapitalRatio = minCapitalRatioText(got.parsed, source.thresholds);
    }
    if (scenarios.some((s) => s.id === String(p.memberId)))
      projects.push({ code: p.code, minCapitalRatio, scenarios });
  }
  return { projects, leftOut };
}
