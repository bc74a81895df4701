import fc from 'fast-check';
import { yuanText } from '../../../src/domain/engine/metrics';
import { Dec } from '../../../src/domain/decimal';
import { decOf, decOfDigits } from '../../../src/domain/fen';
import { bands, type FanBands } from '../../../src/domain/risk/montecarlo';

/** The fan bands by their definition: a stable comparison sort of each year's non-NaN values. */
function bandsByDefinition(values: Float64Array, span: number, trials: number): FanBands {
  const out: FanBands = { p10: [], p50: [], p90: [] };
  for (let t = 0; t < span; t++) {
    const year: number[] = [];
    for (let i = 0; i < trials; i++) {
      const v = values[i * span + t]!;
      if (!Number.isNaN(v)) year.push(v);
    }
    year.sort((a, b) => a - b);
    const at = (p: number) =>
      year.length ? year[Math.min(year.length - 1, Math.floor(p * year.length))]! : null;
    out.p10.push(at(0.1));
    out.p50.push(at(0.5));
    out.p90.push(at(0.9));
  }
  return out;
}

/** Object.is on every entry: 0 and −0 differ. */
const sameBands = (a: FanBands, b: FanBands) => {
  for (const k of ['p10', 'p50', 'p90'] as const) {
    expect(a[k].length).toBe(b[k].length);
    a[k].forEach((v, i) => expect(Object.is(v, b[k][i])).toBe(true));
  }
};

describe('fan bands on typed arrays equal their definition', () => {
  it('hand-worked: nearest rank ⌊p·n⌋ of the sorted values, NaN left out', () => {
    // One year, trials 5, 1, NaN, 3, 2, 4: sorted 1 2 3 4 5, n = 5 → ranks 0, 2, 4.
    const out = bands(Float64Array.from([5, 1, NaN, 3, 2, 4]), 1, 6);
    expect(out).toEqual({ p10: [1], p50: [3], p90: [5] });
    expect(bands(Float64Array.from([NaN, NaN]), 1, 2)).toEqual({
      p10: [null],
      p50: [null],
      p90: [null],
    });
  });

  it('keeps the trial order of 0 and −0 as the stable sort does', () => {
    const out = bands(Float64Array.from([0, -0, 0, -0, -0]), 1, 5);
    // ranks 0, 2, 4 of the zeros in trial order: 0, 0, −0.
    expect([out.p10[0], out.p50[0], out.p90[0]].map((v) => Object.is(v, -0))).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('for random values with ties, signed zeros, NaN and infinities', () => {
    const value = fc.oneof(
      fc.double({ noNaN: false }),
      fc.constantFrom(0, -0, NaN, 1, -1, 2.5, Infinity, -Infinity),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(value, { minLength: 160, maxLength: 160 }),
        (span, trials, pool) => {
          const values = Float64Array.from(pool.slice(0, span * trials));
          sameBands(bands(values, span, trials), bandsByDefinition(values, span, trials));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('flag amounts without Decimal formatting', () => {
  it('equal decOf(f).toFixed(2) for whole fen up to and beyond 10^15', () => {
    const fen = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.maxSafeInteger(),
      fc.integer({ min: 1e15 - 1000, max: 1e15 + 1000 }),
      fc.constantFrom(99, 100, 101, 1e15 - 1, 999_999_999_999_999, -1e15 + 1),
    );
    fc.assert(
      fc.property(fen, (f) => {
        expect(yuanText(f, decOf(f))).toBe(decOf(f).toFixed(2));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decOfDigits builds the Decimal its exponent text parses to', () => {
  /** The same Decimal, digit for digit (sign, exponent and words), not only the same value. */
  const same = (a: Dec, b: Dec) => {
    expect([a.s, a.e, a.d]).toEqual([b.s, b.e, b.d]);
    expect(a.toString()).toBe(b.toString());
  };

  it('hand-worked: an IRR of 15 significant digits, a whole number, a power of ten', () => {
    same(decOfDigits(612345678901234, 16), new Dec('0.0612345678901234'));
    same(decOfDigits(-5, 2), new Dec('-0.05'));
    same(decOfDigits(10_000_000, 0), new Dec('10000000'));
    same(decOfDigits(1, 21), new Dec('1e-21'));
  });

  it('for random safe integers and places 0 … 60', () => {
    const x = fc.oneof(
      fc.maxSafeInteger(),
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.constantFrom(1, -1, 10, 10_000_000, 1e15, 9007199254740991, -9007199254740991),
    );
    fc.assert(
      fc.property(x, fc.integer({ min: 0, max: 60 }), (n, places) => {
        fc.pre(n !== 0);
        same(decOfDigits(n, places), new Dec(`${n}e-${places}`));
      }),
      { numRuns: 3000 },
    );
  });
});
