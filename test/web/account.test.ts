import request from 'supertest';
import { makeApp, type TestApp } from './support/app';
import { inputValue, section, visibleText } from './support/html';

let t: TestApp;
beforeEach(() => {
  t = makeApp({ as: 'analyst' });
});

async function formToken(agent: ReturnType<typeof request.agent>): Promise<string> {
  return inputValue((await agent.get('/account')).text, '_csrf')!;
}

describe('my account: personal access tokens', () => {
  it('makes a read-only token, shows it once, and the API takes it for reads but not writes', async () => {
    const agent = request.agent(t.app);
    const _csrf = await formToken(agent);
    const made = await agent
      .post('/account/tokens')
      .set('Cookie', 'lang=en')
      .type('form')
      .send({ _csrf, name: 'reports script', readOnly: 'on' });
    expect(made.status).toBe(201);
    expect(made.headers['cache-control']).toBe('private, no-store');
    const token = /data-token>(fmx_[A-Za-z0-9_-]{43})</.exec(made.text)![1]!;
    expect(visibleText(section(made.text, 'div', 'token-created'))).toContain(
      'Token “reports script” made Copy it now: it is not shown again.',
    );
    // Listed without the token itself.
    const page = await agent.get('/account').set('Cookie', 'lang=en');
    expect(page.text).not.toContain(token);
    expect(visibleText(section(page.text, 'table', 'tokens'))).toContain(
      'reports script read only',
    );

    const read = await request(t.app)
      .get('/api/v1/projects')
      .set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(200);
    const write = await request(t.app)
      .post('/api/v1/simulate')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(write.status).toBe(422); // simulating writes nothing: a read-only token may
    const save = await request(t.app)
      .post('/api/v1/projects/SC-WATER/scenarios')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(save.status).toBe(403);
    expect(save.body.error.message).toBe(
      'analyst may not do this (scenario.write). The access token is read-only.',
    );
  });

  it('revokes a token: it stops working at once', async () => {
    const agent = request.agent(t.app);
    // The form token first: the agent sends the cookies it has when the post is made.
    const _csrf = await formToken(agent);
    const made = await agent.post('/account/tokens').type('form').send({ _csrf, name: 'ci' });
    const token = /data-token>(fmx_[A-Za-z0-9_-]{43})</.exec(made.text)![1]!;
    const bearer = () =>
      request(t.app).get('/api/v1/projects').set('Authorization', `Bearer ${token}`);
    expect((await bearer()).status).toBe(200);
    const id = t.store.accounts.listTokens(t.store.accounts.findUser('analyst')!.id)[0]!.id;
    const revoked = await agent.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf });
    expect(revoked.status).toBe(200);
    expect(visibleText(revoked.text)).toContain('令牌已吊销，不再有效。');
    expect((await bearer()).status).toBe(401);
  });

  it("answers 404 for another user's token and keeps a refused name as typed (422)", async () => {
    const other = t.store.accounts.findUser('approver')!;
    const row = t.store.accounts.addToken(
      { userId: other.id, name: 'theirs', tokenHash: 'a'.repeat(64), readOnly: false },
      { label: 'test', userId: null, orgId: null },
    );
    const agent = request.agent(t.app);
    const _csrf = await formToken(agent);
    const refused = await agent
      .post(`/account/tokens/${row.id}/revoke`)
      .type('form')
      .send({ _csrf });
    expect(refused.status).toBe(404);
    expect(t.store.accounts.getToken(row.id).revoked_at).toBeNull();
    const long = 'x'.repeat(101);
    const bad = await agent.post('/account/tokens').type('form').send({ _csrf, name: long });
    expect(bad.status).toBe(422);
    expect(inputValue(bad.text, 'name')).toBe(long);
  });
});
