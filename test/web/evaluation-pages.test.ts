import request from 'supertest';
import { makeApp, type Agent, type TestApp } from './support/app';
import { DEMO_CITY } from './support/accounts';
import { encodeForm, fieldValue, fill, formFields, section, visibleText } from './support/html';
import { handWorkedBondScenario, scenarioInput } from '../store/helpers/fixtures';
import { simulate } from '../../src/domain/engine/simulate';
import { parseScenario } from '../../src/domain/scenario/parse';
import { formatAmount } from '../../src/web/format/number';
import { defaultEvaluationSystem } from '../../src/domain/evaluation';

/** The evaluation pages (issue 12), by what a user sees. */
let t: TestApp;
let agent: Agent;
const city = encodeURIComponent(DEMO_CITY);
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
          nameZh: '覆盖率',
          nameEn: 'Coverage',
          weightPercent: '100',
          unit: '%',
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
        {
          code: 'Y',
          nameZh: '机制',
          nameEn: 'Mechanism',
          weightPercent: '100',
          method: { kind: 'yes-no' },
        },
      ],
    },
  ],
};

function setup(as: 'analyst' | 'approver' | 'auditor' = 'analyst') {
  t = makeApp({ demo: false, as });
  agent = request.agent(t.app);
  for (const code of ['P-001', 'P-002'])
    t.store.scenarios.save(
      scenarioInput(code, 'Base case', (s) => (s.project.jurisdiction = DEMO_CITY)),
      { actor: 'setup' },
    );
}
const get = async (url: string, lang = 'en') => {
  const res = await agent.get(url).set('Cookie', `lang=${lang}; unit=yuan`);
  expect(res.status).toBe(200);
  return res.text;
};
const post = (url: string, fields: [string, string][]) =>
  agent.post(url).set('Cookie', 'lang=en; unit=yuan').type('form').send(encodeForm(fields));

describe('the evaluation system page', () => {
  it('shows the editable defaults; a save with wrong weights names the group and keeps the text', async () => {
    setup();
    const html = await get(`/jurisdictions/${city}/evaluation`);
    expect(visibleText(section(html, 'p', 'eval-source'))).toContain(
      'These are the editable defaults',
    );
    const tree = visibleText(section(html, 'table', 'eval-tree-table'));
    expect(tree).toContain('HM Public services 29.6%');
    expect(tree).toContain('CW3 Equity IRR 25% Equity IRR: linear: 0 → 0 points, 0.08 → 100');
    const bad = structuredClone(SYSTEM);
    bad.indicators[1]!.children[0]!.weightPercent = '90';
    const typed = JSON.stringify(bad, null, 1);
    const form = fill(formFields(section(html, 'form', 'eval-form')), {
      system: typed,
      comment: 'pilot',
    });
    const res = await post(`/jurisdictions/${city}/evaluation`, form);
    expect(res.status).toBe(422);
    expect(visibleText(section(res.text, 'div', 'eval-errors'))).toContain(
      'indicators[1].children Group G (创新 · Innovation): weights sum to 90 %, must be 100 %',
    );
    const kept = formFields(section(res.text, 'form', 'eval-form'));
    expect(fieldValue(kept, 'system')).toBe(typed);
    expect(fieldValue(kept, 'comment')).toBe('pilot');
    const ok = await post(
      `/jurisdictions/${city}/evaluation`,
      fill(kept, { system: JSON.stringify(SYSTEM) }),
    );
    expect(ok.status).toBe(303);
    const after = await get(String(ok.headers.location));
    expect(visibleText(section(after, 'p', 'eval-notice'))).toBe('Version 1 saved.');
    expect(visibleText(section(after, 'p', 'eval-source'))).toBe(
      "The jurisdiction's system, version 1, saved by analyst.",
    );
    expect(visibleText(section(after, 'table', 'eval-versions-table'))).toContain('v1 analyst');
  });

  it('is read-only for an approver, in Chinese too', async () => {
    setup('approver');
    const html = await get(`/jurisdictions/${city}/evaluation`, 'zh');
    expect(html).not.toContain('id="eval-form"');
    expect(visibleText(section(html, 'p', 'eval-source'))).toContain('以下为可编辑的默认体系');
  });
});

