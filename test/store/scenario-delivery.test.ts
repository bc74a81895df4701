import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { ScenarioInputV1 } from '../../src/domain/scenario/schema-v1';
import { upgradeScenarioV1 } from '../../src/domain/scenario/upgrade';
import {
  createStore,
  exportFiles,
  importFiles,
  migrate,
  openDatabase,
  portfolioFiscalReport,
  type Db,
  type Store,
} from '../../src/store';
import { FUNDMIX_APPLICATION_ID } from '../../src/store/migrate';
import { memoryStore, rows, steppingClock, tempDir } from './helpers/fixtures';

/**
 * Scenario format v2 (issue 9): the delivery model belongs to the scenario. One project holds a
 * government scenario on special bonds and a PPP scenario, and each keeps its own delivery;
 * stored v1 versions keep their bytes and are read through the upgrade.
 */

const ROOT = path.join(__dirname, '..', '..');
const readJson = (...parts: string[]) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, ...parts), 'utf8')) as Record<string, unknown>;
const engine = { simulate, version: ENGINE_VERSION };

/** The v1 IoT example (bond + budget, delivery government) and the same project as a PPP. */
function bondAndPppV1(): { bond: ScenarioInputV1; ppp: ScenarioInputV1 } {
  const bond = readJson(
    'data',
    'examples',
    'v1',
    'iot-sensing-special-bond.json',
  ) as unknown as ScenarioInputV1;
  const ppp = structuredClone(bond);
  ppp.project.delivery = 'ppp';
  ppp.scenario.name = 'PPP';
  return { bond, ppp };
}

describe('one project, a government-bond scenario and a PPP scenario (the bug of v1)', () => {
  // Before v2, saving the PPP scenario overwrote projects.delivery, so the bond scenario was
  // shown and reported as a PPP.
  it('keeps each scenario’s delivery after saving each, in lists and in the fiscal report', () => {
    const { store } = memoryStore({ engine });
    const { bond, ppp } = bondAndPppV1();
    store.scenarios.save(bond, { actor: 'bureau' });
    store.scenarios.save(ppp, { actor: 'bureau' });
    const code = bond.project.code;
    // The fiscal report of a plan choosing the bond scenario (on v1: reported as a PPP).
    store.portfolios.create(
      {
        name: 'bond plan',
        members: [{ projectCode: code, scenarioName: bond.scenario.name }],
      },
      'bureau',
    );
    store.portfolios.create(
      { name: 'ppp plan', members: [{ projectCode: code, scenarioName: 'PPP' }] },
      'bureau',
    );
    const [bondPlan, pppPlan] = store.portfolios.list();
    const bondMember = portfolioFiscalReport(store, bondPlan!.id).members[0]!;
    const pppMember = portfolioFiscalReport(store, pppPlan!.id).members[0]!;
    expect([bondMember.delivery, bondMember.countsTowardsCap]).toEqual(['government', false]);
    expect([pppMember.delivery, pppMember.countsTowardsCap]).toEqual(['ppp', true]);
    // The project's scenarios, each with its own delivery.
    const listed = store.scenarios.list({ projectCode: code });
    expect(listed.map((s) => [s.name, s.delivery])).toEqual([
      ['PPP', 'ppp'],
      ['专项债+预算 Special bond + budget', 'government'],
    ]);
    // Saving the bond scenario again does not turn the PPP one back either.
    store.scenarios.save(
      { ...bond, scenario: { ...bond.scenario, description: 'again' } },
      { actor: 'bureau' },
    );
    expect(store.scenarios.list({ projectCode: code }).map((s) => s.delivery)).toEqual([
      'ppp',
      'government',
    ]);
  });

  it('stores a new save as format v2, whatever format it came in', () => {
    const { db, store } = memoryStore();
    const { bond } = bondAndPppV1();
    const saved = store.scenarios.save(bond, { actor: 'bureau' });
    const stored = JSON.parse(saved.version.inputsJson) as Record<string, unknown>;
    expect(stored).toEqual(readJson('data', 'examples', 'iot-sensing-special-bond.json'));
    expect(
      rows(db, 'SELECT json_extract(inputs_json, ?) AS f FROM scenario_versions', '$.format'),
    ).toEqual([{ f: 'fundmix-scenario@2' }]);
    // The same scenario as a v2 file is the same version: nothing new is saved.
    const again = store.scenarios.save(
      readJson('data', 'examples', 'iot-sensing-special-bond.json'),
      {
        actor: 'bureau',
      },
    );
    expect(again.created).toBe(false);
  });
});

