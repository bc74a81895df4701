import type { Actor } from '../domain/access';
import type { Store } from '../store';
import type { Project, ScenarioRecord } from '../store/types';
import { asActor } from './actors';
import { authorise } from './errors';
import { projectResource, scenarioResource } from './resources';

/**
 * Archiving trial scenarios and projects (issue 12, README "Portfolios"): never a delete. An
 * archived scenario or project is the store's soft delete (`deleted_at`): it leaves lists and
 * pickers, stays readable (its history, versions and results), cannot be chosen as a new
 * portfolio member, and can be restored. Each use case authorises first (`scenario.write`,
 * `project.write`) and is audited (`delete`/`restore`) with the actor.
 * A scenario or project still selected by a live portfolio is refused (409
 * `scenario-in-portfolio`, `project-in-portfolio`), as is one with an open filing.
 */

/** @throws NotFoundError, ForbiddenError, ConflictError */
export function archiveScenario(store: Store, actor: Actor, scenarioId: number): ScenarioRecord {
  const s = authoriseScenario(store, actor, scenarioId);
  return asActor(store, actor, () => store.scenarios.delete(s.projectCode, s.name, actor.username));
}

/** @throws NotFoundError, ForbiddenError, ConflictError `not-deleted` */
export function restoreScenario(store: Store, actor: Actor, scenarioId: number): ScenarioRecord {
  const s = authoriseScenario(store, actor, scenarioId);
  return asActor(store, actor, () =>
    store.scenarios.undelete(s.projectCode, s.name, actor.username),
  );
}

/** @throws NotFoundError, ForbiddenError, ConflictError */
export function archiveProject(store: Store, actor: Actor, code: string): Project {
  authorise(actor, 'project.write', projectResource(store, code), { what: 'Project', id: code });
  return asActor(store, actor, () => store.projects.delete(code, actor.username));
}

/** @throws NotFoundError, ForbiddenError, ConflictError `not-deleted` */
export function restoreProject(store: Store, actor: Actor, code: string): Project {
  authorise(actor, 'project.write', projectResource(store, code), { what: 'Project', id: code });
  return asActor(store, actor, () => store.projects.undelete(code, actor.username));
}

function authoriseScenario(store: Store, actor: Actor, id: number): ScenarioRecord {
  authorise(actor, 'scenario.write', scenarioResource(store, id), { what: 'Scenario', id });
  return store.scenarios.getById(id);
}

/** The scenario archive use cases by the verb their routes are named with (`/…/archive`, `/…/restore`). */
export const SCENARIO_ARCHIVING = [
  ['archive', archiveScenario],
  ['restore', restoreScenario],
] as const;

/** The project archive use cases by the verb their routes are named with. */
export const PROJECT_ARCHIVING = [
  ['archive', archiveProject],
  ['restore', restoreProject],
] as const;