describe('the node-by-node system editor', () => {
  const url = `/jurisdictions/${city}/evaluation`;
  const nodeForm = (html: string) => formFields(section(html, 'form', 'eval-node-form'));
  /** The row index of the node with `code` in the form. */
  const rowOf = (fields: [string, string][], code: string) =>
    /^n\[(\d+)\]/.exec(fields.find(([n, v]) => /\[code\]$/.test(n) && v === code)![0])![1]!;
  const send = (fields: [string, string][], action: string, lang = 'en') =>
    agent
      .post(url)
      .set('Cookie', `lang=${lang}; unit=yuan`)
      .type('form')
      .send(encodeForm([...fields, ['action', action]]));

  it('saves the defaults unchanged as they are, node for node', async () => {
    setup();
    const res = await send(nodeForm(await get(url)), 'save');
    expect(res.status).toBe(303);
    const api = await request(t.app).get(`/api/v1/jurisdictions/${city}/evaluation-system`);
    expect(api.body.versionNo).toBe(1);
    expect(api.body.system).toEqual(defaultEvaluationSystem());
  });

  it('adds a child, refuses wrong weights and a bad bound at their nodes keeping the input, then saves', async () => {
    setup();
    const start = nodeForm(await get(url));
    const gg = rowOf(start, 'GG');
    const added = await send(start, `add-child:${gg}`);
    expect(added.status).toBe(200);
    let fields = nodeForm(added.text);
    const kid = rowOf(fields, 'GG2');
    expect(fieldValue(fields, `n[${kid}][depth]`)).toBe('1');
    expect(fieldValue(fields, `n[${kid}][kind]`)).toBe('linear');
    fields = fill(fields, {
      [`n[${kid}][nameZh]`]: '数据要素改革',
      [`n[${kid}][nameEn]`]: 'Data reform',
      [`n[${kid}][weightPercent]`]: '50',
      [`n[${kid}][zeroAt]`]: '5',
      [`n[${kid}][fullAt]`]: '5',
      comment: 'data reform',
    });
    const refused = await send(fields, 'save');
    expect(refused.status).toBe(422);
    expect(visibleText(section(refused.text, 'div', 'eval-node-errors'))).toContain(
      'The system was not saved (2 to fix)',
    );
    expect(visibleText(section(refused.text, 'fieldset', `en-${gg}`))).toContain(
      'Group GG (改革创新 · Reform and innovation): weights sum to 150 %, must be 100 %',
    );
    const kidRow = section(refused.text, 'fieldset', `en-${kid}`);
    expect(kidRow).toContain('aria-invalid="true" aria-describedby="en-' + kid + '-fullAt-error"');
    expect(visibleText(section(kidRow, 'p', `en-${kid}-fullAt-error`))).toBe(
      'the 0-point and 100-point bounds must differ',
    );
    const kept = nodeForm(refused.text);
    expect(fieldValue(kept, `n[${kid}][nameZh]`)).toBe('数据要素改革');
    expect(fieldValue(kept, `n[${kid}][fullAt]`)).toBe('5');
    expect(fieldValue(kept, 'comment')).toBe('data reform');
    expect(t.store.evaluation.systemVersions(DEMO_CITY)).toHaveLength(0);
    // In Chinese, the same refusal in Chinese.
    const zh = await send(kept, 'save', 'zh');
    expect(visibleText(section(zh.text, 'fieldset', `en-${gg}`))).toContain(
      '分组 GG（改革创新 · Reform and innovation）：权重合计 150 %，须为 100 %',
    );
    const ok = await send(
      fill(kept, {
        [`n[${rowOf(kept, 'GG1')}][weightPercent]`]: '50',
        [`n[${kid}][fullAt]`]: '10',
      }),
      'save',
    );
    expect(ok.status).toBe(303);
    const api = await request(t.app).get(`/api/v1/jurisdictions/${city}/evaluation-system`);
    expect(api.body.comment).toBe('data reform');
    const group = api.body.system.indicators.find((n: { code: string }) => n.code === 'GG');
    expect(group.children).toEqual([
      { ...defaultEvaluationSystem().indicators[6]!.children![0]!, weightPercent: '50' },
      {
        code: 'GG2',
        nameZh: '数据要素改革',
        nameEn: 'Data reform',
        weightPercent: '50',
        method: { kind: 'linear', zeroAt: '5', fullAt: '10' },
      },
    ]);
    expect(api.body.versions.map((v: { author: string }) => v.author)).toEqual(['analyst']);
  });

  it('removes a node with its children, edits bands, and keeps a post without a token as typed', async () => {
    setup();
    let fields = nodeForm(await get(url));
    const after = await send(fields, `remove:${rowOf(fields, 'WA')}`);
    expect(after.status).toBe(200);
    const removed = nodeForm(after.text);
    expect(removed.some(([n, v]) => /\[code\]$/.test(n) && /^WA/.test(v))).toBe(false);
    const wa2 = rowOf(fields, 'WA2');
    fields = nodeForm((await send(fields, `add-band:${wa2}`)).text);
    expect(fieldValue(fields, `n[${wa2}][bands][2][points]`)).toBe('');
    fields = nodeForm((await send(fields, `remove-band:${wa2}:0`)).text);
    expect(fieldValue(fields, `n[${wa2}][bands][0][max]`)).toBe('3');
    const noToken = await agent
      .post(url)
      .set('Cookie', 'lang=en')
      .type('form')
      .send(
        encodeForm([
          ...fill(fields, { _csrf: 'forged', [`n[${wa2}][unit]`]: '起' }),
          ['action', 'save'],
        ]),
      );
    expect(noToken.status).toBe(403);
    expect(fieldValue(nodeForm(noToken.text), `n[${wa2}][unit]`)).toBe('起');
    expect(t.store.evaluation.systemVersions(DEMO_CITY)).toHaveLength(0);
  });
});

