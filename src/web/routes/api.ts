import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { asActor } from '../../app/actors';
import { PROJECT_ARCHIVING, SCENARIO_ARCHIVING } from '../../app/archive';
import {
  checkApply,
  jurisdictionFiscal,
  saveFiscalSettings,
  saveJurisdictionFiscal,
} from '../../app/fiscal-settings';
import { rerunVersion } from '../../app/rerun';
import {
  archivePortfolio,
  copyPortfolio,
  createPortfolio,
  listPortfolios,
  renamePortfolio,
  replaceMembers,
  restorePortfolio,
} from '../../app/portfolios';
import { visibleProjects } from '../../app/visibility';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { simulate } from '../../domain/engine/simulate';
import { parseScenario } from '../../domain/scenario/parse';
import { ConflictError } from '../../store/errors';
import { portfolioCityCost, scenarioChecklist } from '../../store/fiscal-report';
import type { ScenarioVersion } from '../../store/types';
import type { WebContext } from '../context';
import { can, open, signedIn } from '../middleware/access';
import { actorOf, identifyByToken } from '../middleware/auth';
import { BadRequestError } from '../middleware/errors';
import {
  evaluationJurisdictionParam,
  jurisdictionParam,
  newPortfolio,
  portfolioParam,
  projectParam,
  scenarioFileBody,
  scenarioParam,
  versionParam,
} from '../middleware/resources';
import { parseSwitchParams, SWITCH_PARAM } from '../view-models/fiscal';
import { registerJson, registerOf } from '../view-models/risk-register';
import { checkedQuery, idParam } from './params';
import { riskApiRoutes } from './risk';
import { portfolioRiskApiRoutes } from './portfolio-risk';
import { planApiRoutes } from './plan';
import { monitoringApiRoutes } from './monitoring';
import { evaluationApiRoutes } from './evaluation-api';
import { portfolioWorkbookApiRoutes } from './portfolio-workbooks';

/**
 * Requests that carry a body must say it is JSON. A cross-site HTML form can only send
 * urlencoded, multipart or text bodies, so this is the API's protection against forged requests.
 */
function jsonOnly(req: Request, res: Response, next: NextFunction): void {
  const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
  if (hasBody && !req.is('application/json')) {
    res.status(415).json({
      error: {
        code: 'unsupported-media-type',
        message: 'Send the request body as application/json',
      },
    });
    return;
  }
  next();
}

const versionJson = (v: ScenarioVersion) => {
  const { inputsJson: _text, ...rest } = v;
  return rest;
};

/**
 * The author and `?comment=` of a write, under the text rule: the author is the token's user
 * (a `?author=` parameter is ignored: it no longer decides who acted). @throws ValidationError
 */
const saveMeta = (req: Request) => {
  const q = checkedQuery(req.query, [{ name: 'comment', what: 'Comment', kind: 'multi-line' }]);
  return { actor: actorOf(req.res!).username, comment: q.comment };
};

/**
 * A PUT (or restore) body must be one JSON object: anything else (an array, a string) is refused as a whole,
 * 400 with the path "" (the body), before any field is looked at.
 */
function objectBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError([{ path: '', message: 'The body must be a JSON object' }]);
  }
  return body as Record<string, unknown>;
}

/**
 * The JSON API under /api/v1: the same schema, the same errors as the forms.
 * Errors answer `{ error: { code, message, issues?: [{ path, message }] } }` (see errors.ts).
 */
