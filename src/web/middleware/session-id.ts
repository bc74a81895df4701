import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const SESSION_COOKIE = 'fm_sid';

/**
 * Gives every browser a random, httpOnly identifier on its first page view. It binds CSRF
 * tokens to one browser (csrf-csrf needs one); signing in and out gives a new one
 * (`rotateBrowserId`), so a token obtained before signing in is worthless after.
 */
export function sessionIdMiddleware(secure: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const cookies = (req.cookies ?? {}) as Record<string, string | undefined>;
    const current = cookies[SESSION_COOKIE];
    if (typeof current !== 'string' || !/^[A-Za-z0-9_-]{32,64}$/.test(current)) {
      const id = randomBytes(24).toString('base64url');
      res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
      req.cookies = { ...cookies, [SESSION_COOKIE]: id };
    }
    next();
  };
}

/** A new browser identifier from this answer on (at sign-in and sign-out). */
export function rotateBrowserId(res: Response, secure: boolean): void {
  res.cookie(SESSION_COOKIE, randomBytes(24).toString('base64url'), {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
  });
}

export function sessionIdOf(req: Request): string {
  return ((req.cookies ?? {}) as Record<string, string | undefined>)[SESSION_COOKIE] ?? '';
}
