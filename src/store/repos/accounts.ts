import { NotFoundError } from '../../domain/errors';
import type { OrgKind, Role } from '../../domain/access';
import { assertStorableText, type StoreContext } from '../context';
import { ConflictError } from '../errors';
import type { Db } from '../open';
import type { DbApiToken, DbOrganisation, DbSession, DbUser } from '../rows';

/**
 * Who makes an accounts change, as the audit log records it: `label` becomes the entry's actor
 * text; `userId` and `orgId` go into the entry's details as `by` (null for the system actor),
 * so the hash chain covers them. (The audit log has no actor columns yet: see README.)
 */
export interface AuditActor {
  label: string;
  userId: number | null;
  orgId: number | null;
}

/** A user row with its organisation and roles, for listing and signing in. */
export interface DbUserFull extends DbUser {
  org_name: string;
  org_kind: string;
  org_jurisdiction: string | null;
  roles: Role[];
}

export interface NewOrganisation {
  name: string;
  kind: OrgKind;
  jurisdiction: string | null;
}

export interface NewUser {
  username: string;
  orgId: number;
  passwordHash: string;
  roles: readonly Role[];
}

export interface NewToken {
  userId: number;
  name: string;
  tokenHash: string;
  readOnly: boolean;
}

/** What the audit log records of an organisation. */
export function organisationState(row: DbOrganisation) {
  return {
    name: row.name,
    kind: row.kind,
    jurisdiction: row.jurisdiction,
    createdAt: row.created_at,
  };
}

/** What the audit log records of a user: never the password hash, only when it changed. */
export function userState(row: DbUser, roles: readonly string[]) {
  return {
    username: row.username,
    orgId: row.org_id,
    roles: [...roles].sort(),
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    passwordChangedAt: row.password_changed_at,
  };
}

