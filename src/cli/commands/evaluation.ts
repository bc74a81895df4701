import { Option, type Command } from 'commander';
import { rankingJson, scoresForPortfolio, type PortfolioScores } from '../../app/evaluation-scores';
import { simulate } from '../../domain/engine/simulate';
import { ENGINE_VERSION } from '../../domain/engine/types';
import { choosePortfolio } from './fiscal';
import { processIo, resolveDbPath, withStore, type CliIo } from './store-common';

/** The ranking as a plain-text table: rank, project, scenario, score, missing data. */
export function renderRanking(r: PortfolioScores): string {
  const system =
    r.applied.source === 'defaults'
      ? 'editable defaults (GB/T 33356-2016 first level at 80 %, financial sustainability 20 %)'
      : `${r.applied.jurisdiction ?? ''} system v${r.applied.versionNo ?? 0}`;
  const rows = r.members.map((m) => [
    String(m.rank),
    m.projectCode,
    m.scenarioName,
    m.score.total.toFixed(2),
    String(m.score.missing.length),
  ]);
  const head = ['rank', 'project', 'scenario', 'score', 'missing'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 3 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return (
    [`${r.portfolio.name} · scored by the ${system}`, line(head), ...rows.map(line)].join('\n') +
    '\n'
  );
}

/** `fundmix evaluation score`: a portfolio ranked by score, as a table or as the API's JSON. */
export function registerEvaluation(program: Command, io: CliIo = processIo()): void {
  const evaluation = program
    .command('evaluation')
    .description('The evaluation index system: project scores (README "Evaluation index system")');
  evaluation
    .command('score')
    .description("Rank a portfolio's projects by their evaluation score, highest first")
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .option('--portfolio <name>', 'portfolio name, or a part of it (default: the only portfolio)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .action(async (opts: { db?: string; portfolio?: string; format: 'table' | 'json' }) => {
      await withStore(
        resolveDbPath(opts.db, io),
        io,
        { create: false, engine: { simulate, version: ENGINE_VERSION } },
        ({ store }) => {
          const r = scoresForPortfolio(store, choosePortfolio(store, opts.portfolio).id);
          io.out(
            opts.format === 'json'
              ? `${JSON.stringify(rankingJson(r), null, 2)}\n`
              : renderRanking(r),
          );
        },
      );
    });
}
