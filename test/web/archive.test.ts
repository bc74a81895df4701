import request from 'supertest';
import { makeApp, type TestApp } from './support/app';
import { inputValue, section, visibleText } from './support/html';

/** Archiving trial scenarios and projects through the API (issue 12): never a delete. */
let t: TestApp;
beforeEach(() => {
  t = makeApp({ as: 'analyst' });
});
const post = (url: string) =>
  request(t.app).post(url).set('Content-Type', 'application/json').send('{}');

/** A demo scenario no live portfolio selects. */
function freeScenario() {
  const inUse = new Set(
    t.store.portfolios.list().flatMap((p) => p.members.map((m) => m.scenarioId)),
  );
  return t.store.scenarios.list().find((s) => !inUse.has(s.id))!;
}

describe('scenario archive', () => {
  it('archives: it leaves the lists, stays readable, cannot be a new member; restore brings it back; audited', async () => {
    const s = freeScenario();
    const res = await post(`/api/v1/scenarios/${s.id}/archive`);
    expect(res.status).toBe(200);
    expect(res.body.scenario.deletedAt).toBe('2026-05-04T08:30:00.000Z');
    const listed = await request(t.app).get(`/api/v1/projects/${s.projectCode}/scenarios`);
    expect(listed.body.scenarios.map((x: { id: number }) => x.id)).not.toContain(s.id);
    expect((await request(t.app).get(`/api/v1/scenarios/${s.id}`)).status).toBe(200);
    const member = await request(t.app)
      .post('/api/v1/portfolios')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'N', members: [{ project: s.projectCode, scenario: s.id }] }));
    expect(member.status).toBe(422);
    expect(member.body.error.issues).toEqual([
      {
        path: 'members[0].scenario',
        message: `Scenario "${s.name}" of project ${s.projectCode} is archived: it cannot be chosen`,
      },
    ]);
    const entry = t.store.audit.list({ entity: 'scenario', entityId: s.id, limit: 1 })[0]!;
    expect([entry.action, entry.actor]).toEqual(['delete', 'analyst']);
    expect((await post(`/api/v1/scenarios/${s.id}/restore`)).status).toBe(200);
    expect(t.store.scenarios.getById(s.id).deletedAt).toBeNull();
  });

  it('a scenario a live portfolio selects is refused with 409; the auditor is refused with 403', async () => {
    const inUse = t.store.portfolios.list()[0]!.members[0]!.scenarioId;
    expect((await post(`/api/v1/scenarios/${inUse}/archive`)).status).toBe(409);
    const aud = makeApp({ as: 'auditor' });
    const s = aud.store.scenarios.list()[0]!;
    const res = await request(aud.app)
      .post(`/api/v1/scenarios/${s.id}/archive`)
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(res.status).toBe(403);
  });
});

describe('project archive', () => {
  it('a project in a live portfolio is refused (409); once free it is archived and restored', async () => {
    expect((await post('/api/v1/projects/SC-WATER/archive')).status).toBe(409);
    for (const p of t.store.portfolios.list())
      if (p.members.some((m) => m.projectCode === 'SC-WATER'))
        t.store.portfolios.removeMember(p.id, 'SC-WATER', 'analyst');
    const res = await post('/api/v1/projects/SC-WATER/archive');
    expect(res.status).toBe(200);
    const list = await request(t.app).get('/api/v1/projects');
    expect(list.body.projects.map((p: { code: string }) => p.code)).not.toContain('SC-WATER');
    expect((await post('/api/v1/projects/SC-WATER/restore')).status).toBe(200);
  });
});

describe('the project page', () => {
  it('archives a scenario with its form (CSRF), lists it under archived scenarios (en, zh) and restores it', async () => {
    const s = freeScenario();
    const agent = request.agent(t.app);
    const shown = await agent.get(`/projects/${s.projectCode}`).set('Cookie', 'lang=en');
    expect(shown.status).toBe(200);
    const _csrf = inputValue(shown.text, '_csrf')!;
    const done = await agent.post(`/scenarios/${s.id}/archive`).type('form').send({ _csrf });
    expect([done.status, done.headers.location]).toEqual([303, `/projects/${s.projectCode}`]);
    const after = await agent.get(`/projects/${s.projectCode}`).set('Cookie', 'lang=en');
    expect(visibleText(section(after.text, 'ul', 'archived-scenarios'))).toBe(`${s.name} Restore`);
    const zh = await agent.get(`/projects/${s.projectCode}`).set('Cookie', 'lang=zh');
    expect(visibleText(zh.text)).toContain('已归档的方案');
    expect((await agent.get(`/scenarios/${s.id}`)).status).toBe(200);
    const forged = await agent.post(`/scenarios/${s.id}/restore`).type('form').send({ _csrf: 'x' });
    expect(forged.status).toBe(403);
    expect(t.store.scenarios.getById(s.id).deletedAt).not.toBeNull();
    await agent.post(`/scenarios/${s.id}/restore`).type('form').send({ _csrf });
    expect(t.store.scenarios.getById(s.id).deletedAt).toBeNull();
  });
});
