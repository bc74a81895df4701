import { can, signedIn } from '../middleware/access';
import { projectParam, scenarioParam } from '../middleware/resources';
import { Router, type Response } from 'express';
import { PROJECT_ARCHIVING, SCENARIO_ARCHIVING } from '../../app/archive';
import { projectResource } from '../../app/resources';
import { decide } from '../../domain/access';
import { prefsOf, storeFor, type WebContext } from '../context';
import { actorOf } from '../middleware/auth';
import { CSRF_SLOT } from '../services/pages';
import { idParam } from './params';
import { buildProject, buildProjectList } from '../view-models/projects';

/**
 * GET /projects (all projects) and GET /projects/:code (scenarios side by side, history, and the
 * archive forms); POST /scenarios/:id/archive|restore and /projects/:code/archive|restore
 * archive or restore (never delete, README "Portfolios"), 303 back to the project page.
 */
export function projectRoutes(ctx: WebContext): Router {
  const router = Router();
  const { store } = ctx;

  /** The project page's archive section: live scenarios to archive, archived ones to restore. */
  const archiveView = (res: Response, code: string) => {
    const all = store.scenarios.list({ projectCode: code, includeDeleted: true });
    const project = store.projects.get(code);
    return {
      csrfToken: CSRF_SLOT,
      mayWrite: decide(actorOf(res), 'project.write', projectResource(store, code)) === 'allow',
      live: all
        .filter((s) => s.deletedAt === null)
        .map((s) => ({ name: s.name, action: `/scenarios/${s.id}/archive` })),
      archived: all
        .filter((s) => s.deletedAt !== null)
        .map((s) => ({
          name: s.name,
          href: `/scenarios/${s.id}`,
          action: `/scenarios/${s.id}/restore`,
        })),
      projectArchived: project.deletedAt !== null,
      projectAction: `/projects/${encodeURIComponent(code)}/${project.deletedAt === null ? 'archive' : 'restore'}`,
    };
  };
  const back = (res: Response, code: string) =>
    res.redirect(303, `/projects/${encodeURIComponent(code)}`);

  for (const [verb, fn] of SCENARIO_ARCHIVING) {
    router.post(
      `/scenarios/:id/${verb}`,
      can(store, 'scenario.write', scenarioParam),
      (req, res) => {
        back(res, fn(store, actorOf(res), idParam(req.params.id, 'Scenario')).projectCode);
      },
    );
  }
  for (const [verb, fn] of PROJECT_ARCHIVING) {
    router.post(
      `/projects/:code/${verb}`,
      can(store, 'project.write', projectParam),
      (req, res) => {
        back(res, fn(store, actorOf(res), req.params.code as string).code);
      },
    );
  }

  router.get('/projects', signedIn, async (req, res) => {
    const { lang, t } = prefsOf(res);
    await ctx.pages.sendCached(req, res, [], () => ({
      view: 'projects',
      nav: 'projects',
      title: t('projects.title'),
      model: buildProjectList(storeFor(ctx, res), lang),
    }));
  });
  router.get('/projects/:code', can(ctx.store, 'project.read', projectParam), async (req, res) => {
    const { lang, unit, t } = prefsOf(res);
    await ctx.pages.sendCached(
      req,
      res,
      [],
      () => {
        const model = buildProject(
          storeFor(ctx, res),
          req.params.code as string,
          lang,
          unit,
          t,
          ctx.fiscal,
        );
        return {
          view: 'project',
          nav: 'projects',
          title: `${model.project.name} (${model.project.code})`,
          model: { ...model, archive: archiveView(res, req.params.code as string) },
        };
      },
      {
        scope: { projectCode: req.params.code as string },
        csrfToken: ctx.csrf.token(req, res),
        prepare: () => ctx.fiscal.preparePortfoliosOfProject(req.params.code as string),
      },
    );
  });
  return router;
}
