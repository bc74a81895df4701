import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Dec } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import {
  affordabilityMember,
  assessAffordabilityOf,
} from '../../../src/domain/fiscal/affordability';
import { parseBudgetForecast } from '../../../src/domain/fiscal/budget';
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
    // The fen path is taken (risk registers included).
    expect(inFen).toBeGreaterThan(200);
  });
});

describe('the affordability ratio in integers equals total ÷ budget in Decimal, 6 dp half-up', () => {
  it('for totals and budgets of whole fen or finer, midpoints included', () => {
    const yuan = fc.oneof(
      fc.integer({ min: 0, max: 2 ** 53 - 1 }).map((f) => new Dec(f).div(100)),
      fc.integer({ min: 0, max: 10 ** 9 }).map((f) => new Dec(f).div(1000)),
      fc.integer({ min: 0, max: 10 ** 6 }).map((f) => new Dec(f).div(100)),
    );
    const budget = fc.oneof(
      fc.integer({ min: 1, max: 2 ** 53 - 1 }).map((f) => new Dec(f).div(100)),
      fc.constantFrom(new Dec('2000000'), new Dec('0.01'), new Dec('12762815.63')),
    );
    fc.assert(
      fc.property(fc.array(yuan, { minLength: 1, maxLength: 4 }), budget, (totals, b) => {
        const forecast = parseBudgetForecast({
          method: 'explicit',
          years: totals.map((_, i) => ({ year: 2030 + i, amountYuan: b.toFixed() })),
        });
        const other = totals.map((t, i) => ({ year: 2030 + i, amountYuan: t.toFixed() }));
        const report = assessAffordabilityOf([], forecast, DEFAULT_THRESHOLDS, {
          otherObligations: other,
        });
        report.rows.forEach((r, i) => {
          const want = totals[i]!.div(b).toDecimalPlaces(6, Dec.ROUND_HALF_UP);
          expect([r.ratio!.s, r.ratio!.e, r.ratio!.d]).toEqual([want.s, want.e, want.d]);
          expect(r.breach).toBe(totals[i]!.gt(b.times('0.1')));
          expect(r.capYuan!.toFixed()).toBe(b.times('0.1').toDecimalPlaces(2).toFixed());
        });
      }),
      { numRuns: 2000 },
    );
    // A hand-worked one: 1,100,000 of 10,500,000 is 0.1047619…, reported 0.104762.
    const forecast = parseBudgetForecast({
      method: 'explicit',
      years: [{ year: 2026, amountYuan: '10500000' }],
    });
    const r = assessAffordabilityOf([], forecast, DEFAULT_THRESHOLDS, {
      otherObligations: [{ year: 2026, amountYuan: '1100000' }],
    });
    expect(r.rows[0]!.ratio!.toString()).toBe('0.104762');
  });
});
