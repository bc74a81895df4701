import { render } from '../support/hbs';

describe('{{ratio}}', () => {
  it.each([
    ['1.349999', '1.35'],
    ['1.344999', '1.34'],
    ['0.967', '0.97'],
    ['12345.6', '12,345.60'],
  ])('shows %s as %s', (value, expected) => {
    expect(render('{{ratio v}}', { v: value })).toBe(expected);
  });

  it('signs deltas, shows "—" for null, fails on undefined', () => {
    expect(render('{{ratio v sign=true}}', { v: '0.2' })).toBe('+0.20');
    expect(render('{{ratio v}}', { v: null })).toBe('—');
    expect(() => render('{{ratio v}}', {})).toThrow(/expects a ratio/);
  });
});
