import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { createStore, migrate, openDatabase, seedDemoIfEmpty, type Store } from '../../src/store';
import { createApp } from '../../src/web/app';
import { DEMO_DIR, FIXED_NOW, signedInAs } from './support/app';

/**
 * Pages are rebuilt when a write within what they show lands, not on every write (issue 8,
 * defect 7: under 40 saves a second every page was rebuilt on every save). The fiscal page, a
 * page with a form, is cached too, with each browser's own CSRF token put in.
 */
describe('page scopes', () => {
  let store: Store;
  let app: ReturnType<typeof createApp>;
  let builds: string[];

  beforeEach(() => {
    const db = openDatabase(':memory:');
    migrate(db);
    store = createStore(db, {
      clock: () => FIXED_NOW,
      engine: { simulate, version: ENGINE_VERSION },
    });
    seedDemoIfEmpty(store, DEMO_DIR);
    builds = [];
    // The key is viewer, language, unit, path, parameters: keep the path.
    app = signedInAs(
      createApp({
        store,
        clock: () => FIXED_NOW,
        logger: pino({ level: 'silent' }),
        csrfSecret: 'test-secret-test-secret-test-secret',
        pageCache: { onBuild: (key) => builds.push(key.split('\u0000')[3]!) },
      }),
      store,
      'approver',
    );
  });

  const example = (name: string) =>
    JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'data', 'examples', name), 'utf8'),
    ) as Record<string, unknown> & { scenario: Record<string, unknown> };

  const saveOutside = async (n: number) => {
    const file = example('smart-parking-concession.json');
    const body = { ...file, scenario: { ...file.scenario, name: `Outside ${n}` } };
    const path = n === 0 ? '/api/v1/projects' : '/api/v1/projects/DEMO-SMART-PARKING/scenarios';
    await request(app).post(path).send(body).expect(201);
  };

  const portfolioId = () => store.portfolios.list()[0]!.id;
  const memberScenario = () => store.portfolios.list()[0]!.members[0]!.scenarioId;

  it('keeps the dashboard, fiscal and a member results page through saves outside every portfolio', async () => {
    const pages = ['/', `/portfolios/${portfolioId()}/fiscal`, `/scenarios/${memberScenario()}`];
    for (const p of pages) await request(app).get(p).expect(200);
    expect(builds.sort()).toEqual([...pages].map((p) => p.split('?')[0]!).sort());
    builds = [];
    for (let n = 0; n < 3; n++) await saveOutside(n);
    for (const p of pages) await request(app).get(p).expect(200);
    expect(builds).toEqual([]);
    // The projects list does show the new project: it is rebuilt.
    const list = await request(app).get('/projects').expect(200);
    expect(list.text).toContain('DEMO-SMART-PARKING');
  });

  it('rebuilds them after a save in a portfolio project, and shows it', async () => {
    const id = memberScenario();
    await request(app).get('/').expect(200);
    await request(app).get(`/scenarios/${id}`).expect(200);
    builds = [];
    const version = store.scenarios.version(store.scenarios.getById(id).currentVersionId);
    const inputs = JSON.parse(version.inputsJson) as { scenario: { description?: string } };
    inputs.scenario.description = 'Changed while cached';
    await request(app)
      .post(`/api/v1/projects/${version.projectCode}/scenarios`)
      .send(inputs)
      .expect(201);
    await request(app).get('/').expect(200);
    const page = await request(app).get(`/scenarios/${id}`).expect(200);
    expect(builds.sort()).toEqual(['/', `/scenarios/${id}`]);
    expect(page.text).toContain('Changed while cached');
  });

  it('serves the cached fiscal page with each browser its own working CSRF token', async () => {
    const portfolio = store.portfolios.list()[0]!;
    const [code, other] = portfolio.members
      .map((m) => [m.projectCode, store.scenarios.list({ projectCode: m.projectCode })] as const)
      .map(
        ([c, list]) =>
          [c, list.find((s) => !portfolio.members.some((m) => m.scenarioId === s.id))] as const,
      )
      .find(([, s]) => s !== undefined)!;
    const url = `/portfolios/${portfolio.id}/fiscal`;
    const whatIf = `${url}?switch=${encodeURIComponent(`${code}=${other!.id}`)}`;
    const alice = request.agent(app);
    const bob = request.agent(app);
    const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const a = await alice.get(whatIf).expect(200);
    const b = await bob.get(whatIf).expect(200);
    expect(builds).toEqual([url]);
    expect(a.headers['cache-control']).toBe('private, no-store');
    const [ta, tb] = [tokenOf(a.text), tokenOf(b.text)];
    expect(ta).toBeDefined();
    expect(tb).toBeDefined();
    expect(ta).not.toEqual(tb);
    expect(a.text).not.toContain('fundmix-csrf-slot');
    const base = /name="base" value="([^"]+)"/.exec(a.text)?.[1];
    const form = { base, switch: `${code}=${other!.id}` };
    // Bob's token is not Alice's; Alice's own token from the cached page saves her what-if.
    await alice
      .post(`${url}/selection`)
      .type('form')
      .send({ ...form, _csrf: tb })
      .expect(403);
    const saved = await alice
      .post(`${url}/selection`)
      .type('form')
      .send({ ...form, _csrf: ta });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${url}?saved=1`);
    expect(
      store.portfolios.get(portfolio.id).members.find((m) => m.projectCode === code)!.scenarioId,
    ).toBe(other!.id);
  });
});
