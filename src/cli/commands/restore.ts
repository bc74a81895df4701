import path from 'node:path';
import type { Command } from 'commander';
import { restoreDatabase } from '../../store';
import { processIo, resolveActor, resolveDbPath, type CliIo } from './store-common';

/** `fundmix restore PATH`: replaces the database with a verified backup, keeping the old one. */
export function registerRestore(program: Command, io: CliIo = processIo()): void {
  program
    .command('restore')
    .description(
      'Replace the database with the backup at PATH, after checking it is an intact FundMix database',
    )
    .argument('<path>', 'backup file made by `fundmix backup`')
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .action(async (source: string, opts: { db?: string }) => {
      const report = await restoreDatabase(
        resolveDbPath(opts.db, io),
        path.resolve(io.cwd(), source),
        {
          actor: resolveActor(io),
          clock: () => io.clock(),
        },
      );
      if (report.previousSavedAs)
        io.out(`Saved the previous database as ${report.previousSavedAs}\n`);
      io.out(
        `Restored ${report.target} from ${report.source}: ${report.audit.entries} audit entries verified` +
          `${report.migrationsApplied ? `, ${report.migrationsApplied} migration(s) applied` : ''}\n`,
      );
    });
}
