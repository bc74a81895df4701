import express from 'express';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { Dec } from '../../src/domain/decimal';
import type { Store } from '../../src/store';
import { prefsMiddleware } from '../../src/web/middleware/prefs';
import { PageCache } from '../../src/web/services/page-cache';
import { createPageRenderer } from '../../src/web/services/pages';
import * as resultsModel from '../../src/web/view-models/results';
import { DEMO_DIR, makeApp, type TestApp } from './support/app';
import { section, visibleText } from './support/html';

let t: TestApp;
beforeAll(() => {
  t = makeApp();
});

const get = (url: string, cookies: string[] = []) =>
  request(t.app).get(url).set('Cookie', cookies.join('; '));
const EN = ['lang=en'];
const scenarioId = (code: string, name: string) => t.store.scenarios.get(code, name).id;
const demoFile = (name: string) =>
  JSON.parse(readFileSync(join(DEMO_DIR, 'scenarios', name), 'utf8')) as {
    capex: { scheduleYuan: string[] };
    scenario: { name: string };
  };
const PARKING = 'sc-parking--concession.json';

describe('dashboard', () => {
  it('shows the first portfolio with totals by pillar, the project table and the flags, in Chinese by default', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    const text = visibleText(res.text);
    expect(text).toContain('项目组合总览');
    expect(text).toContain('按资金支柱汇总');
    for (const pillar of ['政府引导', '企业主体', '社会补充']) expect(text).toContain(pillar);
    expect(text).toContain('金额单位：万元');
    const table = visibleText(section(res.text, 'table', 'portfolio-projects'));
    for (const code of ['SC-DATA-BASE', 'SC-IOT-SENSE', 'SC-WATER', 'SC-TRANSPORT', 'SC-PARKING'])
      expect(table).toContain(code);
    expect(res.text).toContain('<canvas data-chart="outlay"');
    expect(res.text).toContain('<script type="application/json" id="chart-data">');
  });

  it('flags the bond-heavy plan: special-bond coverage below 1.2 for the water project', async () => {
    const list = t.store.portfolios.list();
    const bondHeavy = list.find((p) => p.name.includes('Bond-heavy'))!;
    const res = await get(`/?portfolio=${bondHeavy.id}`, EN);
    expect(res.status).toBe(200);
    const table = section(res.text, 'table', 'portfolio-projects');
    const waterRow = table.split('<tr>').find((r) => r.includes('SC-WATER'))!;
    expect(visibleText(waterRow)).toContain('Coverage < threshold');
    expect(waterRow).toContain('class="num bad"');
    expect(visibleText(res.text)).toMatch(/\d+ project\(s\) need attention/);
  });

  it('compares two portfolios side by side with differences', async () => {
    const [a, b] = t.store.portfolios.list();
    const res = await get(`/?portfolio=${a!.id}&vs=${b!.id}`, EN);
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Portfolio comparison');
    expect(text).toContain(a!.name);
    expect(text).toContain(b!.name);
    expect(res.text).toContain('data-chart="compareOutlay"');
  });

  it('answers 404 for a portfolio that does not exist', async () => {
    const res = await get('/?portfolio=999');
    expect(res.status).toBe(404);
    expect(visibleText(res.text)).toContain('未找到');
  });
});

