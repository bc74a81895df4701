import { auditEntryHash, GENESIS_HASH } from '../../src/store/audit-state';
import { canonicalJson, sha256Hex, type Db, type Store } from '../../src/store';
import { behindTheBack, memoryStore, rows, scenarioInput } from './helpers/fixtures';

/** A small history touching every kind of entity and action. */
function history(): { db: Db; store: Store } {
  const ms = memoryStore();
  const { store } = ms;
  store.scenarios.save(scenarioInput('P-001', 'Base case'), { actor: 'alice', comment: 'v1' });
  store.scenarios.save(
    scenarioInput('P-001', 'Base case', (s) => (s.residualValueYuan = '100.00')),
    { actor: 'bob', comment: 'v2' },
  );
  store.scenarios.save(scenarioInput('P-002', 'Bond heavy'), { actor: 'alice' });
  store.scenarios.save(
    scenarioInput('P-002', 'Budget only', (s) => (s.scenario.description = 'other')),
    { actor: 'alice' },
  );
  const p = store.portfolios.create(
    {
      name: 'Plan A',
      description: 'bond heavy',
      members: [
        { projectCode: 'P-001', scenarioName: 'Base case' },
        { projectCode: 'P-002', scenarioName: 'Bond heavy' },
      ],
    },
    'carol',
  );
  store.portfolios.setMember(p.id, { projectCode: 'P-002', scenarioName: 'Budget only' }, 'carol');
  store.scenarios.delete('P-002', 'Bond heavy', 'dave');
  const v1 = store.scenarios.versions(store.scenarios.get('P-001', 'Base case').id)[0]!;
  store.scenarios.restoreVersion(v1.id, { actor: 'erin' });
  return ms;
}

