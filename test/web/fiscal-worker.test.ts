import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import request from 'supertest';
import { Dec } from '../../src/domain/decimal';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { createStore, migrate, openDatabase, seedDemoIfEmpty, type Store } from '../../src/store';
import { portfolioFiscalReport, scenarioChecklist } from '../../src/store/fiscal-report';
import { fromTaggedJson, toTaggedJson } from '../../src/store/report-json';
import { createApp } from '../../src/web/app';
import { FiscalReports } from '../../src/web/services/fiscal-reports';
import type { FiscalJob, FiscalWorkerInit } from '../../src/web/services/fiscal-worker';
import { FiscalWorkerPool } from '../../src/web/services/fiscal-workers';
import { HOOK } from '../store/helpers/child';
import { DEMO_DIR, FIXED_NOW, signedInAs } from './support/app';
import { PPP_HEAVY } from '../helpers/demo-names';

/**
 * Portfolio fiscal reports built in a worker thread (issue 8, defect 7): the worker's report is
 * the one the main thread computes, and while a report builds in the worker, cached pages are
 * answered. Workers run the TypeScript sources, transpiled on require (no build needed).
 */
const TRANSPORT_SUBSIDY = 'PPP+建设期补助 PPP with construction subsidy';
const GATED = path.join(__dirname, 'support', 'gated-fiscal-worker.ts');

let dir: string;
let store: Store;
const gate = new Int32Array(new SharedArrayBuffer(8));
const jobs: FiscalJob[] = [];
let onJob: (job: FiscalJob) => void = () => undefined;
let pool: FiscalWorkerPool;

/** `Atomics.waitAsync` (in Node 20, not yet in the compiler's ES2022 library). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      a: Int32Array,
      i: number,
      v: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

const openGate = () => {
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
};

/** A worker running the sources through the transpiling hook, held at the gate before each job. */
const spawnGated = (init: FiscalWorkerInit) =>
  new Worker(`${HOOK}\nrequire(${JSON.stringify(GATED)});`, {
    eval: true,
    workerData: { ...init, autoStart: false, gate: gate.buffer },
  });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-fiscal-worker-'));
  const file = path.join(dir, 'fundmix.db');
  const db = openDatabase(file);
  migrate(db);
  store = createStore(db, {
    clock: () => FIXED_NOW,
    engine: { simulate, version: ENGINE_VERSION },
  });
  seedDemoIfEmpty(store, DEMO_DIR);
  pool = new FiscalWorkerPool({
    file,
    writable: true,
    spawn: spawnGated,
    onJob: (job) => {
      jobs.push(job);
      onJob(job);
    },
  });
});

