import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { ValidationError } from '../../domain/errors';
import { parseScenarioText } from '../../domain/scenario/parse';
import { simulate } from '../../domain/engine/simulate';
import { ledgerCsv } from '../../domain/engine/ledger-table';
import { renderResultTable } from '../format/result-table';
import { processIo, type CliIo } from './store-common';

/** Reads a scenario file; a missing or unreadable file is bad input (exit 2), not a crash. */
export function readScenarioFile(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ValidationError(
      [
        {
          path: '',
          message: `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        },
      ],
      `Cannot read the scenario file`,
    );
  }
  try {
    return parseScenarioText(text);
  } catch (err) {
    if (err instanceof ValidationError)
      throw new ValidationError(err.issues, `${file}: the scenario is not valid`);
    throw err;
  }
}

interface SimulateOptions {
  format: 'table' | 'json' | 'csv';
  headers: 'labels' | 'codes';
  lang: 'en' | 'zh';
}

export function registerSimulate(program: Command, io: CliIo = processIo()): void {
  program
    .command('simulate')
    .description('Simulate one scenario file and print its metrics and annual ledger')
    .argument('<file>', 'scenario file (JSON, format fundmix-scenario@2 or @1)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'json', 'csv'])
        .default('table'),
    )
    .addOption(
      new Option('--headers <headers>', 'CSV column names: line-item labels or machine codes')
        .choices(['labels', 'codes'])
        .default('labels'),
    )
    .addOption(
      new Option('--lang <lang>', 'language of the CSV labels').choices(['en', 'zh']).default('en'),
    )
    .action((file: string, opts: SimulateOptions) => {
      const scenario = readScenarioFile(path.resolve(io.cwd(), file));
      const result = simulate(scenario);
      const out =
        opts.format === 'json'
          ? JSON.stringify(
              {
                engineVersion: result.engineVersion,
                metrics: result.metrics,
                flags: result.flags,
                sources: result.sources,
                sourcesAndUses: result.sourcesAndUses,
                ledger: result.ledger,
              },
              null,
              2,
            ) + '\n'
          : opts.format === 'csv'
            ? ledgerCsv(result, { headers: opts.headers, lang: opts.lang })
            : renderResultTable(scenario, result);
      io.out(out);
    });
}
