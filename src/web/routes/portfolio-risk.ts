import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  getPortfolioRiskRun,
  portfolioRisk,
  preparePortfolioRisk,
  rerunPortfolioRisk,
  runPortfolioRisk,
  type PortfolioRiskRun,
} from '../../app/risk/portfolio';
import { ValidationError } from '../../domain/errors';
import {
  MAX_SHOCK_SD,
  PORTFOLIO_DRIVERS,
  type PortfolioRiskSpecInput,
} from '../../domain/risk/portfolio';
import { MAX_TRIALS } from '../../domain/risk/spec';
import { toFieldIssues } from '../../domain/scenario/parse';
import { prefsOf, type WebContext } from '../context';
import { UNIT_DECIMALS } from '../format/number';
import { can } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { portfolioParam, portfolioRiskRunParam } from '../middleware/resources';
import type { RiskJob } from '../services/risk-jobs';
import {
  DEFAULT_PORTFOLIO_RISK_FORM,
  portfolioRiskRunView,
  type PortfolioRiskForm,
} from '../view-models/portfolio-risk';
import { idParam, queryText } from './params';
import { ownerOf } from './risk';

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

/** The form as posted: every field as typed, '' when absent (the form sends them all; no defaults). */
export function postedPortfolioRiskForm(body: Record<string, unknown>): PortfolioRiskForm {
  const text = (k: keyof PortfolioRiskForm) => queryText(body[k])?.trim() ?? '';
  return {
    trials: text('trials'),
    seed: text('seed'),
    commonSd: text('commonSd'),
    ownSd: text('ownSd'),
    driver: text('driver'),
  };
}

/**
 * Starts a recorded portfolio risk run as a job of the signed-in user (README "Portfolio risk"),
 * or answers it from the record when the same key was run before.
 * @throws ValidationError (the spec, at its paths), NotFoundError, ForbiddenError,
 *   TooManyRiskJobsError (429)
 */
export function startPortfolioRun(
  ctx: WebContext,
  res: Response,
  portfolioId: number,
  spec: unknown,
): { run: PortfolioRiskRun; job: null } | { run: null; job: RiskJob } {
  const actor = actorOf(res);
  const prepared = preparePortfolioRisk(ctx.store, actor, portfolioId, spec);
  if (prepared.cached) return { run: prepared.cached, job: null };
  const job = ctx.risk.jobs.start(
    ownerOf(res),
    { kind: 'portfolio', subjectId: portfolioId, trials: prepared.spec.trials },
    (signal, onProgress) =>
      runPortfolioRisk(ctx.store, actor, ctx.risk.runner, prepared, { signal, onProgress }),
  );
  return { run: null, job };
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

/** The page of a recorded run: the figures and fan chart, the members, what reproduces it. */
async function sendRunPage(ctx: WebContext, req: Request, res: Response, run: PortfolioRiskRun) {
  const { lang, unit, t } = prefsOf(res);
  const portfolio = ctx.store.portfolios.get(run.portfolioId);
  const view = portfolioRiskRunView(run, lang, unit, t);
  await ctx.pages.send(req, res, {
    view: 'portfolio-risk-run',
    nav: 'fiscal',
    title: `${t('portfolioRisk.run.title', { n: run.id })} · ${portfolio.name}`,
    model: {
      run,
      portfolio: { id: portfolio.id, name: portfolio.name },
      ...view,
      charts: {
        lang,
        unitLabel: t(`unit.${unit}`),
        noData: t('chart.noData'),
        decimals: UNIT_DECIMALS[unit],
        charts: view.figures.fan ? { portfolioRiskFan: view.figures.fan } : {},
      },
    },
  });
}

/**
 * The pages of recorded portfolio risk runs (README "Portfolio risk"):
 *   GET /portfolio-risk-runs/:id         the run (figures, fan chart, members, what reproduces it)
 *   GET /portfolio-risk-runs/:id/rerun   re-runs it from what it recorded: reproduced or differs
 * The form that starts one is on the fiscal page (POST /portfolios/:id/risk-runs, routes/fiscal.ts).
 */
export function portfolioRiskRoutes(ctx: WebContext): Router {
  const router = Router();
  const { store } = ctx;
  const runId = (req: Request) => idParam(req.params.id, 'Portfolio risk run');

  router.get(
    '/portfolio-risk-runs/:id',
    can(store, 'portfolio.read', portfolioRiskRunParam),
    async (req, res) => {
      await sendRunPage(ctx, req, res, getPortfolioRiskRun(store, actorOf(res), runId(req)));
    },
  );

  router.get(
    '/portfolio-risk-runs/:id/rerun',
    can(store, 'portfolio.read', portfolioRiskRunParam),
    async (req, res) => {
      const { t } = prefsOf(res);
      const outcome = await rerunPortfolioRisk(store, actorOf(res), ctx.risk.runner, runId(req));
      await ctx.pages.send(req, res, {
        view: 'risk-rerun',
        nav: 'fiscal',
        title: t('portfolioRisk.rerun.title', { n: outcome.run.id }),
        model: {
          ...outcome,
          heading: t('portfolioRisk.rerun.title', { n: outcome.run.id }),
          back: `/portfolio-risk-runs/${outcome.run.id}`,
        },
      });
    },
  );
  return router;
}

/**
 * The portfolio risk API (mounted under /api/v1):
 *   GET  /portfolios/:id/risk?trials=&seed=&commonSd=&ownSd=&driver=   (defaults 200, 1, 0.1, 0.1, revenue)
 *        runs awaited, not recorded: `{ portfolioId, jurisdiction, result }`; 422 naming the field
 *   POST /portfolios/:id/risk-runs `{ trials, seed, shocks? }`   202 `{ job }`, or 200 `{ run, cached: true }`
 *   GET  /portfolio-risk-runs/:id, /portfolio-risk-runs/:id/rerun   the record; `{ summaryHash, rerunHash, reproduced }`
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

  router.post(
    '/portfolios/:id/risk-runs',
    can(ctx.store, 'portfolio.risk', portfolioParam),
    (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      const out = startPortfolioRun(ctx, res, id, req.body ?? {});
      if (out.run)
        res.status(200).json({
          run: { id: out.run.id, url: `/api/v1/portfolio-risk-runs/${out.run.id}` },
          cached: true,
        });
      else res.status(202).json({ job: { ...out.job, url: `/api/v1/risk-jobs/${out.job.id}` } });
    },
  );

  router.get(
    '/portfolio-risk-runs/:id',
    can(ctx.store, 'portfolio.read', portfolioRiskRunParam),
    (req, res) => {
      const id = idParam(req.params.id, 'Portfolio risk run');
      res.json(getPortfolioRiskRun(ctx.store, actorOf(res), id));
    },
  );

  router.get(
    '/portfolio-risk-runs/:id/rerun',
    can(ctx.store, 'portfolio.read', portfolioRiskRunParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio risk run');
      const out = await rerunPortfolioRisk(ctx.store, actorOf(res), ctx.risk.runner, id);
      res.json({
        id: out.run.id,
        summaryHash: out.run.summaryHash,
        rerunHash: out.rerunHash,
        reproduced: out.reproduced,
      });
    },
  );
  return router;
}
