import { ConflictError } from '../../src/store';
import { smallInput } from '../helpers/scenarios';
import { memoryStore } from './helpers/fixtures';

describe('a save based on a version that is no longer current', () => {
  it('is refused inside the write transaction with the current version named; nothing is written', () => {
    const { store } = memoryStore();
    const v1 = store.scenarios.save(smallInput(), { actor: 'a' }).version;
    const v2 = store.scenarios.save(
      smallInput((s) => (s.operatingCost.annualYuan = '310000')),
      { actor: 'b', basedOnVersionId: v1.id },
    ).version;
    expect(v2.versionNo).toBe(2);
    const entries = store.audit.count();
    let caught: unknown;
    try {
      store.scenarios.save(
        smallInput((s) => (s.operatingCost.annualYuan = '320000')),
        { actor: 'c', basedOnVersionId: v1.id },
      );
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConflictError);
    expect((caught as ConflictError).code).toBe('stale-version');
    expect((caught as ConflictError).message).toBe(
      'Scenario "base" of project T-SMALL was saved since (version 2 by b); nothing was saved',
    );
    expect(store.audit.count()).toBe(entries);
    expect(store.scenarios.versions(v1.scenarioId).map((v) => v.versionNo)).toEqual([1, 2]);
    // Based on the current version, it saves.
    const v3 = store.scenarios.save(
      smallInput((s) => (s.operatingCost.annualYuan = '320000')),
      { actor: 'c', basedOnVersionId: v2.id },
    ).version;
    expect(v3.versionNo).toBe(3);
  });
});
