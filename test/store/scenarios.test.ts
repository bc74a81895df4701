import { NotFoundError, ValidationError } from '../../src/domain/errors';
import { canonicalJson, ConflictError, sha256Hex, type Store } from '../../src/store';
import type { Db } from '../../src/store';
import { memoryStore, rows, scenarioInput } from './helpers/fixtures';

function counts(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of [
    'projects',
    'scenarios',
    'scenario_versions',
    'portfolios',
    'portfolio_members',
    'audit_log',
    'results_cache',
    'portfolio_fiscal',
    'jurisdictions',
  ]) {
    out[t] = db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
  }
  return out;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

const withCapex = (a: string, b: string) =>
  scenarioInput('P-001', 'Base case', (s) => {
    s.capex.scheduleYuan = [a, b];
  });

describe('scenarios.save', () => {
  let db: Db;
  let store: Store;
  beforeEach(() => ({ db, store } = memoryStore()));

  it('creates the project, the scenario and version 1 with the inputs as entered', () => {
    const input = scenarioInput('P-001', 'Base case', (s) => {
      s.scenario.description = '  kept exactly, spaces too  ';
      s.operatingCost.annualYuan = '300000.50';
    });
    const res = store.scenarios.save(input, { actor: 'alice', comment: 'first draft' });
    expect(res.created).toBe(true);
    expect(res.project).toMatchObject({
      code: 'P-001',
      name: 'Project P-001',
      sector: 'iot-sensing',
      category: 'basic',
      jurisdiction: 'Demo City',
      deletedAt: null,
    });
    expect(res.scenario).toMatchObject({
      projectCode: 'P-001',
      name: 'Base case',
      currentVersionNo: 1,
    });
    expect(res.version).toMatchObject({
      versionNo: 1,
      author: 'alice',
      comment: 'first draft',
      createdAt: '2026-01-01T00:00:00.000Z',
      restoredFromId: null,
    });
    expect(res.version.inputsJson).toBe(canonicalJson(input));
    expect(res.version.inputsJson).toContain('"description":"  kept exactly, spaces too  "');
    expect(res.version.inputsJson).toContain('"annualYuan":"300000.50"');
    expect(res.version.inputsHash).toBe(sha256Hex(res.version.inputsJson));
    expect(res.version.inputs).toEqual(input);
    expect(store.audit.list().map((e) => `${e.id} ${e.action} ${e.entity} ${e.actor}`)).toEqual([
      '3 create scenario-version alice',
      '2 create scenario alice',
      '1 create project alice',
    ]);
  });

  it('adds a version per changed save; the latest is current and earlier ones stay readable', () => {
    const v1 = store.scenarios.save(withCapex('6000000.00', '4000000.00'), {
      actor: 'alice',
    }).version;
    const v2 = store.scenarios.save(withCapex('7000000.00', '3000000.00'), {
      actor: 'bob',
      comment: 'front-load',
    }).version;
    expect(v2.versionNo).toBe(2);
    const scenario = store.scenarios.get('P-001', 'Base case');
    expect(scenario.currentVersionId).toBe(v2.id);
    expect(store.scenarios.current(scenario.id).inputs.capex.scheduleYuan).toEqual([
      '7000000.00',
      '3000000.00',
    ]);
    expect(store.scenarios.version(v1.id).inputs.capex.scheduleYuan).toEqual([
      '6000000.00',
      '4000000.00',
    ]);
    expect(
      store.scenarios.versions(scenario.id).map((v) => [v.versionNo, v.author, v.comment]),
    ).toEqual([
      [1, 'alice', ''],
      [2, 'bob', 'front-load'],
    ]);
    expect(store.scenarios.compare(v1.id, v2.id)).toEqual([
      { path: 'capex.scheduleYuan[0]', kind: 'changed', before: '6000000.00', after: '7000000.00' },
      { path: 'capex.scheduleYuan[1]', kind: 'changed', before: '4000000.00', after: '3000000.00' },
    ]);
  });

  it('creates no version for inputs identical to the current ones, whatever their key order', () => {
    const first = store.scenarios.save(scenarioInput(), { actor: 'alice' });
    const before = counts(db);
    const reordered = JSON.parse(canonicalJson(scenarioInput())) as Record<string, unknown>;
    const shuffled = Object.fromEntries(Object.entries(reordered).reverse());
    const again = store.scenarios.save(shuffled, { actor: 'bob', comment: 'no change' });
    expect(again.created).toBe(false);
    expect(again.version.id).toBe(first.version.id);
    expect(counts(db)).toEqual(before);
  });

  it('rejects invalid input with every field named and writes nothing', () => {
    store.scenarios.save(scenarioInput(), { actor: 'alice' });
    const before = counts(db);
    const bad = scenarioInput('P-001', 'Base case', (s) => {
      s.capex.scheduleYuan = ['-5', '4000000.00'];
      (s.timeline as { operationYears: unknown }).operationYears = 'ten';
    });
    const err = thrown(() => store.scenarios.save(bad, { actor: 'alice' }));
    expect(err).toBeInstanceOf(ValidationError);
    const paths = (err as ValidationError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['capex.scheduleYuan[0]', 'timeline.operationYears']),
    );
    expect(counts(db)).toEqual(before);
  });

  it.each([
    ['no actor', '', undefined, 'actor'],
    ['a blank actor', '   ', undefined, 'actor'],
    ['a comment that is not text', 'alice', 42, 'comment'],
  ])('rejects %s and writes nothing', (_what, actor, comment, path) => {
    const err = thrown(() =>
      store.scenarios.save(scenarioInput(), { actor, comment: comment as unknown as string }),
    );
    expect((err as ValidationError).issues[0]?.path).toBe(path);
    expect(counts(db).audit_log).toBe(0);
  });

  it('rejects JSON syntax errors in file text', () => {
    const err = thrown(() => store.scenarios.saveText('{"format": ', { actor: 'alice' }));
    expect((err as ValidationError).issues[0]?.message).toMatch(/Not valid JSON/);
    expect(
      store.scenarios.saveText(JSON.stringify(scenarioInput()), { actor: 'alice' }).created,
    ).toBe(true);
  });

  it('brings the project in line with the file and audits the change in the same save', () => {
    store.scenarios.save(scenarioInput(), { actor: 'alice' });
    const res = store.scenarios.save(
      scenarioInput('P-001', 'PPP case', (s) => {
        s.project.category = 'market-oriented';
        s.project.name = 'Renamed project';
      }),
      { actor: 'bob' },
    );
    expect(res.projectChanged.sort()).toEqual(['category', 'name']);
    expect(store.projects.get('P-001')).toMatchObject({
      category: 'market-oriented',
      name: 'Renamed project',
    });
    const update = store.audit.list({ entity: 'project' })[0];
    expect(update).toMatchObject({ action: 'update', actor: 'bob' });
    expect(update?.details).toMatchObject({
      changed: ['name', 'category'],
      before: { category: 'basic', name: 'Project P-001' },
    });
  });

  it('rolls the whole save back when a late step fails', () => {
    db.exec(`CREATE TEMP TRIGGER fail_version_audit BEFORE INSERT ON audit_log WHEN NEW.entity = 'scenario-version'
             BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END`);
    expect(() => store.scenarios.save(scenarioInput(), { actor: 'alice' })).toThrow(/simulated/);
    expect(counts(db)).toEqual({
      projects: 0,
      scenarios: 0,
      scenario_versions: 0,
      portfolios: 0,
      portfolio_members: 0,
      audit_log: 0,
      results_cache: 0,
      portfolio_fiscal: 0,
      jurisdictions: 0,
    });
  });
});

