import { randomBytes } from 'node:crypto';
import type { Actor } from '../domain/access';
import type { Store } from '../store';
import { actorOfUser } from './actors';
import { secretHash } from './tokens';

/**
 * Session lifetimes: a session ends after `idleMinutes` without a request and in any case
 * `absoluteHours` after sign-in. `last_seen_at` is written at most once a minute.
 */
export const SESSION_LIMITS = { idleMinutes: 60, absoluteHours: 12 } as const;
const MINUTE = 60_000;

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
  store.transaction(() =>
    store.accounts.addSession(secretHash(sessionId), actor.userId!, now, expiresAt),
  );
  return { sessionId, expiresAt };
}

/**
 * The actor of a session cookie, or null when the session is unknown, ended, idle for too long,
 * past its absolute expiry, or its user is disabled.
 */
export function resumeSession(store: Store, sessionId: string): Actor | null {
  const row = store.accounts.findSession(secretHash(sessionId));
  if (!row || row.revoked_at !== null) return null;
  const now = store.now();
  const nowMs = Date.parse(now);
  if (now >= row.expires_at) return null;
  if (nowMs - Date.parse(row.last_seen_at) > SESSION_LIMITS.idleMinutes * MINUTE) return null;
  const user = store.accounts.getUser(row.user_id);
  if (user.disabled_at !== null) return null;
  if (nowMs - Date.parse(row.last_seen_at) >= MINUTE && store.storage.mode().writable)
    store.transaction(() => store.accounts.touchSession(row.id_hash, now));
  return actorOfUser(user, 'session', false);
}

/** Signs out: the session cannot be resumed any more. */
export function endSession(store: Store, sessionId: string): void {
  store.transaction(() => store.accounts.revokeSession(secretHash(sessionId), store.now()));
}
