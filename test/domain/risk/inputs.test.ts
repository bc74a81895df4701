import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { applyInput, parseInputName, scenarioInputs } from '../../../src/domain/risk/inputs';
import { RiskInputError } from '../../../src/domain/risk/errors';
import { metricValue } from '../../../src/domain/risk/metrics';
import { solveBreakEven } from '../../../src/domain/risk/solve';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { loadExamples, small } from '../../helpers/scenarios';

/** Build 1,000,000 in one year, then one year with no income or cost but the operating subsidy. */
const subsidised = small((s) => {
  s.timeline.operationYears = 1;
  s.operatingCost.annualYuan = '0';
  s.revenues = [];
  s.tax = { incomeTaxRate: '0' };
  s.government = { operatingSubsidy: { annualYuan: '500000' } };
  s.funding.sources = [{ id: 'eq', name: 'Equity', type: 'enterprise-equity', share: '1' }];
});

/**
 * 1,000,000 built in one year, one year of 1,200,000 income; a loan at 0 % repaid in one bullet
 * at the end of that year, half of the funding at first: DSCR = 1,200,000 ÷ (share × 1,000,000).
 */
const levered = small((s) => {
  s.timeline.operationYears = 1;
  s.operatingCost.annualYuan = '0';
  s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '1200000' }];
  s.tax = { incomeTaxRate: '0' };
  s.funding.sources = [
    { id: 'eq', name: 'Equity', type: 'enterprise-equity', share: '0.5' },
    {
      id: 'loan',
      name: 'Loan',
      type: 'bank-loan',
      share: '0.5',
      debt: { annualRate: '0', tenorYears: 2, repayment: 'bullet', constructionInterest: 'paid' },
    },
  ];
});

const traffic = () => loadExamples().find((e) => e.file === 'traffic-signals-legacy-ppp.json')!;

describe('break-even on scenario inputs', () => {
  it('an operating subsidy of 1,080,000.00 yuan makes the project IRR 8 % (−1,000,000 then S)', () => {
    const a = solveBreakEven(subsidised, {
      driver: 'input:operating-subsidy',
      metric: 'projectIrr',
      target: new Dec('0.08'),
    });
    expect(a.driver).toBe('input:operating-subsidy');
    expect(a.value!.toFixed(2)).toBe('1080000.00');
    expect(a.reached!.toString()).toBe('0.08');
  });

  it('a debt share of 0.8 makes the minimum DSCR 1.5 (1,200,000 ÷ 800,000), the equity falling to 0.2', () => {
    const a = solveBreakEven(levered, {
      driver: 'input:debt-share:loan',
      metric: 'dscrMin',
      target: new Dec('1.5'),
    });
    // DSCR is reported to 6 dp: any share within about 10⁻⁷ of 0.8 reaches 1.500000.
    expect(a.value!.toDecimalPlaces(6).toString()).toBe('0.8');
    expect(a.reached!.toString()).toBe('1.5');
    const input = parseInputName('input:debt-share:loan', levered);
    const copy = applyInput(levered, input, new Dec('0.8'));
    expect(metricValue(simulate(copy), 'dscrMin')!.toString()).toBe('1.5');
    expect(copy.funding.sources.map((s) => [s.id, s.share])).toEqual([
      ['eq', '0.2'],
      ['loan', '0.8'],
    ]);
    // The copy is a valid scenario: sources = uses still holds.
    expect(() => parseScenario(copy as ScenarioInput)).not.toThrow();
    expect(levered.funding.sources.map((s) => s.share)).toEqual(['0.5', '0.5']);
  });

  it('the AP profit rate solved for equity IRR = 8 %, written into the file and run by the engine, gives exactly the metric reached', () => {
    const { input, scenario } = traffic();
    const a = solveBreakEven(scenario, {
      driver: 'input:ap-profit-rate',
      metric: 'equityIrr',
      target: new Dec('0.08'),
    });
    expect(a.value).not.toBeNull();
    expect(a.value!.decimalPlaces()).toBeLessThanOrEqual(10);
    const byHand = structuredClone(input);
    byHand.government!.availabilityPayment!.profitRate = a.value!.toFixed();
    const again = metricValue(simulate(parseScenario(byHand)), 'equityIrr');
    expect(again!.toString()).toBe(a.reached!.toString());
    expect(a.reached!.minus('0.08').abs().lte('0.000001')).toBe(true);
  });

  it('lists the inputs a scenario has, and refuses one it lacks naming the field', () => {
    expect(scenarioInputs(traffic().scenario).map((i) => i.name)).toEqual([
      'input:ap-profit-rate',
      'input:debt-share:bank',
    ]);
    expect(scenarioInputs(subsidised).map((i) => i.name)).toEqual(['input:operating-subsidy']);
    const s = small();
    expect(() =>
      solveBreakEven(s, {
        driver: 'input:ap-profit-rate',
        metric: 'equityIrr',
        target: new Dec('0.08'),
      }),
    ).toThrow(/no government\.availabilityPayment/);
    let caught: unknown = null;
    try {
      parseInputName('input:debt-share:loan', s);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RiskInputError);
    expect((caught as RiskInputError).issues[0]!.path).toBe('driver');
    expect((caught as RiskInputError).message).toMatch(
      /funding\.sources\.1\.share \(source "loan" is stated in yuan/,
    );
    expect(() => parseInputName('input:weather', s)).toThrow(/Unknown input/);
    expect(() => parseInputName('input:debt-share:eq', s)).toThrow(/No debt source/);
  });

  it('refuses a bracket outside the input range', () => {
    expect(() =>
      solveBreakEven(levered, {
        driver: 'input:debt-share:loan',
        metric: 'dscrMin',
        target: new Dec('1.5'),
        high: new Dec('1.2'),
      }),
    ).toThrow(/between 0 and 1/);
  });
});
