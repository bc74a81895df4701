import { Router } from 'express';
import { prefsOf, type WebContext } from '../context';
import { buildCompare, selectedIds } from '../view-models/compare';

/** GET /compare?s=<scenario id>&s=... — two to four scenarios side by side. */
export function compareRoutes(ctx: WebContext): Router {
  const router = Router();
  router.get('/compare', async (req, res) => {
    const { lang, unit, t } = prefsOf(res);
    const ids = selectedIds(req.query.s);
    await ctx.pages.sendCached(req, res, ['s'], () => ({
      view: 'compare',
      nav: 'compare',
      title: t('compare.title'),
      model: buildCompare(ctx.store, ids, lang, unit, t),
    }));
  });
  return router;
}
