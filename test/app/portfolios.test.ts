import { actorOfUser } from '../../src/app/actors';
import { ForbiddenError } from '../../src/app/errors';
import {
  archivePortfolio,
  copyPortfolio,
  createPortfolio,
  listPortfolios,
  renamePortfolio,
  replaceMembers,
  restorePortfolio,
} from '../../src/app/portfolios';
import { ValidationError } from '../../src/domain/errors';
import { type Store } from '../../src/store';
import { demoStore } from '../web/support/app';

/** Portfolio management use cases (issue 12): authorised, validated, audited, never deleted. */
let store: Store;
const actor = (name: string) => actorOfUser(store.accounts.findUser(name)!, 'session', false);
const scenarioOf = (code: string, name: string) => store.scenarios.get(code, name);
const WATER = '专项债+预算 Bond + budget';
const DATA = '财政预算 Budget-funded';

beforeEach(() => {
  store = demoStore();
});

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => i.path);
    throw err;
  }
  throw new Error('no ValidationError');
}

const lastAudit = (id: number) =>
  store.audit.list({ entity: 'portfolio', entityId: id, limit: 1 })[0]!;

describe('createPortfolio', () => {
  it('creates with members by scenario name and id, audited as the analyst, and the analyst sees it', () => {
    const dataId = scenarioOf('SC-DATA-BASE', DATA).id;
    const p = createPortfolio(store, actor('analyst'), {
      name: 'New plan',
      members: [
        { project: 'SC-WATER', scenario: WATER },
        { project: 'SC-DATA-BASE', scenario: dataId },
      ],
    });
    expect(p.members.map((m) => [m.projectCode, m.scenarioName])).toEqual([
      ['SC-DATA-BASE', DATA],
      ['SC-WATER', WATER],
    ]);
    const entry = lastAudit(p.id);
    expect([entry.action, entry.actor, entry.actorUserId]).toEqual([
      'create',
      'analyst',
      store.accounts.findUser('analyst')!.id,
    ]);
    expect(listPortfolios(store, actor('analyst')).map((x) => x.name)).toContain('New plan');
  });

  it('an empty new portfolio is held by the creating bureau (the approver sees it too)', () => {
    const p = createPortfolio(store, actor('analyst'), { name: 'Empty' });
    expect(listPortfolios(store, actor('approver')).map((x) => x.id)).toContain(p.id);
    expect(store.accounts.portfolioJurisdiction(p.id)).toBe('示范市 Demo City');
  });

  it('refuses the enterprise and the auditor (forbidden), writing nothing', () => {
    const before = store.portfolios.list({ includeDeleted: true }).length;
    for (const who of ['enterprise', 'auditor'])
      expect(() => createPortfolio(store, actor(who), { name: 'X' })).toThrow(ForbiddenError);
    expect(store.portfolios.list({ includeDeleted: true })).toHaveLength(before);
  });

  it('names every bad field: a taken name, another project’s scenario, an unknown project', () => {
    const taken = store.portfolios.list()[0]!.name;
    expect(issuesOf(() => createPortfolio(store, actor('analyst'), { name: taken }))).toEqual([
      'name',
    ]);
    const dataId = scenarioOf('SC-DATA-BASE', DATA).id;
    expect(
      issuesOf(() =>
        createPortfolio(store, actor('analyst'), {
          name: 'Y',
          members: [
            { project: 'SC-WATER', scenario: dataId },
            { project: 'NOPE', scenario: 'x' },
            { project: 'SC-WATER', scenario: WATER },
          ],
        }),
      ),
    ).toEqual(['members[0].scenario', 'members[1].project', 'members[2].project']);
    expect(store.portfolios.findByName('Y')).toBeNull();
  });

  it('refuses an archived scenario as a member', () => {
    const inUse = new Set(
      store.portfolios.list().flatMap((p) => p.members.map((m) => m.scenarioId)),
    );
    const free = store.scenarios.list().find((s) => !inUse.has(s.id))!;
    store.scenarios.delete(free.projectCode, free.name, 'approver');
    expect(
      issuesOf(() =>
        createPortfolio(store, actor('analyst'), {
          name: 'Z',
          members: [{ project: free.projectCode, scenario: free.name }],
        }),
      ),
    ).toEqual(['members[0].scenario']);
  });
});

