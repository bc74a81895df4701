import { randomBytes } from 'node:crypto';
import type { Actor } from '../domain/access';
import { StorageUnavailableError, type Store } from '../store';
import type { DbSession } from '../store/rows';
import { actorOfUser } from './actors';
import { secretHash } from './tokens';

/**
 * Session lifetimes: a session ends after `idleMinutes` without a request and in any case
 * `absoluteHours` after sign-in. `last_seen_at` is written at most once a minute.
 */
export const SESSION_LIMITS = { idleMinutes: 60, absoluteHours: 12 } as const;
const MINUTE = 60_000;

/**
 * Sessions of a database that cannot be written (opened read-only, disk full, damaged): kept in
 * this process's memory instead, so users can still sign in and read; they end when the
 * process does. Keyed by the store, so two stores of one process never share them.
 */
const unstored = new WeakMap<Store, Map<string, DbSession>>();
const memoryOf = (store: Store) => {
  let map = unstored.get(store);
  if (!map) unstored.set(store, (map = new Map()));
  return map;
};

/** A started session: `sessionId` goes into the cookie; the database keeps only its SHA-256. */
export interface StartedSession {
  sessionId: string;
  expiresAt: string;
}

/**
 * Starts a session for a signed-in actor (from `authenticatePassword`), always with a new id, so
 * signing in rotates the cookie. The web layer should end the session the browser came with.
 */
export function startSession(store: Store, actor: Actor): StartedSession {
  if (actor.userId === null || actor.via !== 'session')
    throw new TypeError('startSession needs a user who signed in with a password');
  const sessionId = randomBytes(32).toString('base64url');
  const now = store.now();
  const expiresAt = new Date(
    Date.parse(now) + SESSION_LIMITS.absoluteHours * 60 * MINUTE,
  ).toISOString();
  const idHash = secretHash(sessionId);
  if (store.storage.mode().writable) {
    try {
      store.transaction(() => store.accounts.addSession(idHash, actor.userId!, now, expiresAt));
      return { sessionId, expiresAt };
    } catch (err) {
      // The write was refused just now (read-only file, full disk): keep the session in memory.
      if (!(err instanceof StorageUnavailableError)) throw err;
    }
  }
  memoryOf(store).set(idHash, {
    id_hash: idHash,
    user_id: actor.userId,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    revoked_at: null,
  });
  return { sessionId, expiresAt };
}

/**
 * The actor of a session cookie, or null when the session is unknown, ended, idle for too long,
 * past its absolute expiry, or its user is disabled.
 */
export function resumeSession(store: Store, sessionId: string): Actor | null {
  const idHash = secretHash(sessionId);
  const memory = unstored.get(store)?.get(idHash);
  const row = memory ?? store.accounts.findSession(idHash);
  if (!row || row.revoked_at !== null) return null;
  const now = store.now();
  const nowMs = Date.parse(now);
  if (now >= row.expires_at) return null;
  if (nowMs - Date.parse(row.last_seen_at) > SESSION_LIMITS.idleMinutes * MINUTE) return null;
  const user = store.accounts.getUser(row.user_id);
  if (user.disabled_at !== null) return null;
  if (nowMs - Date.parse(row.last_seen_at) >= MINUTE) {
    if (memory) memory.last_seen_at = now;
    else if (store.storage.mode().writable)
      store.transaction(() => store.accounts.touchSession(row.id_hash, now));
  }
  return actorOfUser(user, 'session', false);
}

/** Signs out: the session cannot be resumed any more. */
export function endSession(store: Store, sessionId: string): void {
  const idHash = secretHash(sessionId);
  if (unstored.get(store)?.delete(idHash)) return;
  if (!store.storage.mode().writable) return;
  store.transaction(() => store.accounts.revokeSession(idHash, store.now()));
}
