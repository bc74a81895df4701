import request from 'supertest';
import { Dec } from '../../src/domain/decimal';
import { simulate } from '../../src/domain/engine/simulate';
import { metricValue } from '../../src/domain/risk/metrics';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import { portfolioFiscalReport } from '../../src/store/fiscal-report';
import { makeApp, testRiskRunner, type TestApp } from './support/app';

/**
 * Break-even on scenario inputs and the portfolio's peak PPP ratio (README "Risk drivers",
 * "Risk metrics") on the demo: SC-OPS-CENTRE's 12-year availability PPP is a member of all three
 * demo portfolios (ids 1, 2, 3, each with a budget forecast); the default is portfolio 1.
 */
let t: TestApp;
let opsId: number;
let opsInput: ScenarioInput;
const OPS_12Y = 'PPP 可用性付费(12年年金法) Availability PPP, 12-year annuity';
const OPS_10Y = 'PPP 可用性付费(10年) Availability PPP, 10 years';

beforeAll(() => {
  t = makeApp({ as: 'analyst' });
  opsId = t.store.scenarios.get('SC-OPS-CENTRE', OPS_12Y).id;
  opsInput = t.store.scenarios.current(opsId).inputs as ScenarioInput;
});
afterAll(() => testRiskRunner().close());

/** The fiscal report's peak ratio of a portfolio with a hand-changed copy of the scenario switched in. */
function peakWith(
  portfolioId: number,
  from: ScenarioInput,
  name: string,
  change: (s: ScenarioInput) => void,
): string {
  const byHand = structuredClone(from);
  byHand.scenario.name = name;
  change(byHand);
  const saved = t.store.scenarios.save(byHand, { actor: 'setup' });
  const report = portfolioFiscalReport(t.store, portfolioId, {
    switches: { 'SC-OPS-CENTRE': saved.scenario.id },
    bondStress: false,
  });
  return report.affordability!.peak!.ratio;
}

