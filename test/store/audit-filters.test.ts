import { createStore, type Db, type Store } from '../../src/store';
import { containsPattern } from '../../src/store/repos/audit';
import { behindTheBack, memoryStore, rows, scenarioInput } from './helpers/fixtures';

/**
 * The audit log's filters (issue 10, the auditor's workspace). A history built here by hand, at
 * times set by hand, so every expected list of entry ids below is known without running a query:
 *   1  2026-01-01T00:00:00.000Z  system       create organisation 1 (示范市财政局)
 *   2  2026-01-02T15:59:59.999Z  Admin Wang   create organisation 2 (审计局), by org 1
 *   3  2026-01-02T16:00:00.000Z  alice_100%   create project 1 (P-001)
 *   4  (same)                    alice_100%   create scenario 1
 *   5  (same)                    alice_100%   create scenario-version 1
 *   6  2026-01-03T08:00:00.000Z  aliceX1000   create project 2 (P-002)
 *   7  (same)                    aliceX1000   create scenario 2
 *   8  (same)                    aliceX1000   create scenario-version 2
 *   9  2026-01-04T12:00:00.000Z  ALICE        create organisation 3 (智慧城建公司), by org 2
 * In China Standard Time (UTC+8), the days the filters mean, entry 2 is the last millisecond of
 * 2 January and entry 3 the first of 3 January.
 */
function history(): { db: Db; store: Store } {
  let now = '2026-01-01T00:00:00.000Z';
  const ms = memoryStore({ clock: () => new Date(now) });
  const { store } = ms;
  const system = { label: 'system', userId: null, orgId: null };
  store.accounts.addOrganisation(
    { name: '示范市财政局', kind: 'bureau', jurisdiction: 'Demo City' },
    system,
  );
  now = '2026-01-02T15:59:59.999Z';
  store.accounts.addOrganisation(
    { name: '审计局', kind: 'audit', jurisdiction: 'Demo City' },
    { label: 'Admin Wang', userId: 7, orgId: 1 },
  );
  now = '2026-01-02T16:00:00.000Z';
  store.scenarios.save(scenarioInput('P-001'), { actor: 'alice_100%' });
  now = '2026-01-03T08:00:00.000Z';
  store.scenarios.save(scenarioInput('P-002'), { actor: 'aliceX1000' });
  now = '2026-01-04T12:00:00.000Z';
  store.accounts.addOrganisation(
    { name: '智慧城建公司', kind: 'enterprise', jurisdiction: null },
    { label: 'ALICE', userId: 8, orgId: 2 },
  );
  return ms;
}

const ids = (store: Store, filter: Parameters<Store['audit']['list']>[0]) =>
  store.audit.list(filter).map((e) => e.id);

