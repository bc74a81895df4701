import { Router } from 'express';
import { z } from 'zod';
import { portfolioRisk } from '../../app/risk/portfolio';
import { ValidationError } from '../../domain/errors';
import {
  MAX_SHOCK_SD,
  PORTFOLIO_DRIVERS,
  type PortfolioRiskSpecInput,
} from '../../domain/risk/portfolio';
import { MAX_TRIALS } from '../../domain/risk/spec';
import { toFieldIssues } from '../../domain/scenario/parse';
import type { WebContext } from '../context';
import { can } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { portfolioParam } from '../middleware/resources';
import { DEFAULT_PORTFOLIO_RISK_FORM, type PortfolioRiskForm } from '../view-models/portfolio-risk';
import { idParam, queryText } from './params';

const DECIMAL = /^\d+(\.\d+)?$/;
const whole = (what: string, max: number, min: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `${what} must be a whole number` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `${what} must be at least ${min}` })
        .max(max, { error: `${what} is at most ${max}` }),
    );
const sd = (what: string) =>
  z
    .string()
    .regex(DECIMAL, {
      error: `The ${what} standard deviation must be a decimal number such as 0.1`,
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .max(MAX_SHOCK_SD, { error: `The ${what} standard deviation is at most ${MAX_SHOCK_SD}` }),
    );

const queryShape = z.object({
  trials: whole('Trials', MAX_TRIALS, 1),
  seed: whole('The seed', 0xffffffff, 0),
  commonSd: sd('common shock'),
  ownSd: sd('own shock'),
  driver: z.enum(PORTFOLIO_DRIVERS, { error: 'The driver is revenue, capex or opex' }),
});

/** The form as typed (absent or empty fields take the defaults). */
export function portfolioRiskForm(query: Record<string, unknown>): PortfolioRiskForm {
  const pick = (k: keyof PortfolioRiskForm) => {
    const v = queryText(query[k])?.trim();
    return v === undefined || v === '' ? DEFAULT_PORTFOLIO_RISK_FORM[k] : v;
  };
  return {
    trials: pick('trials'),
    seed: pick('seed'),
    commonSd: pick('commonSd'),
    ownSd: pick('ownSd'),
    driver: pick('driver'),
  };
}

/**
 * The spec of a portfolio risk form or query.
 * @throws ValidationError at `trials`, `seed`, `commonSd`, `ownSd` or `driver`
 */
export function portfolioRiskSpec(form: PortfolioRiskForm): PortfolioRiskSpecInput {
  const r = queryShape.safeParse(form);
  if (!r.success)
    throw new ValidationError(toFieldIssues(r.error), 'The portfolio risk request is not valid');
  return {
    trials: r.data.trials,
    seed: r.data.seed,
    shocks: { driver: r.data.driver, common: { sd: r.data.commonSd }, own: { sd: r.data.ownSd } },
  };
}

/**
 * The portfolio risk API (mounted under /api/v1):
 *   GET /portfolios/:id/risk?trials=&seed=&commonSd=&ownSd=&driver=   (defaults 2000, 1, 0.1, 0.1, revenue)
 * runs on the worker threads and answers `{ portfolioId, jurisdiction, result }`; 422 naming the field.
 */
export function portfolioRiskApiRoutes(ctx: WebContext): Router {
  const router = Router();
  router.get(
    '/portfolios/:id/risk',
    can(ctx.store, 'portfolio.read', portfolioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      const spec = portfolioRiskSpec(portfolioRiskForm(req.query as Record<string, unknown>));
      res.json(await portfolioRisk(ctx.store, actorOf(res), ctx.risk.runner, id, spec));
    },
  );
  return router;
}
