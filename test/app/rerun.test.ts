import pino from 'pino';
import request from 'supertest';
import { rerunVersion, type RerunCompared } from '../../src/app/rerun';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { sha256Hex, type Store } from '../../src/store';
import { smallInput } from '../helpers/scenarios';
import { runStoreCli } from '../store/helpers/cli';
import { behindTheBack, fileStore, tempDir } from '../store/helpers/fixtures';
import { createApp } from '../../src/web/app';
import { makeApp, seedDemoAccounts, sessionCookie, type TestApp } from '../web/support/app';
import { section, visibleText } from '../web/support/html';

/**
 * Leaf figures of a stored result, counted here by a walk of its own: every string, number,
 * boolean or null in the JSON, the top-level `engineVersion` (not a figure) left out.
 */
function leafCount(json: unknown): number {
  if (json === null || typeof json !== 'object') return 1;
  return Object.values(json).reduce<number>((n, v) => n + leafCount(v), 0);
}
const figuresOf = (result: Record<string, unknown>) =>
  leafCount(result) - ('engineVersion' in result ? 1 : 0);

const save = (store: Store, opex = '300000') =>
  store.scenarios.save(
    smallInput((s) => (s.operatingCost.annualYuan = opex)),
    { actor: '审计', comment: 'rerun test' },
  ).version;

/** The stored inputs JSON rewritten with SQL, past the append-only trigger. */
function tamper(store: Store, versionId: number): void {
  behindTheBack(store.db, 'scenario_versions', () => {
    store.db
      .prepare(
        `UPDATE scenario_versions SET inputs_json = replace(inputs_json, '"300000"', '"1"') WHERE id = ?`,
      )
      .run(versionId);
  });
}

