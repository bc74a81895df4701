import { randomBytes } from 'node:crypto';
import { MonteCarloRunner } from '../app/risk/runner';
import { planRoutes } from './routes/plan';
import { RiskJobs } from './services/risk-jobs';
import { PlanJobs } from './services/plan-jobs';
import { riskRoutes } from './routes/risk';
import { portfolioRiskRoutes } from './routes/portfolio-risk';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { create as createHandlebars } from 'express-handlebars';
import pino, { type Logger } from 'pino';
import path from 'node:path';
import type { AppOptions, WebContext } from './context';
import { helpers } from './helpers';
import { open } from './middleware/access';
import { createCsrf } from './middleware/csrf';
import { errorMiddleware, notFound } from './middleware/errors';
import { prefsMiddleware } from './middleware/prefs';
import { PARAMETER_LIMIT, parseQuery, queryCheck, withParameterMessage } from './middleware/query';
import { securityHeaders } from './middleware/security';
import { identifyBySession } from './middleware/auth';
import { sessionIdMiddleware } from './middleware/session-id';
import { webPaths } from './paths';
import { ChainStatus, inProcessVerifier } from '../app/chain-status';
import { accountRoutes } from './routes/account';
import { auditRoutes } from './routes/audit';
import { apiRoutes } from './routes/api';
import { assetRoutes } from './routes/assets';
import { compareRoutes } from './routes/compare';
import { dashboardRoutes } from './routes/dashboard';
import { editorRoutes } from './routes/editor';
import { filingRoutes } from './routes/filings';
import { fiscalRoutes } from './routes/fiscal';
import { portfolioWorkbookRoutes } from './routes/portfolio-workbooks';
import { portfolioRoutes } from './routes/portfolios';
import { historyRoutes } from './routes/history';
import { IMPORT_PATH, importBodyParser, importRoutes } from './routes/import';
import { IMPORT_WORKBOOK_PATH, workbookUploadParser } from './routes/workbook-import';
import { prefsRoutes } from './routes/prefs';
import { preApprovalRoutes } from './routes/pre-approval';
import { projectRoutes } from './routes/projects';
import { resultRoutes } from './routes/results';
import { riskRegisterRoutes } from './routes/risk-register';
import { monitoringRoutes } from './routes/monitoring';
import { evaluationRoutes } from './routes/evaluation';
import { signInRoutes } from './routes/sign-in';
import { FiscalReports } from './services/fiscal-reports';
import { PageCache } from './services/page-cache';
import { ResultFigures } from './services/result-figures';
import { createPageRenderer } from './services/pages';

/** Forms whose refused posts (no valid token) come back as typed instead of the 403 page. */
const KEEPS_INPUT_WHEN_REFUSED = new Set(['/editor', IMPORT_PATH, IMPORT_WORKBOOK_PATH]);
/** The same for the evaluation system editor (routes/evaluation.ts), whose path names its jurisdiction. */
const EVALUATION_SYSTEM_PATH = /^\/jurisdictions\/[^/]+\/evaluation$/;

/**
 * Builds the web app on an open store. Does no I/O and starts nothing: `server.ts` listens,
 * tests drive the app in-process with supertest.
 */
