import type { Actor, Role } from '../../src/domain/access';
import { ValidationError, NotFoundError } from '../../src/domain/errors';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../src/domain/engine/types';
import { parseScenario } from '../../src/domain/scenario/parse';
import { actorOfUser } from '../../src/app/actors';
import { ForbiddenError } from '../../src/app/errors';
import {
  evaluationSystem,
  saveEvaluationSystem,
  saveProjectEvaluationData,
} from '../../src/app/evaluation';
import {
  portfolioScorer,
  portfolioRanking,
  projectEvaluation,
  scoresForPortfolio,
} from '../../src/app/evaluation-scores';
import { recordActuals } from '../../src/app/monitoring';
import type { AuditActor } from '../../src/store/repos/accounts';
import { handWorkedBondScenario, memoryStore, scenarioInput } from '../store/helpers/fixtures';

const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';
const SYSTEM: AuditActor = { label: 'system (cli)', userId: null, orgId: null };
const CITY = 'Demo City';

/**
 * A small system worked by hand: SV 60 % (A linear 0→100 at 50 %, B yes/no at 50 %), CX 20 %
 * (S, the survey score, linear 60→95, fed from actuals), FIN 20 % (IRR: equity IRR, which the
 * fixture has not: missing; COV: bond coverage, any coverage ≥ 0 scores 40).
 */
const SMALL = {
  indicators: [
    {
      code: 'SV',
      nameZh: '服务',
      nameEn: 'Services',
      weightPercent: '60',
      children: [
        {
          code: 'A',
          nameZh: '甲',
          nameEn: 'A',
          weightPercent: '50',
          method: { kind: 'linear', zeroAt: '0', fullAt: '100' },
        },
        { code: 'B', nameZh: '乙', nameEn: 'B', weightPercent: '50', method: { kind: 'yes-no' } },
      ],
    },
    {
      code: 'CX',
      nameZh: '体验',
      nameEn: 'Experience',
      weightPercent: '20',
      children: [
        {
          code: 'S',
          nameZh: '满意度',
          nameEn: 'Survey',
          weightPercent: '100',
          method: { kind: 'linear', zeroAt: '60', fullAt: '95' },
          fromActuals: 'satisfaction',
        },
      ],
    },
    {
      code: 'FIN',
      nameZh: '财务',
      nameEn: 'Finance',
      weightPercent: '20',
      children: [
        {
          code: 'IRR',
          nameZh: '内部收益率',
          nameEn: 'Equity IRR',
          weightPercent: '50',
          method: {
            kind: 'metric',
            metric: 'equityIrr',
            scale: { kind: 'linear', zeroAt: '0', fullAt: '0.08' },
          },
        },
        {
          code: 'COV',
          nameZh: '覆盖倍数',
          nameEn: 'Coverage',
          weightPercent: '50',
          method: {
            kind: 'metric',
            metric: 'bondCoverage',
            scale: { kind: 'bands', bands: [{ min: '0', points: '40' }] },
          },
        },
      ],
    },
  ],
};

function world() {
  const { db, store } = memoryStore({ engine: { simulate, version: ENGINE_VERSION } });
  const bureau = store.accounts.addOrganisation(
    { name: 'Bureau', kind: 'bureau', jurisdiction: CITY },
    SYSTEM,
  );
  const ent = store.accounts.addOrganisation(
    { name: 'Ent', kind: 'enterprise', jurisdiction: null },
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
  const w = {
    db,
    store,
    analyst: user('analyst', bureau.id, 'bureau-analyst'),
    approver: user('approver', bureau.id, 'bureau-approver'),
    auditor: user('auditor', audit.id, 'auditor'),
    enterprise: user('ent', ent.id, 'enterprise-analyst'),
    admin: user('admin', bureau.id, 'admin'),
  };
  store.scenarios.save(scenarioInput('P-001'), { actor: 'analyst' });
  store.scenarios.save(scenarioInput('P-002'), { actor: 'analyst' });
  return w;
}

const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
};
const entry = (code: string, value: string | boolean | null, source = 'survey') => ({
  code,
  value,
  source,
  date: '2026-03-31',
});

