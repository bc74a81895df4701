import request from 'supertest';
import { makeApp, type TestApp } from './support/app';
import { smallInput } from '../helpers/scenarios';

let t: TestApp;
beforeEach(() => {
  t = makeApp({ demo: false });
});

const json = (method: 'post', url: string, body: unknown) =>
  request(t.app)[method](url).set('Content-Type', 'application/json').send(JSON.stringify(body));

describe('/api/v1', () => {
  it('creates a project from a scenario file (201), lists and gets it', async () => {
    const res = await json('post', '/api/v1/projects?author=api-user&comment=import', smallInput());
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/api/v1/projects/T-SMALL');
    expect(res.body.project).toMatchObject({ code: 'T-SMALL', name: 'Small test project' });
    // The author is the signed-in user: `?author=` no longer decides who acted (issue 10).
    expect(res.body.version).toMatchObject({ versionNo: 1, author: 'approver', comment: 'import' });
    expect(res.body.version.inputs.capex.scheduleYuan).toEqual(['1000000']);
    expect(res.body.version).not.toHaveProperty('inputsJson');

    const list = await request(t.app).get('/api/v1/projects');
    expect(list.status).toBe(200);
    expect(list.body.projects.map((p: { code: string }) => p.code)).toEqual(['T-SMALL']);
    const one = await request(t.app).get('/api/v1/projects/T-SMALL');
    expect(one.body.scenarios).toHaveLength(1);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a second project with the same code (409)', async () => {
    await json('post', '/api/v1/projects', smallInput());
    const res = await json('post', '/api/v1/projects', smallInput());
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('project-exists');
  });

  it('saves scenario files as versions: 201 for a new version, 200 when nothing changed', async () => {
    await json('post', '/api/v1/projects', smallInput());
    const v2 = await json(
      'post',
      '/api/v1/projects/T-SMALL/scenarios',
      smallInput((s) => (s.operatingCost.annualYuan = '310000')),
    );
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ created: true, version: { versionNo: 2, author: 'approver' } });
    const same = await json(
      'post',
      '/api/v1/projects/T-SMALL/scenarios',
      smallInput((s) => (s.operatingCost.annualYuan = '310000')),
    );
    expect(same.status).toBe(200);
    expect(same.body.created).toBe(false);

    const scenarioId = v2.body.scenario.id as number;
    const scenarios = await request(t.app).get('/api/v1/projects/T-SMALL/scenarios');
    expect(scenarios.body.scenarios.map((s: { id: number }) => s.id)).toEqual([scenarioId]);
    const versions = await request(t.app).get(`/api/v1/scenarios/${scenarioId}/versions`);
    expect(versions.body.versions.map((v: { versionNo: number }) => v.versionNo)).toEqual([1, 2]);
    const version = await request(t.app).get(`/api/v1/versions/${v2.body.version.id}`);
    expect(version.body.version.inputs.operatingCost.annualYuan).toBe('310000');
    const scenario = await request(t.app).get(`/api/v1/scenarios/${scenarioId}`);
    expect(scenario.body.scenario.currentVersionNo).toBe(2);
  });

  it('serves the result of a stored version with decimal strings', async () => {
    const created = await json('post', '/api/v1/projects', smallInput());
    const res = await request(t.app).get(`/api/v1/versions/${created.body.version.id}/result`);
    expect(res.status).toBe(200);
    expect(res.body.result.metrics.totalInvestment).toBe('1000000');
    expect(res.body.result.ledger).toHaveLength(3);
  });

  it('simulates without saving', async () => {
    const accounts = t.store.audit.count(); // the demo organisations and users
    const res = await json('post', '/api/v1/simulate', smallInput());
    expect(res.status).toBe(200);
    expect(res.body.result.metrics.totalInvestment).toBe('1000000');
    expect(typeof res.body.result.ledger[0].capex).toBe('string');
    expect(t.store.audit.count()).toBe(accounts);
  });

  it('answers 422 with every field path, as the forms do', async () => {
    const res = await json(
      'post',
      '/api/v1/simulate',
      smallInput((s) => {
        s.capex.scheduleYuan = ['1,000'];
        (s as Record<string, unknown>).surprise = 1;
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid-input');
    expect(res.body.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'capex.scheduleYuan[0]', message: expect.stringMatching(/plain decimal number/) },
        { path: '', message: 'Unknown field(s): surprise' },
      ]),
    );
  });

  it('refuses a file for another project on a project URL (422)', async () => {
    await json('post', '/api/v1/projects', smallInput());
    const res = await json(
      'post',
      '/api/v1/projects/T-SMALL/scenarios',
      smallInput((s) => (s.project.code = 'T-OTHER')),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([
      { path: 'project.code', message: 'The file is for project T-OTHER, not T-SMALL' },
    ]);
  });

  it('answers 400 for malformed JSON and 415 for bodies that are not JSON (no cross-site forms)', async () => {
    const accounts = t.store.audit.count(); // the demo organisations and users
    const bad = await request(t.app)
      .post('/api/v1/simulate')
      .set('Content-Type', 'application/json')
      .send('{"format":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid-json');
    const form = await request(t.app)
      .post('/api/v1/projects')
      .type('form')
      .send('format=fundmix-scenario%401');
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('unsupported-media-type');
    const text = await request(t.app)
      .post('/api/v1/projects')
      .set('Content-Type', 'text/plain')
      .send('{}');
    expect(text.status).toBe(415);
    expect(t.store.audit.count()).toBe(accounts);
  });

  describe('POST /versions/:id/restore', () => {
    const restore = (id: number | string, query = '', body: unknown = {}) =>
      json('post', `/api/v1/versions/${id}/restore${query}`, body);
    let ids: number[];
    beforeEach(async () => {
      await json('post', '/api/v1/projects', smallInput());
      await json(
        'post',
        '/api/v1/projects/T-SMALL/scenarios',
        smallInput((s) => (s.operatingCost.annualYuan = '310000')),
      );
      ids = t.store.scenarios
        .versions(t.store.scenarios.get('T-SMALL', 'base').id)
        .map((v) => v.id);
    });

    it('saves the old inputs byte for byte as a new version (201), keeps the old ones, records author and comment', async () => {
      const [v1, v2] = ids as [number, number];
      const before = ids.map((id) => t.store.scenarios.version(id));
      const res = await restore(v1, '?author=auditor&comment=back%20to%20v1');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        created: true,
        restoredFromVersionId: v1,
        version: { versionNo: 3, author: 'approver', comment: 'back to v1', restoredFromId: v1 },
      });
      expect(res.headers.location).toBe(`/api/v1/versions/${res.body.version.id}`);
      const stored = t.store.scenarios.version(res.body.version.id as number);
      expect(stored.inputsJson).toBe(before[0]!.inputsJson);
      expect(stored.inputsHash).toBe(before[0]!.inputsHash);
      expect([v1, v2].map((id) => t.store.scenarios.version(id))).toEqual(before);
      expect(
        t.store.audit.list({ entity: 'scenario-version', entityId: stored.id, limit: 1 })[0],
      ).toMatchObject({ action: 'restore', actor: 'approver' });
    });

    it('records the signed-in user and says where the version came from; 200 when nothing would change', async () => {
      const first = await restore(ids[0]!);
      expect(first.body.version).toMatchObject({
        author: 'approver',
        comment: 'Restored version 1',
      });
      const again = await restore(ids[0]!);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ created: false, version: { versionNo: 3 } });
    });

    it('answers 404 for unknown ids, 415 without a JSON body, 400 for a body that is not an object, 422 for fields in it', async () => {
      const audit = t.store.audit.count();
      for (const id of [999, 'x']) {
        const res = await restore(id);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not-found');
      }
      expect((await request(t.app).post(`/api/v1/versions/${ids[0]}/restore`)).status).toBe(415);
      expect(
        (
          await request(t.app)
            .post(`/api/v1/versions/${ids[0]}/restore`)
            .type('form')
            .send('author=x')
        ).status,
      ).toBe(415);
      expect((await restore(ids[0]!, '', [])).status).toBe(400);
      const fields = await restore(ids[0]!, '', { author: 'x' });
      expect(fields.status).toBe(422);
      expect(fields.body.error.issues).toEqual([{ path: '', message: 'Unknown field(s): author' }]);
      expect(t.store.audit.count()).toBe(audit);
    });

    it('answers 409 for a deleted scenario', async () => {
      t.store.scenarios.delete('T-SMALL', 'base', 'test');
      const res = await restore(ids[0]!);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('scenario-deleted');
    });
  });

  it.each([
    ['/api/v1/projects/NOPE', 'not-found'],
    ['/api/v1/scenarios/999', 'not-found'],
    ['/api/v1/scenarios/x/versions', 'not-found'],
    ['/api/v1/versions/999', 'not-found'],
    ['/api/v1/versions/999/result', 'not-found'],
    ['/api/v1/nothing-here', 'not-found'],
  ])('answers 404 as JSON for %s', async (url, code) => {
    const res = await request(t.app).get(url);
    expect(res.status).toBe(404);
    expect(res.type).toBe('application/json');
    expect(res.body.error.code).toBe(code);
  });
});

