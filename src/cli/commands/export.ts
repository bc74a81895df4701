import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors';
import { exportFiles } from '../../store';
import { processIo, resolveDbPath, withStore, type CliIo } from './store-common';

/** `fundmix export --out DIR [--project CODE]`: one history file per scenario, re-importable byte for byte. */
export function registerExport(program: Command, io: CliIo = processIo()): void {
  program
    .command('export')
    .description('Export every scenario with all its versions (and the portfolios) as JSON files')
    .requiredOption('--out <dir>', 'directory to write to (must be empty or not exist)')
    .option('--project <code>', 'only this project (no portfolios file)')
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .action(async (opts: { out: string; project?: string; db?: string }) => {
      const outDir = path.resolve(io.cwd(), opts.out);
      if (
        fs.existsSync(outDir) &&
        (!fs.statSync(outDir).isDirectory() || fs.readdirSync(outDir).length > 0)
      ) {
        throw new ValidationError(
          [{ path: opts.out, message: 'The output directory must be empty or not exist yet' }],
          'Cannot export',
        );
      }
      await withStore(resolveDbPath(opts.db, io), io, { create: false }, ({ store }) => {
        const files = exportFiles(store, { projectCode: opts.project });
        for (const f of files) {
          const target = path.join(outDir, f.name);
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.writeFileSync(target, f.text, { flag: 'wx' });
        }
        const scenarios = files.filter((f) => f.name !== 'portfolios.json').length;
        io.out(
          `Exported ${scenarios} scenario(s)${files.length > scenarios ? ' and the portfolios' : ''} to ${outDir}\n`,
        );
      });
    });
}
