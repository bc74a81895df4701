import { Dec, type DecimalInput } from '../../../src/domain/decimal';
import { DomainError } from '../../../src/domain/errors';
import {
  finance,
  ipmt,
  irr,
  npv,
  pmt,
  ppmt,
  solveIrr,
  solveXirr,
  xirr,
  xnpv,
} from '../../../src/domain/finance';

const decs = (xs: Array<number | string>): Dec[] => xs.map((x) => new Dec(x));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
}

describe('finance module shape', () => {
  it('exports the Excel functions under finance and individually', () => {
    expect(Object.keys(finance).sort()).toEqual([
      'ipmt',
      'irr',
      'npv',
      'pmt',
      'ppmt',
      'xirr',
      'xnpv',
    ]);
    expect(finance.irr).toBe(irr);
    expect(finance.npv).toBe(npv);
  });
});

describe('bad arguments throw DomainError invalid-argument', () => {
  const D = ['2024-01-01', '2024-06-01'];
  it.each<[string, () => unknown]>([
    ['npv: rate −1', () => npv(-1, [1, 2])],
    ['npv: empty values', () => npv('0.1', [])],
    ['npv: binary fraction', () => npv(0.1, [1])],
    ['npv: text', () => npv('0.1', ['12,50' as DecimalInput])],
    ['npv: NaN Decimal', () => npv(new Dec(NaN), [1])],
    ['xnpv: rate −1', () => xnpv(-1, [1, 2], D)],
    ['xnpv: lengths differ', () => xnpv('0.1', [1, 2, 3], D)],
    ['xnpv: not a calendar date', () => xnpv('0.1', [1, 2], ['2023-01-01', '2023-02-30'])],
    ['xnpv: wrong date format', () => xnpv('0.1', [1, 2], ['2023-01-01', '01/03/2023'])],
    ['xnpv: date before the first', () => xnpv('0.1', [1, 2], ['2023-01-02', '2023-01-01'])],
    ['irr: empty', () => irr([])],
    ['irr: guess −1', () => irr([-1, 2], -1)],
    ['irr: guess text', () => irr([-1, 2], 'ten percent')],
    ['xirr: lengths differ', () => xirr([-1, 2], ['2024-01-01'])],
    ['xirr: bad date', () => xirr([-1, 2], ['2024-01-01', '2024-13-01'])],
    ['solveIrr: non-finite Decimal', () => solveIrr([new Dec(-1), new Dec(Infinity)])],
    ['solveXirr: guess −2', () => solveXirr(decs([-1, 2]), D, -2)],
    ['pmt: nper 0', () => pmt('0.1', 0, 100)],
    ['pmt: type 2', () => pmt('0.1', 10, 100, 0, 2)],
    ['pmt: zero annuity factor', () => pmt(-2, 2, 100)],
    ['ipmt: per 0', () => ipmt('0.1', 0, 3, 100)],
    ['ipmt: per > nper', () => ipmt('0.1', 4, 3, 100)],
    ['ppmt: per > nper', () => ppmt('0.1', 11, 10, 100)],
    ['irr: amount beyond 1e300', () => irr(['-1e301', '1', '1'])],
  ])('%s', (_, fn) => {
    expect(codeOf(fn)).toBe('invalid-argument');
  });

  it('names the argument in the error', () => {
    try {
      pmt('0.1', 10, 'abc');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).message).toMatch(/^pv:/);
      expect((e as DomainError).context).toMatchObject({ argument: 'pv' });
    }
    expect.assertions(3);
  });
});

