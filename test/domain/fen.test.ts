import fc from 'fast-check';
import { Dec } from '../../src/domain/decimal';
import { micro } from '../../src/domain/engine/core';
import {
  allocateFen,
  decOf,
  decOfScaled,
  divRound,
  divRoundSafe,
  fenOrNull,
  fenText,
  microRatio,
  mulDivRound,
  mulRound,
  mulRoundToFen,
  npvFen,
  npvFenExact,
  paybackYearsFen,
  paybackYearsFenExact,
  pvRatiosMicro,
  pvRatiosMicroExact,
  ratioMul,
  ratioOf,
  roundToFen,
  roundToFenExact,
} from '../../src/domain/fen';

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

/** Half-up (away from zero) integer division in BigInt, written out independently. */
function divHalfUp(num: bigint, den: bigint): bigint {
  if (den < 0n) return divHalfUp(-num, -den);
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (2n * a + den) / (2n * den);
  return neg ? -q : q;
}

/** A decimal text of a rate/factor with up to `places` decimals in [lo, hi]. */
const decimalIn = (lo: number, hi: number, places: number) =>
  fc
    .integer({ min: Math.round(lo * 10 ** places), max: Math.round(hi * 10 ** places) })
    .map((k) => new Dec(k).div(10 ** places));

/** Flows in fen: small, typical project sizes, and sizes up to 2^52 (the BigInt fallback). */
const flowsArb = fc.array(
  fc.oneof(
    fc.integer({ min: -1000, max: 1000 }),
    fc.integer({ min: -(10 ** 11), max: 10 ** 11 }),
    fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
    fc.constant(0),
  ),
  { minLength: 1, maxLength: 40 },
);

/** Rates: the usual ones, coarse and fine (many digits: large BigInt denominators), and extremes. */
const rateArb = fc.oneof(
  decimalIn(-0.05, 0.2, 3),
  decimalIn(-0.5, 0.5, 12),
  decimalIn(-0.95, 5, 6),
  fc.constantFrom(new Dec(0), new Dec('0.06'), new Dec('-0.999'), new Dec(1000)),
);

