import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { Dec } from '../../domain/decimal';
import { readDecimalText } from '../../domain/decimal-text';
import { ValidationError } from '../../domain/errors';
import { METRIC_UNITS, type BaseMetric, type MetricUnit } from '../../domain/risk/metrics';
import { sensitivity } from '../../domain/risk/sensitivity';
import { solveBreakEven } from '../../domain/risk/solve';
import { MAX_TRIALS, defaultSpec } from '../../domain/risk/spec';
import { toFieldIssues } from '../../domain/scenario/parse';
import { MonteCarloRunner, type RunnerOptions } from '../../app/risk/runner';
import { readScenarioFile } from './simulate';
import { processIo, type CliIo } from './store-common';

const decimal = (field: string) =>
  z
    .string()
    .refine((s) => readDecimalText(s) !== null, { error: `${field} must be a decimal number` })
    .transform((s) => new Dec(s));

const solveArgs = z.object({
  for: z.string().min(1),
  target: z.string().regex(/^[A-Za-z]+(:[^=]+)?=-?\d+(\.\d+)?$/, {
    error: 'Give the target as METRIC=VALUE, e.g. equityIrr=0.08',
  }),
  low: decimal('--low').optional(),
  high: decimal('--high').optional(),
});

const monteCarloArgs = z.object({
  trials: z.coerce.number().int().min(1).max(MAX_TRIALS),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  workers: z.coerce.number().int().min(1).max(64).optional(),
  spec: z.string().optional(),
});

/** Reads command options with a schema; a bad option is bad input (exit 2) naming it. */
function parseArgs<T extends z.ZodType>(schema: T, opts: unknown): z.infer<T> {
  const r = schema.safeParse(opts);
  if (!r.success)
    throw new ValidationError(
      toFieldIssues(r.error).map((i) => ({ ...i, path: `--${i.path}` })),
      'Invalid option',
    );
  return r.data as z.infer<T>;
}

/** A figure for the table: yuan to 2 dp, a rate as a percentage to 4 dp, a ratio to 4 dp. */
function figure(value: Dec | null, unit: MetricUnit): string {
  if (value === null) return '—';
  if (unit === 'rate') return `${value.times(100).toFixed(4)} %`;
  return value.toFixed(unit === 'yuan' ? 2 : 4);
}

const unitOf = (metric: string): MetricUnit => METRIC_UNITS[metric.split(':')[0] as BaseMetric];

function sensitivityTable(t: ReturnType<typeof sensitivity>): string {
  const unit = unitOf(t.metric);
  const rows = t.drivers.map((r) => [
    r.driver,
    r.low.toString(),
    r.high.toString(),
    figure(r.atLow, unit),
    figure(r.atHigh, unit),
    r.swing === null ? '—' : figure(r.swing, unit),
  ]);
  const head = ['driver', 'low', 'high', `${t.metric} at low`, `${t.metric} at high`, 'swing'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [
    `${t.metric} in the scenario: ${figure(t.base, unit)}`,
    line(head),
    ...rows.map(line),
  ].join('\n');
}

function readSpecFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new ValidationError(
      [{ path: '--spec', message: `Cannot read ${file}: ${(err as Error).message}` }],
      'Cannot read the risk spec',
    );
  }
}

/**
 * `fundmix risk sensitivity|solve|montecarlo FILE`: the risk analysis of a scenario file (README
 * "Risk analysis"). `runner` chooses the worker module (tests run the sources).
 */
