import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors';
import { FundMixError } from '../errors';
import type { Scenario } from '../scenario/schema';
import { formatPath, toFieldIssues } from '../scenario/parse';
import { checkCorrelation } from './correlation';
import { validate as validateDistribution } from './distributions';
import { defaultDrivers, parseDriverName, type DriverName } from './drivers';

/** The format tag of a Monte Carlo spec file. */
export const RISK_SPEC_FORMAT = 'fundmix-risk@1';

/** At most this many trials in one run (a 30-year scenario: about a minute on 2 cores). */
export const MAX_TRIALS = 100_000;

const num = (what: string) => z.number({ error: `${what} must be a number` }).finite();

/** Distributions of a driver's value, in the driver's unit (README "Monte Carlo"). */
export const distributionSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('triangular'), min: num('min'), mode: num('mode'), max: num('max') })
    .strict(),
  z
    .object({
      kind: z.literal('pert'),
      min: num('min'),
      mode: num('mode'),
      max: num('max'),
      lambda: num('lambda').positive().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('uniform'), min: num('min'), max: num('max') }).strict(),
  z
    .object({
      kind: z.literal('normal'),
      mean: num('mean'),
      sd: num('sd'),
      min: num('min').optional(),
      max: num('max').optional(),
    })
    .strict(),
  z.object({ kind: z.literal('lognormal'), mean: num('mean'), sd: num('sd') }).strict(),
  z
    .object({
      kind: z.literal('discrete'),
      values: z
        .array(z.object({ value: num('value'), weight: num('weight') }).strict())
        .min(1, { error: 'Give at least one value' })
        .max(100),
    })
    .strict(),
]);
export type DistributionSpec = z.infer<typeof distributionSchema>;

/** At most this many revenue paths in a spec (path p uses uniform stream PATHS_STREAM + p). */
export const MAX_PATHS = 8;
/** The largest per-year log shock of a revenue path. */
export const MAX_PATH_SD = 0.5;

const pathFields = {
  /** `revenue` (every stream) or `revenue:STREAM` (one stream). */
  driver: z.string().min(1).default('revenue'),
  sd: num('sd')
    .min(0, { error: 'sd must be at least 0' })
    .max(MAX_PATH_SD, { error: `sd must be at most ${MAX_PATH_SD}` }),
  /** The first operation year (1-based) with a shock; earlier years keep a factor of 1. */
  start: z
    .number({ error: 'start must be a number' })
    .int({ error: 'start must be a whole number' })
    .min(1, { error: 'start must be at least 1' })
    .default(1),
};

/**
 * A year-to-year revenue path (README "Monte Carlo"): a random walk or an AR(1) in logs with a
 * per-year shock `sd`, as a factor of mean 1 in every operation year.
 */
export const pathSchema = z.discriminatedUnion(
  'model',
  [
    z.object({ ...pathFields, model: z.literal('random-walk') }).strict(),
    z
      .object({
        ...pathFields,
        model: z.literal('ar1'),
        phi: num('phi')
          .min(0, { error: 'phi must be at least 0' })
          .lt(1, { error: 'phi must be less than 1' }),
      })
      .strict(),
  ],
  { error: 'model must be "random-walk" or "ar1"' },
);
export type PathSpec = z.infer<typeof pathSchema>;

