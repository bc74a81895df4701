import fc from 'fast-check';
import { Dec, Rounding } from '../../src/domain/decimal';
import {
  amountForChart,
  formatAmount,
  formatNumber,
  formatPercent,
  formatRatio,
  groupThousands,
} from '../../src/web/format/number';
import { formatDate } from '../../src/web/format/date';
import { PageCache } from '../../src/web/services/page-cache';

describe('amounts', () => {
  it.each([
    ['0', '0'],
    ['999', '999'],
    ['1000', '1,000'],
    ['-1234567.80', '-1,234,567.80'],
    ['12345678901234567890.12', '12,345,678,901,234,567,890.12'],
  ])('groups thousands: %s → %s', (fixed, expected) => {
    expect(groupThousands(fixed)).toBe(expected);
  });

  it('keeps amounts far beyond float precision exact', () => {
    // 2^53 + 1 yuan and a fen: a float would lose both.
    expect(formatAmount('9007199254740993.01', 'yuan')).toBe('9,007,199,254,740,993.01');
    expect(formatAmount('9007199254740993.01', 'wan')).toBe('900,719,925,474.10');
  });

  it('sums in Decimal shown per unit agree with each other', () => {
    const v = new Dec('26000000000.00');
    expect([formatAmount(v, 'yuan'), formatAmount(v, 'wan'), formatAmount(v, 'yi')]).toEqual([
      '26,000,000,000.00',
      '2,600,000.00',
      '260.0000',
    ]);
  });

  it('moves the decimal point exactly as Decimal division by 10^4 / 10^8 would, half-up (property)', () => {
    const decimalText = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^(0|[1-9]\d{0,17})$/),
        fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }),
      )
      .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`);
    const reference = (v: string, unit: 'yuan' | 'wan' | 'yi', dp: number) => {
      const scaled = new Dec(v)
        .div({ yuan: 1, wan: 10_000, yi: 100_000_000 }[unit])
        .toFixed(dp, Rounding.halfUp);
      return groupThousands(/^-0(\.0*)?$/.test(scaled) ? scaled.slice(1) : scaled);
    };
    fc.assert(
      fc.property(
        decimalText,
        fc.constantFrom('yuan', 'wan', 'yi'),
        fc.integer({ min: 0, max: 6 }),
        (v, unit, dp) => {
          expect(formatAmount(v, unit, { dp })).toBe(reference(v, unit, dp));
          expect(formatAmount(new Dec(v), unit, { dp })).toBe(reference(v, unit, dp));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['99999.995', 'yuan', '100,000.00'],
    ['-0.005', 'yuan', '-0.01'],
    ['-0.004', 'yuan', '0.00'],
    ['49999', 'wan', '5.00'],
    ['0.5', 'yi', '0.0000'],
    ['5000', 'yi', '0.0001'],
  ])('rounds %s in %s to %s', (v, unit, expected) => {
    expect(formatAmount(v, unit as 'yuan')).toBe(expected);
  });

  it('gives charts a float in the chosen unit', () => {
    expect(amountForChart('123456789.5', 'wan')).toBeCloseTo(12345.67895, 6);
  });

  it('formats percentages, ratios and plain numbers', () => {
    expect(formatPercent('0.0224', 'zh')).toBe('2.24%');
    expect(formatPercent('-0.00001', 'en')).toBe('0.00%');
    expect(formatRatio('1.2')).toBe('1.20');
    expect(formatNumber('1200000')).toBe('1,200,000');
  });

  it('refuses money that is not decimal text', () => {
    expect(() => formatAmount(1.1, 'yuan')).toThrow(TypeError);
    expect(() => formatAmount('1e5', 'yuan')).toThrow(TypeError);
    expect(() => formatDate('2025-13-01', 'zh')).toThrow(TypeError);
  });
});

describe('rendered-page cache', () => {
  it('returns what was stored with a stable ETag, and forgets the least recently used first', () => {
    const cache = new PageCache(2, 1_000_000);
    const a = cache.set('a', 1, '<p>a</p>');
    cache.set('b', 1, '<p>b</p>');
    expect(cache.get('a', 1)).toEqual(a);
    cache.set('c', 1, '<p>c</p>');
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)?.body.toString('utf8')).toBe('<p>a</p>');
    expect(cache.get('c', 1)?.etag).toMatch(/^"[\w-]+"$/);
    expect(cache.set('x', 1, '<p>a</p>').etag).toBe(a.etag);
  });

  it('never answers with a page built from older data than asked for, nor replaces a newer one', () => {
    const cache = new PageCache(10, 1_000_000);
    cache.set('a', 5, '<p>5</p>');
    expect(cache.get('a', 6)).toBeUndefined();
    expect(cache.get('a', 5)?.body.toString('utf8')).toBe('<p>5</p>');
    cache.set('a', 7, '<p>7</p>');
    cache.set('a', 6, '<p>6</p>');
    expect(cache.get('a', 6)?.body.toString('utf8')).toBe('<p>7</p>');
    expect(cache.size).toBe(1);
  });

  it('stays under its size bound', () => {
    const cache = new PageCache(100, 25);
    cache.set('a', 1, 'x'.repeat(10));
    cache.set('b', 1, 'x'.repeat(10));
    cache.set('c', 1, 'x'.repeat(10));
    expect(cache.size).toBe(2);
    expect(cache.get('a', 1)).toBeUndefined();
    cache.set('huge', 1, 'x'.repeat(100));
    expect(cache.get('huge', 1)).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});
