import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { simulate } from '../../domain/engine/simulate';
import { scenarioWorkbook } from '../../store/xlsx/scenario-workbook';
import { readScenarioFile } from './simulate';
import { processIo, type CliIo } from './store-common';

/**
 * `fundmix export-xlsx FILE.json --out OUT.xlsx`: the scenario workbook of a scenario file
 * (Inputs, Ledger, Notes). The `--version ID` form (a stored version) is not done yet.
 */
export function registerExportXlsx(program: Command, io: CliIo = processIo()): void {
  program
    .command('export-xlsx')
    .description('Write the Excel workbook of a scenario file (Inputs, Ledger, Notes)')
    .argument('<file>', 'scenario file (JSON, format fundmix-scenario@2 or @1)')
    .requiredOption('--out <file>', 'the .xlsx file to write')
    .addOption(
      new Option('--lang <lang>', 'language of labels').choices(['en', 'zh']).default('zh'),
    )
    .addOption(
      new Option('--unit <unit>', 'display unit of amounts')
        .choices(['yuan', 'wan', 'yi'])
        .default('yuan'),
    )
    .action(
      async (
        file: string,
        opts: { out: string; lang: 'en' | 'zh'; unit: 'yuan' | 'wan' | 'yi' },
      ) => {
        const scenario = readScenarioFile(path.resolve(io.cwd(), file));
        const bytes = await scenarioWorkbook(scenario, simulate(scenario), opts);
        writeFileSync(path.resolve(io.cwd(), opts.out), bytes);
      },
    );
}
