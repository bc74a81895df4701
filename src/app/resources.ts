import type { AccessResource, Actor } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import type { Store } from '../store';

/**
 * A stored project as `decide` sees it:
 * - owned by a bureau: held by that bureau's jurisdiction;
 * - owned by an enterprise: held by no jurisdiction (only the enterprise, and bureaus it files
 *   to, see it);
 * - owned by nobody (a project whose jurisdiction had no bureau when it was made): held by its
 *   own jurisdiction, as if its jurisdiction's bureau owned it.
 * `filedTo` stays empty until filings exist (issue 10's filing workflow).
 * @throws NotFoundError for an unknown project code
 */
export function projectResource(store: Store, code: string): AccessResource {
  const row = store.accounts.projectOwnership(code);
  if (!row) throw new NotFoundError('Project', code);
  const held =
    row.owner_org_id === null
      ? row.jurisdiction
      : row.owner_kind === 'bureau'
        ? row.owner_jurisdiction
        : null;
  return { ownerOrgId: row.owner_org_id, heldByJurisdiction: held, filedTo: [] };
}

/**
 * A scenario as `decide` sees it: its project's ownership.
 * @throws NotFoundError for an unknown scenario id
 */
export function scenarioResource(store: Store, scenarioId: number): AccessResource {
  const code = store.accounts.projectCodeOfScenario(scenarioId);
  if (code === undefined) throw new NotFoundError('Scenario', scenarioId);
  return projectResource(store, code);
}

/**
 * A stored version as `decide` sees it: its project's ownership.
 * @throws NotFoundError for an unknown version id
 */
export function versionResource(store: Store, versionId: number): AccessResource {
  const code = store.accounts.projectCodeOfVersion(versionId);
  if (code === undefined) throw new NotFoundError('Scenario version', versionId);
  return projectResource(store, code);
}

/**
 * A portfolio as `decide` sees it: owned by no organisation, held by the jurisdiction of its
 * fiscal settings or, without them, the one its members share (see
 * `AccountsRepo.portfolioJurisdiction`).
 * @throws NotFoundError for an unknown portfolio id
 */
export function portfolioResource(store: Store, portfolioId: number): AccessResource {
  const held = store.accounts.portfolioJurisdiction(portfolioId);
  if (held === undefined) throw new NotFoundError('Portfolio', portfolioId);
  return { ownerOrgId: null, heldByJurisdiction: held, filedTo: [] };
}

/** A jurisdiction (its thresholds) as `decide` sees it: held by itself. */
export function jurisdictionResource(name: string): AccessResource {
  return { ownerOrgId: null, heldByJurisdiction: name.trim(), filedTo: [] };
}

/**
 * A project about to be created by `actor`: owned by the actor's organisation; held by its
 * jurisdiction when a bureau creates it, by none when an enterprise does. A bureau's new project
 * with no (readable) jurisdiction yet counts as its own jurisdiction's, so the missing field is
 * reported by validation, not refused as forbidden.
 */
export function newProjectResource(actor: Actor, jurisdiction: string | null): AccessResource {
  const named = jurisdiction?.trim() || null;
  return {
    ownerOrgId: actor.orgId,
    heldByJurisdiction: actor.orgKind === 'bureau' ? (named ?? actor.jurisdictions[0] ?? null) : null,
    filedTo: [],
  };
}
