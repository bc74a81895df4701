import { DELIVERIES, SCENARIO_FORMAT, type Delivery, type ScenarioInput } from './schema';
import { SCENARIO_FORMAT_V1, type ScenarioInputV1 } from './schema-v1';

/**
 * Upgrades a v1 scenario file (`fundmix-scenario@1`) to format v2 (`fundmix-scenario@2`). Pure:
 * the argument is not changed, and every part the upgrade does not touch is shared, not copied.
 *
 * The whole rule (README "Scenario file format", "Upgrade from v1"):
 * - `format` becomes `"fundmix-scenario@2"`;
 * - `project.delivery` moves to `scenario.delivery`, unchanged (`government`, `ppp` or
 *   `concession`): in v1 the delivery was the project's, so each v1 scenario gets the delivery
 *   its project had when the file was written;
 * - nothing else changes: every other field keeps its value, every default stays a default, and
 *   the v2-only sections are left out (each is optional and off), so an upgraded file computes
 *   exactly what its v1 file computed under the same engine.
 *
 * Works on a file as written (defaults missing) and on a validated v1 scenario alike; it does not
 * validate: call it on input `scenarioSchemaV1` accepted.
 */
export function upgradeScenarioV1(v1: ScenarioInputV1): ScenarioInput {
  const { delivery, ...project } = v1.project;
  return {
    ...v1,
    format: SCENARIO_FORMAT,
    project,
    scenario: { ...v1.scenario, delivery },
  };
}

/**
 * The delivery model a stored scenario file declares, without validating the rest: v2's
 * `scenario.delivery`, or v1's `project.delivery` (what the upgrade moves there). Null when the
 * file has none that is valid. For lists that show each scenario's delivery cheaply.
 */
export function deliveryOf(input: unknown): Delivery | null {
  if (typeof input !== 'object' || input === null) return null;
  const file = input as { format?: unknown; project?: unknown; scenario?: unknown };
  const block = file.format === SCENARIO_FORMAT_V1 ? file.project : file.scenario;
  const value =
    typeof block === 'object' && block !== null
      ? (block as { delivery?: unknown }).delivery
      : undefined;
  return (DELIVERIES as readonly unknown[]).includes(value) ? (value as Delivery) : null;
}