describe('IRR and XIRR edge cases', () => {
  // Expected values are exact by construction or were checked with 50-digit decimal arithmetic
  // (Python's decimal module, bisection); rates are rounded to 15 significant digits.
  it.each<[string, Array<number | string>, string]>([
    ['two flows, closed form, exact', [-100, 110], '0.1'],
    ['leading zero flows are ignored', [0, 0, -100, 110], '0.1'],
    ['trailing zero flows are ignored', [-100, 110, 0, 0], '0.1'],
    ['three flows, quadratic, exact', [-100, 0, 121], '0.1'],
    ['three flows with a gap in the middle', [-1, 0, 4], '1'],
    ['a rate of exactly zero', [-100, 50, 50], '0'],
    ['a rate near 1000 × (100 000 %)', [-1, 1000, 1000, 1000], '999.999999002994'],
    [
      '1 + rate of 1e-16: kept above −1 with 15 digits of 1 + rate',
      ['-1e16', 1],
      '-0.9999999999999999',
    ],
  ])('%s', (_, flows, expected) => {
    expect(irr(flows).toString()).toBe(expected);
  });

  it('reports every root and picks the one nearest the guess', () => {
    const r = solveIrr(decs([-1600, 10000, -10000]));
    expect(r).toMatchObject({ status: 'ok', signChanges: 2, multiple: true });
    expect(r.roots.map(String)).toEqual(['0.25', '4']);
    expect(String(r.rate)).toBe('0.25');
    expect(String(solveIrr(decs([-1600, 10000, -10000]), 3).rate)).toBe('4');
    expect(String(irr([-1600, 10000, -10000], '2.5'))).toBe('4');
  });

  it('finds three roots of a cubic with roots at 10 %, 20 % and 30 %', () => {
    // (y − 1.1)(y − 1.2)(y − 1.3) with y = 1 + r, times −1000.
    const r = solveIrr(decs([-1000, 3600, -4310, 1716]));
    expect(r.roots.map(String)).toEqual(['0.1', '0.2', '0.3']);
    expect(String(r.rate)).toBe('0.1');
    expect(String(solveIrr(decs([-1000, 3600, -4310, 1716]), '0.26').rate)).toBe('0.3');
  });

  it('finds two roots 0.1 % apart inside one grid cell', () => {
    // (y − 1.10)(y − 1.101)(y + 1) · 1e6 in time order: two sign changes, roots 10 % and 10.1 %.
    const flows = ['1000000', '-1201000', '-989900', '1211100'];
    const r = solveIrr(decs(flows));
    expect(r.roots.map(String)).toEqual(['0.1', '0.101']);
  });

  it('finds a touching (double) root', () => {
    // (y − 1.1)²(y + 2): NPV touches zero at 10 % without changing sign.
    const r = solveIrr(decs([1, '-0.2', '-3.19', '2.42']));
    expect(r.status).toBe('ok');
    // A double root is confirmed from both sides within the residual tolerance, so it is listed
    // as two rates a hair apart (counting multiplicity, two roots): `multiple` stays true.
    expect(r.multiple).toBe(true);
    expect(Math.abs((r.rate as Dec).toNumber() - 0.1)).toBeLessThan(1e-6);
  });

  it('says no-solution when two sign changes give no root', () => {
    // −100 + 50x − 100x² < 0 for every x.
    expect(solveIrr(decs([-100, 50, -100]))).toEqual({
      status: 'no-solution',
      rate: null,
      signChanges: 2,
      multiple: false,
      roots: [],
    });
    expect(codeOf(() => irr([-100, 50, -100]))).toBe('no-solution');
    expect(codeOf(() => irr([0, 0]))).toBe('no-solution');
    expect(codeOf(() => irr([-5]))).toBe('no-solution');
  });

  it('solves a 600-period (50 years monthly) schedule', () => {
    const flows: string[] = ['-1000000'];
    for (let i = 1; i < 600; i++) flows.push(i % 12 === 0 ? '-2000' : '9000.5');
    const r = irr(flows);
    const f = npv(r, flows.slice(1)).plus(flows[0] as string);
    expect(f.abs().lt(1e-3)).toBe(true);
  });

  it('XIRR: two flows a 365-day year apart give the simple rate exactly', () => {
    expect(xirr([-100, 110], ['2021-01-01', '2022-01-01']).toString()).toBe('0.1');
    // 366 days (leap year): (1.1)^(365/366) − 1.
    expect(xirr([-100, 110], ['2020-01-01', '2021-01-01']).toString()).toBe('0.0997135859341412');
  });

  it('XIRR: nets flows of the same day and accepts dates out of order after the first', () => {
    const a = solveXirr(decs([-1000, 300, 400, 500]), [
      '2020-01-01',
      '2020-12-31',
      '2021-12-31',
      '2022-12-31',
    ]);
    const b = solveXirr(decs([-600, 500, -400, 400, 300]), [
      '2020-01-01',
      '2022-12-31',
      '2020-01-01',
      '2021-12-31',
      '2020-12-31',
    ]);
    expect(b.signChanges).toBe(1);
    expect(String(b.rate)).toBe(String(a.rate));
  });

  it('XIRR: a rate near −100 % where a spreadsheet gives up', () => {
    const values = ['-228914.25', '28967.32'];
    const dates = ['2006-06-26', '2006-07-26'];
    const r = xirr(values, dates);
    expect(r.gt(-1)).toBe(true);
    expect(xnpv(r, values, dates).abs().lt('1e-6')).toBe(true);
  });
});
