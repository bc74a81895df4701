import fc from 'fast-check';
import { Dec, ZERO } from '../../../src/domain/decimal';
import { simulate } from '../../../src/domain/engine/simulate';
import { sideTotal } from '../../../src/domain/engine/sources-and-uses';
import { parseScenario } from '../../../src/domain/scenario/parse';
import { small, smallInput } from '../../helpers/scenarios';

// Hand-worked cases for the engine rules of src/domain/README.md (issue 9). Figures in yuan.
const s = (d: Dec | null | undefined) => (d === null || d === undefined ? null : d.toFixed(2));

describe('public-data ceiling (src/domain/README.md, "Public-data ceiling")', () => {
  // Opex 100,000 a year, allowed profit 10 %, no tax on data income: ceiling 110,000 a year.
  // Income 300,000 × ramp-up [1, 0.1, 1, 0.5] = G 300,000 / 30,000 / 300,000 / 150,000.
  //   year  G        excess X  carried in  revenue R                     carried out
  //   2027  300,000  190,000         0     300,000                       190,000
  //   2028   30,000        0   190,000           0 (30,000 deducted)     160,000
  //   2029  300,000  190,000   160,000     140,000                       190,000
  //   2030  150,000   40,000   190,000     150,000 − 190,000 − 40,000 = −80,000 (last year)
  // Σ R = 360,000 = Σ min(G, ceiling) ≤ Σ ceilings 440,000; the authority's 10 % follows R.
  const r = simulate(
    small((x) => {
      x.timeline.operationYears = 4;
      x.operatingCost = { annualYuan: '100000' };
      x.revenues = [
        {
          kind: 'public-data',
          name: 'Data',
          annualIncomeYuan: '300000',
          rampUp: ['1', '0.1', '1', '0.5'],
          allowedProfitRate: '0.1',
          taxRate: '0',
          authorityShare: '0.1',
        },
      ];
      x.funding.sources = [
        { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '1000000' },
      ];
    }),
  );
  const operation = r.ledger.slice(1);

  it.each([
    [2027, '300000.00', '30000.00'],
    [2028, '0.00', '0.00'],
    [2029, '140000.00', '14000.00'],
    [2030, '-80000.00', '-8000.00'],
  ])('%i: revenue %s, authority share %s', (year, revenue, share) => {
    const y = operation.find((x) => x.year === year);
    expect(s(y?.revenues[0])).toBe(revenue);
    expect(s(y?.dataAuthorityShare[0])).toBe(share);
  });

  it('flags the years with an excess and the total excess deducted', () => {
    const flag = r.flags.find((f) => f.code === 'data-revenue-capped');
    expect(flag?.years).toEqual([2027, 2029, 2030]);
    expect(s(flag?.amount)).toBe('420000.00');
  });

  it('keeps sources and uses balanced with a negative last-year revenue', () => {
    const l = r.sourcesAndUses.lifetime;
    expect(s(sideTotal(l.sources))).toBe(s(l.total));
  });

  it('over the life the operator never keeps more than the ceilings (property)', () => {
    const fraction = fc.integer({ min: 0, max: 100 }).map((p) => (p / 100).toFixed(2));
    const arb = fc.record({
      years: fc.integer({ min: 1, max: 15 }),
      opex: fc.integer({ min: 0, max: 5_000_000 }),
      escalation: fc.integer({ min: 0, max: 800 }).map((bp) => (bp / 10000).toFixed(4)),
      income: fc.integer({ min: 0, max: 20_000_000 }),
      growth: fc.integer({ min: -500, max: 1500 }).map((bp) => (bp / 10000).toFixed(4)),
      rampUp: fc.array(fraction, { maxLength: 10 }),
      profit: fraction,
      share: fraction,
    });
    fc.assert(
      fc.property(arb, (a) => {
        const input = smallInput((x) => {
          x.timeline.operationYears = a.years;
          x.operatingCost = { annualYuan: String(a.opex), escalation: a.escalation };
          x.revenues = [
            {
              kind: 'public-data',
              name: 'Data',
              annualIncomeYuan: String(a.income),
              growth: a.growth,
              rampUp: a.rampUp.slice(0, a.years),
              allowedProfitRate: a.profit,
              taxRate: '0.06',
              costBaseShare: a.share,
            },
          ];
          x.funding.sources = [
            { id: 'eq', name: 'Equity', type: 'enterprise-equity', amountYuan: '1000000' },
          ];
        });
        const r = simulate(parseScenario(input));
        const ratio = new Dec(a.share).times(new Dec(1).plus(a.profit)).times('1.06');
        let kept = ZERO;
        let ceilings = ZERO;
        r.ledger.slice(1).forEach((y, k) => {
          kept = kept.plus(y.revenues[0] as Dec);
          ceilings = ceilings.plus(y.opex.times(ratio).toDecimalPlaces(2, Dec.ROUND_HALF_UP));
          if (k < a.years - 1) expect(y.revenues[0]?.gte(0)).toBe(true);
        });
        expect(kept.lte(ceilings)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
