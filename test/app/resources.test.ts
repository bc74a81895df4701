import { decide } from '../../src/domain/access';
import { actorOfUser, systemActor } from '../../src/app/actors';
import { addOrganisation } from '../../src/app/accounts';
import { newProjectResource, projectResource } from '../../src/app/resources';
import { createStore, migrate, MIGRATIONS, openDatabase } from '../../src/store';
import type { DbUserFull } from '../../src/store/repos/accounts';
import { steppingClock } from '../store/helpers/fixtures';

const CITY = '示范市 Demo City';

/** A project row; before migration 0004 the table still has its `delivery` column. */
const project = (code: string, jurisdiction: string | null, withDelivery = true) =>
  `INSERT INTO projects (code, name, sector, category, ${withDelivery ? 'delivery, ' : ''}approval_date, jurisdiction, created_at, updated_at)
   VALUES ('${code}', 'n', 'transport', 'basic', ${withDelivery ? "'ppp', " : ''}'2025-01-01', ${jurisdiction === null ? 'NULL' : `'${jurisdiction}'`},
           '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`;

/** A database from before accounts, with projects A (CITY) and B (no jurisdiction), migrated. */
function migratedOld() {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS.slice(0, 2));
  db.exec(project('A', CITY));
  db.exec(project('B', null));
  migrate(db);
  const store = createStore(db, { clock: steppingClock() });
  return { db, store };
}

const user = (id: number, orgId: number, kind: string, jurisdiction: string | null, role: string) =>
  actorOfUser(
    {
      id,
      username: `u${id}`,
      org_id: orgId,
      org_kind: kind,
      org_jurisdiction: jurisdiction,
      roles: [role],
    } as DbUserFull,
    'session',
    false,
  );

describe('projectResource', () => {
  it("a migrated project belongs to its jurisdiction's bureau: its analysts see it, an enterprise does not", () => {
    const { store } = migratedOld();
    const a = projectResource(store, 'A');
    expect(a).toEqual({ ownerOrgId: 1, heldByJurisdiction: CITY, filedTo: [] });
    // B has no jurisdiction: migration 0005 gives it to the only bureau (a one-city server).
    expect(projectResource(store, 'B')).toEqual({
      ownerOrgId: 1,
      heldByJurisdiction: CITY,
      filedTo: [],
    });
    const analyst = user(1, 1, 'bureau', CITY, 'bureau-analyst');
    const enterprise = user(2, 2, 'enterprise', CITY, 'enterprise-analyst');
    expect(decide(analyst, 'project.write', a)).toBe('allow');
    expect(decide(enterprise, 'project.read', a)).toBe('not-found');
    expect(() => projectResource(store, 'NOPE')).toThrow('Project NOPE was not found');
  });

  it("an enterprise's project is held by no jurisdiction; an unowned one by its own", () => {
    const { db, store } = migratedOld();
    const ent = addOrganisation(store, systemActor(), { name: 'Acme', kind: 'enterprise' });
    db.prepare(`UPDATE projects SET owner_org_id = ? WHERE code = 'A'`).run(ent.id);
    db.exec(project('C', CITY, false)); // made after the migration, as the web app still does: no owner
    const a = projectResource(store, 'A');
    expect(a).toEqual({ ownerOrgId: ent.id, heldByJurisdiction: null, filedTo: [] });
    expect(projectResource(store, 'C')).toEqual({
      ownerOrgId: null,
      heldByJurisdiction: CITY,
      filedTo: [],
    });
    const enterprise = user(2, ent.id, 'enterprise', null, 'enterprise-analyst');
    const analyst = user(1, 1, 'bureau', CITY, 'bureau-analyst');
    expect(decide(enterprise, 'scenario.write', a)).toBe('allow');
    expect(decide(analyst, 'project.read', a)).toBe('not-found');
  });
});

describe('newProjectResource', () => {
  it('a bureau creates in its jurisdiction only; an enterprise for itself', () => {
    const analyst = user(1, 1, 'bureau', CITY, 'bureau-analyst');
    const enterprise = user(2, 2, 'enterprise', null, 'enterprise-analyst');
    expect(decide(analyst, 'project.write', newProjectResource(analyst, CITY))).toBe('allow');
    expect(decide(analyst, 'project.write', newProjectResource(analyst, '邻市'))).not.toBe('allow');
    expect(decide(enterprise, 'project.write', newProjectResource(enterprise, CITY))).toBe('allow');
    expect(newProjectResource(enterprise, CITY).heldByJurisdiction).toBeNull();
  });
});
