import { Router, type Request, type Response } from 'express';
import { decide, type Action, type Actor } from '../../domain/access';
import { ValidationError } from '../../domain/errors';
import type { FilingTransition } from '../../domain/filing';
import {
  approveFiling,
  approvalYear,
  approvedThisYear,
  awaitingMyReview,
  commentOnFiling,
  filingFingerprints,
  filingsOfScenario,
  getFiling,
  justifyFailure,
  openFilingsOfMine,
  openFilingsToMe,
  resubmitFiling,
  returnedToMe,
  returnFiling,
  submitFiling,
  takeUnderReview,
  withdrawFiling,
  type FilingView,
} from '../../app/filings';
import { scenarioResource } from '../../app/resources';
import type { Store } from '../../store';
import { ConflictError } from '../../store/errors';
import { prefsOf, type WebContext } from '../context';
import type { Lang } from '../format/number';
import type { Translate } from '../i18n';
import { localizeIssue } from '../i18n/issues';
import { can, signedIn } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { filingParam, versionParam } from '../middleware/resources';
import { buildResults } from '../view-models/results';
import {
  fileForm,
  filingPage,
  filingReport,
  inboxRow,
  stateView,
  type FilingPageView,
  type FormState,
  type InboxSection,
  type StateView,
} from '../view-models/filing';
import { postedText } from '../view-models/form-fields';
import { idParam, queryText } from './params';

/** The transitions a filing page posts, each to `/filings/:id/<kind>`, with the action its guard checks. */
const TRANSITIONS: ReadonlyArray<{
  kind: Exclude<FilingTransition, 'submit' | 'justify' | 'comment'>;
  action: Action;
  run: (store: Store, actor: Actor, input: never) => FilingView;
}> = [
  { kind: 'take-under-review', action: 'filing.review', run: takeUnderReview },
  { kind: 'return', action: 'filing.review', run: returnFiling },
  { kind: 'approve', action: 'filing.approve', run: approveFiling },
  { kind: 'resubmit', action: 'version.file', run: resubmitFiling },
  { kind: 'withdraw', action: 'version.file', run: withdrawFiling },
];

/** What the notice after a successful post says (`?done=<kind>`). */
const DONE = [
  'submit',
  'take-under-review',
  'return',
  'approve',
  'resubmit',
  'withdraw',
  'comment',
  'justify',
];

/** A posted whole number as the use case reads it: digits become a number; anything else is refused there. */
function postedCount(body: unknown, key: string): number | string | undefined {
  const text = postedText(body, key).trim();
  if (text === '') return undefined;
  return /^\d{1,9}$/.test(text) ? Number(text) : text;
}

/** A checkbox after its hidden "false": true when the last value posted is "true". */
const postedFlag = (body: unknown, key: string) => postedText(body, key) === 'true';

/** A posted id: digits become a number; anything else is refused by the use case (422). */
function postedId(body: unknown, key: string): number | string | undefined {
  const text = postedText(body, key).trim();
  if (text === '') return undefined;
  return /^\d{1,12}$/.test(text) ? Number(text) : text;
}

/** The conflict's message and the state the filing is in now, in the page's language. */
function conflictNotice(err: ConflictError, state: StateView, lang: Lang, t: Translate) {
  return {
    text: `${t('filing.conflict', { state: state.label })} ${localizeIssue(err.message, lang)}`,
    tone: 'warn' as const,
  };
}

/**
 * The filing workflow's pages (issue 10):
 * GET  /filings — the inbox: awaiting my review, returned to me, my open filings, filings under
 *      way to my jurisdiction, approved this year (each section for the roles it concerns)
 * GET  /filings/:id — the filing page
 * POST /filings/:id/{take-under-review,return,approve,resubmit,withdraw,comment,justify}
 * GET  /filings/:id/report — the printable A4 report
 * POST /versions/:id/file — "File this version" on the results page of a current version
 *
 * Pages with forms are rendered per request (their CSRF token); transitions carry the event
 * count the page showed, so a stale one answers 409 with the filing as it is now.
 */
