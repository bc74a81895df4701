/**
 * Who is who (issue 10): organisation kinds, roles and the signed-in actor. Pure data: the store
 * keeps organisations, users and their roles; the app layer turns a user into an `Actor`.
 */

/**
 * - `bureau`: a finance bureau of one jurisdiction (at most one bureau per jurisdiction);
 * - `enterprise`: a company that models its own projects and files them to a bureau;
 * - `audit`: an audit office, watching the bureau of its jurisdiction and what is filed to it.
 */
export const ORG_KINDS = ['bureau', 'enterprise', 'audit'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ROLES = [
  'bureau-analyst',
  'bureau-approver',
  'enterprise-analyst',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** The organisation kinds each role may be held in: a bureau role outside a bureau means nothing. */
export const ROLE_ORG_KINDS: Readonly<Record<Role, readonly OrgKind[]>> = {
  'bureau-analyst': ['bureau'],
  'bureau-approver': ['bureau'],
  'enterprise-analyst': ['enterprise'],
  auditor: ['audit'],
  admin: ['bureau', 'enterprise', 'audit'],
};

/** Whether a user of an organisation of `kind` may hold `role`. */
export function roleFitsOrg(role: Role, kind: OrgKind): boolean {
  return ROLE_ORG_KINDS[role].includes(kind);
}

/** Whether an organisation of `kind` must name its jurisdiction (bureaus and audit offices do). */
export function orgNeedsJurisdiction(kind: OrgKind): boolean {
  return kind !== 'enterprise';
}

/**
 * The one who acts, as every use case receives it.
 * - `via`: `session` (signed in through the form), `token` (a personal access token on the JSON
 *   API) or `system` (the machine's operator running the CLI: `systemActor`).
 * - `jurisdictions`: those whose bureau's work the actor may see: the jurisdiction of a bureau or
 *   audit office; always empty for an enterprise, whatever it is registered in.
 * - `readOnly`: a read-only token; every write is forbidden whatever the roles say.
 * `userId` and `orgId` are null only for the system actor.
 */
export interface Actor {
  userId: number | null;
  username: string;
  orgId: number | null;
  /** The organisation's name, for showing who is signed in; null for the system actor. */
  orgName?: string | null;
  orgKind: OrgKind | null;
  jurisdictions: readonly string[];
  roles: readonly Role[];
  via: 'session' | 'token' | 'system';
  readOnly: boolean;
}

/** The jurisdictions an actor of this organisation watches (see `Actor.jurisdictions`). */
export function actorJurisdictions(kind: OrgKind, jurisdiction: string | null): string[] {
  return kind === 'enterprise' || jurisdiction === null ? [] : [jurisdiction];
}
