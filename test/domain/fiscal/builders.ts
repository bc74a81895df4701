import { simulate } from '../../../src/domain/engine/simulate';
import type { PortfolioMember } from '../../../src/domain/fiscal/obligations';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../../src/domain/scenario/schema';

/**
 * Purpose-made scenarios for the fiscal tests, small enough to work by hand. Income tax is 0 and
 * there is no debt unless stated, so the ledger's government lines are the inputs themselves.
 */

type Patch = (s: ScenarioInput) => void;

const build = (base: ScenarioInput, patch: Patch = () => undefined): Scenario => {
  const s = structuredClone(base);
  patch(s);
  return parseScenario(s);
};

/**
 * Legacy PPP (approved 2019-06-20, 2015 rules), viability-gap: built in 2026, operated 2027–2029.
 * Capex 1,000,000 = government equity 200,000 + private equity 800,000. Revenue 250,000,
 * operating cost 300,000, operating subsidy 100,000 a year: CFADS 50,000, no shortfall.
 * Government discount rate 10 %.
 */
export const legacyPppInput = (): ScenarioInput => ({
  format: 'fundmix-scenario@2',
  project: {
    code: 'T-PPP-A',
    name: '测试PPP项目A',
    sector: 'smart-transport',
    category: 'market-oriented',
    approvalDate: '2019-06-20',
  },
  scenario: { name: 'base', delivery: 'ppp' },
  timeline: { startYear: 2026, constructionYears: 1, operationYears: 3 },
  capex: { scheduleYuan: ['1000000'] },
  operatingCost: { annualYuan: '300000' },
  revenues: [{ kind: 'other', name: 'Fees', annualYuan: '250000' }],
  funding: {
    sources: [
      { id: 'gov', name: 'Government equity', type: 'government-equity', amountYuan: '200000' },
      { id: 'private', name: 'Private equity', type: 'social-equity', amountYuan: '800000' },
    ],
  },
  government: { operatingSubsidy: { annualYuan: '100000' } },
  tax: { incomeTaxRate: '0' },
  discountRates: { project: '0.06', equity: '0.08', government: '0.1' },
  shortfall: 'equity',
});
export const legacyPpp = (patch?: Patch) => build(legacyPppInput(), patch);

/**
 * New-mechanism concession (approved 2025-01-01), user-pays: built 2026, operated 2027–2029.
 * Capex 1,000,000 = private equity 600,000 (declared private) + SOE equity 400,000 (declared
 * state-owned): private share 60 %.
 * Revenue 800,000, operating cost 300,000, no government payment.
 */
export const newConcessionInput = (): ScenarioInput => ({
  format: 'fundmix-scenario@2',
  project: {
    code: 'T-NM-C',
    name: '测试特许经营项目',
    sector: 'smart-parking',
    category: 'market-oriented',
    approvalDate: '2025-01-01',
  },
  scenario: { name: 'base', delivery: 'concession' },
  timeline: { startYear: 2026, constructionYears: 1, operationYears: 3 },
  capex: { scheduleYuan: ['1000000'] },
  operatingCost: { annualYuan: '300000' },
  revenues: [{ kind: 'user-fee', name: 'Parking', unitPriceYuan: '8', annualVolume: '100000' }],
  funding: {
    sources: [
      {
        id: 'private',
        name: 'Private equity',
        type: 'social-equity',
        ownership: 'private',
        amountYuan: '600000',
      },
      {
        id: 'soe',
        name: 'SOE equity',
        type: 'enterprise-equity',
        ownership: 'state-owned',
        amountYuan: '400000',
      },
    ],
  },
  tax: { incomeTaxRate: '0' },
  discountRates: { project: '0.06', equity: '0.08', government: '0.04' },
  shortfall: 'equity',
});
export const newConcession = (patch?: Patch) => build(newConcessionInput(), patch);

/**
 * Basic project on a special bond: built 2026, operated 2027–2030. Capex 1,000,000 = budget
 * 200,000 + special bond 800,000 at 3 %, 5 years, bullet, construction interest paid.
 * Revenue 400,000, operating cost 100,000: net income 300,000 a year, 1,200,000 over the bond's
 * life. Debt service 800,000 + 12,000 (construction: 400,000 × 3 %) + 4 × 24,000 = 908,000.
 */
export const bondProjectInput = (): ScenarioInput => ({
  format: 'fundmix-scenario@2',
  project: {
    code: 'T-BOND-1',
    name: '测试专项债项目',
    sector: 'iot-sensing',
    category: 'basic',
    approvalDate: '2025-03-01',
  },
  scenario: { name: 'base', delivery: 'government' },
  timeline: { startYear: 2026, constructionYears: 1, operationYears: 4 },
  capex: { scheduleYuan: ['1000000'] },
  operatingCost: { annualYuan: '100000' },
  revenues: [{ kind: 'other', name: 'Income', annualYuan: '400000' }],
  funding: {
    sources: [
      { id: 'budget', name: 'Budget', type: 'budget', amountYuan: '200000' },
      {
        id: 'bond',
        name: 'Special bond',
        type: 'special-bond',
        amountYuan: '800000',
        debt: {
          annualRate: '0.03',
          tenorYears: 5,
          repayment: 'bullet',
          constructionInterest: 'paid',
        },
      },
    ],
  },
  tax: { incomeTaxRate: '0' },
  discountRates: { project: '0.05', equity: '0.06', government: '0.03' },
  shortfall: 'government',
});
export const bondProject = (patch?: Patch) => build(bondProjectInput(), patch);

/** A simulated portfolio member. */
export const member = (scenario: Scenario, id?: string): PortfolioMember => ({
  id,
  scenario,
  result: simulate(scenario),
});