describe('versions are immutable', () => {
  it('refuses UPDATE and DELETE of a stored version from ordinary SQL', () => {
    const { db, store } = memoryStore();
    const { version } = store.scenarios.save(scenarioInput(), { actor: 'alice' });
    expect(() =>
      db.prepare('UPDATE scenario_versions SET comment = ? WHERE id = ?').run('edited', version.id),
    ).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM scenario_versions WHERE id = ?').run(version.id)).toThrow(
      /immutable/,
    );
    expect(() =>
      db
        .prepare(
          `INSERT INTO scenario_versions (scenario_id, version_no, inputs_json, inputs_hash, author, comment, created_at) VALUES (?, 5, '{}', ?, 'x', '', '2026-01-01T00:00:00.000Z')`,
        )
        .run(version.scenarioId, '0'.repeat(64)),
    ).toThrow(/must follow/);
    expect(rows(db, 'SELECT comment FROM scenario_versions')).toEqual([{ comment: '' }]);
  });
});

describe('scenarios.restoreVersion', () => {
  it('saves the old inputs as a new version that says where it came from', () => {
    const { store } = memoryStore();
    const v1 = store.scenarios.save(withCapex('6000000.00', '4000000.00'), {
      actor: 'alice',
    }).version;
    store.scenarios.save(withCapex('7000000.00', '3000000.00'), { actor: 'bob' });
    const res = store.scenarios.restoreVersion(v1.id, { actor: 'carol' });
    expect(res.created).toBe(true);
    expect(res.version).toMatchObject({
      versionNo: 3,
      author: 'carol',
      comment: 'Restored version 1',
      restoredFromId: v1.id,
    });
    expect(res.version.inputsJson).toBe(v1.inputsJson);
    expect(store.scenarios.versions(v1.scenarioId)).toHaveLength(3);
    expect(store.audit.list()[0]).toMatchObject({
      action: 'restore',
      entity: 'scenario-version',
      entityId: res.version.id,
    });
    expect(store.scenarios.restoreVersion(v1.id, { actor: 'carol' }).created).toBe(false);
    expect(() => store.scenarios.restoreVersion(999, { actor: 'carol' })).toThrow(NotFoundError);
  });
});

