import request from 'supertest';
import { Dec } from '../../src/domain/decimal';
import { makeApp, type TestApp } from './support/app';
import { section, visibleText } from './support/html';

/**
 * The compare page's rule checks and cap effect (issue 12): the peak PPP ratio of a portfolio
 * holding the project with each compared scenario swapped in, checked against the fiscal report
 * of the same what-if from the API.
 */
let t: TestApp;
beforeAll(() => {
  t = makeApp({ as: 'analyst' });
});

const pct4 = (ratio: string) => `${new Dec(ratio).times(100).toFixed(4, Dec.ROUND_HALF_UP)}%`;

it('shows each scenario’s peak PPP ratio with it swapped in, as the fiscal report has it (en, zh)', async () => {
  const holder = t.store.portfolios
    .list()
    .find(
      (p) =>
        p.members.some((m) => m.projectCode === 'SC-OPS-CENTRE') &&
        t.store.fiscal.getSettings(p.id) !== null,
    )!;
  const scenarios = t.store.scenarios.list({ projectCode: 'SC-OPS-CENTRE' }).slice(0, 2);
  expect(scenarios).toHaveLength(2);
  const expected: string[] = [];
  for (const s of scenarios) {
    const api = await request(t.app).get(
      `/api/v1/portfolios/${holder.id}/fiscal?switch=${encodeURIComponent(`SC-OPS-CENTRE=${s.id}`)}`,
    );
    expect(api.status).toBe(200);
    const peak = api.body.report.affordability.peak as { year: number; ratio: string };
    expected.push(`${pct4(peak.ratio)} (${peak.year})`);
  }
  expect(expected[0]).not.toBe(expected[1]);
  const url = `/compare?s=${scenarios[0]!.id}&s=${scenarios[1]!.id}`;
  const en = await request(t.app).get(url).set('Cookie', 'lang=en');
  expect(en.status).toBe(200);
  const table = visibleText(section(en.text, 'table', 'compare-cap'));
  expect(table).toContain(`Peak PPP ratio with this scenario ${expected[0]} ${expected[1]}`);
  expect(table).toContain(`Portfolio ${holder.name} ${holder.name}`);
  expect(table).toMatch(/Rules passed \/ failed \d+ passed · \d+ failed \d+ passed · \d+ failed/);
  const zh = await request(t.app).get(url).set('Cookie', 'lang=zh');
  expect(visibleText(section(zh.text, 'table', 'compare-cap'))).toContain(
    `以此方案测算的PPP支出占比峰值 ${expected[0]} ${expected[1]}`,
  );
});
