import { can } from '../middleware/access';
import { scenarioParam, versionParam } from '../middleware/resources';
import { Router, type Request, type Response } from 'express';
import { ledgerCsv } from '../../domain/engine/ledger-table';
import { prefsOf, type WebContext } from '../context';
import type { Translate } from '../i18n';
import { reviveResult } from '../../store/result-revive';
import { TamperCheck, rerunVersion, type RerunOutcome } from '../../app/rerun';
import { buildResults } from '../view-models/results';
import { buildRerun } from '../view-models/rerun';
import { actorOf } from '../middleware/auth';
import { resultsFiling } from './filings';
import { idParam, queryText } from './params';

/** A version number from the query string, or null. */
const versionNo = (value: unknown): string | null => {
  const text = queryText(value);
  return text !== undefined && /^\d{1,9}$/.test(text) ? text : null;
};

/** The query parameters the results page of a scenario depends on (its notice). */
const NOTICE_PARAMS = ['saved', 'unchanged', 'restored', 'from', 'imported'] as const;

/**
 * The notice on the results page a save redirects to: `?saved=N` (the editor, an imported
 * file), `?unchanged=N` (nothing new), `?restored=N&from=M` (version M restored as N),
 * `?imported=K` (K versions of an imported history).
 */
function resultsNotice(query: Readonly<Record<string, unknown>>, t: Translate): string | null {
  const saved = versionNo(query.saved);
  const unchanged = versionNo(query.unchanged);
  const restored = versionNo(query.restored);
  const from = versionNo(query.from);
  if (saved) return t('editor.saved', { n: saved });
  if (unchanged) return t('editor.unchanged', { n: unchanged });
  if (restored && from) return t('history.restored', { n: restored, from });
  const imported = versionNo(query.imported);
  if (imported)
    return imported === '0'
      ? t('import.historyNothing')
      : t('import.historyImported', { n: imported });
  return null;
}

/** A file name that keeps letters of any script but no path or quoting characters. */
const fileName = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 120);

/**
 * GET /scenarios/:id (results of the current version), GET /versions/:id (of any version), and
 * the downloads: the scenario file exactly as stored, the ledger as CSV.
 */
export function resultRoutes(ctx: WebContext): Router {
  const router = Router();
  const tamperCheck = new TamperCheck(ctx.store);

  /** The re-run page for an outcome (also the results page of a tampered version). */
  const sendRerun = async (req: Request, res: Response, outcome: RerunOutcome) => {
    const { t } = prefsOf(res);
    const model = buildRerun(ctx.store, outcome, t);
    await ctx.pages.send(req, res, {
      view: 'rerun',
      nav: 'projects',
      title: t('rerun.title', { scenario: model.scenario.name, n: model.version.no }),
      model,
    });
  };

  router.get('/scenarios/:id', can(ctx.store, 'project.read', scenarioParam), async (req, res) => {
    const { lang, unit, t } = prefsOf(res);
    const id = idParam(req.params.id, 'Scenario');
    const tampered = tamperCheck.check(ctx.store.scenarios.getById(id).currentVersionId);
    if (tampered) return sendRerun(req, res, tampered);
    const actor = actorOf(res);
    await ctx.pages.sendCached(
      req,
      res,
      NOTICE_PARAMS,
      (query) => {
        const scenario = ctx.store.scenarios.getById(id);
        const results = buildResults(
          ctx.store,
          scenario.currentVersionId,
          lang,
          unit,
          t,
          resultsNotice(query, t),
          ctx.fiscal,
          ctx.figures,
        );
        const model = {
          ...results,
          filing: resultsFiling(ctx.store, actor, scenario.currentVersionId, t),
        };
        return {
          view: 'results',
          nav: 'projects',
          title: `${model.scenario.name} · ${model.project.name}`,
          model,
        };
      },
      { scope: { scenarioId: id }, prepare: () => ctx.fiscal.prepareForScenario(id) },
    );
  });

  router.get('/versions/:id', can(ctx.store, 'project.read', versionParam), async (req, res) => {
    const { lang, unit, t } = prefsOf(res);
    const id = idParam(req.params.id, 'Scenario version');
    // Inputs changed behind the store's back: say so, never serve the cached figures.
    const tampered = tamperCheck.check(id);
    if (tampered) return sendRerun(req, res, tampered);
    await ctx.pages.sendCached(
      req,
      res,
      [],
      () => {
        const model = buildResults(ctx.store, id, lang, unit, t, null, ctx.fiscal, ctx.figures);
        return {
          view: 'results',
          nav: 'projects',
          title: `${model.scenario.name} v${model.version.no} · ${model.project.name}`,
          model,
        };
      },
      { scope: { versionId: id }, prepare: () => ctx.fiscal.prepareForVersion(id) },
    );
  });

  router.get(
    '/versions/:id/rerun',
    can(ctx.store, 'result.rerun', versionParam),
    async (req, res) => {
      await sendRerun(
        req,
        res,
        rerunVersion(ctx.store, idParam(req.params.id, 'Scenario version')),
      );
    },
  );

  router.get(
    '/versions/:id/scenario.json',
    can(ctx.store, 'project.read', versionParam),
    (req, res) => {
      const version = ctx.store.scenarios.version(idParam(req.params.id, 'Scenario version'));
      res.attachment(
        `${fileName(version.projectCode)}-${fileName(version.scenarioName)}-v${version.versionNo}.json`,
      );
      res.type('application/json; charset=utf-8');
      // Exactly the stored text, so its SHA-256 matches the version's inputs hash.
      res.send(version.inputsJson);
    },
  );

  router.get(
    '/versions/:id/ledger.csv',
    can(ctx.store, 'project.read', versionParam),
    (req, res) => {
      const id = idParam(req.params.id, 'Scenario version');
      const version = ctx.store.scenarios.version(id);
      // Headers in the user's language; `?headers=codes` keeps the machine keys (README).
      const csv = ledgerCsv(reviveResult(ctx.store.results.forVersion(id)), {
        headers: req.query.headers === 'codes' ? 'codes' : 'labels',
        lang: prefsOf(res).lang,
      });
      res.attachment(
        `${fileName(version.projectCode)}-${fileName(version.scenarioName)}-v${version.versionNo}-ledger.csv`,
      );
      res.type('text/csv; charset=utf-8');
      // A byte-order mark lets Excel on Chinese Windows read UTF-8 names correctly.
      res.send(`\uFEFF${csv}`);
    },
  );

  return router;
}
