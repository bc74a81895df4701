import type { Request } from 'express';
import { NotFoundError } from '../../domain/errors';
import {
  filingResource,
  jurisdictionResource,
  newPortfolioResource,
  newProjectResource,
  portfolioResource,
  projectResource,
  scenarioResource,
  versionResource,
} from '../../app/resources';
import type { Store } from '../../store';
import { idParam } from '../routes/params';
import { formFromPost } from '../view-models/editor-form';
import { actorOf } from './auth';
import type { Located, ResourceOf } from './access';

/** `:code` names a project. */
export const projectParam: ResourceOf = (req, store) => {
  const code = req.params.code as string;
  return { resource: projectResource(store, code), what: 'Project', id: code };
};

/** `:id` names a scenario. */
export const scenarioParam: ResourceOf = (req, store) => {
  const id = idParam(req.params.id, 'Scenario');
  return { resource: scenarioResource(store, id), what: 'Scenario', id };
};

/** `:id` names a stored version. */
export const versionParam: ResourceOf = (req, store) => {
  const id = idParam(req.params.id, 'Scenario version');
  return { resource: versionResource(store, id), what: 'Scenario version', id };
};

/** `:id` names a filing (its scenario's owner and holder, filed to the filing's jurisdiction). */
export const filingParam: ResourceOf = (req, store) => {
  const id = idParam(req.params.id, 'Filing');
  const filing = store.filings.findFiling(id);
  if (!filing) throw new NotFoundError('Filing', id);
  return { resource: filingResource(store, filing), what: 'Filing', id };
};

/** `:id` names a portfolio. */
export const portfolioParam: ResourceOf = (req, store) => {
  const id = idParam(req.params.id, 'Portfolio');
  return { resource: portfolioResource(store, id), what: 'Portfolio', id };
};

/** `:name` names a jurisdiction. */
export const jurisdictionParam: ResourceOf = (req) => {
  const name = req.params.name as string;
  return { resource: jurisdictionResource(name), what: 'Jurisdiction', id: name };
};

/**
 * A jurisdiction whose evaluation system is saved (issue 12): a scoring rule is no secret (any
 * signed-in user reads it), so a refusal answers "forbidden", never "not found".
 */
export const evaluationJurisdictionParam: ResourceOf = (req) => {
  const name = req.params.name as string;
  return { resource: jurisdictionResource(name), what: 'Jurisdiction', id: name, creating: true };
};

/** The `project` object of a scenario file in the body, as far as it can be read. */
function bodyProject(req: Request): { code?: unknown; jurisdiction?: unknown } {
  const body = req.body as { project?: unknown } | undefined;
  const project = body?.project;
  return typeof project === 'object' && project !== null ? project : {};
}

/**
 * A write of a scenario file (`project.code`, `project.jurisdiction` in the body): the existing
 * project it names, or, when no such project exists, a new project made by the signed-in user
 * (`newProjectResource`). Unreadable fields are left to validation (422), not refused.
 */
export function scenarioFileTarget(req: Request, store: Store, code?: string): Located {
  return projectTarget(req, store, bodyProject(req), code);
}

/**
 * The project a write names (its `code` and `jurisdiction` as far as they can be read): the
 * existing one, or a new one made by the signed-in user.
 */
function projectTarget(
  req: Request,
  store: Store,
  project: { code?: unknown; jurisdiction?: unknown },
  code?: string,
): Located {
  const named = code ?? (typeof project.code === 'string' ? project.code.trim() : undefined);
  if (named !== undefined && store.accounts.projectOwnership(named) !== undefined)
    return { resource: projectResource(store, named), what: 'Project', id: named };
  const jurisdiction = typeof project.jurisdiction === 'string' ? project.jurisdiction : null;
  return {
    resource: newProjectResource(actorOf(req.res!), jurisdiction),
    what: 'Project',
    id: named ?? '',
    creating: true,
  };
}

/** A scenario file in the body (`POST /api/v1/projects`). */
export const scenarioFileBody: ResourceOf = (req, store) => scenarioFileTarget(req, store);

/** A project the signed-in user would create (the new-project form). */
export const newProject: ResourceOf = (req) => ({
  resource: newProjectResource(actorOf(req.res!), null),
  what: 'Project',
  id: '',
  creating: true,
});

/** A portfolio the signed-in user would create (`POST /portfolios`, the new-portfolio form). */
export const newPortfolio: ResourceOf = (req) => ({
  resource: newPortfolioResource(actorOf(req.res!)),
  what: 'Portfolio',
  id: '',
  creating: true,
});

/** The editor's post: the project its `project.code` and `project.jurisdiction` fields name. */
export const editorPost: ResourceOf = (req, store) => {
  const form = formFromPost(req.body);
  return projectTarget(req, store, {
    code: form.fields['project.code'] || form.meta.lockedCode || undefined,
    jurisdiction: form.fields['project.jurisdiction'],
  });
};

/** An uploaded scenario or history file (`text` field): the project of its `project` object. */
export const uploadPost: ResourceOf = (req, store) => {
  const text = (req.body as Record<string, unknown> | undefined)?.text;
  let project: { code?: unknown; jurisdiction?: unknown } = {};
  try {
    const json: unknown = typeof text === 'string' ? JSON.parse(text.replace(/^\uFEFF/, '')) : null;
    const p = (json as { project?: unknown } | null)?.project;
    if (typeof p === 'object' && p !== null) project = p;
  } catch {
    // Not JSON: the upload's own validation says so (422).
  }
  return projectTarget(req, store, project);
};

/** The thresholds form's `jurisdiction` field: the jurisdiction whose thresholds it sets. */
export const thresholdsPost: ResourceOf = (req) => {
  const named = (req.body as Record<string, unknown> | undefined)?.jurisdiction;
  const name = typeof named === 'string' ? named : '';
  return { resource: jurisdictionResource(name), what: 'Jurisdiction', id: name };
};

/** `:id` names a recorded Monte Carlo run: it is read like the version it ran on. */
export const riskRunParam: ResourceOf = (req, store) => {
  const id = idParam(req.params.id, 'Risk run');
  const run = store.riskRuns.findById(id);
  if (!run) throw new NotFoundError('Risk run', id);
  return { resource: versionResource(store, run.version_id), what: 'Risk run', id };
};

/** `:id` names a recorded portfolio risk run: it is read like its portfolio. */
export const portfolioRiskRunParam: ResourceOf = (req, store) => {
  const id = idParam(req.params.id, 'Portfolio risk run');
  const run = store.portfolioRiskRuns.findById(id);
  if (!run) throw new NotFoundError('Portfolio risk run', id);
  return { resource: portfolioResource(store, run.portfolio_id), what: 'Portfolio risk run', id };
};
