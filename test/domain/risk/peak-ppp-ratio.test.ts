import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { RiskInputError } from '../../../src/domain/risk/errors';
import { parseMetricName, type MetricContext } from '../../../src/domain/risk/metrics';
import { sensitivity } from '../../../src/domain/risk/sensitivity';
import { solveBreakEven } from '../../../src/domain/risk/solve';
import { parseScenario } from '../../../src/domain/scenario/parse';
import { toyMemberInput, toyPortfolio } from '../../helpers/portfolio';

/**
 * The toy portfolio (test/helpers/portfolio.ts, hand-worked): at opex factor f a member's
 * obligations are 902,325 + 318,000 (f − 1) in 2028, its peak year; the budget is 20,000,000.
 */
const model = toyPortfolio();
const context: MetricContext = {
  portfolio: {
    members: model.members.map((m) => ({ scenario: m.scenario, result: simulate(m.scenario) })),
    budget: model.budget!,
    thresholds: model.thresholds,
    otherObligations: [],
  },
};
const a = parseScenario(toyMemberInput('T-A'));

describe("the portfolio's peak PPP ratio as a metric", () => {
  it('replaces the member of the scenario’s project: opex ×0.9 gives 1,772,850 ÷ 20,000,000, ×1.2 gives 1,868,250 ÷ 20,000,000', () => {
    const s = sensitivity(a, 'peakPppRatio', [{ driver: 'opex' }], context);
    expect(s.base!.toString()).toBe('0.090233'); // 1,804,650 ÷ 20,000,000 = 0.0902325, half-up
    expect(s.drivers[0]!.atLow!.toString()).toBe('0.088643'); // 0.0886425
    expect(s.drivers[0]!.atHigh!.toString()).toBe('0.093413'); // 0.0934125
  });

  it('adds a scenario whose project is not a member: three projects, 2,706,975 ÷ 20,000,000', () => {
    const c = parseScenario(toyMemberInput('T-C'));
    expect(sensitivity(c, 'peakPppRatio', [], context).base!.toString()).toBe('0.135349');
  });

  it('break-even: the opex factor that takes the peak to 10 % is 1 + 195,350 ÷ 318,000', () => {
    const r = solveBreakEven(
      a,
      { driver: 'opex', metric: 'peakPppRatio', target: new Dec('0.1') },
      context,
    );
    expect(r.reached!.toString()).toBe('0.1');
    // The ratio is reported to 6 dp: 0.100000 covers totals within 10 yuan of 2,000,000, i.e.
    // factors within 10 ÷ 318,000 of 1 + 195,350 ÷ 318,000.
    const exact = new Dec(195350).div(318000).plus(1);
    expect(r.value!.minus(exact).abs().lte(new Dec(10).div(318000))).toBe(true);
  });

  it('needs a portfolio', () => {
    expect(() => parseMetricName('peakPppRatio', a)).toThrow(RiskInputError);
    expect(() => sensitivity(a, 'peakPppRatio')).toThrow(/needs a portfolio with fiscal settings/);
  });
});
