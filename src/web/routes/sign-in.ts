import { Router, type Request, type Response } from 'express';
import { demoAccountsInUse } from '../../app/demo-accounts';
import { SignInError } from '../../app/errors';
import { authenticatePassword } from '../../app/sign-in';
import { endSession, startSession } from '../../app/sessions';
import { prefsOf, type WebContext } from '../context';
import { formatDateTime } from '../format/date';
import { open, signedIn } from '../middleware/access';
import {
  actorOf,
  clearSignInCookie,
  SIGN_IN_COOKIE,
  signInCookieOptions,
} from '../middleware/auth';
import { rotateBrowserId } from '../middleware/session-id';
import { safeBack } from './prefs';
import { queryText } from './params';

/** The longest username or password the form reads (longer ones are refused as wrong). */
const MAX_FIELD = 256;

/** Where to go after signing in: a path on this site only, never the sign-in page itself. */
function nextPath(value: unknown): string {
  const next = safeBack(queryText(value));
  return next.startsWith('/login') || next.startsWith('/logout') ? '/' : next;
}

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.slice(0, MAX_FIELD) : '';
};

/**
 * GET  /login  — the sign-in form (`username`, `password`); lists the demo accounts while the
 *               demo data is in use
 * POST /login  — signs in: a new session (a new cookie, and a new browser id for form tokens),
 *               then back to `next`; a wrong password answers 401, a lock-out 429 with the time
 *               to retry, the username kept in the form
 * GET  /logout — asks to confirm; POST /logout ends the session
 */
export function signInRoutes(ctx: WebContext, opts: { secure: boolean; demoDir: string | null }) {
  const router = Router();

  const showForm = async (
    req: Request,
    res: Response,
    state: { username?: string; status?: number; problem?: string } = {},
  ) => {
    const { t } = prefsOf(res);
    await ctx.pages.send(req, res, {
      view: 'login',
      title: t('login.title'),
      status: state.status,
      model: {
        csrfToken: ctx.csrf.token(req, res),
        username: state.username ?? '',
        next: nextPath(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next),
        problem: state.problem ?? null,
        demoAccounts: demoAccountsInUse(ctx.store, opts.demoDir),
      },
    });
  };

  router.get('/login', open, async (req, res) => {
    await showForm(req, res);
  });

  router.post('/login', open, async (req, res) => {
    const { t, lang } = prefsOf(res);
    const username = field(req.body, 'username');
    const password = field(req.body, 'password');
    try {
      const actor = await authenticatePassword(ctx.store, {
        username,
        password,
        address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      });
      const old = (req.cookies as Record<string, unknown>)[SIGN_IN_COOKIE];
      if (typeof old === 'string' && old !== '') endSession(ctx.store, old);
      const session = startSession(ctx.store, actor);
      res.cookie(SIGN_IN_COOKIE, session.sessionId, signInCookieOptions(opts.secure));
      rotateBrowserId(res, opts.secure);
      res.redirect(303, nextPath((req.body as Record<string, unknown>).next));
    } catch (err) {
      if (!(err instanceof SignInError)) throw err;
      const problem =
        err.code === 'sign-in-locked' && err.retryAt !== null
          ? t('login.locked', { time: formatDateTime(err.retryAt, lang) })
          : err.code === 'account-disabled'
            ? t('login.disabled')
            : t('login.failed');
      if (err.retryAt !== null)
        res.set(
          'Retry-After',
          String(Math.max(1, Math.ceil((Date.parse(err.retryAt) - Date.now()) / 1000))),
        );
      await showForm(req, res, {
        username,
        status: err.code === 'sign-in-locked' ? 429 : 401,
        problem,
      });
    }
  });

  router.get('/logout', signedIn, async (req, res) => {
    const { t } = prefsOf(res);
    const actor = actorOf(res);
    await ctx.pages.send(req, res, {
      view: 'logout',
      title: t('logout.title'),
      model: { csrfToken: ctx.csrf.token(req, res), username: actor.username },
    });
  });

  router.post('/logout', open, (req, res) => {
    const id = (req.cookies as Record<string, unknown>)[SIGN_IN_COOKIE];
    if (typeof id === 'string' && id !== '') endSession(ctx.store, id);
    clearSignInCookie(res, opts.secure);
    rotateBrowserId(res, opts.secure);
    res.redirect(303, '/login');
  });

  return router;
}