describe('soft delete', () => {
  let store: Store;
  beforeEach(() => {
    store = memoryStore().store;
    store.scenarios.save(scenarioInput('P-001', 'Base case'), { actor: 'alice' });
    store.scenarios.save(scenarioInput('P-001', 'Alt case'), { actor: 'alice' });
  });

  it('hides a deleted scenario, keeps its history and refuses new versions until it is restored', () => {
    const deleted = store.scenarios.delete('P-001', 'Alt case', 'bob');
    expect(deleted.deletedAt).toBe('2026-01-01T00:00:02.000Z');
    expect(store.scenarios.list().map((s) => s.name)).toEqual(['Base case']);
    expect(store.scenarios.list({ includeDeleted: true }).map((s) => s.name)).toEqual([
      'Alt case',
      'Base case',
    ]);
    expect(store.scenarios.versions(deleted.id)).toHaveLength(1);
    const err = thrown(() =>
      store.scenarios.save(
        scenarioInput('P-001', 'Alt case', (s) => (s.residualValueYuan = '1')),
        { actor: 'bob' },
      ),
    );
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).code).toBe('scenario-deleted');
    store.scenarios.undelete('P-001', 'Alt case', 'carol');
    expect(store.scenarios.list().map((s) => s.name)).toEqual(['Alt case', 'Base case']);
    expect(
      store.audit.list({ entity: 'scenario', entityId: deleted.id }).map((e) => e.action),
    ).toEqual(['restore', 'delete', 'create']);
  });

  it('deletes and restores projects, refusing while a portfolio uses them', () => {
    const portfolio = store.portfolios.create(
      { name: 'Plan', members: [{ projectCode: 'P-001', scenarioName: 'Base case' }] },
      'alice',
    );
    expect((thrown(() => store.projects.delete('P-001', 'bob')) as ConflictError).code).toBe(
      'project-in-portfolio',
    );
    expect(
      (thrown(() => store.scenarios.delete('P-001', 'Base case', 'bob')) as ConflictError).code,
    ).toBe('scenario-in-portfolio');
    store.portfolios.removeMember(portfolio.id, 'P-001', 'bob');
    store.projects.delete('P-001', 'bob');
    expect(store.projects.list()).toEqual([]);
    expect(store.projects.list({ includeDeleted: true }).map((p) => p.code)).toEqual(['P-001']);
    expect(
      (
        thrown(() =>
          store.scenarios.save(scenarioInput('P-001', 'New'), { actor: 'bob' }),
        ) as ConflictError
      ).code,
    ).toBe('project-deleted');
    store.projects.undelete('P-001', 'bob');
    expect(store.scenarios.save(scenarioInput('P-001', 'New'), { actor: 'bob' }).created).toBe(
      true,
    );
    expect(store.audit.verify().ok).toBe(true);
  });

  it('names what was not found', () => {
    expect(() => store.projects.get('NOPE')).toThrow(/Project NOPE was not found/);
    expect(() => store.scenarios.get('P-001', 'Nope')).toThrow(NotFoundError);
    expect(() => store.projects.delete('NOPE', 'bob')).toThrow(NotFoundError);
  });
});

