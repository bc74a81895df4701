import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors';
import { FundMixError } from '../../domain/errors';
import {
  AuditBrokenError,
  DatabaseDamagedError,
  NotADatabaseError,
  pageProblems,
  storageFailureKind,
  type Db,
} from '../../store';
import { rerunVersion, type RerunOutcome } from '../../app/rerun';
import { processIo, resolveDbPath, withStore, type CliIo } from './store-common';

const ANCHOR = /^(\d+):([0-9a-f]{64})$/;
const RESTORE = 'Restore a backup with `fundmix restore PATH`.';

/**
 * Damaged pages the audit check may not read (free pages, indexes) make verification fail too.
 * @throws DatabaseDamagedError when `PRAGMA quick_check` finds a problem
 */
function assertIntact(db: Db, path: string): void {
  const problems = pageProblems(db);
  if (problems.length > 0) throw new DatabaseDamagedError(problems.join('; '), path);
}

/** A file that is no FundMix database, or a damaged one: a message and exit status 1, not a stack. */
function unusableFile(err: unknown, file: string): unknown {
  if (err instanceof NotADatabaseError)
    return new FundMixError(
      'not-a-database',
      `${file} is not a FundMix database (${err.issues[0]?.message ?? 'unreadable'})`,
      {},
      `${RESTORE} Or give --db the right file.`,
    );
  if (storageFailureKind(err) === 'damaged')
    return new DatabaseDamagedError((err as Error).message, file);
  return err;
}

/** `fundmix audit verify` and `fundmix audit log`. */
export function registerAudit(program: Command, io: CliIo = processIo()): void {
  const audit = program.command('audit').description('Check and read the tamper-evident audit log');

  audit
    .command('verify')
    .description(
      'Verify the hash chain and that every stored row matches its history (exit 0 when intact)',
    )
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .option(
      '--expect-head <id:hash>',
      'also require entry ID to have HASH, as noted at an earlier verify (detects truncation)',
    )
    .action(async (opts: { db?: string; expectHead?: string }) => {
      try {
        await verify(opts);
      } catch (err) {
        throw unusableFile(err, resolveDbPath(opts.db, io));
      }
    });

  async function verify(opts: { db?: string; expectHead?: string }): Promise<void> {
    const anchor = opts.expectHead === undefined ? null : ANCHOR.exec(opts.expectHead.trim());
    if (opts.expectHead !== undefined && !anchor) {
      throw new ValidationError([
        { path: '--expect-head', message: 'Write it as ID:HASH, e.g. 42:3f5a… (64 hex digits)' },
      ]);
    }
    const file = resolveDbPath(opts.db, io);
    await withStore(file, io, { create: false }, ({ db, store, path }) => {
      assertIntact(db, path);
      const report = store.audit.verify();
      if (anchor) {
        const id = Number(anchor[1]);
        const hash = db.prepare('SELECT hash FROM audit_log WHERE id = ?').pluck().get(id) as
          string | undefined;
        if (hash !== anchor[2]) {
          report.ok = false;
          report.problems.unshift({
            entryId: id,
            code: 'anchor-mismatch',
            message:
              hash === undefined
                ? `entry ${id}, noted earlier, no longer exists`
                : `entry ${id} no longer has the hash noted earlier`,
          });
          report.firstBrokenEntryId = Math.min(id, report.firstBrokenEntryId ?? id);
        }
      }
      if (!report.ok) {
        io.err(`Audit verification FAILED for ${path}:\n`);
        for (const p of report.problems) io.err(`  - ${p.message}\n`);
        throw new AuditBrokenError(report, `at ${path}`);
      }
      io.out(`Audit chain intact: ${report.entries} entries in ${path}\n`);
      io.out(
        `Head: ${report.headId === null ? '(empty log)' : `${report.headId}:${report.headHash}`}\n`,
      );
    });
  }

  audit
    .command('rerun')
    .description(
      'Re-run a stored version from its inputs and compare every figure with the stored result (exit 0 reproduced, 1 differs or tampered)',
    )
    .requiredOption('--version <id>', 'the scenario version id (as in /versions/ID)')
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .action(async (opts: { db?: string; version: string }) => {
      if (!/^[1-9]\d{0,14}$/.test(opts.version.trim()))
        throw new ValidationError([
          { path: '--version', message: 'Give a version id, a whole number 1 or more' },
        ]);
      const id = Number(opts.version.trim());
      await withStore(resolveDbPath(opts.db, io), io, { create: false }, ({ store }) => {
        printRerun(rerunVersion(store, id), io);
      });
    });

  audit
    .command('log')
    .description('Print the newest audit entries')
    .option('--db <path>', 'database file (default: $FUNDMIX_DB or data/fundmix.db)')
    .option('--limit <n>', 'how many entries', '20')
    .option(
      '--entity <entity>',
      'only this entity (project, scenario, scenario-version, portfolio, database)',
    )
    .action(async (opts: { db?: string; limit: string; entity?: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new ValidationError([
          { path: '--limit', message: 'Give a whole number of entries, 1 or more' },
        ]);
      await withStore(resolveDbPath(opts.db, io), io, { create: false }, ({ store }) => {
        for (const e of store.audit.list({ limit, entity: opts.entity })) {
          io.out(
            `${e.id}\t${e.at}\t${e.actor}\t${e.action} ${e.entity}${e.entityId === null ? '' : ` ${e.entityId}`}\t${JSON.stringify(e.details)}\n`,
          );
        }
      });
    });
}

/**
 * Prints a re-run outcome; a difference or tampered inputs end with exit status 1.
 * @throws FundMixError `rerun-differs`, `inputs-tampered`, `no-stored-result` (nothing verified)
 */
function printRerun(o: RerunOutcome, io: CliIo): void {
  if (o.status === 'tampered') {
    io.out(`Version ${o.versionId}: TAMPERED, the stored inputs no longer match their hash\n`);
    io.out(`  stored hash: ${o.storedHash}\n  actual hash: ${o.actualHash}\n`);
    throw new FundMixError('inputs-tampered', `Version ${o.versionId} is tampered`);
  }
  if (o.status === 'no-stored-result') {
    io.out(
      `Version ${o.versionId}: no stored result to compare with (engine ${o.engineVersion})\n`,
    );
    throw new FundMixError('no-stored-result', `Version ${o.versionId} has no stored result`);
  }
  if (o.storedEngineVersion !== o.engineVersion)
    io.out(
      `Stored result from engine ${o.storedEngineVersion}; re-run with engine ${o.engineVersion}\n`,
    );
  io.out(`${o.reproduced} of ${o.figures} figures reproduced (engine ${o.engineVersion})\n`);
  if (o.status === 'reproduced') return;
  for (const d of o.differences)
    io.out(`  ${d.path}: stored ${d.stored ?? '(missing)'}, now ${d.now ?? '(missing)'}\n`);
  throw new FundMixError(
    'rerun-differs',
    `${o.differences.length} figure(s) of version ${o.versionId} differ from the stored result`,
  );
}
