import request from 'supertest';
import { verifyPassword } from '../../src/app/passwords';
import { readDemoAccounts } from '../../src/store';
import { DEMO_DIR, makeApp, type Agent, type TestApp } from './support/app';
import { inputValue, section, visibleText } from './support/html';

let t: TestApp;
beforeEach(() => {
  t = makeApp({ as: null });
});

/** The sign-in form's token for this browser. */
async function token(agent: Agent): Promise<string> {
  const form = await agent.get('/login');
  return inputValue(form.text, '_csrf')!;
}

async function signIn(agent: Agent, username: string, password: string, next = '/') {
  const _csrf = await token(agent);
  return agent.post('/login').type('form').send({ _csrf, username, password, next }).redirects(0);
}

const cookieNamed = (res: request.Response, name: string) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith(`${name}=`) && !c.startsWith(`${name}=;`));

describe('the demo accounts file', () => {
  it('holds a user for every role whose stored hash is the hash of its listed password', async () => {
    const file = readDemoAccounts(DEMO_DIR)!;
    expect(file.users.map((u) => [u.username, u.roles])).toEqual([
      ['analyst', ['bureau-analyst']],
      ['approver', ['bureau-approver']],
      ['enterprise', ['enterprise-analyst']],
      ['auditor', ['auditor']],
      ['admin', ['admin']],
    ]);
    for (const u of file.users) {
      expect(u.password).toBe(`demo-${u.username}-2026`);
      expect(await verifyPassword(u.passwordHash, u.password)).toBe(true);
    }
  });
});

describe('signing in', () => {
  it('sends an anonymous page request to the form and back after signing in', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/projects/SC-WATER').redirects(0);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fprojects%2FSC-WATER');
    const form = await agent.get(page.headers.location as string).set('Cookie', 'lang=en');
    expect(visibleText(form.text)).toContain('Sign in');
    expect(inputValue(form.text, 'next')).toBe('/projects/SC-WATER');

    const done = await signIn(agent, 'analyst', 'demo-analyst-2026', '/projects/SC-WATER');
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/projects/SC-WATER');
    const session = cookieNamed(done, 'fm_session')!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    const after = await agent.get('/projects/SC-WATER').set('Cookie', 'lang=en');
    expect(after.status).toBe(200);
    expect(visibleText(section(after.text, 'div', 'viewer'))).toBe(
      'Signed in as analyst bureau analyst 示范市财政局 Demo City Finance Bureau Sign out',
    );
  });

  it('rotates the session cookie and the form-token browser id at sign-in; the old session ends', async () => {
    const agent = request.agent(t.app);
    const first = await signIn(agent, 'analyst', 'demo-analyst-2026');
    const second = await signIn(agent, 'analyst', 'demo-analyst-2026');
    const [a, b] = [cookieNamed(first, 'fm_session'), cookieNamed(second, 'fm_session')];
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a!.split(';')[0]).not.toBe(b!.split(';')[0]);
    expect(cookieNamed(second, 'fm_sid')).toBeDefined();
    const old = await request(t.app).get('/').set('Cookie', a!.split(';')[0]!).redirects(0);
    expect(old.status).toBe(303);
  });

  it('answers a wrong password with 401, the username kept and the password not', async () => {
    const agent = request.agent(t.app);
    const res = await signIn(agent, 'analyst', 'not the password');
    expect(res.status).toBe(401);
    expect(visibleText(res.text)).toContain('用户名或密码错误。');
    expect(inputValue(res.text, 'username')).toBe('analyst');
    expect(inputValue(res.text, 'password')).toBeUndefined();
    expect(cookieNamed(res, 'fm_session')).toBeUndefined();
    // An unknown user reads the same.
    const unknown = await signIn(agent, 'nobody', 'not the password');
    expect(unknown.status).toBe(401);
    expect(visibleText(section(unknown.text, 'p', 'login-problem'))).toBe('用户名或密码错误。');
  });

  it('locks an account after 5 failures and says until when (429), even for the right password', async () => {
    const agent = request.agent(t.app);
    for (let i = 0; i < 4; i++) expect((await signIn(agent, 'auditor', 'wrong')).status).toBe(401);
    const fifth = await signIn(agent, 'auditor', 'wrong');
    expect(fifth.status).toBe(429);
    // FIXED_NOW is 2026-05-04T08:30:00.000Z: locked until 08:45 UTC, 16:45 in Beijing.
    const text = visibleText((await signIn(agent, 'auditor', 'demo-auditor-2026')).text);
    expect(text).toContain('登录失败次数过多：请在 2026年5月4日 16:45（北京时间）之后再试。');
    expect((await signIn(agent, 'analyst', 'demo-analyst-2026')).status).toBe(303);
  });

  it('refuses a disabled account', async () => {
    const user = t.store.accounts.findUser('enterprise')!;
    t.store.accounts.disableUser(user.id, { label: 'test', userId: null, orgId: null });
    const res = await signIn(request.agent(t.app), 'enterprise', 'demo-enterprise-2026');
    expect(res.status).toBe(401);
    expect(visibleText(res.text)).toContain('该账户已停用：请联系管理员。');
  });

  it('never sends the user elsewhere after signing in', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/logout', '/\\evil']) {
      const res = await signIn(request.agent(t.app), 'analyst', 'demo-analyst-2026', next);
      expect(res.headers.location).toBe('/');
    }
  });

  it('refuses a sign-in post without the form token (403)', async () => {
    const res = await request(t.app)
      .post('/login')
      .type('form')
      .send({ username: 'analyst', password: 'demo-analyst-2026' });
    expect(res.status).toBe(403);
    expect(cookieNamed(res, 'fm_session')).toBeUndefined();
  });

  it('signs out after a confirmation; the session no longer works', async () => {
    const agent = request.agent(t.app);
    await signIn(agent, 'approver', 'demo-approver-2026');
    const confirm = await agent.get('/logout').set('Cookie', 'lang=en');
    expect(visibleText(confirm.text)).toContain('Sign out approver?');
    const _csrf = inputValue(confirm.text, '_csrf')!;
    const out = await agent.post('/logout').type('form').send({ _csrf }).redirects(0);
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect((await agent.get('/').redirects(0)).status).toBe(303);
  });
});

