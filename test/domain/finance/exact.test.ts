import fc from 'fast-check';
import { Dec, toDec } from '../../../src/domain/decimal';
import { DomainError } from '../../../src/domain/errors';
import { irr, solveIrr } from '../../../src/domain/finance';
import {
  evalCompensated,
  evalExact,
  fixedOfDouble,
  partsOfDec,
  partsOfText,
  roundRate,
  scaleToIntegers,
} from '../../../src/domain/finance/exact';

/**
 * The exact (integer) confirmation of IRR and the readers behind it. Reference arithmetic here is
 * Decimal with 200 significant digits, far more than any value below needs, so it is exact.
 */
const Big = Dec.clone({ precision: 200 });
const big = (x: Dec | string | bigint): Dec => new Big(typeof x === 'bigint' ? x.toString() : x);

/** Σ v_i (1+r)^(−i) and Σ |v_i| (1+r)^(−i), exactly (200 digits; every input has few). */
function npvAndScale(values: readonly string[], rate: Dec): { f: Dec; s: Dec } {
  const y = big(rate).plus(1);
  let f = big('0');
  let s = big('0');
  // Backward form, multiplied through by y^(n−1): Σ v_i y^(n−1−i), no division at all.
  for (const v of values) {
    f = f.times(y).plus(big(v));
    s = s.times(y).plus(big(v).abs());
  }
  return { f, s };
}

/** Half a unit in the 15th significant digit of a rate (of 1 + rate below about −90 %). */
function halfUnit(rate: Dec): Dec {
  const y = big(rate).plus(1);
  const ofY = 14 - y.e;
  const ofR = rate.isZero() ? 0 : 14 - big(rate).e;
  return big('10').pow(-Math.max(ofY, ofR)).div(2);
}

const cents = (lo: number, hi: number) =>
  fc.integer({ min: lo, max: hi }).map((c) => new Dec(c).div(100).toString());

/** Outlays, then inflows: exactly one sign change, so exactly one root. */
const conventionalFlows = fc
  .tuple(
    fc.array(cents(-100_000_000, -1), { minLength: 1, maxLength: 3 }),
    fc.array(cents(0, 50_000_000), { minLength: 1, maxLength: 40 }),
  )
  .filter(([, ins]) => ins.some((v) => new Dec(v).gt(0)))
  .map(([outs, ins]) => [...outs, ...ins]);

