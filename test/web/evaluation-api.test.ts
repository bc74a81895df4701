import request from 'supertest';
import { makeApp, type TestApp } from './support/app';
import { DEMO_CITY } from './support/accounts';
import { scenarioInput } from '../store/helpers/fixtures';

/** The evaluation API (issue 12): bodies checked with 422 naming the field path. */
let t: TestApp;
const city = encodeURIComponent(DEMO_CITY);
const put = (url: string, body: unknown) =>
  request(t.app).put(url).set('Content-Type', 'application/json').send(JSON.stringify(body));

const SYSTEM = {
  indicators: [
    {
      code: 'SV',
      nameZh: '服务',
      nameEn: 'Services',
      weightPercent: '80',
      children: [
        {
          code: 'A',
          nameZh: '甲',
          nameEn: 'A',
          weightPercent: '100',
          method: { kind: 'linear', zeroAt: '0', fullAt: '200' },
        },
      ],
    },
    {
      code: 'G',
      nameZh: '创新',
      nameEn: 'Innovation',
      weightPercent: '20',
      children: [
        { code: 'Y', nameZh: '乙', nameEn: 'Y', weightPercent: '100', method: { kind: 'yes-no' } },
      ],
    },
  ],
};

beforeEach(() => {
  t = makeApp({ demo: false, as: 'analyst' });
  t.store.scenarios.save(
    scenarioInput('P-001', 'Base case', (s) => (s.project.jurisdiction = DEMO_CITY)),
    { actor: 'setup' },
  );
});

describe('the evaluation API', () => {
  it('serves the editable defaults, then each saved version', async () => {
    const before = await request(t.app).get(`/api/v1/jurisdictions/${city}/evaluation-system`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ source: 'defaults', versionNo: null, versions: [] });
    expect(before.body.system.indicators).toHaveLength(9);
    const saved = await put(`/api/v1/jurisdictions/${city}/evaluation-system`, {
      ...SYSTEM,
      comment: 'pilot',
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ source: 'jurisdiction', versionNo: 1, author: 'analyst' });
    expect(saved.body.system).toEqual(SYSTEM);
  });

  it('answers 422 naming the field path, writing nothing', async () => {
    const bad = structuredClone(SYSTEM);
    bad.indicators[1]!.weightPercent = '25';
    (bad.indicators[0]!.children[0]!.method as { fullAt: string }).fullAt = 'lots';
    const res = await put(`/api/v1/jurisdictions/${city}/evaluation-system`, bad);
    expect(res.status).toBe(422);
    const paths = (res.body.error.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths).toEqual(['indicators[0].children[0].method.fullAt']);
    bad.indicators[0]!.children[0]!.method = { kind: 'linear', zeroAt: '0', fullAt: '200' };
    const sum = await put(`/api/v1/jurisdictions/${city}/evaluation-system`, bad);
    expect(sum.status).toBe(422);
    expect(sum.body.error.issues).toEqual([
      { path: 'indicators', message: 'First level: weights sum to 105 %, must be 100 %' },
    ]);
    const data = await put('/api/v1/projects/P-001/evaluation-data', {
      data: [{ code: 'HM1', value: 'x', source: 's', date: '2026-01-01' }, { code: 'HM1' }],
    });
    expect(data.status).toBe(422);
    expect((data.body.error.issues as Array<{ path: string }>).map((i) => i.path)).toEqual([
      'data[1].value',
      'data[1].source',
      'data[1].date',
    ]);
    expect(t.store.db.prepare('SELECT COUNT(*) FROM evaluation_systems').pluck().get()).toBe(0);
    expect(t.store.db.prepare('SELECT COUNT(*) FROM evaluation_data').pluck().get()).toBe(0);
  });

  it('takes project data and scores it: by hand 150 / 200 → 75 × 80 % + yes × 20 % = 80', async () => {
    await put(`/api/v1/jurisdictions/${city}/evaluation-system`, SYSTEM);
    const data = await put('/api/v1/projects/P-001/evaluation-data', {
      data: [
        { code: 'A', value: '150', source: 'Statistics bureau', date: '2026-03-31' },
        { code: 'Y', value: true, source: 'Notice 12', date: '2026-04-01' },
      ],
    });
    expect(data.status).toBe(200);
    expect(data.body.data).toMatchObject([
      {
        code: 'A',
        value: '150',
        source: 'Statistics bureau',
        date: '2026-03-31',
        author: 'analyst',
      },
      { code: 'Y', value: 'yes', source: 'Notice 12', date: '2026-04-01', author: 'analyst' },
    ]);
    const score = await request(t.app).get('/api/v1/projects/P-001/evaluation-score');
    expect(score.status).toBe(200);
    expect(score.body).toMatchObject({
      total: '80',
      system: { source: 'jurisdiction', versionNo: 1 },
      scenario: { name: 'Base case' },
      missing: [],
    });
    expect(
      score.body.breakdown.map((n: { code: string; contribution: string }) => [
        n.code,
        n.contribution,
      ]),
    ).toEqual([
      ['SV', '60'],
      ['G', '20'],
    ]);
    const unknown = await request(t.app).get(
      '/api/v1/projects/P-001/evaluation-score?scenario=Nope',
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues[0].path).toBe('scenario');
  });

  it('ranks a portfolio by score', async () => {
    await put(`/api/v1/jurisdictions/${city}/evaluation-system`, SYSTEM);
    t.store.scenarios.save(
      scenarioInput('P-002', 'Base case', (s) => (s.project.jurisdiction = DEMO_CITY)),
      { actor: 'setup' },
    );
    await put('/api/v1/projects/P-002/evaluation-data', {
      data: [{ code: 'A', value: '50', source: 's', date: '2026-03-31' }],
    });
    const p = t.store.portfolios.create(
      {
        name: 'Programme',
        members: [
          { projectCode: 'P-001', scenarioName: 'Base case' },
          { projectCode: 'P-002', scenarioName: 'Base case' },
        ],
      },
      'setup',
      { jurisdiction: DEMO_CITY },
    );
    const res = await request(t.app).get(`/api/v1/portfolios/${p.id}/evaluation-ranking`);
    expect(res.status).toBe(200);
    // P-002: 50 / 200 → 25 × 80 % = 20; P-001 has no data: 0, both indicators missing.
    expect(
      res.body.members.map(
        (m: { rank: number; projectCode: string; total: string; missingCount: number }) => [
          m.rank,
          m.projectCode,
          m.total,
          m.missingCount,
        ],
      ),
    ).toEqual([
      [1, 'P-002', '20.00', 1],
      [2, 'P-001', '0.00', 2],
    ]);
  });
});
