import { Router, type Request, type Response } from 'express';
import { cityCostSheets } from '../../domain/workbook/portfolio-city-cost';
import { fiscalSheet } from '../../domain/workbook/portfolio-fiscal';
import type { SheetModel } from '../../domain/workbook/portfolio-sheet';
import { portfolioCityCost, portfolioFiscalReport } from '../../store/fiscal-report';
import { writePortfolioWorkbook } from '../../store/xlsx/portfolio-writer';
import { prefsOf, storeFor, type WebContext } from '../context';
import { BadRequestError } from '../middleware/errors';
import { can, signedIn } from '../middleware/access';
import { parseLang, parseUnit } from '../middleware/prefs';
import { filingParam, portfolioParam } from '../middleware/resources';
import { actorOf } from '../middleware/auth';
import { filingFingerprints, getFiling } from '../../app/filings';
import { filingReport } from '../view-models/filing';
import { translator, type Translate } from '../i18n';
import type { Lang, Unit } from '../format/number';
import { dashboardSheet } from '../../domain/workbook/portfolio-dashboard';
import {
  cityCostWorkbookLabels,
  dashboardWorkbookLabels,
  dashboardWorkbookRows,
  filingWorkbookSheets,
  fiscalWorkbookLabels,
} from '../view-models/portfolio-workbooks';
import { idParam } from './params';
import { comparedScenarios, MAX_COMPARED, selectedIds } from '../view-models/compare';
import { comparisonMetrics } from '../view-models/comparison';
import { compareSheet } from '../../domain/workbook/portfolio-compare';
import { ValidationError } from '../../domain/errors';

/** Refusal of a comparison workbook of fewer than two or more than four scenarios. */
const COMPARE_COUNT_MESSAGE = `Choose two to ${MAX_COMPARED} scenarios to compare (s=ID, repeated)`;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What a workbook's builder gets: the request's path id and the user's language and unit. */
interface WorkbookRequest {
  req: Request;
  res: Response;
  lang: Lang;
  unit: Unit;
  t: Translate;
}

/** A portfolio workbook: its file name and sheets. */
type Build = (w: WorkbookRequest) => Promise<{ file: string; sheets: SheetModel[] }>;

/**
 * The language and unit of a download: the user's preferences (cookies) on a page; the API
 * takes `?lang=en|zh&unit=yuan|wan|yi` as well (400 for another value).
 */
function prefsFor(req: Request, res: Response, api: boolean): Omit<WorkbookRequest, 'req' | 'res'> {
  const prefs = prefsOf(res);
  if (!api) return prefs;
  const issues = [];
  const lang = req.query.lang === undefined ? prefs.lang : parseLang(req.query.lang);
  const unit = req.query.unit === undefined ? prefs.unit : parseUnit(req.query.unit);
  if (lang === null) issues.push({ path: 'lang', message: 'The language must be en or zh' });
  if (unit === null) issues.push({ path: 'unit', message: 'The unit must be yuan, wan or yi' });
  if (lang === null || unit === null) throw new BadRequestError(issues);
  return { lang, unit, t: lang === prefs.lang ? prefs.t : translator(lang) };
}

const send = (build: Build, api: boolean) => async (req: Request, res: Response) => {
  const prefs = prefsFor(req, res, api);
  const { file, sheets } = await build({ req, res, ...prefs });
  const body = await writePortfolioWorkbook(sheets, prefs.unit);
  res.attachment(file);
  res.type(XLSX_TYPE);
  res.send(body);
};

/** The fiscal affordability report (README "Portfolio workbooks"). */
function fiscalWorkbook(ctx: WebContext): Build {
  return async ({ req, t }) => {
    const id = idParam(req.params.id, 'Portfolio');
    await ctx.fiscal.prepare(id, {});
    const report = portfolioFiscalReport(ctx.store, id, { bondStress: false });
    const a = report.affordability;
    const line = a?.newProjectLine ?? report.thresholds.newProjectLine.toString();
    return {
      file: `portfolio-${id}-fiscal.xlsx`,
      sheets: [fiscalSheet(a?.rows ?? [], line, fiscalWorkbookLabels(t))],
    };
  };
}

/** What the portfolio costs the city by year, the budgets and the bond quotas. */
function cityCostWorkbook(ctx: WebContext): Build {
  return async ({ req, t }) => {
    const id = idParam(req.params.id, 'Portfolio');
    await ctx.fiscal.prepare(id, {});
    const data = portfolioCityCost(ctx.store, id);
    return {
      file: `portfolio-${id}-city-cost.xlsx`,
      sheets: cityCostSheets(data.report, cityCostWorkbookLabels(t)),
    };
  };
}

