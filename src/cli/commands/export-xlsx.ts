import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { simulate } from '../../domain/engine/simulate';
import { ValidationError } from '../../domain/errors';
import { parseScenario } from '../../domain/scenario/parse';
import type { Scenario } from '../../domain/scenario/schema';
import { scenarioWorkbook } from '../../store/xlsx/scenario-workbook';
import { readScenarioFile } from './simulate';
import { processIo, resolveDbPath, withStore, type CliIo } from './store-common';

interface ExportXlsxOptions {
  out: string;
  lang: 'en' | 'zh';
  unit: 'yuan' | 'wan' | 'yi';
  version?: string;
  db?: string;
}

const badArguments = (message: string) =>
  new ValidationError([{ path: '--version', message }], 'The arguments are not valid');

/** The stored version's scenario, read from the database (nothing is written). */
async function storedScenario(opts: ExportXlsxOptions, io: CliIo): Promise<Scenario> {
  const text = opts.version!.trim();
  if (!/^[1-9]\d{0,14}$/.test(text))
    throw badArguments('Give a version id, a whole number 1 or more');
  return withStore(resolveDbPath(opts.db, io), io, { create: false }, ({ store }) =>
    parseScenario(store.scenarios.version(Number(text)).inputs),
  );
}

/**
 * `fundmix export-xlsx FILE.json --out OUT.xlsx` or `fundmix export-xlsx --version ID --out
 * OUT.xlsx`: the scenario workbook (README "Excel workbooks") of a scenario file or of a stored
 * version (`--db`, as the other store commands).
 */
export function registerExportXlsx(program: Command, io: CliIo = processIo()): void {
  program
    .command('export-xlsx')
    .description('Write the Excel workbook of a scenario file or of a stored version')
    .argument('[file]', 'scenario file (JSON, format fundmix-scenario@2 or @1)')
    .option('--version <id>', 'a stored scenario version instead of a file (as in /versions/ID)')
    .option('--db <path>', 'database file for --version (default: $FUNDMIX_DB or data/fundmix.db)')
    .requiredOption('--out <file>', 'the .xlsx file to write')
    .addOption(
      new Option('--lang <lang>', 'language of labels').choices(['en', 'zh']).default('zh'),
    )
    .addOption(
      new Option('--unit <unit>', 'display unit of amounts')
        .choices(['yuan', 'wan', 'yi'])
        .default('yuan'),
    )
    .action(async (file: string | undefined, opts: ExportXlsxOptions) => {
      if ((file === undefined) === (opts.version === undefined))
        throw badArguments('Give either a scenario FILE or --version ID, not both or neither');
      const scenario =
        file === undefined
          ? await storedScenario(opts, io)
          : readScenarioFile(path.resolve(io.cwd(), file));
      const bytes = await scenarioWorkbook(scenario, simulate(scenario), {
        lang: opts.lang,
        unit: opts.unit,
      });
      writeFileSync(path.resolve(io.cwd(), opts.out), bytes);
    });
}