describe('units and language', () => {
  const parking = () => scenarioId('SC-PARKING', demoFile(PARKING).scenario.name);
  const investment = () =>
    demoFile(PARKING).capex.scheduleYuan.reduce((a, v) => a.plus(v), new Dec(0));

  it.each([
    ['yuan', (d: Dec) => d.toFixed(2)],
    ['wan', (d: Dec) => d.div(10000).toFixed(2)],
    ['yi', (d: Dec) => d.div(100000000).toFixed(4)],
  ])('shows the total investment in %s with thousands separators', async (unit, expected) => {
    const res = await get(`/scenarios/${parking()}`, [`unit=${unit}`]);
    expect(res.status).toBe(200);
    const card = visibleText(
      /data-metric="totalInvestment"([\s\S]*?)data-metric=/.exec(res.text)![1]!,
    );
    const [int, frac] = expected(investment()).split('.');
    const want = `${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
    expect(card).toContain(want);
  });

  it('switches language with a cookie; the prefs link sets it and comes back', async () => {
    const agent = request.agent(t.app);
    const set = await agent.get('/prefs?lang=en&unit=yuan&back=/projects');
    expect(set.status).toBe(303);
    expect(set.headers.location).toBe('/projects');
    const cookies = (set.headers['set-cookie'] as unknown as string[]).join(';');
    expect(cookies).toMatch(/lang=en;.*Max-Age=31536000/);
    expect(cookies).toMatch(/unit=yuan/);
    const page = await agent.get('/projects');
    expect(visibleText(page.text)).toContain('Projects');
    expect(page.text).toContain('<html lang="en">');
    const zh = await agent.get('/prefs?lang=zh&back=/projects').then(() => agent.get('/projects'));
    expect(zh.text).toContain('<html lang="zh-CN">');
    expect(visibleText(zh.text)).toContain('最近保存');
  });

  it('ignores unknown values in the preference cookies', async () => {
    const res = await get('/projects', ['lang=fr', 'unit=usd']);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="zh-CN">');
  });

  it('formats dates for the language', async () => {
    const zh = visibleText((await get('/projects/SC-PARKING')).text);
    const en = visibleText((await get('/projects/SC-PARKING', EN)).text);
    expect(zh).toContain('2024年8月26日');
    expect(en).toContain('26 Aug 2024');
  });
});

describe('projects', () => {
  it('lists every demo project with its number of scenarios', async () => {
    const res = await get('/projects', EN);
    expect(res.status).toBe(200);
    const table = visibleText(section(res.text, 'table', 'project-list'));
    expect(t.store.projects.list()).toHaveLength(12);
    for (const p of t.store.projects.list()) expect(table).toContain(p.code);
    expect(table).toContain('Smart parking concession');
  });

  it('shows a project with its scenarios side by side and the version history', async () => {
    const res = await get('/projects/SC-PARKING', EN);
    expect(res.status).toBe(200);
    const metrics = visibleText(section(res.text, 'table', 'scenario-metrics'));
    for (const s of t.store.scenarios.list({ projectCode: 'SC-PARKING' }))
      expect(metrics).toContain(s.name);
    expect(metrics).toContain('Project IRR');
    expect(metrics).toContain('Minimum DSCR');
    const history = visibleText(section(res.text, 'table', 'project-history'));
    expect(history).toContain('fundmix-demo');
    expect(history).toContain('v1');
  });

  it('answers 404 with a page for an unknown project', async () => {
    const res = await get('/projects/NOPE-404', EN);
    expect(res.status).toBe(404);
    expect(visibleText(res.text)).toContain('Not found');
    expect(res.text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  });
});

describe('results', () => {
  it('shows metric cards, flags, the four charts and the whole ledger', async () => {
    const id = scenarioId('SC-HEALTH', 'PPP 可行性缺口补助 Viability-gap PPP');
    const res = await get(`/scenarios/${id}`, EN);
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    for (const label of [
      'Total investment',
      'Project NPV',
      'Project IRR',
      'Payback',
      'Minimum DSCR',
      'LLCR',
      'Special-bond coverage',
      'Government outlay (net)',
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toMatch(/DSCR is below the covenant in \d+ year\(s\)/);
    for (const chart of ['cashflows', 'debt', 'pillars', 'government'])
      expect(res.text).toContain(`data-chart="${chart}"`);
    const ledger = section(res.text, 'table', 'ledger');
    const version = t.store.scenarios.current(id);
    const result = t.store.results.forVersion(version.id);
    expect(ledger.match(/<th scope="col" class="num/g)).toHaveLength(result.ledger.length);
    expect(visibleText(ledger)).toContain('CFADS');
    expect(visibleText(ledger)).toContain('Net government outlay');
    expect(res.text).toContain(`/versions/${version.id}/scenario.json`);
    expect(res.text).toContain(`/versions/${version.id}/ledger.csv`);
  });

  it('embeds chart data as JSON that parses, with every value in the chosen unit', async () => {
    const id = scenarioId('SC-PARKING', demoFile(PARKING).scenario.name);
    const res = await get(`/scenarios/${id}`, ['unit=yi']);
    const json = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(
      res.text,
    )![1]!;
    const data = JSON.parse(json) as {
      unitLabel: string;
      charts: Record<string, { datasets: Array<{ data: number[] }> }>;
    };
    expect(data.unitLabel).toBe('亿元');
    const doughnut = data.charts.pillars!.datasets[0]!.data;
    expect(doughnut.reduce((a, b) => a + b, 0)).toBeCloseTo(2.6, 6);
  });

  it('shows an old version with a pointer to the current one', async () => {
    const res = await get('/versions/1', EN);
    expect(res.status).toBe(200);
    expect(visibleText(res.text)).toContain('Version 1 of 1');
  });

  it.each([
    '/scenarios/99999',
    '/versions/99999',
    '/scenarios/abc',
    '/versions/1.5',
    '/versions/99999/ledger.csv',
  ])('answers 404 for %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(res.text).toContain('未找到');
  });

  it('downloads the scenario file exactly as stored', async () => {
    const version = t.store.scenarios.version(1);
    const res = await get('/versions/1/scenario.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename=".*-v1\.json"; filename\*=UTF-8''/,
    );
    expect(res.text).toBe(version.inputsJson);
  });

  it('downloads the ledger as CSV: one row per year, one column per line item', async () => {
    const res = await get('/versions/1/ledger.csv', EN);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^Year,Phase,Capital expenditure,Revenue: /);
    expect(lines).toHaveLength(1 + t.store.results.forVersion(1).ledger.length);
    expect(lines[1]).toMatch(/^\d{4},Construction,\d+\.\d{2},/);
  });

  it('downloads the ledger CSV with Chinese headers for a Chinese user, machine codes on ?headers=codes', async () => {
    const zh = await get('/versions/1/ledger.csv', ['lang=zh']);
    const zhLines = zh.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(zhLines[0]).toMatch(/^年份,阶段,建设投资,收入：/);
    expect(zhLines[1]).toMatch(/^\d{4},建设期,\d+\.\d{2},/);
    const codes = await get('/versions/1/ledger.csv?headers=codes', ['lang=zh']);
    const codeLines = codes.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(codeLines[0]).toMatch(/^year,phase,capex,revenue:1,/);
    expect(codeLines[1]).toMatch(/^\d{4},construction,\d+\.\d{2},/);
    expect(codeLines.slice(1).map((l) => l.split(',').slice(2).join(','))).toEqual(
      zhLines.slice(1).map((l) => l.split(',').slice(2).join(',')),
    );
  });
});

describe('compare', () => {
  it('offers a picker when nothing is chosen', async () => {
    const res = await get('/compare', EN);
    expect(res.status).toBe(200);
    expect(visibleText(res.text)).toContain('Choose two to four scenarios');
    expect(res.text.match(/<select name="s">/g)).toHaveLength(4);
  });

  it('compares scenarios of different projects with deltas against the first', async () => {
    const a = scenarioId('SC-PARKING', demoFile(PARKING).scenario.name);
    const b = scenarioId('SC-WATER', '专项债+预算 Bond + budget');
    const c = scenarioId('SC-WATER', '专项债50%+预算 Bond 50 % + budget');
    const res = await get(`/compare?s=${a}&s=${b}&s=${c}`, ['lang=en', 'unit=yuan']);
    expect(res.status).toBe(200);
    const table = section(res.text, 'table', 'compare-metrics');
    const text = visibleText(table);
    expect(text).toContain('Bond + budget');
    expect(text).toContain('User-pays concession');
    // Δ of total investment: 900 m (water) − 260 m (parking), exactly, in yuan.
    expect(text).toContain('+640,000,000.00');
    expect(text).toMatch(/[+-]\d+\.\d{2} pp/);
    for (const chart of ['projectFlow', 'debt', 'government'])
      expect(res.text).toContain(`data-chart="${chart}"`);
  });

  it('asks for at least two and at most four', async () => {
    expect(visibleText((await get('/compare?s=1', EN)).text)).toContain(
      'Choose at least two scenarios.',
    );
    const five = await get('/compare?s=1&s=2&s=3&s=4&s=5', EN);
    expect(five.status).toBe(422);
    expect(visibleText(five.text)).toContain(
      '5 scenarios were chosen, but at most 4 can be compared side by side',
    );
  });

  it('answers 404 for an unknown scenario and 422 for an id that is not a number', async () => {
    expect((await get('/compare?s=1&s=99999')).status).toBe(404);
    const bad = await get('/compare?s=1&s=x', EN);
    expect(bad.status).toBe(422);
    expect(visibleText(bad.text)).toContain('"x" is not a scenario id');
  });
});

describe('history', () => {
  it('says when a scenario has a single version', async () => {
    const res = await get('/scenarios/1/history', EN);
    expect(res.status).toBe(200);
    expect(visibleText(res.text)).toContain('This scenario has a single version.');
  });

  it('answers 404 for a version of another scenario', async () => {
    expect((await get('/scenarios/1/history?from=2&to=1')).status).toBe(404);
  });
});

describe('static files', () => {
  it('serves chart.js from this machine', async () => {
    const res = await get('/static/vendor/chart.umd.min.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.text).toContain('Chart');
  });

  it.each([
    '/static/css/app.css',
    '/static/css/print.css',
    '/static/js/charts.js',
    '/static/js/editor.js',
    '/static/js/app.js',
  ])('serves %s', async (url) => {
    expect((await get(url)).status).toBe(200);
  });

  it('answers 404 for a missing file', async () => {
    expect((await get('/static/js/nope.js')).status).toBe(404);
  });
});

describe('rendered-page cache', () => {
  // Counts the builds of results pages: a cached page is served without building.
  const resultsBuilds = () => jest.spyOn(resultsModel, 'buildResults');
  afterEach(() => jest.restoreAllMocks());
  const parking = () => scenarioId('SC-PARKING', demoFile(PARKING).scenario.name);

  it('serves a page once built for any value of a parameter the page does not depend on', async () => {
    const id = parking();
    const spy = resultsBuilds();
    const first = await get(`/scenarios/${id}?x=first`, EN);
    const others = await Promise.all([1, 2, 3, 4].map((i) => get(`/scenarios/${id}?x=${i}`, EN)));
    expect(spy).toHaveBeenCalledTimes(1);
    for (const res of others) {
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe(first.headers.etag);
    }
    // The language switch returns to the page without the parameter it ignored.
    expect(first.text).toContain(`${encodeURIComponent(`/scenarios/${id}`)}"`);
    expect(first.text).not.toContain('x=first');
  });

  it.each([
    ['the language cookie', '', ['lang=zh'], '<html lang="zh-CN">'],
    ['the unit cookie', '', ['lang=en', 'unit=yuan'], '260,000,000.00'],
    ['the saved= notice', '?saved=1', EN, 'Saved as version 1'],
    ['the unchanged= notice', '?unchanged=1', EN, 'Nothing changed: the inputs equal version 1'],
  ])('builds a page of its own for %s', async (_what, query, cookies, text) => {
    const id = parking();
    const base = await get(`/scenarios/${id}?x=1`, EN);
    const res = await get(`/scenarios/${id}${query}${query ? '&' : '?'}x=2`, cookies);
    expect(res.status).toBe(200);
    expect(res.headers.etag).not.toBe(base.headers.etag);
    expect(res.text).toContain(text);
    expect(base.text).not.toContain(text);
    const spy = resultsBuilds();
    const again = await get(`/scenarios/${id}${query}${query ? '&' : '?'}x=3`, cookies);
    expect(again.headers.etag).toBe(res.headers.etag);
    expect(spy).not.toHaveBeenCalled();
  });

  it('keys the dashboard by the portfolio and the one compared with (vs=), not by other parameters', async () => {
    const [a, b] = t.store.portfolios.list();
    const one = await get(`/?portfolio=${a!.id}&utm=1`, EN);
    const same = await get(`/?utm=2&portfolio=${a!.id}`, EN);
    const vs = await get(`/?portfolio=${a!.id}&vs=${b!.id}&utm=3`, EN);
    expect(same.headers.etag).toBe(one.headers.etag);
    expect(vs.headers.etag).not.toBe(one.headers.etag);
    expect(visibleText(vs.text)).toContain('Portfolio comparison');
    expect(visibleText(one.text)).not.toContain('Portfolio comparison');
  });

  it('shows a write on the next request: no page is served from before it', async () => {
    const id = parking();
    const before = await get(`/scenarios/${id}`, EN);
    expect(visibleText(before.text)).not.toContain('Rebuilt after a write');
    const input = demoFile(PARKING) as unknown as { scenario: { description?: string } };
    input.scenario.description = 'Rebuilt after a write';
    const saved = t.store.scenarios.save(input, { actor: 'page-cache test' });
    expect(saved.created).toBe(true);
    const after = await get(`/scenarios/${id}?x=1`, EN);
    expect(visibleText(after.text)).toContain('Rebuilt after a write');
    expect(visibleText(after.text)).toContain(`Version ${saved.version.versionNo} of`);
  });
});

