import request from 'supertest';
import { makeApp, type TestApp } from './support/app';
import { section, visibleText } from './support/html';
import { smallInput } from '../helpers/scenarios';

let t: TestApp;
let id: number;
let versionIds: number[];
beforeAll(() => {
  t = makeApp({ demo: false });
  id = t.store.scenarios.save(smallInput(), { actor: '张三', comment: 'first' }).scenario.id;
  t.store.scenarios.save(smallInput((s) => (s.operatingCost.annualYuan = '350000')), { actor: '李四', comment: 'opex up' });
  t.store.scenarios.save(
    smallInput((s) => {
      s.operatingCost.annualYuan = '350000';
      s.funding.sources[0]!.amountYuan = '500000';
      s.funding.sources[1]!.amountYuan = '500000';
    }),
    { actor: '王五', comment: 'more equity' },
  );
  versionIds = t.store.scenarios.versions(id).map((v) => v.id);
});

const get = (url: string) => request(t.app).get(url).set('Cookie', 'lang=en; unit=yuan');

describe('history of a scenario', () => {
  it('lists every version newest first and compares the last two by default', async () => {
    const res = await get(`/scenarios/${id}/history`);
    expect(res.status).toBe(200);
    const versions = visibleText(section(res.text, 'table', 'versions'));
    expect(versions.indexOf('v3')).toBeLessThan(versions.indexOf('v1'));
    for (const who of ['张三', '李四', '王五', 'more equity']) expect(versions).toContain(who);
    const diff = visibleText(section(res.text, 'table', 'input-diff'));
    expect(diff).toContain('funding.sources[0].amountYuan changed 400000 500000');
    expect(diff).toContain('funding.sources[1].amountYuan changed 600000 500000');
    expect(diff).not.toContain('operatingCost');
  });

  it('compares any two versions: inputs field by field and key metrics with exact deltas', async () => {
    const [v1, , v3] = versionIds;
    const res = await get(`/scenarios/${id}/history?from=${v1}&to=${v3}`);
    expect(res.status).toBe(200);
    const diff = visibleText(section(res.text, 'table', 'input-diff'));
    expect(diff).toContain('operatingCost.annualYuan changed 300000 350000');
    const metrics = visibleText(section(res.text, 'table', 'metric-diff'));
    expect(metrics).toContain('Total investment 1,000,000.00 1,000,000.00 0.00');
    expect(metrics).toContain('Project NPV');
    // The chosen versions are ticked in the form.
    expect(res.text).toMatch(new RegExp(`name="from" value="${v1}"[^>]*checked`));
    expect(res.text).toMatch(new RegExp(`name="to" value="${v3}"[^>]*checked`));
  });

  it('shows no differences between a version and itself', async () => {
    const res = await get(`/scenarios/${id}/history?from=${versionIds[1]}&to=${versionIds[1]}`);
    expect(visibleText(res.text)).toContain('The inputs are identical.');
  });

  it('answers 404 for an unknown scenario or version', async () => {
    expect((await get('/scenarios/999/history')).status).toBe(404);
    expect((await get(`/scenarios/${id}/history?from=999`)).status).toBe(404);
    expect((await get(`/scenarios/${id}/history?from=abc`)).status).toBe(404);
  });

  it('marks an old version on its results page and links to the current one', async () => {
    const res = await get(`/versions/${versionIds[0]}`);
    expect(visibleText(res.text)).toContain('You are looking at version 1; the current version is 3.');
    expect(res.text).toContain(`href="/scenarios/${id}"`);
  });
});
