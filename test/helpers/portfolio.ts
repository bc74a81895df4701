import { DEFAULT_THRESHOLDS } from '../../src/domain/fiscal/thresholds';
import type { PortfolioRiskModel } from '../../src/domain/risk/portfolio';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import { smallInput } from './scenarios';

/** A member of the toy portfolio: the small scenario as a government-pay PPP. */
export function toyMemberInput(code: string): ScenarioInput {
  return smallInput((s) => {
    s.project.code = code;
    s.scenario.delivery = 'ppp';
    s.revenues = [];
    s.government = {
      availabilityPayment: {
        method: 'mof-formula',
        profitRate: '0.06',
        discountRate: '0.05',
        periodYears: 2,
        includeOperatingCost: true,
      },
    };
  });
}

/**
 * Two identical government-pay PPP projects (no revenue; the availability payment includes the
 * operating cost). Hand-worked from the availability payment: at opex factor f each project's
 * obligations are 874,500 + 318,000 (f − 1) in 2027 and 902,325 + 318,000 (f − 1) in 2028, so the
 * portfolio's total over both years is 2,281,650 + 636,000 (f₁ + f₂).
 */
export function toyPortfolio(): PortfolioRiskModel {
  const member = (code: string) => parseScenario(toyMemberInput(code));
  return {
    members: [
      { index: 0, scenario: member('T-A') },
      { index: 1, scenario: member('T-B') },
    ],
    budget: { method: 'growth', baseYear: 2026, baseAmountYuan: '20000000', growth: '0' },
    thresholds: DEFAULT_THRESHOLDS,
    otherObligations: [],
  };
}
