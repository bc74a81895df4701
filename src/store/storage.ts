import { FundMixError } from '../domain/errors';

/**
 * The database cannot take a write now (read-only file or directory, disk full, I/O error, the
 * file cannot be opened, another process holds the lock past the busy timeout). Nothing was
 * written. Reads may still work.
 */
export class StorageUnavailableError extends FundMixError {
  constructor(
    /** The SQLite error code behind it, e.g. `SQLITE_FULL`, or `read-only` / `damaged` when refused up front. */
    readonly reason: string,
    message = 'The database cannot be written right now; nothing was saved',
    help = 'Reading still works. Free disk space or make the database file and its directory writable, then try again.',
  ) {
    super('storage-unavailable', message, { reason }, help);
  }
}

/** SQLite found damaged data (`SQLITE_CORRUPT`, `SQLITE_NOTADB`): the file must be restored. */
export class DatabaseDamagedError extends FundMixError {
  constructor(
    readonly detail: string,
    where = 'The database',
  ) {
    super(
      'database-damaged',
      `${where} is damaged (${detail})`,
      { detail },
      'Restore a backup with `fundmix restore PATH`.',
    );
  }
}

/** How a raw SQLite error code is read: which of them mean "cannot write now" or "damaged". */
export type StorageFailureKind = 'unavailable' | 'damaged';

/**
 * Classifies a better-sqlite3 error by its code. Duck-typed: better-sqlite3 builds its errors in
 * the realm that first loaded it, so `instanceof` can fail under jest.
 * @returns null for anything that is not one of these storage failures (constraint errors, bugs)
 */
export function storageFailureKind(err: unknown): StorageFailureKind | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_BUSY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'SQLITE_FULL' ||
    code === 'SQLITE_LOCKED'
  )
    return 'unavailable';
  return null;
}

/** Whether the store accepts writes, and if not, why. */
export type StorageMode =
  { writable: true } | { writable: false; reason: 'read-only' | 'damaged'; detail: string };

/** What the storage state reports to whoever listens (the web app logs it). */
export type StorageEvent =
  /** Writes are refused from now on (set at start-up for a read-only file, or on corruption). */
  | { kind: 'writes-refused'; reason: 'read-only' | 'damaged'; detail: string }
  /** A results-cache write failed; the result was served uncached. Reported once per outage. */
  | { kind: 'cache-write-failed'; code: string; detail: string }
  /** A results-cache write worked again after failures. */
  | { kind: 'cache-write-recovered' };

/**
 * The one place that turns SQLite's "cannot write now" and "damaged" errors into typed errors,
 * and remembers when the database must not be written any more.
 */
export interface StorageState {
  mode(): StorageMode;
  /** Refuses every later write with StorageUnavailableError (idempotent; the first reason wins). */
  refuseWrites(reason: 'read-only' | 'damaged', detail: string): void;
  /**
   * Before a write: throws when writes are refused.
   * @throws StorageUnavailableError when the database is read-only or damaged
   */
  assertWritable(): void;
  /**
   * Turns a raw SQLite storage error into StorageUnavailableError or DatabaseDamagedError (and,
   * for damage, refuses writes from now on); returns any other error unchanged.
   */
  translate(err: unknown): unknown;
  /**
   * Runs a write whose failure must not fail the caller (the results cache): a storage error is
   * swallowed and reported once per outage; other errors are thrown.
   * @returns whether the write happened
   */
  bestEffort(fn: () => void): boolean;
  /** Subscribes to storage events; returns the unsubscribe function. */
  onEvent(listener: (e: StorageEvent) => void): () => void;
}

function messageOf(err: unknown): string {
  const m = (err as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(err);
}

export function createStorageState(): StorageState {
  let mode: StorageMode = { writable: true };
  let cacheFailing = false;
  const listeners = new Set<(e: StorageEvent) => void>();
  const emit = (e: StorageEvent) => {
    for (const l of listeners) l(e);
  };
  const refuseWrites = (reason: 'read-only' | 'damaged', detail: string) => {
    if (!mode.writable) return;
    mode = { writable: false, reason, detail };
    emit({ kind: 'writes-refused', reason, detail });
  };
  const translate = (err: unknown): unknown => {
    if (err instanceof StorageUnavailableError || err instanceof DatabaseDamagedError) return err;
    const kind = storageFailureKind(err);
    if (kind === 'damaged') {
      refuseWrites('damaged', messageOf(err));
      return new DatabaseDamagedError(messageOf(err));
    }
    if (kind === 'unavailable') return new StorageUnavailableError((err as { code: string }).code);
    return err;
  };
  return {
    mode: () => mode,
    refuseWrites,
    assertWritable() {
      if (mode.writable) return;
      if (mode.reason === 'damaged')
        throw new StorageUnavailableError(
          'damaged',
          `The database is damaged (${mode.detail}); it takes no writes, nothing was saved`,
          'Restore a backup with `fundmix restore PATH`, then restart FundMix.',
        );
      throw new StorageUnavailableError(
        'read-only',
        'The database is open read-only; nothing was saved',
        'Make the database file and its directory writable for FundMix, then restart it.',
      );
    },
    translate,
    bestEffort(fn) {
      if (!mode.writable) return false;
      try {
        fn();
      } catch (err) {
        const kind = storageFailureKind(err);
        if (kind === null) throw err;
        if (kind === 'damaged') refuseWrites('damaged', messageOf(err));
        if (!cacheFailing) {
          cacheFailing = true;
          emit({
            kind: 'cache-write-failed',
            code: String((err as { code: unknown }).code),
            detail: messageOf(err),
          });
        }
        return false;
      }
      if (cacheFailing) {
        cacheFailing = false;
        emit({ kind: 'cache-write-recovered' });
      }
      return true;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
