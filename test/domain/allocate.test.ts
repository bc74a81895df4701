import fc from 'fast-check';
import { allocate, allocateFenOf, fenAll, scaleAllToFen } from '../../src/domain/allocate';
import { Dec, toFen } from '../../src/domain/decimal';
import { decOf, fenOf } from '../../src/domain/fen';

/** The Decimal definitions the integer paths must equal (applyCapexOverride before the fast path). */
const slowAllocate = (parts: number[], weights: Dec[]) =>
  allocate(
    parts.reduce((a, p) => a.plus(decOf(p)), new Dec(0)),
    weights,
  ).map(fenOf);
const slowScale = (amounts: Dec[], factor: Dec) =>
  amounts.map((c) => fenOf(toFen(c.times(factor))));

/** A result or the error it raised (the same error is part of "the same output"). */
function outcome<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('allocateFenOf equals allocate in Decimal', () => {
  it('hand-worked: 1,000,000.01 yuan over shares 0.1 / 0.2 / 0.7 of 300,000,000 yuan', () => {
    const weights = ['30000000.0', '60000000.0', '210000000.0'].map((s) => new Dec(s));
    // 10,000,000.1 fen, 20,000,000.2, 70,000,000.7: the spare fen goes to the largest fraction.
    expect(allocateFenOf([100_000_001], weights)).toEqual([10_000_000, 20_000_000, 70_000_001]);
    expect(slowAllocate([100_000_001], weights)).toEqual([10_000_000, 20_000_000, 70_000_001]);
  });

  it('on random totals and weights, ties and long weights included', () => {
    const weight = fc.oneof(
      fc.integer({ min: 0, max: 1000 }).map((k) => new Dec(k)),
      fc.integer({ min: 0, max: 10 ** 9 }).map((k) => new Dec(k).div(10 ** 4)),
      fc.bigInt({ min: 0n, max: 10n ** 30n }).map((k) => new Dec(k.toString()).div(1e6)),
      fc.constantFrom(new Dec('0.1'), new Dec('0.15'), new Dec('1e-20')),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 ** 13 }), { minLength: 1, maxLength: 3 }),
        fc.array(weight, { minLength: 1, maxLength: 7 }).filter((w) => w.some((x) => !x.isZero())),
        (parts, weights) => {
          expect(allocateFenOf(parts, weights)).toEqual(slowAllocate(parts, weights));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('scaleAllToFen and fenAll equal the Decimal products', () => {
  it('rounds half-up like toFen, also for factors too long for the integer path', () => {
    const capex = [new Dec('180000000.00'), new Dec('0.05')];
    expect(scaleAllToFen(capex, new Dec('1.5'))).toEqual([27_000_000_000, 8]);
    expect(fenAll(capex)).toEqual([18_000_000_000, 5]);
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -(10 ** 14), max: 10 ** 14 }).map((k) => new Dec(k).div(100)),
          { minLength: 1, maxLength: 4 },
        ),
        fc.oneof(
          fc.integer({ min: 1, max: 10 ** 8 }).map((k) => new Dec(k).div(10 ** 6)),
          fc.double({ min: 0.01, max: 100, noNaN: true }).map((x) => new Dec(x)),
          fc.bigInt({ min: 1n, max: 10n ** 30n }).map((k) => new Dec(k.toString()).div(1e29)),
        ),
        (amounts, factor) => {
          expect(outcome(() => scaleAllToFen(amounts, factor))).toEqual(
            outcome(() => slowScale(amounts, factor)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
