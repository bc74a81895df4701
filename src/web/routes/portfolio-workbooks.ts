import { Router, type Request, type Response } from 'express';
import { cityCostSheets } from '../../domain/workbook/portfolio-city-cost';
import { fiscalSheet } from '../../domain/workbook/portfolio-fiscal';
import type { SheetModel } from '../../domain/workbook/portfolio-sheet';
import { portfolioCityCost, portfolioFiscalReport } from '../../store/fiscal-report';
import { writePortfolioWorkbook } from '../../store/xlsx/portfolio-writer';
import { prefsOf, type WebContext } from '../context';
import { BadRequestError } from '../middleware/errors';
import { can } from '../middleware/access';
import { parseLang, parseUnit } from '../middleware/prefs';
import { portfolioParam } from '../middleware/resources';
import { translator, type Translate } from '../i18n';
import type { Lang, Unit } from '../format/number';
import { cityCostWorkbookLabels, fiscalWorkbookLabels } from '../view-models/portfolio-workbooks';
import { idParam } from './params';

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

/** The portfolio workbooks' routes, each readable by whoever may read the page it comes from. */
function workbookRoutes(ctx: WebContext, api: boolean): Router {
  const router = Router();
  const portfolioRead = can(ctx.store, 'portfolio.read', portfolioParam);
  router.get('/portfolios/:id/fiscal.xlsx', portfolioRead, send(fiscalWorkbook(ctx), api));
  router.get('/portfolios/:id/city-cost.xlsx', portfolioRead, send(cityCostWorkbook(ctx), api));
  return router;
}

/**
 * GET /portfolios/:id/fiscal.xlsx     the fiscal affordability report (the fiscal page's link)
 * GET /portfolios/:id/city-cost.xlsx  the cost to the city by year (the city-cost page's link)
 * Amounts in the user's unit, labels in the user's language (README "Portfolio workbooks").
 */
export const portfolioWorkbookRoutes = (ctx: WebContext): Router => workbookRoutes(ctx, false);

/** The same workbooks under /api/v1 (`?lang=`, `?unit=`). */
export const portfolioWorkbookApiRoutes = (ctx: WebContext): Router => workbookRoutes(ctx, true);
