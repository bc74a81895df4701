import { signedIn } from '../middleware/access';
import { Router } from 'express';
import { scenarioCapEffect, type ScenarioCapEffect } from '../../app/portfolios';
import type { Lang } from '../format/number';
import { formatPercent } from '../format/number';
import { prefsOf, storeFor, type WebContext } from '../context';
import { actorOf } from '../middleware/auth';
import { buildCompare, MAX_COMPARED, selectedIds } from '../view-models/compare';

/** The peak PPP ratio in % to 4 dp (as the risk page), with its year. */
const peakText = (p: { year: number; ratio: string } | null, lang: Lang) =>
  p === null ? '—' : `${formatPercent(p.ratio, lang, { dp: 4 })} (${p.year})`;

/** One column of the compare page's "rule checks and the portfolio's cap" table. */
function capEffectView(e: ScenarioCapEffect, lang: Lang) {
  return {
    failing: e.failing.map((f) => f.title[lang]).join('; ') || '—',
    passCount: e.passCount,
    failCount: e.failCount,
    portfolio: e.portfolio
      ? { name: e.portfolio.name, href: `/portfolios/${e.portfolio.id}/fiscal` }
      : null,
    withScenario: peakText(e.withScenario, lang),
    saved: peakText(e.saved, lang),
    cap: e.cap === null ? '—' : formatPercent(e.cap, lang),
  };
}

/**
 * GET /compare?s=<scenario id>&s=... — two to four scenarios side by side; more than four
 * answer 422 with each of them to tick, so the user picks which four. Each compared scenario
 * shows its rule checks and its effect on a portfolio's cap (README "Portfolios").
 */
export function compareRoutes(ctx: WebContext): Router {
  const router = Router();
  router.get('/compare', signedIn, async (req, res) => {
    const { lang, unit, t } = prefsOf(res);
    const ids = selectedIds(req.query.s);
    const page = () => {
      const model = buildCompare(storeFor(ctx, res), ids, lang, unit, t);
      const capEffects = model.hasComparison
        ? ids.map((id) => capEffectView(scenarioCapEffect(ctx.store, actorOf(res), id), lang))
        : [];
      return {
        view: 'compare',
        nav: 'compare' as const,
        title: t('compare.title'),
        model: { ...model, capEffects },
      };
    };
    // More than MAX_COMPARED: 422 with the scenarios to choose from (an answer the cache does not keep).
    if (ids.length > MAX_COMPARED) await ctx.pages.send(req, res, { ...page(), status: 422 });
    else await ctx.pages.sendCached(req, res, ['s'], page);
  });
  return router;
}