export function filingRoutes(ctx: WebContext): Router {
  const router = Router();

  router.get('/filings', signedIn, async (req, res) => {
    const { t } = prefsOf(res);
    const actor = actorOf(res);
    const has = (...roles: string[]) => actor.roles.some((r) => roles.includes(r));
    const filer = has('bureau-analyst', 'bureau-approver', 'enterprise-analyst');
    const year = approvalYear(ctx.store);
    const sections: InboxSection[] = [];
    const add = (id: string, title: string, list: Parameters<typeof inboxRow>[0][]) =>
      sections.push({ id, title, rows: list.map((f) => inboxRow(f, t)) });
    if (has('bureau-approver'))
      add('inbox-review', t('filing.inbox.awaiting'), awaitingMyReview(ctx.store, actor));
    if (filer) {
      add('inbox-returned', t('filing.inbox.returned'), returnedToMe(ctx.store, actor));
      add('inbox-mine', t('filing.inbox.mine'), openFilingsOfMine(ctx.store, actor));
    }
    if (has('bureau-analyst', 'auditor'))
      add('inbox-under-way', t('filing.inbox.underWay'), openFilingsToMe(ctx.store, actor));
    add('inbox-approved', t('filing.inbox.approved', { year }), approvedThisYear(ctx.store, actor));
    await ctx.pages.send(req, res, {
      view: 'filings',
      nav: 'filings',
      title: t('filing.inbox.title'),
      model: { sections },
    });
  });

  const showFiling = async (
    req: Request,
    res: Response,
    opts: { status?: number; notice?: FilingPageView['notice']; refused?: FormState } = {},
  ) => {
    const { lang, unit, t } = prefsOf(res);
    const actor = actorOf(res);
    const view = getFiling(ctx.store, actor, idParam(req.params.id, 'Filing'));
    const model = filingPage({
      store: ctx.store,
      actor,
      view,
      lang,
      unit,
      t,
      figures: ctx.figures,
      csrfToken: ctx.csrf.token(req, res),
      notice: opts.notice,
      refused: opts.refused,
    });
    await ctx.pages.send(req, res, {
      view: 'filing',
      nav: 'filings',
      title: t('filing.title', { id: view.id, scenario: view.scenarioName, n: view.versionNo }),
      model,
      status: opts.status,
    });
  };

  router.get('/filings/:id', can(ctx.store, 'project.read', filingParam), async (req, res) => {
    const { t } = prefsOf(res);
    const done = queryText(req.query.done);
    await showFiling(req, res, {
      notice: done && DONE.includes(done) ? { text: t(`filing.done.${done}`), tone: 'ok' } : null,
    });
  });

  /** Runs a posted change; 422 keeps what was typed at its form, 409 shows the filing as it is now. */
  const change = async (
    req: Request,
    res: Response,
    form: string,
    values: Record<string, string>,
    kind: string,
    run: () => unknown,
  ) => {
    const { lang, t } = prefsOf(res);
    const id = idParam(req.params.id, 'Filing');
    try {
      run();
    } catch (err) {
      if (err instanceof ValidationError)
        return showFiling(req, res, { status: 422, refused: { form, values, issues: err.issues } });
      if (err instanceof ConflictError) {
        const now = getFiling(ctx.store, actorOf(res), id);
        return showFiling(req, res, {
          status: 409,
          notice: conflictNotice(err, stateView(now.state, t), lang, t),
          refused: { form, values, issues: [] },
        });
      }
      throw err;
    }
    res.redirect(303, `/filings/${id}?done=${kind}`);
  };

  for (const { kind, action, run } of TRANSITIONS)
    router.post(`/filings/:id/${kind}`, can(ctx.store, action, filingParam), async (req, res) => {
      const body: unknown = req.body;
      const input: Record<string, unknown> = {
        filingId: idParam(req.params.id, 'Filing'),
        expectedEvents: postedCount(body, 'expectedEvents'),
        comment: postedText(body, 'comment'),
      };
      const values: Record<string, string> = { comment: postedText(body, 'comment') };
      if (kind === 'resubmit') {
        input.versionId = postedId(body, 'versionId');
        input.dataSharingDeclared = postedFlag(body, 'dataSharingDeclared');
        input.allFundingDeclared = postedFlag(body, 'allFundingDeclared');
        values.dataSharingDeclared = String(input.dataSharingDeclared);
        values.allFundingDeclared = String(input.allFundingDeclared);
      }
      await change(req, res, `transition-${kind}`, values, kind, () =>
        run(ctx.store, actorOf(res), input as never),
      );
    });

  router.post(
    '/filings/:id/comment',
    can(ctx.store, 'filing.comment', filingParam),
    async (req, res) => {
      const comment = postedText(req.body, 'comment');
      await change(req, res, 'comment', { comment }, 'comment', () =>
        commentOnFiling(ctx.store, actorOf(res), {
          filingId: idParam(req.params.id, 'Filing'),
          comment,
        }),
      );
    },
  );

  router.post(
    '/filings/:id/justify',
    can(ctx.store, 'version.file', filingParam),
    async (req, res) => {
      const ruleId = postedText(req.body, 'ruleId');
      const text = postedText(req.body, 'text');
      await change(req, res, `justify-${ruleId}`, { text }, 'justify', () =>
        justifyFailure(ctx.store, actorOf(res), {
          filingId: idParam(req.params.id, 'Filing'),
          expectedEvents: postedCount(req.body, 'expectedEvents') as number | undefined,
          ruleId,
          text,
        }),
      );
    },
  );

  router.get(
    '/filings/:id/report',
    can(ctx.store, 'project.read', filingParam),
    async (req, res) => {
      const { lang, unit, t } = prefsOf(res);
      const actor = actorOf(res);
      const id = idParam(req.params.id, 'Filing');
      const view = getFiling(ctx.store, actor, id);
      const model = filingReport(
        ctx.store,
        view,
        filingFingerprints(ctx.store, actor, id),
        lang,
        unit,
        t,
        ctx.figures,
        ctx.store.now(),
      );
      await ctx.pages.send(req, res, {
        view: 'filing-report',
        layout: 'report',
        title: t('report.title', { id: view.id, scenario: view.scenarioName, n: view.versionNo }),
        model,
      });
    },
  );

  /** The "File this version" page: the version's key figures and the form (`typed`: a refused post). */
  const showFileForm = async (
    req: Request,
    res: Response,
    versionId: number,
    opts: { status?: number; typed?: FormState } = {},
  ) => {
    const { lang, unit, t } = prefsOf(res);
    const results = buildResults(ctx.store, versionId, lang, unit, t, null, undefined, ctx.figures);
    const version = ctx.store.scenarios.version(versionId);
    const scenario = ctx.store.scenarios.getById(version.scenarioId);
    const open = ctx.store.filings.openFiling(scenario.id);
    const project = ctx.store.projects.get(version.projectCode);
    await ctx.pages.send(req, res, {
      view: 'file',
      nav: 'projects',
      title: t('file.title', { scenario: results.scenario.name, n: results.version.no }),
      model: {
        project: results.project,
        scenario: results.scenario,
        version: results.version,
        metrics: results.metrics,
        links: results.links,
        current: scenario.currentVersionId === versionId,
        open: open
          ? { href: `/filings/${open.id}`, state: stateView(open.state as never, t) }
          : null,
        form: fileForm(ctx.store, versionId, project.jurisdiction, lang, t, opts.typed),
        csrfToken: ctx.csrf.token(req, res),
      },
      status: opts.status,
    });
  };

  router.get(
    '/versions/:id/file',
    can(ctx.store, 'version.file', versionParam),
    async (req, res) => {
      await showFileForm(req, res, idParam(req.params.id, 'Scenario version'));
    },
  );

  router.post(
    '/versions/:id/file',
    can(ctx.store, 'version.file', versionParam),
    async (req, res) => {
      const versionId = idParam(req.params.id, 'Scenario version');
      const body: unknown = req.body;
      const values = {
        jurisdiction: postedText(body, 'jurisdiction'),
        dataSharingDeclared: String(postedFlag(body, 'dataSharingDeclared')),
        allFundingDeclared: String(postedFlag(body, 'allFundingDeclared')),
        comment: postedText(body, 'comment'),
      };
      let filed: FilingView;
      try {
        filed = submitFiling(ctx.store, actorOf(res), {
          versionId,
          jurisdiction: values.jurisdiction,
          dataSharingDeclared: values.dataSharingDeclared === 'true',
          allFundingDeclared: values.allFundingDeclared === 'true',
          comment: values.comment,
        });
      } catch (err) {
        const refused =
          err instanceof ValidationError
            ? { status: 422, issues: err.issues }
            : err instanceof ConflictError
              ? { status: 409, issues: [{ path: '', message: err.message }] }
              : null;
        if (!refused) throw err;
        await showFileForm(req, res, versionId, {
          status: refused.status,
          typed: { form: 'file', values, issues: refused.issues },
        });
        return;
      }
      res.redirect(303, `/filings/${filed.id}?done=submit`);
    },
  );

  return router;
}

