/**
 * Equity waterfall tiers (issue 9; src/domain/README.md, "Equity waterfall"): a guided fund's
 * preferred return (simple, cumulative), return of its capital, then the remainder to the private
 * holder (capped) or to all pro rata (uncapped).
 */
import fc from 'fast-check';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../../src/domain/scenario/schema';
import type { WaterfallInput } from '../../../src/domain/scenario/waterfall';
import { simulate } from '../../../src/domain/engine/simulate';
import { ledgerLines } from '../../../src/domain/engine/ledger-table';
import {
  compileWaterfall,
  startWaterfall,
  waterfallYear,
} from '../../../src/domain/engine/waterfall';
import { Dec } from '../../../src/domain/decimal';
import { ValidationError } from '../../../src/domain/errors';
import { smallInput } from '../../helpers/scenarios';

/**
 * 1 construction + 4 operation years; capex 1,000,000 funded by a guided fund 300,000 (30 %) and
 * a private holder 700,000 (70 %); no debt, no operating cost, no tax. Income 400,000 a year,
 * ramped to 2.5 % (10,000) in the first year, so the cash for distribution is 10,000, 400,000,
 * 400,000, 400,000.
 */
function fundInput(waterfall?: WaterfallInput): ScenarioInput {
  return smallInput((s) => {
    s.timeline.operationYears = 4;
    s.operatingCost.annualYuan = '0';
    s.revenues = [{ kind: 'other', name: 'Income', annualYuan: '400000', rampUp: ['0.025'] }];
    s.funding = {
      sources: [
        { id: 'fund', name: 'Guided fund', type: 'guided-fund-equity', amountYuan: '300000' },
        { id: 'private', name: 'Private', type: 'enterprise-equity', amountYuan: '700000' },
      ],
      ...(waterfall ? { waterfall } : {}),
    };
    s.tax = { incomeTaxRate: '0' };
  });
}

const run = (input: ScenarioInput) => simulate(parseScenario(input));
const dist = (r: ReturnType<typeof run>, i: number) =>
  r.ledger.map((y) => y.equity[i]!.distribution.toFixed(2));

describe('a guided fund 30 % with a 4 % preferred return and a private holder 70 %', () => {
  // Year 1: the fund is owed 300,000 × 4 % = 12,000; only 10,000 is there: paid, 2,000 owed on.
  // Year 2: owed 2,000 + 12,000 = 14,000 (simple: the 2,000 earns nothing), paid; then its capital
  //   300,000; the remaining 86,000 is the residual.
  // Years 3–4: nothing unreturned, so nothing owed: 400,000 is residual.
  it('capped: the fund gets 4 % and its capital only; the private holder the rest', () => {
    const r = run(fundInput({ preferredSourceIds: ['fund'], preferredRate: '0.04', capped: true }));
    expect(dist(r, 0)).toEqual(['0.00', '10000.00', '314000.00', '0.00', '0.00']);
    expect(dist(r, 1)).toEqual(['0.00', '0.00', '86000.00', '400000.00', '400000.00']);
    const fund = r.ledger.map((y) => y.equity[0]!);
    expect(fund.map((e) => e.preferredReturn?.toFixed(2))).toEqual([
      '0.00',
      '10000.00',
      '14000.00',
      '0.00',
      '0.00',
    ]);
    expect(fund.map((e) => e.capitalReturned?.toFixed(2))).toEqual([
      '0.00',
      '0.00',
      '300000.00',
      '0.00',
      '0.00',
    ]);
    expect(fund.map((e) => e.preferredUnpaid?.toFixed(2))).toEqual([
      '0.00',
      '2000.00',
      '0.00',
      '0.00',
      '0.00',
    ]);
    expect(r.ledger[0]!.equity[1]!.preferredReturn).toBeUndefined();
    // IRRs (independently, mpmath findroot on the flows): fund −300,000, 10,000, 314,000, 0, 0 →
    // 3.98696985 % (below 4 %: the deferred 2,000 earned nothing); private −700,000, 0, 86,000,
    // 400,000, 400,000 → 7.31124745 %.
    expect(r.metrics.equity.map((e) => e.irr.rate?.toFixed(6))).toEqual(['0.039870', '0.073112']);
    expect(r.metrics.equity.map((e) => e.distributed.toFixed(2))).toEqual([
      '324000.00',
      '886000.00',
    ]);
    const keys = ledgerLines(r).map((l) => l.key);
    expect(keys).toContain('equity:fund:preferred-return');
    expect(keys).not.toContain('equity:private:preferred-return');
  });

  it('uncapped: the fund also shares the residual 30 / 70', () => {
    // Year 2: 14,000 + 300,000 + 30 % of 86,000 = 339,800; private 60,200. Years 3–4: 120,000 / 280,000.
    const r = run(fundInput({ preferredSourceIds: ['fund'], preferredRate: '0.04' }));
    expect(dist(r, 0)).toEqual(['0.00', '10000.00', '339800.00', '120000.00', '120000.00']);
    expect(dist(r, 1)).toEqual(['0.00', '0.00', '60200.00', '280000.00', '280000.00']);
    // Fund 30.9579111 %, private −3.53616815 %.
    expect(r.metrics.equity.map((e) => e.irr.rate?.toFixed(6))).toEqual(['0.309579', '-0.035362']);
  });

  it('without a waterfall both holders are paid pro rata and have one IRR (6.64916219 %)', () => {
    const r = run(fundInput());
    expect(dist(r, 0)).toEqual(['0.00', '3000.00', '120000.00', '120000.00', '120000.00']);
    expect(r.metrics.equity.map((e) => e.irr.rate?.toFixed(6))).toEqual(['0.066492', '0.066492']);
    expect(r.ledger[1]!.equity[0]!.preferredReturn).toBeUndefined();
    expect(ledgerLines(r).some((l) => l.key.endsWith(':preferred-return'))).toBe(false);
  });

  it('without return of capital the capped fund only ever receives its preferred return', () => {
    const r = run(
      fundInput({
        preferredSourceIds: ['fund'],
        preferredRate: '0.04',
        capped: true,
        returnOfCapital: false,
      }),
    );
    // 10,000; then 14,000; then 12,000 a year on the 300,000 never returned.
    expect(dist(r, 0)).toEqual(['0.00', '10000.00', '14000.00', '12000.00', '12000.00']);
    expect(dist(r, 1)).toEqual(['0.00', '0.00', '386000.00', '388000.00', '388000.00']);
  });
});

