import { chinaDayStartAt, chinaYearOf } from '../../src/domain/china-time';

describe('China Standard Time days and years (UTC+8)', () => {
  it.each([
    ['2026-05-05', 0, '2026-05-04T16:00:00.000Z'],
    ['2026-05-05', 1, '2026-05-05T16:00:00.000Z'],
    ['2027-01-01', 0, '2026-12-31T16:00:00.000Z'],
    ['2028-02-29', 1, '2028-02-29T16:00:00.000Z'],
    ['2026-03-01', -1, '2026-02-27T16:00:00.000Z'],
  ])('day %s plus %i starts at %s', (date, plus, instant) => {
    expect(chinaDayStartAt(date, plus)).toBe(instant);
  });

  it.each([
    ['2026-12-31T15:59:59.999Z', 2026],
    ['2026-12-31T16:00:00.000Z', 2027],
    ['2027-01-01T00:00:00.000Z', 2027],
  ])('%s falls in %i', (instant, year) => {
    expect(chinaYearOf(instant)).toBe(year);
  });
});
