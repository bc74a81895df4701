import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { createStore, openDatabase, type Db, type Store } from '../../src/store';
import { createApp } from '../../src/web/app';
import { smallInput } from '../helpers/scenarios';
import { corruptDataPages } from '../store/helpers/damage';
import { fileStore, tempDir } from '../store/helpers/fixtures';
import { encodeForm, fill, formFields, section, visibleText } from './support/html';
import { DEMO_DIR, FIXED_NOW, makeApp, signedInAs } from './support/app';
import { seedDemoIfEmpty } from '../../src/store';
import { PPP_HEAVY } from '../helpers/demo-names';

/**
 * Issue 8, defect 3: a database that cannot be written (disk full, read-only file) must not
 * break reading. Pages compute what is not cached and serve it uncached (logged once); writes
 * answer 503 with a plain message and leave nothing behind.
 */

/** From data/demo/README.md ("Fiscal context"): the PPP-heavy plan's 2032 excess over the cap, yuan. */
const PPP_HEAVY_2032_OVER_CAP = '161,356,641.54';

interface LogRecord {
  level: number;
  msg: string;
  [k: string]: unknown;
}

/** An app on `store` whose log records are collected. */
function appWithLog(store: Store) {
  const records: LogRecord[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') records.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  const app = signedInAs(
    createApp({
      store,
      clock: () => FIXED_NOW,
      logger: pino({ level: 'info' }, sink),
      csrfSecret: 'test-secret-test-secret-test-secret',
    }),
    store,
    'approver',
  );
  return { app, records };
}

/** A scenario file too big for the free room left in the pages: saving it needs new pages. */
const bigInput = () => smallInput((s) => (s.scenario.description = 'Long notes. '.repeat(300)));

const count = (db: Db, table: string) =>
  db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

/** Row counts of every table a write could touch. */
const snapshot = (db: Db) =>
  Object.fromEntries(
    ['projects', 'scenarios', 'scenario_versions', 'portfolios', 'audit_log', 'results_cache'].map(
      (t) => [t, count(db, t)],
    ),
  );

/**
 * Empties the results cache and fills the database to its last page: SQLite then answers
 * SQLITE_FULL to anything that needs a new page, as on a full disk.
 */