describe('rerunVersion', () => {
  let t: TestApp;
  beforeEach(() => (t = makeApp({ demo: false })));
  const get = (url: string) => request(t.app).get(url).set('Cookie', 'lang=en; unit=yuan');

  it('reproduces a stored result: every leaf figure counted and equal', async () => {
    const v = save(t.store);
    const stored = t.store.results.forVersion(v.id) as unknown as Record<string, unknown>;
    const n = figuresOf(stored);
    expect(n).toBeGreaterThan(100);
    const outcome = rerunVersion(t.store, v.id);
    expect(outcome).toEqual({
      status: 'reproduced',
      versionId: v.id,
      figures: n,
      reproduced: n,
      differences: [],
      storedEngineVersion: ENGINE_VERSION,
      engineVersion: ENGINE_VERSION,
    });
    const api = await get(`/api/v1/versions/${v.id}/rerun`);
    expect(api.status).toBe(200);
    expect(api.body).toEqual(outcome);
    const page = await get(`/versions/${v.id}/rerun`);
    expect(page.status).toBe(200);
    expect(visibleText(section(page.text, 'p', 'rerun-summary'))).toBe(
      `${n} of ${n} figures reproduced (engine ${ENGINE_VERSION})`,
    );
    const zh = await request(t.app)
      .get(`/versions/${v.id}/rerun`)
      .set('Cookie', 'lang=zh; unit=yuan');
    expect(visibleText(section(zh.text, 'p', 'rerun-summary'))).toBe(
      `${n} 个数字中 ${n} 个复现（引擎 ${ENGINE_VERSION}）`,
    );
    const results = await get(`/versions/${v.id}`);
    expect(results.text).toContain(`href="/versions/${v.id}/rerun"`);
  });

  it('lists exactly the changed figure of a result stored by an older engine', async () => {
    const v = save(t.store, '310000');
    const now = JSON.parse(JSON.stringify(t.store.results.forVersion(v.id))) as {
      engineVersion: string;
      metrics: { projectNpv: string };
    };
    const real = now.metrics.projectNpv;
    const old = {
      ...now,
      engineVersion: '1.9.0',
      metrics: { ...now.metrics, projectNpv: '12.34' },
    };
    // Only the older engine's entry remains stored for these inputs.
    t.store.db.prepare('DELETE FROM results_cache').run();
    t.store.results.put(v.inputsHash, old as never, '1.9.0');
    const n = figuresOf(old);
    const outcome = rerunVersion(t.store, v.id) as RerunCompared;
    expect(outcome.status).toBe('differs');
    expect(outcome.storedEngineVersion).toBe('1.9.0');
    expect(outcome.engineVersion).toBe(ENGINE_VERSION);
    expect(outcome.figures).toBe(n);
    expect(outcome.reproduced).toBe(n - 1);
    expect(outcome.differences).toEqual([
      { path: 'metrics.projectNpv', stored: '"12.34"', now: JSON.stringify(real) },
    ]);
    const page = await get(`/versions/${v.id}/rerun`);
    expect(visibleText(section(page.text, 'p', 'rerun-summary'))).toBe(
      `${n - 1} of ${n} figures reproduced; 1 differences (stored with engine 1.9.0, now engine ${ENGINE_VERSION})`,
    );
    const table = visibleText(section(page.text, 'table', 'rerun-differences'));
    expect(table).toContain(`metrics.projectNpv "12.34" ${JSON.stringify(real)}`);
  });

  it('shows tampered inputs as tampered, on the re-run and on the results page', async () => {
    const v = save(t.store);
    // The result is cached first, so serving it would be the silent failure.
    t.store.results.forVersion(v.id);
    tamper(t.store, v.id);
    const actual = sha256Hex(t.store.scenarios.version(v.id).inputsJson);
    expect(actual).not.toBe(v.inputsHash);
    const outcome = rerunVersion(t.store, v.id);
    expect(outcome).toEqual({
      status: 'tampered',
      versionId: v.id,
      storedHash: v.inputsHash,
      actualHash: actual,
    });
    const api = await get(`/api/v1/versions/${v.id}/rerun`);
    expect(api.body).toEqual(outcome);
    for (const url of [`/versions/${v.id}`, `/scenarios/${v.scenarioId}`]) {
      const page = await get(url);
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-status="tampered"');
      expect(visibleText(section(page.text, 'p', 'rerun-summary'))).toContain('Tampered');
      expect(page.text).not.toContain('id="metric-cards"');
    }
  });

  it('a page served (and its inputs found intact) before the tampering shows it after', async () => {
    const v = save(t.store);
    expect((await get(`/versions/${v.id}`)).text).toContain('id="metric-cards"');
    // Same connection: total_changes() moves.
    tamper(t.store, v.id);
    expect((await get(`/versions/${v.id}`)).text).toContain('data-status="tampered"');
  });

  it('a change by another connection (another process) is seen too: data_version moves', async () => {
    const dir = tempDir();
    const engine = { simulate, version: ENGINE_VERSION };
    const { store } = fileStore(dir, 'fundmix.db', { engine });
    seedDemoAccounts(store);
    const v = save(store);
    const app = createApp({
      store,
      clock: () => new Date(),
      logger: pino({ level: 'silent' }),
      csrfSecret: 'test-secret-test-secret-test-secret',
    });
    const session = sessionCookie(store, 'approver');
    const page = () => request(app).get(`/versions/${v.id}`).set('Cookie', `lang=en; ${session}`);
    expect((await page()).text).toContain('id="metric-cards"');
    const other = fileStore(dir, 'fundmix.db', { engine });
    tamper(other.store, v.id);
    other.db.close();
    expect((await page()).text).toContain('data-status="tampered"');
    store.db.close();
  });

  it('says when no result is stored for the version', () => {
    const v = save(t.store);
    expect(rerunVersion(t.store, v.id)).toEqual({
      status: 'no-stored-result',
      versionId: v.id,
      engineVersion: ENGINE_VERSION,
    });
  });
});

describe('fundmix audit rerun', () => {
  it('exits 0 when reproduced, 1 when tampered, 2 for a bad --version', async () => {
    const dir = tempDir();
    const { store, file } = fileStore(dir);
    const v = save(store);
    const { simulate } = await import('../../src/domain/engine/simulate');
    const { parseScenario } = await import('../../src/domain/scenario/parse');
    store.results.put(v.inputsHash, simulate(parseScenario(smallInput())));
    const n = figuresOf(
      JSON.parse(JSON.stringify(simulate(parseScenario(smallInput())))) as Record<string, unknown>,
    );
    const env = { FUNDMIX_DB: file };
    const ok = await runStoreCli(['audit', 'rerun', '--version', String(v.id)], { env, cwd: dir });
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toBe(`${n} of ${n} figures reproduced (engine ${ENGINE_VERSION})\n`);
    const bad = await runStoreCli(['audit', 'rerun', '--version', 'x'], { env, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--version');
    const unknown = await runStoreCli(['audit', 'rerun', '--version', '999'], { env, cwd: dir });
    expect(unknown.code).toBe(2);
    tamper(store, v.id);
    store.db.close();
    const broken = await runStoreCli(['audit', 'rerun', '--version', String(v.id)], {
      env,
      cwd: dir,
    });
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('TAMPERED');
  });
});
