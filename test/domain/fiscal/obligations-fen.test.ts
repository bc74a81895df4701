import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { affordabilityMember } from '../../../src/domain/fiscal/affordability';
import { governmentObligationsFen } from '../../../src/domain/fiscal/obligations';
import { DEFAULT_THRESHOLDS } from '../../../src/domain/fiscal/thresholds';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import { legacyPppInput } from './builders';

const DEMO = join(__dirname, '..', '..', '..', 'data', 'demo', 'scenarios');
const demo = readdirSync(DEMO)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => parseScenario(JSON.parse(readFileSync(join(DEMO, f), 'utf8')) as ScenarioInput));

/** The Decimal path's member: a plain copy of the result has no `governmentFen` (nor fiscal ledger). */
const viaDecimals = (m: Parameters<typeof affordabilityMember>[0], count: boolean) =>
  affordabilityMember(
    { scenario: m.scenario, result: { ...m.result } },
    { ...DEFAULT_THRESHOLDS, countConcessionInvestmentSupport: count },
  );

describe('the fen path of a member’s obligations equals the Decimal path', () => {
  it('hand-worked: the legacy PPP’s 200,000 government equity in 2026, 100,000 subsidy a year after', () => {
    const scenario = parseScenario(legacyPppInput());
    const years = governmentObligationsFen(scenario, simulate(scenario), DEFAULT_THRESHOLDS)!;
    expect(years.map((y) => [y.year, y.components[0], y.components[1], y.components[4]])).toEqual([
      [2026, 20_000_000, 0, 20_000_000],
      [2027, 0, 10_000_000, 10_000_000],
      [2028, 0, 10_000_000, 10_000_000],
      [2029, 0, 10_000_000, 10_000_000],
    ]);
  });

  it('for every Demo City scenario under drivers, counting concession support or not', () => {
    let inFen = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: demo.length - 1 }),
        fc.constantFrom('revenueFactor', 'capexFactor', 'opexFactor') as fc.Arbitrary<
          'revenueFactor' | 'capexFactor' | 'opexFactor'
        >,
        fc.integer({ min: 50_000_000, max: 150_000_000 }),
        fc.boolean(),
        (k, driver, factor, count) => {
          const scenario = demo[k]!;
          const overrides = { [driver]: new Dec(factor).div(100_000_000) };
          const result = simulate(scenario, { overrides });
          const thresholds = { ...DEFAULT_THRESHOLDS, countConcessionInvestmentSupport: count };
          if (governmentObligationsFen(scenario, result, thresholds)) inFen++;
          const fast = affordabilityMember({ scenario, result }, thresholds);
          expect(JSON.stringify(fast)).toBe(
            JSON.stringify(viaDecimals({ scenario, result }, count)),
          );
        },
      ),
      { numRuns: 300 },
    );
    // The fen path is taken (the Demo City has one scenario with a risk register: the Decimal path).
    expect(inFen).toBeGreaterThan(200);
  });
});