describe('evaluation systems', () => {
  it('are the GB/T defaults until the jurisdiction saves one; each save is a new version', () => {
    const w = world();
    const before = evaluationSystem(w.store, CITY);
    expect(before.source).toBe('defaults');
    expect(before.system.indicators.map((n) => n.weightPercent)).toEqual([
      '29.6',
      '7.2',
      '6.4',
      '5.6',
      '5.6',
      '6.4',
      '3.2',
      '16',
      '20',
    ]);
    saveEvaluationSystem(w.store, w.analyst, CITY, { ...SMALL, comment: 'pilot' });
    saveEvaluationSystem(w.store, w.admin, CITY, SMALL);
    const after = evaluationSystem(w.store, CITY);
    expect(after).toMatchObject({ source: 'jurisdiction', versionNo: 2, author: 'admin' });
    expect(after.versions.map((v) => [v.versionNo, v.author, v.comment])).toEqual([
      [1, 'analyst', 'pilot'],
      [2, 'admin', ''],
    ]);
    expect(
      w.db
        .prepare(`SELECT actor FROM audit_log WHERE entity = 'evaluation-system' ORDER BY id`)
        .pluck()
        .all(),
    ).toEqual(['analyst', 'admin']);
  });

  it('refuses weights that do not sum to 100 %, naming the group as typed, writing nothing', () => {
    const w = world();
    const bad = structuredClone(SMALL);
    bad.indicators[2]!.children[1]!.weightPercent = '45';
    const err = caught(() => saveEvaluationSystem(w.store, w.analyst, CITY, bad));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toEqual([
      {
        path: 'indicators[2].children',
        message: 'Group FIN (财务 · Finance): weights sum to 95 %, must be 100 %',
      },
    ]);
    bad.indicators[0]!.weightPercent = '50';
    expect(
      (caught(() => saveEvaluationSystem(w.store, w.analyst, CITY, bad)) as ValidationError)
        .issues[0],
    ).toEqual({
      path: 'indicators',
      message: 'First level: weights sum to 90 %, must be 100 %',
    });
    expect(w.db.prepare('SELECT COUNT(*) FROM evaluation_systems').pluck().get()).toBe(0);
  });

  it('may be saved by analysts and admins only', () => {
    const w = world();
    for (const who of [w.approver, w.auditor, w.enterprise])
      expect(caught(() => saveEvaluationSystem(w.store, who, CITY, SMALL))).toBeInstanceOf(
        ForbiddenError,
      );
    expect(
      caught(() => saveEvaluationSystem(w.store, w.analyst, 'Other City', SMALL)),
    ).toBeInstanceOf(ForbiddenError);
  });
});

