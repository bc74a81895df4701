import * as fundmix from '../src/index';
import { loadExamples } from './helpers/scenarios';

/** The package's public contract (README "Library API"): others build on it, so it is pinned here. */
describe('library entry point', () => {
  it('exports the engine, the schema and the Excel-compatible finance functions', () => {
    expect(typeof fundmix.simulate).toBe('function');
    expect(typeof fundmix.parseScenario).toBe('function');
    expect(typeof fundmix.scenarioSchema.safeParse).toBe('function');
    expect(Object.keys(fundmix.finance).sort()).toEqual([
      'ipmt',
      'irr',
      'npv',
      'pmt',
      'ppmt',
      'xirr',
      'xnpv',
    ]);
    expect(typeof fundmix.fiscal.assessAffordability).toBe('function');
  });

  it('takes decimal strings and returns Decimals, Excel argument order and signs', () => {
    expect(fundmix.finance.npv('0.1', ['-10000', '3000', '4200', '6800']).toFixed(2)).toBe(
      '1188.44',
    );
    expect(fundmix.finance.pmt('0.08', 10, '10000').lt(0)).toBe(true);
    expect(fundmix.finance.irr(['-100', '39', '59', '55', '20']).toFixed(11)).toBe('0.28094842116');
  });

  it('throws an error with code no-solution when no rate solves the flows', () => {
    expect(() => fundmix.finance.irr(['20', '5', '5', '5', '5', '5'])).toThrow(
      expect.objectContaining({ code: 'no-solution' }),
    );
  });

  it('simulates a parsed scenario, with overrides that leave the scenario untouched', () => {
    const [first] = loadExamples();
    const base = fundmix.simulate(first!.scenario);
    const stressed = fundmix.simulate(first!.scenario, {
      overrides: { revenueFactor: new fundmix.Dec('0.8') },
    });
    expect(stressed.metrics.projectNpv.lt(base.metrics.projectNpv)).toBe(true);
    expect(fundmix.simulate(first!.scenario).metrics.projectNpv.eq(base.metrics.projectNpv)).toBe(
      true,
    );
    expect(JSON.parse(JSON.stringify(base)).ledger).toHaveLength(base.ledger.length);
  });
});
