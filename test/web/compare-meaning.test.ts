import request from 'supertest';
import { scenarioInput } from '../store/helpers/fixtures';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import { DEMO_CITY } from './support/accounts';
import { makeApp, type TestApp } from './support/app';
import { formFields, section, unescapeHtml, visibleText } from './support/html';

/**
 * Comparisons say what a difference means (issue 8, defect 8): each metric is better higher,
 * better lower or neither, and a difference is green when better, red when worse and grey when
 * neither, whatever its sign; and "Compare these scenarios" with more than four scenarios asks
 * which four instead of silently taking the first four.
 *
 * Fixtures: 10,000,000.00 yuan of capex, half budget, half enterprise equity, no tax, 10
 * operation years. "Subsidised" adds a government operating subsidy of 100,000.00 yuan a year,
 * so the government pays 10 × 100,000.00 = 1,000,000.00 yuan more and the equity earns more;
 * "Bigger" spends 12,000,000.00 yuan (2,000,000.00 more: neither better nor worse).
 */

const EN = 'lang=en; unit=yuan';
let t: TestApp;

const plain = (name: string, patch: (s: ReturnType<typeof scenarioInput>) => void = () => {}) =>
  scenarioInput('P-001', name, (s) => {
    s.funding.sources = [
      { id: 'budget', name: 'General budget', type: 'budget', share: '0.5' },
      { id: 'equity', name: 'Enterprise equity', type: 'enterprise-equity', share: '0.5' },
    ];
    patch(s);
  });
const subsidised = (name: string) =>
  plain(name, (s) => {
    s.government = { operatingSubsidy: { annualYuan: '100000.00' } };
  });

beforeAll(() => {
  t = makeApp({ demo: false });
});

/** Saved in the demo city, whose approver the requests are signed in as. */
const save = (input: ScenarioInput) =>
  t.store.scenarios.save(
    { ...input, project: { ...input.project, jurisdiction: DEMO_CITY } },
    { actor: 'test' },
  );
const get = (url: string, cookie = EN) => request(t.app).get(url).set('Cookie', cookie);

/** The delta of one metric row: its text, its class and its title. */
function delta(html: string, table: string, label: string, column = 1) {
  const rows = section(html, 'table', table).match(/<tr>[\s\S]*?<\/tr>/g) ?? [];
  const row = rows.find(
    (r) => visibleText(/<th scope="row">([\s\S]*?)<\/th>/.exec(r)?.[1] ?? '') === label,
  );
  if (!row) throw new Error(`no row ${label}`);
  const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1] ?? '');
  const m = /<span class="delta delta-([a-z]+)" title="([^"]*)">([^<]*)<\/span>/.exec(
    cells[column] ?? '',
  );
  if (!m) throw new Error(`no delta in ${label}`);
  return { tone: m[1], title: unescapeHtml(m[2] ?? ''), text: m[3] };
}

