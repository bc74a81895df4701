import request from 'supertest';
import { simulate } from '../../src/domain/engine/simulate';
import { sensitivity } from '../../src/domain/risk/sensitivity';
import { defaultSpec } from '../../src/domain/risk/spec';
import { parseScenario } from '../../src/domain/scenario/parse';
import { formatPercent } from '../../src/web/format/number';
import { makeApp, type TestApp } from './support/app';
import { inputValue } from './support/html';

let t: TestApp;
let scenarioId: number;
let scenario: ReturnType<typeof parseScenario>;

beforeAll(() => {
  t = makeApp({ as: 'analyst' });
  const s = t.store.scenarios.list({ projectCode: 'SC-WATER' })[0]!;
  scenarioId = s.id;
  scenario = parseScenario(t.store.scenarios.current(s.id).inputs);
});

describe('the Risk page', () => {
  it('shows the tornado ranked by swing, the scenario value, the data table and the Monte Carlo form', async () => {
    const res = await request(t.app)
      .get(`/scenarios/${scenarioId}/risk?metric=projectIrr`)
      .set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    const expected = sensitivity(scenario, 'projectIrr');
    const base = simulate(scenario).metrics.projectIrr.rate!;
    expect(res.text).toContain(
      `<strong id="risk-base">${formatPercent(base, 'en', { dp: 2 })}</strong>`,
    );
    const order = [...res.text.matchAll(/<tr data-driver="([^"]+)">/g)].map((m) => m[1]);
    expect(order).toEqual(expected.drivers.map((d) => d.driver));
    expect(res.text).toContain('id="data-table"');
    expect(res.text).toContain('name="trials" value="10000"');
    expect(res.text).toContain('&quot;format&quot;: &quot;fundmix-risk@1&quot;');
  });

  it('answers the break-even form with the value and the metric reached', async () => {
    const res = await request(t.app)
      .get(`/scenarios/${scenarioId}/risk?solveFor=revenue&target=projectIrr&value=0.05`)
      .set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /id="solve-answer" class="notice notice-ok">Revenue at ×[\d.]+ gives 5\.00%/,
    );
  });

  it('keeps a bad break-even value and says which field is wrong', async () => {
    const res = await request(t.app)
      .get(`/scenarios/${scenarioId}/risk?solveFor=revenue&target=projectIrr&value=eight`)
      .set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<code>value</code>');
    expect(res.text).toContain('name="value" value="eight"');
  });

  it('refuses a bad spec with 422, naming its field and keeping what was typed', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get(`/scenarios/${scenarioId}/risk`);
    const spec =
      '{"format":"fundmix-risk@1","drivers":[{"driver":"capex","distribution":{"kind":"uniform","min":1.2,"max":0.9}}]}';
    const res = await agent
      .post(`/scenarios/${scenarioId}/risk/montecarlo`)
      .type('form')
      .send({ _csrf: inputValue(page.text, '_csrf')!, trials: '100', seed: '3', spec });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<code>spec.drivers[0].distribution.max</code>');
    expect(res.text).toContain('name="trials" value="100"');
    expect(t.store.db.prepare('SELECT COUNT(*) FROM risk_runs').pluck().get()).toBe(0);
  });
});

describe('the Monte Carlo form’s revenue path', () => {
  it('offers the fieldset in both languages, none chosen by default', async () => {
    const en = await request(t.app).get(`/scenarios/${scenarioId}/risk`).set('Cookie', 'lang=en');
    expect(en.text).toContain('<legend>Revenue path by year (optional)</legend>');
    expect(en.text).toContain('<option value="" selected>None</option>');
    expect(en.text).toContain('name="pathSd" value="0.05"');
    const zh = await request(t.app).get(`/scenarios/${scenarioId}/risk`).set('Cookie', 'lang=zh');
    expect(zh.text).toContain('<legend>逐年收入路径（可选）</legend>');
    expect(zh.text).toContain('<option value="random-walk">随机游走</option>');
  });

  it.each([
    ['random-walk', '0.9', '', 'pathSd'],
    ['ar1', '0.1', '1', 'pathPhi'],
    ['ar1', 'a lot', '0.5', 'pathSd'],
  ])(
    'refuses model %s, sd %s, phi %s with 422 at %s, keeping what was typed',
    async (model, sd, phi, field) => {
      const agent = request.agent(t.app);
      const page = await agent.get(`/scenarios/${scenarioId}/risk`);
      const res = await agent
        .post(`/scenarios/${scenarioId}/risk/montecarlo`)
        .type('form')
        .set('Cookie', 'lang=en')
        .send({
          _csrf: inputValue(page.text, '_csrf')!,
          trials: '20',
          seed: '3',
          spec: '',
          pathModel: model,
          pathSd: sd,
          pathPhi: phi,
        });
      expect(res.status).toBe(422);
      expect(res.text).toContain(`<code>${field}</code>`);
      expect(res.text).toContain(`name="pathSd" value="${sd}"`);
      expect(res.text).toContain(`<option value="${model}" selected>`);
      expect(t.store.db.prepare('SELECT COUNT(*) FROM risk_runs').pluck().get()).toBe(0);
    },
  );

  it('a chosen path joins the default spec when none is typed, and the run records it', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get(`/scenarios/${scenarioId}/risk`);
    const res = await agent
      .post(`/scenarios/${scenarioId}/risk/montecarlo`)
      .type('form')
      .send({
        _csrf: inputValue(page.text, '_csrf')!,
        trials: '12',
        seed: '8',
        spec: '',
        pathModel: 'ar1',
        pathSd: '0.05',
        pathPhi: '0.5',
      });
    expect(res.status).toBe(303);
    const jobId = res.headers.location!.split('/').pop()!;
    let body = (await agent.get(`/api/v1/risk-jobs/${jobId}`)).body;
    for (let i = 0; i < 600 && body.job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = (await agent.get(`/api/v1/risk-jobs/${jobId}`)).body;
    }
    expect(body.job.state).toBe('done');
    const run = (await agent.get(`/api/v1/risk-runs/${body.run.id}`)).body;
    expect(run.spec.paths).toEqual([
      { driver: 'revenue', model: 'ar1', sd: 0.05, phi: 0.5, start: 1 },
    ]);
    expect(run.spec.drivers.map((d: { driver: string }) => d.driver)).toEqual(
      defaultSpec(scenario).drivers.map((d) => d.driver),
    );
  }, 120_000);
});

