import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { ENGINE_VERSION } from '../../../src/domain/engine/types';
import {
  assessAffordability,
  assessAffordabilityOf,
  type AffordabilityMember,
} from '../../../src/domain/fiscal/affordability';
import {
  addMemberTotals,
  affordabilityFrame,
  judgeTotalsFen,
} from '../../../src/domain/fiscal/affordability-fen';
import { assessCoverage, coverageBasis } from '../../../src/domain/fiscal/bonds';
import {
  governmentObligations,
  governmentObligationsFen,
  isPppProject,
  obligationsIndependentOfFactors,
  type PortfolioMember,
} from '../../../src/domain/fiscal/obligations';
import { DEFAULT_THRESHOLDS } from '../../../src/domain/fiscal/thresholds';
import { applyDriver, driverApplies, parseDriverName } from '../../../src/domain/risk/drivers';
import {
  readPortfolioRiskSpec,
  runPortfolioTrials,
  sampleShocks,
  shockFactor,
  type PortfolioRiskModel,
  type PortfolioRiskSpec,
  type PortfolioTrialBlock,
} from '../../../src/domain/risk/portfolio';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../../src/domain/scenario/schema';
import {
  createStore,
  migrate,
  openDatabase,
  portfolioRiskInputs,
  seedDemoIfEmpty,
} from '../../../src/store';

const ROOT = join(__dirname, '..', '..', '..');
const DEMO = join(ROOT, 'data', 'demo', 'scenarios');
const demoInputs = readdirSync(DEMO)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DEMO, f), 'utf8')) as ScenarioInput);

/** The Demo City plans as portfolio risk models, from the seeded store (as the app reads them). */
function demoModels(): PortfolioRiskModel[] {
  const db = openDatabase(':memory:');
  migrate(db);
  const store = createStore(db, {
    clock: () => new Date('2026-01-01T00:00:00Z'),
    engine: { simulate, version: ENGINE_VERSION },
  });
  seedDemoIfEmpty(store, join(ROOT, 'data', 'demo'));
  return store.portfolios.list().map((p) => {
    const inputs = portfolioRiskInputs(store, p.id);
    return {
      members: inputs.members.map((m) => ({ index: m.index, scenario: parseScenario(m.inputs) })),
      budget: inputs.budget,
      thresholds: inputs.thresholds,
      otherObligations: inputs.otherObligations,
    };
  });
}

/**
 * A portfolio trial block by its definition: every relevant member simulated with its factor
 * (the driver applied where it applies), then `assessAffordability` over all of them and
 * `assessCoverage` per bond member, the figures taken from the whole report.
 */
