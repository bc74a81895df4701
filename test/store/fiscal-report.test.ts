import fs from 'node:fs';
import path from 'node:path';
import { DomainError, ValidationError } from '../../src/domain/errors';
import { simulate } from '../../src/domain/engine/simulate';
import { ENGINE_VERSION, type SimulationResult } from '../../src/domain/engine/types';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../src/domain/scenario/schema';
import {
  canonicalJson,
  createStore,
  portfolioFiscalReport,
  reviveResult,
  scenarioChecklist,
  type Db,
  type EngineAdapter,
  type Store,
  type StoredResult,
} from '../../src/store';
import { memoryStore, scenarioInput } from './helpers/fixtures';

/**
 * The fiscal service on a purpose-made portfolio small enough to check by hand:
 *
 * - T-PPP-A, legacy PPP (approved 2019): government equity 200,000 in 2026, operating subsidy
 *   100,000 a year 2027–2029;
 * - T-PPP-B, legacy PPP: scenario "subsidy" pays 300,000 a year 2027–2029; scenario "user pays"
 *   nothing (the partner's equity covers the operating deficit);
 * - C-BOND, government project on 7,000,000 of special bonds: not counted against the cap
 *   (coverage about 1.5).
 *
 * Budget 10,000,000 in 2026 growing 5 % (2027 10,500,000; 2028 11,025,000; 2029 11,576,250);
 * the county's other PPP obligations 500,000 / 400,000 / 900,000 / 200,000 in 2026–2029.
 *
 * | year | A       | B       | other   | total     | ratio    | cap 10 %            |
 * |------|---------|---------|---------|-----------|----------|---------------------|
 * | 2026 | 200,000 | 0       | 500,000 | 700,000   | 0.070000 | within              |
 * | 2027 | 100,000 | 300,000 | 400,000 | 800,000   | 0.076190 | within              |
 * | 2028 | 100,000 | 300,000 | 900,000 | 1,300,000 | 0.117914 | 197,500.00 over     |
 * | 2029 | 100,000 | 300,000 | 200,000 | 600,000   | 0.051830 | within              |
 *
 * What-if B → "user pays": 2028 = 1,000,000 / 11,025,000 = 0.090703, no breach.
 */

const COUNTY = 'Test County';
const engine: EngineAdapter = { simulate, version: ENGINE_VERSION };

function ppp(code: string, name: string, patch: (s: ScenarioInput) => void): ScenarioInput {
  const s: ScenarioInput = {
    format: 'fundmix-scenario@2',
    project: {
      code,
      name: `Project ${code}`,
      sector: 'smart-transport',
      category: 'market-oriented',
      approvalDate: '2019-06-20',
      jurisdiction: COUNTY,
    },
    scenario: { name, delivery: 'ppp' },
    timeline: { startYear: 2026, constructionYears: 1, operationYears: 3 },
    capex: { scheduleYuan: ['1000000'] },
    operatingCost: { annualYuan: '300000' },
    revenues: [{ kind: 'other', name: 'Fees', annualYuan: '250000' }],
    funding: {
      sources: [{ id: 'private', name: 'Private equity', type: 'social-equity', share: '1' }],
    },
    government: {},
    tax: { incomeTaxRate: '0' },
    discountRates: { project: '0.06', equity: '0.08', government: '0.1' },
    shortfall: 'equity',
  };
  patch(s);
  return s;
}

const A = ppp('T-PPP-A', 'base', (s) => {
  s.funding.sources = [
    { id: 'gov', name: 'Government equity', type: 'government-equity', amountYuan: '200000' },
    { id: 'private', name: 'Private equity', type: 'social-equity', amountYuan: '800000' },
  ];
  s.government = { operatingSubsidy: { annualYuan: '100000' } };
  // PV at 10 % of 2026–2029 build and operation by the government itself: 450,000.
  s.fiscal = { psc: { referenceBuildCostYuan: '350000', referenceOperatingCostYuan: '100000' } };
});
const B_SUBSIDY = ppp('T-PPP-B', 'subsidy', (s) => {
  s.government = { operatingSubsidy: { annualYuan: '300000' } };
});
const B_USER_PAYS = ppp('T-PPP-B', 'user pays', () => undefined);
const C = scenarioInput('C-BOND', 'bonds', (s) => {
  s.project.jurisdiction = COUNTY;
  // Coverage about 1.5: passes the usual 1.2.
  s.revenues = [{ kind: 'other', name: 'Advertising', annualYuan: '1500000.00', growth: '0.01' }];
});