describe('the demo accounts on the sign-in page', () => {
  it('lists every demo account with its password while the demo data is in use', async () => {
    const page = await request(t.app).get('/login').set('Cookie', 'lang=en');
    const rows = visibleText(section(page.text, 'div', 'demo-accounts'));
    for (const u of ['analyst', 'approver', 'enterprise', 'auditor', 'admin'])
      expect(rows).toContain(`${u} demo-${u}-2026`);
  });

  it('stops listing an account whose password was changed or that was disabled', async () => {
    const { store } = t;
    const by = { label: 'test', userId: null, orgId: null };
    store.accounts.resetPassword(store.accounts.findUser('admin')!.id, '$argon2id$v=19$x', by);
    store.accounts.disableUser(store.accounts.findUser('auditor')!.id, by);
    const rows = visibleText(
      section((await request(t.app).get('/login')).text, 'div', 'demo-accounts'),
    );
    expect(rows).toContain('demo-analyst-2026');
    expect(rows).not.toContain('demo-admin-2026');
    expect(rows).not.toContain('demo-auditor-2026');
  });

  it('lists none on a database without the demo accounts', async () => {
    const bare = makeApp({ as: null, demo: false });
    bare.store.db.exec('DELETE FROM user_roles; DELETE FROM users');
    const page = await request(bare.app).get('/login');
    expect(page.text).not.toContain('demo-accounts');
    expect(page.text).not.toContain('demo-analyst-2026');
  });
});

describe('the API without credentials', () => {
  it('answers 401 with a Bearer challenge, and 401 for a token that is not one', async () => {
    const res = await request(t.app).get('/api/v1/projects');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body.error.code).toBe('unauthenticated');
    const bad = await request(t.app)
      .get('/api/v1/projects')
      .set('Authorization', 'Bearer fmx_not-a-real-token');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('sign-in-failed');
    const basic = await request(t.app).get('/api/v1/projects').set('Authorization', 'Basic abc');
    expect(basic.status).toBe(401);
  });
});
