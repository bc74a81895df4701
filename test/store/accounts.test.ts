import { MIGRATIONS, migrate, openDatabase } from '../../src/store';
import type { AuditActor } from '../../src/store/repos/accounts';
import { memoryStore } from './helpers/fixtures';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
const SYSTEM: AuditActor = { label: 'system (cli)', userId: null, orgId: null };
const CITY = '示范市 Demo City';

const project = (code: string, jurisdiction: string | null) =>
  `INSERT INTO projects (code, name, sector, category, delivery, approval_date, jurisdiction, created_at, updated_at)
   VALUES ('${code}', 'n', 'transport', 'basic', 'ppp', '2025-01-01', ${jurisdiction === null ? 'NULL' : `'${jurisdiction}'`},
           '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`;

describe('migration 0003-accounts', () => {
  it('gives existing projects to a bureau of their jurisdiction, one per jurisdiction, and leaves the rest unowned', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS.slice(0, 2));
    for (const sql of [
      project('A', CITY),
      project('B', null),
      project('C', CITY),
      project('D', '邻市'),
    ])
      db.exec(sql);
    migrate(db);
    expect(
      db.prepare('SELECT id, name, kind, jurisdiction FROM organisations ORDER BY id').all(),
    ).toEqual([
      { id: 1, name: '财政局 · 示范市 Demo City', kind: 'bureau', jurisdiction: CITY },
      { id: 2, name: '财政局 · 邻市', kind: 'bureau', jurisdiction: '邻市' },
    ]);
    expect(db.prepare('SELECT code, owner_org_id FROM projects ORDER BY code').all()).toEqual([
      { code: 'A', owner_org_id: 1 },
      { code: 'B', owner_org_id: null },
      { code: 'C', owner_org_id: 1 },
      { code: 'D', owner_org_id: 2 },
    ]);
  });

  it('refuses a bureau or audit office without a jurisdiction, a second bureau, an unknown role, a plain-text password', () => {
    const { db } = memoryStore();
    const org = db.prepare(
      `INSERT INTO organisations (name, kind, jurisdiction, created_at) VALUES (?, ?, ?, '2026-01-01T00:00:00.000Z')`,
    );
    expect(() => org.run('B', 'bureau', null)).toThrow(/CHECK/);
    expect(() => org.run('A', 'audit', null)).toThrow(/CHECK/);
    expect(() => org.run('X', 'ministry', 'J')).toThrow(/CHECK/);
    org.run('E', 'enterprise', null);
    org.run('B1', 'bureau', CITY);
    expect(() => org.run('B2', 'bureau', CITY)).toThrow(/UNIQUE/);
    const user = db.prepare(
      `INSERT INTO users (username, org_id, password_hash, created_at, password_changed_at) VALUES (?, 1, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    );
    expect(() => user.run('u', 'secret-password')).toThrow(/CHECK/);
    expect(() => user.run('Upper', HASH)).toThrow(/CHECK/);
    user.run('u', HASH);
    expect(() => db.prepare(`INSERT INTO user_roles VALUES (1, 'superuser')`).run()).toThrow(
      /CHECK/,
    );
  });
});

describe('accounts repository', () => {
  it('adds organisations and users with roles, audited with the acting user, never the hash', () => {
    const { store } = memoryStore();
    const a = store.accounts;
    const bureau = a.addOrganisation(
      { name: 'Bureau', kind: 'bureau', jurisdiction: CITY },
      SYSTEM,
    );
    const admin = a.addUser(
      { username: 'root', orgId: bureau.id, passwordHash: HASH, roles: ['admin'] },
      SYSTEM,
    );
    const by: AuditActor = { label: 'root', userId: admin.id, orgId: bureau.id };
    const u = a.addUser(
      {
        username: 'li.wei',
        orgId: bureau.id,
        passwordHash: HASH,
        roles: ['bureau-approver', 'bureau-analyst'],
      },
      by,
    );
    expect(u).toMatchObject({
      username: 'li.wei',
      org_name: 'Bureau',
      org_kind: 'bureau',
      roles: ['bureau-analyst', 'bureau-approver'],
    });
    expect(a.findBureau(CITY)?.id).toBe(bureau.id);
    const entry = store.audit.list({ limit: 1 })[0]!;
    expect(entry).toMatchObject({
      actor: 'root',
      action: 'create',
      entity: 'user',
      entityId: u.id,
    });
    expect(entry.details).toEqual({
      by: { userId: admin.id, orgId: bureau.id },
      state: {
        username: 'li.wei',
        orgId: bureau.id,
        roles: ['bureau-analyst', 'bureau-approver'],
        disabledAt: null,
        createdAt: u.created_at,
        passwordChangedAt: u.created_at,
      },
    });
    expect(JSON.stringify(store.audit.list())).not.toContain('argon2');
    expect(() =>
      a.addUser({ username: 'li.wei', orgId: bureau.id, passwordHash: HASH, roles: [] }, by),
    ).toThrow(/exists already/);
    expect(() =>
      a.addOrganisation({ name: 'Bureau 2', kind: 'bureau', jurisdiction: CITY }, by),
    ).toThrow(/has a finance bureau already/);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('disabling and resetting end the sessions; tokens revoke once; verify still holds', () => {
    const { store } = memoryStore();
    const a = store.accounts;
    const org = a.addOrganisation({ name: 'Ent', kind: 'enterprise', jurisdiction: null }, SYSTEM);
    const u = a.addUser(
      { username: 'zhang', orgId: org.id, passwordHash: HASH, roles: ['enterprise-analyst'] },
      SYSTEM,
    );
    a.addSession('a'.repeat(64), u.id, store.now(), '2027-01-01T00:00:00.000Z');
    const reset = a.resetPassword(u.id, HASH.replace('aGFz', 'bmV3'), SYSTEM);
    expect(reset.password_changed_at > u.password_changed_at).toBe(true);
    expect(a.findSession('a'.repeat(64))?.revoked_at).not.toBeNull();
    const t = a.addToken(
      { userId: u.id, name: 'ci', tokenHash: 'b'.repeat(64), readOnly: true },
      SYSTEM,
    );
    expect(a.findTokenByHash('b'.repeat(64))?.id).toBe(t.id);
    expect(a.revokeToken(t.id, SYSTEM).revoked_at).not.toBeNull();
    expect(() => a.revokeToken(t.id, SYSTEM)).toThrow(/revoked already/);
    expect(a.disableUser(u.id, SYSTEM).disabled_at).not.toBeNull();
    expect(() => a.disableUser(u.id, SYSTEM)).toThrow(/disabled already/);
    expect(store.audit.list().map((e) => `${e.action} ${e.entity}`)).toEqual([
      'disable user',
      'revoke api-token',
      'create api-token',
      'reset-password user',
      'create user',
      'create organisation',
    ]);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('audit verify names a role granted or a user added behind the back', () => {
    const { db, store } = memoryStore();
    const org = store.accounts.addOrganisation(
      { name: 'Ent', kind: 'enterprise', jurisdiction: null },
      SYSTEM,
    );
    const u = store.accounts.addUser(
      { username: 'zhang', orgId: org.id, passwordHash: HASH, roles: ['enterprise-analyst'] },
      SYSTEM,
    );
    db.prepare(`INSERT INTO user_roles VALUES (?, 'admin')`).run(u.id);
    db.prepare(
      `INSERT INTO users (username, org_id, password_hash, created_at, password_changed_at) VALUES ('mallory', ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    ).run(org.id, HASH);
    const report = store.audit.verify();
    expect(report.problems.map((p) => p.code)).toEqual(['user-altered', 'user-unrecorded']);
    expect(report.problems[1]!.message).toBe(`user ${u.id + 1} (mallory) has no audit entry`);
  });

  it('counts failed sign-ins after the latest success, newest first', () => {
    const { store } = memoryStore();
    const a = store.accounts;
    a.recordAttempt('user:zhang', false, '2026-01-01T00:00:01.000Z');
    a.recordAttempt('user:zhang', true, '2026-01-01T00:00:02.000Z');
    a.recordAttempt('user:zhang', false, '2026-01-01T00:00:03.000Z');
    a.recordAttempt('user:zhang', false, '2026-01-01T00:00:04.000Z');
    a.recordAttempt('addr:10.0.0.1', false, '2026-01-01T00:00:05.000Z');
    expect(a.recentFailures('user:zhang', '2026-01-01T00:00:00.000Z', 5)).toEqual([
      '2026-01-01T00:00:04.000Z',
      '2026-01-01T00:00:03.000Z',
    ]);
    expect(a.recentFailures('user:zhang', '2026-01-01T00:00:03.500Z', 5)).toEqual([
      '2026-01-01T00:00:04.000Z',
    ]);
    expect(a.purgeAttempts('2026-01-01T00:00:03.000Z')).toBe(2);
  });
});
