import { NotFoundError, ValidationError } from '../../src/domain/errors';
import {
  exportFiles,
  HISTORY_FORMAT,
  importFiles,
  type Db,
  type Store,
  type TransferFile,
} from '../../src/store';
import { memoryStore, rows, scenarioInput, steppingClock } from './helpers/fixtures';

/** A history with several authors, a restore, unicode names and deletions. */
function richHistory(): { db: Db; store: Store } {
  const ms = memoryStore();
  const { store } = ms;
  const base = scenarioInput('SC-WATER', '专项债+预算 Bond / budget', (s) => {
    s.project.name = '智慧水务 Smart water';
    s.project.nameEn = 'Smart water';
  });
  const v1 = store.scenarios.save(base, {
    actor: '王工 Wang',
    comment: '初稿 first draft',
  }).version;
  store.scenarios.save(
    { ...base, residualValueYuan: '1000000.00' },
    { actor: 'bob', comment: 'residual value' },
  );
  store.scenarios.restoreVersion(v1.id, { actor: 'carol', comment: 'back to the draft' });
  store.scenarios.save(
    scenarioInput('SC-WATER', 'Budget only', (s) => {
      s.project.name = '智慧水务 Smart water';
      s.project.nameEn = 'Smart water';
      s.funding.sources[0]!.share = '1';
      s.funding.sources.pop();
    }),
    { actor: 'alice' },
  );
  store.scenarios.save(scenarioInput('SC-OLD', 'Dropped'), { actor: 'alice' });
  store.scenarios.save(scenarioInput('SC-PARK', 'Concession'), { actor: 'alice' });
  store.scenarios.save(scenarioInput('SC-PARK', 'Discarded idea'), { actor: 'alice' });
  store.scenarios.delete('SC-PARK', 'Discarded idea', 'dave');
  store.projects.delete('SC-OLD', 'dave');
  store.portfolios.create(
    {
      name: '2027 plan',
      description: 'bond heavy',
      members: [
        { projectCode: 'SC-WATER', scenarioName: '专项债+预算 Bond / budget' },
        { projectCode: 'SC-PARK', scenarioName: 'Concession' },
      ],
    },
    'erin',
  );
  return ms;
}

/** Everything an export must reproduce, keyed by identity rather than by row id. */
function snapshot(db: Db): unknown {
  return {
    projects: rows(
      db,
      'SELECT code, name, name_en, sector, category, approval_date, jurisdiction, deleted_at IS NOT NULL AS deleted, deleted_at FROM projects ORDER BY code',
    ),
    scenarios: rows(
      db,
      'SELECT p.code, s.name, s.created_at, s.deleted_at FROM scenarios s JOIN projects p ON p.id = s.project_id ORDER BY p.code, s.name',
    ),
    versions: rows(
      db,
      `SELECT p.code, s.name, v.version_no, v.inputs_json, v.inputs_hash, v.author, v.comment, v.created_at, r.version_no AS restored_from
       FROM scenario_versions v JOIN scenarios s ON s.id = v.scenario_id JOIN projects p ON p.id = s.project_id
       LEFT JOIN scenario_versions r ON r.id = v.restored_from_id ORDER BY p.code, s.name, v.version_no`,
    ),
    portfolios: rows(
      db,
      `SELECT f.name, f.description, p.code, s.name AS scenario FROM portfolios f JOIN portfolio_members m ON m.portfolio_id = f.id
       JOIN projects p ON p.id = m.project_id JOIN scenarios s ON s.id = m.scenario_id ORDER BY f.name, p.code`,
    ),
  };
}

function counts(db: Db): number[] {
  return [
    'projects',
    'scenarios',
    'scenario_versions',
    'portfolios',
    'portfolio_members',
    'audit_log',
  ].map((t) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number);
}

