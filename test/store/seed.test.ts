import fs from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../src/domain/errors';
import { DEMO_ACTOR, seedDemoIfEmpty } from '../../src/store';
import { memoryStore, scenarioInput, tempDir } from './helpers/fixtures';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'store', 'demo');
const REAL_DEMO = path.join(__dirname, '..', '..', 'data', 'demo');

describe('seedDemoIfEmpty', () => {
  it('seeds the demo projects, scenarios and portfolios into a fresh database, once', () => {
    const { store } = memoryStore();
    const result = seedDemoIfEmpty(store, FIXTURE);
    expect(result.seeded).toBe(true);
    expect(store.projects.list().map((p) => p.code)).toEqual([
      'FX-PARKING',
      'FX-SENSORS',
      'FX-WATER',
    ]);
    expect(store.scenarios.list().map((s) => `${s.projectCode}:${s.name}`)).toHaveLength(6);
    const plans = store.portfolios.list();
    expect(plans.map((p) => [p.name, p.members.map((m) => m.scenarioName)])).toEqual([
      ['Bond-heavy 2027 plan', ['Bond heavy', 'Bond heavy', 'Bond heavy']],
      ['Budget-heavy 2027 plan', ['Budget heavy', 'Budget heavy', 'Budget heavy']],
    ]);
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({ actor: DEMO_ACTOR });
    expect(store.audit.verify().ok).toBe(true);
    const count = store.audit.count();
    expect(seedDemoIfEmpty(store, FIXTURE)).toEqual({ seeded: false, reason: 'not-empty' });
    expect(store.audit.count()).toBe(count);
  });

  it('does not seed a database that was used, even if everything in it was deleted', () => {
    const { store } = memoryStore();
    store.scenarios.save(scenarioInput(), { actor: 'alice' });
    store.projects.delete('P-001', 'alice');
    expect(seedDemoIfEmpty(store, FIXTURE).reason).toBe('not-empty');
  });

  it('does nothing without demo files', () => {
    const { store } = memoryStore();
    expect(seedDemoIfEmpty(store, tempDir())).toEqual({ seeded: false, reason: 'no-demo-data' });
    expect(store.isPristine()).toBe(true);
  });

  it('writes nothing when a demo file is invalid', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'scenarios'));
    fs.writeFileSync(path.join(dir, 'scenarios', 'a.json'), JSON.stringify(scenarioInput('A')));
    fs.writeFileSync(
      path.join(dir, 'scenarios', 'b.json'),
      JSON.stringify({ ...scenarioInput('B'), timeline: {} }),
    );
    const { store } = memoryStore();
    expect(() => seedDemoIfEmpty(store, dir)).toThrow(ValidationError);
    expect(store.isPristine()).toBe(true);
    expect(store.projects.list()).toEqual([]);
  });

  (fs.existsSync(path.join(REAL_DEMO, 'portfolios.json')) ? it : it.skip)(
    'seeds the shipped demo in data/demo',
    () => {
      const { store } = memoryStore();
      const result = seedDemoIfEmpty(store, REAL_DEMO);
      expect(result.seeded).toBe(true);
      expect(store.projects.list().length).toBeGreaterThanOrEqual(10);
      expect(store.portfolios.list().length).toBeGreaterThanOrEqual(2);
      // Fiscal settings for every portfolio and the jurisdiction's thresholds (issue 5).
      for (const p of store.portfolios.list())
        expect(store.fiscal.getSettings(p.id)?.jurisdiction).toBe('示范市 Demo City');
      expect(store.fiscal.listJurisdictions().map((j) => j.name)).toEqual(['示范市 Demo City']);
      expect(result.report).toMatchObject({ fiscalSettingsWritten: 3, jurisdictionsWritten: 1 });
      expect(store.audit.verify().ok).toBe(true);
    },
  );
});
