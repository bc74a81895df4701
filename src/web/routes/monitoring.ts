import { Router, type Request, type Response } from 'express';
import { listActuals, monitoring, recordActuals, type Monitoring } from '../../app/monitoring';
import { projectResource } from '../../app/resources';
import { decide } from '../../domain/access';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { prefsOf, type WebContext } from '../context';
import { can } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { projectParam } from '../middleware/resources';
import {
  bodyOf,
  emptyForm,
  formFromPost,
  monitoringJson,
  monitoringView,
  type ActualsForm,
} from '../view-models/monitoring';
import { queryText } from './params';

/** The year the entry form starts on: the one after the latest recorded, within the timeline. */
function nextYear(m: Monitoring): string {
  const last = m.frame.startYear + m.frame.constructionYears + m.frame.operationYears - 1;
  const latest = m.actuals.reduce((y, a) => Math.max(y, a.year), m.frame.startYear - 1);
  return String(Math.min(latest + 1, last));
}

/**
 * The Monitoring page of a project (issue 12): GET /projects/:code/monitoring (`?scenario=` id,
 * `?threshold=` percent) shows the actuals, plan vs actual with flags, the re-forecast beside the
 * plan and the charts; POST /projects/:code/monitoring/actuals records a year (CSRF), a refusal
 * comes back as typed (422). README "Monitoring and post-evaluation".
 */
export function monitoringRoutes(ctx: WebContext): Router {
  const router = Router();
  const show = async (
    req: Request,
    res: Response,
    form: ActualsForm | null,
    opts: {
      issues?: FieldIssue[];
      status?: number;
      notice?: string | null;
      scenario?: string;
    } = {},
  ) => {
    const { lang, unit, t } = prefsOf(res);
    const code = req.params.code as string;
    const m = monitoring(ctx.store, actorOf(res), code, {
      scenario: opts.scenario ?? queryText(req.query.scenario),
      threshold: queryText(req.query.threshold),
    });
    const shown = form ?? emptyForm(m.frame.streams.length, nextYear(m));
    await ctx.pages.send(req, res, {
      view: 'monitoring',
      nav: 'projects',
      title: `${t('mon.title')} · ${m.project.name}`,
      model: {
        ...monitoringView(m, shown, opts.issues ?? [], lang, unit, t),
        csrfToken: ctx.csrf.token(req, res),
        notice: opts.notice ?? null,
        mayRecord: mayRecord(ctx, res, code),
      },
      status: opts.status,
    });
  };

  router.get(
    '/projects/:code/monitoring',
    can(ctx.store, 'actuals.read', projectParam),
    async (req, res) => {
      const { t } = prefsOf(res);
      const saved = queryText(req.query.saved);
      await show(req, res, null, {
        notice:
          saved !== undefined && /^\d{4}$/.test(saved) ? t('mon.saved', { year: saved }) : null,
      });
    },
  );

  router.post(
    '/projects/:code/monitoring/actuals',
    can(ctx.store, 'actuals.write', projectParam),
    async (req, res) => {
      const { t } = prefsOf(res);
      const code = req.params.code as string;
      const scenario =
        typeof req.body?.scenario === 'string' ? (req.body.scenario as string) : undefined;
      const m = monitoring(ctx.store, actorOf(res), code, { scenario, reforecast: false });
      const form = formFromPost(req.body, m.frame.streams.length);
      if (res.locals.csrfRefused === true) {
        await show(req, res, form, { status: 403, notice: t('editor.expired'), scenario });
        return;
      }
      try {
        const row = recordActuals(ctx.store, actorOf(res), code, bodyOf(form, m, m.scenario.id));
        res.redirect(
          303,
          `/projects/${encodeURIComponent(code)}/monitoring?scenario=${m.scenario.id}&saved=${row.year}`,
        );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await show(req, res, form, { issues: err.issues, status: 422, scenario });
      }
    },
  );
  return router;
}

/** Whether the signed-in actor may record actuals (the form is shown only then). */
function mayRecord(ctx: WebContext, res: Response, code: string): boolean {
  return decide(actorOf(res), 'actuals.write', projectResource(ctx.store, code)) === 'allow';
}

/** API: GET/POST /api/v1/projects/:code/actuals, GET /api/v1/projects/:code/monitoring. */
export function monitoringApiRoutes(ctx: WebContext): Router {
  const router = Router();
  router.get(
    '/projects/:code/actuals',
    can(ctx.store, 'actuals.read', projectParam),
    (req, res) => {
      res.json(listActuals(ctx.store, actorOf(res), req.params.code as string));
    },
  );
  router.post(
    '/projects/:code/actuals',
    can(ctx.store, 'actuals.write', projectParam),
    (req, res) => {
      const row = recordActuals(ctx.store, actorOf(res), req.params.code as string, req.body);
      res.status(201).json({ actuals: row });
    },
  );
  router.get(
    '/projects/:code/monitoring',
    can(ctx.store, 'actuals.read', projectParam),
    (req, res) => {
      const m = monitoring(ctx.store, actorOf(res), req.params.code as string, {
        scenario: queryText(req.query.scenario),
        threshold: queryText(req.query.threshold),
      });
      res.json(monitoringJson(m));
    },
  );
  return router;
}
