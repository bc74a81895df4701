import { z } from 'zod';
import { singleLineText } from '../text';

/**
 * Actuals of one project year (README "Monitoring and post-evaluation"), as recorded: amounts in
 * yuan as decimal text with at most 2 decimals, volumes as decimal text, the survey score 0–100.
 * A line left out was not recorded (it is not zero).
 */
export interface ActualsInput {
  year: number;
  capexYuan?: string;
  opexYuan?: string;
  /** Revenue by stream name (the scenario's streams). */
  revenuesYuan: Record<string, string>;
  /** Annual volume by user-fee stream name. */
  volumes: Record<string, string>;
  /** Public-satisfaction survey score, 0–100, at most 2 decimals. */
  satisfaction?: string;
  /** Where the figures come from (a report, an audit, a survey). */
  source: string;
}

/** What the actuals of a project are checked against: its chosen scenario's timeline and streams. */
export interface ActualsFrame {
  startYear: number;
  constructionYears: number;
  operationYears: number;
  streams: ReadonlyArray<{ name: string; kind: 'user-fee' | 'public-data' | 'other' }>;
}

const YUAN_RE = /^\d+(\.\d{1,2})?$/;
const DEC_RE = /^-?\d+(\.\d+)?$/;

/** Yuan: non-negative decimal text with at most 2 decimals (messages name what is wrong). */
const yuan = (what: string) =>
  z
    .string({ error: `${what} must be an amount in yuan` })
    .trim()
    .superRefine((s, ctx) => {
      if (!DEC_RE.test(s)) ctx.addIssue({ code: 'custom', message: `${what} must be a number` });
      else if (s.startsWith('-'))
        ctx.addIssue({ code: 'custom', message: `${what} cannot be negative` });
      else if (!YUAN_RE.test(s))
        ctx.addIssue({ code: 'custom', message: `${what} has more than 2 decimals (fen)` });
    });

const volume = z
  .string({ error: 'Volume must be a number' })
  .trim()
  .regex(/^\d+(\.\d{1,6})?$/, {
    error: 'Volume must be a non-negative number (at most 6 decimals)',
  });

const score = z
  .string({ error: 'Survey score must be a number' })
  .trim()
  .regex(/^\d+(\.\d{1,2})?$/, { error: 'Survey score must be a number with at most 2 decimals' })
  .refine((s) => Number(s) <= 100, { error: 'Survey score must be between 0 and 100' });

/** Empty strings from a form mean "not recorded". */
const optional = <T extends z.ZodType>(t: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), t.optional());

const baseSchema = z
  .object({
    year: z.coerce.number({ error: 'Year must be a whole number' }).int({
      error: 'Year must be a whole number',
    }),
    capexYuan: optional(yuan('Capex')),
    opexYuan: optional(yuan('Opex')),
    revenuesYuan: z.record(z.string(), optional(yuan('Revenue'))).default({}),
    volumes: z.record(z.string(), optional(volume)).default({}),
    satisfaction: optional(score),
    source: singleLineText('Source', { min: 1, max: 500, required: 'Name the source' }),
  })
  .strict();

/**
 * The zod schema of one year's actuals for a project whose chosen scenario is `frame`: the year
 * within the timeline; capex only in a construction year; opex, revenue and volumes only in an
 * operation year; revenue only for the scenario's streams, volumes only for its user-fee streams.
 * Each problem is an issue at its field's path (`revenuesYuan.<stream>`).
 */
export function actualsSchema(frame: ActualsFrame) {
  const first = frame.startYear;
  const opStart = first + frame.constructionYears;
  const last = opStart + frame.operationYears - 1;
  return baseSchema.superRefine((a, ctx) => {
    const issue = (path: PropertyKey[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    if (a.year < first || a.year > last) {
      issue(['year'], `Year ${a.year} is outside the project's timeline (${first}–${last})`);
      return;
    }
    const building = a.year < opStart;
    if (a.capexYuan !== undefined && !building)
      issue(
        ['capexYuan'],
        `Capex is recorded for construction years only (${first}–${opStart - 1})`,
      );
    if (building && a.opexYuan !== undefined)
      issue(['opexYuan'], `Opex is recorded for operation years only (${opStart}–${last})`);
    for (const [name, v] of Object.entries(a.revenuesYuan)) {
      if (v === undefined) continue;
      if (!frame.streams.some((s) => s.name === name))
        issue(['revenuesYuan', name], `The scenario has no revenue stream "${name}"`);
      else if (building)
        issue(
          ['revenuesYuan', name],
          `Revenue is recorded for operation years only (${opStart}–${last})`,
        );
    }
    for (const [name, v] of Object.entries(a.volumes)) {
      if (v === undefined) continue;
      if (!frame.streams.some((s) => s.name === name && s.kind === 'user-fee'))
        issue(['volumes', name], `The scenario has no user-fee stream "${name}"`);
      else if (building)
        issue(
          ['volumes', name],
          `Volumes are recorded for operation years only (${opStart}–${last})`,
        );
    }
  });
}

/** Drops the lines not recorded, so the stored JSON holds only what was entered. */
export function cleanActuals(a: z.output<ReturnType<typeof actualsSchema>>): ActualsInput {
  const defined = (r: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(r).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    year: a.year,
    ...(a.capexYuan !== undefined ? { capexYuan: a.capexYuan } : {}),
    ...(a.opexYuan !== undefined ? { opexYuan: a.opexYuan } : {}),
    revenuesYuan: defined(a.revenuesYuan),
    volumes: defined(a.volumes),
    ...(a.satisfaction !== undefined ? { satisfaction: a.satisfaction } : {}),
    source: a.source,
  };
}