afterAll(async () => {
  openGate();
  await pool.close();
  store.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Where a value holds Decimal instances, with their values (`members.0.x=1.5`). */
function decimalPaths(value: unknown, at = ''): string[] {
  if (Dec.isDecimal(value)) return [`${at}=${(value as Dec).toString()}`];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => decimalPaths(v, `${at}.${k}`));
}

describe('tagged report JSON', () => {
  it('gives Decimals back as Decimals of the same value, strings as strings', () => {
    const value = { a: new Dec('1.10'), b: [{ c: new Dec('-0.5') }], s: '2', n: null };
    const back = fromTaggedJson<typeof value>(toTaggedJson(value));
    expect(decimalPaths(back)).toEqual(['.a=1.1', '.b.0.c=-0.5']);
    expect(back.s).toBe('2');
    expect(back.n).toBeNull();
    expect(fromTaggedJson(toTaggedJson(new Dec('7')))).toEqual(new Dec('7'));
  });
});

/** The app on the demo store with the worker pool, signed in as the demo approver. */
const appWithWorkers = () =>
  signedInAs(
    createApp({
      store,
      clock: () => FIXED_NOW,
      logger: pino({ level: 'silent' }),
      csrfSecret: 'test-secret-test-secret-test-secret',
      fiscalWorkers: pool,
    }),
    store,
    'approver',
  );

describe('fiscal reports in a worker thread', () => {
  it('a cached page is answered while a report builds in the worker', async () => {
    const app = appWithWorkers();
    const server: Server = app.listen(0);
    try {
      const agent = request.agent(server);
      const cached = await agent.get('/projects').set('Cookie', 'lang=en');
      expect(cached.status).toBe(200);

      const started = new Promise<FiscalJob>((resolve) => (onJob = resolve));
      let fiscalDone = false;
      const id = store.portfolios.getByName(PPP_HEAVY).id;
      const fiscal = agent
        .get(`/portfolios/${id}/fiscal`)
        .set('Cookie', 'lang=en; unit=yuan')
        .then((res) => {
          fiscalDone = true;
          return res;
        });
      const job = await Promise.race([
        started,
        fiscal.then(() => {
          throw new Error('the report was built before any worker job started');
        }),
      ]);
      expect(job).toMatchObject({ kind: 'portfolio', portfolioId: id });

      // The report is held in the worker: the main thread still answers the cached page.
      const again = await agent.get('/projects').set('Cookie', 'lang=en');
      expect(again.status).toBe(200);
      expect(again.text).toBe(cached.text);
      expect(fiscalDone).toBe(false);

      openGate();
      const res = await fiscal;
      expect(res.status).toBe(200);
      // data/demo/README.md: the PPP-heavy plan's worst year, 2032 at 10.2875 %.
      expect(res.text).toContain('10.2875');
      // One job for the page's report (no switch: the saved report is the same one).
      expect(jobs.filter((j) => j.kind === 'portfolio' && j.portfolioId === id)).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it("the worker's report equals the one computed inline, with and without a what-if switch", async () => {
    openGate();
    const portfolios = store.portfolios.list();
    expect(portfolios.length).toBeGreaterThanOrEqual(2);
    const cases: Array<[number, Record<string, string>]> = portfolios.map((p) => [p.id, {}]);
    cases.push([store.portfolios.getByName(PPP_HEAVY).id, { 'SC-TRANSPORT': TRANSPORT_SUBSIDY }]);
    for (const [id, switches] of cases) {
      const inline = portfolioFiscalReport(store, id, { switches });
      const { report, generation } = await pool.run(id, switches);
      expect(generation).toBe(store.generation('portfolios'));
      expect(report).toEqual(inline);
    }
    // Decimals inside a report (a checklist row's affordability may hold some) come back as
    // Decimals where they were: the demo's reports are Jsonified throughout, so none on either side.
    const id = store.portfolios.getByName(PPP_HEAVY).id;
    const inline = portfolioFiscalReport(store, id);
    const { report } = await pool.run(id, {});
    expect(decimalPaths(report)).toEqual(decimalPaths(inline));
  });

  it('concurrent prepares of one report share one worker job', async () => {
    openGate();
    const reports = new FiscalReports(store, 64, pool);
    const id = store.portfolios.getByName(PPP_HEAVY).id;
    const before = jobs.length;
    const switches = { 'SC-TRANSPORT': TRANSPORT_SUBSIDY };
    await Promise.all([reports.prepare(id, switches), reports.prepare(id, switches)]);
    expect(jobs.length - before).toBe(1);
    // The getter is answered from the cache: the same object each time, no inline build.
    expect(reports.portfolio(id, switches)).toBe(reports.portfolio(id, switches));
    expect(reports.portfolio(id, switches)).toEqual(portfolioFiscalReport(store, id, { switches }));
    expect(reports.size).toBe(1);
  });

  it('a report built from data older than now is not served: it is built again', async () => {
    const reports = new FiscalReports(store, 64, pool);
    const id = store.portfolios.getByName(PPP_HEAVY).id;
    Atomics.store(gate, 0, 0);
    const reached = Atomics.load(gate, 1);
    const before = jobs.length;
    const prepared = reports.prepare(id);
    // Wait until the worker has read the generation and holds the job.
    const waiting = waitAsync(gate, 1, reached);
    if (waiting.async) await waiting.value;
    // While the worker holds the job, the portfolio changes: the report it builds is older.
    store.portfolios.update(id, { description: 'Changed while the report was built' }, 'tester');
    openGate();
    await prepared;
    expect(jobs.length - before).toBe(2);
    expect(reports.size).toBe(1);
    expect(reports.portfolio(id).portfolio.description).toBe('Changed while the report was built');
  });

  it('a crashed worker: the report is computed inline and the crash logged once', async () => {
    const crashing = new FiscalWorkerPool({
      file: store.db.name,
      writable: true,
      spawn: () => new Worker('process.exit(3)', { eval: true }),
    });
    const warnings: string[] = [];
    const reports = new FiscalReports(store, 64, crashing, (m) => warnings.push(m));
    const [first, second] = store.portfolios.list();
    await expect(reports.prepare(first!.id)).resolves.toBeUndefined();
    expect(reports.size).toBe(0);
    expect(reports.portfolio(first!.id)).toEqual(portfolioFiscalReport(store, first!.id));
    await reports.prepare(second!.id);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('exit code 3');
    await crashing.close();
  });
});

describe('scenario checklists in a worker thread', () => {
  it("the worker's checklist equals the inline one, and the results page and the API have it built there", async () => {
    openGate();
    const reports = new FiscalReports(store, 64, pool);
    const scenario = store.scenarios.list()[0]!;
    const versionId = scenario.currentVersionId;
    const before = jobs.length;
    await reports.prepareChecklist(versionId);
    expect(jobs.slice(before)).toEqual([{ id: expect.any(Number), kind: 'checklist', versionId }]);
    // Served from the cache the worker filled: no second job, and the same report as inline.
    await reports.prepareChecklist(versionId);
    expect(jobs.length - before).toBe(1);
    expect(toTaggedJson(reports.checklist(versionId))).toBe(
      toTaggedJson(scenarioChecklist(store, versionId)),
    );

    const app = appWithWorkers();
    const other = store.scenarios.list()[1]!;
    const page = jobs.length;
    expect((await request(app).get(`/scenarios/${other.id}`)).status).toBe(200);
    expect(jobs.slice(page)).toContainEqual(
      expect.objectContaining({ kind: 'checklist', versionId: other.currentVersionId }),
    );
    const third = store.scenarios.list()[2]!;
    const api = jobs.length;
    const res = await request(app).get(`/api/v1/versions/${third.currentVersionId}/checklist`);
    expect(res.status).toBe(200);
    expect(res.body.checklist.versionId).toBe(third.currentVersionId);
    expect(jobs.slice(api)).toContainEqual(
      expect.objectContaining({ kind: 'checklist', versionId: third.currentVersionId }),
    );
  });
});
