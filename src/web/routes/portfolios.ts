import { Router, type Request, type Response } from 'express';
import {
  archivedMembers,
  archivePortfolio,
  copyPortfolio,
  createPortfolio,
  listPortfolios,
  memberChoices,
  renamePortfolio,
  replaceMembers,
  restorePortfolio,
  type MemberChoice,
} from '../../app/portfolios';
import { portfolioResource } from '../../app/resources';
import { decide } from '../../domain/access';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { ConflictError } from '../../store/errors';
import { prefsOf, type WebContext } from '../context';
import { localizeIssue } from '../i18n/issues';
import { can, signedIn } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { newPortfolio, portfolioParam } from '../middleware/resources';
import { postedText } from '../view-models/form-fields';
import { idParam, queryText } from './params';

/** Blank member rows a form offers for adding projects. */
const BLANK_ROWS = 3;

/** A member row as posted or shown: project code and scenario id (as text). */
interface MemberRow {
  project: string;
  scenario: string;
}

/** The rows of a posted members form (`members[i][project]`, `members[i][scenario]`); blank rows dropped. */
function postedMembers(body: unknown): MemberRow[] {
  const raw = (body as { members?: unknown } | undefined)?.members;
  const list = Array.isArray(raw) ? raw : typeof raw === 'object' && raw ? Object.values(raw) : [];
  return list
    .map((r) => ({ project: postedText(r, 'project'), scenario: postedText(r, 'scenario') }))
    .filter((r) => r.project.trim() !== '');
}

const issueAt = (issues: FieldIssue[], path: string, lang: 'zh' | 'en') =>
  issues
    .filter((i) => i.path === path)
    .map((i) => localizeIssue(i.message, lang))
    .join('; ') || null;

/** The member rows' selects: every project, and every live scenario grouped by project. */
function memberRowsView(
  rows: MemberRow[],
  choices: MemberChoice[],
  issues: FieldIssue[],
  lang: 'zh' | 'en',
  extra: Array<{ id: number; name: string; projectCode: string }>,
) {
  const all = [
    ...rows,
    ...Array.from({ length: BLANK_ROWS }, () => ({ project: '', scenario: '' })),
  ];
  return all.map((row, i) => ({
    index: i,
    projects: choices.map((p) => ({
      code: p.code,
      label: `${p.code} · ${p.name}`,
      selected: p.code === row.project,
    })),
    groups: choices.map((p) => ({
      label: p.code,
      options: [
        ...p.scenarios,
        ...extra.filter((e) => e.projectCode === p.code && String(e.id) === row.scenario),
      ].map((s) => ({ id: s.id, name: s.name, selected: String(s.id) === row.scenario })),
    })),
    projectIssue: issueAt(issues, `[${i}].project`, lang),
    scenarioIssue: issueAt(issues, `[${i}].scenario`, lang),
  }));
}

interface PortfolioForms {
  rename?: { name: string; description: string };
  members?: MemberRow[];
  copy?: { name: string };
  issues?: FieldIssue[];
  form?: 'rename' | 'members' | 'copy';
  notice?: string | null;
  status?: number;
}

/**
 * Portfolio management pages (issue 12, README "Portfolios"):
 *   GET  /portfolios                 the portfolios the user may read (`?archived=1`: archived ones too)
 *   GET  /portfolios/new             the new-portfolio form
 *   POST /portfolios                 creates one (303 to its page; 422 with what was typed)
 *   GET  /portfolios/:id             the portfolio: members (archived scenarios flagged), forms
 *   POST /portfolios/:id             renames and re-describes it
 *   POST /portfolios/:id/members     replaces its members (all or nothing)
 *   POST /portfolios/:id/copy        a new portfolio with its members
 *   POST /portfolios/:id/archive     archives it; POST /portfolios/:id/restore restores it
 */
