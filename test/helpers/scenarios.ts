import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../src/domain/scenario/schema';

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'data', 'examples');

/** The example scenario files shipped in data/examples, parsed. */
export function loadExamples(): Array<{ file: string; input: ScenarioInput; scenario: Scenario }> {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const input = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as ScenarioInput;
      return { file, input, scenario: parseScenario(input) };
    });
}

/**
 * A small hand-checkable scenario: 1 year of construction, 2 of operation, 1,000,000 yuan of
 * capex funded 40 % equity / 60 % loan at 5 % repaid in equal principal over the 2 years.
 */
export function smallInput(patch: (s: ScenarioInput) => void = () => undefined): ScenarioInput {
  const s: ScenarioInput = {
    format: 'fundmix-scenario@2',
    project: {
      code: 'T-SMALL',
      name: 'Small test project',
      sector: 'other',
      category: 'market-oriented',
      approvalDate: '2025-01-01',
    },
    scenario: { name: 'base', delivery: 'concession' },
    timeline: { startYear: 2026, constructionYears: 1, operationYears: 2 },
    capex: { scheduleYuan: ['1000000'] },
    operatingCost: { annualYuan: '300000' },
    revenues: [{ kind: 'other', name: 'Income', annualYuan: '800000' }],
    funding: {
      sources: [
        { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '400000' },
        {
          id: 'loan',
          name: 'Loan',
          type: 'bank-loan',
          amountYuan: '600000',
          debt: {
            annualRate: '0.05',
            tenorYears: 3,
            repayment: 'equal-principal',
            constructionInterest: 'paid',
          },
        },
      ],
    },
    tax: { incomeTaxRate: '0.25' },
    discountRates: { project: '0.06', equity: '0.08', government: '0.04' },
    shortfall: 'equity',
  };
  patch(s);
  return s;
}

export const small = (patch?: (s: ScenarioInput) => void): Scenario =>
  parseScenario(smallInput(patch));
