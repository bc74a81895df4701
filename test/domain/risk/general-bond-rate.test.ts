/**
 * Rate drivers on a general bond (一般债券, README "General bonds" and "Drivers"): `rate` and
 * `rate:ID` shift the bond's rate like a project debt's, which changes the government's service
 * of it (its outlay `general-bond`, `governmentNpv`), never the project's figures.
 *
 * The scenario: capex 1,000,100 in 2026, operated 2027–2029; a general bond of 1,000,000,
 * tenor 4 years, annuity, start-of-year draw; enterprise equity of 100, so the project's surplus
 * goes to the equity holder and the government's only outlay is the bond's service.
 *
 * At 5 %: 2026 interest 50,000.00; PMT = 1,000,000 × 0.05 ÷ (1 − 1.05^−3) = 367,208.5646…;
 * service 50,000.00, 367,208.56, 367,208.56, 367,208.57 (the schedule in
 * test/domain/engine/general-bond.test.ts), 1,151,625.69 in all. Government NPV at 4 %, the first
 * year discounted once: 50,000 ÷ 1.04 + 367,208.56 ÷ 1.04² + 367,208.56 ÷ 1.04³ + 367,208.57 ÷ 1.04⁴
 * = 48,076.923 + 339,504.956 + 326,447.073 + 313,891.429 = 1,027,920.38.
 *
 * At 6 % (+100 bp): 2026 interest 60,000.00; PMT = 1,000,000 × 0.06 ÷ (1 − 1.06^−3) = 374,109.8128…;
 * 2027 interest 60,000.00, principal 314,109.81, balance 685,890.19; 2028 interest 41,153.4114 →
 * 41,153.41, principal 332,956.4028 → 332,956.40, balance 352,933.79; 2029 interest 21,176.0274 →
 * 21,176.03, principal 352,933.79. Service 60,000.00, 374,109.81, 374,109.81, 374,109.82,
 * 1,182,329.44 in all; NPV at 4 % = 57,692.308 + 345,885.549 + 332,582.259 + 319,790.645
 * = 1,055,950.76.
 */
import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import type { SimulationResult } from '../../../src/domain/engine/types';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { overridesOf, parseDriverName } from '../../../src/domain/risk/drivers';
import { sensitivity } from '../../../src/domain/risk/sensitivity';

const input: ScenarioInput = {
  format: 'fundmix-scenario@2',
  project: {
    code: 'T-GB-RATE',
    name: 'General bond rate',
    sector: 'e-government-cloud',
    category: 'basic',
    approvalDate: '2025-06-01',
  },
  scenario: { name: 'general bond', delivery: 'government' },
  timeline: { startYear: 2026, constructionYears: 1, operationYears: 3 },
  capex: { scheduleYuan: ['1000100'] },
  operatingCost: { annualYuan: '2000000', escalation: '0.02' },
  revenues: [{ kind: 'other', name: 'Service fees', annualYuan: '9000000', growth: '0.01' }],
  funding: {
    sources: [
      {
        id: 'gb',
        name: '一般债券',
        type: 'general-bond',
        amountYuan: '1000000',
        debt: { annualRate: '0.05', tenorYears: 4, repayment: 'annuity' },
      },
      { id: 'eq', name: 'Operator', type: 'enterprise-equity', amountYuan: '100' },
    ],
  },
  discountRates: { project: '0.06', equity: '0.08', government: '0.04' },
};

const scenario = parseScenario(input);
const atDriver = (name: string, bp: string) =>
  simulate(scenario, {
    overrides: overridesOf([{ driver: parseDriverName(name, scenario), value: new Dec(bp) }]),
  });
const service = (r: SimulationResult) =>
  r.ledger.map((y) => y.government['general-bond'].toFixed(2));
/** The project's own figures: everything but the government's lines. */
const projectSide = (r: SimulationResult) => {
  const {
    governmentOutlayTotal: _t,
    governmentOutlayByInstrument: _b,
    governmentNpv: _n,
    ...rest
  } = r.metrics;
  return JSON.stringify([rest, r.ledger.map((y) => [y.cfads, y.dscr, y.equity, y.projectFlow])]);
};

