import { Router, type Request, type Response } from 'express';
import {
  optimisePlan,
  planForm,
  planJson,
  planRequest,
  savePlan,
  type PlanOutcome,
} from '../../app/plan';
import { portfolioResource } from '../../app/resources';
import { decide } from '../../domain/access';
import { NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors';
import { prefsOf, type WebContext } from '../context';
import { can, signedIn } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { BadRequestError } from '../middleware/errors';
import { portfolioParam } from '../middleware/resources';
import type { PlanJob } from '../services/plan-jobs';
import { postedText } from '../view-models/form-fields';
import {
  defaultPlanForm,
  planJobView,
  planPageView,
  planRequestOf,
  postedPlanForm,
  type PlanForm,
} from '../view-models/plan';
import { idParam } from './params';
import { ownerOf } from './risk';

/** What the plan page shows besides the form: a result, a refusal, the job it comes from. */
interface Shown {
  form: PlanForm | null;
  outcome: PlanOutcome | null;
  issues?: FieldIssue[];
  problem?: string | null;
  job?: { id: string; saveAs: string } | null;
  saveIssues?: FieldIssue[];
  status?: number;
}

/** Starts a solve of the portfolio as a job of the signed-in user. @throws as `planRequest` */
function startJob(
  ctx: WebContext,
  res: Response,
  id: number,
  body: unknown,
  form: PlanForm | null,
) {
  const actor = actorOf(res);
  const req = planRequest(ctx.store, actor, id, body);
  return ctx.plans.start(
    ownerOf(res),
    { portfolioId: id, timeLimitSeconds: req.timeLimitSeconds, form },
    (signal, onProgress) =>
      optimisePlan(ctx.store, actor, ctx.risk.runner, id, body, { signal, onProgress }),
  );
}

/** The signed-in user's job named in the URL. @throws NotFoundError for another's or an unknown one */
function jobOf(ctx: WebContext, req: Request, res: Response): PlanJob {
  const job = ctx.plans.get(String(req.params.job), ownerOf(res));
  if (!job) throw new NotFoundError('Optimisation', String(req.params.job));
  return job;
}

/** A job as the API answers it: its state and progress, and the programme once solved. */
function jobJson(job: PlanJob) {
  return {
    job: {
      id: job.id,
      portfolioId: job.portfolioId,
      state: job.state,
      progress: job.progress,
      error: job.error,
      startedAt: job.startedAt,
      url: `/api/v1/plan-jobs/${job.id}`,
      page: `/plan-jobs/${job.id}`,
    },
    result: job.outcome === null ? null : planJson(job.outcome),
  };
}

/**
 * The programme optimiser's pages (issue 12, README "Programme optimiser"):
 *   GET  /portfolios/:id/plan          the form, prefilled from the portfolio and its fiscal settings
 *   POST /portfolios/:id/plan          checks the form (422 with it as typed), starts the solve as a
 *                                      job and 303s to its page
 *   GET  /plan-jobs/:job               the job: its progress while it runs, then the form with the
 *                                      result (or why it stopped)
 *   POST /plan-jobs/:job/cancel        cancels it (the worker's task is aborted)
 *   POST /plan-jobs/:job/save          saves its programme as a new portfolio (303); a refused name
 *                                      shows the result again with the name as typed (422)
 */
export function planRoutes(ctx: WebContext): Router {
  const { store } = ctx;
  const router = Router();

  const show = async (req: Request, res: Response, id: number, shown: Shown) => {
    const { t, lang, unit } = prefsOf(res);
    const actor = actorOf(res);
    const data = shown.outcome?.data ?? planForm(store, actor, id);
    const issues = shown.issues ?? [];
    const problem = shown.problem ?? null;
    await ctx.pages.send(req, res, {
      view: 'plan',
      nav: 'portfolios',
      title: `${t('plan.title')} · ${data.portfolio.name}`,
      status: shown.status,
      model: planPageView({
        data,
        form: shown.form ?? defaultPlanForm(data),
        issues,
        problem,
        outcome: shown.outcome,
        lang,
        unit,
        t,
        csrfToken: ctx.csrf.token(req, res),
        maySave: decide(actor, 'portfolio.write', portfolioResource(store, id)) === 'allow',
        job: shown.job,
        saveIssues: shown.saveIssues,
      }),
    });
  };

  router.get(
    '/portfolios/:id/plan',
    can(store, 'plan.optimise', portfolioParam),
    async (req, res) =>
      show(req, res, idParam(req.params.id, 'Portfolio'), { form: null, outcome: null }),
  );

  router.post(
    '/portfolios/:id/plan',
    can(store, 'plan.optimise', portfolioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      const form = postedPlanForm(req.body);
      try {
        const job = startJob(ctx, res, id, planRequestOf(form), form);
        res.redirect(303, `/plan-jobs/${job.id}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await show(req, res, id, { form, outcome: null, issues: err.issues, status: 422 });
      }
    },
  );

  router.get('/plan-jobs/:job', signedIn, async (req, res) => {
    const { t } = prefsOf(res);
    const job = jobOf(ctx, req, res);
    if (job.state === 'running')
      return ctx.pages.send(req, res, {
        view: 'plan-job',
        nav: 'portfolios',
        title: t('plan.job.title'),
        model: planJobView(job, t, ctx.csrf.token(req, res)),
      });
    const problem =
      job.state === 'cancelled'
        ? t('plan.job.cancelled')
        : job.error && job.error.issues.length === 0
          ? job.error.message
          : null;
    await show(req, res, job.portfolioId, {
      form: job.form,
      outcome: job.outcome,
      issues: job.error?.issues ?? [],
      problem,
      job: { id: job.id, saveAs: '' },
    });
  });

  router.post('/plan-jobs/:job/cancel', signedIn, (req, res) => {
    const job = jobOf(ctx, req, res);
    ctx.plans.cancel(job.id, ownerOf(res));
    res.redirect(303, `/plan-jobs/${job.id}`);
  });

  router.post('/plan-jobs/:job/save', signedIn, async (req, res) => {
    const job = jobOf(ctx, req, res);
    if (job.outcome === null) return res.redirect(303, `/plan-jobs/${job.id}`);
    const name = postedText(req.body, 'saveAs');
    try {
      const out = savePlan(store, actorOf(res), job.outcome, name);
      ctx.plans.saved(job.id, ownerOf(res), out);
      res.redirect(303, `/portfolios/${out.saved!.id}?saved=1`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await show(req, res, job.portfolioId, {
        form: job.form,
        outcome: job.outcome,
        saveIssues: err.issues,
        job: { id: job.id, saveAs: name },
        status: 422,
      });
    }
  });
  return router;
}

const jsonBody = (req: Request): object => {
  const body: unknown = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequestError([{ path: '', message: 'The body must be a JSON object' }]);
  return body;
};

/**
 * The optimiser's API, body as `planRequestSchema`, amounts as yuan text:
 *   POST /api/v1/portfolios/:id/plan          solves and answers (201 with `saved` when `saveAs` is given)
 *   POST /api/v1/portfolios/:id/plan-jobs     starts the same as a job: 202 `{ job, result: null }`
 *   GET  /api/v1/plan-jobs/:job               the job's state and progress; `result` once done
 *   POST /api/v1/plan-jobs/:job/cancel        cancels it
 */
export function planApiRoutes(ctx: WebContext): Router {
  const { store } = ctx;
  const router = Router();
  router.post(
    '/portfolios/:id/plan',
    can(store, 'plan.optimise', portfolioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      const outcome = await optimisePlan(store, actorOf(res), ctx.risk.runner, id, jsonBody(req));
      res.status(outcome.saved ? 201 : 200).json(planJson(outcome));
    },
  );
  router.post(
    '/portfolios/:id/plan-jobs',
    can(store, 'plan.optimise', portfolioParam),
    (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      res.status(202).json(jobJson(startJob(ctx, res, id, jsonBody(req), null)));
    },
  );
  router.get('/plan-jobs/:job', signedIn, (req, res) => {
    res.json(jobJson(jobOf(ctx, req, res)));
  });
  router.post('/plan-jobs/:job/cancel', signedIn, (req, res) => {
    const job = jobOf(ctx, req, res);
    ctx.plans.cancel(job.id, ownerOf(res));
    res.json(jobJson(ctx.plans.get(job.id, ownerOf(res))!));
  });
  return router;
}
