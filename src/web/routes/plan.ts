import { Router, type Request, type Response } from 'express';
import { optimisePlan, planForm, planJson, type PlanOutcome } from '../../app/plan';
import { portfolioResource } from '../../app/resources';
import { decide } from '../../domain/access';
import { DomainError, ValidationError, type FieldIssue } from '../../domain/errors';
import { prefsOf, type WebContext } from '../context';
import { can } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { BadRequestError } from '../middleware/errors';
import { portfolioParam } from '../middleware/resources';
import { postedText } from '../view-models/form-fields';
import {
  defaultPlanForm,
  planPageView,
  planRequestOf,
  postedPlanForm,
  type PlanForm,
} from '../view-models/plan';
import { idParam } from './params';

/** A posted save form carries the request it saves as JSON (`request`) and the new name. */
function savedRequest(body: unknown): unknown {
  const raw = postedText(body, 'request');
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
    return { ...parsed, saveAs: postedText(body, 'saveAs') };
  } catch {
    throw new BadRequestError([
      { path: 'request', message: 'The saved plan request is not valid' },
    ]);
  }
}

/**
 * The programme optimiser's page and API (issue 12, README "Programme optimiser"):
 *   GET  /portfolios/:id/plan          the form, prefilled from the portfolio and its fiscal settings
 *   POST /portfolios/:id/plan          solves (on a worker thread) and shows the result; with
 *                                      `saveAs` (the save form), saves it as a new portfolio (303)
 *   POST /api/v1/portfolios/:id/plan   the same as JSON (201 with `saved` when `saveAs` is given)
 */
export function planRoutes(ctx: WebContext): Router {
  const { store } = ctx;
  const router = Router();

  const show = async (
    req: Request,
    res: Response,
    id: number,
    form: PlanForm | null,
    outcome: PlanOutcome | null,
    issues: FieldIssue[] = [],
    problem: string | null = null,
  ) => {
    const { t, lang, unit } = prefsOf(res);
    const actor = actorOf(res);
    const data = outcome?.data ?? planForm(store, actor, id);
    await ctx.pages.send(req, res, {
      view: 'plan',
      nav: 'portfolios',
      title: `${t('plan.title')} · ${data.portfolio.name}`,
      status: issues.length > 0 || problem !== null ? 422 : undefined,
      model: planPageView({
        data,
        form: form ?? defaultPlanForm(data),
        issues,
        problem,
        outcome,
        lang,
        unit,
        t,
        csrfToken: ctx.csrf.token(req, res),
        maySave: decide(actor, 'portfolio.write', portfolioResource(store, id)) === 'allow',
      }),
    });
  };

  router.get(
    '/portfolios/:id/plan',
    can(store, 'plan.optimise', portfolioParam),
    async (req, res) => show(req, res, idParam(req.params.id, 'Portfolio'), null, null),
  );

  router.post(
    '/portfolios/:id/plan',
    can(store, 'plan.optimise', portfolioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      const saving = postedText(req.body, 'request') !== '';
      const form = saving ? null : postedPlanForm(req.body);
      const body = saving ? savedRequest(req.body) : planRequestOf(form as PlanForm);
      try {
        const outcome = await optimisePlan(store, actorOf(res), ctx.risk.runner, id, body);
        if (outcome.saved) return res.redirect(303, `/portfolios/${outcome.saved.id}?saved=1`);
        await show(req, res, id, form, outcome);
      } catch (err) {
        if (err instanceof ValidationError) return show(req, res, id, form, null, err.issues);
        if (err instanceof DomainError && err.code.startsWith('plan-'))
          return show(req, res, id, form, null, [], err.message);
        if (err instanceof DomainError && err.code === 'must-do-without-candidate')
          return show(req, res, id, form, null, [], err.message);
        throw err;
      }
    },
  );
  return router;
}

/** `POST /api/v1/portfolios/:id/plan`: body as `planRequestSchema`; amounts as yuan text. */
export function planApiRoutes(ctx: WebContext): Router {
  const { store } = ctx;
  const router = Router();
  router.post(
    '/portfolios/:id/plan',
    can(store, 'plan.optimise', portfolioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      const body: unknown = req.body ?? {};
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new BadRequestError([{ path: '', message: 'The body must be a JSON object' }]);
      const outcome = await optimisePlan(store, actorOf(res), ctx.risk.runner, id, body);
      res.status(outcome.saved ? 201 : 200).json(planJson(outcome));
    },
  );
  return router;
}