export function apiRoutes(ctx: WebContext): Router {
  const { store } = ctx;
  const router = Router();
  router.use(jsonOnly);
  router.use(identifyByToken(store));
  router.use(express.json({ type: 'application/json', limit: '2mb' }));
  // Answers are for programs, never cached by a browser.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/projects', signedIn, (_req, res) => {
    res.json({ projects: visibleProjects(store, actorOf(res), store.projects.list()) });
  });

  /** Creates a project with its first scenario (body: a scenario file). 409 when the code exists. */
  router.post('/projects', can(store, 'project.write', scenarioFileBody), (req, res) => {
    const scenario = parseScenario(req.body);
    if (store.projects.find(scenario.project.code)) {
      throw new ConflictError(
        'project-exists',
        `Project ${scenario.project.code} already exists`,
        { code: scenario.project.code },
        `POST to /api/v1/projects/${scenario.project.code}/scenarios to add a scenario`,
      );
    }
    const saved = asActor(store, actorOf(res), () => store.scenarios.save(req.body, saveMeta(req)));
    res
      .status(201)
      .location(`/api/v1/projects/${encodeURIComponent(saved.project.code)}`)
      .json({
        project: saved.project,
        scenario: saved.scenario,
        version: versionJson(saved.version),
      });
  });

  router.get('/projects/:code', can(store, 'project.read', projectParam), (req, res) => {
    const project = store.projects.get(req.params.code as string);
    res.json({ project, scenarios: store.scenarios.list({ projectCode: project.code }) });
  });

  router.get('/projects/:code/scenarios', can(store, 'project.read', projectParam), (req, res) => {
    const project = store.projects.get(req.params.code as string);
    res.json({ scenarios: store.scenarios.list({ projectCode: project.code }) });
  });

  /** Saves a scenario file as a new version (201), or reports that nothing changed (200). */
  router.post(
    '/projects/:code/scenarios',
    can(store, 'scenario.write', projectParam),
    (req, res) => {
      const project = store.projects.get(req.params.code as string);
      const scenario = parseScenario(req.body);
      if (scenario.project.code !== project.code) {
        throw new ValidationError(
          [
            {
              path: 'project.code',
              message: `The file is for project ${scenario.project.code}, not ${project.code}`,
            },
          ],
          'The scenario is for another project',
        );
      }
      const saved = asActor(store, actorOf(res), () =>
        store.scenarios.save(req.body, saveMeta(req)),
      );
      res
        .status(saved.created ? 201 : 200)
        .location(`/api/v1/versions/${saved.version.id}`)
        .json({
          created: saved.created,
          project: saved.project,
          scenario: saved.scenario,
          version: versionJson(saved.version),
        });
    },
  );

  router.get('/scenarios/:id', can(store, 'project.read', scenarioParam), (req, res) => {
    res.json({ scenario: store.scenarios.getById(idParam(req.params.id, 'Scenario')) });
  });

  /** The risk register's computed figures (issue 11) for the scenario's current version. */
  router.get(
    '/scenarios/:id/risk-register',
    can(store, 'project.read', scenarioParam),
    (req, res) => {
      const scenario = store.scenarios.getById(idParam(req.params.id, 'Scenario'));
      const version = store.scenarios.version(scenario.currentVersionId);
      res.json({
        scenarioId: scenario.id,
        versionId: version.id,
        register: registerJson(registerOf(version)),
      });
    },
  );

  router.get('/scenarios/:id/versions', can(store, 'project.read', scenarioParam), (req, res) => {
    const scenario = store.scenarios.getById(idParam(req.params.id, 'Scenario'));
    res.json({ scenario, versions: store.scenarios.versions(scenario.id) });
  });

  router.get('/versions/:id', can(store, 'project.read', versionParam), (req, res) => {
    res.json({
      version: versionJson(store.scenarios.version(idParam(req.params.id, 'Scenario version'))),
    });
  });

  router.get('/versions/:id/result', can(store, 'project.read', versionParam), (req, res) => {
    const id = idParam(req.params.id, 'Scenario version');
    res.json({ versionId: id, result: store.results.forVersion(id) });
  });

  /**
   * The auditor's re-run (issue 10): the version's inputs checked against their hash, simulated
   * now and compared figure by figure with the stored result (`rerunVersion`).
   */
  router.get('/versions/:id/rerun', can(store, 'result.rerun', versionParam), (req, res) => {
    res.json(rerunVersion(store, idParam(req.params.id, 'Scenario version')));
  });

  /**
   * Makes an earlier version current again: its inputs become a new version (201; audited by the
   * store, nothing is overwritten), or nothing happens when they equal the current version's
   * (200, `created: false`). The body is an empty JSON object; `?author=` and `?comment=` as for
   * the other writes (the comment defaults to "Restored version N").
   */
  router.post('/versions/:id/restore', can(store, 'scenario.write', versionParam), (req, res) => {
    const id = idParam(req.params.id, 'Scenario version');
    const unknown = Object.keys(objectBody(req));
    if (unknown.length > 0) {
      throw new ValidationError(
        [{ path: '', message: `Unknown field(s): ${unknown.join(', ')}` }],
        'A restore takes no fields: pass ?author= and ?comment=',
      );
    }
    const saved = asActor(store, actorOf(res), () =>
      store.scenarios.restoreVersion(id, saveMeta(req)),
    );
    res
      .status(saved.created ? 201 : 200)
      .location(`/api/v1/versions/${saved.version.id}`)
      .json({
        created: saved.created,
        restoredFromVersionId: id,
        project: saved.project,
        scenario: saved.scenario,
        version: versionJson(saved.version),
      });
  });

  // Archiving trial scenarios and projects (issue 12): never a delete; 409 while a live portfolio selects it.
  for (const [verb, fn] of SCENARIO_ARCHIVING) {
    router.post(
      `/scenarios/:id/${verb}`,
      can(store, 'scenario.write', scenarioParam),
      (req, res) => {
        const id = idParam(req.params.id, 'Scenario');
        res.json({ scenario: fn(store, actorOf(res), id) });
      },
    );
  }
  for (const [verb, fn] of PROJECT_ARCHIVING) {
    router.post(
      `/projects/:code/${verb}`,
      can(store, 'project.write', projectParam),
      (req, res) => {
        res.json({ project: fn(store, actorOf(res), req.params.code as string) });
      },
    );
  }

  /** Simulates a scenario file without saving anything. */
  router.post('/simulate', signedIn, (req, res) => {
    res.json({ result: simulate(parseScenario(req.body)) });
  });

  // Fiscal analytics (issue 5): the same figures as the fiscal pages, from the same cached reports.

  /** `?archived=1` lists archived portfolios too (README "Portfolios"). */
  router.get('/portfolios', signedIn, (req, res) => {
    const { archived } = checkedQuery(req.query, [{ name: 'archived', what: 'Archived filter' }]);
    const includeArchived = archived === '1' || archived === 'true';
    res.json({ portfolios: listPortfolios(store, actorOf(res), { includeArchived }) });
  });

  // Portfolio management (issue 12): each answers the portfolio as stored; 422 naming the field.

  router.post('/portfolios', can(store, 'portfolio.write', newPortfolio), (req, res) => {
    res.status(201).json({ portfolio: createPortfolio(store, actorOf(res), objectBody(req)) });
  });

  /** Renames and/or re-describes: body `{ name?, description? }`. */
  router.patch('/portfolios/:id', can(store, 'portfolio.write', portfolioParam), (req, res) => {
    const id = idParam(req.params.id, 'Portfolio');
    res.json({ portfolio: renamePortfolio(store, actorOf(res), id, objectBody(req)) });
  });

  /** A new portfolio with this one's members: body `{ name, description? }`. */
  router.post('/portfolios/:id/copy', can(store, 'portfolio.read', portfolioParam), (req, res) => {
    const id = idParam(req.params.id, 'Portfolio');
    res.status(201).json({ portfolio: copyPortfolio(store, actorOf(res), id, objectBody(req)) });
  });

  router.post(
    '/portfolios/:id/archive',
    can(store, 'portfolio.write', portfolioParam),
    (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      res.json({ portfolio: archivePortfolio(store, actorOf(res), id) });
    },
  );

  router.post(
    '/portfolios/:id/restore',
    can(store, 'portfolio.write', portfolioParam),
    (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      res.json({ portfolio: restorePortfolio(store, actorOf(res), id) });
    },
  );

  /** Replaces the members all or nothing: body `[{ project: CODE, scenario: ID or name }]`. */
  router.put(
    '/portfolios/:id/members',
    can(store, 'portfolio.write', portfolioParam),
    (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      res.json({ portfolio: replaceMembers(store, actorOf(res), id, req.body) });
    },
  );

  router.get('/portfolios/:id', can(store, 'portfolio.read', portfolioParam), (req, res) => {
    const id = idParam(req.params.id, 'Portfolio');
    res.json({ portfolio: store.portfolios.get(id), fiscalSettings: store.fiscal.getSettings(id) });
  });

  /**
   * The portfolio's fiscal report: affordability by year, bonds, VfM, bond self-balance,
   * checklists and failures. `?switch=CODE=SCENARIO` (repeatable; scenario name or id) is a
   * what-if: nothing is saved. 400 for a switch that cannot be read, 422 at `switches.CODE` for
   * a project or scenario that does not exist.
   */
  router.get(
    '/portfolios/:id/fiscal',
    can(store, 'portfolio.read', portfolioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      checkedQuery(req.query, [{ name: SWITCH_PARAM, what: 'What-if switch' }]);
      let switches: Record<string, string>;
      try {
        switches = parseSwitchParams(req.query[SWITCH_PARAM]);
      } catch (err) {
        if (err instanceof ValidationError) throw new BadRequestError(err.issues);
        throw err;
      }
      await ctx.fiscal.prepare(id, switches);
      res.json({ report: ctx.fiscal.portfolio(id, switches) });
    },
  );

  /**
   * What the portfolio costs the city by year (README "What it costs the city"): the government's
   * columns, each budget's share and headroom, issuance against the bond quotas and the quota
   * check; amounts as exact decimal text in yuan.
   */
  router.get(
    '/portfolios/:id/city-cost',
    can(store, 'portfolio.read', portfolioParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      checkedQuery(req.query, []);
      await ctx.fiscal.prepare(id, {});
      res.json({ cityCost: portfolioCityCost(store, id) });
    },
  );

  /** The rules checklist of a version (with VfM and bond self-balance); `?jurisdiction=` for another's thresholds. */
  router.get(
    '/versions/:id/checklist',
    can(store, 'project.read', versionParam),
    async (req, res) => {
      const id = idParam(req.params.id, 'Scenario version');
      const { jurisdiction } = checkedQuery(req.query, [
        { name: 'jurisdiction', what: 'Jurisdiction name' },
      ]);
      // Built in a worker (its bond stress re-runs the engine); another jurisdiction's, inline.
      if (jurisdiction === undefined) await ctx.fiscal.prepareChecklist(id);
      res.json({
        checklist:
          jurisdiction === undefined
            ? ctx.fiscal.checklist(id)
            : scenarioChecklist(store, id, jurisdiction),
      });
    },
  );

  /**
   * Sets the portfolio's fiscal settings: links it to the jurisdiction and replaces that
   * jurisdiction's figures (budget forecast, fund budget, other obligations, bond quotas), which
   * every portfolio of the jurisdiction shares; audited (`saveFiscalSettings`). The answer lists
   * those other portfolios under `applied`.
   */
  router.put(
    '/portfolios/:id/fiscal-settings',
    can(store, 'budget.write', portfolioParam),
    (req, res) => {
      const id = idParam(req.params.id, 'Portfolio');
      const meta = saveMeta(req);
      checkApply(req.query.apply);
      res.json(
        saveFiscalSettings(store, actorOf(res), id, objectBody(req), { comment: meta.comment }),
      );
    },
  );

  /** A jurisdiction's fiscal figures and the portfolios measured against them (`jurisdictionFiscal`). */
  router.get('/jurisdictions/:name/fiscal', signedIn, (req, res) => {
    res.json(jurisdictionFiscal(store, actorOf(res), req.params.name as string));
  });

  /** Replaces a jurisdiction's fiscal figures, for every portfolio linked to it; audited. */
  router.put(
    '/jurisdictions/:name/fiscal',
    can(store, 'budget.write', evaluationJurisdictionParam),
    (req, res) => {
      const meta = saveMeta(req);
      const name = req.params.name as string;
      res.json(
        saveJurisdictionFiscal(store, actorOf(res), name, objectBody(req), {
          comment: meta.comment,
        }),
      );
    },
  );

  /** Replaces a jurisdiction's thresholds (fields left out take the national defaults); audited. */
  router.put(
    '/jurisdictions/:name/thresholds',
    can(store, 'threshold.write', jurisdictionParam),
    (req, res) => {
      const meta = saveMeta(req);
      const saved = asActor(store, actorOf(res), () =>
        store.fiscal.setThresholds(req.params.name as string, objectBody(req), meta.actor, {
          comment: meta.comment,
        }),
      );
      res.json(saved);
    },
  );

  router.use(riskApiRoutes(ctx, ctx.risk));
  router.use(portfolioRiskApiRoutes(ctx));
  router.use(planApiRoutes(ctx));
  router.use(monitoringApiRoutes(ctx));
  router.use(evaluationApiRoutes(ctx));
  router.use(portfolioWorkbookApiRoutes(ctx));

  router.use(open, (req) => {
    throw new NotFoundError('API endpoint', `${req.method} ${req.originalUrl}`);
  });
  return router;
}
