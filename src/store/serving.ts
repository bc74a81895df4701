import fs from 'node:fs';
import path from 'node:path';
import { FundMixError } from '../domain/errors';
import { NotADatabaseError } from './errors';
import { pageProblems } from './integrity';
import { FUNDMIX_APPLICATION_ID, migrate, migrationStatus } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';
import { openDatabase, type Db } from './open';
import { storageFailureKind } from './storage';

/**
 * The database cannot be served. `message` is one line for a person: what is wrong and what to
 * do. `code`: `database-damaged`, `not-a-database`, `unknown-migration`, `database-not-writable`,
 * `database-unavailable`.
 */
export class CannotServeError extends FundMixError {}

/** A database checked and ready to serve. */
export interface ServingDatabase {
  db: Db;
  /**
   * Null when writes are possible; otherwise why not (e.g. "the file is not writable"). Only a
   * fully migrated, undamaged database is served read-only.
   */
  readOnly: string | null;
  /** Migrations applied now. */
  migrated: Migration[];
}

const RESTORE = 'restore a backup with `fundmix restore PATH`';

function canAccess(file: string, mode: number): boolean {
  try {
    fs.accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}

const errText = (err: unknown) => {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string'
    ? `${code}: ${message}`
    : String(message ?? err);
};

/** A new file needs a directory this user may create files in. */
function checkNewFile(file: string, shown: string): void {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new CannotServeError(
      'database-not-writable',
      `Cannot create ${shown}: the directory ${dir} cannot be created (${errText(err)}); create it, or set FUNDMIX_DB to a file in a writable directory`,
    );
  }
  if (!canAccess(dir, fs.constants.W_OK | fs.constants.X_OK))
    throw new CannotServeError(
      'database-not-writable',
      `Cannot create ${shown}: the directory ${dir} is not writable for this user; make it writable, or set FUNDMIX_DB to a file in a writable directory`,
    );
}

/** Whether this user may create files in the database's directory. */
const directoryWritable = (file: string): boolean =>
  canAccess(path.dirname(file), fs.constants.W_OK | fs.constants.X_OK);

/**
 * SQLite keeps its WAL and shared-memory files beside the database and must create them to open
 * it, even to read, unless they are there already (as a server that ran with write access leaves
 * them). In a directory this user cannot write, the database is served read-only when it opens
 * and reads; otherwise this is the message.
 */
function directoryRefusal(file: string, shown: string): CannotServeError {
  const dir = path.dirname(file);
  return new CannotServeError(
    'database-not-writable',
    `${shown} cannot be used: its directory ${dir} is not writable for this user, and SQLite must create ${path.basename(file)}-wal and -shm beside it; make the directory writable, or set FUNDMIX_DB to a file in a writable directory`,
  );
}

function open(file: string, shown: string, readonly: boolean, exists: boolean): Db {
  try {
    return openDatabase(file, { readonly, fileMustExist: exists });
  } catch (err) {
    if (err instanceof NotADatabaseError)
      throw new CannotServeError(
        'not-a-database',
        `${shown} is not a FundMix database (${err.issues[0]?.message ?? 'unreadable'}): ${RESTORE}, or set FUNDMIX_DB to the right file`,
      );
    throw new CannotServeError(
      'database-unavailable',
      `Cannot open ${shown} (${errText(err)}): check that the file and its directory can be read and written by this user`,
    );
  }
}

/** `PRAGMA quick_check` (all pages and their structure, in one pass; not index contents). */
function checkIntact(db: Db, shown: string): void {
  let problem: string | null = null;
  try {
    const problems = pageProblems(db);
    if (problems.length > 0) problem = problems.join('; ');
  } catch (err) {
    if (storageFailureKind(err) !== 'damaged') throw err;
    problem = (err as Error).message;
  }
  if (problem !== null)
    throw new CannotServeError(
      'database-damaged',
      `${shown} is damaged (${problem.length > 200 ? `${problem.slice(0, 200)}…` : problem}): ${RESTORE}`,
    );
  const appId = db.pragma('application_id', { simple: true });
  const tables = db.prepare('SELECT COUNT(*) FROM sqlite_master').pluck().get() as number;
  if (appId !== FUNDMIX_APPLICATION_ID && tables > 0)
    throw new CannotServeError(
      'not-a-database',
      `${shown} is an SQLite file but not a FundMix database: set FUNDMIX_DB to the right file, or ${RESTORE}`,
    );
}

/**
 * Whether SQLite can write the file: a write that is rolled back at once. A file opened for
 * writing that the OS refuses to write is opened read-only by SQLite without telling.
 */
function writeRefusal(db: Db): string | null {
  try {
    db.exec('BEGIN IMMEDIATE');
    db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
    return null;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && code.startsWith('SQLITE_READONLY')
      ? `SQLite cannot write the file (${code})`
      : null;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/**
 * Opens the web app's database and checks, before anything is served: that the file is a
 * FundMix database, undamaged (`PRAGMA quick_check`), written by no newer FundMix, and whether
 * the file and its directory can be written. Applies pending migrations when it can write.
 * A read-only database that is fully migrated is opened read-only (`readOnly` says why).
 * @param file absolute path of the database file (created when missing)
 * @param shown how to name the file to the user (e.g. relative to the working directory)
 * @throws CannotServeError with one line saying what is wrong and what to do
 */
export function openForServing(
  file: string,
  shown: string,
  known: readonly Migration[] = MIGRATIONS,
): ServingDatabase {
  const exists = fs.existsSync(file);
  if (!exists) checkNewFile(file, shown);
  const dirWritable = !exists || directoryWritable(file);
  const fileWritable = !exists || (dirWritable && canAccess(file, fs.constants.W_OK));
  let db: Db;
  try {
    db = open(file, shown, !fileWritable, exists);
    if (!dirWritable) db.pragma('schema_version');
  } catch (err) {
    const foreign = err instanceof CannotServeError && err.code === 'not-a-database';
    if (!dirWritable && !foreign) throw directoryRefusal(file, shown);
    throw err;
  }
  try {
    checkIntact(db, shown);
    const readOnly = !dirWritable
      ? 'its directory is not writable for this user'
      : fileWritable
        ? writeRefusal(db)
        : 'the file is not writable for this user';
    const status = migrationStatus(db, known);
    if (status.unknown.length > 0) {
      const list = status.unknown.map((m) => `${String(m.id).padStart(4, '0')}-${m.name}`);
      throw new CannotServeError(
        'unknown-migration',
        `${shown} was written by a newer FundMix (migrations ${list.join(', ')} are unknown to this version): upgrade FundMix, or set FUNDMIX_DB to another file`,
      );
    }
    if (readOnly !== null && status.pending.length > 0)
      throw new CannotServeError(
        'database-not-writable',
        `${shown} is read-only (${readOnly}) and needs ${status.pending.length} migration(s) before it can be served: make it writable for this user, or run \`fundmix db migrate\` as a user who may write it`,
      );
    const migrated = readOnly === null ? migrate(db, known) : [];
    return { db, readOnly, migrated };
  } catch (err) {
    db.close();
    if (err instanceof CannotServeError) throw err;
    throw new CannotServeError(
      storageFailureKind(err) === 'damaged' ? 'database-damaged' : 'database-unavailable',
      storageFailureKind(err) === 'damaged'
        ? `${shown} is damaged (${errText(err)}): ${RESTORE}`
        : `Cannot use ${shown} (${errText(err)}): check that the file and its directory can be read and written by this user`,
    );
  }
}
