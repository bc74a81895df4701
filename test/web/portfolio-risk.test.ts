import request from 'supertest';
import { Dec } from '../../src/domain/decimal';
import { portfolioFiscalReport } from '../../src/store';
import { makeApp, testRiskRunner, type TestApp } from './support/app';

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

describe('the fiscal page', () => {
  it('shows the portfolio risk form with its defaults and runs nothing', async () => {
    const res = await request(t.app).get(`/portfolios/${id}/fiscal`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="portfolio-risk-form"');
    expect(res.text).toContain('name="trials" inputmode="numeric" value="200"');
    expect(res.text).toContain('name="commonSd" inputmode="decimal" value="0.1"');
    expect(res.text).not.toContain('id="portfolio-risk-probabilities"');
  });

  it('runs when the form is sent: probabilities, the peak ratio and the fan chart', async () => {
    const res = await request(t.app).get(
      `/portfolios/${id}/fiscal?risk=1&trials=2&seed=1&commonSd=0&ownSd=0&driver=revenue`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/data-probability="breach">100\.00%</);
    expect(res.text).toMatch(
      /data-summary="peak"><th scope="row">[^<]+<\/th><td class="num">10\.288%/,
    );
    expect(res.text).toContain('"portfolioRiskFan"');
    expect(res.text).toContain('name="trials" inputmode="numeric" value="2"');
  });

  it('refuses a bad form with 422, keeping what was typed, in Chinese too', async () => {
    const res = await request(t.app)
      .get(`/portfolios/${id}/fiscal?risk=1&trials=lots&ownSd=0.2`)
      .set('Cookie', 'lang=zh');
    expect(res.status).toBe(422);
    expect(res.text).toContain('data-issue="trials"');
    expect(res.text).toContain('value="lots"');
    expect(res.text).toContain('value="0.2"');
    expect(res.text).toContain('组合风险');
  });
});
