import { signedIn } from '../middleware/access';
import { Router } from 'express';
import { prefsOf, storeFor, type WebContext } from '../context';
import { buildDashboard, dashboardReportId } from '../view-models/dashboard';
import { queryText } from './params';
import { offPlanProjects } from '../../app/monitoring';
import { actorOf } from '../middleware/auth';
import { offPlanView } from '../view-models/monitoring';

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
        model: {
          ...buildDashboard(
            storeFor(ctx, res),
            { portfolio: queryText(query.portfolio), vs: queryText(query.vs) },
            lang,
            unit,
            t,
            (id) => ctx.fiscal.portfolio(id),
          ),
          // Monitoring (issue 12): projects whose latest year of actuals is off plan.
          offPlan: offPlanView(offPlanProjects(ctx.store, actorOf(res)), t),
        },
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
