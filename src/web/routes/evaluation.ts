import { Router, type Request, type Response } from 'express';
import {
  evaluationSystem,
  projectEvaluationData,
  saveEvaluationSystem,
  saveProjectEvaluationData,
} from '../../app/evaluation';
import {
  maySaveSystem,
  mayEnterData,
  portfolioRanking,
  projectEvaluation,
} from '../../app/evaluation-scores';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { prefsOf, type WebContext } from '../context';
import { can, signedIn } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { evaluationJurisdictionParam, portfolioParam, projectParam } from '../middleware/resources';
import {
  bodyOfForm,
  dataFormView,
  formFromData,
  formFromPost,
  projectScoreView,
  rankingView,
  systemNote,
  treeRows,
  type DataForm,
} from '../view-models/evaluation';
import {
  applySystemAction,
  formFromSystem,
  placeIssues,
  systemFormFromPost,
  systemFormView,
  systemOfForm,
  type PlacedIssues,
  type SystemForm,
} from '../view-models/evaluation-form';
import { queryText } from './params';

const systemPath = (name: string) => `/jurisdictions/${encodeURIComponent(name)}/evaluation`;
const dataPath = (code: string) => `/projects/${encodeURIComponent(code)}/evaluation/data`;
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The evaluation index system's pages (issue 12, README "Evaluation index system"):
 *   GET/POST /jurisdictions/:name/evaluation   the system: tree, versions, the node-by-node
 *                                              editor (`editor=form`) and the JSON one
 *   GET      /projects/:code/evaluation        a project's score, breakdown, chart, missing data
 *   GET/POST /projects/:code/evaluation/data   its indicator data entry
 *   GET      /portfolios/:id/evaluation        the portfolio ranked by score
 */
