import { z } from 'zod';
import { Dec, ZERO } from '../decimal';
import { decimalText, readDecimalText } from '../decimal-text';
import { ValidationError, type FieldIssue } from '../errors';
import { toFieldIssues } from '../scenario/parse';
import { singleLineText } from '../text';
import {
  METRIC_NAMES,
  type BandsScale,
  type EvaluationSystem,
  type IndicatorNode,
  type LinearScale,
  type ScoringMethod,
} from './types';

/** Deepest level of the indicator tree (first level = 1). */
export const MAX_DEPTH = 4;
export const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const HUNDRED = new Dec(100);

const weightText = decimalText('The weight').refine(
  (s) => {
    const d = readDecimalText(s);
    return d === null || (d.gt(0) && d.lte(100) && d.decimalPlaces() <= 4);
  },
  { error: 'The weight is a percentage above 0 and at most 100, with at most 4 decimals' },
);
const pointsText = decimalText('Points').refine(
  (s) => {
    const d = readDecimalText(s);
    return d === null || (d.gte(0) && d.lte(100));
  },
  { error: 'Points are between 0 and 100' },
);
const linear = z.strictObject({
  kind: z.literal('linear'),
  zeroAt: decimalText('The 0-point bound'),
  fullAt: decimalText('The 100-point bound'),
});
const bands = z.strictObject({
  kind: z.literal('bands'),
  bands: z
    .array(
      z.strictObject({
        min: decimalText('The band minimum').optional(),
        max: decimalText('The band maximum').optional(),
        points: pointsText,
      }),
    )
    .min(1, { error: 'Give at least one band' })
    .max(20),
});
const method = z.discriminatedUnion('kind', [
  linear,
  bands,
  z.strictObject({ kind: z.literal('yes-no') }),
  z.strictObject({
    kind: z.literal('metric'),
    metric: z.enum(METRIC_NAMES, { error: `The metric is one of ${METRIC_NAMES.join(', ')}` }),
    scale: z.discriminatedUnion('kind', [linear, bands]),
  }),
]);

const node: z.ZodType<IndicatorNode> = z.lazy(() =>
  z.strictObject({
    code: z.string().trim().regex(CODE_RE, {
      error: 'The code is 1–40 letters, digits, ".", "_" or "-", starting with a letter or digit',
    }),
    nameZh: singleLineText('The Chinese name', {
      max: 80,
      min: 1,
      required: 'Give the Chinese name',
    }),
    nameEn: singleLineText('The English name', {
      max: 80,
      min: 1,
      required: 'Give the English name',
    }),
    weightPercent: weightText,
    unit: z.string().trim().max(20).optional(),
    method: method.optional(),
    fromActuals: z.literal('satisfaction').optional(),
    children: z
      .array(node)
      .min(1, { error: 'A group needs at least one indicator: add a child or choose a method' })
      .max(50)
      .optional(),
  }),
);

const systemSchema = z.strictObject({ indicators: z.array(node).min(1).max(50) });

/**
 * Reads and checks an evaluation system (README "Evaluation index system"): the shape, every
 * level's weights summing to exactly 100 %, unique codes, a method on every indicator and none on
 * a group, at most {@link MAX_DEPTH} levels, and each method's own rules.
 * @throws ValidationError naming every wrong field, e.g.
 *   `indicators[2].children: weights sum to 95 %, must be 100 %`.
 */
export function parseEvaluationSystem(input: unknown): EvaluationSystem {
  const parsed = systemSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(toFieldIssues(parsed.error), 'The evaluation system is not valid');
  const issues = systemIssues(parsed.data);
  if (issues.length > 0) throw new ValidationError(issues, 'The evaluation system is not valid');
  return parsed.data;
}

/** The rule issues of a system already of the right shape (empty when it is valid). */
export function systemIssues(system: EvaluationSystem): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, string>();
  const walk = (nodes: IndicatorNode[], path: string, depth: number): void => {
    const sum = nodes.reduce((s, n) => s.plus(readDecimalText(n.weightPercent) ?? ZERO), ZERO);
    if (!sum.eq(HUNDRED))
      issues.push({ path, message: `weights sum to ${sum.toFixed()} %, must be 100 %` });
    nodes.forEach((n, i) => {
      const at = `${path}[${i}]`;
      const before = seen.get(n.code);
      if (before !== undefined)
        issues.push({ path: `${at}.code`, message: `code ${n.code} is already used at ${before}` });
      else seen.set(n.code, at);
      if (n.children !== undefined) {
        if (n.method !== undefined)
          issues.push({ path: `${at}.method`, message: 'a group has no method of its own' });
        if (depth >= MAX_DEPTH)
          issues.push({ path: `${at}.children`, message: `at most ${MAX_DEPTH} levels` });
        else walk(n.children, `${at}.children`, depth + 1);
      } else if (n.method === undefined) {
        issues.push({ path: `${at}.method`, message: 'an indicator needs a scoring method' });
      } else {
        issues.push(...methodIssues(n.method, `${at}.method`));
        if (n.fromActuals !== undefined && n.method.kind !== 'linear' && n.method.kind !== 'bands')
          issues.push({
            path: `${at}.fromActuals`,
            message: 'only a linear or bands indicator can be fed from actuals',
          });
      }
    });
  };
  walk(system.indicators, 'indicators', 1);
  return issues;
}

function methodIssues(m: ScoringMethod, path: string): FieldIssue[] {
  if (m.kind === 'linear') return linearIssues(m, path);
  if (m.kind === 'bands') return bandsIssues(m, path);
  if (m.kind === 'metric')
    return m.scale.kind === 'linear'
      ? linearIssues(m.scale, `${path}.scale`)
      : bandsIssues(m.scale, `${path}.scale`);
  return [];
}

function linearIssues(m: LinearScale, path: string): FieldIssue[] {
  return new Dec(m.zeroAt).eq(m.fullAt)
    ? [{ path: `${path}.fullAt`, message: 'the 0-point and 100-point bounds must differ' }]
    : [];
}

function bandsIssues(m: BandsScale, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  m.bands.forEach((b, i) => {
    if (b.min === undefined && b.max === undefined && i < m.bands.length - 1)
      issues.push({ path: `${path}.bands[${i}]`, message: 'an open band must be the last one' });
    if (b.min !== undefined && b.max !== undefined && !new Dec(b.min).lt(b.max))
      issues.push({
        path: `${path}.bands[${i}].max`,
        message: 'the maximum must exceed the minimum',
      });
  });
  return issues;
}
