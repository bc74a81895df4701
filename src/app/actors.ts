import type { Actor, OrgKind, Role } from '../domain/access';
import { actorJurisdictions } from '../domain/access';
import type { Store } from '../store';
import type { AuditActor, DbUserFull } from '../store/repos/accounts';

/**
 * The machine's operator running the CLI: whoever may open the database file may do anything an
 * administrator may (and bootstraps the first `admin` account on a database with none). Its
 * writes are audited under `label` with no user or organisation.
 */
export function systemActor(label = 'system'): Actor {
  return {
    userId: null,
    username: label,
    orgId: null,
    orgName: null,
    orgKind: null,
    jurisdictions: [],
    roles: ['admin'],
    via: 'system',
    readOnly: false,
  };
}

/** The actor a stored user becomes once signed in (`session`) or through a token. */
export function actorOfUser(user: DbUserFull, via: 'session' | 'token', readOnly: boolean): Actor {
  const kind = user.org_kind as OrgKind;
  return {
    userId: user.id,
    username: user.username,
    orgId: user.org_id,
    orgName: user.org_name,
    orgKind: kind,
    jurisdictions: actorJurisdictions(kind, user.org_jurisdiction),
    roles: user.roles as Role[],
    via,
    readOnly,
  };
}

/** How the audit log names the actor of a write. */
export function auditActor(actor: Actor): AuditActor {
  return { label: actor.username, userId: actor.userId, orgId: actor.orgId };
}

/**
 * Runs synchronous store writes with `actor` as their audited author: a signed-in user's
 * username, user id and organisation id go into every audit entry `fn` appends
 * (`Store.actingAs`); the system actor's writes keep the label the store is given.
 */
export function asActor<T>(store: Store, actor: Actor, fn: () => T): T {
  if (actor.userId === null || actor.orgId === null) return fn();
  return store.actingAs({ label: actor.username, userId: actor.userId, orgId: actor.orgId }, fn);
}
