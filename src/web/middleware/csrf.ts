import { doubleCsrf } from 'csrf-csrf';
import type { Request, Response } from 'express';
import { sessionIdOf } from './session-id';

export const CSRF_COOKIE = 'fm_csrf';
export const CSRF_FIELD = '_csrf';

export interface Csrf {
  /** Rejects a state-changing form post without a valid token (403, code EBADCSRFTOKEN). */
  protect: ReturnType<typeof doubleCsrf>['doubleCsrfProtection'];
  /** A token for a form, bound to this browser's session id; sets the token cookie. */
  token(req: Request, res: Response): string;
}

/**
 * Double-submit CSRF protection for the HTML forms (the JSON API is protected by accepting
 * only application/json bodies, which a cross-site form cannot send).
 */
export function createCsrf(secret: string, secure: boolean): Csrf {
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: sessionIdOf,
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: 'strict', path: '/', secure, httpOnly: true },
    getCsrfTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined;
    },
  });
  return { protect: doubleCsrfProtection, token: (req, res) => generateCsrfToken(req, res) };
}
