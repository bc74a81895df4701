import fc from 'fast-check';
import { Dec } from '../../../src/domain/decimal';
import { finance, solveIrr, solveXirr } from '../../../src/domain/finance';

/**
 * Invariants over random inputs (fast-check). Amounts are integer cents written as decimal strings,
 * rates micro-units, so every input is exact.
 */
const centsText = (lo: number, hi: number) =>
  fc.integer({ min: lo, max: hi }).map((c) => new Dec(c).div(100).toString());
const rateText = (lo: number, hi: number) =>
  fc.integer({ min: lo, max: hi }).map((m) => new Dec(m).div(1e6).toString());

/** Build years of outlays, then inflows (some zero): exactly one sign change. */
const conventionalFlows = fc
  .tuple(
    fc.array(centsText(-100_000_000, -1), { minLength: 1, maxLength: 3 }),
    fc.array(centsText(0, 50_000_000), { minLength: 1, maxLength: 60 }),
  )
  .filter(([, ins]) => ins.some((v) => new Dec(v).gt(0)))
  .map(([outs, ins]) => [...outs, ...ins]);

/** Σ v_i (1+r)^(−i), Σ |v_i| (1+r)^(−i) and Σ i |v_i| (1+r)^(−i−1), in Decimal. */
function npvAndScale(values: string[], rate: Dec): { f: Dec; s: Dec; slope: Dec } {
  const x = new Dec(1).div(rate.plus(1));
  let f = new Dec(0);
  let s = new Dec(0);
  let slope = new Dec(0);
  let xi = new Dec(1);
  values.forEach((v, i) => {
    const d = new Dec(v);
    f = f.plus(d.times(xi));
    s = s.plus(d.abs().times(xi));
    slope = slope.plus(d.abs().times(i).times(xi).times(x));
    xi = xi.times(x);
  });
  return { f, s, slope };
}

/**
 * The solver's promise: |NPV| ≤ 1e-10 × Σ|discounted flows| at the root, plus what rounding the
 * returned rate to 15 significant digits can add (|dNPV/dr| × half a unit in the 15th digit).
 */
function isRoot(values: string[], rate: Dec): boolean {
  const { f, s, slope } = npvAndScale(values, rate);
  const halfUnit = new Dec(10).pow(Dec.max(rate.abs(), new Dec('1e-300')).e - 14).div(2);
  return f.abs().lte(s.times('1e-10').plus(slope.times(halfUnit)));
}

describe('IRR properties', () => {
  it('for conventional flows returns the one root, with NPV ≈ 0 relative to the flows', () => {
    fc.assert(
      fc.property(conventionalFlows, (values) => {
        const res = solveIrr(values.map((v) => new Dec(v)));
        expect(res.status).toBe('ok');
        expect(res.signChanges).toBe(1);
        expect(res.multiple).toBe(false);
        expect(res.roots).toHaveLength(1);
        expect(isRoot(values, res.rate as Dec)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never returns a rate ≤ −1, and every root it returns is a root', () => {
    const anyFlows = fc.array(
      fc.oneof(
        centsText(-1_000_000, 1_000_000),
        centsText(-100, 100),
        fc.constant('0'),
        centsText(-1, 1),
      ),
      { minLength: 1, maxLength: 25 },
    );
    fc.assert(
      fc.property(anyFlows, (values) => {
        const res = solveIrr(values.map((v) => new Dec(v)));
        if (res.status === 'ok') {
          expect(res.rate !== null && res.roots.some((r) => r.eq(res.rate as Dec))).toBe(true);
        } else {
          expect(res.rate).toBeNull();
        }
        for (const r of res.roots) {
          expect(r.gt(-1)).toBe(true);
          expect(isRoot(values, r)).toBe(true);
        }
        expect(res.multiple).toBe(res.roots.length > 1);
        if (res.signChanges <= 1) expect(res.roots.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('finds rates near −100 % (tiny returns on a large outlay) above −1', () => {
    const nearMinusOne = fc.tuple(
      fc.integer({ min: 1, max: 1e9 }),
      fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 20 }),
    );
    fc.assert(
      fc.property(nearMinusOne, ([outlay, ins]) => {
        const values = [String(-outlay * 1000), ...ins.map((c) => new Dec(c).div(100).toString())];
        const r = finance.irr(values);
        expect(r.gt(-1)).toBe(true);
        expect(isRoot(values, r)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('XIRR on flows exactly 365 days apart equals IRR', () => {
    fc.assert(
      fc.property(conventionalFlows, fc.integer({ min: 0, max: 20000 }), (values, startDay) => {
        const start = Date.UTC(1990, 0, 1) + startDay * 86_400_000;
        const dates = values.map((_, i) =>
          new Date(start + i * 365 * 86_400_000).toISOString().slice(0, 10),
        );
        const a = solveIrr(values.map((v) => new Dec(v))).rate as Dec;
        const b = solveXirr(
          values.map((v) => new Dec(v)),
          dates,
        ).rate as Dec;
        expect(b.minus(a).abs().lte(a.abs().plus(1).times('1e-13'))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('XNPV at the XIRR is ≈ 0 relative to the discounted flows', () => {
    const dated = conventionalFlows.chain((values) =>
      fc.tuple(
        fc.constant(values),
        fc.array(fc.integer({ min: 1, max: 400 }), {
          minLength: values.length - 1,
          maxLength: values.length - 1,
        }),
      ),
    );
    fc.assert(
      fc.property(dated, ([values, gaps]) => {
        let t = Date.UTC(2020, 0, 15);
        const dates = [new Date(t).toISOString().slice(0, 10)];
        for (const g of gaps) {
          t += g * 86_400_000;
          dates.push(new Date(t).toISOString().slice(0, 10));
        }
        const r = finance.xirr(values, dates);
        const f = finance.xnpv(r, values, dates);
        const s = finance.xnpv(
          r,
          values.map((v) => new Dec(v).abs()),
          dates,
        );
        expect(f.abs().lte(s.times('1e-9'))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('PMT / IPMT / PPMT properties', () => {
  const loan = fc.record({
    rate: fc.oneof(rateText(-20_000, 200_000), fc.constant('0')),
    nper: fc.integer({ min: 1, max: 120 }),
    pv: centsText(-100_000_000, 100_000_000),
    fv: fc.oneof(fc.constant('0'), centsText(-10_000_000, 10_000_000)),
    type: fc.constantFrom(0, 1),
  });

  it('IPMT + PPMT = PMT in every period', () => {
    fc.assert(
      fc.property(loan, ({ rate, nper, pv, fv, type }) => {
        const pmt = finance.pmt(rate, nper, pv, fv, type);
        for (let per = 1; per <= nper; per++) {
          const sum = finance
            .ipmt(rate, per, nper, pv, fv, type)
            .plus(finance.ppmt(rate, per, nper, pv, fv, type));
          expect(sum.minus(pmt).abs().lte(pmt.abs().plus(1).times('1e-30'))).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it.each([0, 1])('with fv = 0 and type %i, the PPMTs of all periods sum to −pv', (type) => {
    fc.assert(
      fc.property(loan, ({ rate, nper, pv }) => {
        let total = new Dec(0);
        for (let per = 1; per <= nper; per++)
          total = total.plus(finance.ppmt(rate, per, nper, pv, 0, type));
        expect(total.plus(pv).abs().lte(new Dec(pv).abs().plus(1).times('1e-25'))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
