import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Dec, ZERO } from '../../src/domain/decimal';
import { simulate } from '../../src/domain/engine/simulate';
import { sideTotal } from '../../src/domain/engine/sources-and-uses';
import { ENGINE_VERSION, type SimulationResult } from '../../src/domain/engine/types';
import { createStore, migrate, openDatabase, portfolioCityCost, portfolioFiscalReport, seedDemoIfEmpty, type PortfolioFiscalReport } from '../../src/store';
import { parseScenario } from '../../src/domain/scenario/parse';
import { compareDeliveries } from '../../src/domain/fiscal/delivery-comparison';
import type { Scenario } from '../../src/domain/scenario/schema';
import { BALANCED } from '../helpers/demo-names';

/**
 * The demo portfolio seed data in data/demo: Demo City's smart-city projects, one scenario per
 * file, and the portfolios that pick one scenario per project.
 */

const DEMO_DIR = join(__dirname, '..', '..', 'data', 'demo');
const SCENARIO_DIR = join(DEMO_DIR, 'scenarios');
const NEW_MECHANISM_FROM = '2024-05-01';

interface DemoFile {
  file: string;
  input: unknown;
}
interface PortfolioFile {
  format: string;
  portfolios: Array<{ name: string; description: string; members: Array<{ projectCode: string; scenarioName: string }> }>;
}

const files: DemoFile[] = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, input: JSON.parse(readFileSync(join(SCENARIO_DIR, file), 'utf8')) as unknown }));

/** Parsed scenarios; parse failures are reported by their own test, not here. */
const parsed: Array<{ file: string; scenario: Scenario }> = files.flatMap(({ file, input }) => {
  try {
    return [{ file, scenario: parseScenario(input) }];
  } catch {
    return [];
  }
});

const byProject = new Map<string, Scenario[]>();
for (const { scenario } of parsed) {
  const list = byProject.get(scenario.project.code) ?? [];
  list.push(scenario);
  byProject.set(scenario.project.code, list);
}

function find(code: string, scenarioName: string): Scenario {
  const s = byProject.get(code)?.find((x) => x.scenario.name === scenarioName);
  if (!s) throw new Error(`no demo scenario ${code} / ${scenarioName}`);
  return s;
}

const portfolios = JSON.parse(readFileSync(join(DEMO_DIR, 'portfolios.json'), 'utf8')) as PortfolioFile;

const CJK = /[\u4e00-\u9fff]/;
const LATIN = /[A-Za-z]{2}/;

describe('demo scenario files', () => {
  it('there are scenario files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files.map((f) => [f.file, f] as const))('%s is a valid fundmix-scenario@2 file', (_file, f) => {
    expect(() => parseScenario(f.input)).not.toThrow();
    const s = parseScenario(f.input);
    expect(s.format).toBe('fundmix-scenario@2');
    expect((f.input as { format: string }).format).toBe('fundmix-scenario@2');
  });

  it.each(parsed.map((p) => [p.file, p.scenario] as const))('%s is named after its project and follows the demo conventions', (file, s) => {
    expect(file.startsWith(`${s.project.code.toLowerCase()}--`)).toBe(true);
    expect(file).toMatch(/^[a-z0-9-]+--[a-z0-9-]+\.json$/);
    expect(s.project.code).toMatch(/^SC-[A-Z0-9-]+$/);
    expect(s.project.jurisdiction).toBe('示范市 Demo City');
    expect(s.project.name).toMatch(CJK);
    expect(s.project.nameEn).toMatch(LATIN);
    // Scenario names are bilingual: Chinese then English.
    expect(s.scenario.name).toMatch(CJK);
    expect(s.scenario.name).toMatch(LATIN);
    expect(s.scenario.description?.length ?? 0).toBeGreaterThan(20);
  });

  it.each(parsed.map((p) => [p.file, p.scenario] as const))('%s: funding adds up exactly to the capex and rates are realistic', (_file, s) => {
    const capex = s.capex.scheduleYuan.reduce((a, c) => a.plus(c), ZERO);
    const funded = s.funding.sources.reduce((a, src) => a.plus(src.amountYuan ?? capex.times(src.share ?? '0')), ZERO);
    expect(funded.toFixed(2)).toBe(capex.toFixed(2));
    // Tens of millions to a few billion yuan.
    expect(capex.gte('50000000')).toBe(true);
    expect(capex.lte('5000000000')).toBe(true);
    for (const src of s.funding.sources) {
      if (!src.debt) continue;
      const r = Number(src.debt.annualRate);
      if (src.type === 'special-bond') expect([r, r >= 0.019 && r <= 0.024]).toEqual([r, true]);
      if (src.type === 'bank-loan') expect([r, r >= 0.032 && r <= 0.049]).toEqual([r, true]);
      if (src.type === 'policy-bank-loan') expect([r, r >= 0.028 && r <= 0.035]).toEqual([r, true]);
    }
    expect(['0', '0.15', '0.25']).toContain(s.tax.incomeTaxRate);
  });
});

