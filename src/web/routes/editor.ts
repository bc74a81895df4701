import { asActor } from '../../app/actors';
import { can } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { editorPost, newProject, projectParam, scenarioParam } from '../middleware/resources';
import { Router, type Request, type Response } from 'express';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { parseScenario } from '../../domain/scenario/parse';
import { ConflictError } from '../../store/errors';
import type { ScenarioInput } from '../../domain/scenario/schema';
import { prefsOf, type WebContext } from '../context';
import {
  applyAction,
  blankForm,
  fitCapex,
  formFromInput,
  formFromPost,
  formToInput,
  type EditorForm,
} from '../view-models/editor-form';
import { editorView } from '../view-models/editor';
import { formRefusal, idParam, queryText } from './params';

/**
 * The scenario editor: GET /projects/new (a new project), GET /projects/:code/scenarios/new,
 * GET /scenarios/:id/edit (`?copy=1`: as a new scenario), and POST /editor, which saves a new
 * version, or re-renders the form for the add/remove-row buttons (the no-JavaScript path) and
 * with every problem marked (422) when the input is not valid. Nothing is saved unless all of
 * it is valid.
 */
export function editorRoutes(ctx: WebContext): Router {
  const router = Router();

  const show = async (
    req: Request,
    res: Response,
    form: EditorForm,
    opts: { issues?: FieldIssue[]; status?: number; notice?: string | null } = {},
  ) => {
    const { lang, t } = prefsOf(res);
    const heading =
      form.meta.mode === 'edit'
        ? t('editor.titleEdit')
        : form.meta.mode === 'new-scenario'
          ? t('editor.titleNewScenario', {
              project: form.fields['project.name'] || form.meta.lockedCode,
            })
          : t('editor.titleNew');
    const model = editorView({
      form,
      issues: opts.issues ?? [],
      lang,
      t,
      csrfToken: ctx.csrf.token(req, res),
      heading,
      notice: opts.notice ?? null,
    });
    await ctx.pages.send(req, res, {
      view: 'editor',
      nav: form.meta.mode === 'new-project' ? 'new' : 'projects',
      title: heading,
      model,
      status: opts.status,
    });
  };

  const meta = (
    mode: EditorForm['meta']['mode'],
    lockedCode = '',
    baseVersionId = '',
  ): EditorForm['meta'] => ({ mode, comment: '', baseVersionId, lockedCode });

  router.get('/projects/new', can(ctx.store, 'project.write', newProject), async (req, res) => {
    await show(req, res, blankForm(ctx.clock(), meta('new-project')));
  });

  router.get(
    '/projects/:code/scenarios/new',
    can(ctx.store, 'scenario.write', projectParam),
    async (req, res) => {
      const project = ctx.store.projects.get(req.params.code as string);
      const form = blankForm(ctx.clock(), meta('new-scenario', project.code));
      Object.assign(form.fields, {
        'project.code': project.code,
        'project.name': project.name,
        'project.nameEn': project.nameEn ?? '',
        'project.sector': project.sector,
        'project.category': project.category,
        'project.approvalDate': project.approvalDate,
        'project.jurisdiction': project.jurisdiction ?? '',
      });
      await show(req, res, form);
    },
  );

  router.get(
    '/scenarios/:id/edit',
    can(ctx.store, 'scenario.write', scenarioParam),
    async (req, res) => {
      const scenario = ctx.store.scenarios.getById(idParam(req.params.id, 'Scenario'));
      const version = ctx.store.scenarios.version(scenario.currentVersionId);
      const copy = queryText(req.query.copy) === '1';
      const form = formFromInput(
        version.inputs,
        copy
          ? meta('new-scenario', scenario.projectCode)
          : meta('edit', scenario.projectCode, String(version.id)),
      );
      if (copy) form.fields['scenario.name'] = '';
      await show(req, res, form);
    },
  );

  router.post('/editor', can(ctx.store, 'scenario.write', editorPost), async (req, res) => {
    const { lang, t } = prefsOf(res);
    const form = formFromPost(req.body);
    form.capex = fitCapex(form.capex, form.fields['timeline.constructionYears'] ?? '');
    if (res.locals.csrfRefused === true) {
      // No valid form token (expired after a restart, or a forged post): nothing is done with
      // the post; the form comes back as typed with a new token, to be checked and sent again.
      await show(req, res, form, { status: 403, notice: t('editor.expired') });
      return;
    }
    const action = queryText((req.body as Record<string, unknown>).action) ?? 'save';
    if (action !== 'save') {
      await show(req, res, applyAction(form, action));
      return;
    }
    const input = formToInput(form);
    try {
      parseScenario(input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await show(req, res, form, { issues: err.issues, status: 422 });
      return;
    }

    try {
      // Someone saved this scenario since the form was opened: the store refuses inside its
      // write transaction; say so, and let a second save (from the new current version) proceed.
      const base = form.meta.mode === 'edit' ? Number(form.meta.baseVersionId) : NaN;
      const saved = asActor(ctx.store, actorOf(res), () =>
        ctx.store.scenarios.save(input as ScenarioInput, {
          actor: actorOf(res).username,
          comment: form.meta.comment,
          ...(Number.isSafeInteger(base) && base > 0 ? { basedOnVersionId: base } : {}),
        }),
      );
      const param = saved.created ? 'saved' : 'unchanged';
      res.redirect(303, `/scenarios/${saved.scenario.id}?${param}=${saved.version.versionNo}`);
    } catch (err) {
      if (err instanceof ConflictError && err.code === 'stale-version') {
        const current = err.context as { versionId: number; versionNo: number; author: string };
        form.meta.baseVersionId = String(current.versionId);
        await show(req, res, form, {
          status: 409,
          notice: t('editor.conflict', { n: current.versionNo, author: current.author }),
        });
        return;
      }
      await show(req, res, form, formRefusal(err, lang));
    }
  });

  return router;
}