function blockByDefinition(
  model: PortfolioRiskModel,
  spec: PortfolioRiskSpec,
  from: number,
): PortfolioTrialBlock {
  const shocks = sampleShocks(
    spec.seed,
    spec.trials,
    model.members.map((m) => m.index),
  );
  const relevant = model.members
    .map((m, k) => ({
      ...m,
      k,
      bonds: m.scenario.funding.sources.some((s) => s.type === 'special-bond'),
    }))
    .filter((m) => isPppProject(m.scenario) || m.bonds);
  const n = spec.trials;
  const out: PortfolioTrialBlock = {
    from,
    to: from + n,
    years: [],
    peakRatio: [],
    breach: new Uint8Array(n),
    aboveLine: new Uint8Array(n),
    overCapYuan: [],
    totalYuan: [],
    ratio: new Float64Array(0),
    coverage: relevant.filter((m) => m.bonds).map(() => []),
    coverageBelow: relevant.filter((m) => m.bonds).map(() => new Uint8Array(n)),
  };
  for (let i = 0; i < n; i++) {
    const members: PortfolioMember[] = relevant.map((m) => {
      const d = parseDriverName(spec.shocks.driver, m.scenario);
      if (!driverApplies(d.base, m.scenario))
        return { scenario: m.scenario, result: simulate(m.scenario) };
      const f = shockFactor(d, spec, shocks.common[i]!, shocks.own[m.k]![i]!);
      return {
        scenario: m.scenario,
        result: simulate(m.scenario, { overrides: applyDriver({}, d, f) }),
      };
    });
    if (model.budget) {
      const r = assessAffordability(members, model.budget, model.thresholds, {
        otherObligations: model.otherObligations,
      });
      if (i === 0) {
        out.years = r.rows.map((y) => y.year);
        out.ratio = new Float64Array(n * out.years.length);
      }
      let over = new Dec(0);
      let total = new Dec(0);
      r.rows.forEach((y, t) => {
        total = total.plus(y.totalYuan);
        out.ratio[i * out.years.length + t] = y.ratio === null ? NaN : Number(y.ratio.toString());
        if (y.budgetYuan !== null && y.totalYuan.gt(y.budgetYuan.times(r.cap)))
          over = over.plus(y.totalYuan.minus(y.budgetYuan.times(r.cap)));
      });
      out.peakRatio.push(r.peak?.ratio.toString() ?? null);
      out.breach[i] = r.breachYears.length > 0 ? 1 : 0;
      out.aboveLine[i] = r.yearsAboveNewProjectLine.length > 0 ? 1 : 0;
      out.overCapYuan.push(over.toString());
      out.totalYuan.push(total.toString());
    } else {
      out.peakRatio.push(null);
      out.overCapYuan.push('0');
      out.totalYuan.push('0');
    }
    let b = 0;
    relevant.forEach((m, j) => {
      if (!m.bonds) return;
      const basis = coverageBasis(m.scenario, members[j]!.result);
      const threshold = new Dec(model.thresholds.bondCoverage);
      const c = basis && assessCoverage(basis.netIncome, basis.debtService, threshold);
      out.coverage[b]![i] = c?.ratio?.toString() ?? null;
      out.coverageBelow[b]![i] = c && !c.pass ? 1 : 0;
      b++;
    });
  }
  return out;
}

const plain = (b: PortfolioTrialBlock) => ({
  ...b,
  breach: Array.from(b.breach),
  aboveLine: Array.from(b.aboveLine),
  ratio: Array.from(b.ratio).map((x) => (Number.isNaN(x) ? 'NaN' : x)),
  coverageBelow: b.coverageBelow.map((c) => Array.from(c)),
});

describe('a portfolio trial block equals its definition (every member run, the whole report)', () => {
  const models = demoModels();
  it('Demo City plans, each driver, caps from 2 % to 10 %, several seeds', () => {
    expect(models.length).toBeGreaterThanOrEqual(2);
    let breaches = 0;
    let coverages = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: models.length - 1 }),
        fc.constantFrom('revenue', 'capex', 'opex'),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.constantFrom('0.02', '0.03', '0.05', '0.10'),
        fc.constantFrom(0, 0.05, 0.3),
        (k, driver, seed, cap, sd) => {
          // A fresh model object: its run preparation is not kept from another case.
          const base = models[k]!;
          const model = { ...base, thresholds: { ...base.thresholds, affordabilityCap: cap } };
          const spec = readPortfolioRiskSpec({
            trials: 4,
            seed,
            shocks: { driver, common: { sd }, own: { sd: 0.2 } },
          });
          const shocks = sampleShocks(
            seed,
            4,
            model.members.map((m) => m.index),
          );
          const fast = runPortfolioTrials(model, spec, shocks, 0);
          const want = blockByDefinition(model, spec, 0);
          breaches += want.breach.reduce((a, x) => a + x, 0);
          coverages += want.coverage.length;
          expect(plain(fast)).toEqual(plain(want));
        },
      ),
      { numRuns: 12 },
    );
    // The cases are not all alike: some trials breach, some plans have special bonds.
    expect(breaches).toBeGreaterThan(0);
    expect(coverages).toBeGreaterThan(0);
  });
});

