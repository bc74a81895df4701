import { signedIn } from '../middleware/access';
import { Router } from 'express';
import { prefsOf, storeFor, type WebContext } from '../context';
import { buildCompare, MAX_COMPARED, selectedIds } from '../view-models/compare';

/**
 * GET /compare?s=<scenario id>&s=... — two to four scenarios side by side; more than four
 * answer 422 with each of them to tick, so the user picks which four.
 */
export function compareRoutes(ctx: WebContext): Router {
  const router = Router();
  router.get('/compare', signedIn, async (req, res) => {
    const { lang, unit, t } = prefsOf(res);
    const ids = selectedIds(req.query.s);
    const page = () => ({
      view: 'compare',
      nav: 'compare' as const,
      title: t('compare.title'),
      model: buildCompare(storeFor(ctx, res), ids, lang, unit, t),
    });
    // More than MAX_COMPARED: 422 with the scenarios to choose from (an answer the cache does not keep).
    if (ids.length > MAX_COMPARED) await ctx.pages.send(req, res, { ...page(), status: 422 });
    else await ctx.pages.sendCached(req, res, ['s'], page);
  });
  return router;
}
