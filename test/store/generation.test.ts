import fs from 'node:fs';
import { createStore, openDatabase } from '../../src/store';
import { fileStore, memoryStore, scenarioInput, steppingClock, tempDir } from './helpers/fixtures';

describe('store.generation()', () => {
  it('is 0 for a fresh database and the newest audit entry id after each write', () => {
    const { store } = memoryStore();
    expect(store.generation()).toBe(0);
    store.scenarios.save(scenarioInput(), { actor: 'alice' });
    const first = store.generation();
    expect(first).toBeGreaterThan(0);
    expect(first).toBe(store.audit.list({ limit: 1 })[0]?.id);
    store.fiscal.setThresholds('Demo City', { affordabilityCap: '0.08' }, 'alice');
    expect(store.generation()).toBe(first + 1);
  });

  it('does not move on reads or on writes that change nothing', () => {
    const { store } = memoryStore();
    store.fiscal.setThresholds('Demo City', { affordabilityCap: '0.08' }, 'alice');
    const before = store.generation();
    store.fiscal.thresholdsFor('Demo City');
    store.audit.list();
    expect(
      store.fiscal.setThresholds('Demo City', { affordabilityCap: '0.08' }, 'bob').changed,
    ).toBe(false);
    expect(store.generation()).toBe(before);
  });

  it('sees writes made through another connection (another process, e.g. the CLI)', () => {
    const dir = tempDir();
    try {
      const { db, store, file } = fileStore(dir);
      const otherDb = openDatabase(file);
      const other = createStore(otherDb, { clock: steppingClock() });
      const before = store.generation();
      other.fiscal.setThresholds('Demo City', { newProjectLine: '0.04' }, 'cli');
      expect(store.generation()).toBe(before + 1);
      otherDb.close();
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Scoped generations (issue 8, defect 7): what depends on portfolios is not moved by a save in a
 * project that no portfolio uses, and is moved by everything that can change it.
 */
describe('store.generation(scope)', () => {
  const setUp = () => {
    const { store } = memoryStore();
    store.scenarios.save(scenarioInput('IN-PLAN', 'Base'), { actor: 'alice' });
    store.scenarios.save(scenarioInput('OUTSIDE', 'Base'), { actor: 'alice' });
    store.portfolios.create(
      { name: 'Plan', members: [{ projectCode: 'IN-PLAN', scenarioName: 'Base' }] },
      'alice',
    );
    return store;
  };

  it('leaves the portfolios scope alone on a save in a project outside every portfolio', () => {
    const store = setUp();
    const portfolios = store.generation('portfolios');
    const inPlan = store.generation({ projectCode: 'IN-PLAN' });
    const outside = store.generation({ projectCode: 'OUTSIDE' });
    expect(portfolios).toBe(store.generation());
    store.scenarios.save(scenarioInput('OUTSIDE', 'Second'), { actor: 'bob' });
    store.scenarios.save(scenarioInput('NEW-ONE', 'Base'), { actor: 'bob' });
    expect(store.generation('portfolios')).toBe(portfolios);
    expect(store.generation({ projectCode: 'IN-PLAN' })).toBe(inPlan);
    expect(store.generation({ projectCode: 'OUTSIDE' })).toBeGreaterThan(outside);
    expect(store.generation({ projectCode: 'NEW-ONE' })).toBe(store.generation());
  });

  it('moves every scope on a save in a portfolio project, a portfolio change or thresholds', () => {
    const store = setUp();
    const moves = (write: () => void) => {
      const before = [store.generation('portfolios'), store.generation({ projectCode: 'OUTSIDE' })];
      write();
      const now = store.generation();
      expect([
        store.generation('portfolios'),
        store.generation({ projectCode: 'OUTSIDE' }),
      ]).toEqual([now, now]);
      expect(now).toBeGreaterThan(before[0]!);
    };
    moves(() => store.scenarios.save(scenarioInput('IN-PLAN', 'Second'), { actor: 'bob' }));
    moves(() => store.fiscal.setThresholds('Demo City', { affordabilityCap: '0.08' }, 'bob'));
    moves(() =>
      store.portfolios.setMember(
        store.portfolios.getByName('Plan').id,
        { projectCode: 'OUTSIDE', scenarioName: 'Base' },
        'bob',
      ),
    );
    // OUTSIDE is in the plan now: its saves move the portfolios scope too.
    moves(() => store.scenarios.save(scenarioInput('OUTSIDE', 'Third'), { actor: 'bob' }));
  });

  it('scopes a scenario and a version to their project', () => {
    const store = setUp();
    const outside = store.scenarios.list({ projectCode: 'OUTSIDE' })[0]!;
    store.scenarios.save(
      scenarioInput('OUTSIDE', 'Base', (s) => (s.residualValueYuan = '5')),
      {
        actor: 'bob',
      },
    );
    const project = store.generation({ projectCode: 'OUTSIDE' });
    expect(store.generation({ scenarioId: outside.id })).toBe(project);
    expect(store.generation({ versionId: outside.currentVersionId })).toBe(project);
    expect(project).toBe(store.generation());
    expect(store.generation('portfolios')).toBeLessThan(project);
  });

  it('sees writes made through another connection', () => {
    const dir = tempDir();
    try {
      const { db, store, file } = fileStore(dir);
      store.scenarios.save(scenarioInput('IN-PLAN', 'Base'), { actor: 'alice' });
      store.portfolios.create(
        { name: 'Plan', members: [{ projectCode: 'IN-PLAN', scenarioName: 'Base' }] },
        'alice',
      );
      const before = store.generation('portfolios');
      const otherDb = openDatabase(file);
      const other = createStore(otherDb, { clock: steppingClock() });
      other.scenarios.save(scenarioInput('IN-PLAN', 'Second'), { actor: 'cli' });
      expect(store.generation('portfolios')).toBeGreaterThan(before);
      expect(store.generation('portfolios')).toBe(store.generation());
      otherDb.close();
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
