import { Command, CommanderError } from 'commander';
import { FundMixError, ValidationError } from '../domain/errors';
import {
  DatabaseDamagedError,
  StorageUnavailableError,
  storageFailureKind,
} from '../store/storage';

/** Exit statuses: 0 ok, 1 failure of the operation, 2 bad input (arguments or files). */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

/** Prints a user error without a stack trace and returns its exit status. */
export function reportError(raw: unknown, stderr: (s: string) => void): number {
  const err = storageError(raw) ?? raw;
  if (err instanceof ValidationError) {
    stderr(`${err.message}:\n`);
    for (const issue of err.issues) stderr(`  - ${issue.path || '(file)'}: ${issue.message}\n`);
    return EXIT.badInput;
  }
  if (err instanceof FundMixError) {
    stderr(`error (${err.code}): ${err.message}\n`);
    if (err.help) stderr(`${err.help}\n`);
    return err.code === 'not-found' || err.code === 'invalid-input' ? EXIT.badInput : EXIT.failure;
  }
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  }
  stderr(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.failure;
}

/** SQLite's "cannot write now" and "damaged" errors as typed errors, so they print as a message. */
function storageError(err: unknown): FundMixError | null {
  const kind = storageFailureKind(err);
  const { code, message } = err as { code: string; message: string };
  if (kind === 'damaged') return new DatabaseDamagedError(message);
  if (kind === 'unavailable')
    return new StorageUnavailableError(
      code,
      `The database cannot be used right now (${code}: ${message})`,
      'Check that the file and its directory are writable and the disk is not full, then try again.',
    );
  return null;
}

/** Runs the program and sets the process exit status; never lets a user error print a stack. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err, (s) => process.stderr.write(s));
  }
}