describe('IRR is confirmed exactly at the rate it returns', () => {
  it('|NPV| ≤ 1e-10 × Σ|discounted flows| at the returned, rounded rate, with no slack', () => {
    fc.assert(
      fc.property(conventionalFlows, (values) => {
        const r = solveIrr(values.map((v) => new Dec(v)));
        expect(r.status).toBe('ok');
        const { f, s } = npvAndScale(values, r.rate as Dec);
        expect(f.abs().lte(s.times('1e-10'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the rate is the root correctly rounded: the NPV changes sign within half a unit of it', () => {
    fc.assert(
      fc.property(conventionalFlows, (values) => {
        const rate = solveIrr(values.map((v) => new Dec(v))).rate as Dec;
        const h = halfUnit(rate);
        const lo = npvAndScale(values, big(rate).minus(h)).f;
        const hi = npvAndScale(values, big(rate).plus(h)).f;
        expect(lo.isZero() || hi.isZero() || lo.isNegative() !== hi.isNegative()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it.each<[string, string, string]>([
    // Flows 1, −y0, 1, −y0 are (y − y0)(y² + 1) in y = 1 + r: the one root is y0 exactly, and each
    // y0 below puts the rate exactly on, or a hair off, a midpoint of the 15th digit.
    ['a tie rounds half-up (away from zero)', '1.1234567890123455', '0.123456789012346'],
    ['just below a tie rounds down', '1.12345678901234549999999', '0.123456789012345'],
    ['just above a tie rounds up', '1.12345678901234550000001', '0.123456789012346'],
    ['a negative tie rounds away from zero', '0.8765432109876545', '-0.123456789012346'],
    [
      'a tie far right of the point',
      '1.0000000000000000012345678901234565',
      '1.23456789012346e-18',
    ],
    [
      'a tie in 1 + rate near −100 %',
      '0.00000000012345678901234565',
      '-0.999999999876543210987654',
    ],
  ])('%s', (_, y0, expected) => {
    const r = solveIrr(['1', `-${y0}`, '1', `-${y0}`].map((v) => new Dec(v)));
    expect(r.rate?.eq(expected)).toBe(true);
    expect(r.roots).toHaveLength(1);
  });

  it('returns exactly 0 when the flows sum to zero', () => {
    const r = solveIrr(['-0.82', '0.75', '-0.23', '0.46', '0', '-0.16'].map((v) => new Dec(v)));
    expect(r.roots.map(String)).toEqual(['-0.374453565185708', '0']);
  });

  it('handles integers beyond 2^53 (no exact float), gaps, mixed exponents and huge rates', () => {
    const cases: string[][] = [
      [
        '-123456789012345678.91',
        '12345678901234567.89',
        '23456789012345678.9',
        '34567890123456789.01',
        '45678901234567890.12',
        '56789012345678901.23',
      ],
      ['-100', '0', '0', '50', '0', '60', '10'],
      ['-1000', '0.001', '1e3', '250.5'],
      ['-1', '9999', ...Array.from({ length: 58 }, () => '1')],
    ];
    for (const values of cases) {
      const rate = irr(values);
      expect(rate.eq(solveIrr(values.map((v) => new Dec(v))).rate as Dec)).toBe(true);
      const { f, s } = npvAndScale(values, rate);
      expect(f.abs().lte(s.times('1e-10'))).toBe(true);
      const h = halfUnit(rate);
      const lo = npvAndScale(values, big(rate).minus(h)).f;
      const hi = npvAndScale(values, big(rate).plus(h)).f;
      expect(lo.isNegative() !== hi.isNegative()).toBe(true);
    }
  });
});

describe('irr reads text straight into exact parts', () => {
  it('accepts every form toDec accepts, with the same result as Decimals', () => {
    const text = [' -100 ', '+39', '59.', '.55e2', '2E1'];
    expect(irr(text).eq(solveIrr(text.map((t) => new Dec(t.trim()))).rate as Dec)).toBe(true);
    expect(irr(text).toString()).toBe('0.280948421159961');
  });

  it.each<[unknown, string]>([
    ['12,50', 'values[1]: expected a decimal number, got "12,50"'],
    [0.5, 'values[1]: expected a decimal string, got the binary number 0.5'],
    ['1e99999999999999999', 'values[1]: must be a finite number'],
    ['', 'values[1]: expected a decimal number, got ""'],
    ['.', 'values[1]: expected a decimal number, got "."'],
    ['1e', 'values[1]: expected a decimal number, got "1e"'],
  ])('rejects %p as readValues does', (bad, message) => {
    let err: unknown;
    try {
      irr(['-100', bad as string, '60']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('invalid-argument');
    expect((err as DomainError).message).toBe(message);
  });
});

describe('exact readers and arithmetic', () => {
  const decimalText = fc
    .tuple(
      fc.constantFrom('', '+', '-'),
      fc.stringMatching(/^\d{0,25}$/),
      fc.option(fc.stringMatching(/^\d{0,25}$/)),
      fc.option(
        fc.tuple(
          fc.constantFrom('e', 'E'),
          fc.constantFrom('', '+', '-'),
          fc.integer({ min: 0, max: 400 }),
        ),
      ),
    )
    .map(([sign, int, frac, exp]) => {
      let t = sign + int;
      if (frac !== null) t += `.${frac}`;
      if (exp !== null) t += `${exp[0]}${exp[1]}${exp[2]}`;
      return t;
    });

  it('partsOfText accepts exactly what toDec accepts, with the same value and the nearest float', () => {
    fc.assert(
      fc.property(fc.oneof(decimalText, fc.string({ maxLength: 8 })), (t) => {
        let d: Dec | null = null;
        try {
          d = toDec(t);
        } catch {
          d = null;
        }
        // irr trims before reading, as toDec does.
        const p = partsOfText(t.trim());
        if (d === null) {
          expect(p).toBeNull();
          return;
        }
        expect(p).not.toBeNull();
        const q = p as NonNullable<typeof p>;
        expect(big(q.coef).times(big('10').pow(q.exp)).eq(big(d))).toBe(true);
        expect(Object.is(q.f, Number(t.trim())) || (q.f === 0 && Number(t.trim()) === 0)).toBe(
          true,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('partsOfDec reads any finite Decimal exactly, with its nearest float', () => {
    fc.assert(
      fc.property(decimalText, (t) => {
        let d: Dec;
        try {
          d = toDec(t);
        } catch {
          return;
        }
        const p = partsOfDec(d);
        expect(big(p.coef).times(big('10').pow(p.exp)).eq(big(d))).toBe(true);
        expect(p.f === Number(d.toString()) || (p.f === 0 && d.isZero())).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('fixedOfDouble is the float exactly', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (x) => {
        const { n, d } = fixedOfDouble(x);
        expect(Number(`${n}e-${d}`)).toBe(x);
        // n / 10^d = m / 2^d: n is divisible by 5^d exactly when the decimal is the binary fraction.
        if (d > 0) expect(n % 5n ** BigInt(d)).toBe(0n);
      }),
      { numRuns: 500 },
    );
  });

  const intFlows = fc.array(fc.integer({ min: -1e8, max: 1e8 }), { minLength: 2, maxLength: 40 });

  it('evalExact is Q(w)·10^(dE) and S(w)·10^(dE) exactly, whichever sign is the minority', () => {
    fc.assert(
      fc.property(intFlows, fc.integer({ min: 1, max: 3_000_000 }), (flows, wMicro) => {
        const a = flows.map(BigInt);
        const e = flows.map((_, i) => i);
        const E = flows.length - 1;
        const w = { n: BigInt(wMicro), d: 6 };
        const got = evalExact(a, e, E, w, true);
        let p = 0n;
        let s = 0n;
        a.forEach((ak, k) => {
          const t = ak * w.n ** BigInt(E - k) * 10n ** BigInt(6 * k);
          p += t;
          s += t < 0n ? -t : t;
        });
        expect(got).toEqual({ p, s });
      }),
      { numRuns: 300 },
    );
  });

  it('evalExact splits long schedules in halves with the same exact result', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -1e6, max: 1e6 }).filter((v) => v !== 0),
          {
            minLength: 130,
            maxLength: 300,
          },
        ),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 300, maxLength: 300 }),
        fc.integer({ min: 1, max: 3_000_000 }),
        (flows, gaps, wMicro) => {
          const e: number[] = [];
          flows.forEach((_, i) => e.push(i === 0 ? 0 : (e[i - 1] as number) + (gaps[i] as number)));
          const E = e[e.length - 1] as number;
          const w = { n: BigInt(wMicro), d: 6 };
          // Mixed signs (both sums in full) and one outflow in seven (the minority's terms alone).
          const mostlyIn = flows.map((v, i) => (i % 7 === 0 ? -Math.abs(v) : Math.abs(v)));
          for (const amounts of [flows, mostlyIn]) {
            const a = amounts.map(BigInt);
            let p = 0n;
            let s = 0n;
            a.forEach((ak, k) => {
              const ek = e[k] as number;
              const t = ak * w.n ** BigInt(E - ek) * 10n ** BigInt(6 * ek);
              p += t;
              s += t < 0n ? -t : t;
            });
            expect(evalExact(a, e, E, w, true)).toEqual({ p, s });
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('evalCompensated is within its stated bound of the exact value', () => {
    fc.assert(
      fc.property(intFlows, fc.double({ min: 0.05, max: 1, noNaN: true }), (flows, v) => {
        const a = Float64Array.from(flows);
        const got = evalCompensated(a, false, v);
        const { n, d } = fixedOfDouble(v);
        const E = flows.length - 1;
        const exact = evalExact(
          flows.map(BigInt),
          flows.map((_, i) => i),
          E,
          { n, d },
          false,
        ).p;
        // The float's exact value (its shortest text may be half an ulp away).
        const fx = got.f === 0 ? { n: 0n, d: 0 } : fixedOfDouble(Math.abs(got.f));
        const f = big(fx.n)
          .div(big('10').pow(fx.d))
          .times(got.f < 0 ? -1 : 1);
        const err = f.minus(big(exact).div(big('10').pow(d * E)));
        expect(err.abs().lte(big(got.bound.toString()))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('roundRate rounds like Decimal: 15 digits of r, or of 1 + r below about −90 %', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 40n }),
        fc.integer({ min: 0, max: 45 }),
        (n, d) => {
          const y = big(n).div(big('10').pow(d));
          const r = y.minus(1);
          const ofY = 14 - y.e;
          const ofR = r.isZero() ? 0 : 14 - r.e;
          const expected =
            ofY <= ofR
              ? r.toSignificantDigits(15, Dec.ROUND_HALF_UP)
              : y.toSignificantDigits(15, Dec.ROUND_HALF_UP).minus(1);
          const rr = roundRate({ n, d }, 15);
          const value = big(rr.q).times(big('10').pow(-rr.places));
          expect((rr.of === 'r' ? value : value.minus(1)).eq(expected)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('scaleToIntegers puts every flow over the smallest power of ten', () => {
    const parts = ['1.5', '-0.25', '3e2', '0'].map(
      (t) => partsOfText(t) as NonNullable<ReturnType<typeof partsOfText>>,
    );
    const { ints, floats } = scaleToIntegers(parts);
    expect(ints).toEqual([150n, -25n, 30000n, 0n]);
    expect(Array.from(floats as Float64Array)).toEqual([150, -25, 30000, 0]);
    expect(
      scaleToIntegers([
        partsOfText('123456789012345678') as NonNullable<ReturnType<typeof partsOfText>>,
      ]).floats,
    ).toBeNull();
  });
});