export function createApp(opts: AppOptions): Express {
  const logger = opts.logger ?? pino({ level: 'info' });
  const secure = opts.secureCookies === true;
  const paths = webPaths();
  const app = express();

  const hbs = createHandlebars({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(paths.views, 'layouts'),
    partialsDir: path.join(paths.views, 'partials'),
    helpers,
  });
  app.engine('hbs', hbs.engine);
  app.set('view engine', 'hbs');
  app.set('views', paths.views);
  // Compile each template once; without this express-handlebars re-reads files on every render.
  app.enable('view cache');
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy === true ? 1 : false);
  // Flat names; a repeated name gives all its values ("s=1&s=2" → ["1", "2"]), however many.
  app.set('query parser', parseQuery);

  const cache = new PageCache(opts.pageCache?.maxEntries, opts.pageCache?.maxBytes);
  const csrf = createCsrf(opts.csrfSecret ?? randomBytes(32).toString('base64url'), secure);
  const ctx: WebContext = {
    store: opts.store,
    clock: opts.clock,
    logger,
    pages: createPageRenderer(app, opts.store, cache, opts.pageCache?.onBuild),
    csrf,
    fiscal: new FiscalReports(opts.store, undefined, opts.fiscalWorkers ?? null, (message) =>
      logger.warn(message),
    ),
    figures: new ResultFigures(),
    chain:
      opts.chain ??
      new ChainStatus(inProcessVerifier(opts.store), () => opts.clock().toISOString()),
    risk: {
      runner: opts.riskRunner ?? new MonteCarloRunner(),
      jobs: new RiskJobs(opts.clock),
    },
    plans: new PlanJobs(opts.clock, undefined, (err) => logger.error({ err }, 'plan job failed')),
  };

  app.use(securityHeaders(secure));
  app.use(assetRoutes(paths));
  app.use(cookieParser());
  app.use(prefsMiddleware);
  app.use(queryCheck);
  app.use('/api/v1', apiRoutes(ctx));

  // Pages: who is signed in (the session cookie), a browser id for CSRF tokens, form bodies,
  // CSRF checks on every state-changing form.
  app.use(identifyBySession(opts.store, secure, ctx.chain));
  app.use(sessionIdMiddleware(secure));
  // The import form carries a whole file; the parser below then finds the body read already.
  app.post(IMPORT_PATH, open, importBodyParser);
  // The workbook upload is multipart: multer reads it (with its size limit) before the CSRF
  // check, which then finds the form's `_csrf` field in the parsed body.
  app.post(IMPORT_WORKBOOK_PATH, open, workbookUploadParser);
  // Nested names (funding[sources][0][amountYuan]); scenarios have at most 30 sources, 20 streams;
  // a what-if's save repeats `switch` once per project. body-parser lets qs make arrays as long
  // as the body has parameters, so repeated names and rows stay lists.
  app.use(
    withParameterMessage(
      express.urlencoded({ extended: true, limit: '1mb', parameterLimit: PARAMETER_LIMIT }),
    ),
  );
  app.use((req, res, next) => {
    csrf.protect(req, res, (err?: unknown) => {
      // A refused editor or import post keeps what the user typed: the form shows it again,
      // unsaved, with a fresh token (see routes/editor.ts, routes/import.ts). Everything else
      // gets the 403 page.
      if (
        err &&
        req.method === 'POST' &&
        (KEEPS_INPUT_WHEN_REFUSED.has(req.path) || EVALUATION_SYSTEM_PATH.test(req.path))
      ) {
        res.locals.csrfRefused = true;
        next();
        return;
      }
      next(err);
    });
  });
  app.use(prefsRoutes(secure));
  app.use(signInRoutes(ctx, { secure, demoDir: opts.demoDir ?? null }));
  app.use(accountRoutes(ctx));
  app.use(preApprovalRoutes(ctx));
  app.use(dashboardRoutes(ctx));
  app.use(editorRoutes(ctx));
  app.use(importRoutes(ctx));
  app.use(projectRoutes(ctx));
  app.use(historyRoutes(ctx));
  app.use(resultRoutes(ctx));
  app.use(riskRegisterRoutes(ctx));
  app.use(monitoringRoutes(ctx));
  app.use(evaluationRoutes(ctx));
  app.use(compareRoutes(ctx));
  app.use(portfolioRoutes(ctx));
  app.use(planRoutes(ctx));
  app.use(fiscalRoutes(ctx));
  app.use(portfolioWorkbookRoutes(ctx));
  app.use(filingRoutes(ctx));
  app.use(auditRoutes(ctx));
  app.use(riskRoutes(ctx, ctx.risk));
  app.use(portfolioRiskRoutes(ctx));
  app.use(open, notFound);
  app.use(errorMiddleware(ctx.pages, logger, (err) => opts.store.storage.translate(err)));
  logStorageEvents(opts.store, logger);
  return app;
}

/** Storage problems reach the log once each (not once per request). */
function logStorageEvents(store: AppOptions['store'], logger: Logger): void {
  store.storage.onEvent((e) => {
    if (e.kind === 'writes-refused')
      logger.error(
        { reason: e.reason, detail: e.detail },
        e.reason === 'damaged'
          ? `the database is damaged (${e.detail}): writes answer 503 from now on; restore a backup with \`fundmix restore PATH\``
          : `the database is read-only (${e.detail}): writes answer 503`,
      );
    else if (e.kind === 'cache-write-failed')
      logger.warn(
        { code: e.code, detail: e.detail },
        `results are served without caching them: the database cannot be written (${e.detail})`,
      );
    else logger.info('the results cache is written again');
  });
}
