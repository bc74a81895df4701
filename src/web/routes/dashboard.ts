import { signedIn } from '../middleware/access';
import { Router } from 'express';
import { prefsOf, storeFor, type WebContext } from '../context';
import { buildDashboard, dashboardReportId } from '../view-models/dashboard';
import { queryText } from './params';

/** GET / — the portfolio dashboard (`?portfolio=<id>&vs=<id>` to choose and compare). */
export function dashboardRoutes(ctx: WebContext): Router {
  const router = Router();
  router.get('/', signedIn, async (req, res) => {
    const { lang, unit, t } = prefsOf(res);
    await ctx.pages.sendCached(
      req,
      res,
      ['portfolio', 'vs'],
      (query) => ({
        view: 'dashboard',
        nav: 'dashboard',
        title: t('dash.title'),
        model: buildDashboard(
          storeFor(ctx, res),
          { portfolio: queryText(query.portfolio), vs: queryText(query.vs) },
          lang,
          unit,
          t,
          (id) => ctx.fiscal.portfolio(id),
        ),
      }),
      {
        scope: 'portfolios',
        prepare: async (query) => {
          const reportId = dashboardReportId(storeFor(ctx, res), query);
          if (reportId !== null) await ctx.fiscal.prepare(reportId);
        },
      },
    );
  });
  return router;
}
