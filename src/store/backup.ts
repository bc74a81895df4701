import fs from 'node:fs';
import path from 'node:path';
import { FundMixError, NotFoundError, ValidationError } from '../domain/errors';
import { NotADatabaseError, UnknownMigrationError } from './errors';
import { fileKind } from './file-kind';
import { pageProblems } from './integrity';
import { FUNDMIX_APPLICATION_ID, migrate, migrationStatus } from './migrate';
import { MIGRATIONS } from './migrations';
import { openDatabase, type Db } from './open';
import { verifyAudit } from './repos/audit';
import { schemaDifferences } from './schema-check';
import { createStore, storeInternals } from './store';
import type { AuditReport } from './types';

export interface BackupReport {
  path: string;
  pages: number;
}

const cannotWrite = (destPath: string, message: string) =>
  new ValidationError([{ path: destPath, message }], 'Cannot write the backup');

/** The same file, also through symbolic links. */
function sameFile(a: string, b: string): boolean {
  const real = (p: string) => (fs.existsSync(p) ? fs.realpathSync(p) : path.resolve(p));
  return real(a) === real(b);
}

/**
 * Refuses, before anything is written, a backup path that cannot become a backup file.
 * @throws ValidationError naming what is wrong with `destPath`
 */
function checkBackupPath(db: Db, destPath: string, dest: string, overwrite: boolean): void {
  const dir = path.dirname(dest);
  const dirStat = fs.statSync(dir, { throwIfNoEntry: false });
  if (dirStat === undefined) throw cannotWrite(destPath, 'The directory does not exist');
  if (!dirStat.isDirectory()) throw cannotWrite(destPath, `${dir} is not a directory`);
  if (sameFile(db.name, dest)) throw cannotWrite(destPath, 'This is the database itself');
  const existing = fs.lstatSync(dest, { throwIfNoEntry: false });
  if (existing !== undefined && !existing.isFile())
    throw cannotWrite(destPath, `It is ${fileKind(existing)}; give the name of a file to create`);
  if (existing !== undefined && !overwrite)
    throw cannotWrite(destPath, 'A file with this name exists already; choose another name');
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw cannotWrite(destPath, `Cannot write into ${dir} (${errorCode(err)})`);
  }
}

const errorCode = (err: unknown) => {
  const { code, message } = err as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : String(message);
};

/**
 * Copies a live database to `destPath` with SQLite's online backup, which gives a consistent
 * snapshot while other connections keep reading and writing. The copy is a single self-contained
 * file (rollback journal, no -wal), checked with `PRAGMA quick_check`. It is written next to
 * `destPath` under a temporary name and renamed into place only once checked, so a failed backup
 * leaves nothing behind and never spoils a file that `overwrite` would have replaced.
 * @throws ValidationError when `destPath` exists (and `overwrite` is not set), is not a regular
 *   file, is the database itself, or its directory does not exist or is not writable
 * @throws FundMixError `backup-failed` when writing or checking the copy fails
 */
export async function backupDatabase(
  db: Db,
  destPath: string,
  opts: { overwrite?: boolean } = {},
): Promise<BackupReport> {
  const dest = path.resolve(destPath);
  checkBackupPath(db, destPath, dest, opts.overwrite === true);
  const partial = `${dest}.partial-${process.pid}`;
  const removePartial = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      fs.rmSync(`${partial}${suffix}`, { force: true });
  };
  try {
    const progress = await db.backup(partial);
    checkCopy(partial, dest);
    fs.renameSync(partial, dest);
    return { path: dest, pages: progress.totalPages };
  } catch (err) {
    if (err instanceof FundMixError) throw err;
    throw new FundMixError(
      'backup-failed',
      `Cannot write the backup to ${dest}: ${errorText(err)}`,
    );
  } finally {
    removePartial();
  }
}

