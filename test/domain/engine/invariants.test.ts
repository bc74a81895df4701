import fc from 'fast-check';
import { Dec, ZERO } from '../../../src/domain/decimal';
import { allocate } from '../../../src/domain/allocate';
import { simulate } from '../../../src/domain/engine/simulate';
import { sideTotal } from '../../../src/domain/engine/sources-and-uses';
import { parseScenario } from '../../../src/domain/scenario/parse';
import { REPAYMENTS, type ScenarioInput } from '../../../src/domain/scenario/schema';
import { smallInput } from '../../helpers/scenarios';

const yuanArb = (min: number, max: number) =>
  fc.integer({ min: min * 100, max: max * 100 }).map((fen) => (fen / 100).toFixed(2));
const rateArb = (maxBp: number) =>
  fc.integer({ min: 0, max: maxBp }).map((bp) => (bp / 10000).toFixed(4));

/** Random but valid scenarios: 1–4 build years, 1–30 operation years, up to 3 loans and 3 equity holders. */
const scenarioArb = fc
  .record({
    build: fc.integer({ min: 1, max: 4 }),
    operate: fc.integer({ min: 1, max: 30 }),
    capex: fc.array(yuanArb(1, 50_000_000), { minLength: 4, maxLength: 4 }),
    opex: yuanArb(0, 5_000_000),
    revenue: yuanArb(0, 20_000_000),
    growth: rateArb(800),
    weights: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 6 }),
    loans: fc.array(
      fc.record({
        rate: rateArb(900),
        grace: fc.integer({ min: 0, max: 3 }),
        repayment: fc.constantFrom(...REPAYMENTS),
        capitalise: fc.boolean(),
        fee: rateArb(50),
      }),
      { minLength: 0, maxLength: 3 },
    ),
    tax: rateArb(3000),
    policy: fc.constantFrom('government' as const, 'equity' as const, 'unfunded' as const),
    residual: yuanArb(0, 1_000_000),
  })
  .map((r): ScenarioInput => {
    const capex = r.capex.slice(0, r.build);
    const total = capex.reduce((a, c) => a.plus(c), ZERO);
    const equityCount = Math.max(1, r.weights.length - r.loans.length);
    const weights = r.weights.slice(0, equityCount + r.loans.length);
    const amounts = allocate(
      total,
      weights.map((w) => new Dec(w)),
    );
    return smallInput((x) => {
      x.timeline = { startYear: 2026, constructionYears: r.build, operationYears: r.operate };
      x.capex = { scheduleYuan: capex };
      x.operatingCost = { annualYuan: r.opex, escalation: '0.02' };
      x.revenues = [
        { kind: 'other', name: 'Income', annualYuan: r.revenue, growth: r.growth },
        {
          kind: 'public-data',
          name: 'Data',
          annualIncomeYuan: r.revenue,
          allowedProfitRate: '0.08',
          authorityShare: '0.1',
        },
      ];
      x.residualValueYuan = r.residual;
      x.tax = { incomeTaxRate: r.tax };
      x.shortfall = r.policy;
      x.funding.sources = amounts.map((amount, i) => {
        const loan = i >= equityCount ? r.loans[i - equityCount] : undefined;
        if (!loan)
          return {
            id: `eq${i}`,
            name: `Equity ${i}`,
            type: 'enterprise-equity' as const,
            amountYuan: amount.toFixed(2),
          };
        const tenor =
          r.build + Math.min(loan.grace, r.operate - 1) + Math.max(1, r.operate - loan.grace);
        return {
          id: `loan${i}`,
          name: `Loan ${i}`,
          type: 'bank-loan' as const,
          amountYuan: amount.toFixed(2),
          debt: {
            annualRate: loan.rate,
            tenorYears: Math.min(tenor, r.build + r.operate),
            graceYears: Math.min(loan.grace, r.operate - 1),
            repayment: loan.repayment,
            targetDscr: '1.3',
            constructionInterest: loan.capitalise ? ('capitalised' as const) : ('paid' as const),
            upfrontFeeRate: loan.fee,
          },
        };
      });
    });
  });

const fen = (d: Dec) => d.toFixed(2);
const isFen = (d: Dec) => d.eq(d.toDecimalPlaces(2));

describe('engine invariants on random scenarios', () => {
  it('sources equal uses to the cent, in construction and over the whole life', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const r = simulate(parseScenario(input));
        const c = r.sourcesAndUses.construction;
        const l = r.sourcesAndUses.lifetime;
        expect(fen(sideTotal(c.sources))).toBe(fen(c.total));
        expect(fen(sideTotal(l.sources))).toBe(fen(l.total));
      }),
      { numRuns: 150 },
    );
  });

  it('every posted amount is in fen, drawdowns sum to each source and to each year’s capex', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const r = simulate(parseScenario(input));
        r.sources.forEach((src, i) => {
          expect(fen(r.ledger.reduce((a, y) => a.plus(y.drawdowns[i] as Dec), ZERO))).toBe(
            fen(src.amount),
          );
        });
        for (const y of r.ledger) {
          expect(fen(y.drawdowns.reduce((a, d) => a.plus(d), ZERO))).toBe(fen(y.capex));
          for (const v of [y.cfads, y.tax, y.opex, ...y.revenues, ...y.drawdowns])
            expect(isFen(v)).toBe(true);
          for (const d of y.debt) {
            expect(d.closing.gte(0)).toBe(true);
            for (const v of [d.interest, d.principalPaid, d.interestPaid, d.closing])
              expect(isFen(v)).toBe(true);
          }
          for (const e of y.equity) expect(e.distribution.gte(0)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('with funded shortfalls every loan is repaid by its maturity; otherwise the result says so', () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const scenario = parseScenario(input);
        const r = simulate(scenario);
        const unpaid = r.debts.filter((_, j) => {
          const tenor =
            scenario.funding.sources.find((s) => s.id === r.debts[j]?.id)?.debt?.tenorYears ?? 0;
          return (r.ledger[tenor - 1]?.debt[j]?.closing ?? ZERO).gt(0);
        });
        if (scenario.shortfall !== 'unfunded') expect(unpaid).toHaveLength(0);
        else if (unpaid.length > 0) expect(r.flags.map((f) => f.code)).toContain('debt-not-repaid');
      }),
      { numRuns: 150 },
    );
  });
});

describe('allocate', () => {
  it('parts always sum to the whole and stay within a fen of the exact share', () => {
    fc.assert(
      fc.property(
        yuanArb(0, 1e9),
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 12 }),
        (total, ws) => {
          fc.pre(ws.some((w) => w > 0));
          const weights = ws.map((w) => new Dec(w));
          const parts = allocate(new Dec(total), weights);
          expect(fen(parts.reduce((a, p) => a.plus(p), ZERO))).toBe(total);
          const wsum = weights.reduce((a, w) => a.plus(w), ZERO);
          parts.forEach((p, i) =>
            expect(
              p
                .minus(new Dec(total).times(weights[i] as Dec).div(wsum))
                .abs()
                .lt('0.01'),
            ).toBe(true),
          );
        },
      ),
    );
  });
});
