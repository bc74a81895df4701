import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { simulate } from '../../domain/engine/simulate';
import { parseScenario } from '../../domain/scenario/parse';
import { ConflictError } from '../../store/errors';
import type { ScenarioVersion } from '../../store/types';
import type { WebContext } from '../context';
import { idParam, queryText } from './params';

/** Author recorded for API saves that do not name one (`?author=`). */
export const API_AUTHOR = 'api';

/**
 * Requests that carry a body must say it is JSON. A cross-site HTML form can only send
 * urlencoded, multipart or text bodies, so this is the API's protection against forged requests.
 */
function jsonOnly(req: Request, res: Response, next: NextFunction): void {
  const hasBody = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
  if (hasBody && !req.is('application/json')) {
    res.status(415).json({ error: { code: 'unsupported-media-type', message: 'Send the request body as application/json' } });
    return;
  }
  next();
}

const versionJson = (v: ScenarioVersion) => {
  const { inputsJson: _text, ...rest } = v;
  return rest;
};

const saveMeta = (req: Request) => ({ actor: queryText(req.query.author) ?? API_AUTHOR, comment: queryText(req.query.comment) });

/**
 * The JSON API under /api/v1: the same schema, the same errors as the forms.
 * Errors answer `{ error: { code, message, issues?: [{ path, message }] } }` (see errors.ts).
 */
export function apiRoutes(ctx: WebContext): Router {
  const { store } = ctx;
  const router = Router();
  router.use(jsonOnly);
  router.use(express.json({ type: 'application/json', limit: '2mb' }));
  // Answers are for programs, never cached by a browser.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/projects', (_req, res) => {
    res.json({ projects: store.projects.list() });
  });

  /** Creates a project with its first scenario (body: a scenario file). 409 when the code exists. */
  router.post('/projects', (req, res) => {
    const scenario = parseScenario(req.body);
    if (store.projects.find(scenario.project.code)) {
      throw new ConflictError('project-exists', `Project ${scenario.project.code} already exists`, { code: scenario.project.code }, `POST to /api/v1/projects/${scenario.project.code}/scenarios to add a scenario`);
    }
    const saved = store.scenarios.save(req.body, saveMeta(req));
    res.status(201).location(`/api/v1/projects/${encodeURIComponent(saved.project.code)}`).json({ project: saved.project, scenario: saved.scenario, version: versionJson(saved.version) });
  });

  router.get('/projects/:code', (req, res) => {
    const project = store.projects.get(req.params.code as string);
    res.json({ project, scenarios: store.scenarios.list({ projectCode: project.code }) });
  });

  router.get('/projects/:code/scenarios', (req, res) => {
    const project = store.projects.get(req.params.code as string);
    res.json({ scenarios: store.scenarios.list({ projectCode: project.code }) });
  });

  /** Saves a scenario file as a new version (201), or reports that nothing changed (200). */
  router.post('/projects/:code/scenarios', (req, res) => {
    const project = store.projects.get(req.params.code as string);
    const scenario = parseScenario(req.body);
    if (scenario.project.code !== project.code) {
      throw new ValidationError([{ path: 'project.code', message: `The file is for project ${scenario.project.code}, not ${project.code}` }], 'The scenario is for another project');
    }
    const saved = store.scenarios.save(req.body, saveMeta(req));
    res
      .status(saved.created ? 201 : 200)
      .location(`/api/v1/versions/${saved.version.id}`)
      .json({ created: saved.created, project: saved.project, scenario: saved.scenario, version: versionJson(saved.version) });
  });

  router.get('/scenarios/:id', (req, res) => {
    res.json({ scenario: store.scenarios.getById(idParam(req.params.id, 'Scenario')) });
  });

  router.get('/scenarios/:id/versions', (req, res) => {
    const scenario = store.scenarios.getById(idParam(req.params.id, 'Scenario'));
    res.json({ scenario, versions: store.scenarios.versions(scenario.id) });
  });

  router.get('/versions/:id', (req, res) => {
    res.json({ version: versionJson(store.scenarios.version(idParam(req.params.id, 'Scenario version'))) });
  });

  router.get('/versions/:id/result', (req, res) => {
    const id = idParam(req.params.id, 'Scenario version');
    res.json({ versionId: id, result: store.results.forVersion(id) });
  });

  /** Simulates a scenario file without saving anything. */
  router.post('/simulate', (req, res) => {
    res.json({ result: simulate(parseScenario(req.body)) });
  });

  router.use((req) => {
    throw new NotFoundError('API endpoint', `${req.method} ${req.originalUrl}`);
  });
  return router;
}
