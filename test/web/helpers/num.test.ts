import { render } from '../support/hbs';

describe('{{num}}', () => {
  it.each([
    ['1200000', undefined, '1,200,000'],
    [42, undefined, '42'],
    ['1234.5678', 2, '1,234.57'],
    [11.25, 1, '11.3'],
  ])('shows %s (dp %s) as %s', (value, dp, expected) => {
    const template = dp === undefined ? '{{num v}}' : `{{num v dp=${dp}}}`;
    expect(render(template, { v: value })).toBe(expected);
  });

  it('shows "—" for null and fails on undefined', () => {
    expect(render('{{num v}}', { v: null })).toBe('—');
    expect(() => render('{{num v}}', {})).toThrow(/expects a number/);
  });
});