describe('demo projects', () => {
  it('every file parsed', () => {
    expect(parsed.map((p) => p.file)).toEqual(files.map((f) => f.file));
  });

  it('has at least 10 projects, each with 2 or 3 scenarios (4 for SC-WATER, which adds the bidders\' concession)', () => {
    expect(byProject.size).toBeGreaterThanOrEqual(10);
    for (const [code, list] of byProject) {
      expect([code, list.length]).toEqual([code, code === 'SC-WATER' ? 4 : list.length >= 2 && list.length <= 3 ? list.length : 'not 2 or 3']);
    }
  });

  it('project fields are identical across the scenarios of one project', () => {
    for (const [, list] of byProject) {
      const first = list[0]!.project;
      for (const s of list) {
        expect(s.project).toEqual(first);
      }
    }
  });

  it('scenario names are unique within each project', () => {
    for (const [, list] of byProject) {
      const names = list.map((s) => s.scenario.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('covers the sectors, categories and delivery models of a smart-city programme', () => {
    // Format v2: the delivery is the scenario's; a project counts with its first scenario's (SC-WATER's government scenarios, not its concession).
    const projects = [...byProject.values()].map((l) => ({ ...l[0]!.project, delivery: l[0]!.scenario.delivery }));
    const sectors = new Set(projects.map((p) => p.sector));
    for (const sector of ['city-data-platform', 'iot-sensing', 'smart-transport', 'smart-water', 'smart-parking', 'e-government-cloud', 'public-data-operation', 'smart-healthcare', '5g-poles', 'smart-energy']) {
      expect([sector, sectors.has(sector as Scenario['project']['sector'])]).toEqual([sector, true]);
    }
    expect(new Set(projects.map((p) => p.delivery))).toEqual(new Set(['government', 'ppp', 'concession']));
    expect(new Set(projects.map((p) => p.category))).toEqual(new Set(['basic', 'market-oriented']));
    // Legacy PPP approved under the 2015 rules, new-mechanism concessions, recent bond-funded projects.
    expect(projects.filter((p) => p.delivery === 'ppp' && p.approvalDate >= '2016-01-01' && p.approvalDate < '2023-01-01').length).toBeGreaterThanOrEqual(3);
    expect(projects.filter((p) => p.delivery === 'concession' && p.approvalDate >= NEW_MECHANISM_FROM).length).toBeGreaterThanOrEqual(3);
    const bondProjects = [...byProject.values()].filter((l) => l.some((s) => s.funding.sources.some((src) => src.type === 'special-bond')));
    expect(bondProjects.length).toBeGreaterThanOrEqual(2);
    for (const l of bondProjects) {
      const d = l[0]!.project.approvalDate;
      expect(d >= '2023-01-01' && d <= '2026-12-31').toBe(true);
    }
  });
});

describe('demo portfolios', () => {
  it('is a fundmix-portfolios@1 file with at least the bond-heavy and PPP-heavy 2027 plans', () => {
    expect(portfolios.format).toBe('fundmix-portfolios@1');
    const names = portfolios.portfolios.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['2027 专项债为主方案 Bond-heavy 2027 plan', '2027 PPP为主方案 PPP-heavy 2027 plan']));
    expect(new Set(names).size).toBe(names.length);
    for (const p of portfolios.portfolios) expect(p.description.length).toBeGreaterThan(20);
  });

  it.each(portfolios.portfolios.map((p) => [p.name, p] as const))('%s names existing scenarios and every project exactly once', (_name, p) => {
    for (const m of p.members) {
      expect(() => find(m.projectCode, m.scenarioName)).not.toThrow();
    }
    expect(p.members.map((m) => m.projectCode).sort()).toEqual([...byProject.keys()].sort());
  });

  it('the bond-heavy and PPP-heavy plans differ in most projects', () => {
    const [bond, ppp] = ['2027 专项债为主方案 Bond-heavy 2027 plan', '2027 PPP为主方案 PPP-heavy 2027 plan'].map(
      (n) => new Map(portfolios.portfolios.find((p) => p.name === n)!.members.map((m) => [m.projectCode, m.scenarioName])),
    );
    const differing = [...bond!.keys()].filter((code) => bond!.get(code) !== ppp!.get(code));
    expect(differing.length).toBeGreaterThanOrEqual(byProject.size - 3);
  });
});

describe('demo scenarios simulate', () => {
  const results = new Map<Scenario, SimulationResult>();
  const resultOf = (s: Scenario): SimulationResult => {
    let r = results.get(s);
    if (!r) {
      r = simulate(s);
      results.set(s, r);
    }
    return r;
  };

  it.each(parsed.map((p) => [p.file, p.scenario] as const))('%s simulates with balanced sources and uses and no error flag', (_file, s) => {
    const r = resultOf(s);
    expect(r.ledger).toHaveLength(s.timeline.constructionYears + s.timeline.operationYears);
    const capex = s.capex.scheduleYuan.reduce((a, c) => a.plus(c), ZERO);
    expect(r.metrics.totalInvestment.toFixed(2)).toBe(capex.toFixed(2));
    expect(sideTotal(r.sourcesAndUses.construction.sources).toFixed(2)).toBe(r.sourcesAndUses.construction.total.toFixed(2));
    expect(sideTotal(r.sourcesAndUses.lifetime.sources).toFixed(2)).toBe(r.sourcesAndUses.lifetime.total.toFixed(2));
    expect(sideTotal(r.sourcesAndUses.lifetime.uses).toFixed(2)).toBe(r.sourcesAndUses.lifetime.total.toFixed(2));
    // Problem cases are warnings for the finance bureau, never broken data (debt unpaid, unfunded cash).
    expect(r.flags.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([]);
  });

  it('the set raises at least one bond-coverage and one DSCR-covenant flag', () => {
    const codes = new Set(parsed.flatMap((p) => resultOf(p.scenario).flags.map((f) => f.code)));
    expect(codes.has('bond-coverage-below-threshold')).toBe(true);
    expect(codes.has('dscr-below-covenant')).toBe(true);
  });

  it('problem case: smart water on 80 % special bonds misses the 1.2 coverage, the 50 % variant passes', () => {
    const weak = resultOf(find('SC-WATER', '专项债+预算 Bond + budget'));
    expect(weak.metrics.bondCoverage).not.toBeNull();
    expect(weak.metrics.bondCoverage!.lt('1.2')).toBe(true);
    expect(weak.metrics.bondCoverage!.gt('0.8')).toBe(true);
    const flag = weak.flags.find((f) => f.code === 'bond-coverage-below-threshold');
    expect(flag?.amount?.gt(0)).toBe(true);

    const fixed = resultOf(find('SC-WATER', '专项债50%+预算 Bond 50 % + budget'));
    expect(fixed.metrics.bondCoverage!.gte('1.2')).toBe(true);
    expect(fixed.flags.map((f) => f.code)).not.toContain('bond-coverage-below-threshold');
  });

  it('problem case: the healthcare viability-gap PPP breaches the DSCR covenant in its first operation years', () => {
    const s = find('SC-HEALTH', 'PPP 可行性缺口补助 Viability-gap PPP');
    expect(s.scenario.delivery).toBe('ppp');
    const r = resultOf(s);
    const firstOperationYear = s.timeline.startYear + s.timeline.constructionYears;
    expect(r.metrics.dscrMin!.lt(s.covenants.minDscr)).toBe(true);
    expect(r.metrics.dscrMinYear).toBe(firstOperationYear);
    const flag = r.flags.find((f) => f.code === 'dscr-below-covenant');
    expect(flag?.years?.[0]).toBe(firstOperationYear);
    expect(flag!.years!.length).toBeLessThan(s.timeline.operationYears);

    const sculpted = resultOf(find('SC-HEALTH', 'PPP 可行性缺口补助(低杠杆) Viability-gap PPP, lower leverage'));
    expect(sculpted.flags.map((f) => f.code)).not.toContain('dscr-below-covenant');
  });

  it('problem case: the integrated transport PPP carries the largest availability-payment burden', () => {
    const s = find('SC-TRANSPORT', 'PPP 可用性付费 Availability PPP');
    const r = resultOf(s);
    const payments = r.ledger.map((y) => y.availabilityPayment);
    const peak = payments.reduce((a, b) => (b.gt(a) ? b : a), ZERO);
    expect(peak.gt('500000000')).toBe(true);
    const total = r.metrics.governmentOutlayByInstrument['availability-payment'];
    expect(total.gt('6000000000')).toBe(true);
    for (const other of parsed) {
      if (other.scenario === s) continue;
      expect(resultOf(other.scenario).metrics.governmentOutlayByInstrument['availability-payment'].lt(total)).toBe(true);
    }
  });

  it('problem case: a new-mechanism project still has availability payments', () => {
    const s = find('SC-PUBLIC-DATA', '授权运营+可用性付费 Authorised operation + availability payment');
    expect(s.project.approvalDate >= NEW_MECHANISM_FROM).toBe(true);
    expect(s.scenario.delivery).toBe('concession');
    expect(s.government.availabilityPayment).toBeDefined();
    const r = resultOf(s);
    expect(r.metrics.governmentOutlayByInstrument['availability-payment'].gt('100000000')).toBe(true);
    expect(r.ledger.filter((y) => y.availabilityPayment.gt(0))).toHaveLength(10);
  });

  it('problem case: a new-mechanism concession runs 42 years of operation', () => {
    const long = parsed.filter((p) => p.scenario.timeline.operationYears > 40).map((p) => p.scenario);
    expect(long.map((s) => `${s.project.code} / ${s.scenario.name}`)).toEqual(['SC-PARKING / 特许经营(42年) 42-year concession']);
    const s = long[0]!;
    expect(s.timeline.operationYears).toBe(42);
    expect(s.scenario.delivery).toBe('concession');
    expect(s.project.approvalDate >= NEW_MECHANISM_FROM).toBe(true);
    expect(resultOf(s).ledger).toHaveLength(43);
  });

  it('value for money: SC-WATER holds both a government scenario on special bonds and budget and the bidders\' concession', () => {
    const water = byProject.get('SC-WATER')!;
    expect(water.map((s) => `${s.scenario.delivery} / ${s.scenario.name}`)).toEqual([
      'government / 专项债+预算 Bond + budget',
      'government / 专项债50%+预算 Bond 50 % + budget',
      'concession / 特许经营+引导基金 Concession + guided fund',
      'government / 政策性银行贷款+预算 Policy-bank loan + budget',
    ]);
    // Only this project mixes deliveries.
    const mixed = [...byProject].filter(([, l]) => new Set(l.map((s) => s.scenario.delivery)).size > 1).map(([code]) => code);
    expect(mixed).toEqual(['SC-WATER']);
  });

  it('the water concession uses the format v2 model: capped preferred guided fund, DSRA and lock-up, VAT', () => {
    const s = find('SC-WATER', '特许经营+引导基金 Concession + guided fund');
    expect(s.funding.waterfall).toEqual({ preferredSourceIds: ['guided-fund'], preferredRate: '0.035', returnOfCapital: true, capped: true });
    expect(s.funding.sources.map((src) => [src.id, src.type, src.ownership ?? null])).toEqual([
      ['construction-subsidy', 'construction-subsidy', null],
      ['guided-fund', 'guided-fund-equity', 'government'],
      ['partner-equity', 'enterprise-equity', 'private'],
      ['bank', 'bank-loan', null],
    ]);
    expect(s.reserves).toEqual({ dsra: { months: 6, funding: 'cfads' }, lockUp: { minDscr: '1.10' } });
    const r = resultOf(s);
    const m = r.metrics;
    const pct = (d: { rate: InstanceType<typeof Dec> | null }) => d.rate!.times(100).toFixed(2);
    expect([pct(m.projectIrr), pct(m.projectIrrPreTax)]).toEqual(['3.68', '4.65']);
    expect(m.equity.map((e) => [e.sourceId, pct(e.irr), e.contributed.toFixed(2), e.distributed.toFixed(2)])).toEqual([
      ['guided-fund', '3.49', '90000000.00', '106372412.75'],
      ['partner-equity', '7.70', '180000000.00', '730216918.89'],
    ]);
    expect([m.dscrMin!.toString(), m.dscrMinYear]).toEqual(['1.341825', 2028]);
    // Funded from cash (cfads): empty when operation starts, half of the 2027 debt service by the end of 2026's grace year.
    expect(m.dsraAtStartOfOperation!.toFixed(2)).toBe('0.00');
    expect(r.ledger.map((y) => y.reserves!.dsra!.balance.toFixed(2)).slice(0, 5)).toEqual(['0.00', '0.00', '9891590.94', '22591258.97', '22591258.97']);
    const vat = r.ledger.reduce((a, y) => a.plus(y.indirectTax!.vatPayable), ZERO);
    const surcharges = r.ledger.reduce((a, y) => a.plus(y.indirectTax!.surcharges), ZERO);
    expect([vat.toFixed(2), surcharges.toFixed(2)]).toEqual(['22319862.05', '2678383.44']);
    expect(r.ledger.filter((y) => y.indirectTax!.vatPayable.gt(0)).map((y) => y.year)[0]).toBe(2046);
    expect(m.governmentOutlayTotal.toFixed(2)).toBe('463627587.25');
    expect(r.flags.map((f) => f.code)).toEqual([]);
  });

  it('doing it itself or as a PPP: the water concession against each government scenario of the project', () => {
    const ppp = find('SC-WATER', '特许经营+引导基金 Concession + guided fund');
    const pppLedger = resultOf(ppp).ledger;
    const rows = byProject
      .get('SC-WATER')!
      .filter((s) => s.scenario.delivery === 'government')
      .map((g) => {
        const c = compareDeliveries(ppp, pppLedger, resultOf(g).ledger);
        return [g.scenario.name, c.governmentCostYuan.toFixed(2), c.pppCostYuan.toFixed(2), c.pppSavingYuan.toFixed(2)];
      });
    // PV of the government's net outlay at 4.9 % to the start of 2024 (the concession's VfM basis).
    expect(rows).toEqual([
      ['专项债+预算 Bond + budget', '85431395.34', '328948561.32', '-243517165.98'],
      ['专项债50%+预算 Bond 50 % + budget', '134590560.10', '328948561.32', '-194358001.22'],
      ['政策性银行贷款+预算 Policy-bank loan + budget', '173464226.53', '328948561.32', '-155484334.79'],
    ]);
  });

  it('PPP payments (availability payments and operating subsidies of the PPPs and concessions) are heaviest in the PPP-heavy plan', () => {
    const payments = (plan: string) => {
      const byYear = new Map<number, InstanceType<typeof Dec>>();
      for (const m of portfolios.portfolios.find((p) => p.name === plan)!.members) {
        const s = find(m.projectCode, m.scenarioName);
        if (s.scenario.delivery === 'government') continue;
        for (const y of resultOf(s).ledger) byYear.set(y.year, (byYear.get(y.year) ?? ZERO).plus(y.availabilityPayment).plus(y.operatingSubsidy));
      }
      const peak = [...byYear].reduce((a, b) => (b[1].gt(a[1]) ? b : a));
      return [byYear.get(2027)!.toFixed(2), peak[0], peak[1].toFixed(2)];
    };
    expect(payments('2027 PPP为主方案 PPP-heavy 2027 plan')).toEqual(['866724664.18', 2033, '1071305885.74']);
    expect(payments('2027 专项债为主方案 Bond-heavy 2027 plan')).toEqual(['701483184.87', 2035, '840870103.41']);
    expect(payments('2027 均衡方案 Balanced 2027 plan')).toEqual(['701483184.87', 2035, '840870103.41']);
  });

  it('the other new-mechanism scenarios are user-pays: no availability payments', () => {
    const offenders = parsed
      .map((p) => p.scenario)
      .filter((s) => s.project.approvalDate >= NEW_MECHANISM_FROM && s.scenario.delivery === 'concession' && s.government.availabilityPayment)
      .map((s) => `${s.project.code} / ${s.scenario.name}`);
    expect(offenders).toEqual(['SC-PUBLIC-DATA / 授权运营+可用性付费 Authorised operation + availability payment']);
  });
});

describe('demo fiscal analytics (issue 5): every kind of breach shows', () => {
  const BOND_PLAN = '2027 专项债为主方案 Bond-heavy 2027 plan';
  const PPP_PLAN = '2027 PPP为主方案 PPP-heavy 2027 plan';
  const db = openDatabase(':memory:');
  migrate(db);
  const store = createStore(db, { clock: () => new Date(Date.UTC(2026, 0, 1)), engine: { simulate, version: ENGINE_VERSION } });
  seedDemoIfEmpty(store, DEMO_DIR);
  const reports = new Map<string, PortfolioFiscalReport>();
  const report = (name: string): PortfolioFiscalReport => {
    let r = reports.get(name);
    if (!r) {
      r = portfolioFiscalReport(store, store.portfolios.getByName(name).id);
      reports.set(name, r);
    }
    return r;
  };
  const year = (r: PortfolioFiscalReport, y: number) => r.affordability!.rows.find((x) => x.year === y)!;
  const failing = (r: PortfolioFiscalReport, ruleId: string) => r.failures.filter((f) => f.row.ruleId === ruleId).map((f) => `${f.projectCode}: ${f.row.figure}`);

  it('every portfolio carries Demo City budget forecast and its other PPP obligations; Demo City has its thresholds', () => {
    for (const p of portfolios.portfolios) {
      const s = store.fiscal.getSettings(store.portfolios.getByName(p.name).id)!;
      expect(s.jurisdiction).toBe('示范市 Demo City');
      expect(s.budget.method).toBe('explicit');
    }
    const r = report(PPP_PLAN);
    // About 47 bn in 2026, 3 % a year after.
    expect([year(r, 2026).budgetYuan, year(r, 2027).budgetYuan, year(r, 2032).budgetYuan]).toEqual(['47000000000', '48410000000', '56120000000']);
    // Existing PPP contracts (roads, sewage, sponge city) take 6–9 % of the budget in the 2020s–2030s.
    for (const y of [2026, 2030, 2032, 2035]) {
      const row = year(r, y);
      const share = new Dec(row.otherYuan).div(row.budgetYuan!);
      expect([y, share.gte('0.06') && share.lte('0.09')]).toEqual([y, true]);
    }
    expect(r.thresholdsSource).toBe('jurisdiction');
    expect(r.thresholds.affordabilityCap).toBe('0.10');
  });

  it('affordability cap: the PPP-heavy plan breaches 10 % in 2029–2033, worst 10.2875 % in 2032 (161,356,641.54 yuan over)', () => {
    const a = report(PPP_PLAN).affordability!;
    expect(a.breachYears).toEqual([2029, 2030, 2031, 2032, 2033]);
    expect(a.peak).toEqual({ year: 2032, ratio: '0.102875' });
    expect(year(report(PPP_PLAN), 2032)).toMatchObject({ totalYuan: '5773356641.54', capYuan: '5612000000', breachYuan: '161356641.54' });
    expect(failing(report(PPP_PLAN), 'ppp2015-affordability-cap')).toEqual([
      'SC-HEALTH: 10.29 % (2032) > 10.00 %',
      'SC-OPS-CENTRE: 10.29 % (2032) > 10.00 %',
      'SC-STREETLIGHT: 10.29 % (2032) > 10.00 %',
      'SC-TRANSPORT: 10.29 % (2032) > 10.00 %',
      'SC-WATER: 10.29 % (2032) > 10.00 %',
    ]);
  });

  it('the bond-heavy plan stays under the cap (peak 9.8522 % in 2032, 82,924,966.10 yuan of headroom) but above the 5 % line', () => {
    const r = report(BOND_PLAN);
    expect(r.affordability!.breachYears).toEqual([]);
    expect(r.affordability!.peak).toEqual({ year: 2032, ratio: '0.098522' });
    expect(year(r, 2032).headroomYuan).toBe('82924966.1');
    expect(r.affordability!.yearsAboveNewProjectLine).toEqual(expect.arrayContaining([2026, 2027, 2032]));
    expect(report(BALANCED).affordability!.breachYears).toEqual([]);
  });

  it('5 % line: government-pay PPPs fail it in both plans', () => {
    expect(failing(report(BOND_PLAN), 'ppp2015-new-project-line')).toEqual([
      'SC-HEALTH: 9.85 % (2032) > 5.00 %',
      'SC-OPS-CENTRE: 9.85 % (2032) > 5.00 %',
      'SC-TRANSPORT: 9.85 % (2032) > 5.00 %',
    ]);
    expect(failing(report(PPP_PLAN), 'ppp2015-new-project-line')).toHaveLength(3);
  });

  it('what-if: transport with a construction subsidy brings the PPP-heavy plan under the cap (2032: 9.9810 %), saving nothing', () => {
    const id = store.portfolios.getByName(PPP_PLAN).id;
    const audit = store.audit.count();
    const r = portfolioFiscalReport(store, id, { switches: { 'SC-TRANSPORT': 'PPP+建设期补助 PPP with construction subsidy' }, bondStress: false });
    expect(r.affordability!.breachYears).toEqual([]);
    expect(year(r, 2032).ratio).toBe('0.09981');
    expect(store.audit.count()).toBe(audit);
    expect(store.portfolios.get(id).members.find((m) => m.projectCode === 'SC-TRANSPORT')?.scenarioName).toBe('PPP 可用性付费 Availability PPP');
  });

  it('value for money: the energy-savings street-lighting PPP fails (VfM −103,264,754.36 yuan, −29.34 %); the other PPPs pass', () => {
    const r = report(BOND_PLAN);
    expect(failing(r, 'ppp2015-value-for-money')).toEqual(['SC-STREETLIGHT: VfM -103,264,754.36 (-29.34 %)']);
    const vfm = new Map(r.members.filter((m) => m.vfm).map((m) => [m.projectCode, [m.vfm!.verdict, m.vfm!.vfmYuan]]));
    expect(Object.fromEntries(vfm)).toEqual({
      'SC-HEALTH': ['pass', '16044210.26'],
      'SC-OPS-CENTRE': ['pass', '107558842.74'],
      'SC-STREETLIGHT': ['fail', '-103264754.36'],
      'SC-TRANSPORT': ['pass', '259917184.4'],
    });
    // The availability-payment variant of the street lights is good value.
    const ppp = report(PPP_PLAN).members.find((m) => m.projectCode === 'SC-STREETLIGHT')!;
    expect([ppp.vfm!.verdict, ppp.vfm!.vfmYuan]).toEqual(['pass', '18407976.56']);
    // The water concession passes, on the strength of its transferred risk (data/demo/README.md).
    const water = report(PPP_PLAN).members.find((m) => m.projectCode === 'SC-WATER')!.vfm!;
    expect([water.verdict, water.psc.total, water.pppValue.total, water.vfmYuan, water.vfmIndex]).toEqual(['pass', '413964389.51', '407827263.44', '6137126.07', '0.014825']);
  });

  it('special bonds: water on 80 % bonds misses 1.2 coverage (0.982) and uses 33.33 % of its bonds as capital', () => {
    const r = report(BOND_PLAN);
    // Bonds are issued at the start of the year (src/domain/README.md, "Draw timing"): a full
    // construction coupon, 2.31 % × (432 m + 288 m) ÷ 2 = 8,316,000 more debt service than the
    // half coupon before (0.990, 199,998,624.42 short; 9,979,200 = 1.2 × 8,316,000 more now).
    expect(failing(r, 'sb-coverage')).toEqual(['SC-WATER: 0.982 < 1.2; 209,977,824.42']);
    expect(failing(r, 'sb-bond-as-capital')).toEqual(['SC-WATER: 33.33 % > 25.00 %']);
    const water = r.members.find((m) => m.projectCode === 'SC-WATER')!.bondSelfBalance!;
    expect([water.base.ratio, ...water.stress.map((s) => s.coverage.ratio)]).toEqual(['0.981915', '0.835968', '0.690021']);
    // The IoT bond passes, but not with 20 % less revenue.
    const iot = r.members.find((m) => m.projectCode === 'SC-IOT-SENSE')!.bondSelfBalance!;
    expect([iot.base.pass, iot.stress.map((s) => s.coverage.pass)]).toEqual([true, [true, false]]);
    expect(r.bonds.bondAsCapital).toMatchObject({ amountYuan: '240000000', bondsYuan: '807500000', exceeds: true });
  });

  it('new mechanism: availability payments, a 43-year term and too little private equity are caught', () => {
    const ppp = report(PPP_PLAN);
    expect(failing(ppp, 'nm2023-no-availability-payment')).toEqual(['SC-PUBLIC-DATA: 151,654,586.10']);
    expect(failing(ppp, 'nm2023-concession-term')).toEqual(['SC-PARKING: 43 > 40']);
    // Once the public-data ceiling holds (engine 1.2.0), capped revenue (cost + profit + tax on the
    // operating cost) cannot also recover the investment: 411.5 m against 418.1 m.
    expect(failing(ppp, 'nm2023-user-pays')).toEqual(['SC-PUBLIC-DATA: 411,548,810.65 / 418,060,862.10 (98.44 %)']);
    expect(failing(report(BALANCED), 'nm2023-private-share')).toEqual(['SC-PARKING: 37.50 % (> 50.00 %)', 'SC-PUBLIC-DATA: 0.00 % (> 50.00 %)']);
  });

  it('bond quotas: the bond-heavy plan issues 432 m of special bonds in 2024, 32 m over the 400 m quota; the balanced plan stays within', () => {
    const cost = (name: string) => portfolioCityCost(store, store.portfolios.getByName(name).id);
    const bond = cost(BOND_PLAN);
    expect(bond.quotas.map((q) => [q.year, q.specialBondYuan, q.generalBondYuan])).toEqual([
      [2024, '400000000.00', '100000000.00'],
      [2025, '350000000.00', '100000000.00'],
      [2026, '300000000.00', '80000000.00'],
      [2027, '300000000.00', '80000000.00'],
      [2028, '300000000.00', '80000000.00'],
    ]);
    expect(bond.report.quotaCheck.breaches).toEqual([
      { year: 2024, kind: 'special-bond', issuedYuan: '432000000', quotaYuan: '400000000', overYuan: '32000000' },
    ]);
    const balanced = cost(BALANCED).report;
    expect(balanced.quotaCheck.breaches).toEqual([]);
    const issued = (y: number) => balanced.rows.find((r) => r.year === y)!.specialIssuance;
    expect([issued(2024).issuedYuan, issued(2024).headroomYuan, issued(2025).headroomYuan]).toEqual(['270000000', '130000000', '170000000']);
    // The government-fund budget: 16.80 bn in 2024, 3 % a year.
    expect(balanced.rows.find((r) => r.year === 2025)!.fund.budgetYuan).toBe('17304000000');
  });

  it('every rule that can fail fails somewhere in the demo', () => {
    const failed = new Set([BOND_PLAN, PPP_PLAN, BALANCED].flatMap((n) => report(n).failures.map((f) => f.row.ruleId)));
    expect([...failed].sort()).toEqual(
      [
        'ppp2015-affordability-cap',
        'ppp2015-new-project-line',
        'ppp2015-value-for-money',
        'nm2023-no-availability-payment',
        'nm2023-concession-term',
        'nm2023-private-share',
        'nm2023-user-pays',
        'sb-coverage',
        'sb-bond-as-capital',
      ].sort(),
    );
    for (const n of [BOND_PLAN, PPP_PLAN, BALANCED]) expect(report(n).incomplete).toBe(false);
  });
});