describe('page builds (single flight)', () => {
  /** A page whose build waits until released, on a renderer over a store whose generation we set. */
  function slowPage() {
    let generation = 1;
    const store = { generation: () => generation } as unknown as Store;
    const keys: string[] = [];
    const renderer = createPageRenderer(t.inner, store, new PageCache(), (key) => keys.push(key));
    let release: () => void = () => undefined;
    let gate = new Promise<void>((r) => (release = r));
    let arrived = 0;
    const app = express();
    app.use(prefsMiddleware);
    app.get('/slow', async (req, res) => {
      arrived++;
      await renderer.sendCached(req, res, [], async () => {
        const seen = generation;
        await gate;
        return {
          view: 'error',
          title: 'slow',
          model: { status: 200, heading: `built at generation ${seen}`, text: '', issues: [] },
        };
      });
    });
    const server = app.listen(0);
    const port = (server.address() as AddressInfo).port;
    const ask = () =>
      fetch(`http://127.0.0.1:${port}/slow`).then(async (r) => ({
        status: r.status,
        text: await r.text(),
      }));
    return {
      keys,
      ask,
      setGeneration: (g: number) => (generation = g),
      release: () => {
        release();
        gate = new Promise<void>((r) => (release = r));
      },
      close: () => server.close(),
      /** Waits until `n` requests in all have reached the renderer and `b` builds have started. */
      until: async (n: number, b: number) => {
        while (arrived < n || keys.length < b) await new Promise((r) => setTimeout(r, 5));
      },
    };
  }

  it('builds a missing page once for many concurrent requests', async () => {
    const page = slowPage();
    try {
      const answers = Array.from({ length: 10 }, () => page.ask());
      await page.until(10, 1);
      page.release();
      const pages = await Promise.all(answers);
      expect(page.keys).toHaveLength(1);
      for (const p of pages) {
        expect(p.status).toBe(200);
        expect(visibleText(p.text)).toContain('built at generation 1');
      }
    } finally {
      page.close();
    }
  });

  it('gives requests that arrive after a write a build that reads it, one for all of them', async () => {
    const page = slowPage();
    try {
      const early = Array.from({ length: 3 }, () => page.ask());
      await page.until(3, 1);
      page.setGeneration(2);
      const late = Array.from({ length: 3 }, () => page.ask());
      await page.until(6, 1);
      page.setGeneration(3);
      const later = Array.from({ length: 3 }, () => page.ask());
      await page.until(9, 1);
      page.release();
      for (const p of await Promise.all(early))
        expect(visibleText(p.text)).toContain('built at generation 1');
      await page.until(9, 2);
      page.release();
      for (const p of await Promise.all([...late, ...later]))
        expect(visibleText(p.text)).toContain('built at generation 3');
      expect(page.keys).toHaveLength(2);
    } finally {
      page.close();
    }
  });
});