/** Demo scenarios with what can make the government pay taken out, where the result still parses. */
function withoutGovernmentPay(
  input: ScenarioInput,
  shortfall: 'equity' | 'government',
): Scenario | null {
  const s = structuredClone(input) as ScenarioInput & { shortfall?: string };
  s.government = {};
  s.shortfall = shortfall;
  for (const src of s.funding.sources)
    if (
      ['budget', 'construction-subsidy', 'guided-fund-equity', 'government-equity'].includes(
        src.type,
      )
    )
      src.type = 'enterprise-equity';
  try {
    return parseScenario(s);
  } catch {
    return null;
  }
}

describe('obligationsIndependentOfFactors: no revenue, capex or opex factor moves such obligations', () => {
  const scenarios = [
    ...demoInputs.map((s) => parseScenario(s)),
    ...(['equity', 'government'] as const).flatMap((shortfall) =>
      demoInputs
        .map((s) => withoutGovernmentPay(s, shortfall))
        .filter((s): s is Scenario => s !== null),
    ),
  ];
  const independent = scenarios.filter(obligationsIndependentOfFactors);
  const obligationsAt = (scenario: Scenario, revenueFactor: string) =>
    JSON.stringify(
      governmentObligations(
        scenario,
        simulate(scenario, { overrides: { revenueFactor: new Dec(revenueFactor) } }),
      ),
    );
  it('holds for some scenarios and not for those the government pays', () => {
    expect(independent.length).toBeGreaterThanOrEqual(5);
    const health = scenarios.find((s) => s.project.code === 'SC-HEALTH')!;
    expect(obligationsIndependentOfFactors(health)).toBe(false);
    // Covering shortfalls is paying: with nothing else the government pays, such a scenario's
    // obligations still move with its revenue.
    const covering = scenarios.filter(
      (s) =>
        s.shortfall === 'government' &&
        !s.government.availabilityPayment &&
        !s.government.operatingSubsidy &&
        obligationsAt(s, '0.05') !== obligationsAt(s, '1'),
    );
    expect(covering.length).toBeGreaterThan(0);
    expect(covering.some(obligationsIndependentOfFactors)).toBe(false);
  });

  it('each such scenario has its base run’s obligations under any factor', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: independent.length - 1 }),
        fc.constantFrom('revenueFactor', 'capexFactor', 'opexFactor'),
        fc.integer({ min: 1_000_000, max: 300_000_000 }),
        (k, driver, factor) => {
          const scenario = independent[k]!;
          const overrides = { [driver]: new Dec(factor).div(100_000_000) };
          const base = governmentObligations(scenario, simulate(scenario));
          const moved = governmentObligations(scenario, simulate(scenario, { overrides }));
          expect(JSON.stringify(moved)).toBe(JSON.stringify(base));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('a risk register’s figures in fen equal the Decimal path', () => {
  const transport = demoInputs.find(
    (s) => s.project.code === 'SC-TRANSPORT' && (s as { risks?: unknown }).risks,
  )!;
  const variants: Array<[string, (r: Record<string, unknown>) => void]> = [
    ['probability', () => undefined],
    [
      'proportion',
      (r) => {
        r.method = 'proportion';
        r.proportion = { ratio: '0.0137', operatingYears: 5 };
      },
    ],
    [
      'scenario',
      (r) => {
        r.method = 'scenario';
        r.scenarios = {
          base: { probability: '0.7', annualYuan: '100000.01' },
          adverse: { probability: '0.2', annualYuan: '333333.33', phase: 'all' },
          worst: { probability: '0.1', byYear: [{ year: 2030, amountYuan: '5000000.07' }] },
        };
      },
    ],
  ];
  it.each(variants)('%s method, under opex factors', (_name, change) => {
    const input = structuredClone(transport) as ScenarioInput & { risks: Record<string, unknown> };
    change(input.risks);
    const scenario = parseScenario(input);
    for (const f of ['0.5', '1', '1.37', '2.5']) {
      const result = simulate(scenario, { overrides: { opexFactor: new Dec(f) } });
      const fen = governmentObligationsFen(scenario, result, DEFAULT_THRESHOLDS);
      const dec = governmentObligations(scenario, result, DEFAULT_THRESHOLDS);
      expect(fen).not.toBeNull();
      expect(fen!.map((y) => [y.year, ...y.components])).toEqual(
        dec.map((y) => [
          y.year,
          ...[
            y.components.equityContribution,
            y.components.operatingSubsidy,
            y.components.riskBearing,
            y.components.supportingInvestment,
            y.components.total,
          ].map((d) => d.times(100).toNumber()),
        ]),
      );
    }
  });
});

describe('judgeTotalsFen equals the affordability report', () => {
  /** A counted member with the given totals (fen) from 2030. */
  const member = (id: string, fen: number[]): AffordabilityMember => ({
    memberId: id,
    projectCode: id,
    scenarioName: 's',
    counted: true,
    years: fen.map((f, t) => {
      const d = new Dec(f).div(100);
      const zero = new Dec(0);
      return {
        year: 2030 + t,
        components: {
          equityContribution: d,
          operatingSubsidy: zero,
          riskBearing: zero,
          supportingInvestment: zero,
          total: d,
        },
        support: zero,
        fen: [f, 0, 0, 0, f, 0],
      };
    }),
  });
  it('totals at, just over and just under the cap and the line, budgets missing some years', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 100, max: 10 ** 12 }), { minLength: 5, maxLength: 5 }),
        fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 5, maxLength: 5 }),
        fc.constantFrom('0.1', '0.07', '0.05', '0.0333'),
        fc.boolean(),
        fc.integer({ min: 0, max: 10 ** 9 }),
        (budgets, nudges, cap, split, other) => {
          // Budget figures for 2030–2033 only; 2034 has none.
          const forecast = {
            method: 'explicit' as const,
            years: budgets.slice(0, 4).map((b, t) => ({
              year: 2030 + t,
              amountYuan: new Dec(b).div(100).toFixed(2),
            })),
          };
          const thresholds = { ...DEFAULT_THRESHOLDS, affordabilityCap: cap };
          // The member's totals land on cap × budget (in fen, rounded) plus a nudge of a fen or two.
          // Split over two members when `split`; the other obligations add a fen in 2031.
          const second = split ? Math.min(other, 1000) : 0;
          const totals = budgets.map((b, t) =>
            Math.max(0, Number(new Dec(b).times(cap).toFixed(0)) + (nudges[t] ?? 0) - second),
          );
          const a = member('A', totals);
          const b = member(
            'B',
            totals.map(() => second),
          );
          const report = assessAffordabilityOf([a, b], forecast, thresholds, {
            otherObligations: [{ year: 2031, amountYuan: '0.01' }],
          });
          const frame = affordabilityFrame(report)!;
          const sums = frame.otherFen.slice();
          for (const m of [a, b])
            expect(
              addMemberTotals(
                frame,
                sums,
                m.years.map((y) => y.year),
                m.years.map((y) => y.fen[4]!),
              ),
            ).toBe(true);
          const ratio = new Float64Array(frame.years.length);
          const got = judgeTotalsFen(frame, sums, ratio, 0)!;
          let over = new Dec(0);
          for (const r of report.rows)
            if (r.breach) over = over.plus(r.totalYuan.minus(r.budgetYuan!.times(report.cap)));
          expect(got).toEqual({
            peakRatio: report.peak?.ratio.toString() ?? null,
            breach: report.breachYears.length > 0,
            aboveLine: report.yearsAboveNewProjectLine.length > 0,
            overCapYuan: over.toString(),
            totalYuan: report.rows.reduce((s, r) => s.plus(r.totalYuan), new Dec(0)).toString(),
          });
          expect(Array.from(ratio)).toEqual(
            report.rows.map((r) => (r.ratio === null ? NaN : r.ratio.toNumber())),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
