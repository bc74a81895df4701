import { readFileSync } from 'node:fs';
import path from 'node:path';
import multer from 'multer';
import type { Request, RequestHandler, Response, Router } from 'express';
import { importWorkbook } from '../../app/workbook-import';
import { parseScenario } from '../../domain/scenario/parse';
import { reviveResult } from '../../store/result-revive';
import { inputsTemplate } from '../../store/xlsx/inputs-template';
import { WORKBOOK_MAX_BYTES } from '../../store/xlsx/read-workbook';
import { scenarioWorkbook } from '../../store/xlsx/scenario-workbook';
import { prefsOf, type WebContext } from '../context';
import { can, signedIn } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { newProject, versionParam } from '../middleware/resources';
import { projectRoot } from '../paths';
import { blankImportForm, importFormFromPost, WORKBOOK_PATHS } from '../view-models/import';
import type { ShowOptions } from './import';
import { formRefusal, idParam } from './params';

export const IMPORT_WORKBOOK_PATH = WORKBOOK_PATHS.upload;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The demo scenario of the filled template (one of the demo portfolio's). */
const DEMO_SCENARIO = path.join('data', 'demo', 'scenarios', 'sc-water--policy-loan.json');

/** Why an upload was refused before it was read: a status and the message key. */
interface UploadRefusal {
  status: 413 | 422;
  key: 'workbookImport.tooLarge' | 'workbookImport.unreadable';
}

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: WORKBOOK_MAX_BYTES, files: 1, fields: 8, fieldSize: 64 * 1024, parts: 10 },
}).single('workbook');

/**
 * The workbook form's multipart parser (multer), mounted before the CSRF check so the check
 * finds the form's `_csrf` field. A file over the limit, or a body multer cannot read, is not
 * an error page: the route shows the form again (413 or 422) with the reason.
 */
export const workbookUploadParser: RequestHandler = (req, res, next) => {
  upload(req, res, (err?: unknown) => {
    if (err) {
      const tooLarge = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE';
      const refusal: UploadRefusal = tooLarge
        ? { status: 413, key: 'workbookImport.tooLarge' }
        : { status: 422, key: 'workbookImport.unreadable' };
      res.locals.uploadRefused = refusal;
      req.body = {};
    }
    next();
  });
};

/** A file name that keeps letters of any script but no path or quoting characters. */
const fileName = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 120);

type Show = (
  req: Request,
  res: Response,
  form: ReturnType<typeof blankImportForm>,
  opts?: ShowOptions,
) => Promise<void>;

/**
 * GET  /import/template.xlsx[?demo=1] — the import template, blank or with a demo scenario
 * POST /import/workbook — a workbook (multipart, field `workbook`) imported as a new version
 * GET  /versions/:id/workbook.xlsx — a stored version's workbook (README "Excel workbooks")
 */
export function workbookRoutes(ctx: WebContext, router: Router, show: Show): void {
  router.get(WORKBOOK_PATHS.template, signedIn, async (req, res) => {
    const { lang, unit } = prefsOf(res);
    const demo = req.query.demo === '1';
    const scenario = demo
      ? parseScenario(JSON.parse(readFileSync(path.join(projectRoot(), DEMO_SCENARIO), 'utf8')))
      : null;
    const body = await inputsTemplate(scenario, { lang, unit });
    res.attachment(demo ? 'fundmix-template-demo.xlsx' : 'fundmix-template.xlsx');
    res.type(XLSX_TYPE);
    res.send(body);
  });

  router.post(
    IMPORT_WORKBOOK_PATH,
    can(ctx.store, 'scenario.write', newProject),
    async (req, res) => {
      const { lang, t } = prefsOf(res);
      const form = importFormFromPost({});
      const refused = res.locals.uploadRefused as UploadRefusal | undefined;
      if (refused) {
        const max = `${WORKBOOK_MAX_BYTES / (1024 * 1024)} MB`;
        await show(req, res, form, {
          status: refused.status,
          workbookNotice: t(refused.key, { max }),
        });
        return;
      }
      if (res.locals.csrfRefused === true) {
        await show(req, res, form, { status: 403, workbookNotice: t('import.expired') });
        return;
      }
      const file = req.file;
      if (!file || file.size === 0) {
        await show(req, res, form, { status: 422, workbookNotice: t('workbookImport.missing') });
        return;
      }
      const comment = importFormFromPost(req.body).comment;
      try {
        const done = await importWorkbook(ctx.store, actorOf(res), file.buffer, {
          comment,
          fileName: file.originalname,
        });
        res.redirect(
          303,
          `/scenarios/${done.scenarioId}?${done.created ? 'saved' : 'unchanged'}=${done.versionNo}`,
        );
      } catch (err) {
        const refusal = formRefusal(err, lang);
        await show(
          req,
          res,
          form,
          refusal.status === 422
            ? { status: 422, workbookIssues: refusal.issues }
            : { status: refusal.status, workbookNotice: refusal.notice },
        );
      }
    },
  );

  router.get(
    '/versions/:id/workbook.xlsx',
    can(ctx.store, 'project.read', versionParam),
    async (req, res) => {
      const { lang, unit } = prefsOf(res);
      const id = idParam(req.params.id, 'Scenario version');
      const version = ctx.store.scenarios.version(id);
      // The engine's stored (or now computed) result, as the results page and ledger.csv show.
      const result = reviveResult(ctx.store.results.forVersion(id));
      const body = await scenarioWorkbook(parseScenario(version.inputs), result, { lang, unit });
      res.attachment(
        `${fileName(version.projectCode)}-${fileName(version.scenarioName)}-v${version.versionNo}.xlsx`,
      );
      res.type(XLSX_TYPE);
      res.send(body);
    },
  );
}