export function evaluationRoutes(ctx: WebContext): Router {
  const router = Router();
  const { store } = ctx;

  /** What the system page shows as typed: the node form, the JSON editor, or neither. */
  interface Typed {
    form?: { form: SystemForm; placed?: PlacedIssues };
    json?: { json: string; comment: string; issues?: FieldIssue[] };
  }

  const showSystem = async (
    req: Request,
    res: Response,
    typed: Typed,
    opts: { status?: number; notice?: string | null } = {},
  ) => {
    const { lang, t } = prefsOf(res);
    const s = evaluationSystem(store, req.params.name as string);
    const form = typed.form ?? { form: formFromSystem(s.system) };
    await ctx.pages.send(req, res, {
      view: 'evaluation-system',
      nav: 'portfolios',
      title: t('eval.system.title', { jurisdiction: s.jurisdiction ?? '' }),
      status: opts.status,
      model: {
        csrfToken: ctx.csrf.token(req, res),
        jurisdiction: s.jurisdiction,
        action: systemPath(s.jurisdiction ?? ''),
        note: systemNote(s, t),
        rows: treeRows(s.system, lang, t),
        versions: [...s.versions].reverse(),
        mayEdit: maySaveSystem(actorOf(res), s.jurisdiction ?? ''),
        nodeForm: systemFormView(form.form, t, form.placed),
        json: typed.json?.json ?? JSON.stringify(s.system, null, 2),
        comment: typed.json?.comment ?? '',
        issues: typed.json?.issues ?? [],
        notice: opts.notice ?? null,
      },
    });
  };

  /** Saves the node form, or applies its add/remove button; 303 after a save, 422 on a refusal. */
  const postForm = async (req: Request, res: Response) => {
    const { lang } = prefsOf(res);
    const form = systemFormFromPost(req.body);
    const action = queryText((req.body as Record<string, unknown>).action) ?? 'save';
    if (action !== 'save') {
      await showSystem(req, res, { form: { form: applySystemAction(form, action) } });
      return;
    }
    const { input, paths } = systemOfForm(form);
    try {
      const saved = saveEvaluationSystem(store, actorOf(res), req.params.name as string, {
        ...(input as object),
        comment: form.comment,
      });
      res.redirect(303, `${systemPath(saved.jurisdiction ?? '')}?saved=${saved.versionNo}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const placed = placeIssues(err.issues, paths, lang);
      await showSystem(req, res, { form: { form, placed } }, { status: 422 });
    }
  };

  /** Saves the JSON editor's tree; 303 after a save, 422 with the text as typed. */
  const postJson = async (req: Request, res: Response) => {
    const { t } = prefsOf(res);
    const typed = { json: text(req.body?.system), comment: text(req.body?.comment) };
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(typed.json);
      } catch (e) {
        throw new ValidationError([
          { path: 'system', message: t('eval.system.badJson', { why: (e as Error).message }) },
        ]);
      }
      const body = typeof parsed === 'object' && parsed !== null ? parsed : {};
      const saved = saveEvaluationSystem(store, actorOf(res), req.params.name as string, {
        ...body,
        comment: typed.comment,
      });
      res.redirect(303, `${systemPath(saved.jurisdiction ?? '')}?saved=${saved.versionNo}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await showSystem(req, res, { json: { ...typed, issues: err.issues } }, { status: 422 });
    }
  };

  router.get('/jurisdictions/:name/evaluation', signedIn, async (req, res) => {
    const { t } = prefsOf(res);
    const saved = queryText(req.query.saved);
    await showSystem(
      req,
      res,
      {},
      { notice: saved && /^\d+$/.test(saved) ? t('eval.system.saved', { version: saved }) : null },
    );
  });

  router.post(
    '/jurisdictions/:name/evaluation',
    can(store, 'evaluation.write', evaluationJurisdictionParam),
    async (req, res) => {
      const { t } = prefsOf(res);
      const asForm = text(req.body?.editor) === 'form';
      if (res.locals.csrfRefused === true) {
        // Nothing is done with the post: it comes back as typed with a new token.
        const typed: Typed = asForm
          ? { form: { form: systemFormFromPost(req.body) } }
          : { json: { json: text(req.body?.system), comment: text(req.body?.comment) } };
        await showSystem(req, res, typed, { status: 403, notice: t('editor.expired') });
        return;
      }
      await (asForm ? postForm(req, res) : postJson(req, res));
    },
  );

  router.get(
    '/projects/:code/evaluation',
    can(store, 'project.read', projectParam),
    async (req, res) => {
      const { lang, unit, t } = prefsOf(res);
      const code = req.params.code as string;
      const e = projectEvaluation(store, actorOf(res), code, {
        scenario: queryText(req.query.scenario),
      });
      await ctx.pages.send(req, res, {
        view: 'evaluation-score',
        nav: 'projects',
        title: `${t('eval.score.title')} · ${e.project.name}`,
        model: {
          ...projectScoreView(e, lang, unit, t),
          dataHref: mayEnterData(store, actorOf(res), code) ? dataPath(code) : null,
        },
      });
    },
  );

  const showData = async (
    req: Request,
    res: Response,
    form: DataForm | null,
    opts: { status?: number; issues?: FieldIssue[]; sent?: string[]; notice?: string } = {},
  ) => {
    const { lang, t } = prefsOf(res);
    const d = projectEvaluationData(store, actorOf(res), req.params.code as string);
    const shown = form ?? formFromData(d.indicators, d.current);
    await ctx.pages.send(req, res, {
      view: 'evaluation-data',
      nav: 'projects',
      title: `${t('eval.data.title')} · ${d.project.name}`,
      status: opts.status,
      model: {
        csrfToken: ctx.csrf.token(req, res),
        project: d.project,
        note: systemNote(d.applied, t),
        action: dataPath(d.project.code),
        rows: dataFormView(d.indicators, shown, opts.issues ?? [], opts.sent ?? [], lang, t),
        summary: (opts.issues ?? []).map((i) => ({
          path: i.path.replace(/^data\[(\d+)\]/, (all, n: string) => opts.sent?.[Number(n)] ?? all),
          message: i.message,
        })),
        historyCount: d.historyCount,
        notice: opts.notice ?? null,
      },
    });
  };

  router.get(
    '/projects/:code/evaluation/data',
    can(store, 'evaluation.write', projectParam, { seenWith: 'project.read' }),
    async (req, res) => {
      const { t } = prefsOf(res);
      await showData(req, res, null, {
        notice: queryText(req.query.saved) === '1' ? t('eval.data.saved') : undefined,
      });
    },
  );

  router.post(
    '/projects/:code/evaluation/data',
    can(store, 'evaluation.write', projectParam, { seenWith: 'project.read' }),
    async (req, res) => {
      const { t } = prefsOf(res);
      const code = req.params.code as string;
      const { indicators } = projectEvaluationData(store, actorOf(res), code);
      const form = formFromPost(req.body, indicators);
      if (res.locals.csrfRefused === true) {
        await showData(req, res, form, { status: 403, notice: t('editor.expired') });
        return;
      }
      const { rows, body } = bodyOfForm(form, indicators);
      try {
        saveProjectEvaluationData(store, actorOf(res), code, body);
        res.redirect(303, `${dataPath(code)}?saved=1`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await showData(req, res, form, {
          status: 422,
          issues: err.issues,
          sent: rows.map((r) => r.code),
        });
      }
    },
  );

  router.get(
    '/portfolios/:id/evaluation',
    can(store, 'portfolio.read', portfolioParam),
    async (req, res) => {
      const { lang, unit, t } = prefsOf(res);
      const r = portfolioRanking(store, actorOf(res), Number(req.params.id));
      await ctx.pages.send(req, res, {
        view: 'evaluation-ranking',
        nav: 'portfolios',
        title: `${t('eval.ranking.title')} · ${r.portfolio.name}`,
        model: rankingView(r, lang, unit, t),
      });
    },
  );
  return router;
}