export function registerRisk(
  program: Command,
  io: CliIo = processIo(),
  runner: RunnerOptions = {},
): void {
  const risk = program.command('risk').description('Sensitivity, break-even and Monte Carlo');
  const format = (choices: string[]) =>
    new Option('--format <format>', 'output format').choices(choices).default('table');

  risk
    .command('sensitivity')
    .description('Each driver at its low and high value, ranked by the swing of a metric')
    .argument('<file>', 'scenario file')
    .option(
      '--metric <metric>',
      'metric (equityIrr, projectNpv, projectIrr, dscrMin, …)',
      'equityIrr',
    )
    .addOption(format(['table', 'json']))
    .action((file: string, opts: { metric: string; format: string }) => {
      const scenario = readScenarioFile(path.resolve(io.cwd(), file));
      const t = sensitivity(scenario, opts.metric);
      io.out(
        opts.format === 'json' ? JSON.stringify(t, null, 2) + '\n' : sensitivityTable(t) + '\n',
      );
    });

  risk
    .command('solve')
    .description(
      'The value of a driver or scenario input that makes a metric reach a target (break-even)',
    )
    .argument('<file>', 'scenario file')
    .requiredOption(
      '--for <driver>',
      'driver (revenue, capex, rate:bank, …) or input (input:ap-profit-rate, input:operating-subsidy, input:debt-share:SOURCE-ID)',
    )
    .requiredOption('--target <metric=value>', 'e.g. equityIrr=0.08, dscrMin=1.2, projectNpv=0')
    .option('--low <value>', 'lowest value searched (default: the whole range)')
    .option('--high <value>', 'highest driver value searched')
    .addOption(format(['table', 'json']))
    .action((file: string, raw: Record<string, string>) => {
      const opts = parseArgs(solveArgs, raw);
      const scenario = readScenarioFile(path.resolve(io.cwd(), file));
      const [metric, value] = opts.target.split('=') as [string, string];
      const a = solveBreakEven(scenario, {
        driver: opts.for,
        metric,
        target: new Dec(value),
        low: opts.low,
        high: opts.high,
      });
      const unit = unitOf(a.metric);
      io.out(
        raw.format === 'json'
          ? JSON.stringify(a, null, 2) + '\n'
          : a.value === null
            ? `No value of ${a.driver} in [${a.low.toString()}, ${a.high.toString()}] reaches ${a.metric} = ${figure(a.target, unit)}\n`
            : `${a.driver} = ${a.value.toString()} gives ${a.metric} = ${figure(a.reached, unit)} (target ${figure(a.target, unit)})\n`,
      );
    });

  risk
    .command('montecarlo')
    .description('Monte Carlo trials of a scenario under a risk spec, on worker threads')
    .argument('<file>', 'scenario file')
    .requiredOption('--trials <n>', `number of trials (1 to ${MAX_TRIALS})`)
    .requiredOption('--seed <s>', 'seed (0 to 4294967295): the same seed gives the same figures')
    .option('--workers <w>', 'worker threads (default: the cores of this machine)')
    .option(
      '--spec <file>',
      'risk spec (format fundmix-risk@1); default: every driver that applies',
    )
    .addOption(format(['table', 'json']))
    .action(async (file: string, raw: Record<string, string>) => {
      const opts = parseArgs(monteCarloArgs, raw);
      const scenarioFile = path.resolve(io.cwd(), file);
      const scenario = readScenarioFile(scenarioFile);
      const input = JSON.parse(readFileSync(scenarioFile, 'utf8')) as never;
      const spec = opts.spec
        ? readSpecFile(path.resolve(io.cwd(), opts.spec))
        : defaultSpec(scenario);
      const pool = new MonteCarloRunner({ ...runner, workers: opts.workers ?? runner.workers });
      try {
        const out = await pool.run({
          scenario: input,
          spec: spec as never,
          trials: opts.trials,
          seed: opts.seed,
        });
        io.out(
          raw.format === 'json'
            ? JSON.stringify(out.summary, null, 2) + '\n'
            : monteCarloTable(out.summary) + '\n',
        );
      } finally {
        await pool.close();
      }
    });
}

function monteCarloTable(s: Awaited<ReturnType<MonteCarloRunner['run']>>['summary']): string {
  const lines = [
    `${s.trials} trials, seed ${s.seed}, engine ${s.engineVersion}; drivers: ${s.drivers.join(', ')}`,
  ];
  for (const [name, m] of Object.entries(s.metrics)) {
    const unit = unitOf(name);
    const f = (x: string) => figure(new Dec(x), unit);
    lines.push(
      m === null
        ? `${name}: no value in any trial`
        : `${name}: mean ${f(m.mean)}  sd ${f(m.sd)}  P5 ${f(m.p5)}  P50 ${f(m.p50)}  P95 ${f(m.p95)}`,
    );
  }
  for (const [name, p] of Object.entries(s.probabilities))
    lines.push(`P(${name}) = ${p === null ? '—' : `${new Dec(p).times(100).toFixed(2)} %`}`);
  return lines.join('\n');
}