function checkCopy(copyPath: string, dest: string): void {
  const copy = openDatabase(copyPath, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const [problem] = pageProblems(copy);
    if (problem !== undefined)
      throw new FundMixError(
        'backup-failed',
        `The backup at ${dest} failed its integrity check: ${problem}`,
      );
  } finally {
    copy.close();
  }
}

export interface InspectReport {
  path: string;
  migrations: number;
  pendingMigrations: number;
}

/** A FundMix database that cannot be restored as it is: damaged, or its schema was altered. */
export class UnusableBackupError extends FundMixError {
  constructor(
    code: 'backup-damaged' | 'backup-schema-mismatch',
    readonly file: string,
    readonly problems: string[],
  ) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` and ${problems.length - 5} more` : '';
    super(code, `The backup ${file} cannot be restored: ${shown}${more}. Nothing was changed`, {
      problems,
    });
  }
}

/**
 * SQLite errors met while reading a file under inspection, as FundMix errors: damage (corrupt
 * pages, read errors) or a file that cannot be opened. Anything else is rethrown.
 */
function asInspectError(err: unknown, file: string): unknown {
  if (err instanceof FundMixError) return err;
  const { code, message } = err as { code?: unknown; message?: unknown };
  const c = typeof code === 'string' ? code : '';
  if (/^SQLITE_(CORRUPT|NOTADB|IOERR)/.test(c) || /malformed/i.test(String(message)))
    return new UnusableBackupError('backup-damaged', file, [`it is damaged (${String(message)})`]);
  if (/^SQLITE_(CANTOPEN|PERM|AUTH)/.test(c))
    return new ValidationError(
      [{ path: file, message: `Cannot open it (${String(message)})` }],
      `Cannot read ${file}`,
    );
  return err;
}

/** The file must be there and be a regular file: SQLite would block on a FIFO, fail on a directory. */
function checkIsFile(file: string): void {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file, { throwIfNoEntry: false });
  } catch (err) {
    throw new ValidationError(
      [{ path: file, message: `Cannot read it (${errorCode(err)})` }],
      `Cannot read ${file}`,
    );
  }
  if (st === undefined) throw new NotFoundError('Database file', file);
  if (!st.isFile())
    throw new ValidationError(
      [{ path: file, message: `It is ${fileKind(st)}, not a database file` }],
      `${file} is not a usable FundMix database`,
    );
}

/**
 * Checks, read-only and completely, that a file is a sound FundMix database this code can use:
 * a regular file, SQLite, written by FundMix, `PRAGMA integrity_check` ok, only known migrations
 * (the first migrations this code knows, in its order), and exactly the schema (tables, columns, indexes, triggers)
 * those migrations create. The audit chain is verified by `restoreDatabase` on its copy.
 * @throws NotFoundError, NotADatabaseError, ValidationError (not a regular file, cannot be opened)
 * @throws UnknownMigrationError
 * @throws UnusableBackupError `backup-damaged` or `backup-schema-mismatch`
 */
export function inspectDatabase(file: string): InspectReport {
  checkIsFile(file);
  checkHeader(file);
  let db: Db;
  try {
    db = openDatabase(file, { readonly: true });
  } catch (err) {
    // The header is a FundMix one (checked above), so a file SQLite cannot read is damaged.
    if (err instanceof NotADatabaseError)
      throw new UnusableBackupError('backup-damaged', file, [
        `it is damaged (${err.issues[0]?.message ?? err.message})`,
      ]);
    throw asInspectError(err, file);
  }
  try {
    return inspectOpen(db, file);
  } catch (err) {
    throw asInspectError(err, file);
  } finally {
    db.close();
  }
}

/** SQLite's 16-byte magic string at the start of every database file. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Reads the 100-byte database header directly: an SQLite file (magic string) with FundMix's
 * application_id (big-endian at byte 68). Tells a file that is not ours from a damaged one.
 * @throws NotADatabaseError
 */
