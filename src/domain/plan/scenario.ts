import { Rounding } from '../decimal';
import type { SimulationResult } from '../engine/types';
import { isPppProject, paymentMechanism } from '../fiscal/obligations';
import { projectCapital } from '../fiscal/rules';
import { minCapitalRatioFor, type JurisdictionThresholds } from '../fiscal/thresholds';
import type { Scenario } from '../scenario/schema';
import type { PlanScenario } from './model';
import { needsFromResult } from './needs';

/**
 * One funding scenario as the optimiser sees it (README "Programme optimiser", Candidates), from
 * its parsed inputs and engine result: needs in its own calendar, modelled start year, whether
 * the 5 % line applies (a PPP whose payment mechanism is government-pay), and its project-capital
 * ratio (`projectCapital`, truncated to 12 places, the precision the model compares at).
 * @param score the (project, scenario)'s evaluation score, decimal text ≥ 0
 */
export function planScenarioOf(
  ref: { id: string; name: string },
  scenario: Scenario,
  result: SimulationResult,
  thresholds: JurisdictionThresholds,
  score: string,
): PlanScenario {
  return {
    id: ref.id,
    name: ref.name,
    baseStartYear: scenario.timeline.startYear,
    needs: needsFromResult({ scenario, result }, thresholds),
    score,
    governmentPay:
      isPppProject(scenario) && paymentMechanism(scenario, result) === 'government-pay',
    capitalRatio: projectCapital(scenario, result).ratio.toFixed(12, Rounding.down),
  };
}

/** The minimum project-capital ratio of a scenario's sector, decimal text. */
export function minCapitalRatioText(
  scenario: Scenario,
  thresholds: JurisdictionThresholds,
): string {
  return minCapitalRatioFor(thresholds, scenario.project.sector).toString();
}
