import { render } from '../support/hbs';

describe('{{datetime}}', () => {
  it.each([
    ['zh', '2026-05-04T08:30:00.000Z', '2026年5月4日 16:30'],
    ['en', '2026-05-04T08:30:00.000Z', '4 May 2026, 16:30'],
    // Past midnight in Beijing while still the previous day in UTC.
    ['en', '2026-12-31T17:05:00.000Z', '1 Jan 2027, 01:05'],
  ])('writes a timestamp in China time for %s', (lang, value, expected) => {
    expect(render('{{datetime v}}', { v: value, lang })).toBe(expected);
  });

  it('shows "—" for null and fails on text that is not a timestamp', () => {
    expect(render('{{datetime v}}', { v: null })).toBe('—');
    expect(() => render('{{datetime v}}', { v: 'yesterday' })).toThrow(/expected an ISO timestamp/);
  });
});
