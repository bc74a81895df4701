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
