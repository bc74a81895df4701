import { Dec } from '../../../src/domain/decimal';
import { DomainError } from '../../../src/domain/errors';
import { finance, solveIrr } from '../../../src/domain/finance';

/**
 * The reference table of src/domain/README.md, "Excel-compatible financial functions", every row.
 *
 * `tolerance` is half a unit in the last place the reference states, so a row written to 2 decimals
 * passes when our exact value rounds to it. Three references are Excel's own floating-point output and
 * are off from the true value in their last digits; for those the tolerance is stated and explained:
 * - IRR(−20, 100, 10, 5, 6, 5) = 4.1100355683238137 is a double print; the root is 4.1100355683238202…
 *   (6e-15 away), so 1e-14 absolute.
 * - XIRR = 0.373362535 is what Excel's XIRR (tolerance ~1e-8) returns; the root is 0.37336253351883151…,
 *   so 2e-9 absolute.
 * - PPMT(0.08, 10, 10, 200000) = −27598.05346242135 is a double print; the exact value is
 *   −27598.05346242137545…, so 1e-10 absolute (relative 4e-15).
 * The `exact` column holds the values computed independently with 60-digit decimal arithmetic
 * (Python's decimal module: bisection to 200 halvings for the rates, the defining sums for the rest);
 * our results must match them to the stated `exactTolerance`: half a unit in the 15th significant
 * digit for rates (they are returned correctly rounded to 15 significant digits), 1e-30 absolute for
 * amounts (returned unrounded, 40 significant digits).
 */
const XIRR_DATES = ['2008-01-01', '2008-03-01', '2008-10-30', '2009-02-15', '2009-04-01'];
const XIRR_VALUES = [-10000, 2750, 4250, 3250, 2750];

interface Row {
  call: string;
  run: () => Dec;
  expected: string;
  tolerance: string;
  exact: string;
  exactTolerance: string;
}

/** Half a unit in the 15th significant digit of `exact`: a rate rounded correctly to 15 digits is this close. */
const rate = (exact: string): string =>
  new Dec(10)
    .pow(new Dec(exact).e - 14)
    .div(2)
    .toString();
const rows: Row[] = [
  {
    call: 'NPV(0.1, −10000, 3000, 4200, 6800)',
    run: () => finance.npv('0.1', [-10000, 3000, 4200, 6800]),
    expected: '1188.44',
    tolerance: '0.005',
    exact: '1188.443412335223003893176695580902943787',
    exactTolerance: '1e-30',
  },
  {
    call: 'IRR(−75000, 12000, 15000, 18000, 21000, 24000)',
    run: () => finance.irr([-75000, 12000, 15000, 18000, 21000, 24000]),
    expected: '0.05715142887178467',
    tolerance: '1e-15',
    exact: '0.0571514288717845376918310277460903',
    exactTolerance: rate('0.0571514288717845376918310277460903'),
  },
  {
    call: 'IRR(−70000, 12000, 15000, 18000, 21000)',
    run: () => finance.irr([-70000, 12000, 15000, 18000, 21000]),
    expected: '-0.0212448483',
    tolerance: '0.00000000005',
    exact: '-0.0212448482734109910310502248385728',
    exactTolerance: rate('0.0212448482734109910310502248385728'),
  },
  {
    call: 'IRR(−70000, 12000, 15000, 18000, 21000, 26000)',
    run: () => finance.irr([-70000, 12000, 15000, 18000, 21000, 26000]),
    expected: '0.0866309480',
    tolerance: '0.00000000005',
    exact: '0.0866309480365316142930942025084777',
    exactTolerance: rate('0.0866309480365316142930942025084777'),
  },
  {
    call: 'IRR(−100, 39, 59, 55, 20)',
    run: () => finance.irr([-100, 39, 59, 55, 20]),
    expected: '0.28094842116',
    tolerance: '0.000000000005',
    exact: '0.280948421159961104576561951345180594',
    exactTolerance: rate('0.280948421159961104576561951345180594'),
  },
  {
    call: 'IRR(−20, 100, 10, 5, 6, 5)',
    run: () => finance.irr([-20, 100, 10, 5, 6, 5]),
    expected: '4.1100355683238137',
    tolerance: '1e-14',
    exact: '4.11003556832382025139268164077368516',
    exactTolerance: rate('4.11003556832382025139268164077368516'),
  },
  {
    call: 'XNPV(0.09; −10000, 2750, 4250, 3250, 2750; 2008-01-01 … 2009-04-01)',
    run: () => finance.xnpv('0.09', XIRR_VALUES, XIRR_DATES),
    expected: '2086.647602',
    tolerance: '0.0000005',
    exact: '2086.64760203153662166361009431414408687',
    exactTolerance: '1e-30',
  },
  {
    call: 'XIRR, same flows and dates',
    run: () => finance.xirr(XIRR_VALUES, XIRR_DATES),
    expected: '0.373362535',
    tolerance: '2e-9',
    exact: '0.373362533518831510308455411914554824',
    exactTolerance: rate('0.373362533518831510308455411914554824'),
  },
  {
    call: 'PMT(0.08/12, 10, 10000)',
    run: () => finance.pmt(new Dec('0.08').div(12), 10, 10000),
    expected: '-1037.03',
    tolerance: '0.005',
    exact: '-1037.03208935915217565209482932428271324',
    exactTolerance: '1e-30',
  },
  {
    call: 'PMT(0.08/12, 10, 10000, 0, 1)',
    run: () => finance.pmt(new Dec('0.08').div(12), 10, 10000, 0, 1),
    expected: '-1030.16',
    tolerance: '0.005',
    exact: '-1030.16432717796573740274320793802918534',
    exactTolerance: '1e-30',
  },
  {
    call: 'IPMT(0.1, 3, 3, 8000)',
    run: () => finance.ipmt('0.1', 3, 3, 8000),
    expected: '-292.447129909366',
    tolerance: '0.0000000000005',
    exact: '-292.447129909365558912386706948640483384',
    exactTolerance: '1e-30',
  },
  {
    call: 'PPMT(0.08, 10, 10, 200000)',
    run: () => finance.ppmt('0.08', 10, 10, 200000),
    expected: '-27598.05346242135',
    tolerance: '1e-10',
    exact: '-27598.0534624213754586355453967651746800',
    exactTolerance: '1e-30',
  },
];

describe('src/domain/README.md reference values (Excel-compatible financial functions)', () => {
  it.each(rows)('$call = $expected (± $tolerance)', ({ run, expected, tolerance }) => {
    expect(run().minus(expected).abs().lte(tolerance)).toBe(true);
  });

  it.each(rows)(
    '$call matches the 60-digit value $exact (± $exactTolerance)',
    ({ run, exact, exactTolerance }) => {
      const got = run();
      expect({ got: got.toString(), ok: got.minus(exact).abs().lte(exactTolerance) }).toEqual({
        got: got.toString(),
        ok: true,
      });
    },
  );

  it('IRR(20, 5, 5, 5, 5, 5) has no solution', () => {
    expect(() => finance.irr([20, 5, 5, 5, 5, 5])).toThrow(DomainError);
    try {
      finance.irr([20, 5, 5, 5, 5, 5]);
    } catch (e) {
      expect((e as DomainError).code).toBe('no-solution');
    }
    expect(solveIrr([20, 5, 5, 5, 5, 5].map((v) => new Dec(v)))).toEqual({
      status: 'no-solution',
      rate: null,
      signChanges: 0,
      multiple: false,
      roots: [],
    });
  });
});
