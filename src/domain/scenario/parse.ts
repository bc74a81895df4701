import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors';
import { scenarioSchema, type Scenario } from './schema';

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

/**
 * Validates a scenario (parsed JSON) and fills in defaults.
 * @throws ValidationError listing every problem with its JSON path.
 */
export function parseScenario(input: unknown): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success)
    throw new ValidationError(toFieldIssues(result.error), 'The scenario is not valid');
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
