import fc from 'fast-check';
import { DRIVER_KINDS, type DriverName } from '../../../src/domain/risk/drivers';
import { driverValue, driverValueExact } from '../../../src/domain/risk/montecarlo';
import type { Dec } from '../../../src/domain/decimal';

const driver = (base: keyof typeof DRIVER_KINDS): DriverName => ({
  name: base,
  base,
  target: null,
  kind: DRIVER_KINDS[base],
});

/** The same Decimal, digit for digit (sign, exponent and words), not only the same value. */
const same = (a: Dec, b: Dec) => {
  expect([a.s, a.e, a.d]).toEqual([b.s, b.e, b.d]);
  expect(a.toString()).toBe(b.toString());
};

describe('driverValue in floats equals its Decimal definition', () => {
  it('hand-worked: 17 digits, clamped, to 8 places (factors) or 4 (basis points), half-up', () => {
    expect(driverValue(driver('revenue'), 0.123456785).toString()).toBe('0.12345679');
    expect(driverValue(driver('revenue'), 1.000000005).toString()).toBe('1.00000001');
    expect(driverValue(driver('revenue'), 0.05).toString()).toBe('0.1');
    expect(driverValue(driver('rate'), -49.99996).toString()).toBe('-50');
    expect(driverValue(driver('rate'), 123.456789).toString()).toBe('123.4568');
    expect(driverValue(driver('delay'), 2).toString()).toBe('2');
  });

  it('for samples of every kind, at the edges of the range and on rounding midpoints', () => {
    const bases = Object.keys(DRIVER_KINDS) as Array<keyof typeof DRIVER_KINDS>;
    const sample = fc.oneof(
      fc.double({ min: -400, max: 600, noNaN: true }),
      fc.double({ min: -0.1, max: 3.5, noNaN: true }),
      // Midpoints of the 8th and 4th places, and values a hair from them.
      fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map((k) => (k + 0.5) / 1e8),
      fc.integer({ min: -5_000_000, max: 5_000_000 }).map((k) => (k + 0.5) / 1e4),
      fc.constantFrom(0, -0, 0.1, 3, 0.5, -300, 500, 1e-12, -1e-12, 5, 1 + 2 ** -52),
    );
    fc.assert(
      fc.property(fc.constantFrom(...bases), sample, (base, x) => {
        const d = driver(base);
        same(driverValue(d, x), driverValueExact(d.kind, x));
      }),
      { numRuns: 20_000 },
    );
  });
});
