import { Dec } from '../../../src/domain/decimal';
import {
  cdfPoints,
  histogram,
  percentileInc,
  probability,
  sortDecimals,
  summarise,
  summariseTexts,
} from '../../../src/domain/risk/stats';

const decs = (xs: string[]): Dec[] => xs.map((x) => new Dec(x));
const text = (s: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]));

describe('summarise', () => {
  it('summarises a hand-worked list exactly (LibreOffice: AVERAGE, STDEV, PERCENTILE.INC)', () => {
    // sorted 1, 2, 3, 4, 5, 10 (n = 6): h = 5k, so P5 = 1 + 0.25·1, P10 = 1.5, P50 = 3.5,
    // P90 = 5 + 0.5·5, P95 = 5 + 0.75·5; mean 25/6; sample variance 1830/36/5 = 61/6,
    // sd = √(61/6) = 3.18852107828483182926…
    expect(text({ ...summarise(decs(['10', '3', '1', '5', '2', '4'])) })).toEqual({
      count: '6',
      mean: '4.166666666667',
      sd: '3.188521078285',
      p5: '1.25',
      p10: '1.5',
      p50: '3.5',
      p90: '7.5',
      p95: '8.75',
      min: '1',
      max: '10',
    });
  });

  it('keeps decimal inputs exact (no binary fractions)', () => {
    const s = summarise(decs(['0.1', '0.2', '0.3']));
    expect(s.mean.toString()).toBe('0.2');
    expect(s.sd.toString()).toBe('0.1');
    // h = 2·0.05 = 0.1: 0.1 + 0.1·0.1
    expect(s.p5.toString()).toBe('0.11');
  });

  it('a constant metric has sd 0 and every percentile equal to it', () => {
    const s = summarise(decs(['-12.5', '-12.5', '-12.5', '-12.5']));
    expect([s.mean, s.sd, s.p5, s.p50, s.p95].map(String)).toEqual([
      '-12.5',
      '0',
      '-12.5',
      '-12.5',
      '-12.5',
    ]);
    expect(summarise(decs(['7'])).sd.toString()).toBe('0');
  });

  it('refuses an empty list', () => {
    expect(() => summarise([])).toThrow(RangeError);
  });

  it('rounds once, half-up away from zero, from the exact mean and square root', () => {
    // mean 0.5e-12 is a tie at 12 places: up to 1e-12 (and −1e-12 for the negative list);
    // sd = √((2·(0.5e-12)²)/1) = 0.7071…e-12 rounds to 1e-12.
    expect(text({ ...summariseTexts(['0.000000000001', '0']) })).toMatchObject({
      mean: '0.000000000001',
      sd: '0.000000000001',
    });
    expect(summariseTexts(['-0.000000000001', '0']).mean.toString()).toBe('-0.000000000001');
    // 1, 2, 2: variance 1/3, sd = 0.57735026918962576…, just below the tie at …9626: down.
    expect(summariseTexts(['1', '2', '2']).sd.toString()).toBe('0.57735026919');
    // √2 = 1.41421356237309504…: rounded from the exact root
    expect(summariseTexts(['0', '2']).sd.toString()).toBe('1.414213562373');
  });

  it('reads decimal text with exponents (as Decimal prints tiny and huge values)', () => {
    const s = summariseTexts(['1e-8', '-2.5e-7', '3E+21']);
    expect(s.min.toString()).toBe('-0.00000025');
    expect(s.max.toString()).toBe('3000000000000000000000');
    // (3·10²¹ + 10⁻⁸ − 2.5·10⁻⁷) / 3 = 10²¹ − 8·10⁻⁸, exactly
    expect(s.mean.toString()).toBe('999999999999999999999.99999992');
    expect(() => summariseTexts(['1,5'])).toThrow(RangeError);
  });
});

describe('sortDecimals', () => {
  it('orders Decimals that round to the same double exactly', () => {
    const xs = decs(['0.10000000000000000002', '0.1', '-3', '0.10000000000000000001', '1e-30']);
    expect(sortDecimals(xs).map(String)).toEqual([
      '-3',
      '0.000000000000000000000000000001',
      '0.1',
      '0.10000000000000000001',
      '0.10000000000000000002',
    ]);
  });
});

describe('percentileInc', () => {
  const sorted = decs(['15', '20', '35', '40', '50']);
  it.each([
    // Excel documentation example list; h = 4k
    ['0', '15'],
    ['0.25', '20'],
    ['0.3', '23'], // h = 1.2: 20 + 0.2·15
    ['0.4', '29'], // h = 1.6: 20 + 0.6·15
    ['0.9', '46'], // h = 3.6: 40 + 0.6·10
    ['1', '50'],
  ])('PERCENTILE.INC(…, %s) = %s', (k, v) => {
    expect(percentileInc(sorted, k).toString()).toBe(v);
  });

  it('refuses k outside [0, 1]', () => {
    expect(() => percentileInc(sorted, '1.01')).toThrow(RangeError);
  });
});

describe('probability', () => {
  it.each([
    [3, 8, '0.375'],
    [1, 3, '0.333333333333'],
    [2, 3, '0.666666666667'],
    [0, 10000, '0'],
    [10000, 10000, '1'],
  ])('%d of %d = %s', (count, trials, p) => {
    expect(probability(count, trials).toString()).toBe(p);
  });

  it('refuses a count above the trials', () => {
    expect(() => probability(5, 4)).toThrow(RangeError);
  });
});

describe('histogram and cdfPoints (chart data)', () => {
  it('bins by equal width, the last bin closed on the right', () => {
    expect(histogram([0, 1, 2, 3, 4, 5, 10], 2)).toEqual({ edges: [0, 5, 10], counts: [5, 2] });
  });

  it('puts equal values in one bin', () => {
    expect(histogram([2, 2, 2], 10)).toEqual({ edges: [2, 2], counts: [3] });
  });

  it('refuses non-finite values', () => {
    expect(() => histogram([1, NaN], 3)).toThrow(RangeError);
  });

  it('gives the empirical CDF steps, thinned to maxPoints ranks that keep both ends', () => {
    expect(cdfPoints([3, 1, 2])).toEqual([
      { x: 1, p: 1 / 3 },
      { x: 2, p: 2 / 3 },
      { x: 3, p: 1 },
    ]);
    // n = 5, 3 points: ranks round(1 + k·4/2) = 1, 3, 5
    expect(cdfPoints([50, 10, 40, 20, 30], 3)).toEqual([
      { x: 10, p: 0.2 },
      { x: 30, p: 0.6 },
      { x: 50, p: 1 },
    ]);
  });
});
