import { ValidationError } from '../../src/domain/errors';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { simulate } from '../../src/domain/engine/simulate';
import type { Scenario } from '../../src/domain/scenario/schema';
import { ConflictError, createStore, type EngineAdapter, type Store } from '../../src/store';
import { memoryStore, rows, scenarioInput, steppingClock } from './helpers/fixtures';

/** The real engine, counting its calls. */
function countingEngine(version = ENGINE_VERSION): EngineAdapter & { calls: number } {
  const engine = {
    calls: 0,
    version,
    simulate(s: Scenario) {
      engine.calls++;
      return simulate(s);
    },
  };
  return engine;
}

function seedTwoProjects(store: Store): void {
  store.scenarios.save(scenarioInput('P-001', 'Bond heavy'), { actor: 'alice' });
  store.scenarios.save(
    scenarioInput('P-001', 'Budget heavy', (s) => {
      s.funding.sources[0]!.share = '0.6';
      s.funding.sources[1]!.share = '0.4';
    }),
    { actor: 'alice' },
  );
  store.scenarios.save(
    scenarioInput('P-002', 'Bond heavy', (s) => (s.project.sector = 'smart-water')),
    { actor: 'alice' },
  );
}

describe('portfolios', () => {
  let store: Store;
  beforeEach(() => {
    store = memoryStore().store;
    seedTwoProjects(store);
  });

  it('creates a named selection of one scenario per project', () => {
    const p = store.portfolios.create(
      {
        name: 'Bond-heavy 2027 plan',
        description: 'bonds first',
        members: [
          { projectCode: 'P-002', scenarioName: 'Bond heavy' },
          { projectCode: 'P-001', scenarioName: 'Bond heavy' },
        ],
      },
      'alice',
    );
    expect(p).toMatchObject({
      name: 'Bond-heavy 2027 plan',
      description: 'bonds first',
      deletedAt: null,
    });
    expect(p.members.map((m) => `${m.projectCode}:${m.scenarioName}`)).toEqual([
      'P-001:Bond heavy',
      'P-002:Bond heavy',
    ]);
    expect(store.portfolios.getByName('Bond-heavy 2027 plan').id).toBe(p.id);
    expect(store.audit.list({ entity: 'portfolio' })[0]).toMatchObject({
      action: 'create',
      actor: 'alice',
      entityId: p.id,
    });
  });

  it('switches a project to another scenario (what-if) and audits it; an unchanged update writes nothing', () => {
    const p = store.portfolios.create(
      { name: 'Plan', members: [{ projectCode: 'P-001', scenarioName: 'Bond heavy' }] },
      'alice',
    );
    const switched = store.portfolios.setMember(
      p.id,
      { projectCode: 'P-001', scenarioName: 'Budget heavy' },
      'bob',
    );
    expect(switched.members.map((m) => m.scenarioName)).toEqual(['Budget heavy']);
    const entry = store.audit.list({ entity: 'portfolio', entityId: p.id })[0]!;
    expect(entry.action).toBe('update');
    expect(
      (entry.details.before as { members: Array<{ scenarioName: string }> }).members[0]
        ?.scenarioName,
    ).toBe('Bond heavy');
    const count = store.audit.count();
    store.portfolios.update(p.id, { description: '' }, 'bob');
    expect(store.audit.count()).toBe(count);
  });

  it('lists every problem of an invalid portfolio and writes nothing', () => {
    let err: unknown;
    try {
      store.portfolios.create(
        {
          name: '  ',
          members: [
            { projectCode: 'P-001', scenarioName: 'Bond heavy' },
            { projectCode: 'P-001', scenarioName: 'Budget heavy' },
            { projectCode: 'NOPE', scenarioName: 'x' },
            { projectCode: 'P-002', scenarioName: 'Nope' },
          ],
        },
        'alice',
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['name']);
    try {
      store.portfolios.create(
        {
          name: 'Plan',
          members: [
            { projectCode: 'P-001', scenarioName: 'Bond heavy' },
            { projectCode: 'P-001', scenarioName: 'Budget heavy' },
            { projectCode: 'NOPE', scenarioName: 'x' },
            { projectCode: 'P-002', scenarioName: 'Nope' },
          ],
        },
        'alice',
      );
    } catch (e) {
      err = e;
    }
    expect((err as ValidationError).issues).toEqual([
      {
        path: 'members[1].projectCode',
        message:
          'Project P-001 is already in the portfolio (members[0]): pick one scenario per project',
      },
      { path: 'members[2].projectCode', message: 'No project with code NOPE' },
      { path: 'members[3].scenarioName', message: 'Project P-002 has no scenario "Nope"' },
    ]);
    expect(store.portfolios.list()).toEqual([]);
  });

  it('refuses a second portfolio with the same name', () => {
    store.portfolios.create({ name: 'Plan', members: [] }, 'alice');
    expect(() => store.portfolios.create({ name: 'Plan', members: [] }, 'bob')).toThrow(
      ConflictError,
    );
  });

  it('soft-deletes a portfolio', () => {
    const p = store.portfolios.create(
      { name: 'Plan', members: [{ projectCode: 'P-001', scenarioName: 'Bond heavy' }] },
      'alice',
    );
    store.portfolios.delete(p.id, 'bob');
    expect(store.portfolios.list()).toEqual([]);
    expect(store.portfolios.list({ includeDeleted: true })[0]?.members).toHaveLength(1);
    // A deleted portfolio no longer holds its scenario.
    store.scenarios.delete('P-001', 'Bond heavy', 'bob');
    expect(store.audit.verify().ok).toBe(true);
  });
});

describe('results cache and portfolio loading', () => {
  it('computes a result once per inputs and engine version, and serves it from the cache after', () => {
    const { db } = memoryStore();
    const engine = countingEngine();
    const store = createStore(db, { clock: steppingClock(), engine });
    const { version } = store.scenarios.save(scenarioInput(), { actor: 'alice' });
    const first = store.results.forVersion(version.id);
    expect(engine.calls).toBe(1);
    expect(first.metrics.totalInvestment).toBe('10000000');
    expect(first.engineVersion).toBe(ENGINE_VERSION);
    const again = store.results.forVersion(version.id);
    expect(engine.calls).toBe(1);
    expect(again).toEqual(first);
    // Another scenario with identical inputs shares the cached result.
    const twin = createStore(db, { clock: steppingClock(), engine }).scenarios.save(
      scenarioInput(),
      { actor: 'bob' },
    );
    expect(twin.created).toBe(false);
    expect(rows(db, 'SELECT engine_version FROM results_cache')).toEqual([
      { engine_version: ENGINE_VERSION },
    ]);
  });

  it('never serves a result of another engine version', () => {
    const { db } = memoryStore();
    const old = countingEngine('0.9.0');
    const oldStore = createStore(db, { clock: steppingClock(), engine: old });
    const { version } = oldStore.scenarios.save(scenarioInput(), { actor: 'alice' });
    oldStore.results.put(version.inputsHash, { engineVersion: '0.9.0', stale: true } as never);
    expect(oldStore.results.forVersion(version.id)).toEqual({
      engineVersion: '0.9.0',
      stale: true,
    });
    const current = countingEngine();
    const store = createStore(db, { clock: steppingClock(), engine: current });
    expect(store.results.cached(version.inputsHash)).toBeNull();
    expect(store.results.forVersion(version.id).engineVersion).toBe(ENGINE_VERSION);
    expect(current.calls).toBe(1);
    expect(store.results.prune()).toBe(1);
    expect(store.results.count()).toBe(1);
  });

  it('says when a result is not cached and there is no engine', () => {
    const { store } = memoryStore();
    const { version } = store.scenarios.save(scenarioInput(), { actor: 'alice' });
    expect(() => store.results.forVersion(version.id)).toThrow(
      expect.objectContaining({ code: 'engine-unavailable' }),
    );
  });

  it('loads a portfolio with current versions and results in one query, computing only what is missing', () => {
    const { db } = memoryStore();
    const engine = countingEngine();
    const store = createStore(db, { clock: steppingClock(), engine });
    seedTwoProjects(store);
    const p = store.portfolios.create(
      {
        name: 'Plan',
        members: [
          { projectCode: 'P-001', scenarioName: 'Budget heavy' },
          { projectCode: 'P-002', scenarioName: 'Bond heavy' },
        ],
      },
      'alice',
    );
    store.scenarios.save(
      scenarioInput('P-002', 'Bond heavy', (s) => {
        s.project.sector = 'smart-water';
        s.residualValueYuan = '500000.00';
      }),
      { actor: 'bob', comment: 'v2' },
    );
    const view = store.portfolios.load(p.id);
    expect(engine.calls).toBe(2);
    expect(view.engineVersion).toBe(ENGINE_VERSION);
    expect(
      view.members.map((m) => [
        m.project.code,
        m.project.sector,
        m.scenario.name,
        m.version.versionNo,
        m.version.comment,
      ]),
    ).toEqual([
      ['P-001', 'iot-sensing', 'Budget heavy', 1, ''],
      ['P-002', 'smart-water', 'Bond heavy', 2, 'v2'],
    ]);
    expect(view.members[1]?.version.inputs.residualValueYuan).toBe('500000.00');
    expect(view.members.map((m) => m.result?.metrics.totalInvestment)).toEqual([
      '10000000',
      '10000000',
    ]);
    expect(view.members.every((m) => m.resultError === null)).toBe(true);
    store.portfolios.load(p.id);
    expect(engine.calls).toBe(2);

    const noEngine = createStore(db, { clock: steppingClock() });
    store.scenarios.save(
      scenarioInput('P-001', 'Budget heavy', (s) => {
        s.funding.sources[0]!.share = '0.5';
        s.funding.sources[1]!.share = '0.5';
      }),
      { actor: 'bob' },
    );
    const partial = noEngine.portfolios.load(p.id);
    expect(partial.members[0]?.result).toBeNull();
    expect(partial.members[0]?.resultError?.code).toBe('engine-unavailable');
    expect(partial.members[1]?.result).not.toBeNull();
  });
});
