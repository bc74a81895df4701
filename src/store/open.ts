import fs from 'node:fs';
import Database from 'better-sqlite3';
import { NotFoundError } from '../domain/errors';
import { NotADatabaseError } from './errors';

export type Db = Database.Database;

export interface OpenOptions {
  /** Open read-only (verification, restore checks). Implies `fileMustExist`. */
  readonly?: boolean;
  /** Fail with NotFoundError instead of creating a new empty database file. */
  fileMustExist?: boolean;
  /** How long a write waits for another connection's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * `normal` (default): in WAL mode a commit survives the process being killed; after a power
   * loss the last commits may be rolled back but the file stays consistent. `full` also survives
   * power loss at the price of one fsync per commit (about 1 ms each on typical disks).
   */
  synchronous?: 'normal' | 'full';
  /**
   * WAL pages after which a commit checkpoints the WAL into the database file. Each checkpoint
   * syncs the disk; the default 10000 pages (about 40 MB) keeps that off most saves. SQLite's own
   * default is 1000.
   */
  walAutocheckpointPages?: number;
}

/**
 * Opens a FundMix database and applies the connection settings every connection needs:
 * WAL journal (files only), foreign keys on, a busy timeout, and the chosen sync level.
 * Does not migrate: call `migrate(db)` next.
 * @param path a file path, or ':memory:' for tests
 * @throws NotFoundError when `fileMustExist`/`readonly` is set and the file is missing
 * @throws NotADatabaseError when the file is not an SQLite database
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const memory = path === ':memory:';
  const mustExist = opts.fileMustExist === true || opts.readonly === true;
  if (!memory && mustExist && !fs.existsSync(path)) throw new NotFoundError('Database file', path);
  const db = new Database(path, { readonly: opts.readonly === true, fileMustExist: mustExist });
  try {
    // The first read of the header fails here when the file is not SQLite at all.
    db.pragma('schema_version');
    if (!memory && !opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(
        `wal_autocheckpoint = ${Math.max(1, Math.trunc(opts.walAutocheckpointPages ?? 10000))}`,
      );
      // After a checkpoint resets it, the WAL file is cut back to at most 64 MB.
      db.pragma('journal_size_limit = 67108864');
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 5000))}`);
    db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  } catch (err) {
    db.close();
    // Duck-typed: better-sqlite3 builds its errors in the realm that first loaded it, so
    // `instanceof Error` can be false here (e.g. under jest's per-file module registries).
    const { code, message } = err as { code?: unknown; message?: unknown };
    if (
      code === 'SQLITE_NOTADB' ||
      code === 'SQLITE_CORRUPT' ||
      /not a database|malformed/i.test(String(message))
    ) {
      throw new NotADatabaseError(path, String(message));
    }
    throw err;
  }
  return db;
}
