import type { NextFunction, Request, Response } from 'express';
import { decide, type Actor } from '../../domain/access';
import { chainBanner } from '../../app/audit';
import type { ChainStatus } from '../../app/chain-status';
import { authenticateToken } from '../../app/sign-in';
import { SESSION_LIMITS, resumeSession } from '../../app/sessions';
import type { Store } from '../../store';
import type { Prefs, Viewer } from '../context';

/** The cookie that carries a signed-in browser's session id (the database keeps its SHA-256). */
export const SIGN_IN_COOKIE = 'fm_session';

/** Options of the session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS, 12 h at most. */
export function signInCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    maxAge: SESSION_LIMITS.absoluteHours * 3_600_000,
  };
}

/** Removes the session cookie from the browser (signed out, or the session ended). */
export function clearSignInCookie(res: Response, secure: boolean): void {
  res.clearCookie(SIGN_IN_COOKIE, { ...signInCookieOptions(secure), maxAge: undefined });
}

/** The signed-in actor of this request, or null (set by `identify`). */
export function actorOrNull(res: Response): Actor | null {
  return (res.locals.actor as Actor | null | undefined) ?? null;
}

/**
 * The signed-in actor of a request that passed a guard (`can`, `signedIn`).
 * @throws Error when no guard ran: a programming error, never a user's
 */
export function actorOf(res: Response): Actor {
  const actor = actorOrNull(res);
  if (!actor) throw new Error('actorOf: the route has no guard that signs the user in');
  return actor;
}

/** The actor of the request's session cookie, or null. */
function sessionActor(store: Store, req: Request): Actor | null {
  const id = (req.cookies as Record<string, unknown> | undefined)?.[SIGN_IN_COOKIE];
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(id)) return null;
  return resumeSession(store, id);
}

/**
 * Pages: the actor of the session cookie (`resumeSession`), or none; an ended or expired
 * session's cookie is cleared.
 * @param chain the audit chain's status, for the broken-chain banner (see `viewerOf`)
 */
export function identifyBySession(store: Store, secure: boolean, chain: ChainStatus | null) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const actor = sessionActor(store, req);
    res.locals.actor = actor;
    if (actor) {
      const prefs = res.locals.prefs as Prefs | undefined;
      if (prefs) prefs.viewer = viewerOf(actor, chain);
    } else if ((req.cookies as Record<string, unknown> | undefined)?.[SIGN_IN_COOKIE])
      clearSignInCookie(res, secure);
    next();
  };
}

/**
 * How pages show a signed-in actor (see `Viewer`). For one who may read the audit log, the
 * key also names the chain's latest verification (`ChainStatus.version`): the banner is part
 * of every page they see, so a page cached before a verification found a break is built
 * again after it. Everyone else's key, and pages, do not depend on the chain.
 */
export function viewerOf(actor: Actor, chain: ChainStatus | null = null): Viewer {
  const roles = [...actor.roles].sort();
  const base = `u${actor.userId ?? 0}:${roles.join(',')}`;
  const readsAudit = decide(actor, 'audit.read', null) === 'allow';
  return {
    key: readsAudit && chain !== null ? `${base}:chain${chain.version}` : base,
    username: actor.username,
    organisation: actor.orgName ?? '',
    roles,
    readsAudit,
    chainBroken: readsAudit && chain !== null ? chainBanner(chain, actor) : null,
  };
}

/**
 * The JSON API: the actor of an `Authorization: Bearer` token (`authenticateToken`); without
 * the header, that of the session cookie; else none (guards then answer 401). A header that is
 * present but not a valid, live token is refused at once (401), whatever the route.
 */
export function identifyByToken(store: Store) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.locals.actor = null;
    const header = req.headers.authorization;
    if (header === undefined) {
      // A signed-in browser's own calls (scripts on FundMix's pages) ride on its session. Safe
      // from forged cross-site requests: bodies must be application/json, which a form cannot
      // send, and the cookie is SameSite=Lax.
      res.locals.actor = sessionActor(store, req);
      next();
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer')
        .json({
          error: {
            code: 'unauthenticated',
            message: 'The Authorization header must be "Bearer fmx_…"',
          },
        });
      return;
    }
    res.locals.actor = authenticateToken(store, match[1]!);
    next();
  };
}
