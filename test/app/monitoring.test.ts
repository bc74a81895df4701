import type { Actor, Role } from '../../src/domain/access';
import { Dec } from '../../src/domain/decimal';
import { ValidationError, NotFoundError } from '../../src/domain/errors';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { withActualCapex } from '../../src/domain/monitoring/reforecast';
import { parseScenario } from '../../src/domain/scenario/parse';
import { actorOfUser } from '../../src/app/actors';
import { ForbiddenError } from '../../src/app/errors';
import { listActuals, monitoring, offPlanProjects, recordActuals } from '../../src/app/monitoring';
import type { AuditActor } from '../../src/store/repos/accounts';
import { memoryStore, scenarioInput } from '../store/helpers/fixtures';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
const SYSTEM: AuditActor = { label: 'system (cli)', userId: null, orgId: null };
const CITY = 'Demo City';

/** P-001 (the fixture: 2026–2027 construction, 2028–2037 operation, stream Advertising). */
function world() {
  const { db, store } = memoryStore({ engine: { simulate, version: ENGINE_VERSION } });
  const bureau = store.accounts.addOrganisation(
    { name: 'Bureau', kind: 'bureau', jurisdiction: CITY },
    SYSTEM,
  );
  const audit = store.accounts.addOrganisation(
    { name: 'Audit', kind: 'audit', jurisdiction: CITY },
    SYSTEM,
  );
  const user = (username: string, orgId: number, role: Role): Actor =>
    actorOfUser(
      store.accounts.addUser({ username, orgId, passwordHash: HASH, roles: [role] }, SYSTEM),
      'session',
      false,
    );
  const analyst = user('analyst', bureau.id, 'bureau-analyst');
  const approver = user('approver', bureau.id, 'bureau-approver');
  const auditor = user('auditor', audit.id, 'auditor');
  store.scenarios.save(scenarioInput('P-001'), { actor: 'analyst' });
  return { db, store, analyst, approver, auditor };
}

const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
};

