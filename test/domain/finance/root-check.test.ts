import fc from 'fast-check';
import { periodPolynomial } from '../../../src/domain/finance/polynomial';
import { confirmsRootAt } from '../../../src/domain/finance/rate-solver';
import { solveIrrFen } from '../../../src/domain/finance';
import { decOf } from '../../../src/domain/fen';
import type { DecParts } from '../../../src/domain/finance/exact';

const poly = (flows: number[]) =>
  periodPolynomial(
    flows.map((v): DecParts => ({ coef: BigInt(v), exp: -2, f: v / 100, c: v })),
    (i) => decOf(flows[i] as number),
  );

/** A growth factor as n / 10^d from decimal text, e.g. "1.0712". */
function fixed(text: string): { n: bigint; d: number } {
  const [i, f = ''] = text.split('.');
  return { n: BigInt(`${i}${f}`), d: f.length };
}

describe('the float proof of a root never accepts what the exact check refuses', () => {
  it('hand-worked: −100, 110 has its root at 10 % exactly; 10.1 % is refused by both', () => {
    const p = poly([-10000, 11000]);
    expect(confirmsRootAt(p, fixed('1.1'))).toBe(true);
    expect(confirmsRootAt(p, fixed('1.1'), true)).toBe(true);
    expect(confirmsRootAt(p, fixed('1.101'))).toBe(false);
    expect(confirmsRootAt(p, fixed('1.101'), true)).toBe(false);
  });

  it('at rounded IRRs of random flows and at points near them (inside and outside tolerance)', () => {
    const flows = fc
      .tuple(
        fc.array(fc.integer({ min: -(10 ** 11), max: -1 }), { minLength: 1, maxLength: 3 }),
        fc.array(
          fc.oneof(
            fc.integer({ min: -(10 ** 10), max: 10 ** 11 }),
            fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
      )
      .map(([a, b]) => [...a, ...b]);
    fc.assert(
      fc.property(
        flows,
        fc.integer({ min: -12, max: -6 }),
        fc.integer({ min: -3, max: 3 }),
        (v, e, k) => {
          const r = solveIrrFen(v);
          if (r.rate === null) return;
          const p = poly(v);
          // The rate itself, and the rate moved by k units of 10^e (near-tolerance points).
          const at = r.rate.plus(1);
          for (const y of [at, at.plus(r.rate.abs().plus(1).times(k).times(`1e${e}`))]) {
            if (!y.isPositive()) continue;
            const w = fixed(y.toFixed());
            expect(confirmsRootAt(p, w)).toBe(confirmsRootAt(p, w, true));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