describe('audit log', () => {
  it('records every change in an unbroken chain that verifies', () => {
    const { db, store } = history();
    const report = store.audit.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const all = rows(db, 'SELECT id, action, entity, prev_hash, hash FROM audit_log ORDER BY id');
    expect(report.entries).toBe(all.length);
    expect(report.headHash).toBe(all.at(-1)?.hash);
    expect(all[0]?.prev_hash).toBe(GENESIS_HASH);
    all.slice(1).forEach((r, i) => expect(r.prev_hash).toBe(all[i]?.hash));
    expect(all.map((r) => `${r.action} ${r.entity}`)).toEqual([
      'create project',
      'create scenario',
      'create scenario-version',
      'create scenario-version',
      'create project',
      'create scenario',
      'create scenario-version',
      'create scenario',
      'create scenario-version',
      'create portfolio',
      'update portfolio',
      'delete scenario',
      'restore scenario-version',
    ]);
  });

  it('verifies an empty log', () => {
    const { store } = memoryStore();
    expect(store.audit.verify()).toEqual({
      ok: true,
      entries: 0,
      headHash: GENESIS_HASH,
      headId: null,
      firstBrokenEntryId: null,
      problems: [],
    });
  });

  it('refuses UPDATE and DELETE from ordinary SQL, and entries that do not extend the chain', () => {
    const { db } = history();
    expect(() => db.prepare(`UPDATE audit_log SET actor = 'mallory' WHERE id = 1`).run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 13').run()).toThrow(/append-only/);
    const insert = db.prepare(
      `INSERT INTO audit_log (id, at, actor, action, entity, entity_id, details, prev_hash, hash) VALUES (?, '2026-01-01T00:00:00.000Z', 'm', 'update', 'project', 1, '{}', ?, ?)`,
    );
    expect(() => insert.run(14, GENESIS_HASH, 'a'.repeat(64))).toThrow(/must follow/);
    expect(() =>
      insert.run(20, rows(db, 'SELECT hash FROM audit_log WHERE id = 13')[0]?.hash, 'a'.repeat(64)),
    ).toThrow(/must follow/);
  });

  const AUDIT_EDITS: Array<[string, (r: Record<string, unknown>) => unknown]> = [
    ['at', () => '2020-01-01T00:00:00.000Z'],
    ['actor', () => 'mallory'],
    ['action', (r) => (r.action === 'update' ? 'create' : 'update')],
    ['entity', (r) => (r.entity === 'scenario' ? 'project' : 'scenario')],
    ['entity_id', (r) => (r.entity_id as number) + 1000],
    ['details', (r) => (r.details as string).replace(/}$/, ',"note":"x"}')],
    ['prev_hash', () => 'f'.repeat(64)],
    ['hash', () => 'e'.repeat(64)],
  ];

  it('detects a behind-the-back edit of any column of any entry, naming that entry', () => {
    const { db, store } = history();
    const all = rows(db, 'SELECT * FROM audit_log ORDER BY id');
    const missed: string[] = [];
    for (const row of all) {
      for (const [column, edit] of AUDIT_EDITS) {
        behindTheBack(db, 'audit_log', () =>
          db.prepare(`UPDATE audit_log SET ${column} = ? WHERE id = ?`).run(edit(row), row.id),
        );
        const report = store.audit.verify();
        if (report.ok || report.firstBrokenEntryId !== row.id)
          missed.push(
            `${String(row.id)}.${column} → first broken ${String(report.firstBrokenEntryId)}`,
          );
        behindTheBack(db, 'audit_log', () =>
          db.prepare(`UPDATE audit_log SET ${column} = ? WHERE id = ?`).run(row[column], row.id),
        );
      }
    }
    expect(missed).toEqual([]);
    expect(store.audit.verify().ok).toBe(true);
  });

  it.each([1, 5, 12])('detects deletion of entry %i', (id) => {
    const { db, store } = history();
    behindTheBack(db, 'audit_log', () => db.prepare('DELETE FROM audit_log WHERE id = ?').run(id));
    const report = store.audit.verify();
    expect(report.ok).toBe(false);
    expect(report.firstBrokenEntryId).toBe(id);
    expect(report.problems[0]).toMatchObject({ entryId: id, code: 'entry-missing' });
  });

  it('detects deletion of the newest entry through the row it recorded', () => {
    const { db, store } = history();
    behindTheBack(db, 'audit_log', () =>
      db.prepare('DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)').run(),
    );
    const report = store.audit.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['version-unrecorded']);
  });

  it('detects an entry re-hashed by someone who knows the algorithm, at the next entry', () => {
    const { db, store } = history();
    behindTheBack(db, 'audit_log', () => {
      db.prepare(`UPDATE audit_log SET actor = 'mallory', hash = ? WHERE id = 4`).run(
        'd'.repeat(64),
      );
    });
    expect(store.audit.verify().firstBrokenEntryId).toBe(4);
  });

  const VERSION_EDITS: Array<[string, string]> = [
    ['inputs_json', `json_set(inputs_json, '$.residualValueYuan', '999.00')`],
    ['inputs_json and its hash', `json_set(inputs_json, '$.residualValueYuan', '999.00')`],
    ['author', `'mallory'`],
    ['comment', `comment || ' (edited)'`],
    ['created_at', `'2020-01-01T00:00:00.000Z'`],
    ['restored_from_id', `CASE WHEN restored_from_id IS NULL THEN 1 ELSE NULL END`],
    ['version_no', `version_no + 100`],
  ];

  it.each(VERSION_EDITS)('detects a behind-the-back edit of a stored version: %s', (what, expr) => {
    const { db, store } = history();
    const versions = rows(db, 'SELECT id FROM scenario_versions ORDER BY id');
    for (const v of versions) {
      const entry = rows(
        db,
        `SELECT id FROM audit_log WHERE entity = 'scenario-version' AND entity_id = ?`,
        v.id,
      )[0]?.id;
      behindTheBack(db, 'scenario_versions', () => {
        const column = what.split(' ')[0];
        db.exec('SAVEPOINT tamper');
        db.prepare(`UPDATE scenario_versions SET ${column} = ${expr} WHERE id = ?`).run(v.id);
        if (what === 'inputs_json and its hash') {
          const text = rows(db, 'SELECT inputs_json FROM scenario_versions WHERE id = ?', v.id)[0]
            ?.inputs_json as string;
          db.prepare('UPDATE scenario_versions SET inputs_hash = ? WHERE id = ?').run(
            sha256Hex(text),
            v.id,
          );
        }
        const report = store.audit.verify();
        expect(report.ok).toBe(false);
        expect(report.firstBrokenEntryId).toBe(entry);
        expect(report.problems[0]?.code).toBe('version-altered');
        db.exec('ROLLBACK TO tamper; RELEASE tamper');
      });
    }
    expect(store.audit.verify().ok).toBe(true);
  });

  it('detects a deleted version and a version inserted behind the back', () => {
    const { db, store } = history();
    behindTheBack(db, 'scenario_versions', () => {
      db.pragma('foreign_keys = OFF');
      db.prepare('DELETE FROM scenario_versions WHERE id = 2').run();
    });
    expect(store.audit.verify().problems.map((p) => p.code)).toEqual(['version-missing']);

    const fresh = history();
    const v = rows(fresh.db, 'SELECT * FROM scenario_versions WHERE id = 1')[0]!;
    fresh.db
      .prepare(
        'INSERT INTO scenario_versions (scenario_id, version_no, inputs_json, inputs_hash, author, comment, created_at) VALUES (?, 4, ?, ?, ?, ?, ?)',
      )
      .run(v.scenario_id, v.inputs_json, v.inputs_hash, 'mallory', '', v.created_at);
    expect(fresh.store.audit.verify().problems.map((p) => p.code)).toEqual(['version-unrecorded']);
  });

  it.each([
    [
      'a project field',
      `UPDATE projects SET category = 'market-oriented' WHERE code = 'P-001'`,
      ['project-altered'],
    ],
    [
      'a project deletion',
      `UPDATE projects SET deleted_at = '2026-02-01T00:00:00.000Z' WHERE code = 'P-001'`,
      ['project-altered'],
    ],
    [
      'a scenario undeleted',
      `UPDATE scenarios SET deleted_at = NULL WHERE name = 'Bond heavy'`,
      ['scenario-altered'],
    ],
    // The portfolio recorded the scenario by name too.
    [
      'a scenario renamed',
      `UPDATE scenarios SET name = 'Renamed' WHERE name = 'Base case'`,
      ['scenario-altered', 'portfolio-altered'],
    ],
    [
      'a portfolio member switched',
      `UPDATE portfolio_members SET scenario_id = (SELECT id FROM scenarios WHERE name = 'Bond heavy') WHERE project_id = 2`,
      ['portfolio-altered'],
    ],
    [
      'a portfolio description',
      `UPDATE portfolios SET description = 'changed'`,
      ['portfolio-altered'],
    ],
    [
      'a project added',
      `INSERT INTO projects (code, name, sector, category, approval_date, created_at, updated_at) VALUES ('X', 'x', 'other', 'basic', '2025-01-01', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
      ['project-unrecorded'],
    ],
  ])('detects %s changed behind the back', (_what, sql, codes) => {
    const { db, store } = history();
    db.exec(sql);
    const report = store.audit.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(codes);
  });
});

describe('auditEntryHash', () => {
  it('hashes exactly the canonical JSON of the entry fields after the previous hash', () => {
    const details = { b: [1, 'two'], a: { z: null, y: '1.50' } };
    const fields = {
      id: 7,
      at: '2026-01-01T00:00:00.000Z',
      actor: '王工 "Wang"',
      action: 'update',
      entity: 'project',
      entityId: 3,
    };
    const expected = sha256Hex('f'.repeat(64) + canonicalJson({ ...fields, details }));
    expect(auditEntryHash('f'.repeat(64), { ...fields, detailsJson: canonicalJson(details) })).toBe(
      expected,
    );
    const db = sha256Hex(
      GENESIS_HASH + canonicalJson({ ...fields, entity: 'database', entityId: null, details: {} }),
    );
    expect(
      auditEntryHash(GENESIS_HASH, {
        ...fields,
        entity: 'database',
        entityId: null,
        detailsJson: '{}',
      }),
    ).toBe(db);
  });
});