export function portfolioRoutes(ctx: WebContext): Router {
  const { store } = ctx;
  const router = Router();

  router.get('/portfolios', signedIn, async (req, res) => {
    const { t } = prefsOf(res);
    const archived = queryText(req.query.archived) === '1';
    const actor = actorOf(res);
    const list = listPortfolios(store, actor, { includeArchived: archived }).map((p) => ({
      ...p,
      href: `/portfolios/${p.id}`,
      fiscalHref: `/portfolios/${p.id}/fiscal`,
      archived: p.deletedAt !== null,
      memberCount: p.members.length,
    }));
    await ctx.pages.send(req, res, {
      view: 'portfolios',
      nav: 'portfolios',
      title: t('portfolios.title'),
      model: {
        portfolios: list,
        archived,
        filterHref: archived ? '/portfolios' : '/portfolios?archived=1',
        mayCreate: decide(actor, 'portfolio.write', newPortfolioOf(req)) === 'allow',
      },
    });
  });

  const newPortfolioOf = (req: Request) => newPortfolio(req, store)!.resource;

  const showNew = async (
    req: Request,
    res: Response,
    form: { name: string; description: string; members: MemberRow[] },
    issues: FieldIssue[] = [],
    status?: number,
  ) => {
    const { t, lang } = prefsOf(res);
    const nameIssue = issueAt(issues, 'name', lang);
    const shifted = issues.map((i) => ({ ...i, path: i.path.replace(/^members/, '') }));
    await ctx.pages.send(req, res, {
      view: 'portfolio-new',
      nav: 'portfolios',
      title: t('portfolios.new'),
      status,
      model: {
        csrfToken: ctx.csrf.token(req, res),
        form,
        nameIssue,
        descriptionIssue: issueAt(issues, 'description', lang),
        rows: memberRowsView(form.members, memberChoices(store, actorOf(res)), shifted, lang, []),
        problem: issues.length > 0,
      },
    });
  };

  router.get('/portfolios/new', can(store, 'portfolio.write', newPortfolio), async (req, res) => {
    await showNew(req, res, { name: '', description: '', members: [] });
  });

  router.post('/portfolios', can(store, 'portfolio.write', newPortfolio), async (req, res) => {
    const form = {
      name: postedText(req.body, 'name'),
      description: postedText(req.body, 'description'),
      members: postedMembers(req.body),
    };
    try {
      const made = createPortfolio(store, actorOf(res), form);
      res.redirect(303, `/portfolios/${made.id}?saved=1`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await showNew(req, res, form, err.issues, 422);
    }
  });

  const show = async (req: Request, res: Response, id: number, forms: PortfolioForms = {}) => {
    const { t, lang } = prefsOf(res);
    const actor = actorOf(res);
    const p = store.portfolios.get(id);
    const flagged = new Set(archivedMembers(store, p).map((m) => m.projectCode));
    const issues = forms.issues ?? [];
    const on = (form: PortfolioForms['form']) => (forms.form === form ? issues : []);
    const rows =
      forms.members ??
      p.members.map((m) => ({ project: m.projectCode, scenario: String(m.scenarioId) }));
    const extra = p.members
      .filter((m) => flagged.has(m.projectCode))
      .map((m) => ({
        id: m.scenarioId,
        name: `${m.scenarioName} (${t('portfolios.archivedTag')})`,
        projectCode: m.projectCode,
      }));
    await ctx.pages.send(req, res, {
      view: 'portfolio',
      nav: 'portfolios',
      title: `${t('portfolios.one')} · ${p.name}`,
      status: forms.status,
      model: {
        csrfToken: ctx.csrf.token(req, res),
        portfolio: p,
        archived: p.deletedAt !== null,
        members: p.members.map((m) => ({ ...m, archivedScenario: flagged.has(m.projectCode) })),
        flaggedCount: flagged.size,
        fiscalHref: `/portfolios/${id}/fiscal`,
        planHref:
          decide(actor, 'plan.optimise', portfolioResource(store, id)) === 'allow'
            ? `/portfolios/${id}/plan`
            : null,
        mayWrite: decide(actor, 'portfolio.write', portfolioResource(store, id)) === 'allow',
        mayCopy: decide(actor, 'portfolio.write', newPortfolioOf(req)) === 'allow',
        rename: forms.rename ?? { name: p.name, description: p.description },
        nameIssue: issueAt(on('rename'), 'name', lang),
        descriptionIssue: issueAt(on('rename'), 'description', lang),
        rows: memberRowsView(rows, memberChoices(store, actor), on('members'), lang, extra),
        membersProblem: on('members').length > 0,
        copy: forms.copy ?? { name: '' },
        copyIssue:
          issueAt(on('copy'), 'name', lang) ??
          (on('copy').length > 0
            ? on('copy')
                .map((i) => localizeIssue(i.message, lang))
                .join('; ')
            : null),
        notice: forms.notice ?? (queryText(req.query.saved) === '1' ? t('portfolios.saved') : null),
        actions: {
          rename: `/portfolios/${id}`,
          members: `/portfolios/${id}/members`,
          copy: `/portfolios/${id}/copy`,
          archive: `/portfolios/${id}/archive`,
          restore: `/portfolios/${id}/restore`,
        },
      },
    });
  };

  router.get('/portfolios/:id', can(store, 'portfolio.read', portfolioParam), async (req, res) => {
    await show(req, res, idParam(req.params.id, 'Portfolio'));
  });

  /** Runs a write; a refusal shows the page again with what was typed (422, or 409 for a conflict). */
  const write = async (
    req: Request,
    res: Response,
    form: PortfolioForms['form'],
    kept: PortfolioForms,
    fn: (id: number) => number,
  ) => {
    const { lang } = prefsOf(res);
    const id = idParam(req.params.id, 'Portfolio');
    try {
      res.redirect(303, `/portfolios/${fn(id)}?saved=1`);
    } catch (err) {
      if (err instanceof ValidationError)
        return show(req, res, id, { ...kept, form, issues: err.issues, status: 422 });
      if (err instanceof ConflictError)
        return show(req, res, id, {
          ...kept,
          notice: localizeIssue(err.message, lang),
          status: 409,
        });
      throw err;
    }
  };

  router.post(
    '/portfolios/:id',
    can(store, 'portfolio.write', portfolioParam),
    async (req, res) => {
      const rename = {
        name: postedText(req.body, 'name'),
        description: postedText(req.body, 'description'),
      };
      await write(
        req,
        res,
        'rename',
        { rename },
        (id) => renamePortfolio(store, actorOf(res), id, rename).id,
      );
    },
  );

  router.post(
    '/portfolios/:id/members',
    can(store, 'portfolio.write', portfolioParam),
    async (req, res) => {
      const members = postedMembers(req.body);
      await write(
        req,
        res,
        'members',
        { members },
        (id) => replaceMembers(store, actorOf(res), id, members).id,
      );
    },
  );

  router.post(
    '/portfolios/:id/copy',
    can(store, 'portfolio.read', portfolioParam),
    async (req, res) => {
      const copy = { name: postedText(req.body, 'name') };
      await write(
        req,
        res,
        'copy',
        { copy },
        (id) => copyPortfolio(store, actorOf(res), id, copy).id,
      );
    },
  );

  router.post(
    '/portfolios/:id/archive',
    can(store, 'portfolio.write', portfolioParam),
    async (req, res) => {
      await write(req, res, undefined, {}, (id) => archivePortfolio(store, actorOf(res), id).id);
    },
  );

  router.post(
    '/portfolios/:id/restore',
    can(store, 'portfolio.write', portfolioParam),
    async (req, res) => {
      await write(req, res, undefined, {}, (id) => restorePortfolio(store, actorOf(res), id).id);
    },
  );

  return router;
}
