import { Option, type Command } from 'commander';
import { optimisePlanAsOperator, planJson } from '../../app/plan';
import { MonteCarloRunner, type RunnerOptions } from '../../app/risk/runner';
import { simulate } from '../../domain/engine/simulate';
import { ENGINE_VERSION } from '../../domain/engine/types';
import { ValidationError } from '../../domain/errors';
import { choosePortfolio } from './fiscal';
import { processIo, resolveDbPath, withStore, type CliIo } from './store-common';

type PlanJson = ReturnType<typeof planJson>;

const pad = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
    )
    .join('\n');
};

/** The programme as a text table: status, the chosen projects, binding rows, shadow values. */
export function planTable(p: PlanJson): string {
  const head =
    `Portfolio: ${p.portfolio.name}\n` +
    `Status: ${p.status}${p.status === 'optimal' ? '' : ` (gap ${p.gap})`}, ` +
    `total score ${p.totalScore} (current portfolio ${p.comparison.current.totalScore}), ` +
    `${p.candidateCount} candidates`;
  const chosen = pad([
    ['project', 'scenario', 'start', 'score'],
    ...p.chosen.map((c) => [c.projectCode, c.scenarioName, String(c.startYear), c.score]),
  ]);
  const rows = p.constraints.filter(
    (c) => c.binding || (c.shadowValue !== null && c.shadowValue !== '0.0000'),
  );
  const limits =
    rows.length === 0
      ? 'No constraint binds, and no limit is worth more score with one more 亿元.'
      : pad([
          ['constraint', 'year', 'limit (yuan)', 'used (yuan)', 'slack (yuan)', '+1 亿元'],
          ...rows.map((c) => [
            c.kind + (c.lineApplies ? ' (5 % line)' : ''),
            String(c.year),
            c.limitYuan,
            c.usedYuan,
            c.slackYuan,
            c.shadowValue ?? '—',
          ]),
        ]);
  return `${head}\n\n${chosen}\n\n${limits}\n`;
}

/** `fundmix plan optimise`: the programme optimiser (README "Programme optimiser"). */
export function registerPlan(
  program: Command,
  io: CliIo = processIo(),
  runner: RunnerOptions = {},
): void {
  const plan = program
    .command('plan')
    .description('Programme planning: choose projects, scenarios and start years under the limits');
  plan
    .command('optimise')
    .description(
      "Optimise a portfolio's programme under its fiscal settings (windows: modelled start + 2 years; no envelope unless given in --request)",
    )
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .option('--portfolio <name>', 'portfolio name, or a part of it (default: the only portfolio)')
    .option(
      '--request <json>',
      'the request as the API takes it, e.g. \'{"years":[{"year":2027,"generalBudgetEnvelopeYuan":"600000000"}]}\'',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .action(async (opts: { db?: string; portfolio?: string; request?: string; format: string }) => {
      let body: unknown = {};
      if (opts.request !== undefined) {
        try {
          body = JSON.parse(opts.request) as unknown;
        } catch {
          throw new ValidationError([
            { path: '--request', message: '--request is not valid JSON' },
          ]);
        }
      }
      await withStore(
        resolveDbPath(opts.db, io),
        io,
        { create: false, engine: { simulate, version: ENGINE_VERSION } },
        async ({ store }) => {
          const portfolio = choosePortfolio(store, opts.portfolio);
          const pool = new MonteCarloRunner({ ...runner, workers: 1 });
          try {
            const out = await optimisePlanAsOperator(store, pool, portfolio.id, body);
            const json = planJson(out);
            io.out(opts.format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : planTable(json));
          } finally {
            await pool.close();
          }
        },
      );
    });
}
