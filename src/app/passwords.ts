import argon2 from 'argon2';
import { ValidationError } from '../domain/errors';

/** Password length, counted in characters (Unicode code points), both ends included. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * argon2id with OWASP's minimum parameters: 19 MiB of memory, 2 passes, 1 lane. The PHC text it
 * returns (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) carries them, so a hash made with other
 * parameters still verifies (and `needsRehash` says so).
 */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Checks a new password: 12 to 256 characters, nothing else (no composition rules: length is
 * what counts). White space is kept as typed.
 * @throws ValidationError naming `path`
 */
export function checkNewPassword(password: unknown, path = 'password'): string {
  const fail = (message: string) =>
    new ValidationError([{ path, message }], 'The password is not acceptable');
  if (typeof password !== 'string') throw fail('Give a password');
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    throw fail(
      `The password must be at least ${PASSWORD_MIN_LENGTH} characters long (it has ${length})`,
    );
  if (length > PASSWORD_MAX_LENGTH)
    throw fail(`The password must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  return password;
}

/** Hashes a password with argon2id (native, on libuv's thread pool: off the event loop). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/**
 * Whether `password` matches `hash`. argon2 compares the digests in constant time; a malformed
 * stored hash counts as a mismatch, not an error.
 */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | null = null;

/**
 * Spends the time of one verification when there is no account to verify against, so an unknown
 * username cannot be told from a wrong password by the time the answer takes. Always false.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword('decoy password that matches no account');
  await verifyPassword(await decoy, password);
  return false;
}

/** Whether a stored hash was made with other parameters than today's (rehash at next sign-in). */
export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  } catch {
    return true;
  }
}
