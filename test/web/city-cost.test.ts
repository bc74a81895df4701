import request from 'supertest';
import { bondProjectInput, legacyPppInput } from '../domain/fiscal/builders';
import { makeApp, type Agent, type TestApp } from './support/app';
import { section, visibleText } from './support/html';
import { postSettingsForm } from './support/settings-form';

/**
 * The "what it costs the city" page and API (issue 12) on the hand-worked portfolio of
 * test/domain/fiscal/city-cost.test.ts (T-PPP-A and T-BOND-1), with bond quotas and both
 * budgets entered through the fiscal settings form: what a user reads, in English and Chinese.
 */

const CITY = '示范市 Demo City';
const EN_YUAN = 'lang=en; unit=yuan';
const ZH_WAN = 'lang=zh; unit=wan';

let t: TestApp;
let agent: Agent;
let id: number;

const get = (url: string, cookies = EN_YUAN) => agent.get(url).set('Cookie', cookies);
const row = (html: string, table: string, year: number | string) => {
  const m = new RegExp(`<tr data-year="${year}"[^>]*>[\\s\\S]*?</tr>`).exec(
    section(html, 'table', table),
  );
  if (!m) throw new Error(`no row ${year} in ${table}`);
  return visibleText(m[0]);
};

const postSettings = (values: Record<string, string>) =>
  postSettingsForm(agent, id, values, EN_YUAN);

beforeAll(() => {
  t = makeApp();
  agent = request.agent(t.app);
  for (const input of [legacyPppInput(), bondProjectInput()]) {
    input.project.jurisdiction = CITY;
    t.store.scenarios.save(input, { actor: 'approver' });
  }
  id = t.store.portfolios.create(
    {
      name: 'city cost test',
      members: [
        { projectCode: 'T-PPP-A', scenarioName: 'base' },
        { projectCode: 'T-BOND-1', scenarioName: 'base' },
      ],
    },
    'approver',
  ).id;
});

describe('bond quotas on the fiscal settings form', () => {
  it('refuses a quota year given twice (422 naming it), keeping what was typed; nothing saved', async () => {
    const typed = '2026: 700000 / 0\n2026: 1 / 0';
    const res = await postSettings({
      jurisdiction: CITY,
      method: 'explicit',
      years: '2026: 4000000\n2027: 1000000',
      bondQuotas: typed,
    });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('quota year 2026 is given twice');
    expect(res.text).toContain('2026: 1 / 0');
    expect(t.store.fiscal.getSettings(id)).toBeNull();
  });

  it('refuses a negative quota', async () => {
    const res = await postSettings({
      jurisdiction: CITY,
      method: 'explicit',
      years: '2026: 4000000',
      bondQuotas: '2026: -5 / 0',
    });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Special-bond quota cannot be negative');
    expect(t.store.fiscal.getSettings(id)).toBeNull();
  });

  it('saves quotas and the government-fund budget, and shows them back as typed', async () => {
    const res = await postSettings({
      jurisdiction: CITY,
      method: 'explicit',
      years: '2026: 4000000\n2027: 1000000',
      fundBaseYear: '2026',
      fundBaseAmountYuan: '200000',
      fundGrowth: '0.1',
      bondQuotas: '2026: 700000 / 0\n2027: 500,000 / 0',
    });
    expect(res.status).toBe(303);
    const s = t.store.fiscal.getSettings(id)!;
    expect(s.bondQuotas).toEqual([
      { year: 2026, specialBondYuan: '700000', generalBondYuan: '0' },
      { year: 2027, specialBondYuan: '500000', generalBondYuan: '0' },
    ]);
    expect(s.fundBudget).toEqual({
      method: 'growth',
      baseYear: 2026,
      baseAmountYuan: '200000',
      growth: '0.1',
    });
    const page = await get(`/portfolios/${id}/fiscal/settings`);
    expect(page.text).toContain('2026: 700000 / 0\n2027: 500000 / 0');
  });
});

describe('the city-cost page', () => {
  it('shows every column by year, the budgets and the failed quota check, in English (yuan)', async () => {
    const fiscal = await get(`/portfolios/${id}/fiscal`);
    expect(fiscal.text).toContain(`href="/portfolios/${id}/city-cost"`);
    const res = await get(`/portfolios/${id}/city-cost`);
    expect(res.status).toBe(200);
    expect(row(res.text, 'city-cost', 2026)).toBe(
      '2026 200,000.00 – – – 200,000.00 – – 24,000.00 – – – 424,000.00',
    );
    expect(row(res.text, 'city-cost', 2030)).toBe(
      '2030 – – – – – – 800,000.00 24,000.00 – – – 824,000.00',
    );
    expect(row(res.text, 'city-cost', 'total')).toBe(
      'All years 200,000.00 – 300,000.00 – 200,000.00 – 800,000.00 120,000.00 – – – 1,620,000.00',
    );
    expect(row(res.text, 'city-budgets', 2027)).toBe(
      '2027 100,000.00 1,000,000.00 10.00% 900,000.00 24,000.00 220,000.00 10.91% 196,000.00',
    );
    expect(row(res.text, 'city-budgets', 2030)).toBe(
      '2030 – — — — 824,000.00 292,820.00 281.40% -531,180.00',
    );
    expect(row(res.text, 'city-quotas', 2026)).toBe(
      '2026 800,000.00 700,000.00 -100,000.00 – 0.00 0.00',
    );
    expect(visibleText(section(res.text, 'p', 'quota-check'))).toBe(
      'Quota check failed: issuance above the quota.',
    );
    expect(visibleText(section(res.text, 'ul', 'quota-breaches'))).toBe(
      '2026: Special bonds issued 800,000.00 against a quota of 700,000.00, 100,000.00 CNY over.',
    );
  });

  it('speaks Chinese in 万元', async () => {
    const res = await get(`/portfolios/${id}/city-cost`, ZH_WAN);
    expect(res.status).toBe(200);
    expect(visibleText(res.text)).toContain('金额单位：万元');
    expect(row(res.text, 'city-cost', 2026)).toBe('2026 20.00 – – – 20.00 – – 2.40 – – – 42.40');
    expect(visibleText(section(res.text, 'ul', 'quota-breaches'))).toBe(
      '2026年：专项债券发行 80.00，限额 70.00，超出 10.00 万元。',
    );
  });

  it('answers the API with exact decimal text', async () => {
    const res = await agent.get(`/api/v1/portfolios/${id}/city-cost`);
    expect(res.status).toBe(200);
    const c = res.body.cityCost;
    expect(c.report.rows[0]).toMatchObject({
      year: 2026,
      totalYuan: '424000',
      fund: { chargedYuan: '24000', budgetYuan: '200000', share: '0.12', headroomYuan: '176000' },
      specialIssuance: { issuedYuan: '800000', quotaYuan: '700000', overYuan: '100000' },
    });
    expect(c.report.quotaCheck.breaches).toEqual([
      {
        year: 2026,
        kind: 'special-bond',
        issuedYuan: '800000',
        quotaYuan: '700000',
        overYuan: '100000',
      },
    ]);
    expect(c.quotas).toHaveLength(2);
  });
});