describe('indicator data and the score page', () => {
  beforeEach(async () => {
    setup();
    await request(t.app)
      .put(`/api/v1/jurisdictions/${city}/evaluation-system`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(SYSTEM));
  });

  it('enters data through the form, keeps what was typed on a refusal, and scores it', async () => {
    const project = await get('/projects/P-001');
    expect(section(project, 'a', 'evaluation-link')).toContain('/projects/P-001/evaluation');
    const html = await get('/projects/P-001/evaluation/data');
    const fields = formFields(section(html, 'form', 'eval-data-form'));
    const wrong = await post(
      '/projects/P-001/evaluation/data',
      fill(fields, {
        'value[A]': '15O',
        'source[A]': 'Statistics bureau',
        'date[A]': '2026-03-31',
      }),
    );
    expect(wrong.status).toBe(422);
    expect(visibleText(section(wrong.text, 'div', 'eval-errors'))).toContain(
      'A.value A takes a plain decimal number such as "85.5"',
    );
    const kept = formFields(section(wrong.text, 'form', 'eval-data-form'));
    expect(fieldValue(kept, 'value[A]')).toBe('15O');
    expect(fieldValue(kept, 'source[A]')).toBe('Statistics bureau');
    const ok = await post(
      '/projects/P-001/evaluation/data',
      fill(kept, {
        'value[A]': '150',
        'value[Y]': 'yes',
        'source[Y]': 'Notice 12',
        'date[Y]': '2026-04-01',
      }),
    );
    expect(ok.status).toBe(303);
    expect(visibleText(section(await get(String(ok.headers.location)), 'p', 'eval-notice'))).toBe(
      'Indicator data saved.',
    );
    // By hand: 150 / 200 → 75 points × 80 % = 60; yes → 100 × 20 % = 20; total 80.
    const score = await get('/projects/P-001/evaluation');
    expect(visibleText(section(score, 'p', 'eval-total-value'))).toBe('80.00 / 100');
    const rows = visibleText(section(score, 'table', 'eval-breakdown-table'));
    expect(rows).toContain('SV Services 80% 80.00% 75.00 60.00');
    expect(rows).toContain('A Coverage 100% 80.00% 150 75.00 60.00 Statistics bureau · 2026-03-31');
    expect(rows).toContain('Y Mechanism 100% 20.00% Yes 100.00 20.00 Notice 12 · 2026-04-01');
    expect(visibleText(section(score, 'div', 'eval-missing'))).toContain('Nothing is missing.');
    expect(score).toContain('data-chart="groups"');
    // The engine's project NPV in the page's unit (yuan here), from an independent run.
    const npv = simulate(parseScenario(scenarioInput('P-001'))).metrics.projectNpv;
    expect(visibleText(section(score, 'table', 'eval-metrics-table'))).toContain(
      `Project NPV ${formatAmount(npv.toFixed(2), 'yuan')} CNY`,
    );
    const wan = await agent.get('/projects/P-001/evaluation').set('Cookie', 'lang=en; unit=wan');
    expect(visibleText(section(wan.text, 'table', 'eval-metrics-table'))).toContain(
      `Project NPV ${formatAmount(npv.toFixed(2), 'wan')} `,
    );
    const zh = await get('/projects/P-001/evaluation', 'zh');
    expect(visibleText(section(zh, 'p', 'eval-source'))).toBe(
      '本地区评价体系第 1 版，由 analyst 保存。',
    );
  });

  it('lists missing data and ranks the portfolio, linked from the portfolio page', async () => {
    await request(t.app)
      .put('/api/v1/projects/P-002/evaluation-data')
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify({ data: [{ code: 'A', value: '50', source: 's', date: '2026-03-31' }] }),
      );
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
    const score = await get('/projects/P-002/evaluation');
    expect(visibleText(section(score, 'ul', 'eval-missing-list'))).toBe('Y G / Y: no data');
    expect(section(await get(`/portfolios/${p.id}`), 'a', 'evaluation-link')).toContain(
      `/portfolios/${p.id}/evaluation`,
    );
    const ranking = await get(`/portfolios/${p.id}/evaluation`);
    // P-002: 50 / 200 → 25 × 80 % = 20; P-001: no data, 0.
    expect(visibleText(section(ranking, 'table', 'eval-ranking-table'))).toBe(
      'Rank Project Scenario Score Missing data 1 P-002 Project P-002 Base case 20.00 1 2 P-001 Project P-001 Base case 0.00 2',
    );
  });

  it('takes the survey score from monitoring actuals when recorded', async () => {
    const sys = structuredClone(SYSTEM) as unknown as {
      indicators: Array<{ children: Array<Record<string, unknown>> }>;
    };
    sys.indicators[0]!.children[0] = {
      code: 'S',
      nameZh: '满意度',
      nameEn: 'Survey',
      weightPercent: '100',
      method: { kind: 'linear', zeroAt: '60', fullAt: '95' },
      fromActuals: 'satisfaction',
    };
    await request(t.app)
      .put(`/api/v1/jurisdictions/${city}/evaluation-system`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(sys));
    await request(t.app)
      .post('/api/v1/projects/P-001/actuals')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ year: 2028, satisfaction: '88.5', source: 'Survey 2028' }));
    const score = await get('/projects/P-001/evaluation');
    expect(visibleText(section(score, 'p', 'eval-from-actuals'))).toBe(
      'The survey score of 2028 from monitoring actuals, 88.5, replaces the entered value of S.',
    );
    // (88.5 − 60) × 100 / 35 = 81.428571… points × 80 % = 65.142857… → 65.14.
    expect(visibleText(section(score, 'p', 'eval-total-value'))).toBe('65.14 / 100');
  });

  it('scores the engine metrics on the re-forecast from actuals and shows both totals', async () => {
    const input = handWorkedBondScenario('P-003');
    input.project.jurisdiction = DEMO_CITY;
    t.store.scenarios.save(input, { actor: 'setup' });
    const sys = structuredClone(SYSTEM) as unknown as {
      indicators: Array<{ children: Array<Record<string, unknown>> }>;
    };
    sys.indicators[1]!.children[0] = {
      code: 'COV',
      nameZh: '覆盖倍数',
      nameEn: 'Coverage',
      weightPercent: '100',
      method: {
        kind: 'metric',
        metric: 'bondCoverage',
        scale: { kind: 'linear', zeroAt: '0', fullAt: '2' },
      },
    };
    await request(t.app)
      .put(`/api/v1/jurisdictions/${city}/evaluation-system`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(sys));
    // Plan: coverage 1.2 → 60 points × 20 % = 12 (A has no data).
    const before = await get('/projects/P-003/evaluation');
    expect(visibleText(section(before, 'p', 'eval-total-value'))).toBe('12.00 / 100');
    expect(visibleText(section(before, 'p', 'eval-basis'))).toBe(
      "Engine metrics scored: the plan's (the scenario's current version).",
    );
    expect(before).not.toContain('id="eval-totals"');
    const recorded = await request(t.app)
      .post('/api/v1/projects/P-003/actuals')
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify({ year: 2027, revenuesYuan: { Advertising: '250000.00' }, source: 'r' }),
      );
    expect(recorded.status).toBe(201);
    // Re-forecast: (150,000 + 300,000) / 500,000 = 0.9 → 45 points × 20 % = 9.
    const after = await get('/projects/P-003/evaluation');
    expect(visibleText(section(after, 'p', 'eval-total-value'))).toBe('9.00 / 100');
    expect(visibleText(section(after, 'p', 'eval-basis'))).toBe(
      'Engine metrics scored: the re-forecast from actuals to 2027 (actual years, plan for the rest).',
    );
    expect(visibleText(section(after, 'table', 'eval-totals'))).toBe(
      'The score on the re-forecast and on the plan Re-forecast from actuals to 2027 9.00 / 100 Plan 12.00 / 100',
    );
    const zh = await get('/projects/P-003/evaluation', 'zh');
    expect(visibleText(section(zh, 'p', 'eval-basis'))).toContain('截至 2027 年实际数的重新预测');
    const api = await request(t.app).get('/api/v1/projects/P-003/evaluation-score');
    expect([api.body.total, api.body.planTotal, api.body.basis]).toEqual([
      '9',
      '12',
      { kind: 'reforecast', toYear: 2027 },
    ]);
  });
});
