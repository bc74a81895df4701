import { Option, type Command } from 'commander';
import { simulate } from '../../domain/engine/simulate';
import { ENGINE_VERSION } from '../../domain/engine/types';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { checkText } from '../../domain/text';
import { portfolioFiscalReport, type Portfolio, type Store } from '../../store';
import { renderFiscalTable } from '../format/fiscal-table';
import { processIo, resolveDbPath, withStore, type CliIo } from './store-common';

/** Collects a repeatable option's values. */
const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `--switch CODE=SCENARIO` as a switches map (scenario by name, or by id when digits name no
 * scenario of the project).
 * @throws ValidationError for a switch without `=`, or a project given twice
 */
export function parseSwitches(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  for (const arg of args) {
    const at = arg.indexOf('=');
    const code = at > 0 ? arg.slice(0, at).trim() : '';
    const scenario = at > 0 ? arg.slice(at + 1).trim() : '';
    const refused = checkText('What-if switch', arg, 'single-line');
    if (refused) {
      issues.push({ path: '--switch', message: refused });
    } else if (!code || !scenario) {
      issues.push({
        path: '--switch',
        message: `Write it as PROJECT-CODE=SCENARIO NAME, e.g. SC-TRANSPORT="PPP with construction subsidy" (got ${JSON.stringify(arg)})`,
      });
    } else if (code in out) {
      issues.push({ path: '--switch', message: `Project ${code} is switched twice` });
    } else out[code] = scenario;
  }
  if (issues.length > 0) throw new ValidationError(issues, 'The what-if switches are not valid');
  return out;
}

/**
 * The portfolio named: exactly, else the only one whose name contains the text (any case); the
 * only portfolio when no name is given.
 * @throws ValidationError naming the portfolios to choose from
 */
export function choosePortfolio(store: Store, name: string | undefined): Portfolio {
  const refused = name === undefined ? null : checkText('Portfolio name', name, 'single-line');
  if (refused)
    throw new ValidationError([{ path: '--portfolio', message: refused }], 'Which portfolio?');
  const all = store.portfolios.list();
  const names = all.map((p) => `"${p.name}"`).join(', ') || '(none)';
  if (name === undefined) {
    if (all.length === 1) return all[0] as Portfolio;
    throw new ValidationError(
      [{ path: '--portfolio', message: `Choose a portfolio: ${names}` }],
      all.length === 0 ? 'The database has no portfolio' : 'Which portfolio?',
    );
  }
  const exact = all.find((p) => p.name === name);
  if (exact) return exact;
  const matches = all.filter((p) => p.name.toLowerCase().includes(name.trim().toLowerCase()));
  if (matches.length === 1) return matches[0] as Portfolio;
  throw new ValidationError(
    [
      {
        path: '--portfolio',
        message: `${matches.length === 0 ? 'No' : 'More than one'} portfolio matches "${name}": choose from ${names}`,
      },
    ],
    'Which portfolio?',
  );
}

/** `fundmix fiscal report`: PPP affordability, bonds, VfM and the rules checklist of a portfolio. */
export function registerFiscal(program: Command, io: CliIo = processIo()): void {
  const fiscal = program
    .command('fiscal')
    .description('Government fiscal analytics: PPP affordability cap, value for money, bond rules');

  fiscal
    .command('report')
    .description(
      'Print the PPP affordability table (obligations against the budget, the 10 % cap and the 5 % line) and the failing checks of a portfolio',
    )
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .option('--portfolio <name>', 'portfolio name, or a part of it (default: the only portfolio)')
    .option(
      '--switch <code=scenario>',
      'what-if: use another scenario of a project, e.g. --switch SC-TRANSPORT="PPP+建设期补助 PPP with construction subsidy" (repeatable; nothing is saved)',
      collect,
      [],
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--no-stress', 'skip the bond revenue stress cases (−10 %, −20 %)')
    .action(
      async (opts: {
        db?: string;
        portfolio?: string;
        switch: string[];
        format: 'table' | 'json';
        stress: boolean;
      }) => {
        const switches = parseSwitches(opts.switch);
        await withStore(
          resolveDbPath(opts.db, io),
          io,
          // Results not cached yet are computed and cached, as the web app does.
          { create: false, engine: { simulate, version: ENGINE_VERSION } },
          ({ store }) => {
            const portfolio = choosePortfolio(store, opts.portfolio);
            const report = portfolioFiscalReport(store, portfolio.id, {
              switches,
              bondStress: opts.stress,
            });
            io.out(
              opts.format === 'json'
                ? `${JSON.stringify(report, null, 2)}\n`
                : renderFiscalTable(report),
            );
          },
        );
      },
    );
}
