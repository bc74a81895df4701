import { asActor } from '../../app/actors';
import { ForbiddenError } from '../../app/errors';
import { saveFiscalSettings, siblingPortfolios } from '../../app/fiscal-settings';
import { can, signedIn } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { portfolioParam, thresholdsPost } from '../middleware/resources';
import { Router, type Request, type Response } from 'express';
import { NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors';
import { ConflictError } from '../../store/errors';
import type { Store } from '../../store/store';
import type { ScenarioRecord } from '../../store/types';
import { prefsOf, storeFor, type WebContext } from '../context';
import { CSRF_SLOT, type PageSpec } from '../services/pages';
import { localizeIssue } from '../i18n/issues';
import { fiscalPageView, parseSwitchParams, SWITCH_PARAM } from '../view-models/fiscal';
import { cityCostPageView } from '../view-models/city-cost';
import { portfolioCityCost } from '../../store/fiscal-report';
import {
  checkClearConfirmed,
  clearFormFromPost,
  fiscalSettingsView,
  settingsFormFrom,
  settingsFormFromPost,
  settingsInput,
  thresholdsFormFrom,
  thresholdsFormFromPost,
  thresholdsInput,
  type ClearForm,
  type SettingsForm,
  type ThresholdsForm,
} from '../view-models/fiscal-settings';
import { formRefusal, idParam, queryText } from './params';
import { listPortfolioRiskRuns } from '../../app/risk/portfolio';
import {
  DEFAULT_PORTFOLIO_RISK_FORM,
  portfolioRiskFormView,
  portfolioRiskRunsView,
  type PortfolioRiskForm,
} from '../view-models/portfolio-risk';
import { portfolioRiskSpec, postedPortfolioRiskForm, startPortfolioRun } from './portfolio-risk';

/** The portfolio risk section of the fiscal page: the form (as typed when refused). */
interface RiskSection {
  form: PortfolioRiskForm;
  issues: FieldIssue[];
}

/** Audit entries shown per kind on the settings page. */
const AUDIT_LIMIT = 50;

/** The jurisdiction whose thresholds a portfolio uses: its settings', else the one all its projects share. */
function jurisdictionOf(store: Store, portfolioId: number): string | null {
  const settings = store.fiscal.getSettings(portfolioId);
  if (settings) return settings.jurisdiction;
  const codes = new Set(store.portfolios.get(portfolioId).members.map((m) => m.projectCode));
  const names = new Set(
    store.projects
      .list()
      .filter((p) => codes.has(p.code))
      .map((p) => p.jurisdiction),
  );
  const [only] = [...names];
  return names.size === 1 && only ? only : null;
}

/**
 * The portfolio as last written: the id of its newest audit entry. A save of a what-if carries
 * it, so a portfolio changed in between (by anyone, even within the same second) is noticed.
 */
function portfolioStamp(store: Store, portfolioId: number): string {
  return String(
    store.audit.list({ entity: 'portfolio', entityId: portfolioId, limit: 1 })[0]?.id ?? 0,
  );
}

/** Live scenarios by project code, for the what-if selects (one query for all projects). */
function scenariosByProject(store: Store): (code: string) => ScenarioRecord[] {
  const all = store.scenarios.list();
  return (code) => all.filter((s) => s.projectCode === code);
}

/**
 * The fiscal pages of a portfolio (issue 5):
 *   GET  /fiscal                               → the first portfolio's (or `?portfolio=`) fiscal page
 *   GET  /portfolios/:id/fiscal                affordability, what-if (`?switch=CODE=SCENARIO-ID`, GET: nothing is saved),
 *                                              bonds, value for money, bond self-balance, failing rules
 *   POST /portfolios/:id/fiscal/selection      saves a what-if's scenarios as the portfolio's members (audited)
 *   GET  /portfolios/:id/fiscal/settings       budget forecast, other obligations, thresholds, audit trail
 *   POST /portfolios/:id/fiscal/settings       saves the budget forecast and other obligations (audited)
 *   POST /portfolios/:id/fiscal/thresholds     saves the jurisdiction's thresholds (audited)
 *   POST /portfolios/:id/fiscal/settings/clear removes the budget forecast and other obligations (confirmed, audited)
 *   POST /portfolios/:id/risk-runs             starts a recorded portfolio risk run (the page's portfolio risk form)
 */
export function fiscalRoutes(ctx: WebContext): Router {
  const { store } = ctx;
  const router = Router();

  router.get('/fiscal', signedIn, (req, res) => {
    const wanted = queryText(req.query.portfolio);
    const seen = storeFor(ctx, res);
    const list = seen.portfolios.list();
    const chosen =
      wanted !== undefined ? seen.portfolios.get(idParam(wanted, 'Portfolio')) : list[0];
    res.redirect(303, chosen ? `/portfolios/${chosen.id}/fiscal` : '/');
  });

  /** Builds the reports the fiscal page shows off the main thread (see FiscalReports.prepare). */
  const prepareReports = async (id: number, switches: Record<string, string>) => {
    await Promise.all([ctx.fiscal.prepare(id, switches), ctx.fiscal.prepare(id)]);
  };

  /** The fiscal page of a portfolio, with `csrfToken` as the model's token. */
  const fiscalPage = (
    res: Response,
    id: number,
    switches: Record<string, string>,
    csrfToken: string,
    opts: {
      status?: number;
      notice?: { text: string; tone: 'ok' | 'warn' } | null;
      risk?: RiskSection;
    } = {},
  ): PageSpec => {
    const { lang, unit, t } = prefsOf(res);
    const portfolio = store.portfolios.get(id);
    const report = ctx.fiscal.portfolio(id, switches);
    const saved = report.switches.length > 0 ? ctx.fiscal.portfolio(id) : null;
    const model = fiscalPageView({
      report,
      saved,
      portfolios: storeFor(ctx, res)
        .portfolios.list()
        .map((p) => ({ id: p.id, name: p.name })),
      scenariosOf: scenariosByProject(storeFor(ctx, res)),
      savedAt: portfolioStamp(store, id),
      notice: opts.notice ?? null,
      lang,
      unit,
      t,
    });
    const risk = opts.risk ?? { form: DEFAULT_PORTFOLIO_RISK_FORM, issues: [] };
    return {
      view: 'fiscal',
      nav: 'fiscal',
      title: `${t('fiscal.title')} · ${portfolio.name}`,
      model: {
        ...model,
        csrfToken,
        portfolioRisk: {
          action: `/portfolios/${id}/risk-runs`,
          form: portfolioRiskFormView(risk.form, risk.issues, t),
          runs: portfolioRiskRunsView(listPortfolioRiskRuns(store, actorOf(res), id)),
        },
      },
      status: opts.status,
    };
  };

  /** The fiscal page answering a refused or accepted post (not cached). */
  const showFiscal = async (
    req: Request,
    res: Response,
    id: number,
    switches: Record<string, string>,
    opts: { status?: number; notice?: { text: string; tone: 'ok' | 'warn' } | null } = {},
  ) => {
    await prepareReports(id, switches);
    await ctx.pages.send(req, res, fiscalPage(res, id, switches, ctx.csrf.token(req, res), opts));
  };

  /** What the portfolio costs the city by year (README "What it costs the city"). */
  router.get(
    '/portfolios/:id/city-cost',
    can(store, 'portfolio.read', portfolioParam),
    async (req, res) => {
      const { lang, unit, t } = prefsOf(res);
      const id = idParam(req.params.id, 'Portfolio');
      await ctx.fiscal.prepare(id, {});
      const data = portfolioCityCost(store, id);
      await ctx.pages.send(req, res, {
        view: 'city-cost',
        nav: 'fiscal',
        title: `${t('cityCost.title')} · ${data.portfolio.name}`,
        model: cityCostPageView({ data, lang, unit, t }),
      });
    },
  );

  // Cached like the pages without forms: built once per change of the portfolios' data, the
  // form's CSRF token put in for each browser.
  router.get(
    '/portfolios/:id/fiscal',
    can(store, 'portfolio.read', portfolioParam),
    async (req, res) => {
      const { t } = prefsOf(res);
      const id = idParam(req.params.id, 'Portfolio');
      // Parsed (and refused with 422) once; `switch` is one of the page's declared parameters.
      const switches = parseSwitchParams(req.query[SWITCH_PARAM]);
      await ctx.pages.sendCached(
        req,
        res,
        [SWITCH_PARAM, 'saved'],
        (query) => {
          const saved = queryText(query.saved);
          const notice =
            saved === '1'
              ? { text: t('fiscal.selectionSaved'), tone: 'ok' as const }
              : saved === '0'
                ? { text: t('fiscal.selectionUnchanged'), tone: 'ok' as const }
                : null;
          return fiscalPage(res, id, switches, CSRF_SLOT, { notice });
        },
        {
          scope: 'portfolios',
          csrfToken: ctx.csrf.token(req, res),
          prepare: () => prepareReports(id, switches),
        },
      );
    },
  );

  /**
   * Starts a recorded portfolio risk run from the fiscal page's form (README "Portfolio risk"):
   * 303 to the job's progress page, or to the recorded run when the same was run before; a
   * refused form answers 422 with the fiscal page, what was typed kept and the issues by field.
   */
  router.post(
    '/portfolios/:id/risk-runs',
    can(store, 'portfolio.risk', portfolioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      const form = postedPortfolioRiskForm((req.body ?? {}) as Record<string, unknown>);
      try {
        const out = startPortfolioRun(ctx, res, id, portfolioRiskSpec(form));
        res.redirect(
          303,
          out.run ? `/portfolio-risk-runs/${out.run.id}` : `/risk-jobs/${out.job.id}`,
        );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await prepareReports(id, {});
        const risk = { form, issues: err.issues };
        await ctx.pages.send(
          req,
          res,
          fiscalPage(res, id, {}, ctx.csrf.token(req, res), { status: 422, risk }),
        );
      }
    },
  );

  router.post(
    '/portfolios/:id/fiscal/selection',
    can(store, 'portfolio.write', portfolioParam),
    async (req, res) => {
      const { lang, t } = prefsOf(res);
      const id = idParam(req.params.id, 'Portfolio');
      const body = (req.body ?? {}) as Record<string, unknown>;
      const switches = parseSwitchParams(body[SWITCH_PARAM]);
      const portfolio = store.portfolios.get(id);
      if (queryText(body.base) !== portfolioStamp(store, id)) {
        // Someone changed the portfolio since the page was shown: show the what-if on today's portfolio.
        await showFiscal(req, res, id, switches, {
          status: 409,
          notice: { text: t('fiscal.selectionConflict'), tone: 'warn' },
        });
        return;
      }
      const issues: FieldIssue[] = [];
      const members = portfolio.members.map((m) => {
        const target = switches[m.projectCode];
        if (target === undefined)
          return { projectCode: m.projectCode, scenarioName: m.scenarioName };
        let record: ScenarioRecord | null = null;
        try {
          record = /^\d{1,12}$/.test(target)
            ? store.scenarios.getById(Number(target))
            : store.scenarios.get(m.projectCode, target);
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
        }
        if (!record || record.projectCode !== m.projectCode || record.deletedAt !== null) {
          issues.push({
            path: `switches.${m.projectCode}`,
            message: `Project ${m.projectCode} has no scenario ${JSON.stringify(target)}`,
          });
          return { projectCode: m.projectCode, scenarioName: m.scenarioName };
        }
        return { projectCode: m.projectCode, scenarioName: record.name };
      });
      for (const code of Object.keys(switches)) {
        if (!portfolio.members.some((m) => m.projectCode === code))
          issues.push({
            path: `switches.${code}`,
            message: `Project ${code} is not in the portfolio`,
          });
      }
      if (issues.length > 0)
        throw new ValidationError(issues, 'The what-if switches are not valid');
      try {
        const before = store.generation();
        asActor(store, actorOf(res), () =>
          store.portfolios.update(id, { members }, actorOf(res).username),
        );
        res.redirect(
          303,
          `/portfolios/${id}/fiscal?saved=${store.generation() === before ? 0 : 1}`,
        );
      } catch (err) {
        if (err instanceof ConflictError) {
          await showFiscal(
            req,
            res,
            id,
            {},
            { status: 409, notice: { text: localizeIssue(err.message, lang), tone: 'warn' } },
          );
          return;
        }
        if (err instanceof ValidationError) {
          // The author was refused (text rule): the what-if stays on screen, nothing was saved.
          const text = err.issues.map((i) => localizeIssue(i.message, lang)).join('; ');
          await showFiscal(req, res, id, switches, { status: 422, notice: { text, tone: 'warn' } });
          return;
        }
        throw err;
      }
    },
  );

  const showSettings = async (
    req: Request,
    res: Response,
    id: number,
    opts: {
      settingsForm?: SettingsForm;
      settingsIssues?: FieldIssue[];
      thresholdsForm?: ThresholdsForm;
      thresholdsIssues?: FieldIssue[];
      clearForm?: ClearForm;
      clearIssues?: FieldIssue[];
      status?: number;
      notice?: { text: string; tone: 'ok' | 'warn' } | null;
    } = {},
  ) => {
    const { lang, unit, t } = prefsOf(res);
    const portfolio = store.portfolios.get(id);
    const settings = store.fiscal.getSettings(id);
    const jurisdiction = jurisdictionOf(store, id);
    const stored = jurisdiction ? store.fiscal.getJurisdiction(jurisdiction) : null;
    const applied = store.fiscal.thresholdsFor(jurisdiction);
    // The jurisdiction's figures: the portfolio's own, or (before it has settings) the ones its
    // jurisdiction has already, which the form starts from.
    const figures = jurisdiction ? store.fiscal.getJurisdictionFiscal(jurisdiction) : null;
    const entries = (
      entity: 'jurisdiction' | 'jurisdiction-fiscal',
      entityId: number | undefined,
    ) => (entityId === undefined ? [] : store.audit.list({ entity, entityId, limit: AUDIT_LIMIT }));
    const audit = [
      ...entries('jurisdiction', stored?.id),
      ...entries('jurisdiction-fiscal', figures?.id),
      ...store.audit.list({ entity: 'portfolio-fiscal', entityId: id, limit: AUDIT_LIMIT }),
    ].sort((a, b) => b.id - a.id);
    const model = fiscalSettingsView({
      portfolio: { id, name: portfolio.name },
      csrfToken: ctx.csrf.token(req, res),
      settingsForm: opts.settingsForm ?? settingsFormFrom(settings ?? figures, jurisdiction),
      settingsIssues: opts.settingsIssues,
      settingsStored: settings !== null,
      figuresPrefilled: settings === null && figures !== null,
      siblings: figures ? siblingPortfolios(store, actorOf(res), figures.jurisdiction, id) : [],
      siblingJurisdiction: figures?.jurisdiction,
      thresholdsForm:
        opts.thresholdsForm ??
        (jurisdiction ? thresholdsFormFrom(jurisdiction, applied.thresholds) : null),
      thresholdsIssues: opts.thresholdsIssues,
      thresholdsStored: stored !== null,
      clearForm: opts.clearForm,
      clearIssues: opts.clearIssues,
      audit,
      notice: opts.notice ?? null,
      lang,
      unit,
      t,
    });
    await ctx.pages.send(req, res, {
      view: 'fiscal-settings',
      nav: 'fiscal',
      title: `${t('settings.title')} · ${portfolio.name}`,
      model,
      status: opts.status,
    });
  };

  router.get(
    '/portfolios/:id/fiscal/settings',
    can(store, 'portfolio.read', portfolioParam),
    async (req, res) => {
      const { t } = prefsOf(res);
      const id = idParam(req.params.id, 'Portfolio');
      const saved = queryText(req.query.saved);
      const notice =
        saved === 'settings' ||
        saved === 'jurisdiction' ||
        saved === 'thresholds' ||
        saved === 'cleared' ||
        saved === 'unchanged'
          ? { text: t(`settings.saved.${saved}`), tone: 'ok' as const }
          : null;
      await showSettings(req, res, id, { notice });
    },
  );

  router.post(
    '/portfolios/:id/fiscal/settings',
    can(store, 'budget.write', portfolioParam),
    async (req, res) => {
      const { lang, t } = prefsOf(res);
      const id = idParam(req.params.id, 'Portfolio');
      const form = settingsFormFromPost(req.body);
      try {
        const saved = saveFiscalSettings(store, actorOf(res), id, settingsInput(form), {
          comment: form.comment,
        });
        const shared = saved.applied.some((p) => p.changed);
        const notice = !saved.changed ? 'unchanged' : shared ? 'jurisdiction' : 'settings';
        res.redirect(303, `/portfolios/${id}/fiscal/settings?saved=${notice}`);
      } catch (err) {
        // The portfolio is the user's (checked above); the figures typed are another
        // jurisdiction's, or shared with portfolios they may not change: the form stays as typed.
        if (err instanceof ForbiddenError) {
          const text = t('settings.forbiddenFigures', { name: form.jurisdiction.trim() });
          return showSettings(req, res, id, {
            settingsForm: form,
            status: 403,
            notice: { text, tone: 'warn' },
          });
        }
        const refusal = formRefusal(err, lang);
        await showSettings(
          req,
          res,
          id,
          refusal.status === 422
            ? { settingsForm: form, settingsIssues: refusal.issues, status: 422 }
            : { settingsForm: form, status: 409, notice: { text: refusal.notice, tone: 'warn' } },
        );
      }
    },
  );

  router.post(
    '/portfolios/:id/fiscal/thresholds',
    can(store, 'portfolio.read', portfolioParam),
    can(store, 'threshold.write', thresholdsPost),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      store.portfolios.get(id);
      const form = thresholdsFormFromPost(req.body);
      try {
        const { changed } = asActor(store, actorOf(res), () =>
          store.fiscal.setThresholds(
            form.jurisdiction,
            thresholdsInput(form),
            actorOf(res).username,
            {
              comment: form.comment,
            },
          ),
        );
        res.redirect(
          303,
          `/portfolios/${id}/fiscal/settings?saved=${changed ? 'thresholds' : 'unchanged'}`,
        );
      } catch (err) {
        if (err instanceof ValidationError) {
          await showSettings(req, res, id, {
            thresholdsForm: form,
            thresholdsIssues: err.issues,
            status: 422,
          });
          return;
        }
        throw err;
      }
    },
  );

  router.post(
    '/portfolios/:id/fiscal/settings/clear',
    can(store, 'budget.write', portfolioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      store.portfolios.get(id);
      const form = clearFormFromPost(req.body);
      try {
        checkClearConfirmed(form);
        const cleared = asActor(store, actorOf(res), () =>
          store.fiscal.clearSettings(id, actorOf(res).username, { comment: form.comment }),
        );
        res.redirect(
          303,
          `/portfolios/${id}/fiscal/settings?saved=${cleared ? 'cleared' : 'unchanged'}`,
        );
      } catch (err) {
        if (err instanceof ValidationError) {
          await showSettings(req, res, id, {
            clearForm: form,
            clearIssues: err.issues,
            status: 422,
          });
          return;
        }
        throw err;
      }
    },
  );

  return router;
}
