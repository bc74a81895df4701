import { asActor } from '../../app/actors';
import { can } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { newProject, uploadPost } from '../middleware/resources';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { FieldIssue } from '../../domain/errors';
import { prefsOf, type WebContext } from '../context';
import { uploadScenarioText } from '../services/scenario-upload';
import {
  blankImportForm,
  importFormFromPost,
  importView,
  type ImportForm,
} from '../view-models/import';
import { formRefusal } from './params';
import { workbookRoutes } from './workbook-import';
import { WORKBOOK_MAX_BYTES } from '../../store/xlsx/read-workbook';

export const IMPORT_PATH = '/import';

/** How the import page is shown again: with the problems of the file or of the workbook. */
export interface ShowOptions {
  issues?: FieldIssue[];
  status?: number;
  notice?: string | null;
  workbookIssues?: FieldIssue[];
  workbookNotice?: string | null;
}

/**
 * The import form's body parser, mounted before the one for all forms: a scenario history read
 * into the text box can be far larger than any other form (2 MB of JSON grows by up to three
 * times when urlencoded: Chinese text, quotes and braces are all escaped).
 */
export const importBodyParser: RequestHandler = express.urlencoded({
  extended: false,
  limit: '8mb',
  parameterLimit: 20,
});

/**
 * GET  /import — a form to import a scenario file or an exported scenario history: choose a
 *      file (read into the text box by a small script, no upload library) or paste its text
 * POST /import — saves it through the same validation as the API and the command line, then
 *      shows the results of the scenario; 422 with every problem and its JSON path, the text kept
 */
export function importRoutes(ctx: WebContext): Router {
  const router = Router();

  const show = async (req: Request, res: Response, form: ImportForm, opts: ShowOptions = {}) => {
    const { lang, t } = prefsOf(res);
    const model = importView({
      form,
      issues: opts.issues,
      csrfToken: ctx.csrf.token(req, res),
      notice: opts.notice,
      workbookIssues: opts.workbookIssues,
      workbookNotice: opts.workbookNotice,
      workbookMaxBytes: WORKBOOK_MAX_BYTES,
      lang,
      t,
    });
    await ctx.pages.send(req, res, {
      view: 'import',
      nav: 'projects',
      title: t('import.title'),
      model,
      status: opts.status,
    });
  };

  router.get(IMPORT_PATH, can(ctx.store, 'project.write', newProject), async (req, res) => {
    await show(req, res, blankImportForm());
  });

  router.post(IMPORT_PATH, can(ctx.store, 'scenario.write', uploadPost), async (req, res) => {
    const { lang, t } = prefsOf(res);
    const form = importFormFromPost(req.body);
    if (res.locals.csrfRefused === true) {
      // An expired token must not cost the user a pasted file: the text comes back with a new token.
      await show(req, res, form, { status: 403, notice: t('import.expired') });
      return;
    }
    if (form.text.trim() === '') {
      await show(req, res, form, {
        status: 422,
        issues: [{ path: '', message: t('import.empty') }],
      });
      return;
    }
    try {
      const done = asActor(ctx.store, actorOf(res), () =>
        uploadScenarioText(ctx.store, form.text, {
          actor: actorOf(res).username,
          comment: form.comment,
          fileName: form.fileName,
        }),
      );
      const notice =
        done.kind === 'history'
          ? `imported=${done.versionsCreated}`
          : done.versionsCreated > 0
            ? `saved=${done.versionNo}`
            : `unchanged=${done.versionNo}`;
      res.redirect(303, `/scenarios/${done.scenarioId}?${notice}`);
    } catch (err) {
      await show(req, res, form, formRefusal(err, lang));
    }
  });

  workbookRoutes(ctx, router, show);
  return router;
}