/** Two to four scenarios side by side, with their differences against the first. */
function compareWorkbook(ctx: WebContext): Build {
  return async ({ req, res, lang, unit, t }) => {
    const ids = selectedIds(req.query.s);
    if (ids.length < 2 || ids.length > MAX_COMPARED)
      throw new ValidationError(
        [{ path: 's', message: COMPARE_COUNT_MESSAGE }],
        'The comparison is not valid',
      );
    const picked = comparedScenarios(storeFor(ctx, res), ids);
    const metrics = comparisonMetrics(
      picked.map((p) => p.result),
      lang,
      unit,
      t,
    );
    const names = picked.map((p) => `${p.project.code} · ${p.s.name}`);
    return {
      file: `comparison-${ids.join('-')}.xlsx`,
      sheets: [
        compareSheet(metrics, {
          sheet: t('workbook.compare.sheet'),
          metric: t('workbook.compare.metric'),
          scenarios: names,
          delta: (name) => t('workbook.compare.delta', { name }),
        }),
      ],
    };
  };
}

/** The dashboard's project table of a portfolio, with the investment and outlay totals. */
function dashboardWorkbook(ctx: WebContext): Build {
  return ({ req, lang, unit, t }) => {
    const id = idParam(req.params.id, 'Portfolio');
    const rows = dashboardWorkbookRows(ctx.store.portfolios.load(id), lang, unit, t);
    return Promise.resolve({
      file: `portfolio-${id}-projects.xlsx`,
      sheets: [dashboardSheet(rows, dashboardWorkbookLabels(t))],
    });
  };
}

/** The auditor's filing report (the printed report's figures, checklist and fingerprints). */
function filingWorkbook(ctx: WebContext): Build {
  return ({ req, res, lang, unit, t }) => {
    const actor = actorOf(res);
    const id = idParam(req.params.id, 'Filing');
    const view = getFiling(ctx.store, actor, id);
    const prints = filingFingerprints(ctx.store, actor, id);
    const report = filingReport(
      ctx.store,
      view,
      prints,
      lang,
      unit,
      t,
      ctx.figures,
      ctx.store.now(),
    );
    const result = ctx.store.results.forVersion(view.versionId);
    return Promise.resolve({
      file: `filing-${id}-report.xlsx`,
      sheets: filingWorkbookSheets(report, result, { lang, unit, t }),
    });
  };
}

/** The portfolio workbooks' routes, each readable by whoever may read the page it comes from. */
function workbookRoutes(ctx: WebContext, api: boolean): Router {
  const router = Router();
  const portfolioRead = can(ctx.store, 'portfolio.read', portfolioParam);
  router.get('/portfolios/:id/fiscal.xlsx', portfolioRead, send(fiscalWorkbook(ctx), api));
  router.get('/portfolios/:id/city-cost.xlsx', portfolioRead, send(cityCostWorkbook(ctx), api));
  router.get('/portfolios/:id/dashboard.xlsx', portfolioRead, send(dashboardWorkbook(ctx), api));
  router.get(
    '/filings/:id/report.xlsx',
    can(ctx.store, 'project.read', filingParam),
    send(filingWorkbook(ctx), api),
  );
  // The compared scenarios are looked up in what the user may see (404 for another's).
  router.get('/compare.xlsx', signedIn, send(compareWorkbook(ctx), api));
  return router;
}

/**
 * GET /portfolios/:id/fiscal.xlsx     the fiscal affordability report (the fiscal page's link)
 * GET /portfolios/:id/city-cost.xlsx  the cost to the city by year (the city-cost page's link)
 * GET /portfolios/:id/dashboard.xlsx  the dashboard's project table (the dashboard's link)
 * GET /filings/:id/report.xlsx        the filing report (the printed report's link)
 * GET /compare.xlsx?s=ID&s=ID…       the comparison of two to four scenarios (the compare page's)
 * Amounts in the user's unit, labels in the user's language (README "Portfolio workbooks").
 */
export const portfolioWorkbookRoutes = (ctx: WebContext): Router => workbookRoutes(ctx, false);

/** The same workbooks under /api/v1 (`?lang=`, `?unit=`). */
export const portfolioWorkbookApiRoutes = (ctx: WebContext): Router => workbookRoutes(ctx, true);
