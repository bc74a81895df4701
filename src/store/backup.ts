import fs from 'node:fs';
import path from 'node:path';
import { FundMixError, ValidationError } from '../domain/errors';
import { NotADatabaseError, UnknownMigrationError } from './errors';
import { FUNDMIX_APPLICATION_ID, migrate, migrationStatus } from './migrate';
import { openDatabase, type Db } from './open';
import { verifyAudit } from './repos/audit';
import { createStore, storeInternals } from './store';
import type { AuditReport } from './types';

export interface BackupReport {
  path: string;
  pages: number;
}

/**
 * Copies a live database to `destPath` with SQLite's online backup, which gives a consistent
 * snapshot while other connections keep reading and writing. The copy is a single self-contained
 * file (rollback journal, no -wal) and is checked with `PRAGMA quick_check`.
 * @throws ValidationError when `destPath` exists (and `overwrite` is not set) or its directory does not
 */
export async function backupDatabase(
  db: Db,
  destPath: string,
  opts: { overwrite?: boolean } = {},
): Promise<BackupReport> {
  const dest = path.resolve(destPath);
  if (!fs.existsSync(path.dirname(dest)))
    throw new ValidationError(
      [{ path: destPath, message: 'The directory does not exist' }],
      'Cannot write the backup',
    );
  if (fs.existsSync(dest) && !opts.overwrite) {
    throw new ValidationError(
      [{ path: destPath, message: 'A file with this name exists already; choose another name' }],
      'Cannot write the backup',
    );
  }
  if (path.resolve(db.name) === dest)
    throw new ValidationError(
      [{ path: destPath, message: 'This is the database itself' }],
      'Cannot write the backup',
    );
  const progress = await db.backup(dest);
  const copy = openDatabase(dest, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok')
      throw new FundMixError(
        'backup-failed',
        `The backup at ${dest} failed its integrity check: ${String(check)}`,
      );
  } finally {
    copy.close();
  }
  return { path: dest, pages: progress.totalPages };
}

export interface InspectReport {
  path: string;
  migrations: number;
  pendingMigrations: number;
}

/**
 * Checks, read-only, that a file is a sound FundMix database this code can use.
 * @throws NotFoundError, NotADatabaseError, UnknownMigrationError
 */
export function inspectDatabase(file: string): InspectReport {
  const db = openDatabase(file, { readonly: true });
  try {
    if (db.pragma('application_id', { simple: true }) !== FUNDMIX_APPLICATION_ID) {
      throw new NotADatabaseError(file, 'it is an SQLite file but was not written by FundMix');
    }
    const problems = db.pragma('integrity_check', { simple: false }) as Array<{
      integrity_check: string;
    }>;
    if (problems.length !== 1 || problems[0]?.integrity_check !== 'ok') {
      throw new NotADatabaseError(
        file,
        `it is damaged (${problems
          .map((p) => p.integrity_check)
          .slice(0, 3)
          .join('; ')})`,
      );
    }
    const status = migrationStatus(db);
    if (status.unknown.length > 0) throw new UnknownMigrationError(status.unknown, `at ${file}`);
    return {
      path: file,
      migrations: status.applied.length,
      pendingMigrations: status.pending.length,
    };
  } finally {
    db.close();
  }
}

export interface RestoreReport {
  source: string;
  target: string;
  /** Where the database that was replaced was saved first (null when there was none). */
  previousSavedAs: string | null;
  migrationsApplied: number;
  audit: AuditReport;
}

export class AuditBrokenError extends FundMixError {
  constructor(
    readonly report: AuditReport,
    where: string,
  ) {
    const first = report.problems[0];
    super(
      'audit-chain-broken',
      `The history ${where} fails verification${report.firstBrokenEntryId !== null ? ` from entry ${report.firstBrokenEntryId}` : ''}: ${first?.message ?? ''}`,
      { problems: report.problems },
    );
  }
}

/**
 * Replaces the database at `target` with the backup at `source`, but only after checking the
 * backup on a scratch copy: a FundMix database, intact, no unknown migrations (older ones are
 * migrated), and an audit history that verifies. The replaced database is first saved next to
 * it as `NAME.before-restore-TIME.db`, and the restore is recorded in the restored audit log.
 * The copy into `target` uses the online backup API, so connections that have it open see
 * either the old or the new database, never a mix.
 * @throws NotFoundError, NotADatabaseError, UnknownMigrationError, AuditBrokenError; `target` is untouched then
 */
export async function restoreDatabase(
  target: string,
  source: string,
  opts: { actor: string; clock: () => Date },
): Promise<RestoreReport> {
  const targetPath = path.resolve(target);
  const sourcePath = path.resolve(source);
  if (targetPath === sourcePath)
    throw new ValidationError(
      [{ path: source, message: 'This is the database itself' }],
      'Cannot restore',
    );
  inspectDatabase(sourcePath);
  const stamp = opts.clock().toISOString().replace(/[:.]/g, '-');
  const scratch = `${targetPath}.restore-${process.pid}-${stamp}.tmp`;
  const cleanup = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      fs.rmSync(`${scratch}${suffix}`, { force: true });
  };
  try {
    const src = openDatabase(sourcePath, { readonly: true });
    try {
      await src.backup(scratch);
    } finally {
      src.close();
    }
    const tmp = openDatabase(scratch, { fileMustExist: true });
    let applied = 0;
    try {
      applied = migrate(tmp).length;
      const before = verifyAudit(tmp);
      if (!before.ok) throw new AuditBrokenError(before, `in ${sourcePath}`);

      let previousSavedAs: string | null = null;
      if (fs.existsSync(targetPath)) {
        previousSavedAs = `${targetPath}.before-restore-${stamp}.db`;
        const current = openDatabase(targetPath, { fileMustExist: true });
        try {
          await backupDatabase(current, previousSavedAs);
        } finally {
          current.close();
        }
      }
      const store = createStore(tmp, { clock: opts.clock });
      const { ctx } = storeInternals(store);
      ctx.write(() =>
        ctx.appendAudit({
          actor: opts.actor,
          action: 'restore',
          entity: 'database',
          entityId: null,
          details: {
            source: path.basename(sourcePath),
            sourceEntries: before.entries,
            sourceHeadHash: before.headHash,
            previousSavedAs: previousSavedAs === null ? null : path.basename(previousSavedAs),
          },
        }),
      );
      await tmp.backup(targetPath);
      const restored = openDatabase(targetPath, { fileMustExist: true });
      try {
        const audit = verifyAudit(restored);
        if (!audit.ok) throw new AuditBrokenError(audit, `at ${targetPath} after the restore`);
        return {
          source: sourcePath,
          target: targetPath,
          previousSavedAs,
          migrationsApplied: applied,
          audit,
        };
      } finally {
        restored.close();
      }
    } finally {
      tmp.close();
    }
  } finally {
    cleanup();
  }
}