describe('audit log filters', () => {
  let store: Store;
  let db: Db;
  beforeEach(() => ({ store, db } = history()));

  it('builds the history the expectations below rely on', () => {
    expect(
      rows(db, 'SELECT id, at, actor, action, entity, entity_id FROM audit_log ORDER BY id').map(
        (r) => `${String(r.id)} ${String(r.at)} ${String(r.actor)} ${String(r.entity)}`,
      ),
    ).toEqual([
      '1 2026-01-01T00:00:00.000Z system organisation',
      '2 2026-01-02T15:59:59.999Z Admin Wang organisation',
      '3 2026-01-02T16:00:00.000Z alice_100% project',
      '4 2026-01-02T16:00:00.000Z alice_100% scenario',
      '5 2026-01-02T16:00:00.000Z alice_100% scenario-version',
      '6 2026-01-03T08:00:00.000Z aliceX1000 project',
      '7 2026-01-03T08:00:00.000Z aliceX1000 scenario',
      '8 2026-01-03T08:00:00.000Z aliceX1000 scenario-version',
      '9 2026-01-04T12:00:00.000Z ALICE organisation',
    ]);
  });

  it('finds actors by a case-insensitive substring', () => {
    expect(ids(store, { actor: 'alice' })).toEqual([9, 8, 7, 6, 5, 4, 3]);
    expect(ids(store, { actor: 'WANG' })).toEqual([2]);
    expect(ids(store, { actor: 'nobody' })).toEqual([]);
  });

  it('takes %, _ and \\ in the actor text literally', () => {
    // Unescaped, `e_1` and `100%` would also match aliceX1000 (`_` one character, `%` any run).
    expect(ids(store, { actor: 'e_1' })).toEqual([5, 4, 3]);
    expect(ids(store, { actor: '100%' })).toEqual([5, 4, 3]);
    expect(ids(store, { actor: '%' })).toEqual([5, 4, 3]);
    expect(ids(store, { actor: '_' })).toEqual([5, 4, 3]);
    expect(ids(store, { actor: '\\' })).toEqual([]);
    expect(ids(store, { actor: "' OR 1=1 --" })).toEqual([]);
    expect(containsPattern('a\\b%c_d')).toBe('%a\\\\b\\%c\\_d%');
  });

  it("filters by the acting user's organisation recorded in the entry", () => {
    expect(ids(store, { orgId: 1 })).toEqual([2]);
    expect(ids(store, { orgId: 2 })).toEqual([9]);
    expect(ids(store, { orgId: 3 })).toEqual([]);
    expect(store.audit.list({ orgId: 2 })[0]).toMatchObject({ actorUserId: 8, actorOrgId: 2 });
    expect(store.audit.list({ entity: 'project' })[0]).toMatchObject({
      actorUserId: null,
      actorOrgId: null,
    });
  });

  it('filters by entity, and by one entity', () => {
    expect(ids(store, { entity: 'organisation' })).toEqual([9, 2, 1]);
    expect(ids(store, { entity: 'project', entityId: 1 })).toEqual([3]);
    expect(ids(store, { entity: 'scenario-version' })).toEqual([8, 5]);
  });

  it('filters by date in China Standard Time (UTC+8, the zone times are shown in), both ends inclusive', () => {
    expect(ids(store, { from: '2026-01-02', to: '2026-01-02' })).toEqual([2]);
    expect(ids(store, { to: '2026-01-01' })).toEqual([1]);
    expect(ids(store, { from: '2026-01-03', to: '2026-01-03' })).toEqual([8, 7, 6, 5, 4, 3]);
    expect(ids(store, { from: '2026-01-04' })).toEqual([9]);
    expect(ids(store, { from: '2026-01-05' })).toEqual([]);
    expect(ids(store, { from: '2026-01-03', to: '2026-01-02' })).toEqual([]);
  });

  it('combines filters and counts what they match', () => {
    expect(ids(store, { actor: 'alice', from: '2026-01-04' })).toEqual([9]);
    expect(ids(store, { actor: 'alice', entity: 'project' })).toEqual([6, 3]);
    expect(store.audit.count()).toBe(9);
    expect(store.audit.count({ actor: 'alice' })).toBe(7);
    expect(store.audit.count({ actor: 'alice', entity: 'project', to: '2026-01-03' })).toBe(2);
    expect(store.audit.count({ orgId: 1 })).toBe(1);
  });

  it('pages by id, newest first, with the total for the filter on every page', () => {
    const page = (beforeId?: number) => {
      const r = store.audit.search({ actor: 'alice' }, { limit: 3, beforeId });
      return { ids: r.entries.map((e) => e.id), total: r.total };
    };
    expect(page()).toEqual({ ids: [9, 8, 7], total: 7 });
    expect(page(7)).toEqual({ ids: [6, 5, 4], total: 7 });
    expect(page(4)).toEqual({ ids: [3], total: 7 });
    expect(page(3)).toEqual({ ids: [], total: 7 });
  });

  it('uses the actor columns of migration 0005 where the log has them, the details otherwise', () => {
    // Until migration 0005 reaches this branch, add its columns here as it does (nullable).
    const columns = new Set(
      (db.pragma('table_info(audit_log)') as Array<{ name: string }>).map((c) => c.name),
    );
    for (const c of ['actor_user_id', 'actor_org_id'])
      if (!columns.has(c)) db.exec(`ALTER TABLE audit_log ADD COLUMN ${c} INTEGER`);
    // No users exist here for migration 0005's foreign keys to point to.
    db.pragma('foreign_keys = OFF');
    behindTheBack(db, 'audit_log', () => {
      db.prepare('UPDATE audit_log SET actor_user_id = 5, actor_org_id = 3 WHERE id = 6').run();
      db.prepare(
        'UPDATE audit_log SET actor_user_id = NULL, actor_org_id = NULL WHERE id <> 6',
      ).run();
    });
    const again = createStore(db, { clock: () => new Date() });
    expect(again.audit.list({ orgId: 3 }).map((e) => [e.id, e.actorUserId])).toEqual([[6, 5]]);
    expect(again.audit.list({ orgId: 2 }).map((e) => e.id)).toEqual([9]);
    expect(again.audit.count({ orgId: 1 })).toBe(1);
  });
});