describe('differences coloured by meaning', () => {
  let base: number;
  let more: number;
  let bigger: number;
  beforeAll(() => {
    base = save(plain('Base')).scenario.id;
    more = save(subsidised('Subsidised')).scenario.id;
    bigger = save(
      plain('Bigger', (s) => {
        s.capex.scheduleYuan = ['7200000.00', '4800000.00'];
      }),
    ).scenario.id;
  });

  it('lower government outlay is better (green), a lower equity IRR worse (red)', async () => {
    const res = await get(`/compare?s=${more}&s=${base}`);
    expect(res.status).toBe(200);
    expect(delta(res.text, 'compare-metrics', 'Government outlay (net)')).toEqual({
      tone: 'better',
      title: 'better',
      text: '-1,000,000.00',
    });
    expect(delta(res.text, 'compare-metrics', 'Equity IRR')).toMatchObject({
      tone: 'worse',
      title: 'worse',
    });
    expect(delta(res.text, 'compare-metrics', 'Equity IRR').text).toMatch(/^-\d+\.\d{2} pp$/);
    expect(visibleText(section(res.text, 'p', 'delta-legend'))).toBe(
      'Higher is better for NPV, IRR, DSCR, LLCR and special-bond coverage; lower is better for government outlay, unfunded shortfall and payback; investment and funding by pillar are neither. Green: better · red: worse · grey: neither better nor worse',
    );
  });

  it('the other way round: more outlay is worse although the sign is +', async () => {
    const res = await get(`/compare?s=${base}&s=${more}&s=${bigger}`);
    expect(delta(res.text, 'compare-metrics', 'Government outlay (net)')).toEqual({
      tone: 'worse',
      title: 'worse',
      text: '+1,000,000.00',
    });
    expect(delta(res.text, 'compare-metrics', 'Equity IRR').tone).toBe('better');
    expect(delta(res.text, 'compare-metrics', 'Unfunded shortfall').tone).toBe('same');
    // A bigger investment is neither better nor worse.
    expect(delta(res.text, 'compare-metrics', 'Total investment', 2)).toEqual({
      tone: 'neutral',
      title: 'changed, neither better nor worse',
      text: '+2,000,000.00',
    });
  });

  it('in Chinese too', async () => {
    const res = await get(`/compare?s=${more}&s=${base}`, 'lang=zh; unit=yuan');
    expect(delta(res.text, 'compare-metrics', '政府净支出')).toEqual({
      tone: 'better',
      title: '更优',
      text: '-1,000,000.00',
    });
    expect(visibleText(section(res.text, 'p', 'delta-legend'))).toContain(
      '绿色：更优 · 红色：更差',
    );
  });

  it("on a scenario's history: a version that costs the government more is worse", async () => {
    const v1 = save(plain('History')).version.id;
    const saved = save(subsidised('History'));
    const res = await get(
      `/scenarios/${saved.scenario.id}/history?from=${v1}&to=${saved.version.id}`,
    );
    expect(res.status).toBe(200);
    expect(delta(res.text, 'metric-diff', 'Government outlay (net)')).toEqual({
      tone: 'worse',
      title: 'worse',
      text: '+1,000,000.00',
    });
    expect(delta(res.text, 'metric-diff', 'Equity IRR').tone).toBe('better');
    expect(res.text).toContain('id="delta-legend"');
  });
});

describe('comparing more than four scenarios', () => {
  let ids: number[];
  beforeAll(() => {
    ids = ['A', 'B', 'C', 'D', 'E', 'F'].map(
      (n) => save(scenarioInput('P-SIX', `Case ${n}`)).scenario.id,
    );
  });

  it('the project page links to all six and says the user will choose four', async () => {
    const res = await get('/projects/P-SIX');
    const link = /<a class="button secondary" href="([^"]*)" id="compare-all">([^<]*)<\/a>/.exec(
      res.text,
    );
    expect(unescapeHtml(link?.[1] ?? '')).toBe(`/compare?${ids.map((id) => `s=${id}`).join('&')}`);
    expect(link?.[2]).toBe('Compare these scenarios (choose 4 of 6)');
  });

  it('the compare page answers 422, lists all six to tick, and compares the four ticked', async () => {
    const res = await get(`/compare?${ids.map((id) => `s=${id}`).join('&')}`);
    expect(res.status).toBe(422);
    const form = section(res.text, 'form', 'compare-choose');
    expect(visibleText(form)).toContain(
      '6 scenarios were chosen, but at most 4 can be compared side by side: tick the ones to compare.',
    );
    expect(visibleText(form)).toContain('Project P-SIX (P-SIX) · Case F');
    const boxes = [...form.matchAll(/<input type="checkbox" name="s" value="(\d+)">/g)].map((m) =>
      Number(m[1]),
    );
    expect(boxes).toEqual(ids);
    expect(res.text).not.toContain('id="compare-metrics"');
    expect(formFields(form)).toEqual([]);

    const chosen = [ids[1], ids[2], ids[4], ids[5]];
    const four = await get(`/compare?${chosen.map((id) => `s=${id}`).join('&')}`);
    expect(four.status).toBe(200);
    const heads = section(four.text, 'table', 'compare-metrics').match(
      /<th scope="col" class="num">/g,
    );
    expect(heads).toHaveLength(4);
    expect(visibleText(section(four.text, 'table', 'compare-metrics'))).toContain('Case F');
  });

  it('says so in Chinese', async () => {
    const res = await get(`/compare?${ids.map((id) => `s=${id}`).join('&')}`, 'lang=zh');
    expect(visibleText(res.text)).toContain(
      '共选择了 6 个方案，但最多只能并排对比 4 个：请勾选要对比的方案。',
    );
  });
});
