import { Router, type Request, type Response } from 'express';
import { preApprovalChecklist, setPreApprovalChecklist } from '../../app/filings';
import { PRE_APPROVAL_ITEMS, type PreApprovalConfig } from '../../domain/filing';
import { ValidationError } from '../../domain/errors';
import { prefsOf, type WebContext } from '../context';
import { can, signedIn } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { jurisdictionParam } from '../middleware/resources';

/**
 * A jurisdiction's pre-approval checklist (issue 10), which items must be complete before its
 * bureau approves a filing:
 *   GET  /jurisdictions/:name/pre-approval   the items, on or off (any signed-in user may read)
 *   POST /jurisdictions/:name/pre-approval   sets them (`threshold.write`: the bureau's approvers)
 */
export function preApprovalRoutes(ctx: WebContext): Router {
  const router = Router();
  const { store } = ctx;
  const path = (name: string) => `/jurisdictions/${encodeURIComponent(name)}/pre-approval`;

  const show = async (
    req: Request,
    res: Response,
    name: string,
    config: PreApprovalConfig,
    opts: { status?: number; notice?: string; problem?: string } = {},
  ) => {
    const { t } = prefsOf(res);
    await ctx.pages.send(req, res, {
      view: 'pre-approval',
      nav: 'filings',
      title: t('preApproval.title', { jurisdiction: name }),
      status: opts.status,
      model: {
        csrfToken: ctx.csrf.token(req, res),
        jurisdiction: name,
        action: path(name),
        items: PRE_APPROVAL_ITEMS.map((item) => ({
          item,
          on: config[item],
          label: t(`preApproval.item.${item}`),
          hint: t(`preApproval.hint.${item}`),
        })),
        notice: opts.notice ?? null,
        problem: opts.problem ?? null,
      },
    });
  };

  router.get('/jurisdictions/:name/pre-approval', signedIn, async (req, res) => {
    const name = req.params.name as string;
    await show(req, res, name, preApprovalChecklist(store, name));
  });

  router.post(
    '/jurisdictions/:name/pre-approval',
    can(store, 'threshold.write', jurisdictionParam),
    async (req, res) => {
      const { t } = prefsOf(res);
      const name = req.params.name as string;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const items = Object.fromEntries(
        PRE_APPROVAL_ITEMS.map((item) => [item, body[item] === 'on']),
      ) as Record<(typeof PRE_APPROVAL_ITEMS)[number], boolean>;
      try {
        const config = setPreApprovalChecklist(store, actorOf(res), { jurisdiction: name, items });
        await show(req, res, name, config, { notice: t('preApproval.saved') });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await show(req, res, name, items, {
          status: 422,
          problem: err.issues.map((i) => `${i.path}: ${i.message}`).join('; '),
        });
      }
    },
  );

  return router;
}