function checkHeader(file: string): void {
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  let n: number;
  try {
    n = fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (n < header.length || !header.subarray(0, 16).equals(SQLITE_MAGIC))
    throw new NotADatabaseError(file, 'it is not an SQLite database');
  if (header.readUInt32BE(68) !== FUNDMIX_APPLICATION_ID)
    throw new NotADatabaseError(file, 'it is an SQLite file but was not written by FundMix');
}

function inspectOpen(db: Db, file: string): InspectReport {
  if (db.pragma('application_id', { simple: true }) !== FUNDMIX_APPLICATION_ID) {
    throw new NotADatabaseError(file, 'it is an SQLite file but was not written by FundMix');
  }
  const problems = pageProblems(db, { full: true });
  if (problems.length > 0) {
    throw new UnusableBackupError('backup-damaged', file, [
      `it is damaged (${problems.slice(0, 3).join('; ')})`,
    ]);
  }
  const status = migrationStatus(db);
  if (status.unknown.length > 0) throw new UnknownMigrationError(status.unknown, `at ${file}`);
  const applied = status.applied.map((m) => m.id);
  // The records must be the first migrations this code knows, in its order (ids rise and may
  // skip a number not yet merged: see checkKnown in migrate.ts).
  if (applied.some((id, i) => id !== MIGRATIONS[i]?.id))
    throw new UnusableBackupError('backup-schema-mismatch', file, [
      `its migration records (${applied.join(', ')}) are not the first ${applied.length} migrations this FundMix knows`,
    ]);
  const differences = schemaDifferences(db, applied.length);
  if (differences.length > 0)
    throw new UnusableBackupError('backup-schema-mismatch', file, differences);
  return {
    path: file,
    migrations: status.applied.length,
    pendingMigrations: status.pending.length,
  };
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
 * backup completely: `inspectDatabase` on the file itself (regular file, SQLite, FundMix,
 * integrity, known migrations, exact schema), then on a scratch copy next to `target` older
 * migrations are applied, the schema compared again and the audit chain verified. Only then is
 * the replaced database saved next to it as `NAME.before-restore-TIME.db`, and the restore
 * recorded in the restored audit log. The copy into `target` uses the online backup API, so
 * connections that have it open see either the old or the new database, never a mix.
 * @throws NotFoundError, NotADatabaseError, ValidationError, UnknownMigrationError,
 *   UnusableBackupError, AuditBrokenError: `target` is untouched then and no copy is left
 * @throws FundMixError `restore-failed` when reading or writing fails on the way
 */
export async function restoreDatabase(
  target: string,
  source: string,
  opts: { actor: string; clock: () => Date },
): Promise<RestoreReport> {
  const targetPath = path.resolve(target);
  const sourcePath = path.resolve(source);
  checkRestoreTarget(target, targetPath);
  if (sameFile(targetPath, sourcePath))
    throw new ValidationError(
      [{ path: source, message: 'This is the database itself' }],
      'Cannot restore',
    );
  inspectDatabase(sourcePath);
  const stamp = opts.clock().toISOString().replace(/[:.]/g, '-');
  const scratch = `${targetPath}.restore-${process.pid}-${stamp}.tmp`;
  try {
    const checked = await checkedCopy(sourcePath, scratch);
    try {
      return await replaceWith(checked, { sourcePath, targetPath, stamp, ...opts });
    } finally {
      checked.db.close();
    }
  } catch (err) {
    if (err instanceof FundMixError) throw err;
    throw new FundMixError('restore-failed', `The restore failed: ${errorText(err)}`);
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      fs.rmSync(`${scratch}${suffix}`, { force: true });
  }
}

const errorText = (err: unknown) => {
  const { code, message } = err as { code?: unknown; message?: unknown };
  return `${String(message)}${typeof code === 'string' ? ` (${code})` : ''}`;
};

/** The database to replace may be missing, but its directory must exist and it must be a file. */
function checkRestoreTarget(target: string, targetPath: string): void {
  const dir = path.dirname(targetPath);
  const problem = !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()
    ? `The directory ${dir} does not exist`
    : fs.statSync(targetPath, { throwIfNoEntry: false })?.isFile() === false
      ? `It is ${fileKind(fs.statSync(targetPath))}, not a database file`
      : null;
  if (problem !== null)
    throw new ValidationError([{ path: target, message: problem }], 'Cannot restore');
}

interface CheckedCopy {
  db: Db;
  migrationsApplied: number;
  audit: AuditReport;
}

/**
 * Copies the inspected backup to `scratch`, applies pending migrations there, and checks the
 * result: the schema of every migration, and an intact audit chain.
 */
async function checkedCopy(sourcePath: string, scratch: string): Promise<CheckedCopy> {
  const src = openDatabase(sourcePath, { readonly: true });
  try {
    await src.backup(scratch);
  } finally {
    src.close();
  }
  const db = openDatabase(scratch, { fileMustExist: true });
  try {
    const migrationsApplied = migrate(db).length;
    const differences = schemaDifferences(db, MIGRATIONS.length);
    if (differences.length > 0)
      throw new UnusableBackupError(
        'backup-schema-mismatch',
        sourcePath,
        differences.map((d) => `after migrating it, ${d}`),
      );
    const audit = verifyAudit(db);
    if (!audit.ok) throw new AuditBrokenError(audit, `in ${sourcePath}`);
    return { db, migrationsApplied, audit };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Saves the database at `targetPath` (if any), records the restore in the checked copy and
 * copies it over `targetPath`. A failure before the copy starts removes the saved file again;
 * from then on it is kept, since `targetPath` may be half written.
 */
async function replaceWith(
  checked: CheckedCopy,
  r: { sourcePath: string; targetPath: string; stamp: string; actor: string; clock: () => Date },
): Promise<RestoreReport> {
  let previousSavedAs: string | null = null;
  let copying = false;
  try {
    if (fs.existsSync(r.targetPath)) {
      previousSavedAs = `${r.targetPath}.before-restore-${r.stamp}.db`;
      const current = openDatabase(r.targetPath, { fileMustExist: true });
      try {
        await backupDatabase(current, previousSavedAs);
      } finally {
        current.close();
      }
    }
    recordRestore(checked, r, previousSavedAs);
    copying = true;
    await checked.db.backup(r.targetPath);
  } catch (err) {
    if (!copying && previousSavedAs !== null) fs.rmSync(previousSavedAs, { force: true });
    if (copying && previousSavedAs !== null)
      throw new FundMixError(
        'restore-failed',
        `The restore failed while writing ${r.targetPath}: ${errorText(err)}; the database as it was before is saved as ${previousSavedAs}`,
      );
    throw err;
  }
  const restored = openDatabase(r.targetPath, { fileMustExist: true });
  try {
    const audit = verifyAudit(restored);
    if (!audit.ok) throw new AuditBrokenError(audit, `at ${r.targetPath} after the restore`);
    return {
      source: r.sourcePath,
      target: r.targetPath,
      previousSavedAs,
      migrationsApplied: checked.migrationsApplied,
      audit,
    };
  } finally {
    restored.close();
  }
}

function recordRestore(
  checked: CheckedCopy,
  r: { sourcePath: string; actor: string; clock: () => Date },
  previousSavedAs: string | null,
): void {
  const store = createStore(checked.db, { clock: r.clock });
  const { ctx } = storeInternals(store);
  ctx.write(() =>
    ctx.appendAudit({
      actor: r.actor,
      action: 'restore',
      entity: 'database',
      entityId: null,
      details: {
        source: path.basename(r.sourcePath),
        sourceEntries: checked.audit.entries,
        sourceHeadHash: checked.audit.headHash,
        previousSavedAs: previousSavedAs === null ? null : path.basename(previousSavedAs),
      },
    }),
  );
}
