import request from 'supertest';
import { Dec } from '../../src/domain/decimal';
import { portfolioFiscalReport } from '../../src/store';
import { formatAmount } from '../../src/web/format/number';
import { makeApp, testRiskRunner, type Agent, type TestApp } from './support/app';
import { inputValue } from './support/html';

/** The portfolio risk section of the fiscal page and its API (issue 11, "Portfolio"). */
let t: TestApp;
let id: number;
beforeAll(() => {
  t = makeApp();
  id = t.store.portfolios.getByName('2027 PPP为主方案 PPP-heavy 2027 plan').id;
});
afterAll(async () => {
  await testRiskRunner().close();
});

describe('GET /api/v1/portfolios/:id/risk', () => {
  it.each([
    ['trials=abc', 'trials'],
    ['trials=0', 'trials'],
    ['seed=-1', 'seed'],
    ['commonSd=-0.1', 'commonSd'],
    ['ownSd=1.5', 'ownSd'],
    ['driver=tariff', 'driver'],
  ])('?%s is refused with 422 naming %s', async (query, field) => {
    const res = await request(t.app).get(`/api/v1/portfolios/${id}/risk?${query}`);
    expect(res.status).toBe(422);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual([field]);
  });

  it('without shocks gives the fiscal report: its peak ratio and its breach in every trial', async () => {
    const report = portfolioFiscalReport(t.store, id);
    const res = await request(t.app).get(
      `/api/v1/portfolios/${id}/risk?trials=2&seed=3&commonSd=0&ownSd=0`,
    );
    expect(res.status).toBe(200);
    const a = res.body.result.affordability;
    expect(new Dec(a.peakRatio.p50).eq(report.affordability!.peak!.ratio)).toBe(true);
    expect(a.peakRatio.p50).toBe('0.102875');
    expect(a.breachProbability).toBe('1');
    expect(res.body.result).toMatchObject({ trials: 2, seed: 3 });
    expect(res.body.result.members).toHaveLength(12);
  });
});

