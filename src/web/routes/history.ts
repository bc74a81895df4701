import { asActor } from '../../app/actors';
import { actorOf } from '../middleware/auth';
import { can } from '../middleware/access';
import { scenarioParam, versionParam } from '../middleware/resources';
import { Router, type Request, type Response } from 'express';
import { prefsOf, type WebContext } from '../context';
import { postedText } from '../view-models/form-fields';
import { buildHistory, type RestoreOptions } from '../view-models/history';
import { formRefusal, idParam, queryText } from './params';

/**
 * GET  /scenarios/:id/history?from=<version id>&to=<version id> — versions and their differences,
 *      with a form on every earlier version to restore it
 * POST /versions/:id/restore — saves that version's inputs as a new version (audited by the
 *      store; nothing is overwritten) and shows the results of the new current version
 *
 * The history page carries per-browser form tokens, so it is rendered for each request, not
 * taken from the page cache.
 */
export function historyRoutes(ctx: WebContext): Router {
  const router = Router();

  const show = async (
    req: Request,
    res: Response,
    scenarioId: number,
    opts: Omit<RestoreOptions, 'csrfToken'> & { status?: number } = {},
  ) => {
    const { lang, unit, t } = prefsOf(res);
    const query = { from: queryText(req.query.from), to: queryText(req.query.to) };
    const model = buildHistory(ctx.store, scenarioId, query, lang, unit, t, {
      ...opts,
      csrfToken: ctx.csrf.token(req, res),
    });
    await ctx.pages.send(req, res, {
      view: 'history',
      nav: 'projects',
      title: t('history.title', { scenario: model.scenario.name }),
      model,
      status: opts.status,
    });
  };

  router.get(
    '/scenarios/:id/history',
    can(ctx.store, 'project.read', scenarioParam),
    async (req, res) => {
      await show(req, res, idParam(req.params.id, 'Scenario'));
    },
  );

  router.post(
    '/versions/:id/restore',
    can(ctx.store, 'scenario.write', versionParam),
    async (req, res) => {
      const { lang } = prefsOf(res);
      const id = idParam(req.params.id, 'Scenario version');
      const old = ctx.store.scenarios.version(id);
      const comment = postedText(req.body, 'comment');
      try {
        // An empty comment lets the store record where the version came from ("Restored version 2").
        const saved = asActor(ctx.store, actorOf(res), () =>
          ctx.store.scenarios.restoreVersion(id, {
            actor: actorOf(res).username,
            comment: comment.trim() === '' ? undefined : comment,
          }),
        );
        const notice = saved.created
          ? `restored=${saved.version.versionNo}&from=${old.versionNo}`
          : `unchanged=${saved.version.versionNo}`;
        res.redirect(303, `/scenarios/${saved.scenario.id}?${notice}`);
      } catch (err) {
        const refusal = formRefusal(err, lang);
        await show(
          req,
          res,
          old.scenarioId,
          refusal.status === 422
            ? { status: 422, refused: { versionId: id, comment, issues: refusal.issues } }
            : refusal,
        );
      }
    },
  );

  return router;
}