/**
 * The pre-v2 database (see test/fixtures/store/pre-v2/generate.js), rebuilt from its committed
 * SQL dump (`sqlite3 pre-v2.db .dump`: every row byte for byte; the dump leaves out only the
 * header's application id, set again here).
 */
function preV2(): { db: Db; file: string } {
  const dir = tempDir('fundmix-pre-v2-');
  const file = path.join(dir, 'fundmix.db');
  const raw = new Database(file);
  raw.exec(
    fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'store', 'pre-v2', 'pre-v2.sql'), 'utf8'),
  );
  raw.pragma(`application_id = ${FUNDMIX_APPLICATION_ID}`);
  raw.close();
  return { db: openDatabase(file), file };
}
const figuresV1 = (
  readJson('test', 'fixtures', 'store', 'pre-v2', 'pre-v2.figures.json') as {
    figures: Record<
      string,
      { inputsHash: string; projectNpv: string; governmentOutlayTotal: string }
    >;
  }
).figures;
const versionRows = (db: Db) =>
  rows(
    db,
    'SELECT id, scenario_id, version_no, inputs_json, inputs_hash FROM scenario_versions ORDER BY id',
  );

describe('migration 0004 on a database written before format v2', () => {
  it('drops projects.delivery, keeps every stored v1 version byte for byte and the audit chain valid', () => {
    const { db } = preV2();
    const before = versionRows(db);
    expect(before).toHaveLength(6);
    expect(
      before.every((r) => JSON.parse(r.inputs_json as string).format === 'fundmix-scenario@1'),
    ).toBe(true);
    // The bug, as stored: the last save made the bond project a PPP.
    expect(rows(db, "SELECT delivery FROM projects WHERE code = 'DEMO-IOT-SENSING'")).toEqual([
      { delivery: 'ppp' },
    ]);
    expect(
      migrate(db)
        .map((m) => m.name)
        .slice(0, 2),
    ).toEqual(['accounts', 'scenario-delivery']);
    expect(versionRows(db)).toEqual(before);
    expect(rows(db, 'PRAGMA table_info(projects)').map((c) => c.name)).not.toContain('delivery');
    const store = createStore(db, { clock: steppingClock(Date.UTC(2027, 0, 1)), engine });
    const report = store.audit.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    // Each scenario has the delivery its own file declared: the bond scenario is government again.
    expect(
      store.scenarios.list({ projectCode: 'DEMO-IOT-SENSING' }).map((s) => [s.name, s.delivery]),
    ).toEqual([
      ['PPP variant', 'ppp'],
      ['专项债+预算 Special bond + budget', 'government'],
    ]);
  });

  it('reads each stored v1 version through the upgrade: the hand-written v2 example, the same figures', () => {
    const { db } = preV2();
    migrate(db);
    const store = createStore(db, { clock: steppingClock(Date.UTC(2027, 0, 1)), engine });
    const examples: Record<string, string> = {
      'DEMO-IOT-SENSING': 'iot-sensing-special-bond.json',
      'DEMO-TRAFFIC-SIGNALS': 'traffic-signals-legacy-ppp.json',
      'DEMO-SMART-PARKING': 'smart-parking-concession.json',
      'DEMO-PUBLIC-DATA': 'public-data-operation.json',
    };
    let checked = 0;
    for (const s of store.scenarios.list()) {
      for (const meta of store.scenarios.versions(s.id)) {
        const v = store.scenarios.version(meta.id);
        const key = `${s.projectCode} / ${s.name} / ${meta.versionNo}`;
        expect([key, v.inputsHash]).toEqual([key, figuresV1[key]!.inputsHash]);
        const upgraded = upgradeScenarioV1(v.inputs as unknown as ScenarioInputV1);
        if (meta.versionNo === 1 && s.name !== 'PPP variant') {
          expect([key, upgraded]).toEqual([
            key,
            readJson('data', 'examples', examples[s.projectCode]!),
          ]);
        }
        const m = simulate(parseScenario(v.inputs)).metrics;
        const v2 = simulate(parseScenario(upgraded)).metrics;
        expect(m.projectNpv.toString()).toBe(v2.projectNpv.toString());
        // Figures as FundMix 1.2.0 computed them from the v1 file, for the scenarios whose rules
        // issue 9 does not change on purpose (no special bonds: their draw timing changes; no
        // residual value: it is taxed as a gain now).
        const sources = v.inputs.funding.sources as Array<{ type: string }>;
        const residual = (v.inputs as { residualValueYuan?: string }).residualValueYuan ?? '0';
        if (!sources.some((x) => x.type === 'special-bond') && /^0+(\.0+)?$/.test(residual)) {
          expect([key, m.projectNpv.toString(), m.governmentOutlayTotal.toString()]).toEqual([
            key,
            figuresV1[key]!.projectNpv,
            figuresV1[key]!.governmentOutlayTotal,
          ]);
        }
        checked++;
      }
    }
    expect(checked).toBe(6);
  });

  it('saves a v1 file as v2 next to the stored v1 versions, which stay as they were', () => {
    const { db } = preV2();
    migrate(db);
    const before = versionRows(db);
    const store = createStore(db, { clock: steppingClock(Date.UTC(2027, 0, 1)), engine });
    const { bond } = bondAndPppV1();
    const res = store.scenarios.save(
      { ...bond, scenario: { ...bond.scenario, description: 'v2 now' } },
      { actor: 'bureau' },
    );
    expect(res.created).toBe(true);
    expect(JSON.parse(res.version.inputsJson).format).toBe('fundmix-scenario@2');
    expect(versionRows(db).slice(0, before.length)).toEqual(before);
    // Comparing the v1 version with the v2 one shows only what the user changed.
    const versions = store.scenarios.versions(res.scenario.id);
    expect(store.scenarios.compare(versions[0]!.id, versions[1]!.id).map((c) => c.path)).toEqual([
      'scenario.description',
    ]);
    // Restoring the v1 version saves its bytes again (same hash as the version it restores).
    const restored = store.scenarios.restoreVersion(versions[0]!.id, { actor: 'bureau' });
    expect(restored.version.inputsHash).toBe(versions[0]!.inputsHash);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('exports stored v1 versions as v1, byte for byte, and imports them into an empty database unchanged', () => {
    const { db } = preV2();
    migrate(db);
    const store = createStore(db, { clock: steppingClock(Date.UTC(2027, 0, 1)), engine });
    const files = exportFiles(store);
    const iot = files.find((f) => f.name.startsWith('DEMO-IOT-SENSING/PPP'))!;
    const history = JSON.parse(iot.text) as {
      project: Record<string, unknown>;
      versions: Array<{ inputs: { format: string } }>;
    };
    expect(history.project).not.toHaveProperty('delivery');
    expect(history.versions[0]!.inputs.format).toBe('fundmix-scenario@1');
    const fresh: Store = memoryStore({ engine }).store;
    importFiles(fresh, files, { actor: 'auditor' });
    const hashes = (s: Store) =>
      s.scenarios
        .list()
        .flatMap((r) =>
          s.scenarios
            .versions(r.id)
            .map((v) => `${r.projectCode}/${r.name}/${v.versionNo}:${v.inputsHash}`),
        );
    expect(hashes(fresh)).toEqual(hashes(store));
    expect(exportFiles(fresh)).toEqual(files);
  });
});

describe('import and export carry both formats', () => {
  it('imports a v1 scenario file (stored as v2) and a v2 file; a history written before v2 still imports', () => {
    const { store } = memoryStore({ engine });
    const v1Text = fs.readFileSync(
      path.join(ROOT, 'data', 'examples', 'v1', 'iot-sensing-special-bond.json'),
      'utf8',
    );
    const v2Text = fs.readFileSync(
      path.join(ROOT, 'data', 'examples', 'smart-parking-concession.json'),
      'utf8',
    );
    const report = importFiles(
      store,
      [
        { name: 'a-v1.json', text: v1Text },
        { name: 'b-v2.json', text: v2Text },
      ],
      { actor: 'importer' },
    );
    expect(report.versionsCreated).toBe(2);
    const formats = store.scenarios
      .list()
      .map((s) => [
        s.projectCode,
        JSON.parse(store.scenarios.current(s.id).inputsJson).format,
        s.delivery,
      ]);
    expect(formats).toEqual([
      ['DEMO-IOT-SENSING', 'fundmix-scenario@2', 'government'],
      ['DEMO-SMART-PARKING', 'fundmix-scenario@2', 'concession'],
    ]);
    // A history exported before v2 names the project's delivery; it is accepted and ignored.
    const [file] = exportFiles(store, { projectCode: 'DEMO-IOT-SENSING' });
    const old = JSON.parse(file!.text) as { project: Record<string, unknown> };
    old.project.delivery = 'ppp';
    const other = memoryStore({ engine }).store;
    importFiles(other, [{ name: 'old-history.json', text: JSON.stringify(old) }], {
      actor: 'importer',
    });
    expect(other.scenarios.list().map((s) => s.delivery)).toEqual(['government']);
    expect(exportFiles(other, { projectCode: 'DEMO-IOT-SENSING' })).toEqual([file]);
  });
});