const FISCAL = {
  jurisdiction: 'Demo City',
  budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '1000000', growth: '0.03' },
};

describe('every write names its author', () => {
  it.each<[string, (store: Store, actor: string) => unknown]>([
    ['scenarios.save', (s, a) => s.scenarios.save(scenarioInput('P-NEW'), { actor: a })],
    ['scenarios.restoreVersion', (s, a) => s.scenarios.restoreVersion(1, { actor: a })],
    ['scenarios.delete', (s, a) => s.scenarios.delete('P-001', 'Base case', a)],
    ['scenarios.undelete', (s, a) => s.scenarios.undelete('P-001', 'Base case', a)],
    ['projects.delete', (s, a) => s.projects.delete('P-001', a)],
    ['projects.undelete', (s, a) => s.projects.undelete('P-001', a)],
    ['portfolios.create', (s, a) => s.portfolios.create({ name: 'X', members: [] }, a)],
    ['portfolios.update', (s, a) => s.portfolios.update(1, { description: 'x' }, a)],
    [
      'portfolios.setMember',
      (s, a) => s.portfolios.setMember(1, { projectCode: 'P-001', scenarioName: 'Base case' }, a),
    ],
    ['portfolios.removeMember', (s, a) => s.portfolios.removeMember(1, 'P-001', a)],
    ['portfolios.delete', (s, a) => s.portfolios.delete(1, a)],
    ['fiscal.setSettings', (s, a) => s.fiscal.setSettings(1, { ...FISCAL, jurisdiction: 'Y' }, a)],
    ['fiscal.clearSettings', (s, a) => s.fiscal.clearSettings(1, a)],
    ['fiscal.setThresholds', (s, a) => s.fiscal.setThresholds('X', {}, a)],
    [
      'fiscal.updateThresholds',
      (s, a) => s.fiscal.updateThresholds('X', { bondCoverage: '1.3' }, a),
    ],
  ])('%s rejects a blank actor and writes nothing', (_name, write) => {
    const { db, store } = memoryStore();
    store.scenarios.save(scenarioInput(), { actor: 'alice' });
    store.portfolios.create({ name: 'Plan', members: [] }, 'alice');
    store.fiscal.setSettings(1, FISCAL, 'alice');
    const before = counts(db);
    for (const actor of ['', '  ', undefined as unknown as string, 42 as unknown as string]) {
      expect(() => write(store, actor)).toThrow(ValidationError);
    }
    expect(counts(db)).toEqual(before);
  });
});