describe('the risk API and a recorded Monte Carlo run', () => {
  it('sensitivity and solve give the keys scripts rely on', async () => {
    const s = await request(t.app).get(
      `/api/v1/scenarios/${scenarioId}/risk/sensitivity?metric=projectNpv`,
    );
    expect(s.status).toBe(200);
    expect(s.body.base).toBe(simulate(scenario).metrics.projectNpv.toString());
    const bad = await request(t.app).get(
      `/api/v1/scenarios/${scenarioId}/risk/solve?driver=weather&metric=projectNpv&target=0`,
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe('driver');
  });

  it('runs, records, answers a repeat from the record, and an auditor-style re-run reproduces it', async () => {
    const body = {
      trials: 300,
      seed: 11,
      spec: {
        format: 'fundmix-risk@1',
        drivers: [
          { driver: 'revenue', distribution: { kind: 'triangular', min: 0.8, mode: 1, max: 1.1 } },
        ],
      },
    };
    const started = await request(t.app)
      .post(`/api/v1/scenarios/${scenarioId}/risk/montecarlo`)
      .send(body);
    expect(started.status).toBe(202);
    let job = started.body.job as { id: string; state: string };
    for (let i = 0; i < 600 && job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await request(t.app).get(`/api/v1/risk-jobs/${job.id}`)).body.job;
    }
    expect(job.state).toBe('done');
    const runId = (await request(t.app).get(`/api/v1/risk-jobs/${job.id}`)).body.run.id as number;
    const run = await request(t.app).get(`/api/v1/risk-runs/${runId}`);
    expect(run.body).toMatchObject({ trials: 300, seed: 11, engineVersion: expect.any(String) });
    expect(run.body.summary.metrics.projectNpv.count).toBe(300);
    const again = await request(t.app)
      .post(`/api/v1/scenarios/${scenarioId}/risk/montecarlo`)
      .send(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ cached: true, run: { id: runId } });
    const rerun = await request(t.app).get(`/api/v1/risk-runs/${runId}/rerun`);
    expect(rerun.body).toMatchObject({ reproduced: true, summaryHash: run.body.summaryHash });
    const page = await request(t.app).get(`/risk-runs/${runId}`).set('Cookie', 'lang=zh');
    expect(page.status).toBe(200);
    expect(page.text).toContain('蒙特卡洛运行');
    expect(page.text).toContain(run.body.summaryHash);
    const audit = t.store.db
      .prepare("SELECT actor FROM audit_log WHERE entity = 'risk-run' AND entity_id = ?")
      .pluck()
      .all(runId);
    expect(audit).toEqual(['analyst']);
  }, 120_000);

  it('refuses a bad revenue path in the spec with 422 at its field path', async () => {
    const res = await request(t.app)
      .post(`/api/v1/scenarios/${scenarioId}/risk/montecarlo`)
      .send({
        trials: 10,
        seed: 1,
        spec: {
          format: 'fundmix-risk@1',
          drivers: [{ driver: 'revenue', distribution: { kind: 'uniform', min: 0.9, max: 1.1 } }],
          paths: [{ driver: 'revenue', model: 'ar1', sd: 0.1, phi: 1.5 }],
        },
      });
    expect(res.status).toBe(422);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      'spec.paths[0].phi',
    ]);
  });

  it("another user cannot follow or cancel someone else's job", async () => {
    const other = makeApp({ as: 'approver' });
    const res = await request(other.app).get(
      '/api/v1/risk-jobs/00000000-0000-0000-0000-000000000000',
    );
    expect(res.status).toBe(404);
  });
});

afterAll(async () => {
  const { testRiskRunner } = await import('./support/app');
  await testRiskRunner().close();
});
