import type { Actor } from '../domain/access';
import { StorageUnavailableError, type Store } from '../store';
import { actorOfUser } from './actors';
import { SignInError } from './errors';
import { verifyAgainstDecoy, verifyPassword } from './passwords';
import { looksLikeToken, secretHash } from './tokens';

const MINUTE = 60_000;

/**
 * Sign-in rate limits: `failures` failed attempts within `windowMinutes` lock the key for
 * `lockMinutes` from the last of them. Per account 5; per address 20, since one office's users
 * often share an address. A success clears the account's count, never the address's.
 */
export const SIGN_IN_LIMITS = {
  account: { failures: 5, windowMinutes: 15, lockMinutes: 15 },
  address: { failures: 20, windowMinutes: 15, lockMinutes: 15 },
} as const;

type Limit = (typeof SIGN_IN_LIMITS)[keyof typeof SIGN_IN_LIMITS];

export interface PasswordSignIn {
  username: string;
  password: string;
  /** The client's address as the web layer sees it (behind a proxy: the forwarded one). */
  address: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Until when `key` is locked (ISO time), or null. */
function lockedUntil(store: Store, key: string, limit: Limit, now: string): string | null {
  const span = limit.windowMinutes * MINUTE;
  const since = iso(Date.parse(now) - span - limit.lockMinutes * MINUTE);
  const failures = store.accounts.recentFailures(key, since, limit.failures);
  const newest = failures[0];
  const oldest = failures[limit.failures - 1];
  if (newest === undefined || oldest === undefined) return null;
  if (Date.parse(newest) - Date.parse(oldest) > span) return null;
  const until = iso(Date.parse(newest) + limit.lockMinutes * MINUTE);
  return until > now ? until : null;
}

function assertNotLocked(store: Store, keys: Array<[string, Limit]>, now: string): void {
  const until = keys
    .map(([key, limit]) => lockedUntil(store, key, limit, now))
    .filter((u): u is string => u !== null)
    .sort()
    .pop();
  if (until !== undefined)
    throw new SignInError(
      'sign-in-locked',
      `Too many failed sign-ins: try again after ${until.slice(11, 16)} UTC (${until})`,
      until,
    );
}

/**
 * Records sign-in attempts when the database takes writes. A read-only database (or a full
 * disk) records none, so its lock-out does not count: signing in must still work there.
 * @returns what `fn` returned, or null when nothing could be recorded
 */
function noteAttempts<T>(store: Store, fn: () => T): T | null {
  if (!store.storage.mode().writable) return null;
  try {
    return store.transaction(fn);
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    return null;
  }
}

/**
 * Checks the locks and records the attempt as a failure for every key in one synchronous step,
 * before the password is verified: attempts that arrive together (verification takes tens of
 * milliseconds) then count against each other, so a burst of guesses cannot all get past the
 * check before the first failure is written. A success turns the reservation into a success
 * (`settleAttempt`).
 * @returns the row ids of the recorded failures, in the order of `keys` (none when not writable)
 * @throws SignInError `sign-in-locked`
 */
function reserveAttempt(store: Store, keys: Array<[string, Limit]>, now: string): number[] {
  assertNotLocked(store, keys, now);
  return (
    noteAttempts(store, () => keys.map(([key]) => store.accounts.recordAttempt(key, false, now))) ??
    []
  );
}

/**
 * Settles a reserved attempt that did not fail: it is not a failure of any key, and a success
 * (`ok`) is recorded for the account, which clears the account's count, never the address's.
 */
function settleAttempt(store: Store, reserved: number[], accountKey: string, ok: boolean): void {
  noteAttempts(store, () => {
    for (const id of reserved) store.accounts.forgetAttempt(id);
    if (ok) store.accounts.recordAttempt(accountKey, true, store.now());
  });
}

/** Usernames compare in lower case, without surrounding white space. */
export const normaliseUsername = (name: string) => name.trim().toLowerCase();

/**
 * Signs in with a username and password.
 * An unknown username costs the same time as a wrong password and answers the same.
 * @returns the actor (via `session`) to start a session for
 * @throws SignInError `sign-in-locked` (with `retryAt`) before checking anything while the
 *   account or the address is locked, `sign-in-failed`, `account-disabled`
 */
export async function authenticatePassword(store: Store, input: PasswordSignIn): Promise<Actor> {
  const username = normaliseUsername(input.username);
  const keys: Array<[string, Limit]> = [
    [`user:${username}`, SIGN_IN_LIMITS.account],
    [`addr:${input.address}`, SIGN_IN_LIMITS.address],
  ];
  const reserved = reserveAttempt(store, keys, store.now());
  const user = username === '' ? undefined : store.accounts.findUser(username);
  const ok = user
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyAgainstDecoy(input.password);
  const now = store.now();
  if (!ok || !user) {
    noteAttempts(store, () =>
      store.accounts.purgeAttempts(iso(Date.parse(now) - 24 * 60 * MINUTE)),
    );
    assertNotLocked(store, keys, now);
    throw new SignInError('sign-in-failed', 'The username or the password is wrong');
  }
  const disabled = user.disabled_at !== null;
  settleAttempt(store, reserved, keys[0]![0], !disabled);
  if (disabled)
    throw new SignInError('account-disabled', 'This account is disabled: ask an administrator');
  return actorOfUser(user, 'session', false);
}

/** A token's `last_used_at` is written at most once a minute, not on every API call. */
const TOUCH_EVERY_MS = MINUTE;

/**
 * Authenticates a personal access token (`Authorization: Bearer fmx_…`).
 * @returns the token's user as an actor (via `token`, read-only as the token is)
 * @throws SignInError `sign-in-failed` for an unknown, malformed or revoked token,
 *   `account-disabled` when its user is disabled
 */
export function authenticateToken(store: Store, token: string): Actor {
  const failed = () => new SignInError('sign-in-failed', 'The access token is not valid');
  if (!looksLikeToken(token)) throw failed();
  const row = store.accounts.findTokenByHash(secretHash(token));
  if (!row || row.revoked_at !== null) throw failed();
  const user = store.accounts.getUser(row.user_id);
  if (user.disabled_at !== null)
    throw new SignInError('account-disabled', 'The account of this access token is disabled');
  const now = store.now();
  if (
    row.last_used_at === null ||
    Date.parse(now) - Date.parse(row.last_used_at) >= TOUCH_EVERY_MS
  ) {
    // Noting the use is best effort: a read-only database still serves reads.
    if (store.storage.mode().writable) store.accounts.touchToken(row.id);
  }
  return actorOfUser(user, 'token', row.read_only === 1);
}
