import { Router, type Request, type Response } from 'express';
import { asActor } from '../../app/actors';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { parseScenario } from '../../domain/scenario/parse';
import type { ScenarioInput } from '../../domain/scenario/schema';
import { ConflictError } from '../../store/errors';
import { prefsOf, type WebContext } from '../context';
import { can } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { scenarioParam } from '../middleware/resources';
import {
  formFromPost,
  formFromVersion,
  formToRisks,
  registerOf,
  registerView,
  v2Inputs,
  type RegisterForm,
} from '../view-models/risk-register';
import { formRefusal, idParam, queryText } from './params';

/**
 * The Risk register page of a scenario (issue 11): GET /scenarios/:id/risk-register shows the
 * register of the current version and the figures computed from it; POST saves the edited
 * register as a new version (the rest of the scenario unchanged) through the store's save, the
 * editor's, with its stale-version check; a form with problems comes back as typed (422).
 */
export function riskRegisterRoutes(ctx: WebContext): Router {
  const router = Router();

  const show = async (
    req: Request,
    res: Response,
    id: number,
    form: RegisterForm,
    opts: { issues?: FieldIssue[]; status?: number; notice?: string | null } = {},
  ) => {
    const { lang, t } = prefsOf(res);
    const scenario = ctx.store.scenarios.getById(id);
    const version = ctx.store.scenarios.version(scenario.currentVersionId);
    const model = {
      ...registerView({ form, figures: registerOf(version), issues: opts.issues ?? [], lang, t }),
      scenario: { id, name: version.scenarioName, projectCode: version.projectCode },
      version: { no: version.versionNo },
      csrfToken: ctx.csrf.token(req, res),
      notice: opts.notice ?? null,
    };
    await ctx.pages.send(req, res, {
      view: 'risk-register',
      nav: 'projects',
      title: `${t('risks.title')} · ${version.scenarioName}`,
      model,
      status: opts.status,
    });
  };

  router.get(
    '/scenarios/:id/risk-register',
    can(ctx.store, 'project.read', scenarioParam),
    async (req, res) => {
      const { t } = prefsOf(res);
      const id = idParam(req.params.id, 'Scenario');
      const scenario = ctx.store.scenarios.getById(id);
      const saved = queryText(req.query.saved);
      const unchanged = queryText(req.query.unchanged);
      const notice =
        saved !== undefined && /^\d{1,9}$/.test(saved)
          ? t('editor.saved', { n: saved })
          : unchanged !== undefined && /^\d{1,9}$/.test(unchanged)
            ? t('editor.unchanged', { n: unchanged })
            : null;
      const version = ctx.store.scenarios.version(scenario.currentVersionId);
      await show(req, res, id, formFromVersion(version), { notice });
    },
  );

  router.post(
    '/scenarios/:id/risk-register',
    can(ctx.store, 'scenario.write', scenarioParam),
    async (req, res) => {
      const { lang, t } = prefsOf(res);
      const id = idParam(req.params.id, 'Scenario');
      const form = formFromPost(req.body);
      if (res.locals.csrfRefused === true) {
        await show(req, res, id, form, { status: 403, notice: t('editor.expired') });
        return;
      }
      const current = ctx.store.scenarios.version(ctx.store.scenarios.getById(id).currentVersionId);
      const input = { ...v2Inputs(current), risks: formToRisks(form) } as ScenarioInput;
      try {
        parseScenario(input);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await show(req, res, id, form, { issues: err.issues, status: 422 });
        return;
      }
      try {
        const base = Number(form.baseVersionId);
        const saved = asActor(ctx.store, actorOf(res), () =>
          ctx.store.scenarios.save(input, {
            actor: actorOf(res).username,
            comment: form.comment,
            ...(Number.isSafeInteger(base) && base > 0 ? { basedOnVersionId: base } : {}),
          }),
        );
        const param = saved.created ? 'saved' : 'unchanged';
        res.redirect(
          303,
          `/scenarios/${saved.scenario.id}/risk-register?${param}=${saved.version.versionNo}`,
        );
      } catch (err) {
        if (err instanceof ConflictError && err.code === 'stale-version') {
          const at = err.context as { versionId: number; versionNo: number; author: string };
          form.baseVersionId = String(at.versionId);
          await show(req, res, id, form, {
            status: 409,
            notice: t('editor.conflict', { n: at.versionNo, author: at.author }),
          });
          return;
        }
        await show(req, res, id, form, formRefusal(err, lang));
      }
    },
  );

  return router;
}
