import { Router, type Request, type Response } from 'express';
import { createToken, listOwnTokens, revokeToken } from '../../app/accounts';
import { ValidationError } from '../../domain/errors';
import { ConflictError } from '../../store/errors';
import { prefsOf, type WebContext } from '../context';
import { can } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { postedText } from '../view-models/form-fields';
import { idParam } from './params';

/**
 * The signed-in user's own page (issue 10):
 *   GET  /account                      who they are, their roles, their access tokens
 *   POST /account/tokens               creates a token (name, read-only box): shown once, here
 *   POST /account/tokens/:id/revoke    revokes one of their tokens
 */
export function accountRoutes(ctx: WebContext): Router {
  const router = Router();
  const { store } = ctx;

  const show = async (
    req: Request,
    res: Response,
    opts: {
      status?: number;
      created?: { token: string; name: string; readOnly: boolean };
      form?: { name: string; readOnly: boolean };
      problem?: string;
      notice?: string;
    } = {},
  ) => {
    const { t } = prefsOf(res);
    const actor = actorOf(res);
    const tokens = listOwnTokens(store, actor).map((tk) => ({
      ...tk,
      revokeAction: `/account/tokens/${tk.id}/revoke`,
      live: tk.revokedAt === null,
    }));
    await ctx.pages.send(req, res, {
      view: 'account',
      title: t('account.title'),
      status: opts.status,
      model: {
        csrfToken: ctx.csrf.token(req, res),
        username: actor.username,
        organisation: actor.orgName ?? '',
        roles: actor.roles.map((r) => t(`role.${r}`)).join(' · '),
        tokens,
        created: opts.created ?? null,
        form: opts.form ?? { name: '', readOnly: true },
        problem: opts.problem ?? null,
        notice: opts.notice ?? null,
      },
    });
  };

  router.get('/account', can(store, 'token.self'), async (req, res) => {
    await show(req, res);
  });

  router.post('/account/tokens', can(store, 'token.self'), async (req, res) => {
    const actor = actorOf(res);
    const name = postedText(req.body, 'name');
    const readOnly = postedText(req.body, 'readOnly') === 'on';
    try {
      const made = createToken(store, actor, {
        username: actor.username,
        name: name.trim() === '' ? undefined : name,
        readOnly,
      });
      // Shown this once; never cached (pages.send answers no-store).
      await show(req, res, {
        status: 201,
        created: { token: made.token, name: made.name, readOnly: made.readOnly },
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await show(req, res, {
        status: 422,
        form: { name, readOnly },
        problem: err.issues.map((i) => i.message).join('; '),
      });
    }
  });

  router.post('/account/tokens/:id/revoke', can(store, 'token.self'), async (req, res) => {
    const { t } = prefsOf(res);
    const id = idParam(req.params.id, 'Access token');
    try {
      revokeToken(store, actorOf(res), { id });
      await show(req, res, { notice: t('account.revoked') });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      await show(req, res, { status: 409, notice: t('account.alreadyRevoked') });
    }
  });

  return router;
}
