import { can, signedIn } from '../middleware/access';
import { projectParam } from '../middleware/resources';
import { Router } from 'express';
import { prefsOf, storeFor, type WebContext } from '../context';
import { buildProject, buildProjectList } from '../view-models/projects';

/** GET /projects (all projects) and GET /projects/:code (scenarios side by side, history). */
export function projectRoutes(ctx: WebContext): Router {
  const router = Router();
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
          model,
        };
      },
      {
        scope: { projectCode: req.params.code as string },
        prepare: () => ctx.fiscal.preparePortfoliosOfProject(req.params.code as string),
      },
    );
  });
  return router;
}
