import { render } from '../support/hbs';

describe('{{date}}', () => {
  it.each([
    ['zh', '2025-03-01', '2025年3月1日'],
    ['en', '2025-03-01', '1 Mar 2025'],
    ['en', '2024-12-31', '31 Dec 2024'],
  ])('writes a date for %s: %s → %s', (lang, value, expected) => {
    expect(render('{{date v}}', { v: value, lang })).toBe(expected);
  });

  it('shows "—" for null and fails on a date that does not exist', () => {
    expect(render('{{date v}}', { v: null })).toBe('—');
    expect(() => render('{{date v}}', { v: '2025-02-30' })).toThrow(/expected a date/);
    expect(() => render('{{date v}}', {})).toThrow(/expected a date/);
  });
});