describe('indicator data', () => {
  it('records changed entries only, by their author; refuses bad ones naming the field', () => {
    const w = world();
    saveEvaluationSystem(w.store, w.analyst, CITY, SMALL);
    saveProjectEvaluationData(w.store, w.analyst, 'P-001', {
      data: [entry('A', '80'), entry('B', true)],
    });
    const again = saveProjectEvaluationData(w.store, w.analyst, 'P-001', {
      data: [entry('A', '80'), entry('B', false, 'audit')],
    });
    expect(again.current.map((d) => [d.code, d.value, d.source, d.versionNo, d.author])).toEqual([
      ['A', '80', 'survey', 1, 'analyst'],
      ['B', 'no', 'audit', 2, 'analyst'],
    ]);
    expect(again.historyCount).toBe(3);
    const err = caught(() =>
      saveProjectEvaluationData(w.store, w.analyst, 'P-001', {
        data: [
          entry('A', 'high'),
          entry('B', '1'),
          entry('COV', '2'),
          { code: 'S', value: '70', source: '', date: '2026-02-30' },
        ],
      }),
    );
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual([
      'data[3].source',
      'data[3].date',
    ]);
    const err2 = caught(() =>
      saveProjectEvaluationData(w.store, w.analyst, 'P-001', {
        data: [entry('A', 'high'), entry('B', '1'), entry('COV', '2'), entry('A', '3')],
      }),
    );
    expect((err2 as ValidationError).issues.map((i) => i.path)).toEqual([
      'data[0].value',
      'data[1].value',
      'data[2].code',
      'data[3].code',
    ]);
    expect(w.db.prepare('SELECT COUNT(*) FROM evaluation_data').pluck().get()).toBe(3);
  });

  it('approvers, auditors and admins enter none; another enterprise project is not found', () => {
    const w = world();
    const body = { data: [entry('HM1', '50')] };
    expect(
      caught(() => saveProjectEvaluationData(w.store, w.approver, 'P-001', body)),
    ).toBeInstanceOf(ForbiddenError);
    expect(
      caught(() => saveProjectEvaluationData(w.store, w.auditor, 'P-001', body)),
    ).toBeInstanceOf(ForbiddenError);
    expect(caught(() => saveProjectEvaluationData(w.store, w.admin, 'P-001', body))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      caught(() => saveProjectEvaluationData(w.store, w.enterprise, 'P-001', body)),
    ).toBeInstanceOf(NotFoundError);
    // The default system applies: HM1 is one of its entered indicators.
    expect(saveProjectEvaluationData(w.store, w.analyst, 'P-001', body).current).toHaveLength(1);
  });
});

describe('scores', () => {
  const bondCoverage = () => simulate(parseScenario(scenarioInput('P-001'))).metrics.bondCoverage;

  it('are worked by hand, list the missing data and take the survey score from actuals', () => {
    const w = world();
    // The engine gives the fixture a bond coverage (≥ 0: 40 points) and no equity IRR.
    expect(bondCoverage()?.gte(0)).toBe(true);
    saveEvaluationSystem(w.store, w.analyst, CITY, SMALL);
    saveProjectEvaluationData(w.store, w.analyst, 'P-001', {
      data: [entry('A', '80'), entry('B', true), entry('S', '81')],
    });
    // SV = (80 + 100) / 2 = 90 → 54; S = (81 − 60) × 100 / 35 = 60 → 12; FIN = (0 + 40) / 2 =
    // 20 → 4; total 70.
    const plan = projectEvaluation(w.store, w.auditor, 'P-001');
    expect(plan.score.total.toFixed(2)).toBe('70.00');
    expect(
      plan.score.breakdown.map((n) => [n.code, n.score.toFixed(2), n.contribution.toFixed(2)]),
    ).toEqual([
      ['SV', '90.00', '54.00'],
      ['CX', '60.00', '12.00'],
      ['FIN', '20.00', '4.00'],
    ]);
    expect(plan.score.missing).toEqual([
      { code: 'IRR', path: ['FIN', 'IRR'], reason: 'no-metric', metric: 'equityIrr' },
    ]);
    expect(plan.fromActuals).toBeNull();
    recordActuals(w.store, w.analyst, 'P-001', {
      year: 2028,
      satisfaction: '88.5',
      source: 'survey',
    });
    recordActuals(w.store, w.analyst, 'P-001', { year: 2027, satisfaction: '50', source: 'old' });
    // The latest year's survey, 88.5: (88.5 − 60) × 100 / 35 = 81.428571… → 16.285714…;
    // 54 + 16.285714… + 4 = 74.285714… → 74.29.
    const fed = projectEvaluation(w.store, w.auditor, 'P-001');
    expect(fed.fromActuals).toEqual({ year: 2028, value: '88.5', codes: ['S'] });
    expect(fed.score.total.toFixed(2)).toBe('74.29');
    expect(fed.score.breakdown[1]!.score.toFixed(2)).toBe('81.43');
  });

  it('rank a portfolio, and give each candidate scenario its total', () => {
    const w = world();
    saveEvaluationSystem(w.store, w.analyst, CITY, SMALL);
    saveProjectEvaluationData(w.store, w.analyst, 'P-002', { data: [entry('A', '50')] });
    saveProjectEvaluationData(w.store, w.analyst, 'P-001', { data: [entry('B', true)] });
    const p = w.store.portfolios.create(
      {
        name: 'Programme',
        members: [
          { projectCode: 'P-001', scenarioName: 'Base case' },
          { projectCode: 'P-002', scenarioName: 'Base case' },
        ],
      },
      'analyst',
      { jurisdiction: CITY },
    );
    // P-001: B 100 → SV 50 → 30, + FIN 4 = 34; P-002: A 50 → SV 25 → 15, + 4 = 19.
    const ranked = portfolioRanking(w.store, w.auditor, p.id);
    expect(ranked.applied).toMatchObject({ source: 'jurisdiction', versionNo: 1 });
    expect(ranked.members.map((m) => [m.rank, m.projectCode, m.score.total.toFixed(2)])).toEqual([
      [1, 'P-001', '34.00'],
      [2, 'P-002', '19.00'],
    ]);
    expect(scoresForPortfolio(w.store, p.id).members[0]!.score.missing.map((m) => m.code)).toEqual([
      'A',
      'S',
      'IRR',
    ]);
    // The optimiser's scorer gives a scenario run the ranking's figure, and refuses a stranger.
    const scorer = portfolioScorer(w.store, p.id);
    const s1 = w.store.scenarios.list({ projectCode: 'P-001' })[0]!;
    const run = parseScenario(w.store.scenarios.version(s1.currentVersionId).inputs);
    expect(scorer('P-001', run, simulate(run)).toFixed(2)).toBe('34.00');
    expect(caught(() => scorer('P-404', run, simulate(run)))).toBeInstanceOf(NotFoundError);
    expect(caught(() => portfolioRanking(w.store, w.enterprise, p.id))).toBeInstanceOf(
      NotFoundError,
    );
    expect(caught(() => scoresForPortfolio(w.store, 999))).toBeInstanceOf(NotFoundError);
  });
});