describe('rate drivers on a general bond', () => {
  const base = simulate(scenario);

  it('at the scenario’s rate: the hand-worked service and government NPV', () => {
    expect(service(base)).toEqual(['50000.00', '367208.56', '367208.56', '367208.57']);
    expect(base.metrics.governmentOutlayTotal.toFixed(2)).toBe('1151625.69');
    expect(base.metrics.governmentOutlayByInstrument['general-bond'].toFixed(2)).toBe('1151625.69');
    expect(base.metrics.governmentNpv.toFixed(2)).toBe('1027920.38');
  });

  it.each(['rate', 'rate:gb'])('%s +100 bp: the bond at 6 %, the project untouched', (name) => {
    const up = atDriver(name, '100');
    expect(service(up)).toEqual(['60000.00', '374109.81', '374109.81', '374109.82']);
    expect(up.ledger.map((y) => y.governmentDebt![0]!.principal.toFixed(2))).toEqual([
      '0.00',
      '314109.81',
      '332956.40',
      '352933.79',
    ]);
    expect(up.metrics.governmentOutlayTotal.toFixed(2)).toBe('1182329.44');
    expect(up.metrics.governmentNpv.toFixed(2)).toBe('1055950.76');
    expect(projectSide(up)).toBe(projectSide(base));
  });

  it('a tornado on governmentNpv has the rate row; the project NPV does not move with it', () => {
    const gov = sensitivity(scenario, 'governmentNpv', [
      { driver: 'rate', low: new Dec(0), high: new Dec(100) },
    ]);
    expect(gov.drivers[0]!.atLow?.toFixed(2)).toBe('1027920.38');
    expect(gov.drivers[0]!.atHigh?.toFixed(2)).toBe('1055950.76');
    expect(gov.drivers[0]!.swing?.toFixed(2)).toBe('28030.38');
    const npv = sensitivity(scenario, 'projectNpv', [{ driver: 'rate:gb' }]);
    expect(npv.drivers[0]!.swing?.isZero()).toBe(true);
  });

  it('shifts a general bond and a project loan together with rate, one of them with rate:ID', () => {
    const both = parseScenario({
      ...input,
      capex: { scheduleYuan: ['1200100'] },
      funding: {
        sources: [
          ...input.funding.sources,
          {
            id: 'loan',
            name: 'Bank loan',
            type: 'bank-loan',
            amountYuan: '200000',
            debt: { annualRate: '0.045', tenorYears: 4, repayment: 'bullet' },
          },
        ],
      },
    });
    const run = (name: string) =>
      simulate(both, {
        overrides: overridesOf([{ driver: parseDriverName(name, both), value: new Dec('100') }]),
      });
    // The loan: 200,000 at 4.5 %, mid-year draw: 2026 interest (0 + 100,000) × 4.5 % = 4,500;
    // then 9,000 a year; +100 bp: 5,500 and 11,000.
    const loanInterest = (r: SimulationResult) =>
      r.ledger.map((y) => y.debt[0]!.interest.toFixed(2));
    const all = run('rate');
    expect(service(all)).toEqual(['60000.00', '374109.81', '374109.81', '374109.82']);
    expect(loanInterest(all)).toEqual(['5500.00', '11000.00', '11000.00', '11000.00']);
    const bondOnly = run('rate:gb');
    expect(service(bondOnly)).toEqual(['60000.00', '374109.81', '374109.81', '374109.82']);
    expect(loanInterest(bondOnly)).toEqual(['4500.00', '9000.00', '9000.00', '9000.00']);
    const loanOnly = run('rate:loan');
    expect(service(loanOnly)).toEqual(['50000.00', '367208.56', '367208.56', '367208.57']);
    expect(loanInterest(loanOnly)).toEqual(['5500.00', '11000.00', '11000.00', '11000.00']);
  });

  it('floors a shifted rate at 0: −300 bp on a 2 % bond is an interest-free bond', () => {
    const low = parseScenario({
      ...input,
      funding: {
        sources: [
          {
            ...input.funding.sources[0]!,
            debt: { annualRate: '0.02', tenorYears: 4, repayment: 'equal-principal' },
          },
          input.funding.sources[1]!,
        ],
      },
    });
    const r = simulate(low, {
      overrides: overridesOf([{ driver: parseDriverName('rate:gb', low), value: new Dec(-300) }]),
    });
    // 1,000,000 ÷ 3 = 333,333.33 in 2027 and 2028, the rest 333,333.34 at maturity; no interest.
    expect(service(r)).toEqual(['0.00', '333333.33', '333333.33', '333333.34']);
  });
});
