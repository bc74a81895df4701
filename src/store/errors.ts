import { FundMixError, ValidationError } from '../domain/errors';

/** The database was written by a newer FundMix: it has migrations this code does not know. */
export class UnknownMigrationError extends FundMixError {
  constructor(
    readonly unknown: Array<{ id: number; name: string }>,
    where: string,
  ) {
    const list = unknown.map((m) => `${String(m.id).padStart(4, '0')}-${m.name}`).join(', ');
    super(
      'unknown-migration',
      `The database ${where} has migrations this version of FundMix does not know (${list}); refusing to open it`,
      { unknown },
      'It was probably written by a newer FundMix. Upgrade FundMix, or open another database file.',
    );
  }
}

/** The database needs migrations before this operation can read it. */
export class PendingMigrationError extends FundMixError {
  constructor(
    readonly pending: number[],
    where: string,
  ) {
    super(
      'migrations-pending',
      `The database ${where} needs ${pending.length} migration(s) before it can be used`,
      { pending },
      'Run `fundmix db migrate` first.',
    );
  }
}

/** The operation contradicts what is stored (e.g. deleting a project a portfolio still uses). */
export class ConflictError extends FundMixError {
  constructor(code: string, message: string, context: Record<string, unknown> = {}, help?: string) {
    super(code, message, context, help);
  }
}

/** The file is not a FundMix database (not SQLite, or not written by FundMix): bad input. */
export class NotADatabaseError extends ValidationError {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super([{ path, message: reason }], `${path} is not a usable FundMix database`);
  }
}