/**
 * Scores from actuals, worked by hand. Project P-003: built in 2026 (1,000,000 yuan, half budget,
 * half a special bond at 0 % over 3 years), run 2027–2028 with 400,000 yuan revenue and 100,000
 * opex a year. Bond coverage = own net income over the bond's life ÷ (drawn + interest):
 * plan 2 × (400,000 − 100,000) / 500,000 = 1.2; with 2027's actual revenue of 250,000,
 * ((250,000 − 100,000) + 300,000) / 500,000 = 0.9.
 * System: SV 50 % (A linear 0 → 100, entered 80: 80 points → 40), FIN 50 % (COV: bond coverage
 * linear 0 → 2). Plan: COV 1.2 → 60 points → 30, total 70.00; re-forecast: COV 0.9 → 45 → 22.5,
 * total 62.50.
 */
describe('scores from actuals', () => {
  const ACT = {
    indicators: [
      {
        code: 'SV',
        nameZh: '服务',
        nameEn: 'Services',
        weightPercent: '50',
        children: [
          {
            code: 'A',
            nameZh: '甲',
            nameEn: 'A',
            weightPercent: '100',
            method: { kind: 'linear', zeroAt: '0', fullAt: '100' },
          },
        ],
      },
      {
        code: 'FIN',
        nameZh: '财务',
        nameEn: 'Finance',
        weightPercent: '50',
        children: [
          {
            code: 'COV',
            nameZh: '覆盖倍数',
            nameEn: 'Coverage',
            weightPercent: '100',
            method: {
              kind: 'metric',
              metric: 'bondCoverage',
              scale: { kind: 'linear', zeroAt: '0', fullAt: '2' },
            },
          },
        ],
      },
    ],
  };
  function scored(budget: { share: string } | { amountYuan: string } = { share: '0.5' }) {
    const w = world();
    w.store.scenarios.save(handWorkedBondScenario('P-003', budget), { actor: 'analyst' });
    saveEvaluationSystem(w.store, w.analyst, CITY, ACT);
    saveProjectEvaluationData(w.store, w.analyst, 'P-003', { data: [entry('A', '80')] });
    return w;
  }
  const portfolioOf = (w: ReturnType<typeof world>) =>
    w.store.portfolios.create(
      { name: 'Programme', members: [{ projectCode: 'P-003', scenarioName: 'Base case' }] },
      'analyst',
      { jurisdiction: CITY },
    );

  it('score the engine metrics on the plan until financial actuals are recorded', () => {
    const w = scored();
    const plan = projectEvaluation(w.store, w.auditor, 'P-003');
    expect(plan.metrics.bondCoverage?.toFixed()).toBe('1.2');
    expect(plan.basis).toEqual({ kind: 'plan', reforecastError: null });
    expect(plan.planScore).toBeNull();
    expect(plan.score.total.toFixed(2)).toBe('70.00');
    // A survey score alone does not change the run: still the plan.
    recordActuals(w.store, w.analyst, 'P-003', { year: 2027, satisfaction: '80', source: 's' });
    expect(projectEvaluation(w.store, w.auditor, 'P-003').basis.kind).toBe('plan');
  });

  it('score a project whose revenue is below plan on the re-forecast: lower coverage points', () => {
    const w = scored();
    recordActuals(w.store, w.analyst, 'P-003', {
      year: 2027,
      revenuesYuan: { Advertising: '250000.00' },
      source: 'annual report',
    });
    const e = projectEvaluation(w.store, w.auditor, 'P-003');
    expect(e.basis).toEqual({ kind: 'reforecast', toYear: 2027 });
    expect(e.metrics.bondCoverage?.toFixed()).toBe('0.9');
    const cov = (s: typeof e.score) => s.breakdown[1]!.children![0]!;
    expect([cov(e.score).score.toFixed(2), cov(e.score).contribution.toFixed(2)]).toEqual([
      '45.00',
      '22.50',
    ]);
    expect(e.score.total.toFixed(2)).toBe('62.50');
    expect(e.planScore?.total.toFixed(2)).toBe('70.00');
    expect(cov(e.planScore!).score.toFixed(2)).toBe('60.00');
    // The ranking and the optimiser's scorer follow the same rule.
    const p = portfolioOf(w);
    const member = scoresForPortfolio(w.store, p.id).members[0]!;
    expect([member.score.total.toFixed(2), member.planScore?.total.toFixed(2)]).toEqual([
      '62.50',
      '70.00',
    ]);
    const s = w.store.scenarios.list({ projectCode: 'P-003' })[0]!;
    const run = parseScenario(w.store.scenarios.version(s.currentVersionId).inputs);
    expect(portfolioScorer(w.store, p.id)('P-003', run, simulate(run)).toFixed(2)).toBe('62.50');
  });

  it('fall back to the plan, saying why, when the re-forecast is refused', () => {
    // Budget 500,000 yuan as an amount, the bond half: an actual capex of 1,000,000.01 leaves the
    // budget 500,000.005 yuan, not whole fen (reforecast-funding).
    const w = scored({ amountYuan: '500000.00' });
    recordActuals(w.store, w.analyst, 'P-003', {
      year: 2026,
      capexYuan: '1000000.01',
      source: 'audit',
    });
    const e = projectEvaluation(w.store, w.auditor, 'P-003');
    expect(e.basis.kind).toBe('plan');
    expect(e.basis.kind === 'plan' && e.basis.reforecastError).toMatch(/not whole fen/);
    expect(e.score.total.toFixed(2)).toBe('70.00');
    expect(e.planScore).toBeNull();
  });
});