/** What a results page shows of its scenario's filings, and the link to file its version. */
export interface ResultsFilingView {
  filings: Array<{ href: string; state: StateView; jurisdiction: string; versionNo: number }>;
  /** `/versions/:id/file` when the viewer may file the version now; else null. */
  fileHref: string | null;
}

/** Whether the actor's role lets them file the scenario's versions at all. */
export function mayFile(store: Store, actor: Actor, scenarioId: number): boolean {
  return decide(actor, 'version.file', scenarioResource(store, scenarioId)) === 'allow';
}

/**
 * The filing part of the results page of `versionId`: the scenario's filings the viewer may
 * see, and "File this version" when the viewer may file, the version is the scenario's current
 * one and the scenario has no open filing. The page stays one for every browser of the viewer
 * (cached, with an ETag): the form itself, with its token, is a page of its own.
 */
export function resultsFiling(
  store: Store,
  actor: Actor,
  versionId: number,
  t: Translate,
): ResultsFilingView {
  const version = store.scenarios.version(versionId);
  const scenario = store.scenarios.getById(version.scenarioId);
  const filings = filingsOfScenario(store, actor, scenario.id);
  const open = filings.some((f) => f.state !== 'approved' && f.state !== 'withdrawn');
  const offer =
    mayFile(store, actor, scenario.id) && scenario.currentVersionId === versionId && !open;
  return {
    filings: filings.map((f) => ({
      href: `/filings/${f.id}`,
      state: stateView(f.state, t),
      jurisdiction: f.jurisdiction,
      versionNo: f.versionNo,
    })),
    fileHref: offer ? `/versions/${versionId}/file` : null,
  };
}