describe('recording actuals', () => {
  it('appends versions of a year, each by its author, audited; the latest is current', () => {
    const w = world();
    recordActuals(w.store, w.analyst, 'P-001', {
      year: 2026,
      capexYuan: '6100000.00',
      source: 'Q4 report',
    });
    const second = recordActuals(w.store, w.analyst, 'P-001', {
      year: 2026,
      capexYuan: '6600000.00',
      source: 'Audited accounts',
    });
    expect(second).toMatchObject({ versionNo: 2, author: 'analyst', capexYuan: '6600000.00' });
    const { actuals, history } = listActuals(w.store, w.auditor, 'P-001');
    expect(actuals.map((a) => [a.year, a.versionNo, a.capexYuan, a.source])).toEqual([
      [2026, 2, '6600000.00', 'Audited accounts'],
    ]);
    expect(history.map((a) => a.versionNo)).toEqual([1, 2]);
    const audit = w.db
      .prepare(`SELECT actor, action FROM audit_log WHERE entity = 'project-actuals' ORDER BY id`)
      .all();
    expect(audit).toEqual([
      { actor: 'analyst', action: 'create' },
      { actor: 'analyst', action: 'create' },
    ]);
    expect(() => w.db.prepare('UPDATE project_actuals SET source = ?').run('x')).toThrow(
      /append-only/,
    );
  });

  it('refuses bad input naming each field, writing nothing', () => {
    const w = world();
    const err = caught(() =>
      recordActuals(w.store, w.analyst, 'P-001', {
        year: 2028,
        opexYuan: '1.234',
        revenuesYuan: { Tolls: '5.00', Advertising: '-3' },
        source: 'x',
      }),
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'opexYuan',
      'revenuesYuan.Advertising',
      'revenuesYuan.Tolls',
    ]);
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM project_actuals').get()).toEqual({ n: 0 });
  });

  it('approvers and auditors may not record; an unknown project is not found', () => {
    const w = world();
    const body = { year: 2026, capexYuan: '1.00', source: 'x' };
    expect(caught(() => recordActuals(w.store, w.approver, 'P-001', body))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(caught(() => recordActuals(w.store, w.auditor, 'P-001', body))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(caught(() => recordActuals(w.store, w.analyst, 'NOPE', body))).toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('the re-forecast', () => {
  it('equals the engine run on the scenario changed by hand', () => {
    const w = world();
    recordActuals(w.store, w.analyst, 'P-001', {
      year: 2026,
      capexYuan: '6600000.00',
      source: 'a',
    });
    recordActuals(w.store, w.analyst, 'P-001', {
      year: 2028,
      opexYuan: '360000.00',
      revenuesYuan: { Advertising: '720000.00' },
      source: 'b',
    });
    const m = monitoring(w.store, w.auditor, 'P-001');
    // By hand: year 1 capex 6,600,000 (shares follow); 2028's plan opex is 300,000 and its
    // revenue 900,000 (first operation year: no growth yet), so the factors are 1.2 and 0.8.
    const hand = scenarioInput('P-001');
    hand.capex.scheduleYuan = ['6600000.00', '4000000.00'];
    const expected = simulate(parseScenario(hand), {
      overrides: {
        opexYearFactors: [new Dec('1.2')],
        streamYearFactors: { Advertising: [new Dec('0.8')] },
      },
    });
    const y2028 = m.reforecast?.result.ledger.find((y) => y.year === 2028);
    expect(y2028?.opex.toFixed(2)).toBe('360000.00');
    expect(y2028?.revenues[0]?.toFixed(2)).toBe('720000.00');
    expect(m.reforecast?.result.metrics.totalInvestment.toFixed(2)).toBe('10600000.00');
    const s = (x: Dec | null | undefined) => x?.toString() ?? null;
    const re = m.reforecast?.metrics;
    expect([s(re?.projectNpv), s(re?.projectIrr), s(re?.dscrMin), s(re?.governmentNpv)]).toEqual([
      s(expected.metrics.projectNpv),
      s(expected.metrics.projectIrr.rate),
      s(expected.metrics.dscrMin),
      s(expected.metrics.governmentNpv),
    ]);
    expect(m.reforecast?.result.ledger.map((y) => y.cfads.toString())).toEqual(
      expected.ledger.map((y) => y.cfads.toString()),
    );
    // The plan is the unchanged scenario's run.
    expect(m.plan.metrics.projectNpv.toString()).toBe(
      simulate(parseScenario(scenarioInput('P-001'))).metrics.projectNpv.toString(),
    );
    expect(m.deviations.filter((d) => d.flagged).map((d) => `${d.year} ${d.line}`)).toEqual([
      '2028 opex',
      '2028 revenue:Advertising',
    ]);
    expect(m.offPlan).toBe(true);
  });

  it('scales amount sources to the new total (3,000,000 + 7,000,000 → 3,180,000 + 7,420,000)', () => {
    const input = scenarioInput('P-001', 'Amounts', (s) => {
      s.funding.sources = s.funding.sources.map((src, i) => {
        const { share: _share, ...rest } = src;
        return { ...rest, amountYuan: i === 0 ? '3000000.00' : '7000000.00' };
      });
    });
    const changed = withActualCapex(parseScenario(input), [
      { year: 2026, capexYuan: '6600000.00', revenuesYuan: {}, volumes: {}, source: 'x' },
    ]);
    expect(changed.funding.sources.map((s) => s.amountYuan)).toEqual(['3180000.00', '7420000.00']);
  });
});

describe('the off-plan list', () => {
  it('lists a project whose latest year has a line off plan, and drops it once back on plan', () => {
    const w = world();
    expect(offPlanProjects(w.store, w.auditor)).toEqual([]);
    recordActuals(w.store, w.analyst, 'P-001', {
      year: 2026,
      capexYuan: '6700000.00',
      source: 'a',
    });
    expect(offPlanProjects(w.store, w.auditor)).toEqual([
      { code: 'P-001', name: 'Project P-001', year: 2026, lines: ['capex'] },
    ]);
    recordActuals(w.store, w.analyst, 'P-001', {
      year: 2027,
      capexYuan: '4000000.00',
      source: 'b',
    });
    expect(offPlanProjects(w.store, w.auditor)).toEqual([]);
  });
});
