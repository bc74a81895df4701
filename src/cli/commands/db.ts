import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createStore, migrate, migrationStatus, openDatabase, seedDemoIfEmpty } from '../../store';
import { DEFAULT_DEMO_DIR, processIo, resolveDbPath, type CliIo } from './store-common';

/** `fundmix db migrate` and `fundmix db status`. */
export function registerDb(program: Command, io: CliIo = processIo()): void {
  const db = program.command('db').description('Database maintenance');

  db.command('migrate')
    .description('Create or upgrade the database; a new empty database gets the demo programme')
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .option('--no-demo', 'do not seed the demo programme into an empty database')
    .option(
      '--demo-dir <dir>',
      'demo data directory (default: data/demo of the FundMix installation)',
    )
    .action(async (opts: { db?: string; demo: boolean; demoDir?: string }) => {
      const file = resolveDbPath(opts.db, io);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const conn = openDatabase(file);
      try {
        const applied = migrate(conn);
        const status = migrationStatus(conn);
        io.out(
          applied.length > 0
            ? `Applied ${applied.map((m) => `${String(m.id).padStart(4, '0')}-${m.name}`).join(', ')} to ${file}\n`
            : `${file} is up to date (${status.applied.length} migration(s))\n`,
        );
        if (opts.demo) {
          const dir = opts.demoDir ? path.resolve(io.cwd(), opts.demoDir) : DEFAULT_DEMO_DIR();
          const seeded = seedDemoIfEmpty(createStore(conn, { clock: () => io.clock() }), dir);
          if (seeded.seeded && seeded.report) {
            io.out(
              `Seeded the demo programme: ${seeded.report.projectsCreated} projects, ${seeded.report.scenariosCreated} scenarios, ${seeded.report.portfoliosCreated} portfolios\n`,
            );
          }
        }
      } finally {
        conn.close();
      }
    });

  db.command('status')
    .description('Show the database file, its migrations and what it holds')
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .action(async (opts: { db?: string }) => {
      const file = resolveDbPath(opts.db, io);
      const conn = openDatabase(file, { fileMustExist: true });
      try {
        const status = migrationStatus(conn);
        io.out(`Database: ${file}\n`);
        io.out(`Migrations applied: ${status.applied.map((m) => m.id).join(', ') || 'none'}\n`);
        if (status.pending.length)
          io.out(
            `Pending: ${status.pending.map((m) => m.id).join(', ')} (run \`fundmix db migrate\`)\n`,
          );
        if (status.unknown.length)
          io.out(
            `Unknown (newer FundMix?): ${status.unknown.map((m) => `${m.id}-${m.name}`).join(', ')}\n`,
          );
        if (status.pending.length === 0 && status.unknown.length === 0) {
          const count = (t: string) =>
            conn.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
          io.out(
            `Projects ${count('projects')}, scenarios ${count('scenarios')}, versions ${count('scenario_versions')}, ` +
              `portfolios ${count('portfolios')}, audit entries ${count('audit_log')}, cached results ${count('results_cache')}\n`,
          );
        }
      } finally {
        conn.close();
      }
    });
}
