import { ACTIONS, ruleFor, type Action, type Rule } from './matrix';
import type { Actor } from './roles';

/**
 * What an action is about, as far as authorisation cares. The app layer builds it from the stored
 * rows (a project, its scenario's filings, a portfolio's fiscal settings, a jurisdiction).
 * - `ownerOrgId`: the organisation that owns it (a project's `owner_org_id`); null when none does.
 * - `heldByJurisdiction`: the jurisdiction whose bureau holds it: the owning bureau's
 *   jurisdiction, a portfolio's fiscal jurisdiction, the jurisdiction of a threshold; null for an
 *   enterprise's work and for what no jurisdiction holds.
 * - `filedTo`: the jurisdictions to whose bureau one of its versions has been filed (a withdrawn
 *   filing no longer counts).
 */
export interface AccessResource {
  ownerOrgId: number | null;
  heldByJurisdiction: string | null;
  filedTo: readonly string[];
}

/** `not-found` where telling "forbidden" would reveal that the resource exists. */
export type Decision = 'allow' | 'forbidden' | 'not-found';

/** Whether one rule grants the actor access to the resource. */
export function ruleGrants(rule: Rule, actor: Actor, resource: AccessResource | null): boolean {
  switch (rule) {
    case 'allow':
      return true;
    case 'deny':
      return false;
    case 'own-org':
      return resource !== null && actor.orgId !== null && resource.ownerOrgId === actor.orgId;
    case 'jurisdiction':
      return heldByActor(actor, resource);
    case 'filed-to-jurisdiction':
      return (
        heldByActor(actor, resource) ||
        (resource !== null && resource.filedTo.some((j) => actor.jurisdictions.includes(j)))
      );
  }
}

function heldByActor(actor: Actor, resource: AccessResource | null): boolean {
  return (
    resource !== null &&
    resource.heldByJurisdiction !== null &&
    actor.jurisdictions.includes(resource.heldByJurisdiction)
  );
}

/** Whether any of the actor's roles grants the action, read-only tokens aside. */
function anyRoleGrants(actor: Actor, action: Action, resource: AccessResource | null): boolean {
  return actor.roles.some((role) => ruleGrants(ruleFor(action, role), actor, resource));
}

/**
 * Decides whether `actor` may do `action` on `resource`, from `MATRIX` alone: allowed when any
 * of the actor's roles grants it and, for a write, the actor is not a read-only token.
 * Refused actions on a resource the actor may not even see (its `visibleThrough` action is not
 * granted) answer `not-found`, so an enterprise asking for another enterprise's project learns
 * nothing; other refusals answer `forbidden`.
 * @param resource null for actions on no resource (user administration, backups); a
 *   resource-bound rule (`own-org`, `jurisdiction`, `filed-to-jurisdiction`) never grants then
 */
export function decide(actor: Actor, action: Action, resource: AccessResource | null): Decision {
  const spec = ACTIONS[action];
  const granted = anyRoleGrants(actor, action, resource) && !(spec.writes && actor.readOnly);
  if (granted) return 'allow';
  const through = spec.visibleThrough;
  if (through !== null && resource !== null && !anyRoleGrants(actor, through, resource)) {
    return 'not-found';
  }
  return 'forbidden';
}
