import type { AccessResource, Actor } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import { countsAsFiled, type StoredFilingState } from '../domain/filing';
import type { Store } from '../store';
import type { DbProjectOwnership } from '../store/repos/accounts';
import type { DbFiling } from '../store/rows';

/**
 * Who holds a project, from its ownership row:
 * - owned by a bureau: held by that bureau's jurisdiction;
 * - owned by an enterprise: held by no jurisdiction (only the enterprise, and bureaus it files
 *   to, see it);
 * - owned by nobody (made by the system while its jurisdiction had no bureau): held by its own
 *   jurisdiction, as if its jurisdiction's bureau owned it.
 */
function heldBy(row: DbProjectOwnership): string | null {
  if (row.owner_org_id === null) return row.jurisdiction;
  return row.owner_kind === 'bureau' ? row.owner_jurisdiction : null;
}

function ownership(store: Store, code: string): DbProjectOwnership {
  const row = store.accounts.projectOwnership(code);
  if (!row) throw new NotFoundError('Project', code);
  return row;
}

/** The ownership of a scenario's project, found by a light query (not the scenario's listing). */
function scenarioOwnership(store: Store, scenarioId: number): DbProjectOwnership {
  const code = store.accounts.projectCodeOfScenario(scenarioId);
  if (code === undefined) throw new NotFoundError('Scenario', scenarioId);
  return ownership(store, code);
}

/**
 * A stored project as `decide` sees it (see `heldBy`); `filedTo`: the jurisdictions to which any
 * of its scenarios is filed (a withdrawn filing no longer counts). A page listing the project's
 * scenarios shows a bureau only those `scenarioResource` lets it see.
 * @throws NotFoundError for an unknown project code
 */
export function projectResource(store: Store, code: string): AccessResource {
  const row = ownership(store, code);
  return {
    ownerOrgId: row.owner_org_id,
    heldByJurisdiction: heldBy(row),
    filedTo: store.filings.filedToOfProject(row.project_id),
  };
}

/**
 * A scenario as `decide` sees it: its project's owner and holder, and the jurisdictions to which
 * this scenario (not another of the project's) is filed, so a bureau sees the scenario an
 * enterprise filed to it and none of the enterprise's other scenarios.
 * @throws NotFoundError for an unknown scenario
 */
export function scenarioResource(store: Store, scenarioId: number): AccessResource {
  const row = scenarioOwnership(store, scenarioId);
  return {
    ownerOrgId: row.owner_org_id,
    heldByJurisdiction: heldBy(row),
    filedTo: store.filings.filedToOfScenario(scenarioId),
  };
}

/**
 * A stored version as `decide` sees it: its scenario's resource (every version of a filed
 * scenario is visible to the bureau, the unfiled ones after it too, so it can compare them).
 * @throws NotFoundError for an unknown version
 */
export function versionResource(store: Store, versionId: number): AccessResource {
  const scenarioId = store.accounts.scenarioIdOfVersion(versionId);
  if (scenarioId === undefined) throw new NotFoundError('Scenario version', versionId);
  return scenarioResource(store, scenarioId);
}

/**
 * A filing as `decide` sees it: its scenario's owner and holder, filed to the filing's
 * jurisdiction only (none once withdrawn). So the bureau a filing is filed to, and that
 * jurisdiction's auditors, see and act on it; a bureau the scenario is filed to otherwise does
 * not see this filing.
 */
export function filingResource(store: Store, filing: DbFiling): AccessResource {
  const row = scenarioOwnership(store, filing.scenario_id);
  return {
    ownerOrgId: row.owner_org_id,
    heldByJurisdiction: heldBy(row),
    filedTo: countsAsFiled(filing.state as StoredFilingState) ? [filing.jurisdiction] : [],
  };
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
    heldByJurisdiction:
      actor.orgKind === 'bureau' ? (named ?? actor.jurisdictions[0] ?? null) : null,
    filedTo: [],
  };
}

/**
 * A portfolio about to be created by `actor` (issue 12): owned by no organisation, held by the
 * actor's bureau's jurisdiction (stored as the portfolio's own, migration 0009); by none for an
 * enterprise or the system, so only an `allow` rule grants it.
 */
export function newPortfolioResource(actor: Actor): AccessResource {
  return {
    ownerOrgId: null,
    heldByJurisdiction: actor.orgKind === 'bureau' ? (actor.jurisdictions[0] ?? null) : null,
    filedTo: [],
  };
}
