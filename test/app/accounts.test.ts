import { NotFoundError, ValidationError } from '../../src/domain/errors';
import type { Actor } from '../../src/domain/access';
import {
  addOrganisation,
  addUser,
  authenticatePassword,
  authenticateToken,
  createToken,
  disableUser,
  listUsers,
  resetPassword,
  revokeToken,
  systemActor,
} from '../../src/app/accounts';
import { ForbiddenError, SignInError } from '../../src/app/errors';
import {
  checkNewPassword,
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../src/app/passwords';
import { endSession, resumeSession, startSession } from '../../src/app/sessions';
import { looksLikeToken, newToken, secretHash } from '../../src/app/tokens';
import type { Store } from '../../src/store';
import { memoryStore } from '../store/helpers/fixtures';

const CITY = '示范市 Demo City';
const GOOD = 'correct horse battery';
const SYSTEM = systemActor('operator (cli)');

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2026, 0, 1, 9, 0, 0)) {
  let t = start;
  return {
    now: () => new Date(t),
    advanceMinutes: (m: number) => void (t += m * 60_000),
  };
}

async function caught(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

/** A bureau and an enterprise, an admin, an analyst and an enterprise analyst, all with GOOD. */
async function world(store: Store) {
  addOrganisation(store, SYSTEM, { name: '示范市财政局', kind: 'bureau', jurisdiction: CITY });
  addOrganisation(store, SYSTEM, { name: '智慧城建公司', kind: 'enterprise' });
  await addUser(store, SYSTEM, {
    username: 'root',
    org: '示范市财政局',
    roles: ['admin'],
    password: GOOD,
  });
  const signIn = (username: string) =>
    authenticatePassword(store, { username, password: GOOD, address: '10.0.0.1' });
  const admin = await signIn('root');
  await addUser(store, admin, {
    username: 'Li.Wei',
    org: '示范市财政局',
    roles: ['bureau-analyst'],
    password: GOOD,
  });
  await addUser(store, admin, {
    username: 'zhang',
    org: '智慧城建公司',
    roles: ['enterprise-analyst'],
    password: GOOD,
  });
  return { admin, analyst: await signIn('li.wei'), enterprise: await signIn('zhang') };
}

describe('passwords', () => {
  it.each([
    ['11 letters', 'a'.repeat(11), false],
    ['12 letters', 'a'.repeat(12), true],
    ['12 Chinese characters (36 bytes)', '密码密码密码密码密码密码', true],
    ['10 Chinese characters (30 bytes)', '密码密码密码密码密码', false],
    ['256 letters', 'x'.repeat(256), true],
    ['257 letters', 'x'.repeat(257), false],
  ])('%s: acceptable %s', (_, password, ok) => {
    if (ok) expect(checkNewPassword(password)).toBe(password);
    else expect(() => checkNewPassword(password)).toThrow(ValidationError);
  });

  it('says how long a password must be', () => {
    expect(() => checkNewPassword('short')).toThrow(
      expect.objectContaining({
        issues: [
          {
            path: 'password',
            message: 'The password must be at least 12 characters long (it has 5)',
          },
        ],
      }),
    );
  });

  it('hashes with argon2id at OWASP minimum parameters and verifies', async () => {
    const hash = await hashPassword(GOOD);
    expect(hash).toMatch(
      /^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    expect(await hashPassword(GOOD)).not.toBe(hash); // a fresh salt each time
    expect(await verifyPassword(hash, GOOD)).toBe(true);
    expect(await verifyPassword(hash, `${GOOD} `)).toBe(false);
    expect(await verifyPassword('not a hash', GOOD)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
    expect(needsRehash(hash.replace('t=2', 't=3'))).toBe(true);
  });
});

describe('tokens', () => {
  it('are fmx_ and 43 base64url characters, stored as SHA-256 hex', () => {
    const token = newToken();
    expect(token).toMatch(/^fmx_[A-Za-z0-9_-]{43}$/);
    expect(looksLikeToken(token)).toBe(true);
    expect(looksLikeToken(`${token}x`)).toBe(false);
    expect(newToken()).not.toBe(token);
    // FIPS 180-2 test vector.
    expect(secretHash('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('account use cases', () => {
  it('bootstrap: the system actor adds the first organisation and admin; the admin adds the rest', async () => {
    const { store } = memoryStore();
    const { admin } = await world(store);
    expect(admin).toMatchObject({
      username: 'root',
      orgKind: 'bureau',
      jurisdictions: [CITY],
      roles: ['admin'],
      via: 'session',
    });
    expect(
      listUsers(store, admin).map((u) => [u.username, u.organisation, u.roles.join('+')]),
    ).toEqual([
      ['li.wei', '示范市财政局', 'bureau-analyst'],
      ['root', '示范市财政局', 'admin'],
      ['zhang', '智慧城建公司', 'enterprise-analyst'],
    ]);
    const entries = store.audit.list({ entity: 'user' });
    expect(entries.map((e) => e.actor)).toEqual(['root', 'root', 'operator (cli)']);
    expect(entries[0]!.details.by).toEqual({ userId: admin.userId, orgId: admin.orgId });
    expect(store.audit.verify().ok).toBe(true);
  });

  it('only an admin manages users; an analyst is forbidden and nothing is written', async () => {
    const { store } = memoryStore();
    const { analyst, enterprise } = await world(store);
    const before = store.audit.count();
    for (const who of [analyst, enterprise]) {
      expect(
        await caught(
          addUser(store, who, {
            username: 'x',
            org: '智慧城建公司',
            roles: ['enterprise-analyst'],
            password: GOOD,
          }),
        ),
      ).toBeInstanceOf(ForbiddenError);
      expect(await caught(() => listUsers(store, who))).toBeInstanceOf(ForbiddenError);
      expect(
        await caught(() => addOrganisation(store, who, { name: 'n', kind: 'enterprise' })),
      ).toBeInstanceOf(ForbiddenError);
    }
    expect(store.audit.count()).toBe(before);
  });

  it('refuses roles that do not fit the organisation, a short password, a bureau without jurisdiction', async () => {
    const { store } = memoryStore();
    const { admin } = await world(store);
    const before = store.audit.count();
    const misfit = await caught(
      addUser(store, admin, {
        username: 'wang',
        org: '智慧城建公司',
        roles: ['bureau-approver'],
        password: GOOD,
      }),
    );
    expect((misfit as ValidationError).issues).toEqual([
      { path: 'roles', message: 'bureau-approver cannot be held in 智慧城建公司 (an enterprise)' },
    ]);
    const short = await caught(
      addUser(store, admin, {
        username: 'wang',
        org: '智慧城建公司',
        roles: ['enterprise-analyst'],
        password: 'too short',
      }),
    );
    expect((short as ValidationError).issues[0]!.path).toBe('password');
    const noOrg = await caught(
      addUser(store, admin, {
        username: 'wang',
        org: 'Nobody',
        roles: ['enterprise-analyst'],
        password: GOOD,
      }),
    );
    expect((noOrg as ValidationError).issues).toEqual([
      { path: 'org', message: 'There is no organisation named "Nobody"' },
    ]);
    const bureau = await caught(() => addOrganisation(store, admin, { name: 'B', kind: 'bureau' }));
    expect((bureau as ValidationError).issues).toEqual([
      { path: 'jurisdiction', message: 'A bureau needs its jurisdiction' },
    ]);
    expect(store.audit.count()).toBe(before);
  });

  it('disable ends sign-in and tokens; reset-password changes the password; nobody disables themselves', async () => {
    const { store } = memoryStore();
    const { admin, enterprise } = await world(store);
    const token = createToken(store, enterprise, { username: 'zhang', name: 'laptop' });
    expect(await caught(() => disableUser(store, admin, { username: 'root' }))).toMatchObject({
      code: 'cannot-disable-self',
    });
    await resetPassword(store, admin, { username: 'zhang', password: 'a new long password' });
    expect(
      await caught(
        authenticatePassword(store, { username: 'zhang', password: GOOD, address: 'a' }),
      ),
    ).toMatchObject({ code: 'sign-in-failed' });
    expect(
      (
        await authenticatePassword(store, {
          username: 'zhang',
          password: 'a new long password',
          address: 'a',
        })
      ).username,
    ).toBe('zhang');
    disableUser(store, admin, { username: 'ZHANG' });
    expect(
      await caught(
        authenticatePassword(store, {
          username: 'zhang',
          password: 'a new long password',
          address: 'a',
        }),
      ),
    ).toMatchObject({ code: 'account-disabled' });
    expect(await caught(() => authenticateToken(store, token.token))).toMatchObject({
      code: 'account-disabled',
    });
  });
});

describe('personal access tokens', () => {
  it('own tokens for everyone, others only for admins (and not found for the rest)', async () => {
    const { store } = memoryStore();
    const { admin, analyst, enterprise } = await world(store);
    const mine = createToken(store, enterprise, { username: 'zhang', readOnly: true });
    expect(mine).toMatchObject({
      username: 'zhang',
      name: 'access token',
      readOnly: true,
      revokedAt: null,
    });
    expect(mine.token).toMatch(/^fmx_/);
    expect(store.db.prepare('SELECT token_hash FROM api_tokens').pluck().get()).toBe(
      secretHash(mine.token),
    );
    expect(JSON.stringify(store.audit.list())).not.toContain(mine.token);
    expect(await caught(() => createToken(store, analyst, { username: 'zhang' }))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(await caught(() => revokeToken(store, analyst, { id: mine.id }))).toBeInstanceOf(
      NotFoundError,
    );

    const actor = authenticateToken(store, mine.token);
    expect(actor).toMatchObject({
      username: 'zhang',
      via: 'token',
      readOnly: true,
      orgKind: 'enterprise',
      jurisdictions: [],
    });
    const readWrite = createToken(store, admin, { username: 'zhang', name: 'ci' });
    expect(authenticateToken(store, readWrite.token).readOnly).toBe(false);

    expect(revokeToken(store, enterprise, { id: mine.id }).revokedAt).not.toBeNull();
    expect(await caught(() => authenticateToken(store, mine.token))).toMatchObject({
      code: 'sign-in-failed',
    });
    expect(revokeToken(store, admin, { id: readWrite.id }).revokedAt).not.toBeNull();
    expect(await caught(() => revokeToken(store, admin, { id: readWrite.id }))).toMatchObject({
      code: 'already-revoked',
    });
    expect(await caught(() => authenticateToken(store, 'fmx_nope'))).toMatchObject({
      code: 'sign-in-failed',
    });
    expect(store.audit.verify().ok).toBe(true);
  });

  it('a read-only token cannot make tokens', async () => {
    const { store } = memoryStore();
    const { enterprise } = await world(store);
    const ro = authenticateToken(
      store,
      createToken(store, enterprise, { username: 'zhang', readOnly: true }).token,
    );
    expect(await caught(() => createToken(store, ro, { username: 'zhang' }))).toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('sign-in rate limits', () => {
  const attempt = (store: Store, username: string, password: string, address = '10.0.0.9') =>
    authenticatePassword(store, { username, password, address });

  it('5 failures within 15 minutes lock the account for 15 minutes from the 5th, saying when', async () => {
    const clock = manualClock();
    const { store } = memoryStore({ clock: clock.now });
    await world(store);
    for (let i = 1; i <= 4; i++) {
      expect(await caught(attempt(store, 'zhang', 'wrong password!'))).toMatchObject({
        code: 'sign-in-failed',
      });
      clock.advanceMinutes(2);
    }
    // 5th failure at 09:08: locked until 09:23.
    const fifth = await caught(attempt(store, 'zhang', 'wrong password!'));
    expect(fifth).toMatchObject({ code: 'sign-in-locked', retryAt: '2026-01-01T09:23:00.000Z' });
    expect((fifth as Error).message).toBe(
      'Too many failed sign-ins: try again after 09:23 UTC (2026-01-01T09:23:00.000Z)',
    );
    clock.advanceMinutes(14);
    // Even the right password is refused while locked, and the refusal extends nothing.
    expect(await caught(attempt(store, 'zhang', GOOD))).toMatchObject({
      code: 'sign-in-locked',
      retryAt: '2026-01-01T09:23:00.000Z',
    });
    // Other accounts are not locked.
    expect((await attempt(store, 'li.wei', GOOD)).username).toBe('li.wei');
    clock.advanceMinutes(1);
    expect((await attempt(store, 'zhang', GOOD)).username).toBe('zhang');
    // The success cleared the count: one new failure does not lock.
    expect(await caught(attempt(store, 'zhang', 'wrong password!'))).toMatchObject({
      code: 'sign-in-failed',
    });
  });

  it('a burst of guesses sent together cannot get past the limit: the 6th is refused unverified', async () => {
    const clock = manualClock();
    const { store } = memoryStore({ clock: clock.now });
    await world(store);
    // Five wrong passwords and then the right one, all in flight at once (verification is async):
    // before the lock counted attempts on arrival, all six were verified and the sixth got in.
    const outcomes = await Promise.all(
      [...Array.from({ length: 5 }, () => 'wrong password!'), GOOD].map((password) =>
        attempt(store, 'zhang', password).then(
          (actor) => `signed in as ${actor.username}`,
          (err: SignInError) => err.code,
        ),
      ),
    );
    // The five wrong ones were verified and failed; by the time each answered, the five together
    // had locked the account, so each says so. The right one came sixth and was refused.
    expect(outcomes).toEqual(Array.from({ length: 6 }, () => 'sign-in-locked'));
    expect(await caught(attempt(store, 'zhang', GOOD))).toMatchObject({
      code: 'sign-in-locked',
      retryAt: '2026-01-01T09:15:00.000Z',
    });
    // A success in a burst clears the account's count but leaves no failure for the address.
    clock.advanceMinutes(16);
    const burst = await Promise.all([attempt(store, 'li.wei', GOOD), attempt(store, 'root', GOOD)]);
    expect(burst.map((a) => a.username)).toEqual(['li.wei', 'root']);
    const addressFailures = store.accounts.recentFailures(
      'addr:10.0.0.9',
      '2026-01-01T09:15:00.000Z',
      20,
    );
    expect(addressFailures).toEqual([]);
  });

  it('failures spread over more than 15 minutes do not lock', async () => {
    const clock = manualClock();
    const { store } = memoryStore({ clock: clock.now });
    await world(store);
    for (let i = 1; i <= 6; i++) {
      expect(await caught(attempt(store, 'zhang', 'wrong password!'))).toMatchObject({
        code: 'sign-in-failed',
      });
      clock.advanceMinutes(4);
    }
  });

  it('an unknown username answers like a wrong password, and counts against the address', async () => {
    const clock = manualClock();
    const { store } = memoryStore({ clock: clock.now });
    await world(store);
    const unknown = await caught(attempt(store, 'nobody', GOOD));
    const wrong = await caught(attempt(store, 'zhang', 'wrong password!'));
    expect(unknown).toBeInstanceOf(SignInError);
    expect([(unknown as SignInError).code, (unknown as Error).message]).toEqual([
      (wrong as SignInError).code,
      (wrong as Error).message,
    ]);
    // 20 failures from one address lock the address, also for an account that did nothing wrong.
    for (let i = 3; i <= 19; i++) await caught(attempt(store, `guess${i}`, GOOD));
    expect(await caught(attempt(store, 'guess20', GOOD))).toMatchObject({
      code: 'sign-in-locked',
      retryAt: '2026-01-01T09:15:00.000Z',
    });
    expect(await caught(attempt(store, 'li.wei', GOOD))).toMatchObject({ code: 'sign-in-locked' });
    expect((await attempt(store, 'li.wei', GOOD, '10.0.0.10')).username).toBe('li.wei');
  });
});

describe('sessions', () => {
  it('rotate at sign-in, end after 60 idle minutes, 12 hours, sign-out or disabling', async () => {
    const clock = manualClock();
    const { store } = memoryStore({ clock: clock.now });
    const { admin, enterprise } = await world(store);
    const a = startSession(store, enterprise);
    const b = startSession(store, enterprise);
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(a.expiresAt).toBe('2026-01-01T21:00:00.000Z');
    expect(
      store.db
        .prepare('SELECT COUNT(*) FROM sessions WHERE id_hash = ?')
        .pluck()
        .get(secretHash(a.sessionId)),
    ).toBe(1);
    expect(resumeSession(store, a.sessionId)?.username).toBe('zhang');
    expect(resumeSession(store, 'made-up')).toBeNull();
    endSession(store, a.sessionId);
    expect(resumeSession(store, a.sessionId)).toBeNull();
    // Idle: seen at 09:00, 09:59 keeps it, 11:00 is 61 minutes after.
    clock.advanceMinutes(59);
    expect(resumeSession(store, b.sessionId)).not.toBeNull();
    clock.advanceMinutes(61);
    expect(resumeSession(store, b.sessionId)).toBeNull();
    // Absolute: kept busy every 50 minutes, it still ends 12 hours after sign-in.
    const c = startSession(store, enterprise);
    for (let m = 50; m < 12 * 60; m += 50) {
      clock.advanceMinutes(50);
      expect(resumeSession(store, c.sessionId)).not.toBeNull();
    }
    clock.advanceMinutes(50);
    expect(resumeSession(store, c.sessionId)).toBeNull();
    const d = startSession(store, enterprise);
    disableUser(store, admin as Actor, { username: 'zhang' });
    expect(resumeSession(store, d.sessionId)).toBeNull();
  });
});