describe('break-even on scenario inputs through the API', () => {
  it('solves the AP profit rate for equity IRR = 8 %; written into the scenario by hand, the engine gives exactly the metric reached', async () => {
    const res = await request(t.app).get(
      `/api/v1/scenarios/${opsId}/risk/solve?driver=input:ap-profit-rate&metric=equityIrr&target=0.08`,
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(
      expect.arrayContaining(['driver', 'value', 'metric', 'target', 'reached']),
    );
    expect(res.body.driver).toBe('input:ap-profit-rate');
    const byHand = structuredClone(opsInput);
    byHand.government!.availabilityPayment!.profitRate = res.body.value as string;
    const again = metricValue(simulate(parseScenario(byHand)), 'equityIrr')!;
    expect(again.toString()).toBe(res.body.reached);
    expect(again.minus('0.08').abs().lte('0.000001')).toBe(true);
  });

  it('refuses an input the scenario does not have with 422 naming the field', async () => {
    const res = await request(t.app).get(
      `/api/v1/scenarios/${opsId}/risk/solve?driver=input:operating-subsidy&metric=equityIrr&target=0.08`,
    );
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('"path":"driver"');
    expect(JSON.stringify(res.body)).toContain('The scenario has no government.operatingSubsidy');
  });
});

describe("the portfolio's peak PPP ratio as a metric", () => {
  it('at capex ×1.2 is the fiscal report’s peak with the capex schedule scaled by 1.2 by hand', async () => {
    const res = await request(t.app).get(
      `/api/v1/scenarios/${opsId}/risk/sensitivity?metric=peakPppRatio&driver=capex`,
    );
    expect(res.status).toBe(200);
    const base = portfolioFiscalReport(t.store, 1, { bondStress: false });
    expect(res.body.base).toBe(base.affordability!.peak!.ratio);
    expect(res.body.base).toBe('0.098522');
    const row = (res.body.drivers as Array<{ driver: string; atHigh: string }>)[0]!;
    expect(row.driver).toBe('capex');
    const hand = peakWith(1, opsInput, 'capex ×1.2 by hand', (s) => {
      s.capex.scheduleYuan = ['864000000.00', '636000000.00'];
    });
    expect(row.atHigh).toBe(hand);
    expect(hand).toBe('0.099015');
  });

  it('solves the 10-year MoF-formula scenario’s AP profit rate for a peak ratio of 10.05 % in portfolio 1 (9.9712 % at 6 %); that rate by hand gives the fiscal report’s peak reached', async () => {
    const tenId = t.store.scenarios.get('SC-OPS-CENTRE', OPS_10Y).id;
    const tenInput = t.store.scenarios.current(tenId).inputs as ScenarioInput;
    const base = await request(t.app).get(
      `/api/v1/scenarios/${tenId}/risk/sensitivity?metric=peakPppRatio&driver=capex&portfolio=1`,
    );
    expect(base.body.base).toBe('0.099712');
    const res = await request(t.app).get(
      `/api/v1/scenarios/${tenId}/risk/solve?driver=input:ap-profit-rate&metric=peakPppRatio&target=0.1005&portfolio=1`,
    );
    expect(res.status).toBe(200);
    expect(res.body.value).not.toBeNull();
    expect(new Dec(res.body.value as string).gt('0.06')).toBe(true);
    expect(res.body.reached).toBe('0.1005');
    const hand = peakWith(1, tenInput, 'profit rate by hand', (s) => {
      s.government!.availabilityPayment!.profitRate = res.body.value as string;
    });
    expect(res.body.reached).toBe(hand);
  });

  it('answers 422 at portfolio for a bad portfolio parameter', async () => {
    const res = await request(t.app).get(
      `/api/v1/scenarios/${opsId}/risk/sensitivity?metric=peakPppRatio&portfolio=first`,
    );
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('"path":"portfolio"');
  });
});

describe('the Risk page', () => {
  it('lists the scenario’s inputs in the break-even form, the peak PPP ratio among the metrics and a portfolio select', async () => {
    const res = await request(t.app).get(`/scenarios/${opsId}/risk`).set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '<option value="input:ap-profit-rate">Availability payment: reasonable profit rate</option>',
    );
    expect(res.text).toContain(
      '<option value="input:debt-share:bank">Debt share of the investment · bank</option>',
    );
    expect(res.text).not.toContain('input:operating-subsidy');
    expect(res.text).toContain(
      '<option value="peakPppRatio">Peak PPP ratio of the portfolio</option>',
    );
    expect(res.text).toMatch(
      /<select name="portfolio" id="risk-portfolio"><option value="1" selected>/,
    );
  });

  it('answers the break-even form for an input with its value in % and the metric reached', async () => {
    const res = await request(t.app)
      .get(`/scenarios/${opsId}/risk?solveFor=input:ap-profit-rate&target=equityIrr&value=0.08`)
      .set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /id="solve-answer" class="notice notice-ok">Availability payment: reasonable profit rate at [\d.]+% gives 8\.00%/,
    );
    expect(res.text).toContain('<option value="input:ap-profit-rate" selected>');
  });

  it('draws the tornado of the peak PPP ratio in the chosen portfolio', async () => {
    const res = await request(t.app)
      .get(`/scenarios/${opsId}/risk?metric=peakPppRatio&portfolio=1`)
      .set('Cookie', 'lang=en');
    expect(res.status).toBe(200);
    // The fiscal report's 0.098522, shown in % as the fiscal page shows the ratio.
    expect(res.text).toContain('<strong id="risk-base">9.8522%</strong>');
    expect(res.text).toMatch(
      /<tr data-driver="capex"><th>Capex<\/th><td>×0.9<\/td><td>×1.2<\/td><td>9.8276%<\/td><td>9.9015%<\/td>/,
    );
  });
});
