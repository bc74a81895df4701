import { z } from 'zod';
import {
  decide,
  orgNeedsJurisdiction,
  ORG_KINDS,
  ROLES,
  roleFitsOrg,
  type Actor,
  type OrgKind,
  type Role,
} from '../domain/access';
import { NotFoundError, ValidationError } from '../domain/errors';
import { toFieldIssues } from '../domain/scenario/parse';
import { singleLineText } from '../domain/text';
import { ConflictError, type Store } from '../store';
import type { DbApiToken, DbOrganisation } from '../store/rows';
import type { DbUserFull } from '../store/repos/accounts';
import { auditActor } from './actors';
import { authorise } from './errors';
import { checkNewPassword, hashPassword } from './passwords';
import { normaliseUsername } from './sign-in';
import { newToken, secretHash } from './tokens';

export { authenticatePassword, authenticateToken, SIGN_IN_LIMITS } from './sign-in';
export { systemActor, actorOfUser } from './actors';

/** An organisation as use cases return it. */
export interface OrganisationView {
  id: number;
  name: string;
  kind: OrgKind;
  jurisdiction: string | null;
  createdAt: string;
}

/** A user as use cases return it: never the password hash. */
export interface UserView {
  id: number;
  username: string;
  organisation: string;
  orgKind: OrgKind;
  roles: Role[];
  disabledAt: string | null;
  createdAt: string;
  passwordChangedAt: string;
}

/** A token as listed: never the token itself nor its hash. */
export interface TokenView {
  id: number;
  username: string;
  name: string;
  readOnly: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const orgView = (o: DbOrganisation): OrganisationView => ({
  id: o.id,
  name: o.name,
  kind: o.kind as OrgKind,
  jurisdiction: o.jurisdiction,
  createdAt: o.created_at,
});

const userView = (u: DbUserFull): UserView => ({
  id: u.id,
  username: u.username,
  organisation: u.org_name,
  orgKind: u.org_kind as OrgKind,
  roles: u.roles,
  disabledAt: u.disabled_at,
  createdAt: u.created_at,
  passwordChangedAt: u.password_changed_at,
});

const tokenView = (t: DbApiToken, username: string): TokenView => ({
  id: t.id,
  username,
  name: t.name,
  readOnly: t.read_only === 1,
  createdAt: t.created_at,
  lastUsedAt: t.last_used_at,
  revokedAt: t.revoked_at,
});

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(toFieldIssues(parsed.error), `${what} is not valid`);
  return parsed.data;
}

const orgName = singleLineText('Organisation name', {
  min: 1,
  max: 200,
  required: 'Give the organisation a name',
});
const jurisdiction = singleLineText('Jurisdiction', { max: 120 });

export const organisationInputSchema = z
  .object({
    name: orgName,
    kind: z.enum(ORG_KINDS, { error: 'The kind is one of bureau, enterprise, audit' }),
    jurisdiction: jurisdiction.nullish().transform((j) => (j ? j : null)),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (orgNeedsJurisdiction(o.kind) && o.jurisdiction === null)
      ctx.addIssue({
        code: 'custom',
        path: ['jurisdiction'],
        message: `A${o.kind === 'audit' ? 'n audit office' : ' bureau'} needs its jurisdiction`,
      });
  });
export type OrganisationInput = z.input<typeof organisationInputSchema>;

/** Lower-case letters, digits, `.`, `_` and `-`; 1 to 64 of them (compared in lower case). */
export const usernameSchema = z
  .string({ error: 'Give a username' })
  .transform(normaliseUsername)
  .pipe(
    z
      .string()
      .min(1, { error: 'Give a username' })
      .max(64, { error: 'The username is longer than 64 characters' })
      .regex(/^[a-z0-9._-]+$/, {
        error: 'Use only letters, digits, ".", "_" and "-" in a username',
      }),
  );

export const userInputSchema = z
  .object({
    username: usernameSchema,
    org: orgName,
    roles: z
      .array(z.enum(ROLES, { error: `A role is one of ${ROLES.join(', ')}` }))
      .min(1, { error: 'Give the user at least one role' }),
    password: z.unknown(),
  })
  .strict();
export type UserInput = z.input<typeof userInputSchema>;

/**
 * Adds an organisation. @throws ForbiddenError without `org.admin`; ValidationError;
 * ConflictError `organisation-exists`, `bureau-exists`
 */
export function addOrganisation(store: Store, actor: Actor, input: unknown): OrganisationView {
  authorise(actor, 'org.admin', null);
  const org = parse(organisationInputSchema, input, 'The organisation');
  return orgView(store.accounts.addOrganisation(org, auditActor(actor)));
}

export function listOrganisations(store: Store, actor: Actor): OrganisationView[] {
  authorise(actor, 'org.admin', null);
  return store.accounts.listOrganisations().map(orgView);
}

function organisationNamed(store: Store, name: string): DbOrganisation {
  const org = store.accounts.findOrganisationByName(name);
  if (!org)
    throw new ValidationError([
      { path: 'org', message: `There is no organisation named "${name}"` },
    ]);
  return org;
}