function caught(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('export → import', () => {
  it('reproduces every scenario and version byte for byte in an empty database', () => {
    const a = richHistory();
    const files = exportFiles(a.store);
    expect(files.map((f) => f.name).sort()).toEqual([
      'SC-OLD/Dropped.json',
      'SC-PARK/Concession.json',
      'SC-PARK/Discarded-idea.json',
      'SC-WATER/Budget-only.json',
      'SC-WATER/专项债_预算-Bond-_-budget.json',
      'portfolios.json',
    ]);
    const b = memoryStore({ clock: steppingClock(Date.UTC(2030, 5, 1)) });
    const report = importFiles(b.store, files, { actor: 'auditor' });
    expect(report).toMatchObject({
      versionsCreated: 7,
      projectsCreated: 3,
      scenariosCreated: 5,
      portfoliosCreated: 1,
    });
    expect(snapshot(b.db)).toEqual(snapshot(a.db));
    expect(exportFiles(b.store)).toEqual(files);
    expect(b.store.audit.verify().ok).toBe(true);
    expect(b.store.audit.list({ entity: 'scenario-version', limit: 1 })[0]).toMatchObject({
      action: 'import',
      actor: 'auditor',
    });
  });

  it('is idempotent and appends only the versions a database lacks', () => {
    const a = richHistory();
    const b = memoryStore();
    importFiles(b.store, exportFiles(a.store), { actor: 'auditor' });
    const before = counts(b.db);
    expect(importFiles(b.store, exportFiles(a.store), { actor: 'auditor' }).versionsCreated).toBe(
      0,
    );
    expect(counts(b.db)).toEqual(before);

    a.store.scenarios.save(
      scenarioInput('SC-PARK', 'Concession', (s) => (s.residualValueYuan = '5.00')),
      { actor: 'alice', comment: 'later' },
    );
    const again = importFiles(b.store, exportFiles(a.store, { projectCode: 'SC-PARK' }), {
      actor: 'auditor',
    });
    expect(again.versionsCreated).toBe(1);
    expect(again.files.find((f) => f.file === 'SC-PARK/Concession.json')?.summary).toBe(
      'SC-PARK / Concession: 1 of 2 version(s) imported (1 already present)',
    );
    expect(snapshot(b.db)).toEqual(snapshot(a.db));
  });

  it('refuses a history that diverged from the stored one, and writes nothing', () => {
    const a = richHistory();
    const b = memoryStore();
    b.store.scenarios.save(
      scenarioInput('SC-PARK', 'Concession', (s) => (s.residualValueYuan = '7.00')),
      { actor: 'someone' },
    );
    const before = counts(b.db);
    const err = caught(() => importFiles(b.store, exportFiles(a.store), { actor: 'auditor' }));
    expect(err.issues).toEqual([
      {
        path: 'SC-PARK/Concession.json: versions[0]',
        message:
          'The stored scenario SC-PARK / Concession has a different version 1 (or more versions) than this file: histories diverged',
      },
    ]);
    expect(counts(b.db)).toEqual(before);
  });

  it('exports one project without portfolios, and names an unknown project', () => {
    const { store } = richHistory();
    expect(exportFiles(store, { projectCode: 'SC-PARK' }).map((f) => f.name)).toEqual([
      'SC-PARK/Concession.json',
      'SC-PARK/Discarded-idea.json',
    ]);
    expect(() => exportFiles(store, { projectCode: 'NOPE' })).toThrow(NotFoundError);
  });

  it('writes readable history files', () => {
    const { store } = richHistory();
    const file = exportFiles(store, { projectCode: 'SC-PARK' })[1]!;
    const body = JSON.parse(file.text) as {
      format: string;
      scenario: unknown;
      versions: Array<Record<string, unknown>>;
    };
    expect(body.format).toBe(HISTORY_FORMAT);
    expect(body.scenario).toEqual({
      name: 'Discarded idea',
      createdAt: '2026-01-01T00:00:06.000Z',
      deletedAt: '2026-01-01T00:00:07.000Z',
    });
    expect(body.versions[0]).toMatchObject({
      versionNo: 1,
      author: 'alice',
      comment: '',
      restoredFromVersionNo: null,
    });
    expect(file.text).toContain('\n  "versions": [\n');
  });
});

describe('import', () => {
  const good = (code: string, name = 'Base'): TransferFile => ({
    name: `${code}.json`,
    text: JSON.stringify(scenarioInput(code, name)),
  });

  it('imports plain scenario files as versions by the importer', () => {
    const { store } = memoryStore();
    const report = importFiles(store, [good('P-1'), good('P-2')], { actor: 'ivan' });
    expect(report.files.map((f) => f.summary)).toEqual([
      'P-1 / Base: version 1 created',
      'P-2 / Base: version 1 created',
    ]);
    const v = store.scenarios.current(store.scenarios.get('P-1', 'Base').id);
    expect(v).toMatchObject({ author: 'ivan', comment: 'Imported from P-1.json' });
    expect(importFiles(store, [good('P-1')], { actor: 'ivan' }).files[0]?.summary).toBe(
      'P-1 / Base: unchanged (version 1)',
    );
  });

  it('is all or nothing and lists every problem of every file', () => {
    const { db, store } = memoryStore();
    const bad = scenarioInput('P-3', 'Base', (s) => {
      s.capex.scheduleYuan = ['1,000', '4000000.00'];
    });
    const err = caught(() =>
      importFiles(
        store,
        [
          good('P-1'),
          { name: 'bad.json', text: JSON.stringify(bad) },
          { name: 'broken.json', text: '{"format": "fundmix-scenario@1",' },
          { name: 'other.json', text: '{"format": "something-else@2"}' },
          {
            name: 'plans.json',
            text: JSON.stringify({
              format: 'fundmix-portfolios@1',
              portfolios: [{ name: 'X', members: [{ projectCode: 'NOPE', scenarioName: 'a' }] }],
            }),
          },
        ],
        { actor: 'ivan' },
      ),
    );
    expect(err.message).toMatch(/Nothing was imported/);
    expect(err.issues.map((i) => i.path)).toEqual([
      'broken.json',
      'other.json: format',
      'bad.json: capex.scheduleYuan[0]',
      'plans.json: portfolios[0].members[0].projectCode',
    ]);
    expect(counts(db)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses an exported history whose inputs were edited', () => {
    const a = richHistory();
    const file = exportFiles(a.store, { projectCode: 'SC-PARK' })[0]!;
    const body = JSON.parse(file.text) as { versions: Array<{ inputs: Record<string, unknown> }> };
    body.versions[0]!.inputs.operatingCost = { annualYuan: '1.00' };
    const b = memoryStore();
    const err = caught(() =>
      importFiles(b.store, [{ name: file.name, text: JSON.stringify(body) }], { actor: 'ivan' }),
    );
    expect(err.issues).toEqual([
      {
        path: 'SC-PARK/Concession.json: versions[0].inputsHash',
        message: 'The inputs do not match their recorded hash: the file was altered',
      },
    ]);
    expect(counts(b.db)[2]).toBe(0);
  });

  it('rejects a missing actor before touching anything', () => {
    const { db, store } = memoryStore();
    expect(() => importFiles(store, [good('P-1')], { actor: '' })).toThrow(ValidationError);
    expect(counts(db)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
