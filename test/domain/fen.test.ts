import fc from 'fast-check';
import { Dec } from '../../src/domain/decimal';
import { allocateFen, ratioOf } from '../../src/domain/fen';

/**
 * The definition of `allocateFen` in BigInt, written out independently: truncated parts, the spare
 * fen to the largest remainders (the most negative for a negative total), ties to the earliest.
 */
function reference(total: number, weights: number[]): number[] {
  const W = BigInt(weights.reduce((a, b) => a + b, 0));
  const T = BigInt(total);
  const parts = weights.map((w) => (T * BigInt(w)) / W);
  const rems = weights.map((w, i) => T * BigInt(w) - (parts[i] as bigint) * W);
  let spare = T - parts.reduce((a, b) => a + b, 0n);
  const step = spare > 0n ? 1n : -1n;
  const order = rems
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const d = step > 0n ? b.r - a.r : a.r - b.r;
      return d > 0n ? 1 : d < 0n ? -1 : a.i - b.i;
    });
  for (let k = 0; spare !== 0n; k = (k + 1) % order.length) {
    const i = (order[k] as { i: number }).i;
    parts[i] = (parts[i] as bigint) + step;
    spare -= step;
  }
  return parts.map(Number);
}

describe('allocateFen', () => {
  it('hand-worked: 100 fen over 1 : 1 : 1 gives 34, 33, 33; −100 gives −34, −33, −33', () => {
    expect(allocateFen(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateFen(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    // 1,000,000.01 yuan over commitments 45,000,000.00 and 15,000,000.00 yuan (3 : 1).
    expect(allocateFen(100_000_001, [4_500_000_000, 1_500_000_000])).toEqual([
      75_000_001, 25_000_000,
    ]);
  });

  it('equals the BigInt definition, on the double fast path and beyond it', () => {
    const weight = fc.oneof(
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 0, max: 2 ** 40 }),
      // commitments in whole million yuan: the gcd path
      fc.integer({ min: 0, max: 5000 }).map((k) => k * 100_000_000),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1e6, max: 1e6 }),
          fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
        ),
        fc.array(weight, { minLength: 2, maxLength: 8 }).filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = allocateFen(total, weights);
          expect(parts).toEqual(reference(total, weights));
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('ratioOf', () => {
  it('reads a Decimal as digits over a power of ten, exactly', () => {
    const r = (s: string) => {
      const x = ratioOf(new Dec(s));
      return `${x.num}/${x.den}`;
    };
    expect(r('0.0224')).toBe('224/10000');
    expect(r('-1.5')).toBe('-15/10');
    expect(r('300000000')).toBe('300000000/1');
    expect(r('1e-7')).toBe('1/10000000');
    expect(r('1.02e3')).toBe('1020/1');
    expect(r('-0.000001')).toBe('-1/1000000');
  });
});