const SETTINGS = {
  jurisdiction: COUNTY,
  budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '10000000', growth: '0.05' },
  otherObligations: [
    { year: 2026, amountYuan: '500000' },
    { year: 2027, amountYuan: '400000' },
    { year: 2028, amountYuan: '900000' },
    { year: 2029, amountYuan: '200000' },
  ],
};

function county(opts: { settings?: boolean } = {}): { db: Db; store: Store; id: number } {
  const ms = memoryStore({ engine });
  for (const s of [A, B_SUBSIDY, B_USER_PAYS, C]) ms.store.scenarios.save(s, { actor: 'alice' });
  const p = ms.store.portfolios.create(
    {
      name: 'County plan',
      members: [
        { projectCode: 'T-PPP-A', scenarioName: 'base' },
        { projectCode: 'T-PPP-B', scenarioName: 'subsidy' },
        { projectCode: 'C-BOND', scenarioName: 'bonds' },
      ],
    },
    'alice',
  );
  if (opts.settings ?? true) ms.store.fiscal.setSettings(p.id, SETTINGS, 'alice');
  return { ...ms, id: p.id };
}

/** Every row of every table, as text: "nothing was written" means this does not change. */
function dump(db: Db, except: string[] = []): Record<string, string> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables
      .filter((t) => !except.includes(t))
      .map((t) => [t, JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all())]),
  );
}

