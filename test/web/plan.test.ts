import request, { type Agent } from 'supertest';
import { makeApp, sessionCookie, type TestApp } from './support/app';
import {
  encodeForm,
  fieldValue,
  fill,
  formFields,
  inputValue,
  section,
  visibleText,
} from './support/html';

/** The programme optimiser's page and API (issue 12, README "Programme optimiser"). */
// The first solve starts the worker thread (the TypeScript sources transpiled on start).
jest.setTimeout(120_000);
let t: TestApp;
let id: number;
beforeAll(() => {
  t = makeApp({ as: 'analyst' });
  id = t.store.portfolios.list().find((p) => p.name.includes('Bond-heavy'))!.id;
});

/** Follows a plan job through the API until it ends (a loop on its state, not on time), then its page. */
async function jobPage(agent: Agent, location: string, cookie = '') {
  expect(location).toMatch(/^\/plan-jobs\/[0-9a-f-]{36}$/);
  for (;;) {
    const res = await agent.get(`/api/v1${location}`);
    expect(res.status).toBe(200);
    if (res.body.job.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return agent.get(location).set('Cookie', cookie);
}

const api = (body: unknown) =>
  request(t.app)
    .post(`/api/v1/portfolios/${id}/plan`)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));

describe('POST /api/v1/portfolios/:id/plan: bad input answers 422 naming what conflicts', () => {
  it.each([
    [
      'a quota year given twice',
      {
        years: [
          { year: 2027, specialBondQuotaYuan: '100' },
          { year: 2027, specialBondQuotaYuan: '200' },
        ],
      },
      'years[1].year',
      'quota year 2027 is given twice',
    ],
    [
      'a project both must-do and must-not',
      { mustDo: ['SC-WATER'], mustNot: ['SC-WATER'] },
      'mustDo[0]',
      'SC-WATER is both must-do and must-not',
    ],
    [
      'a window that ends before it begins',
      { windows: { 'SC-WATER': { from: 2026, to: 2024 } } },
      'windows.SC-WATER.to',
      'the start-year window ends (2024) before it begins (2026)',
    ],
    [
      'a window of a project not in the portfolio',
      { windows: { 'SC-NOPE': { from: 2026, to: 2026 } } },
      'windows.SC-NOPE',
      'SC-NOPE is not a project of the portfolio',
    ],
    [
      'a must-do that is no project',
      { mustDo: ['SC-NOPE'] },
      'mustDo[0]',
      'SC-NOPE is not a project of the portfolio',
    ],
  ])('%s', async (_what, body, path, message) => {
    const res = await api(body);
    expect(res.status).toBe(422);
    expect(res.body.error.issues).toContainEqual({ path, message });
  });

  it('infeasible must-do projects: 422 naming the must-do that cannot fit', async () => {
    // SC-WATER (start 2024) needs general budget in 2024; an envelope of 0 that year leaves it no room.
    const res = await api({
      years: [{ year: 2024, generalBudgetEnvelopeYuan: '0' }],
      windows: { 'SC-WATER': { from: 2024, to: 2024 } },
      mustDo: ['SC-WATER'],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('plan-infeasible');
    expect(res.body.error.message).toBe(
      'No programme meets the constraints: must-do projects that cannot all fit: dropping any one of SC-WATER makes it feasible',
    );
  });

  it('answers the programme with amounts as yuan text, and 201 with the saved portfolio', async () => {
    const res = await api({
      years: [{ year: 2027, generalBudgetEnvelopeYuan: '600000000', specialBondQuotaYuan: null }],
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('optimal');
    const g = res.body.constraints.find(
      (c: { kind: string; year: number }) => c.kind === 'general-budget' && c.year === 2027,
    );
    expect(g.limitYuan).toBe('600000000.00');
    const saved = await api({ saveAs: 'Plan via API' });
    expect(saved.status).toBe(201);
    expect(t.store.portfolios.get(saved.body.saved.id).name).toBe('Plan via API');
  });
});

describe('the plan as a job through the API', () => {
  it('202 with the job, its phases polled to the end, then the same answer as the synchronous call', async () => {
    const body = {
      years: [{ year: 2027, generalBudgetEnvelopeYuan: '600000000', specialBondQuotaYuan: null }],
    };
    const agent = request.agent(t.app);
    const started = await agent
      .post(`/api/v1/portfolios/${id}/plan-jobs`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
    expect(started.status).toBe(202);
    expect(started.body.result).toBeNull();
    expect(started.body.job).toMatchObject({ portfolioId: id, state: 'running', error: null });
    const done = await jobPage(agent, started.body.job.page as string);
    expect(done.status).toBe(200);
    const polled = await agent.get(started.body.job.url as string);
    expect(polled.body.job.state).toBe('done');
    expect(polled.body.job.progress).toMatchObject({ phase: 'shadow', etaMs: 0 });
    const sync = await api(body);
    expect(polled.body.result).toEqual(sync.body);
    // Another user of the same bureau does not see it, nor cancel it.
    const other = sessionCookie(t.store, 'approver');
    const seen = await request(t.app)
      .get(started.body.job.url as string)
      .set('Cookie', other);
    expect(seen.status).toBe(404);
    const page = await request(t.app)
      .get(started.body.job.page as string)
      .set('Cookie', other);
    expect(page.status).toBe(404);
  });

  it('refuses a conflicting request at once (422), and reports an infeasible one on the job', async () => {
    const bad = await request(t.app)
      .post(`/api/v1/portfolios/${id}/plan-jobs`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ timeLimitSeconds: 0 }));
    expect(bad.status).toBe(422);
    expect(bad.body.error.issues[0].path).toBe('timeLimitSeconds');
    const agent = request.agent(t.app);
    const started = await agent
      .post(`/api/v1/portfolios/${id}/plan-jobs`)
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify({
          years: [{ year: 2024, generalBudgetEnvelopeYuan: '0' }],
          windows: { 'SC-WATER': { from: 2024, to: 2024 } },
          mustDo: ['SC-WATER'],
        }),
      );
    expect(started.status).toBe(202);
    const page = await jobPage(agent, started.body.job.page as string);
    expect(visibleText(section(page.text, 'p', 'plan-problem'))).toBe(
      'No programme meets the constraints: must-do projects that cannot all fit: dropping any one of SC-WATER makes it feasible',
    );
    const polled = await agent.get(started.body.job.url as string);
    expect(polled.body.job).toMatchObject({
      state: 'failed',
      error: { code: 'plan-infeasible', issues: [] },
    });
    expect(polled.body.result).toBeNull();
  });
});

describe('the plan page', () => {
  it('shows the form prefilled from the fiscal settings, then the result, binding constraints and comparison', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get(`/portfolios/${id}/plan`);
    expect(page.status).toBe(200);
    const years = section(page.text, 'table', 'plan-years');
    // The demo's 2027 budget expenditure, 484.10 亿元, shown in the default unit.
    expect(visibleText(years)).toMatch(/2027\s+4,841,000\.00/);
    const form = formFields(section(page.text, 'form', 'plan-form'));
    const row = (year: number) =>
      form
        .find(([k, v]) => /^years\[\d+\]\[year\]$/.test(k) && v === String(year))![0]
        .replace('[year]', '');
    const filled = fill(form, {
      [`${row(2027)}[envelope]`]: '600000000',
      [`${row(2028)}[envelope]`]: '600000000',
      'must[SC-PARKING]': 'not',
    });
    const started = await agent
      .post(`/portfolios/${id}/plan`)
      .type('form')
      .send(encodeForm(filled));
    expect(started.status).toBe(303);
    const res = await jobPage(agent, started.headers.location as string);
    expect(res.status).toBe(200);
    const result = visibleText(section(res.text, 'section', 'plan-result'));
    expect(result).toContain('已求得最优解。');
    expect(visibleText(section(res.text, 'table', 'plan-chosen'))).not.toContain('SC-PARKING');
    expect(result).toContain('与现有组合对比');
    // What was typed stays in the form.
    expect(
      fieldValue(formFields(section(res.text, 'form', 'plan-form')), `${row(2027)}[envelope]`),
    ).toBe('600000000');
    // A refused name (one already taken) shows the result again, the name as typed and why.
    const save = formFields(section(res.text, 'form', 'plan-save'));
    const taken = t.store.portfolios.get(id).name;
    const refused = await agent
      .post(`${started.headers.location as string}/save`)
      .type('form')
      .send(encodeForm(fill(save, { saveAs: taken })));
    expect(refused.status).toBe(422);
    expect(visibleText(section(refused.text, 'section', 'plan-result'))).toContain(
      '已求得最优解。',
    );
    expect(visibleText(section(refused.text, 'table', 'plan-chosen'))).toBe(
      visibleText(section(res.text, 'table', 'plan-chosen')),
    );
    const again = section(refused.text, 'form', 'plan-save');
    expect(inputValue(again, 'saveAs')).toBe(taken);
    expect(visibleText(again)).toContain(`A portfolio named "${taken}" already exists`);
    // It is the save that was refused, not the request: no "nothing was solved" list.
    expect(refused.text).not.toContain('id="plan-issues"');
    expect(
      fieldValue(formFields(section(refused.text, 'form', 'plan-form')), `${row(2027)}[envelope]`),
    ).toBe('600000000');
    // Save: a new portfolio, 303 to its page.
    const saved = await agent
      .post(`${started.headers.location as string}/save`)
      .type('form')
      .send(encodeForm(fill(save, { saveAs: 'Saved from the page' })));
    expect(saved.status).toBe(303);
    const shown = await agent.get(saved.headers.location as string);
    expect(visibleText(shown.text)).toContain('Saved from the page');
    expect(visibleText(shown.text)).toContain('Programme optimised from portfolio');
    expect(t.store.portfolios.list().some((p) => p.name === 'Saved from the page')).toBe(true);
  });

  it('refuses an inverted window with 422, the message at the project and the typed years kept', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get(`/portfolios/${id}/plan`);
    const form = formFields(section(page.text, 'form', 'plan-form'));
    const res = await agent
      .post(`/portfolios/${id}/plan`)
      .type('form')
      .send(
        encodeForm(
          fill(form, { 'windows[SC-WATER][from]': '2026', 'windows[SC-WATER][to]': '2024' }),
        ),
      );
    expect(res.status).toBe(422);
    const projects = section(res.text, 'table', 'plan-projects');
    expect(visibleText(projects)).toContain(
      'the start-year window ends (2024) before it begins (2026)',
    );
    expect(inputValue(projects, 'windows[SC-WATER][to]')).toBe('2024');
  });

  it('in English', async () => {
    const res = await request(t.app).get(`/portfolios/${id}/plan`).set('Cookie', 'lang=en');
    expect(visibleText(res.text)).toContain('Programme optimiser');
    expect(visibleText(res.text)).toContain('Special-bond quota');
    expect(visibleText(section(res.text, 'table', 'plan-years'))).toMatch(/2027\s+4,841,000\.00/);
  });
});

