import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors';
import { SCENARIO_FORMAT, scenarioSchema, type Scenario, type ScenarioInput } from './schema';
import { SCENARIO_FORMAT_V1, scenarioSchemaV1, type ScenarioInputV1 } from './schema-v1';
import { upgradeScenarioV1 } from './upgrade';

/** Formats a zod path as a JSON path: `funding.sources[2].amountYuan`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** Turns zod issues into field issues, one per problem, with plain messages. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `Unknown field(s): ${issue.keys.join(', ')}`;
    else if (issue.code === 'invalid_type' && /received undefined/.test(message))
      message = 'This field is required';
    return { path: formatPath(issue.path), message };
  });
}

/** The scenario file formats FundMix reads. */
export type ScenarioFormat = typeof SCENARIO_FORMAT | typeof SCENARIO_FORMAT_V1;

/** True when the parsed JSON declares format v1 (`fundmix-scenario@1`). */
export function isScenarioV1(input: unknown): boolean {
  return (
    typeof input === 'object' &&
    input !== null &&
    (input as { format?: unknown }).format === SCENARIO_FORMAT_V1
  );
}

const invalid = (error: z.ZodError) =>
  new ValidationError(toFieldIssues(error), 'The scenario is not valid');

/**
 * Validates a scenario file (parsed JSON) of either format and gives it as a v2 file, as
 * written (defaults not filled in): a v2 file is returned as it is; a v1 file is validated
 * against the frozen v1 schema, so every problem has the path the user wrote, then upgraded
 * (`upgradeScenarioV1`). What FundMix stores for a new save.
 * @throws ValidationError listing every problem with its JSON path.
 */
export function toScenarioV2Input(input: unknown): ScenarioInput {
  if (!isScenarioV1(input)) return input as ScenarioInput;
  const v1 = scenarioSchemaV1.safeParse(input);
  if (!v1.success) throw invalid(v1.error);
  return upgradeScenarioV1(input as ScenarioInputV1);
}

/**
 * Validates a scenario (parsed JSON) of format v2 or v1 and fills in defaults; a v1 file is
 * validated against the v1 schema (its own paths) and then upgraded to v2.
 * @throws ValidationError listing every problem with its JSON path.
 */
export function parseScenario(input: unknown): Scenario {
  const result = scenarioSchema.safeParse(toScenarioV2Input(input));
  if (!result.success) throw invalid(result.error);
  return result.data;
}

/**
 * Reads scenario file text: JSON syntax errors and schema problems become a ValidationError.
 * @throws ValidationError
 */
export function parseScenarioText(text: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(
      [{ path: '', message: `Not valid JSON: ${(err as Error).message}` }],
      'The scenario file is not valid',
    );
  }
  return parseScenario(json);
}