describe('float fast paths equal the exact definitions', () => {
  it('roundToFen of products of ratios (revenue × factor), midpoints and huge values included', () => {
    expect(roundToFen(ratioOf(new Dec('0.005')))).toBe(1);
    expect(roundToFen(ratioOf(new Dec('-0.005')))).toBe(-1);
    expect(roundToFen(ratioOf(new Dec('0.00499999999999999999')))).toBe(0);
    expect(roundToFen(ratioMul(ratioOf(new Dec('1.015')), ratioOf(new Dec('0.3'))))).toBe(30);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            decimalIn(-3, 3, 4),
            decimalIn(0.5, 1.5, 16),
            fc.integer({ min: -(10 ** 9), max: 10 ** 9 }).map((k) => new Dec(k).div(200)),
            fc.constantFrom(new Dec('1e200'), new Dec('1e-200'), new Dec('123456789012.345')),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        (factors) => {
          let r = ratioOf(factors[0] as Dec);
          for (const f of factors.slice(1)) r = ratioMul(r, ratioOf(f));
          let expected: number | string;
          try {
            expected = roundToFenExact(r);
          } catch (e) {
            expected = (e as Error).message;
          }
          let got: number | string;
          try {
            got = roundToFen(r);
          } catch (e) {
            got = (e as Error).message;
          }
          expect(got).toBe(expected);
          if (typeof expected === 'number')
            expect(BigInt(expected)).toBe(divHalfUp(r.num * 100n, r.den));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('mulRoundToFen equals roundToFen of the exact product; microRatio the BigInt quotient', () => {
    expect(mulRoundToFen(ratioOf(new Dec('0.5')), ratioOf(new Dec('0.01')))).toBe(1); // 0.5 fen
    expect(mulRoundToFen(ratioOf(new Dec('-0.5')), ratioOf(new Dec('0.01')))).toBe(-1);
    expect(microRatio(2, 3)).toBe(666_667);
    expect(microRatio(-1, 2_000_000)).toBe(-1);
    const factor = fc.oneof(
      decimalIn(0.5, 1.5, 16),
      decimalIn(-2, 2, 3),
      fc.constantFrom(new Dec('1e200'), new Dec('1e-200'), new Dec(0)),
    );
    fc.assert(
      fc.property(
        fc.array(factor, { minLength: 1, maxLength: 6 }),
        factor,
        fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
        fc.integer({ min: 1, max: 2 ** 53 - 1 }),
        (parts, f, num, den) => {
          let r = ratioOf(parts[0] as Dec);
          for (const x of parts.slice(1)) r = ratioMul(r, ratioOf(x));
          const g = ratioOf(f);
          const exact = (fn: () => number) => {
            try {
              return fn();
            } catch (e) {
              return (e as Error).message;
            }
          };
          expect(exact(() => mulRoundToFen(r, g))).toBe(
            exact(() => roundToFenExact(ratioMul(r, g))),
          );
          expect(microRatio(num, den)).toBe(
            Number(divHalfUp(BigInt(num) * 1_000_000n, BigInt(den))),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('mulRound equals BigInt half-up division, where fen × numerator passes 2^53 too', () => {
    // A balance of 120,000,000.00 yuan at 3.8 % + 12.3456 bp (numerator past 2^53 with the fen).
    const rate = ratioOf(new Dec('0.03923456'));
    expect(mulRound(12_000_000_000, rate)).toBe(470_814_720);
    expect(mulRound(-12_000_000_000, rate)).toBe(-470_814_720);
    expect(mulRound(5, ratioOf(new Dec('0.1')))).toBe(1); // 0.5 fen rounds away from zero
    expect(mulRound(-5, ratioOf(new Dec('0.1')))).toBe(-1);
    const ratio = fc.oneof(
      decimalIn(-2, 2, 8),
      decimalIn(0, 0.2, 12),
      decimalIn(-1e6, 1e6, 4),
      fc.constantFrom(new Dec('0.5'), new Dec('-0.5'), new Dec('1e-15')),
    );
    const fen = fc.oneof(
      fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
      fc.integer({ min: -(10 ** 12), max: 10 ** 12 }),
      fc.integer({ min: -1000, max: 1000 }),
    );
    fc.assert(
      fc.property(fen, ratio, (f, x) => {
        const r = ratioOf(x);
        const q = divHalfUp(BigInt(f) * r.num, r.den);
        const safe = q <= BigInt(Number.MAX_SAFE_INTEGER) && q >= -BigInt(Number.MAX_SAFE_INTEGER);
        if (safe) expect(mulRound(f, r)).toBe(Number(q));
        else expect(() => mulRound(f, r)).toThrow('exceeds the exact range');
      }),
      { numRuns: 5000 },
    );
  });

  it('mulDivRound and divRoundSafe equal BigInt half-up division', () => {
    expect(mulDivRound(5, 1, 2)).toBe(3);
    expect(mulDivRound(-5, 1, 2)).toBe(-3);
    expect(mulDivRound(5, 1, -2)).toBe(-3);
    expect(Object.is(mulDivRound(-1, 1, 3), 0)).toBe(true);
    const int = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
    );
    fc.assert(
      fc.property(
        int,
        int,
        int.filter((c) => c !== 0),
        (a, b, c) => {
          const expected = divHalfUp(BigInt(a) * BigInt(b), BigInt(c));
          if (
            expected > BigInt(Number.MAX_SAFE_INTEGER) ||
            -expected > BigInt(Number.MAX_SAFE_INTEGER)
          )
            return;
          expect(mulDivRound(a, b, c)).toBe(Number(expected));
          if (Number.isSafeInteger(a * b) && c > 0)
            expect(divRoundSafe(a * b, c)).toBe(Number(divRound(BigInt(a * b), BigInt(c))));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('npvFen equals the exact NPV, and the BigInt sum written out', () => {
    expect(npvFen([-10000, 5000, 6000], ratioOf(new Dec('0.1')))).toBe(-451); // −9090.91 + 4132.23 + 4507.89 = −450.79
    expect(npvFen([105], ratioOf(new Dec('0.05')))).toBe(100);
    // 1.5 fen exactly: a midpoint, rounded away from zero.
    expect(npvFen([3], ratioOf(new Dec(1)))).toBe(2);
    expect(npvFen([-3], ratioOf(new Dec(1)))).toBe(-2);
    fc.assert(
      fc.property(flowsArb, rateArb, (flows, rate) => {
        const r = ratioOf(rate);
        const a = r.den;
        const b = r.den + r.num;
        const n = flows.length;
        let num = 0n;
        flows.forEach((v, t) => (num += BigInt(v) * a ** BigInt(t + 1) * b ** BigInt(n - 1 - t)));
        const expected = divHalfUp(num, b ** BigInt(n));
        const safe =
          expected <= BigInt(Number.MAX_SAFE_INTEGER) &&
          -expected <= BigInt(Number.MAX_SAFE_INTEGER);
        if (!safe) return;
        expect(npvFen(flows, r)).toBe(Number(expected));
        expect(npvFenExact(flows, r)).toBe(Number(expected));
      }),
      { numRuns: 3000 },
    );
  });

  it('paybackYearsFen (plain and discounted) equals the exact path', () => {
    // −100, 60, 60: cumulative −100, −40, 20: paid back 40/60 = 0.67 into the third year.
    expect(paybackYearsFen([-100, 60, 60], null)).toBe(2.67);
    expect(paybackYearsFen([-100, 60, 40], null)).toBe(3);
    expect(paybackYearsFen([-100, 60, 30], null)).toBeNull();
    const crossing = fc
      .tuple(
        fc.array(fc.integer({ min: -(10 ** 11), max: -1 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: -(10 ** 10), max: 10 ** 11 }), { minLength: 1, maxLength: 30 }),
      )
      .map(([a, b]) => [...a, ...b]);
    fc.assert(
      fc.property(fc.oneof(flowsArb, crossing), fc.option(rateArb), (flows, rate) => {
        const r = rate === null ? null : ratioOf(rate);
        expect(paybackYearsFen(flows, r)).toBe(paybackYearsFenExact(flows, r));
      }),
      { numRuns: 3000 },
    );
  });

  it('pvRatiosMicro equals the exact cover ratios', () => {
    // PV of 110 at 10 % is 100; ÷ 80 → 1.25.
    expect(pvRatiosMicro([110, 121], ratioOf(new Dec('0.1')), [1, 2], 80)).toEqual([
      1_250_000, 2_500_000,
    ]);
    fc.assert(
      fc.property(
        flowsArb,
        rateArb,
        fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 2 ** 52 })),
        fc.nat(),
        (flows, rate, divisor, seed) => {
          const r = ratioOf(rate);
          const counts = [1 + (seed % flows.length), flows.length];
          expect(pvRatiosMicro(flows, r, counts, divisor)).toEqual(
            pvRatiosMicroExact(flows, r, counts, divisor),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('allocateFen over equal weights (straight-line depreciation)', () => {
  it('hands the spare fen to the earliest parts, as the BigInt definition does', () => {
    expect(allocateFen(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateFen(-101, [7, 7, 7])).toEqual([-34, -34, -33]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1e4, max: 1e4 }),
          fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
        ),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.integer({ min: 2, max: 60 }),
        (total, w, n) => {
          const weights = new Array<number>(n).fill(w);
          expect(allocateFen(total, weights)).toEqual(reference(total, weights));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('decOf and micro build the same Decimals as from their text', () => {
  const same = (a: Dec, b: Dec) => {
    expect(a.s).toBe(b.s);
    expect(a.e).toBe(b.e);
    expect(a.d).toEqual(b.d);
    expect(a.toFixed()).toBe(b.toFixed());
  };
  it('for every size of fen amount and of millionths', () => {
    same(decOf(-5), new Dec('-0.05'));
    same(decOf(0), new Dec('0.00'));
    same(decOf(-0), new Dec('0.00'));
    same(micro(1_250_000), new Dec('1.25'));
    // Word edges: a zero word between the units and the cents, whole ten-millions, 2^53 − 1.
    for (const f of [1, 9, 10, 99, 100, 101, 1e9, 1e9 + 5, 1e9 + 50, 123e9, 1e16, 2 ** 53 - 1])
      for (const g of [f, -f]) {
        same(decOf(g), new Dec(fenText(g)));
        expect(decOf(g)).toBeInstanceOf(Dec);
        expect(decOf(g).constructor).toBe(Dec);
      }
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1000, max: 1000 }),
          fc.integer({ min: -(10 ** 15), max: 10 ** 15 }),
          fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
        ),
        (f) => {
          same(decOf(f), new Dec(fenText(f)));
          same(micro(f), new Dec(f).div(1_000_000));
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('decOfScaled builds the Decimal x × 10^−places as decimal.js does', () => {
  it('for every number of places up to 14, with zero words inside and at the ends', () => {
    const same = (a: Dec, b: Dec) => expect([a.s, a.e, a.d]).toEqual([b.s, b.e, b.d]);
    same(decOfScaled(100_000_001, 8), new Dec('1.00000001'));
    same(decOfScaled(-5, 8), new Dec('-0.00000005'));
    same(decOfScaled(12_345_678_901_234, 14), new Dec('0.12345678901234'));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1000, max: 1000 }).filter((x) => x !== 0),
          fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }).filter((x) => x !== 0),
          fc.integer({ min: 1, max: 40 }).map((k) => 10 ** (k % 16) * (k % 2 ? 1 : 7)),
        ),
        fc.integer({ min: 0, max: 14 }),
        (x, places) => same(decOfScaled(x, places), new Dec(x).div(10 ** places)),
      ),
      { numRuns: 5000 },
    );
  });
});

describe('fenOrNull', () => {
  // The definition: yuan × 100 when that is an integer and a safe one, else null.
  const definition = (yuan: Dec): number | null => {
    const fen = yuan.times(100);
    return fen.isInteger() && Number.isSafeInteger(fen.toNumber()) ? fen.toNumber() : null;
  };

  it('takes whole fen exactly and refuses a third decimal or an unsafe amount', () => {
    expect(fenOrNull(new Dec('12345678901.23'))).toBe(1234567890123);
    expect(fenOrNull(new Dec('-0.01'))).toBe(-1);
    expect(fenOrNull(new Dec('-0'))).toBe(0);
    expect(fenOrNull(new Dec('0.005'))).toBeNull();
    expect(fenOrNull(new Dec('90071992547409.91'))).toBe(9007199254740991);
    expect(fenOrNull(new Dec('90071992547409.92'))).toBeNull();
  });

  it('equals its definition for any amount of up to 4 decimals, small or near the limits', () => {
    const fen = fc.oneof(
      fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
      fc.bigInt({ min: 2n ** 49n, max: 2n ** 54n }),
      fc.bigInt({ min: -1000000n, max: 1000000n }),
    );
    fc.assert(
      fc.property(fen, fc.integer({ min: 0, max: 4 }), (units, places) => {
        const yuan = new Dec(units.toString()).div(10 ** places);
        expect(fenOrNull(yuan)).toBe(definition(yuan));
      }),
      { numRuns: 2000 },
    );
  });
});