describe('waterfallYear', () => {
  it('splits a short tier by largest remainder; the residual tier takes what is left', () => {
    const w = compileWaterfall(
      { preferredSourceIds: ['a', 'b'], preferredRate: '0.5', returnOfCapital: true, capped: true },
      ['a', 'b', 'c'],
      (x) => new Dec(x),
    )!;
    const state = startWaterfall(w);
    // Contributions of 3 and 5 fen at the end of year 0 (nothing to distribute yet).
    waterfallYear(w, state, 0, [3, 5, 2], [3, 5, 2]);
    // Owed 3 × 0.5 = 1.5 → 2 fen and 5 × 0.5 = 2.5 → 3 fen (half-up); 4 fen of cash: 4 × 2/5 = 1.6
    // and 4 × 3/5 = 2.4 → 1 and 2, the spare fen to the larger remainder (a): 2 and 2.
    const y = waterfallYear(w, state, 4, [3, 5, 2], [0, 0, 0]);
    expect(y.preferredReturn).toEqual([2, 2, 0]);
    expect(y.preferredUnpaid).toEqual([0, 1, 0]);
    expect(y.distributions).toEqual([2, 2, 0]);
    // Next year: owed 0 + 2 and 1 + 3; 20 fen: 2 + 4 preferred, 3 + 5 capital, 6 to c.
    const z = waterfallYear(w, state, 20, [3, 5, 2], [0, 0, 0]);
    expect(z.distributions).toEqual([5, 9, 6]);
    expect(state.unreturned).toEqual([0, 0, 0]);
  });
});

describe('funding.waterfall in the schema', () => {
  const issues = (waterfall: WaterfallInput) => {
    try {
      parseScenario(fundInput(waterfall));
    } catch (e) {
      return (e as ValidationError).issues;
    }
    return [];
  };
  it('names unknown, non-equity and all-preferred classes at the field', () => {
    expect(issues({ preferredSourceIds: ['nope'], preferredRate: '0.04' })).toEqual([
      {
        path: 'funding.waterfall.preferredSourceIds',
        message: 'There is no funding source "nope"',
      },
    ]);
    expect(issues({ preferredSourceIds: ['fund', 'private'], preferredRate: '0.04' })).toEqual([
      {
        path: 'funding.waterfall.preferredSourceIds',
        message: 'Every equity source is preferred: leave at least one to take the remainder',
      },
    ]);
  });
});

describe('property: every year the holders receive exactly the cash for distribution', () => {
  it('Σ distributions with tiers = Σ distributions pro rata, year by year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.integer({ min: 0, max: 60_000_000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 40_000_000 }),
        (fundFen, incomeFen, rateBp, capped, returnOfCapital, loanFen) => {
          const yuan = (f: number) => (f / 100).toFixed(2);
          const base = (waterfall?: WaterfallInput) =>
            smallInput((s) => {
              s.timeline.operationYears = 4;
              s.capex.scheduleYuan = [yuan(100_000_000 + loanFen)];
              s.revenues = [{ kind: 'other', name: 'Income', annualYuan: yuan(incomeFen) }];
              s.funding = {
                sources: [
                  { id: 'fund', name: 'F', type: 'guided-fund-equity', amountYuan: yuan(fundFen) },
                  {
                    id: 'private',
                    name: 'P',
                    type: 'enterprise-equity',
                    amountYuan: yuan(100_000_000 - fundFen),
                  },
                  ...(loanFen > 0
                    ? [
                        {
                          id: 'loan',
                          name: 'L',
                          type: 'bank-loan' as const,
                          amountYuan: yuan(loanFen),
                          debt: {
                            annualRate: '0.05',
                            tenorYears: 5,
                            repayment: 'annuity' as const,
                          },
                        },
                      ]
                    : []),
                ],
                ...(waterfall ? { waterfall } : {}),
              };
            });
          const tiered = run(
            base({
              preferredSourceIds: ['fund'],
              preferredRate: (rateBp / 10000).toFixed(4),
              capped,
              returnOfCapital,
            }),
          );
          const flat = run(base());
          tiered.ledger.forEach((y, t) => {
            const sum = (yy: typeof y) =>
              yy.equity.reduce((a, e) => a.plus(e.distribution), new Dec(0));
            expect(sum(y).toFixed(2)).toBe(sum(flat.ledger[t]!).toFixed(2));
            const e = y.equity[0]!;
            expect(e.preferredReturn!.plus(e.capitalReturned!).lte(e.distribution)).toBe(true);
            if (capped)
              expect(e.distribution.eq(e.preferredReturn!.plus(e.capitalReturned!))).toBe(true);
          });
          const returned = tiered.ledger.reduce(
            (a, y) => a.plus(y.equity[0]!.capitalReturned!),
            new Dec(0),
          );
          expect(returned.lte(tiered.metrics.equity[0]!.contributed)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
