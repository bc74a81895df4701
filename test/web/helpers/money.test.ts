import { Dec } from '../../../src/domain/decimal';
import { render } from '../support/hbs';

describe('{{money}}', () => {
  it.each([
    ['yuan', '123456789.5', '123,456,789.50'],
    ['wan', '123456789.5', '12,345.68'],
    ['yi', '123456789.5', '1.2346'],
    ['wan', '-1250000', '-125.00'],
    ['wan', '0.004', '0.00'],
    ['yuan', '-0.004', '0.00'],
    ['yi', '918300000000', '9,183.0000'],
  ])('shows an amount in %s: %s → %s', (unit, value, expected) => {
    expect(render('{{money v}}', { unit, v: value })).toBe(expected);
  });

  it('rounds half-up exactly at the shown places (no binary float on the way)', () => {
    // 0.125 wan = 1250 yuan/10000 … 12,345.675 wan is exactly representable only in decimal.
    expect(render('{{money v}}', { unit: 'wan', v: '123456750' })).toBe('12,345.68');
    expect(render('{{money v}}', { unit: 'yuan', v: '0.005' })).toBe('0.01');
    expect(render('{{money v}}', { unit: 'yuan', v: '1.005' })).toBe('1.01');
  });

  it('accepts Decimals and a forced unit, and signs deltas', () => {
    expect(render('{{money v unit="yuan"}}', { unit: 'yi', v: new Dec('1500') })).toBe('1,500.00');
    expect(render('{{money v sign=true}}', { unit: 'wan', v: '25000' })).toBe('+2.50');
    expect(render('{{money v sign=true}}', { unit: 'wan', v: '-25000' })).toBe('-2.50');
    expect(render('{{money v sign=true}}', { unit: 'wan', v: '0' })).toBe('0.00');
  });

  it('shows "—" for null (no figure) but fails on undefined and on floats', () => {
    expect(render('{{money v}}', { v: null })).toBe('—');
    expect(() => render('{{money v}}', {})).toThrow(/expects an amount/);
    expect(() => render('{{money v}}', { v: 0.1 })).toThrow(/expected decimal text/);
    expect(() => render('{{money v}}', { v: '1,000' })).toThrow(/expected decimal text/);
    expect(() => render('{{money v unit="usd"}}', { v: '1' })).toThrow(/unit=/);
  });
});
