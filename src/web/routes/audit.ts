import { Router, type Request } from 'express';
import {
  auditOrganisations,
  chainStatusOf,
  listAudit,
  requestChainVerification,
} from '../../app/audit';
import { ValidationError } from '../../domain/errors';
import { prefsOf, type WebContext } from '../context';
import { can } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { buildAuditLog, buildChainView, type AuditFilterTyped } from '../view-models/audit';
import { queryText } from './params';

/** How long the verification POST waits for a short verification before showing its page. */
const VERIFY_WAIT_MS = 2000;
/** How often the verification page reloads while a verification runs (the `Refresh` header). */
const REFRESH_SECONDS = 2;

/** The filter's query parameters the log reads (a repeated one counts by its last value). */
const FILTER_PARAMS = ['actor', 'orgId', 'entity', 'entityId', 'from', 'to', 'beforeId', 'limit'];

const filterInput = (req: Request): Record<string, string | undefined> =>
  Object.fromEntries(FILTER_PARAMS.map((name) => [name, queryText(req.query[name])]));

const typedFilter = (input: Record<string, string | undefined>): AuditFilterTyped => ({
  actor: input.actor ?? '',
  orgId: input.orgId ?? '',
  entity: input.entity ?? '',
  from: input.from ?? '',
  to: input.to ?? '',
});

/** Resolves when `running` settles or after `ms`, whichever comes first; never rejects. */
function settledOrAfter(running: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([
    running.then(
      () => undefined,
      () => undefined,
    ),
    waited,
  ]).finally(() => clearTimeout(timer));
}

/**
 * The auditor's workspace (issue 10), for auditors and administrators:
 * GET  /audit — the audit log, newest first, filtered by actor (part of the name),
 *      organisation, entity and from/to (China Standard Time dates), by pages (`beforeId`); a refused filter
 *      answers 422 with the form as typed and each problem at its field
 * GET  /audit/verify — the chain's latest verification, or its progress (the page reloads
 *      itself, `Refresh`, while one runs)
 * POST /audit/verify — starts a verification (or joins the one under way), waits briefly for
 *      it, then shows that page (303)
 */
export function auditRoutes(ctx: WebContext): Router {
  const router = Router();

  router.get('/audit', can(ctx.store, 'audit.read'), async (req, res) => {
    const { t } = prefsOf(res);
    const actor = actorOf(res);
    const input = filterInput(req);
    const typed = typedFilter(input);
    let status = 200;
    let model;
    try {
      model = buildAuditLog(typed, { page: listAudit(ctx.store, actor, input) }, t);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      status = 422;
      const organisations = auditOrganisations(ctx.store, actor);
      model = buildAuditLog(typed, { issues: err.issues, organisations }, t);
    }
    await ctx.pages.send(req, res, {
      view: 'audit',
      nav: 'audit',
      title: t('audit.title'),
      model,
      status,
    });
  });

  router.get('/audit/verify', can(ctx.store, 'audit.verify'), async (req, res) => {
    const { t } = prefsOf(res);
    const chain = buildChainView(chainStatusOf(ctx.chain, actorOf(res)), t);
    if (chain.running) res.set('Refresh', String(REFRESH_SECONDS));
    await ctx.pages.send(req, res, {
      view: 'audit-verify',
      nav: 'audit',
      title: t('audit.chain.title'),
      model: { chain, csrfToken: ctx.csrf.token(req, res) },
    });
  });

  router.post('/audit/verify', can(ctx.store, 'audit.verify'), async (_req, res) => {
    // A failure is shown on the page (the status keeps it); a long run is shown in progress.
    await settledOrAfter(requestChainVerification(ctx.chain, actorOf(res)), VERIFY_WAIT_MS);
    res.redirect(303, '/audit/verify');
  });

  return router;
}
