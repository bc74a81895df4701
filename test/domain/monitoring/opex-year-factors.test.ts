import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { parseScenario } from '../../../src/domain/scenario/parse';
import { scenarioInput } from '../../store/helpers/fixtures';

/** The fixture: opex 300,000.00 in 2028, escalating 2 % a year (306,000.00 in 2029). */
const scenario = parseScenario(scenarioInput('P-001'));
const opexOf = (r: ReturnType<typeof simulate>, year: number) =>
  r.ledger.find((y) => y.year === year)?.opex.toFixed(2);

describe('the engine override opexYearFactors', () => {
  it('multiplies one operation year’s opex and leaves the others', () => {
    const r = simulate(scenario, { overrides: { opexYearFactors: [new Dec('1.2')] } });
    expect(opexOf(r, 2028)).toBe('360000.00');
    expect(opexOf(r, 2029)).toBe('306000.00');
  });
  it('composes with opexFactor', () => {
    const r = simulate(scenario, {
      overrides: { opexFactor: new Dec('0.5'), opexYearFactors: [new Dec('1'), new Dec('2')] },
    });
    expect(opexOf(r, 2028)).toBe('150000.00');
    expect(opexOf(r, 2029)).toBe('306000.00');
  });
  it('refuses a factor outside (0, 100] at its element', () => {
    expect(() =>
      simulate(scenario, { overrides: { opexYearFactors: [new Dec(1), new Dec(0)] } }),
    ).toThrow('opexYearFactors[1] must be more than 0 and at most 100');
  });
});
