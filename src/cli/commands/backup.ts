import path from 'node:path';
import type { Command } from 'commander';
import { backupDatabase } from '../../store';
import { processIo, resolveDbPath, withStore, type CliIo } from './store-common';

/** `fundmix backup PATH`: online backup, safe while the app is running. */
export function registerBackup(program: Command, io: CliIo = processIo()): void {
  program
    .command('backup')
    .description('Copy the database to PATH with an online backup (safe while FundMix is running)')
    .argument('<path>', 'backup file to create')
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .option('--force', 'overwrite PATH if it exists')
    .action(async (dest: string, opts: { db?: string; force?: boolean }) => {
      await withStore(
        resolveDbPath(opts.db, io),
        io,
        { create: false },
        async ({ db, path: from }) => {
          const report = await backupDatabase(db, path.resolve(io.cwd(), dest), {
            overwrite: opts.force === true,
          });
          io.out(`Backed up ${from} to ${report.path} (${report.pages} pages, integrity ok)\n`);
        },
      );
    });
}