describe('ownership of equity sources over the API (issue 9, item 10)', () => {
  const privateShare = async (versionId: number) => {
    const res = await request(t.app).get(`/api/v1/versions/${versionId}/checklist`);
    expect(res.status).toBe(200);
    const rows = res.body.checklist.rows as Array<{
      ruleId: string;
      status: string;
      figure: string;
    }>;
    const r = rows.find((x) => x.ruleId === 'nm2023-private-share')!;
    return [r.status, r.figure];
  };

  it('counts only equity declared private: 400,000 of 400,000 declared, 0 undeclared', async () => {
    const undeclared = await json('post', '/api/v1/projects', smallInput());
    expect(undeclared.status).toBe(201);
    expect(await privateShare(undeclared.body.version.id)).toEqual(['fail', '0.00 % (> 50.00 %)']);
    const declared = await json(
      'post',
      '/api/v1/projects/T-SMALL/scenarios',
      smallInput((s) => (s.funding.sources[0]!.ownership = 'private')),
    );
    expect(declared.status).toBe(201);
    expect(declared.body.version.inputs.funding.sources[0].ownership).toBe('private');
    expect(await privateShare(declared.body.version.id)).toEqual(['pass', '100.00 % (> 50.00 %)']);
  });

  it('refuses ownership on a loan with 422 at its path and saves nothing', async () => {
    const res = await json(
      'post',
      '/api/v1/projects',
      smallInput((s) => (s.funding.sources[1]!.ownership = 'private')),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toEqual([
      {
        path: 'funding.sources[1].ownership',
        message: 'A bank-loan source is not equity and has no ownership: leave ownership out',
      },
    ]);
    expect(t.store.projects.list()).toHaveLength(0);
  });
});