/** What the audit log records of a token: never its hash; `last_used_at` is not audited. */
export function tokenState(row: DbApiToken) {
  return {
    userId: row.user_id,
    name: row.name,
    readOnly: row.read_only === 1,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Users and tokens as `audit verify` compares them with their latest audit entry (entity, id,
 * label, state). Organisations are left out: those the migration created have no entry.
 */
export function accountStates(
  db: Db,
): Array<[entity: string, id: number, label: string, state: unknown]> {
  const migrated = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'api_tokens'`)
    .get();
  if (!migrated) return [];
  const roles = rolesOf(db);
  const users = (db.prepare('SELECT * FROM users ORDER BY id').all() as DbUser[]).map(
    (u) => ['user', u.id, `user ${u.id} (${u.username})`, userState(u, roles(u.id))] as const,
  );
  const tokens = (db.prepare('SELECT * FROM api_tokens ORDER BY id').all() as DbApiToken[]).map(
    (t) => ['api-token', t.id, `access token ${t.id}`, tokenState(t)] as const,
  );
  return [...users, ...tokens].map(([e, id, label, state]) => [e, id, label, state]);
}

function rolesOf(db: Db): (userId: number) => Role[] {
  const stmt = db.prepare('SELECT role FROM user_roles WHERE user_id = ? ORDER BY role').pluck();
  return (userId) => stmt.all(userId) as Role[];
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;

/** Organisations, users, roles, tokens, sessions and sign-in attempts (migration 0003). */
export function createAccountsRepo(ctx: StoreContext) {
  return {
    ...organisationFunctions(ctx),
    ...userFunctions(ctx),
    ...tokenFunctions(ctx),
    ...sessionFunctions(ctx.db),
    ...attemptFunctions(ctx.db),
    ...ownershipFunctions(ctx.db),
  };
}

function audit(
  ctx: StoreContext,
  by: AuditActor,
  action: 'create' | 'update' | 'disable' | 'reset-password' | 'revoke',
  entity: 'organisation' | 'user' | 'api-token',
  entityId: number,
  at: string,
  state: unknown,
): void {
  ctx.appendAudit({
    actor: by.label,
    action,
    entity,
    entityId,
    at,
    details: { by: { userId: by.userId, orgId: by.orgId }, state },
  });
}

function organisationFunctions(ctx: StoreContext) {
  const { db } = ctx;
  const insert = db.prepare(
    'INSERT INTO organisations (name, kind, jurisdiction, created_at) VALUES (?, ?, ?, ?) RETURNING *',
  );
  const byName = db.prepare('SELECT * FROM organisations WHERE name = ?');
  const byId = db.prepare('SELECT * FROM organisations WHERE id = ?');
  const bureauOf = db.prepare(
    `SELECT * FROM organisations WHERE kind = 'bureau' AND jurisdiction = ?`,
  );
  const all = db.prepare('SELECT * FROM organisations ORDER BY name');
  return {
    /**
     * @throws ConflictError `organisation-exists` (same name), `bureau-exists` (a second bureau
     *   for a jurisdiction)
     */
    addOrganisation(input: NewOrganisation, by: AuditActor): DbOrganisation {
      assertStorableText([
        ['name', 'Organisation name', input.name],
        ['jurisdiction', 'Jurisdiction', input.jurisdiction],
      ]);
      return ctx.write(() => {
        if (byName.get(input.name))
          throw new ConflictError(
            'organisation-exists',
            `An organisation named "${input.name}" exists already`,
            { name: input.name },
          );
        if (
          input.kind === 'bureau' &&
          input.jurisdiction !== null &&
          bureauOf.get(input.jurisdiction)
        )
          throw new ConflictError(
            'bureau-exists',
            `${input.jurisdiction} has a finance bureau already`,
            { jurisdiction: input.jurisdiction },
          );
        const at = ctx.now();
        const row = insert.get(input.name, input.kind, input.jurisdiction, at) as DbOrganisation;
        audit(ctx, by, 'create', 'organisation', row.id, at, organisationState(row));
        return row;
      });
    },
    findOrganisationByName: (name: string) => byName.get(name) as DbOrganisation | undefined,
    /** @throws NotFoundError */
    getOrganisation(id: number): DbOrganisation {
      const row = byId.get(id) as DbOrganisation | undefined;
      if (!row) throw new NotFoundError('Organisation', id);
      return row;
    },
    /** The bureau of a jurisdiction, if one is registered. */
    findBureau: (jurisdiction: string) => bureauOf.get(jurisdiction) as DbOrganisation | undefined,
    listOrganisations: () => all.all() as DbOrganisation[],
  };
}

const USER_FULL = `SELECT u.*, o.name AS org_name, o.kind AS org_kind, o.jurisdiction AS org_jurisdiction
  FROM users u JOIN organisations o ON o.id = u.org_id`;

function userFunctions(ctx: StoreContext) {
  const { db } = ctx;
  const roles = rolesOf(db);
  const insert = db.prepare(
    'INSERT INTO users (username, org_id, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
  );
  const addRole = db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
  const byUsername = db.prepare(`${USER_FULL} WHERE u.username = ?`);
  const byId = db.prepare(`${USER_FULL} WHERE u.id = ?`);
  const all = db.prepare(`${USER_FULL} ORDER BY u.username`);
  const count = db.prepare('SELECT COUNT(*) FROM users').pluck();
  const setDisabled = db.prepare('UPDATE users SET disabled_at = ? WHERE id = ? RETURNING *');
  const setPassword = db.prepare(
    'UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ? RETURNING *',
  );
  const endSessions = db.prepare(
    'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
  );
  const full = (row: Omit<DbUserFull, 'roles'> | undefined): DbUserFull | undefined =>
    row && { ...row, roles: roles(row.id) };
  const mustGet = (id: number): DbUserFull => {
    const row = full(byId.get(id) as Omit<DbUserFull, 'roles'> | undefined);
    if (!row) throw new NotFoundError('User', id);
    return row;
  };
  return {
    /** @throws ConflictError `user-exists` */
    addUser(input: NewUser, by: AuditActor): DbUserFull {
      return ctx.write(() => {
        if (byUsername.get(input.username))
          throw new ConflictError('user-exists', `A user named ${input.username} exists already`, {
            username: input.username,
          });
        const at = ctx.now();
        const row = insert.get(input.username, input.orgId, input.passwordHash, at, at) as DbUser;
        for (const role of new Set(input.roles)) addRole.run(row.id, role);
        audit(ctx, by, 'create', 'user', row.id, at, userState(row, roles(row.id)));
        return mustGet(row.id);
      });
    },
    findUser: (username: string) =>
      full(byUsername.get(username) as Omit<DbUserFull, 'roles'> | undefined),
    /** @throws NotFoundError */
    getUser: mustGet,
    listUsers: () =>
      (all.all() as Array<Omit<DbUserFull, 'roles'>>).map((r) => ({ ...r, roles: roles(r.id) })),
    countUsers: () => count.get() as number,
    /**
     * Disables the account and ends its sessions; its tokens stop working (sign-in checks
     * `disabled_at`). @throws ConflictError `already-disabled`
     */
    disableUser(id: number, by: AuditActor): DbUserFull {
      return ctx.write(() => {
        const user = mustGet(id);
        if (user.disabled_at !== null)
          throw new ConflictError('already-disabled', `User ${user.username} is disabled already`, {
            username: user.username,
          });
        const at = ctx.now();
        const row = setDisabled.get(at, id) as DbUser;
        endSessions.run(at, id);
        audit(ctx, by, 'disable', 'user', id, at, userState(row, user.roles));
        return mustGet(id);
      });
    },
    /** Replaces the password hash and ends the user's sessions. */
    resetPassword(id: number, passwordHash: string, by: AuditActor): DbUserFull {
      return ctx.write(() => {
        const user = mustGet(id);
        const at = ctx.now();
        const row = setPassword.get(passwordHash, at, id) as DbUser;
        endSessions.run(at, id);
        audit(ctx, by, 'reset-password', 'user', id, at, userState(row, user.roles));
        return mustGet(id);
      });
    },
  };
}

function tokenFunctions(ctx: StoreContext) {
  const { db } = ctx;
  const insert = db.prepare(
    'INSERT INTO api_tokens (user_id, name, token_hash, read_only, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
  );
  const byHash = db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?');
  const byId = db.prepare('SELECT * FROM api_tokens WHERE id = ?');
  const byUser = db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY id');
  const setRevoked = db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? RETURNING *');
  const setUsed = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  const mustGet = (id: number): DbApiToken => {
    const row = byId.get(id) as DbApiToken | undefined;
    if (!row) throw new NotFoundError('Access token', id);
    return row;
  };
  return {
    addToken(input: NewToken, by: AuditActor): DbApiToken {
      assertStorableText([['name', 'Token name', input.name]]);
      return ctx.write(() => {
        const at = ctx.now();
        const row = insert.get(
          input.userId,
          input.name,
          input.tokenHash,
          input.readOnly ? 1 : 0,
          at,
        ) as DbApiToken;
        audit(ctx, by, 'create', 'api-token', row.id, at, tokenState(row));
        return row;
      });
    },
    findTokenByHash: (hash: string) => byHash.get(hash) as DbApiToken | undefined,
    /** @throws NotFoundError */
    getToken: mustGet,
    listTokens: (userId: number) => byUser.all(userId) as DbApiToken[],
    /** @throws NotFoundError, ConflictError `already-revoked` */
    revokeToken(id: number, by: AuditActor): DbApiToken {
      return ctx.write(() => {
        const token = mustGet(id);
        if (token.revoked_at !== null)
          throw new ConflictError('already-revoked', `Access token ${id} is revoked already`, {
            id,
          });
        const at = ctx.now();
        const row = setRevoked.get(at, id) as DbApiToken;
        audit(ctx, by, 'revoke', 'api-token', id, at, tokenState(row));
        return row;
      });
    },
    /** Notes a token's use (not audited: it is no change of what anyone may do). */
    touchToken(id: number): void {
      ctx.write(() => setUsed.run(ctx.now(), id));
    },
  };
}

function sessionFunctions(db: Db) {
  const insert = db.prepare(
    'INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
  );
  const byHash = db.prepare('SELECT * FROM sessions WHERE id_hash = ?');
  const seen = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?');
  const revoke = db.prepare(
    'UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL',
  );
  return {
    /** A new session; `expiresAt` is its absolute expiry. Not audited. */
    addSession(idHash: string, userId: number, at: string, expiresAt: string): DbSession {
      return insert.get(idHash, userId, at, at, expiresAt) as DbSession;
    },
    findSession: (idHash: string) => byHash.get(idHash) as DbSession | undefined,
    touchSession: (idHash: string, at: string) => void seen.run(at, idHash),
    revokeSession: (idHash: string, at: string) => void revoke.run(at, idHash),
  };
}

function attemptFunctions(db: Db) {
  const insert = db.prepare('INSERT INTO login_attempts (key, at, ok) VALUES (?, ?, ?)');
  const failures = db
    .prepare(
      `SELECT at FROM login_attempts WHERE key = ? AND ok = 0 AND at > ?
       AND rowid > COALESCE((SELECT MAX(rowid) FROM login_attempts WHERE key = ? AND ok = 1), 0)
     ORDER BY at DESC, rowid DESC LIMIT ?`,
    )
    .pluck();
  const purge = db.prepare('DELETE FROM login_attempts WHERE at < ?');
  const forget = db.prepare('DELETE FROM login_attempts WHERE rowid = ?');
  return {
    /** Records an attempt; returns its row id (for `forgetAttempt`). */
    recordAttempt: (key: string, ok: boolean, at: string) =>
      Number(insert.run(key, at, ok ? 1 : 0).lastInsertRowid),
    /** Forgets one attempt recorded by `recordAttempt`. */
    forgetAttempt: (rowId: number) => void forget.run(rowId),
    /** The newest `limit` failures for `key` after `since` and after its latest success, newest first. */
    recentFailures: (key: string, since: string, limit: number) =>
      failures.all(key, since, key, limit) as string[],
    /** Forgets attempts older than `before`. */
    purgeAttempts: (before: string) => purge.run(before).changes,
  };
}

/** Who owns a project, as authorisation needs it. */
export interface DbProjectOwnership {
  project_id: number;
  jurisdiction: string | null;
  owner_org_id: number | null;
  owner_kind: string | null;
  owner_jurisdiction: string | null;
}

function ownershipFunctions(db: Db) {
  const byCode = db.prepare(
    `SELECT p.id AS project_id, p.jurisdiction, p.owner_org_id, o.kind AS owner_kind, o.jurisdiction AS owner_jurisdiction
     FROM projects p LEFT JOIN organisations o ON o.id = p.owner_org_id WHERE p.code = ?`,
  );
  const scenarioProject = db
    .prepare('SELECT p.code FROM scenarios s JOIN projects p ON p.id = s.project_id WHERE s.id = ?')
    .pluck();
  const versionScenario = db
    .prepare('SELECT scenario_id FROM scenario_versions WHERE id = ?')
    .pluck();
  const portfolioExists = db.prepare('SELECT 1 FROM portfolios WHERE id = ?').pluck();
  const fiscalJurisdiction = db
    .prepare('SELECT jurisdiction FROM portfolio_fiscal WHERE portfolio_id = ?')
    .pluck();
  const ownJurisdiction = db
    .prepare('SELECT jurisdiction FROM portfolios WHERE id = ? AND jurisdiction IS NOT NULL')
    .pluck();
  const memberJurisdictions = db
    .prepare(
      `SELECT DISTINCT p.jurisdiction FROM portfolio_members m JOIN projects p ON p.id = m.project_id
       WHERE m.portfolio_id = ? LIMIT 2`,
    )
    .pluck();
  return {
    /** The project's owner and jurisdiction, or undefined for an unknown code. */
    projectOwnership: (code: string) => byCode.get(code) as DbProjectOwnership | undefined,
    /** The code of a scenario's project (deleted ones too), or undefined for an unknown id. */
    projectCodeOfScenario: (scenarioId: number) =>
      scenarioProject.get(scenarioId) as string | undefined,
    /** The scenario of a version, or undefined for an unknown id. */
    scenarioIdOfVersion: (versionId: number) =>
      versionScenario.get(versionId) as number | undefined,
    /**
     * The jurisdiction that holds a portfolio: that of its fiscal settings, else its own (the
     * creating bureau's, migration 0009), else the one all its members share; null when its members span several (or none has one); undefined for an
     * unknown portfolio.
     */
    portfolioJurisdiction(portfolioId: number): string | null | undefined {
      if (portfolioExists.get(portfolioId) === undefined) return undefined;
      const fiscal = fiscalJurisdiction.get(portfolioId) as string | undefined;
      if (fiscal !== undefined) return fiscal;
      const own = ownJurisdiction.get(portfolioId) as string | undefined;
      if (own !== undefined) return own;
      const found = memberJurisdictions.all(portfolioId) as Array<string | null>;
      return found.length === 1 ? (found[0] ?? null) : null;
    },
  };
}
