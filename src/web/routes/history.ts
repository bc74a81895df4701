import { Router } from 'express';
import { prefsOf, type WebContext } from '../context';
import { buildHistory } from '../view-models/history';
import { idParam, queryText } from './params';

/** GET /scenarios/:id/history?from=<version id>&to=<version id> — versions and their differences. */
export function historyRoutes(ctx: WebContext): Router {
  const router = Router();
  router.get('/scenarios/:id/history', async (req, res) => {
    const { lang, unit, t } = prefsOf(res);
    const id = idParam(req.params.id, 'Scenario');
    await ctx.pages.sendCached(req, res, () => {
      const model = buildHistory(ctx.store, id, { from: queryText(req.query.from), to: queryText(req.query.to) }, lang, unit, t);
      return { view: 'history', nav: 'projects', title: t('history.title', { scenario: model.scenario.name }), model };
    });
  });
  return router;
}
