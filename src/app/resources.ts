import type { AccessResource, Actor } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import type { Store } from '../store';

/**
 * A stored project as `decide` sees it:
 * - owned by a bureau: held by that bureau's jurisdiction;
 * - owned by an enterprise: held by no jurisdiction (only the enterprise, and bureaus it files
 *   to, see it);
 * - owned by nobody (made before accounts were wired into the web app, which does not set the
 *   owner yet): held by its own jurisdiction, as if its jurisdiction's bureau owned it.
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
 * A project about to be created by `actor`: owned by the actor's organisation; held by its
 * jurisdiction when a bureau creates it, by none when an enterprise does.
 */
export function newProjectResource(actor: Actor, jurisdiction: string | null): AccessResource {
  return {
    ownerOrgId: actor.orgId,
    heldByJurisdiction: actor.orgKind === 'bureau' ? jurisdiction : null,
    filedTo: [],
  };
}