/**
 * Adds a user of an organisation with roles that fit its kind, the password checked and hashed
 * (argon2id) before anything is written.
 * @throws ForbiddenError without `user.admin`; ValidationError (username, organisation, roles,
 *   password); ConflictError `user-exists`
 */
export async function addUser(store: Store, actor: Actor, input: unknown): Promise<UserView> {
  authorise(actor, 'user.admin', null);
  const user = parse(userInputSchema, input, 'The user');
  const org = organisationNamed(store, user.org);
  const misfits = user.roles.filter((r) => !roleFitsOrg(r, org.kind as OrgKind));
  if (misfits.length > 0)
    throw new ValidationError([
      {
        path: 'roles',
        message: `${misfits.join(', ')} cannot be held in ${org.name} (a${org.kind === 'audit' ? 'n audit office' : org.kind === 'bureau' ? ' bureau' : 'n enterprise'})`,
      },
    ]);
  const password = checkNewPassword(user.password);
  if (store.accounts.findUser(user.username))
    throw new ConflictError('user-exists', `A user named ${user.username} exists already`);
  const passwordHash = await hashPassword(password);
  const row = store.accounts.addUser(
    { username: user.username, orgId: org.id, passwordHash, roles: user.roles },
    auditActor(actor),
  );
  return userView(row);
}

export function listUsers(store: Store, actor: Actor): UserView[] {
  authorise(actor, 'user.admin', null);
  return store.accounts.listUsers().map(userView);
}

function userNamed(store: Store, username: unknown): DbUserFull {
  const name = parse(usernameSchema, username, 'The username');
  const user = store.accounts.findUser(name);
  if (!user) throw new NotFoundError('User', name);
  return user;
}

/**
 * Disables an account: its sessions end, its tokens stop working. Nobody disables themselves.
 * @throws ForbiddenError, NotFoundError, ConflictError `already-disabled`, `cannot-disable-self`
 */
export function disableUser(store: Store, actor: Actor, input: { username: unknown }): UserView {
  authorise(actor, 'user.admin', null);
  const user = userNamed(store, input.username);
  if (user.id === actor.userId)
    throw new ConflictError('cannot-disable-self', 'You cannot disable your own account');
  return userView(store.accounts.disableUser(user.id, auditActor(actor)));
}

/**
 * Sets a new password (checked like a new one) and ends the user's sessions.
 * @throws ForbiddenError, NotFoundError, ValidationError
 */
export async function resetPassword(
  store: Store,
  actor: Actor,
  input: { username: unknown; password: unknown },
): Promise<UserView> {
  authorise(actor, 'user.admin', null);
  const user = userNamed(store, input.username);
  const hash = await hashPassword(checkNewPassword(input.password));
  return userView(store.accounts.resetPassword(user.id, hash, auditActor(actor)));
}

const tokenInputSchema = z
  .object({
    username: z.unknown(),
    name: singleLineText('Token name', {
      min: 1,
      max: 100,
      required: 'Give the token a name',
    }).default('access token'),
    readOnly: z.boolean().default(false),
  })
  .strict();

/** A new token: `token` is shown this once and never again (only its SHA-256 is stored). */
export interface CreatedToken extends TokenView {
  token: string;
}

/**
 * Creates a personal access token for a user: one's own (`token.self`) or anyone's
 * (`token.admin`). A disabled user gets none.
 * @throws ForbiddenError, NotFoundError, ValidationError, ConflictError `user-disabled`
 */
export function createToken(store: Store, actor: Actor, input: unknown): CreatedToken {
  const { username, name, readOnly } = parse(tokenInputSchema, input, 'The token');
  const user = userNamed(store, username);
  authorise(actor, user.id === actor.userId ? 'token.self' : 'token.admin', null);
  if (user.disabled_at !== null)
    throw new ConflictError('user-disabled', `User ${user.username} is disabled`);
  const token = newToken();
  const row = store.accounts.addToken(
    { userId: user.id, name, tokenHash: secretHash(token), readOnly },
    auditActor(actor),
  );
  return { ...tokenView(row, user.username), token };
}

/**
 * Revokes a token: one's own, or anyone's with `token.admin`. Another user's token is "not
 * found" to those who may not manage it.
 * @throws NotFoundError, ForbiddenError, ConflictError `already-revoked`
 */
export function revokeToken(store: Store, actor: Actor, input: { id: number }): TokenView {
  const row = store.accounts.getToken(input.id);
  const notFound = () => new NotFoundError('Access token', input.id);
  const own = row.user_id === actor.userId;
  if (!own && decide(actor, 'token.admin', null) !== 'allow') throw notFound();
  authorise(actor, own ? 'token.self' : 'token.admin', null);
  const revoked = store.accounts.revokeToken(row.id, auditActor(actor));
  return tokenView(revoked, store.accounts.getUser(row.user_id).username);
}

/**
 * The signed-in user's own tokens, newest first (never the tokens themselves).
 * @throws ForbiddenError for an actor that is no user (`token.self` needs one)
 */
export function listOwnTokens(store: Store, actor: Actor): TokenView[] {
  authorise(actor, 'token.self', null);
  if (actor.userId === null) return [];
  return store.accounts
    .listTokens(actor.userId)
    .map((row) => tokenView(row, actor.username))
    .reverse();
}