/** Follows a job through the API until it ends (a loop on its state, not on time). */
async function ended(
  agent: Agent,
  jobId: string,
): Promise<{ state: string; runId: number | null }> {
  for (;;) {
    const res = await agent.get(`/api/v1/risk-jobs/${jobId}`);
    expect(res.status).toBe(200);
    if (res.body.job.state !== 'running') return res.body.job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const recorded = () =>
  t.store.db.prepare('SELECT COUNT(*) FROM portfolio_risk_runs').pluck().get() as number;

/** A browser on the fiscal page, with its form token. */
async function onFiscalPage(cookie = 'lang=en') {
  const agent = request.agent(t.app);
  const page = await agent.get(`/portfolios/${id}/fiscal`).set('Cookie', cookie);
  expect(page.status).toBe(200);
  return { agent, page, token: inputValue(page.text, '_csrf')! };
}

const still = { trials: '2', seed: '1', commonSd: '0', ownSd: '0', driver: 'revenue' };

describe('the fiscal page', () => {
  it('shows the portfolio risk form (a post with its form token) with its defaults and runs nothing', async () => {
    const { page } = await onFiscalPage();
    expect(page.text).toContain(
      `<form method="post" action="/portfolios/${id}/risk-runs" class="inline-form no-print" id="portfolio-risk-form">`,
    );
    expect(page.text).toContain('name="trials" inputmode="numeric" value="200"');
    expect(page.text).toContain('name="commonSd" inputmode="decimal" value="0.1"');
    expect(page.text).not.toContain('id="portfolio-risk-probabilities"');
  });

  it('refuses a bad form with 422, keeping what was typed, in Chinese too; nothing runs', async () => {
    const { agent, token } = await onFiscalPage('lang=zh');
    const res = await agent
      .post(`/portfolios/${id}/risk-runs`)
      .set('Cookie', 'lang=zh')
      .type('form')
      .send({ _csrf: token, ...still, trials: 'lots', ownSd: '0.2' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('data-issue="trials"');
    expect(res.text).toContain('value="lots"');
    expect(res.text).toContain('value="0.2"');
    expect(res.text).toContain('组合风险');
    expect(recorded()).toBe(0);
  });

  it('without its form token the post is refused', async () => {
    const res = await request(t.app).post(`/portfolios/${id}/risk-runs`).type('form').send(still);
    expect(res.status).toBe(403);
  });
});

describe('a run from the form', () => {
  let runId: number;

  it('goes to the progress page, then to the recorded run with the figures and fan chart', async () => {
    const { agent, token } = await onFiscalPage();
    const start = await agent
      .post(`/portfolios/${id}/risk-runs`)
      .type('form')
      .send({ _csrf: token, ...still })
      .redirects(0);
    expect(start.status).toBe(303);
    const jobPath = String(start.headers.location);
    expect(jobPath).toMatch(/^\/risk-jobs\/[0-9a-f-]{36}$/);
    const job = await ended(agent, jobPath.slice('/risk-jobs/'.length));
    expect(job.state).toBe('done');
    const done = await agent.get(jobPath).redirects(0);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/portfolio-risk-runs/${job.runId}`);
    runId = job.runId!;

    const page = await agent.get(`/portfolio-risk-runs/${runId}`).set('Cookie', 'lang=en');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Portfolio risk run ${runId}`);
    expect(page.text).toMatch(/data-probability="breach">100\.00%</);
    expect(page.text).toMatch(
      /data-summary="peak"><th scope="row">[^<]+<\/th><td class="num">10\.288%/,
    );
    expect(page.text).toContain('"portfolioRiskFan"');
    expect([...page.text.matchAll(/<tr data-member="/g)]).toHaveLength(12);
    const row = t.store.portfolioRiskRuns.get(runId);
    expect(page.text).toContain(`<code id="summary-hash">${row.summary_hash}</code>`);
    expect(page.text).toContain(`<code id="inputs-hash">${row.inputs_hash}</code>`);
    expect(page.text).toContain(`href="/portfolio-risk-runs/${runId}/rerun"`);
  }, 120_000);

  it('shows the total obligations in the unit the user chooses', async () => {
    const report = portfolioFiscalReport(t.store, id);
    const total = report.affordability!.rows.reduce((sum, r) => sum.plus(r.totalYuan), new Dec(0));
    for (const unit of ['yuan', 'wan'] as const) {
      const page = await request(t.app)
        .get(`/portfolio-risk-runs/${runId}`)
        .set('Cookie', `lang=en; unit=${unit}`);
      expect(page.text).toMatch(
        new RegExp(
          `data-summary="total"><th scope="row">[^<]+</th><td class="num">${formatAmount(total.toFixed(), unit).replace(/[.]/g, '\\.')}<`,
        ),
      );
    }
  });

  it('is listed on the fiscal page; the same form again opens the record without running', async () => {
    const { agent, page, token } = await onFiscalPage();
    expect(page.text).toContain(
      `<tr data-run="${runId}"><td><a href="/portfolio-risk-runs/${runId}">`,
    );
    const again = await agent
      .post(`/portfolios/${id}/risk-runs`)
      .type('form')
      .send({ _csrf: token, ...still })
      .redirects(0);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/portfolio-risk-runs/${runId}`);
    expect(recorded()).toBe(1);
  });

  it('"Re-run and compare" reproduces it, in both languages', async () => {
    const en = await request(t.app)
      .get(`/portfolio-risk-runs/${runId}/rerun`)
      .set('Cookie', 'lang=en');
    expect(en.status).toBe(200);
    expect(en.text).toContain(
      'id="rerun-verdict">Reproduced: the re-run gives exactly the recorded summary.',
    );
    expect(en.text).toContain(`href="/portfolio-risk-runs/${runId}" id="rerun-back"`);
    const zh = await request(t.app)
      .get(`/portfolio-risk-runs/${runId}/rerun`)
      .set('Cookie', 'lang=zh');
    expect(zh.text).toContain('已复现');
    expect(zh.text).toContain(`组合风险运行 ${runId} 的重新运行`);
  }, 120_000);
});

describe('the progress page of a long run, and its cancel', () => {
  it('shows the bar, the count, the state, the back link and Cancel; cancelled, it says so and records nothing', async () => {
    const { agent, token } = await onFiscalPage('lang=zh');
    const start = await agent
      .post(`/portfolios/${id}/risk-runs`)
      .type('form')
      .send({ _csrf: token, ...still, trials: '5000', seed: '8', commonSd: '0.1' })
      .redirects(0);
    const jobPath = String(start.headers.location);
    const page = await agent.get(jobPath).set('Cookie', 'lang=zh');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<progress id="job-progress" max="5000" value="\d+">/);
    expect(page.text).toMatch(/<span id="job-done">\d+<\/span> \/ 5000/);
    expect(page.text).toContain('<p id="job-state">运行中</p>');
    expect(page.text).toContain(
      `<a href="/portfolios/${id}/fiscal#portfolio-risk" id="job-back">返回财政分析</a>`,
    );
    expect(page.text).toContain('id="job-cancel">取消</button>');
    const cancel = await agent
      .post(`${jobPath}/cancel`)
      .type('form')
      .send({ _csrf: inputValue(page.text, '_csrf')! })
      .redirects(0);
    expect(cancel.status).toBe(303);
    expect(cancel.headers.location).toBe(jobPath);
    expect((await ended(agent, jobPath.slice('/risk-jobs/'.length))).state).toBe('cancelled');
    const after = await agent.get(jobPath).set('Cookie', 'lang=zh');
    expect(after.text).toContain('<p id="job-state">已取消</p>');
    expect(after.text).not.toContain('id="job-cancel"');
    expect(
      t.store.db.prepare('SELECT COUNT(*) FROM portfolio_risk_runs WHERE seed = 8').pluck().get(),
    ).toBe(0);
  }, 120_000);
});

describe('jobs per user', () => {
  it('a third run while two are under way is refused with 429; the two are cancelled through the API', async () => {
    const agent = request.agent(t.app);
    const start = (seed: number) =>
      agent.post(`/api/v1/portfolios/${id}/risk-runs`).send({ trials: 5000, seed });
    const first = await start(101);
    const second = await start(102);
    expect([first.status, second.status]).toEqual([202, 202]);
    const third = await start(103);
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('too-many-risk-jobs');
    for (const job of [first.body.job, second.body.job]) {
      const cancelled = await agent.post(`/api/v1/risk-jobs/${job.id}/cancel`).send({});
      expect(cancelled.status).toBe(200);
      expect((await ended(agent, job.id)).state).toBe('cancelled');
    }
    expect(
      t.store.db.prepare('SELECT COUNT(*) FROM portfolio_risk_runs WHERE seed > 100').pluck().get(),
    ).toBe(0);
  }, 120_000);
});

describe('POST /api/v1/portfolios/:id/risk-runs', () => {
  it.each([
    [{}, ['seed', 'trials']],
    [{ trials: 2, seed: 1, shocks: { common: { sd: 2 } } }, ['shocks.common.sd']],
    [{ trials: 2, seed: 1, shocks: { driver: 'tariff' } }, ['shocks.driver']],
    [{ trials: 2.5, seed: 1 }, ['trials']],
  ])('refuses %j with 422 at %j', async (body, paths) => {
    const res = await request(t.app).post(`/api/v1/portfolios/${id}/risk-runs`).send(body);
    expect(res.status).toBe(422);
    expect(res.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(paths);
  });

  it('starts a job, records the run, answers a repeat from the record, and the re-run reproduces it', async () => {
    const agent = request.agent(t.app);
    const body = { trials: 3, seed: 21, shocks: { driver: 'opex', common: { sd: 0.05 } } };
    const started = await agent.post(`/api/v1/portfolios/${id}/risk-runs`).send(body);
    expect(started.status).toBe(202);
    expect(started.body.job).toMatchObject({ kind: 'portfolio', subjectId: id, trials: 3 });
    const job = await ended(agent, started.body.job.id);
    expect(job.state).toBe('done');
    const followed = await agent.get(`/api/v1/risk-jobs/${started.body.job.id}`);
    expect(followed.body.run).toEqual({
      id: job.runId,
      url: `/api/v1/portfolio-risk-runs/${job.runId}`,
      page: `/portfolio-risk-runs/${job.runId}`,
    });
    const run = await agent.get(`/api/v1/portfolio-risk-runs/${job.runId}`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      portfolioId: id,
      trials: 3,
      seed: 21,
      spec: {
        trials: 3,
        seed: 21,
        shocks: { driver: 'opex', common: { sd: 0.05 }, own: { sd: 0.1 } },
      },
    });
    expect(run.body.summary.members).toHaveLength(12);
    const again = await agent.post(`/api/v1/portfolios/${id}/risk-runs`).send(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      cached: true,
      run: { id: job.runId, url: `/api/v1/portfolio-risk-runs/${job.runId}` },
    });
    const rerun = await agent.get(`/api/v1/portfolio-risk-runs/${job.runId}/rerun`);
    expect(rerun.body).toEqual({
      id: job.runId,
      summaryHash: run.body.summaryHash,
      rerunHash: run.body.summaryHash,
      reproduced: true,
    });
  }, 120_000);
});