describe('rename, copy, archive, restore, replace members', () => {
  it('renames and re-describes, audited; a taken name is a 422 at name', () => {
    const p = createPortfolio(store, actor('analyst'), { name: 'A' });
    const out = renamePortfolio(store, actor('approver'), p.id, {
      name: 'B',
      description: 'Second',
    });
    expect([out.name, out.description]).toEqual(['B', 'Second']);
    expect([lastAudit(p.id).action, lastAudit(p.id).actor]).toEqual(['update', 'approver']);
    const other = store.portfolios.list()[0]!.name;
    expect(issuesOf(() => renamePortfolio(store, actor('analyst'), p.id, { name: other }))).toEqual(
      ['name'],
    );
  });

  it('copies the members into a new portfolio, the source unchanged', () => {
    const source = store.portfolios.getByName('2027 均衡方案 Balanced 2027 plan');
    const copy = copyPortfolio(store, actor('analyst'), source.id, { name: 'Copy' });
    expect(copy.id).not.toBe(source.id);
    const pairs = (p: typeof source) => p.members.map((m) => [m.projectCode, m.scenarioId]);
    expect(pairs(copy)).toEqual(pairs(source));
    expect(copy.members.length).toBeGreaterThan(3);
    expect(copy.description).toBe(source.description);
    expect(lastAudit(copy.id).action).toBe('create');
  });

  it("a copy carries the source's fiscal settings, quotas included, audited with the source named", () => {
    const source = store.portfolios.getByName('2027 均衡方案 Balanced 2027 plan');
    const demo = store.fiscal.getSettings(source.id)!;
    const settings = {
      jurisdiction: demo.jurisdiction,
      budget: demo.budget,
      otherObligations: demo.otherObligations,
      fundBudget: {
        method: 'growth',
        baseYear: 2025,
        baseAmountYuan: '3000000000.50',
        growth: '0.02',
      },
      bondQuotas: [
        { year: 2026, specialBondYuan: '500000000', generalBondYuan: '120000000.25' },
        { year: 2027, specialBondYuan: '450000000', generalBondYuan: '0' },
      ],
    };
    store.fiscal.setSettings(source.id, settings, 'approver');
    const copy = copyPortfolio(store, actor('analyst'), source.id, { name: 'Copy' });
    const { portfolioId, updatedAt, ...carried } = store.fiscal.getSettings(copy.id)!;
    expect(portfolioId).toBe(copy.id);
    expect(updatedAt).toBe('2026-05-04T08:30:00.000Z');
    expect(carried).toEqual(settings);
    const entry = store.audit.list({ entity: 'portfolio-fiscal', entityId: copy.id })[0]!;
    expect([entry.action, entry.actor, entry.details.comment]).toEqual([
      'update-fiscal-settings',
      'analyst',
      `Copied from portfolio ${source.id}`,
    ]);
    // A portfolio without settings gives a copy without settings.
    const bare = createPortfolio(store, actor('analyst'), { name: 'Bare' });
    const bareCopy = copyPortfolio(store, actor('analyst'), bare.id, { name: 'Bare copy' });
    expect(store.fiscal.getSettings(bareCopy.id)).toBeNull();
  });

  it('a copy whose name is taken writes neither the portfolio nor settings', () => {
    const source = store.portfolios.getByName('2027 均衡方案 Balanced 2027 plan');
    const before = store.audit.list({ limit: 1 })[0]!.id;
    expect(
      issuesOf(() => copyPortfolio(store, actor('analyst'), source.id, { name: source.name })),
    ).toEqual(['name']);
    expect(store.audit.list({ limit: 1 })[0]!.id).toBe(before);
  });

  it('archive hides it from lists (shown with the filter) and restore brings it back, both audited', () => {
    const p = createPortfolio(store, actor('analyst'), { name: 'Old' });
    archivePortfolio(store, actor('analyst'), p.id);
    expect(lastAudit(p.id).action).toBe('delete');
    expect(listPortfolios(store, actor('analyst')).map((x) => x.id)).not.toContain(p.id);
    const all = listPortfolios(store, actor('analyst'), { includeArchived: true });
    expect(all.find((x) => x.id === p.id)?.deletedAt).toBe('2026-05-04T08:30:00.000Z');
    restorePortfolio(store, actor('analyst'), p.id);
    expect(lastAudit(p.id).action).toBe('restore');
    expect(listPortfolios(store, actor('analyst')).map((x) => x.id)).toContain(p.id);
    expect(() => archivePortfolio(store, actor('auditor'), p.id)).toThrow(ForbiddenError);
  });

  it('replaces the members all or nothing', () => {
    const p = createPortfolio(store, actor('analyst'), {
      name: 'M',
      members: [{ project: 'SC-WATER', scenario: WATER }],
    });
    const auditBefore = store.audit.list({ entity: 'portfolio', entityId: p.id }).length;
    expect(
      issuesOf(() =>
        replaceMembers(store, actor('analyst'), p.id, [
          { project: 'SC-DATA-BASE', scenario: DATA },
          { project: 'SC-WATER', scenario: 'no such' },
        ]),
      ),
    ).toEqual(['[1].scenario']);
    expect(store.portfolios.get(p.id).members.map((m) => m.projectCode)).toEqual(['SC-WATER']);
    expect(store.audit.list({ entity: 'portfolio', entityId: p.id })).toHaveLength(auditBefore);
    const out = replaceMembers(store, actor('analyst'), p.id, [
      { project: 'SC-DATA-BASE', scenario: DATA },
    ]);
    expect(out.members.map((m) => m.projectCode)).toEqual(['SC-DATA-BASE']);
  });
});
