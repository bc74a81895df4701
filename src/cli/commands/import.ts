import fs from 'node:fs';
import type { Command } from 'commander';
import { importFiles, type Store, type TransferFile } from '../../store';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { inputsToSave, readScenarioWorkbook } from '../../store/xlsx/read-workbook';
import { readInputFiles, type InputFile } from './input-files';
import {
  checkedArgument,
  processIo,
  resolveActor,
  resolveDbPath,
  withStore,
  type CliIo,
} from './store-common';

/** `fundmix import FILE|DIR...`: scenario files, exported histories and portfolio files, all or nothing. */
export function registerImport(program: Command, io: CliIo = processIo()): void {
  program
    .command('import')
    .description(
      'Import scenario files, exported scenario histories and portfolio files (all or nothing)',
    )
    .argument(
      '<files...>',
      'JSON files, Excel workbooks (*.xlsx: a filled template or an exported workbook), or directories to search for *.json',
    )
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .option('--comment <text>', 'comment for versions made from plain scenario files')
    .action(async (args: string[], opts: { db?: string; comment?: string }) => {
      const files = readInputFiles(args, io);
      const actor = resolveActor(io);
      const comment =
        opts.comment === undefined
          ? undefined
          : checkedArgument('--comment', 'Comment', opts.comment, 'multi-line');
      const file = resolveDbPath(opts.db, io);
      const isNew = !fs.existsSync(file);
      try {
        await importInto(file, files, actor, comment, io);
      } catch (err) {
        // A failed import into a database that did not exist leaves no empty file behind either.
        if (isNew)
          for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
        throw err;
      }
    });
}

async function importInto(
  file: string,
  files: InputFile[],
  actor: string,
  comment: string | undefined,
  io: CliIo,
): Promise<void> {
  await withStore(file, io, { create: true }, async ({ store, path }) => {
    const report = importFiles(store, await withWorkbooksRead(store, files), { actor, comment });
    for (const f of report.files) io.out(`${f.file}: ${f.summary}\n`);
    io.out(
      `Imported ${files.length} file(s) into ${path}: ${report.versionsCreated} version(s), ${report.scenariosCreated} new scenario(s), ` +
        `${report.projectsCreated} new project(s), ${report.portfoliosCreated} new and ${report.portfoliosUpdated} updated portfolio(s)\n`,
    );
  });
}

/**
 * The files to import with each workbook (`*.xlsx`) turned into the scenario file of its
 * Inputs sheet (README "Excel workbooks", Import), which then imports like any scenario file
 * (the current version's own inputs when the workbook equals them by value: no new version).
 * @throws ValidationError naming every refused cell of every workbook (`FILE: Inputs!B12`)
 */
async function withWorkbooksRead(store: Store, files: InputFile[]): Promise<TransferFile[]> {
  const issues: FieldIssue[] = [];
  const out: TransferFile[] = [];
  for (const f of files) {
    if (!/\.xlsx$/i.test(f.name)) {
      out.push({ name: f.name, text: f.text });
      continue;
    }
    try {
      const input = inputsToSave(store, await readScenarioWorkbook(f.bytes));
      out.push({ name: f.name, text: JSON.stringify(input) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const i of err.issues)
        issues.push({
          path: i.path === 'file' ? f.name : `${f.name}: ${i.path}`,
          message: i.message,
        });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, 'The workbooks are not valid');
  return out;
}