describe('binding constraints and shadow values', () => {
  /** Every project's window pinned to its modelled start, as the page's defaults show it. */
  async function pinnedWindows(): Promise<Record<string, { from: number; to: number }>> {
    const page = await request(t.app).get(`/portfolios/${id}/plan`);
    const fields = formFields(section(page.text, 'form', 'plan-form'));
    const out: Record<string, { from: number; to: number }> = {};
    for (const [k, v] of fields) {
      const m = /^windows\[(.+)\]\[from\]$/.exec(k);
      if (m) out[m[1]!] = { from: Number(v), to: Number(v) };
    }
    return out;
  }

  it('a general-bond quota of 0 is a row that keeps the general-bond scenario out; the page has its column', async () => {
    const windows = await pinnedWindows();
    const scenario = /General bond/;
    const years = [2025, 2026, 2027, 2028].map((year) => ({ year, generalBondQuotaYuan: '0' }));
    const res = await api({ windows, years });
    expect(res.status).toBe(200);
    const rows = res.body.constraints.filter(
      (c: { kind: string }) => c.kind === 'general-bond-quota',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatchObject({ limitYuan: '0.00', usedYuan: '0.00' });
    const egov = (body: { chosen: Array<{ projectCode: string; scenarioName: string }> }) =>
      body.chosen.find((c) => c.projectCode === 'SC-EGOV-CLOUD');
    expect(egov(res.body)?.scenarioName ?? '').not.toMatch(scenario);
    // Without limit years typed, the rows take the fiscal settings' quotas: the demo's 80 m in
    // 2026, the e-government cloud's build year (the only year a general bond is issued).
    const free = await api({ windows });
    const limits = Object.fromEntries(
      free.body.constraints
        .filter((c: { kind: string }) => c.kind === 'general-bond-quota')
        .map((c: { year: number; limitYuan: string }) => [c.year, c.limitYuan]),
    );
    expect(limits).toEqual({ 2026: '80000000.00' });

    const page = await request(t.app).get(`/portfolios/${id}/plan`).set('Cookie', 'lang=en');
    const head = visibleText(section(page.text, 'table', 'plan-years'));
    expect(head).toContain('Special-bond quota General-bond quota');
    const fields = formFields(section(page.text, 'form', 'plan-form')).map(([k]) => k);
    expect(fields).toContain('years[0][generalQuota]');
  });

  it('an envelope of 0 binds, and its +1 亿元 value is the score a re-solve with 1 亿元 more gains', async () => {
    const windows = await pinnedWindows();
    const base = await api({ windows, years: [{ year: 2027, generalBudgetEnvelopeYuan: '0' }] });
    expect(base.status).toBe(200);
    const row = base.body.constraints.find(
      (c: { kind: string; year: number }) => c.kind === 'general-budget' && c.year === 2027,
    );
    expect(row).toMatchObject({
      limitYuan: '0.00',
      usedYuan: '0.00',
      slackYuan: '0.00',
      binding: true,
    });
    const more = await api({
      windows,
      years: [{ year: 2027, generalBudgetEnvelopeYuan: '100000000' }],
    });
    const gain = (units: string) => BigInt(units.replace('.', ''));
    const diff = gain(more.body.totalScore) - gain(base.body.totalScore);
    const expected = `${diff / 10000n}.${String(diff % 10000n).padStart(4, '0')}`;
    expect(diff > 0n).toBe(true);
    expect(row.shadowValue).toBe(expected);

    // The page shows the same row among the binding constraints.
    const agent = request.agent(t.app);
    const page = await agent.get(`/portfolios/${id}/plan`).set('Cookie', 'lang=en');
    const form = formFields(section(page.text, 'form', 'plan-form'));
    const at = form.find(([k, v]) => /^years\[\d+\]\[year\]$/.test(k) && v === '2027')![0];
    const pins = Object.fromEntries(
      Object.entries(windows).map(([code, w]) => [`windows[${code}][to]`, String(w.to)]),
    );
    const started = await agent
      .post(`/portfolios/${id}/plan`)
      .set('Cookie', 'lang=en')
      .type('form')
      .send(encodeForm(fill(form, { ...pins, [at.replace('[year]', '[envelope]')]: '0' })));
    expect(started.status).toBe(303);
    const res = await jobPage(agent, started.headers.location as string, 'lang=en');
    expect(res.status).toBe(200);
    const binding = visibleText(section(res.text, 'table', 'plan-binding'));
    expect(binding).toContain(`General budget 2027 0.00 0.00 ${expected}`);
  });
});
