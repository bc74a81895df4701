import type { Actor, Role } from '../../src/domain/access';
import { ValidationError } from '../../src/domain/errors';
import { actorOfUser, addOrganisation, systemActor } from '../../src/app/accounts';
import {
  auditOrganisations,
  chainBanner,
  chainStatusOf,
  ChainStatus,
  inProcessVerifier,
  listAudit,
  requestChainVerification,
  verifyChain,
} from '../../src/app/audit';
import { ForbiddenError } from '../../src/app/errors';
import type { Db, Store } from '../../src/store';
import type { AuditReport } from '../../src/store/types';
import { behindTheBack, memoryStore, rows, scenarioInput } from '../store/helpers/fixtures';

const CITY = 'Demo City';
const SYSTEM = systemActor('operator (cli)');
/** Never checked here: users are made through the store, without hashing a password. */
const NO_PASSWORD = '$argon2id$not-a-real-hash';

/**
 * Organisations and one user per role, then an administrator's write and a scenario save:
 *   1–3   operator (cli)  create organisation 1 示范市财政局, 2 示范市审计局, 3 智慧城建公司
 *   4–8   operator (cli)  create user 1 analyst, 2 approver, 3 builder, 4 auditor, 5 root
 *   9     root (org 1)    create organisation 4 第二企业
 *   10–12 alice           create project 1, scenario 1, scenario-version 1 (on 2026-01-05)
 * Entries 1–9 are written on 2026-01-01.
 */
function world(): { db: Db; store: Store; as: Record<Role, Actor> } {
  let now = '2026-01-01T09:00:00.000Z';
  const ms = memoryStore({ clock: () => new Date(now) });
  const { store } = ms;
  addOrganisation(store, SYSTEM, { name: '示范市财政局', kind: 'bureau', jurisdiction: CITY });
  addOrganisation(store, SYSTEM, { name: '示范市审计局', kind: 'audit', jurisdiction: CITY });
  addOrganisation(store, SYSTEM, { name: '智慧城建公司', kind: 'enterprise' });
  const by = { label: SYSTEM.username, userId: null, orgId: null };
  const user = (username: string, orgId: number, role: Role) =>
    actorOfUser(
      store.accounts.addUser({ username, orgId, passwordHash: NO_PASSWORD, roles: [role] }, by),
      'session',
      false,
    );
  const as: Record<Role, Actor> = {
    'bureau-analyst': user('analyst', 1, 'bureau-analyst'),
    'bureau-approver': user('approver', 1, 'bureau-approver'),
    'enterprise-analyst': user('builder', 3, 'enterprise-analyst'),
    auditor: user('auditor', 2, 'auditor'),
    admin: user('root', 1, 'admin'),
  };
  addOrganisation(store, as.admin, { name: '第二企业', kind: 'enterprise' });
  now = '2026-01-05T10:00:00.000Z';
  store.scenarios.save(scenarioInput('P-001'), { actor: 'alice' });
  return { ...ms, as };
}

const ids = (store: Store, actor: Actor, filter: unknown) =>
  listAudit(store, actor, filter).entries.map((e) => e.id);

function issuesOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('listAudit', () => {
  let store: Store;
  let as: Record<Role, Actor>;
  beforeEach(() => ({ store, as } = world()));

  it('lists every entry newest first for an auditor and an administrator', () => {
    for (const role of ['auditor', 'admin'] as const) {
      const page = listAudit(store, as[role], {});
      expect(page.entries.map((e) => e.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      expect(page.total).toBe(12);
      expect(page.nextBeforeId).toBeNull();
    }
  });

  it('is refused to the analysts and the approver', () => {
    for (const role of ['bureau-analyst', 'bureau-approver', 'enterprise-analyst'] as const) {
      expect(() => listAudit(store, as[role], {})).toThrow(ForbiddenError);
      expect(() => auditOrganisations(store, as[role])).toThrow(ForbiddenError);
    }
  });

  it('names the acting user and organisation where the entry records them', () => {
    const [entry] = listAudit(store, as.auditor, { actor: 'root' }).entries;
    expect(entry).toMatchObject({
      id: 9,
      actor: 'root',
      actorUserId: 5,
      actorOrgId: 1,
      organisation: '示范市财政局',
      action: 'create',
      entity: 'organisation',
      entityId: 4,
    });
    expect(listAudit(store, as.auditor, { entity: 'project' }).entries[0]).toMatchObject({
      actor: 'alice',
      actorOrgId: null,
      organisation: null,
    });
  });

  it('filters by actor, organisation, entity and date, as a form sends them (text)', () => {
    expect(ids(store, as.auditor, { actor: 'OPERATOR' })).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(ids(store, as.auditor, { orgId: '1' })).toEqual([9]);
    expect(ids(store, as.auditor, { orgId: '2' })).toEqual([]);
    expect(ids(store, as.auditor, { entity: 'user' })).toEqual([8, 7, 6, 5, 4]);
    expect(ids(store, as.auditor, { entity: 'organisation', entityId: '4' })).toEqual([9]);
    expect(ids(store, as.auditor, { from: '2026-01-02' })).toEqual([12, 11, 10]);
    expect(ids(store, as.auditor, { to: '2026-01-04' })).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(ids(store, as.auditor, { from: '2026-01-05', to: '2026-01-05', actor: 'ali' })).toEqual([
      12, 11, 10,
    ]);
  });

  it('reads empty form fields as no filter', () => {
    const empty = { actor: ' ', orgId: '', entity: '', entityId: '', from: '', to: '' };
    expect(listAudit(store, as.auditor, empty).total).toBe(12);
  });

  it('pages by id with the total of the filter on every page', () => {
    const first = listAudit(store, as.auditor, { actor: 'operator', limit: '5' });
    expect([first.entries.map((e) => e.id), first.total, first.nextBeforeId]).toEqual([
      [8, 7, 6, 5, 4],
      8,
      4,
    ]);
    const second = listAudit(store, as.auditor, { actor: 'operator', limit: 5, beforeId: 4 });
    expect([second.entries.map((e) => e.id), second.total, second.nextBeforeId]).toEqual([
      [3, 2, 1],
      8,
      null,
    ]);
    // A page that ends exactly at the filter's oldest entry has no next page.
    const exact = listAudit(store, as.auditor, { actor: 'operator', limit: 4, beforeId: 5 });
    expect([exact.entries.map((e) => e.id), exact.nextBeforeId]).toEqual([[4, 3, 2, 1], null]);
  });

  it('offers every organisation for the filter, by name (in code point order)', () => {
    // 智 U+667A, 示 U+793A (审 U+5BA1 before 财 U+8D22), 第 U+7B2C.
    expect(auditOrganisations(store, as.auditor)).toEqual(
      listAudit(store, as.admin, {}).organisations,
    );
    expect(listAudit(store, as.admin, {}).organisations).toEqual([
      { id: 3, name: '智慧城建公司' },
      { id: 2, name: '示范市审计局' },
      { id: 1, name: '示范市财政局' },
      { id: 4, name: '第二企业' },
    ]);
  });

  it('refuses a bad filter with the field named', () => {
    const bad = (filter: unknown) => issuesOf(() => listAudit(store, as.auditor, filter));
    expect(bad({ from: '2026-02-30' })).toEqual([
      { path: 'from', message: 'From must be a real date written YYYY-MM-DD' },
    ]);
    expect(bad({ to: '5 Jan 2026' })).toEqual([
      { path: 'to', message: 'To must be a real date written YYYY-MM-DD' },
    ]);
    expect(bad({ from: '2026-01-05', to: '2026-01-04' })).toEqual([
      { path: 'to', message: 'To must not be before From' },
    ]);
    expect(bad({ orgId: 'bureau' })).toEqual([
      { path: 'orgId', message: 'Organisation must be a whole number' },
    ]);
    expect(bad({ entity: 'invoice' })).toEqual([
      {
        path: 'entity',
        message:
          'Entity is one of project, scenario, scenario-version, portfolio, portfolio-fiscal, jurisdiction, database, organisation, user, api-token, filing, filing-checklist, risk-run, portfolio-risk-run, project-actuals, evaluation-system, evaluation-data, jurisdiction-fiscal',
      },
    ]);
    expect(bad({ entityId: '3' })).toEqual([
      { path: 'entity', message: 'Choose the entity of the id' },
    ]);
    expect(bad({ limit: '501' })).toEqual([
      { path: 'limit', message: 'Page size must be at most 500' },
    ]);
    expect(bad({ beforeId: '0' })).toEqual([
      { path: 'beforeId', message: 'Before id must be 1 or more' },
    ]);
  });

  it('authorises before it validates', () => {
    expect(() => listAudit(store, as['bureau-analyst'], { from: 'nonsense' })).toThrow(
      ForbiddenError,
    );
  });
});

/** Replaces one column of one audit entry, past the append-only triggers. */
function tamper(db: Db, id: number, column: 'actor' | 'details', value: string): void {
  behindTheBack(db, 'audit_log', () =>
    db.prepare(`UPDATE audit_log SET ${column} = ? WHERE id = ?`).run(value, id),
  );
}

describe('verifyChain', () => {
  let db: Db;
  let store: Store;
  let as: Record<Role, Actor>;
  beforeEach(() => ({ db, store, as } = world()));

  it('verifies an intact history for an auditor and an administrator', () => {
    const head = rows(db, 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')[0]!;
    for (const role of ['auditor', 'admin'] as const)
      expect(verifyChain(store, as[role])).toEqual({
        ok: true,
        entries: 12,
        headId: 12,
        headHash: head.hash,
        firstBrokenEntryId: null,
        firstProblem: null,
        firstProblemCode: null,
        problems: 0,
        startedAt: '2026-01-05T10:00:00.000Z',
        finishedAt: '2026-01-05T10:00:00.000Z',
      });
  });

  it('is refused to the analysts and the approver', () => {
    for (const role of ['bureau-analyst', 'bureau-approver', 'enterprise-analyst'] as const)
      expect(() => verifyChain(store, as[role])).toThrow(ForbiddenError);
  });

  it('names the first broken entry after an entry is changed with SQL', () => {
    tamper(db, 10, 'actor', 'mallory');
    expect(verifyChain(store, as.auditor)).toMatchObject({
      ok: false,
      firstBrokenEntryId: 10,
      firstProblem: 'entry 10 (create project 1) was changed after it was written',
      firstProblemCode: 'entry-altered',
      problems: 1,
    });
  });

  it('names the earliest of two changed entries, whichever was changed first', () => {
    tamper(db, 9, 'details', '{"by":{"orgId":2,"userId":5},"state":null}');
    tamper(db, 4, 'actor', 'mallory');
    expect(verifyChain(store, as.admin)).toMatchObject({
      ok: false,
      firstBrokenEntryId: 4,
      firstProblem: 'entry 4 (create user 1) was changed after it was written',
    });
  });

  it('names a deleted entry', () => {
    behindTheBack(db, 'audit_log', () => db.prepare('DELETE FROM audit_log WHERE id = 6').run());
    expect(verifyChain(store, as.auditor)).toMatchObject({
      ok: false,
      entries: 11,
      firstBrokenEntryId: 6,
      firstProblem: 'entry 6 is missing (the next entry is 7)',
      firstProblemCode: 'entry-missing',
    });
  });
});

/** A promise with its resolve and reject at hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('the chain status', () => {
  let db: Db;
  let store: Store;
  let as: Record<Role, Actor>;
  beforeEach(() => ({ db, store, as } = world()));
  const clock = () => '2026-01-06T08:00:00.000Z';

  it('knows nothing before the first verification, then keeps its result', async () => {
    const chain = new ChainStatus(inProcessVerifier(store), clock);
    expect(chain.view()).toEqual({ last: null, running: null, failure: null });
    expect(chain.version).toBe(0);
    const started = requestChainVerification(chain, as.auditor);
    expect(chain.view().running).toEqual({
      startedAt: '2026-01-06T08:00:00.000Z',
      entriesChecked: 0,
    });
    const check = await started;
    expect(check).toMatchObject({ ok: true, entries: 12, headId: 12 });
    expect(chainStatusOf(chain, as.admin)).toEqual({ last: check, running: null, failure: null });
    expect(chainBanner(chain, as.auditor)).toBeNull();
    // Each finished verification counts (what cached pages of auditors are keyed by).
    expect(chain.version).toBe(1);
    await chain.refresh();
    expect(chain.version).toBe(2);
  });

  it('shows a broken chain to auditors and administrators only, naming the first broken entry', async () => {
    const chain = new ChainStatus(inProcessVerifier(store), clock);
    tamper(db, 11, 'actor', 'mallory');
    await chain.refresh();
    for (const role of ['auditor', 'admin'] as const)
      expect(chainBanner(chain, as[role])).toMatchObject({
        ok: false,
        firstBrokenEntryId: 11,
        firstProblem: 'entry 11 (create scenario 1) was changed after it was written',
      });
    for (const role of ['bureau-analyst', 'bureau-approver', 'enterprise-analyst'] as const)
      expect(chainBanner(chain, as[role])).toBeNull();
    // Repaired (here: the column put back) and verified again: the banner goes.
    tamper(db, 11, 'actor', 'alice');
    await requestChainVerification(chain, as.admin);
    expect(chainBanner(chain, as.auditor)).toBeNull();
  });

  it('refuses to verify or show the status to the analysts and the approver', () => {
    const chain = new ChainStatus(inProcessVerifier(store), clock);
    for (const role of ['bureau-analyst', 'bureau-approver', 'enterprise-analyst'] as const) {
      expect(() => requestChainVerification(chain, as[role])).toThrow(ForbiddenError);
      expect(() => chainStatusOf(chain, as[role])).toThrow(ForbiddenError);
    }
    expect(chain.view().running).toBeNull();
  });

  it('runs one verification at a time, reporting progress; asking meanwhile joins it', async () => {
    const gate = deferred<AuditReport>();
    let runs = 0;
    let progress: (n: number) => void = () => undefined;
    const chain = new ChainStatus((onProgress) => {
      runs++;
      progress = onProgress;
      return gate.promise;
    }, clock);
    const first = chain.refresh();
    const second = requestChainVerification(chain, as.auditor);
    expect(second).toBe(first);
    progress(3000);
    expect(chain.view().running).toEqual({
      startedAt: '2026-01-06T08:00:00.000Z',
      entriesChecked: 3000,
    });
    gate.resolve(store.audit.verify());
    await first;
    expect(runs).toBe(1);
    expect(chain.view().running).toBeNull();
    await chain.refresh();
    expect(runs).toBe(2);
  });

  it('says when a verification could not be carried out, keeping the last result', async () => {
    let fail = false;
    const chain = new ChainStatus(
      (p) => (fail ? Promise.reject(new Error('disk I/O error')) : inProcessVerifier(store)(p)),
      clock,
    );
    const ok = await chain.refresh();
    fail = true;
    await expect(chain.refresh()).rejects.toThrow('disk I/O error');
    expect(chain.view()).toEqual({
      last: ok,
      running: null,
      failure: { message: 'disk I/O error', at: '2026-01-06T08:00:00.000Z' },
    });
  });
});