function fillDisk(db: Db): void {
  db.exec('DELETE FROM results_cache');
  db.exec('VACUUM');
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`);
}

describe('a full disk (SQLITE_FULL)', () => {
  let store: Store;
  let db: Db;
  let healthy: { dashboard: string; scenario: string; fiscal: string };
  let scenarioId: number;
  let portfolioId: number;

  beforeEach(async () => {
    const t = makeApp();
    store = t.store;
    db = store.db;
    scenarioId = store.scenarios.list()[0]!.id;
    portfolioId = store.portfolios.getByName(PPP_HEAVY).id;
    // What the pages show while the cache can be written: the reference for the full disk.
    const get = (url: string) => request(t.app).get(url).set('Cookie', 'lang=en; unit=yuan');
    healthy = {
      dashboard: visibleText((await get('/')).text),
      scenario: visibleText((await get(`/scenarios/${scenarioId}`)).text),
      fiscal: visibleText((await get(`/portfolios/${portfolioId}/fiscal`)).text),
    };
    fillDisk(db);
  });

  it('still serves the dashboard, a scenario and the fiscal page (computed, not cached), and logs it once', async () => {
    const { app, records } = appWithLog(store);
    const get = (url: string) => request(app).get(url).set('Cookie', 'lang=en; unit=yuan');

    const dashboard = await get('/');
    expect(dashboard.status).toBe(200);
    expect(visibleText(dashboard.text)).toBe(healthy.dashboard);
    const scenario = await get(`/scenarios/${scenarioId}`);
    expect(scenario.status).toBe(200);
    expect(visibleText(scenario.text)).toBe(healthy.scenario);
    const fiscal = await get(`/portfolios/${portfolioId}/fiscal`);
    expect(fiscal.status).toBe(200);
    expect(visibleText(fiscal.text)).toBe(healthy.fiscal);
    expect(healthy.fiscal).toContain(PPP_HEAVY_2032_OVER_CAP);
    const api = await request(app).get(
      `/api/v1/versions/${store.scenarios.getById(scenarioId).currentVersionId}/result`,
    );
    expect(api.status).toBe(200);

    expect(count(db, 'results_cache')).toBe(0);
    const cacheWarnings = records.filter((r) => /without caching/.test(r.msg));
    expect(cacheWarnings).toHaveLength(1);
    expect(cacheWarnings[0]).toMatchObject({ level: 40, code: 'SQLITE_FULL' });
    expect(records.filter((r) => r.level >= 50)).toEqual([]);
  });

  it('answers an API write with 503 storage-unavailable and writes nothing', async () => {
    const { app } = appWithLog(store);
    const before = snapshot(db);
    const res = await request(app)
      .post('/api/v1/projects?author=api-user')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(bigInput()));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('storage-unavailable');
    expect(res.body.error.message).toBe(
      'The database cannot be written right now; nothing was saved. Reading still works. Free disk space or make the database file and its directory writable, then try again.',
    );
    expect(snapshot(db)).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Nothing half-done either: the same write succeeds once there is room again.
    db.pragma('max_page_count = 1073741823');
    const again = await request(app)
      .post('/api/v1/projects?author=api-user')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(bigInput()));
    expect(again.status).toBe(201);
  });

  it('answers a form write with the 503 page in the user language and writes nothing', async () => {
    const { app } = appWithLog(store);
    const agent = request.agent(app);
    db.pragma('max_page_count = 1073741823');
    const versions = store.scenarios.versions(scenarioId);
    const old = versions[versions.length - 1]!;
    // A second version, so the history page offers to restore the first.
    const inputs = JSON.parse(store.scenarios.version(old.id).inputsJson) as {
      scenario: { description: string };
    };
    inputs.scenario.description += ' (second)';
    store.scenarios.save(inputs, { actor: 'test', comment: 'second' });
    fillDisk(db);
    const history = await agent.get(`/scenarios/${scenarioId}/history`).set('Cookie', 'lang=zh');
    expect(history.status).toBe(200);
    const form = fill(formFields(section(history.text, 'form', `restore-${old.id}`)), {
      author: '王五',
    });
    const before = snapshot(db);
    const res = await agent
      .post(`/versions/${old.id}/restore`)
      .set('Cookie', 'lang=zh')
      .type('form')
      .send(encodeForm(form));
    expect(res.status).toBe(503);
    const text = visibleText(res.text);
    expect(text).toContain('暂时无法保存');
    expect(text).toContain('没有保存任何内容');
    expect(snapshot(db)).toEqual(before);
  });
});

describe('a read-only database file (SQLITE_READONLY)', () => {
  it('serves pages without caching and refuses writes with 503; up front once marked read-only', async () => {
    const dir = tempDir();
    const seeded = fileStore(dir, 'fundmix.db', { engine: { simulate, version: ENGINE_VERSION } });
    seedDemoIfEmpty(seeded.store, DEMO_DIR);
    seeded.db.exec('DELETE FROM results_cache');
    seeded.db.close();
    const db = openDatabase(seeded.file, { readonly: true });
    try {
      const store = createStore(db, {
        clock: () => FIXED_NOW,
        engine: { simulate, version: ENGINE_VERSION },
      });
      const { app, records } = appWithLog(store);
      const projects = count(db, 'projects');
      const page = await request(app).get('/').set('Cookie', 'lang=en');
      expect(page.status).toBe(200);
      expect(visibleText(page.text)).toContain('SC-TRANSPORT');
      expect(records.filter((r) => /without caching/.test(r.msg))).toHaveLength(1);

      const post = () =>
        request(app)
          .post('/api/v1/projects')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(smallInput()));
      const res = await post();
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('storage-unavailable');

      store.storage.refuseWrites('read-only', 'the file is not writable');
      const refused = await post();
      expect(refused.status).toBe(503);
      expect(refused.body.error.message).toBe(
        'The database is open read-only; nothing was saved. Make the database file and its directory writable for FundMix, then restart it.',
      );
      expect(count(db, 'projects')).toBe(projects);
      expect(records.filter((r) => /read-only/.test(r.msg) && r.level === 50)).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});

describe('a database found damaged while serving (SQLITE_CORRUPT)', () => {
  it('answers the read that hits the damage with 503, then refuses every write, and logs it once', async () => {
    const seeded = fileStore(tempDir(), 'fundmix.db', {
      engine: { simulate, version: ENGINE_VERSION },
    });
    seedDemoIfEmpty(seeded.store, DEMO_DIR);
    seeded.db.pragma('wal_checkpoint(TRUNCATE)');
    seeded.db.close();
    corruptDataPages(seeded.file, 'scenario_versions');
    const db = openDatabase(seeded.file);
    try {
      const store = createStore(db, {
        clock: () => FIXED_NOW,
        engine: { simulate, version: ENGINE_VERSION },
      });
      const { app, records } = appWithLog(store);
      const page = await request(app).get('/').set('Cookie', 'lang=en');
      expect(page.status).toBe(503);
      expect(visibleText(page.text)).toContain(
        'The database is damaged, so FundMix takes no changes. Nothing was saved. Ask the administrator to restore a backup (fundmix restore).',
      );
      // Reads that miss the damaged pages keep working.
      expect((await request(app).get('/api/v1/projects')).status).toBe(200);

      const write = await request(app)
        .post('/api/v1/projects')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(smallInput()));
      expect(write.status).toBe(503);
      expect(write.body.error).toEqual({
        code: 'storage-unavailable',
        message:
          'The database is damaged (database disk image is malformed); it takes no writes, nothing was saved. Restore a backup with `fundmix restore PATH`, then restart FundMix.',
      });
      const damaged = records.filter((r) => /the database is damaged/.test(r.msg));
      expect(damaged).toHaveLength(1);
      expect(damaged[0]!.level).toBe(50);
    } finally {
      db.close();
    }
  });
});