export const riskSpecSchema = z
  .object({
    format: z.literal(RISK_SPEC_FORMAT, { error: `format must be "${RISK_SPEC_FORMAT}"` }),
    drivers: z
      .array(z.object({ driver: z.string().min(1), distribution: distributionSchema }).strict())
      .min(1, { error: 'Give at least one driver' })
      .max(20),
    /** Rank correlations between pairs of drivers; pairs not listed are uncorrelated. */
    correlations: z
      .array(
        z
          .object({
            between: z.tuple([z.string(), z.string()]),
            rho: num('rho').min(-1, { error: 'rho must be at least −1' }).max(1, {
              error: 'rho must be at most 1',
            }),
          })
          .strict(),
      )
      .max(190)
      .default([]),
    latinHypercube: z.boolean().default(true),
    /** Whether the risk register's risks with a `monteCarlo` part enter as events (README "Monte Carlo"). */
    events: z.boolean().default(true),
    /** Year-to-year revenue paths; absent (not `[]`) when none, so older specs keep their hash. */
    paths: z.array(pathSchema).max(MAX_PATHS).optional(),
    /** Thresholds of the probabilities; defaults: the scenario's covenants and equity discount rate. */
    thresholds: z
      .object({
        dscrCovenant: num('dscrCovenant').positive().optional(),
        equityHurdle: num('equityHurdle').optional(),
        bondCoverage: num('bondCoverage').positive().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type RiskSpec = z.infer<typeof riskSpecSchema>;
export type RiskSpecInput = z.input<typeof riskSpecSchema>;

/** A spec read against a scenario: driver names resolved, distributions checked. */
export interface ReadSpec {
  spec: RiskSpec;
  drivers: DriverName[];
  /** The driver of each of `spec.paths`, in its order (`revenue` or `revenue:STREAM`). */
  pathDrivers: DriverName[];
}

/** The default delay: none 70 %, one year 20 %, two years 10 % (as far as the operation allows). */
const DEFAULT_DELAY = [
  { value: 0, weight: 0.7 },
  { value: 1, weight: 0.2 },
  { value: 2, weight: 0.1 },
];

/**
 * The spec used when none is given: every driver that applies to the scenario, triangular from
 * its sensitivity low through its neutral value to its high (README "Risk drivers"), uncorrelated,
 * Latin hypercube.
 */
export function defaultSpec(scenario: Scenario): RiskSpec {
  return {
    format: RISK_SPEC_FORMAT,
    drivers: defaultDrivers(scenario).map((d) => {
      const k = d.kind;
      const [min, mode, max] = [k.low, k.neutral, k.high].map((x) => x.toNumber()) as [
        number,
        number,
        number,
      ];
      return k.unit === 'years'
        ? {
            driver: d.name,
            distribution: {
              kind: 'discrete' as const,
              values: DEFAULT_DELAY.filter((v) => d.kind.max.gte(v.value)),
            },
          }
        : { driver: d.name, distribution: { kind: 'triangular' as const, min, mode, max } };
    }),
    correlations: [],
    latinHypercube: true,
    events: true,
    thresholds: {},
  };
}

/**
 * Validates a spec (parsed JSON) against a scenario: its shape, every driver name (once each),
 * every distribution's parameters against the driver's range, and the correlations (names in the
 * spec, no pair twice).
 * @throws ValidationError with the JSON path of every problem (e.g. `drivers[1].distribution.max`)
 */
export function readSpec(input: unknown, scenario: Scenario): ReadSpec {
  const parsed = riskSpecSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(toFieldIssues(parsed.error), 'The risk spec is not valid');
  const spec = parsed.data;
  const issues: FieldIssue[] = [];
  const drivers: DriverName[] = [];
  spec.drivers.forEach((d, i) => {
    try {
      const driver = parseDriverName(d.driver, scenario);
      if (drivers.some((x) => x.name === driver.name))
        issues.push({ path: `drivers[${i}].driver`, message: `${d.driver} is given twice` });
      drivers.push(driver);
      issues.push(...distributionIssues(d.distribution, driver, `drivers[${i}].distribution`));
    } catch (err) {
      if (!(err instanceof FundMixError)) throw err;
      issues.push({ path: `drivers[${i}].driver`, message: err.message });
    }
  });
  const seen = new Set<string>();
  spec.correlations.forEach((c, i) => {
    c.between.forEach((name, j) => {
      if (!spec.drivers.some((d) => d.driver === name))
        issues.push({
          path: `correlations[${i}].between[${j}]`,
          message: `${name} is not a driver of this spec`,
        });
    });
    const key = [...c.between].sort().join('\u0000');
    if (c.between[0] === c.between[1])
      issues.push({
        path: `correlations[${i}].between`,
        message: 'A driver cannot be correlated with itself',
      });
    else if (seen.has(key))
      issues.push({ path: `correlations[${i}].between`, message: 'This pair is given twice' });
    seen.add(key);
  });
  const pathDrivers = readPaths(spec.paths ?? [], scenario, issues);
  if (issues.length === 0) issues.push(...matrixIssues(spec));
  if (issues.length > 0) throw new ValidationError(issues, 'The risk spec is not valid');
  return { spec, drivers, pathDrivers };
}

/** Each path's driver (revenue or revenue:STREAM, once each) and its start within the operation. */
function readPaths(paths: readonly PathSpec[], scenario: Scenario, issues: FieldIssue[]) {
  const drivers: DriverName[] = [];
  const years = scenario.timeline.operationYears;
  paths.forEach((p, i) => {
    try {
      const driver = parseDriverName(p.driver, scenario);
      if (driver.base !== 'revenue')
        issues.push({
          path: `paths[${i}].driver`,
          message: 'A path moves revenue: "revenue" or "revenue:STREAM"',
        });
      else if (drivers.some((x) => x.name === driver.name))
        issues.push({ path: `paths[${i}].driver`, message: `${p.driver} has a path twice` });
      drivers.push(driver);
    } catch (err) {
      if (!(err instanceof FundMixError)) throw err;
      issues.push({ path: `paths[${i}].driver`, message: err.message });
    }
    if (p.start > years)
      issues.push({
        path: `paths[${i}].start`,
        message: `start must be at most ${years}, the last operation year`,
      });
  });
  return drivers;
}

/**
 * The drivers' target rank-correlation matrix, in the spec's driver order: 1 on the diagonal,
 * each listed pair's rho (both ways), 0 elsewhere; null when no pair is listed.
 */
export function correlationMatrix(spec: RiskSpec): number[][] | null {
  if (spec.correlations.length === 0) return null;
  const names = spec.drivers.map((d) => d.driver);
  const m: number[][] = names.map((_, i) => names.map((__, j) => (i === j ? 1 : 0)));
  for (const c of spec.correlations) {
    const i = names.indexOf(c.between[0]);
    const j = names.indexOf(c.between[1]);
    m[i]![j] = c.rho;
    m[j]![i] = c.rho;
  }
  return m;
}

/** A matrix that cannot be a correlation (not positive semi-definite) is a problem of the whole list. */
function matrixIssues(spec: RiskSpec): FieldIssue[] {
  const m = correlationMatrix(spec);
  if (!m) return [];
  return checkCorrelation(
    m,
    spec.drivers.map((d) => d.driver),
  ).map((i) => ({ path: 'correlations', message: i.message }));
}

/**
 * Parameter problems of one distribution (`validateDistribution`, src/domain/risk/distributions.ts)
 * and values outside the driver's range (the mean, a mode, bounds, discrete values).
 */
function distributionIssues(d: DistributionSpec, driver: DriverName, path: string): FieldIssue[] {
  const issues: FieldIssue[] = validateDistribution(d).map((i) => ({
    path: formatPath([path, ...i.path]),
    message: i.message,
  }));
  const lo = driver.kind.min.toNumber();
  const hi = driver.kind.max.toNumber();
  const check = (field: string, v: number | undefined) => {
    if (v !== undefined && (v < lo || v > hi))
      issues.push({
        path: `${path}.${field}`,
        message: `${driver.name} takes values from ${lo} to ${hi}`,
      });
  };
  if ('min' in d) check('min', d.min);
  if ('max' in d) check('max', d.max);
  if ('mode' in d) check('mode', d.mode);
  if (d.kind === 'normal' || d.kind === 'lognormal') check('mean', d.mean);
  if (d.kind === 'discrete')
    d.values.forEach((v, i) => {
      check(`values[${i}].value`, v.value);
      if (driver.kind.unit === 'years' && !Number.isInteger(v.value))
        issues.push({ path: `${path}.values[${i}].value`, message: 'Delay is in whole years' });
    });
  return issues;
}