const row = (r: ReturnType<typeof portfolioFiscalReport>, year: number) =>
  r.affordability!.rows.find((x) => x.year === year)!;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('reviveResult', () => {
  const dir = path.join(__dirname, '..', '..', 'data', 'demo', 'scenarios');
  const scenarios: Array<[string, Scenario]> = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, parseScenario(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')))]);

  it.each(scenarios)('%s: the cached JSON revives to the very result the engine gave', (_f, s) => {
    const result = simulate(s);
    const revived = reviveResult(JSON.parse(JSON.stringify(result)) as StoredResult);
    expect(revived).toEqual(result);
    // Decimals again, not strings that look like them.
    expect(revived.ledger[0]!.capex.constructor).toBe(result.ledger[0]!.capex.constructor);
    expect(canonicalJson(revived)).toBe(canonicalJson(result));
  });
});

describe('portfolioFiscalReport', () => {
  it('measures the PPP obligations and the other obligations against the budget, year by year', () => {
    const { store, id } = county();
    const r = portfolioFiscalReport(store, id);
    expect(r.jurisdiction).toBe(COUNTY);
    expect(r.thresholdsSource).toBe('defaults');
    expect(r.settings?.otherObligations).toHaveLength(4);
    const a = r.affordability!;
    expect(a.members.map((m) => [m.projectCode, m.counted])).toEqual([
      ['C-BOND', false],
      ['T-PPP-A', true],
      ['T-PPP-B', true],
    ]);
    expect(
      a.rows.map((x) => [
        x.year,
        x.obligations.total,
        x.otherYuan,
        x.totalYuan,
        x.budgetYuan,
        x.ratio,
      ]),
    ).toEqual([
      [2026, '200000', '500000', '700000', '10000000', '0.07'],
      [2027, '400000', '400000', '800000', '10500000', '0.07619'],
      [2028, '400000', '900000', '1300000', '11025000', '0.117914'],
      [2029, '400000', '200000', '600000', '11576250', '0.05183'],
    ]);
    expect(row(r, 2028)).toMatchObject({ breach: true, breachYuan: '197500', capYuan: '1102500' });
    expect(row(r, 2027)).toMatchObject({ breach: false, headroomYuan: '250000' });
    expect(a.breachYears).toEqual([2028]);
    expect(a.yearsAboveNewProjectLine).toEqual([2026, 2027, 2028, 2029]);
    expect(a.peak).toEqual({ year: 2028, ratio: '0.117914' });
    expect(row(r, 2028).byMember).toEqual([
      { memberId: 'T-PPP-A', projectCode: 'T-PPP-A', total: '100000' },
      { memberId: 'T-PPP-B', projectCode: 'T-PPP-B', total: '300000' },
    ]);
  });

  it('gives each member its checklist with the portfolio context, its VfM and bond self-balance', () => {
    const { store, id } = county();
    const r = portfolioFiscalReport(store, id);
    const [c, a, b] = r.members;
    expect([c!.projectCode, a!.projectCode, b!.projectCode]).toEqual([
      'C-BOND',
      'T-PPP-A',
      'T-PPP-B',
    ]);
    expect(a).toMatchObject({ countsTowardsCap: true, ruleSets: ['ppp-2015'], switched: false });
    const cap = a!.checklist.find((x) => x.ruleId === 'ppp2015-affordability-cap')!;
    expect(cap).toMatchObject({ status: 'fail', figure: '11.79 % (2028) > 10.00 %' });
    expect(cap.detail.en).toContain('197,500.00 yuan over');
    expect(cap.citation).toContain('财金〔2015〕21号');
    // A is government-pay only by its subsidy with user revenue: viability gap, so the 5 % line does not apply.
    expect(a!.checklist.find((x) => x.ruleId === 'ppp2015-new-project-line')?.status).toBe(
      'not-applicable',
    );
    // VfM by hand: PPP value 181,818.18 + 226,077.45 = 407,895.63 against a PSC of 450,000.
    expect(a!.vfm).toMatchObject({
      pppValue: {
        equityContribution: '181818.18',
        operatingSubsidy: '226077.45',
        total: '407895.63',
      },
      psc: { total: '450000' },
      vfmYuan: '42104.37',
      vfmIndex: '0.093565',
      verdict: 'pass',
    });
    expect(a!.checklist.find((x) => x.ruleId === 'ppp2015-value-for-money')?.status).toBe('pass');
    expect(b!.vfm).toBeNull();
    expect(a!.bondSelfBalance).toBeNull();

    expect(c).toMatchObject({ countsTowardsCap: false, ruleSets: ['special-bond'] });
    expect(c!.bondSelfBalance).toMatchObject({
      projectCode: 'C-BOND',
      bondAmountYuan: '7000000',
      base: { threshold: '1.2' },
    });
    expect(c!.bondSelfBalance!.stress.map((s) => s.revenueFactor)).toEqual(['0.9', '0.8']);
    expect(r.bonds.members).toEqual(['C-BOND']);
    expect(r.bonds.totalIssuedYuan).toBe('7000000');

    expect(r.failures.map((f) => `${f.projectCode} ${f.row.ruleId}`)).toEqual([
      'T-PPP-A ppp2015-affordability-cap',
      'T-PPP-B ppp2015-affordability-cap',
    ]);
    expect(r.incomplete).toBe(false);
  });

  it('what-if: switching B to "user pays" clears the 2028 breach and writes nothing', () => {
    const { db, store, id } = county();
    // Results of every scenario cached once, as any page view would have done.
    for (const s of store.scenarios.list()) store.results.forVersion(s.currentVersionId);
    const before = dump(db);
    const audit = store.audit.count();
    const saved = portfolioFiscalReport(store, id);

    const whatIf = portfolioFiscalReport(store, id, { switches: { 'T-PPP-B': 'user pays' } });
    expect(row(whatIf, 2028)).toMatchObject({
      totalYuan: '1000000',
      ratio: '0.090703',
      breach: false,
    });
    expect(whatIf.affordability!.breachYears).toEqual([]);
    expect(whatIf.switches).toEqual([
      {
        projectCode: 'T-PPP-B',
        from: { scenarioId: expect.any(Number), scenarioName: 'subsidy' },
        to: {
          scenarioId: expect.any(Number),
          scenarioName: 'user pays',
          versionId: expect.any(Number),
          versionNo: 1,
        },
      },
    ]);
    expect(whatIf.members[2]).toMatchObject({ scenarioName: 'user pays', switched: true });
    expect(whatIf.failures).toEqual([]);

    expect(dump(db)).toEqual(before);
    expect(store.audit.count()).toBe(audit);
    expect(store.portfolios.get(id).members.map((m) => m.scenarioName)).toEqual([
      'bonds',
      'base',
      'subsidy',
    ]);
    expect(portfolioFiscalReport(store, id)).toEqual(saved);
  });

  it('caches a switched-in result that was not computed yet, and nothing else', () => {
    const { db, store, id } = county();
    portfolioFiscalReport(store, id);
    const before = dump(db, ['results_cache']);
    const cached = store.results.count();
    portfolioFiscalReport(store, id, { switches: { 'T-PPP-B': 'user pays' } });
    expect(store.results.count()).toBe(cached + 1);
    expect(dump(db, ['results_cache'])).toEqual(before);
  });

  it('switches by scenario id, as a number or as digits', () => {
    const { store, id } = county();
    const target = store.scenarios.get('T-PPP-B', 'user pays').id;
    for (const ref of [target, String(target)]) {
      const r = portfolioFiscalReport(store, id, { switches: { 'T-PPP-B': ref } });
      expect(r.members[2]!.scenarioName).toBe('user pays');
    }
    // Switching to the scenario already in the portfolio is no switch.
    expect(
      portfolioFiscalReport(store, id, { switches: { 'T-PPP-B': 'subsidy' } }).switches,
    ).toEqual([]);
  });

  it('names every bad switch and writes nothing', () => {
    const { db, store, id } = county();
    store.scenarios.save(
      ppp('T-PPP-B', 'dropped', () => undefined),
      { actor: 'alice' },
    );
    store.scenarios.delete('T-PPP-B', 'dropped', 'alice');
    const aScenario = store.scenarios.get('T-PPP-A', 'base').id;
    portfolioFiscalReport(store, id);
    const before = dump(db);
    const err = thrown(() =>
      portfolioFiscalReport(store, id, {
        switches: { 'T-PPP-B': 'dropped', NOPE: 'x', 'T-PPP-A': 'missing', 'C-BOND': aScenario },
      }),
    ) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toEqual([
      { path: 'switches.T-PPP-B', message: 'Scenario "dropped" of T-PPP-B was deleted' },
      { path: 'switches.NOPE', message: 'Project NOPE is not in the portfolio' },
      { path: 'switches.T-PPP-A', message: 'Project T-PPP-A has no scenario "missing"' },
      { path: 'switches.C-BOND', message: `Project C-BOND has no scenario with id ${aScenario}` },
    ]);
    expect(dump(db)).toEqual(before);
  });

  it("applies the jurisdiction's own thresholds: a 7 % cap adds 2027 to the breaches", () => {
    const { store, id } = county();
    store.fiscal.setThresholds(
      COUNTY,
      { affordabilityCap: '0.07', newProjectLine: '0.04' },
      'alice',
    );
    const r = portfolioFiscalReport(store, id);
    expect(r.thresholdsSource).toBe('jurisdiction');
    expect(r.affordability!.cap).toBe('0.07');
    // 2026 is exactly at 7 %: within the cap.
    expect(r.affordability!.breachYears).toEqual([2027, 2028]);
    expect(row(r, 2027).breachYuan).toBe('65000');
  });

  it('without fiscal settings: no affordability, the cap rules not applicable, the rest judged', () => {
    const { store, id } = county({ settings: false });
    const r = portfolioFiscalReport(store, id);
    expect(r.settings).toBeNull();
    expect(r.affordability).toBeNull();
    // Thresholds of the jurisdiction all members name.
    expect(r.jurisdiction).toBe(COUNTY);
    const a = r.members[1]!;
    expect(a.checklist.find((x) => x.ruleId === 'ppp2015-affordability-cap')).toMatchObject({
      status: 'not-applicable',
    });
    expect(a.vfm?.verdict).toBe('pass');
    expect(r.failures).toEqual([]);
  });

  it('leaves out a member whose result cannot be computed and says so', () => {
    const { store, id } = county();
    const failing: EngineAdapter = {
      version: 'failing-engine',
      simulate(s) {
        if (s.project.code === 'T-PPP-B')
          throw new DomainError('no-solution', 'The engine cannot run this scenario');
        return simulate(s);
      },
    };
    const other = createStore(store.db, {
      clock: () => new Date(Date.UTC(2026, 5, 1)),
      engine: failing,
    });
    const r = portfolioFiscalReport(other, id);
    expect(r.incomplete).toBe(true);
    expect(r.members[2]).toMatchObject({
      projectCode: 'T-PPP-B',
      resultError: { code: 'no-solution', message: 'The engine cannot run this scenario' },
      checklist: [],
    });
    expect(row(r, 2028).totalYuan).toBe('1000000');
  });

  it('takes the members from the cache: only a switched-in result not cached yet runs the engine', () => {
    let runs = 0;
    const counting: EngineAdapter = {
      version: ENGINE_VERSION,
      simulate(s): SimulationResult {
        runs++;
        return simulate(s);
      },
    };
    const { store: base, id } = county();
    portfolioFiscalReport(base, id);
    const store = createStore(base.db, {
      clock: () => new Date(Date.UTC(2026, 5, 1)),
      engine: counting,
    });
    portfolioFiscalReport(store, id, { bondStress: false });
    expect(runs).toBe(0);
    portfolioFiscalReport(store, id, { switches: { 'T-PPP-B': 'user pays' }, bondStress: false });
    expect(runs).toBe(1);
    portfolioFiscalReport(store, id, { switches: { 'T-PPP-B': 'user pays' }, bondStress: false });
    expect(runs).toBe(1);
  });

  it('uses a version saved since the last report (the in-memory reuse is by inputs hash)', () => {
    const { store, id } = county();
    expect(row(portfolioFiscalReport(store, id), 2028).totalYuan).toBe('1300000');
    store.scenarios.save(
      ppp('T-PPP-B', 'subsidy', (s) => {
        s.government = { operatingSubsidy: { annualYuan: '200000' } };
      }),
      { actor: 'bob' },
    );
    const r = portfolioFiscalReport(store, id);
    expect(row(r, 2028).totalYuan).toBe('1200000');
    expect(r.members[2]).toMatchObject({ scenarioName: 'subsidy', versionNo: 2 });
  });

  it('refuses an unknown portfolio', () => {
    const { store } = county();
    expect(() => portfolioFiscalReport(store, 99)).toThrow(/Portfolio 99 was not found/);
  });
});

describe('scenarioChecklist', () => {
  it('checks one version against its jurisdiction, without the portfolio rules', () => {
    const { store } = county();
    const version = store.scenarios.current(store.scenarios.get('T-PPP-A', 'base').id);
    const r = scenarioChecklist(store, version.id);
    expect(r).toMatchObject({
      projectCode: 'T-PPP-A',
      scenarioName: 'base',
      versionNo: 1,
      jurisdiction: COUNTY,
      thresholdsSource: 'defaults',
      ruleSets: ['ppp-2015'],
      vfm: { verdict: 'pass', vfmYuan: '42104.37' },
      bondSelfBalance: null,
    });
    expect(r.rows.find((x) => x.ruleId === 'ppp2015-affordability-cap')?.detail.en).toMatch(
      /Needs the portfolio's affordability/,
    );
    expect(r.summary).toEqual({ pass: 1, fail: 0, 'not-applicable': 10 });
  });

  it("uses the given jurisdiction's thresholds: coverage 1.2 passes, 5 fails", () => {
    const { store } = county();
    store.fiscal.setThresholds('Strict', { bondCoverage: '5' }, 'alice');
    const version = store.scenarios.get('C-BOND', 'bonds').currentVersionId;
    const lenient = scenarioChecklist(store, version, undefined, { bondStress: false });
    const strict = scenarioChecklist(store, version, 'Strict', { bondStress: false });
    const coverage = (x: typeof lenient) => x.rows.find((r) => r.ruleId === 'sb-coverage')!.status;
    expect([coverage(lenient), coverage(strict)]).toEqual(['pass', 'fail']);
    expect(strict.thresholdsSource).toBe('jurisdiction');
    expect(strict.bondSelfBalance?.stress).toEqual([]);
  });

  it('refuses an unknown version', () => {
    const { store } = county();
    expect(() => scenarioChecklist(store, 999)).toThrow(/not found/);
  });
});
