import { render } from '../support/hbs';

describe('{{pct}}', () => {
  it.each([
    ['0.05715142887178467', '5.72%'],
    ['-0.0212448483', '-2.12%'],
    ['4.1100355683238137', '411.00%'],
    ['0', '0.00%'],
  ])('shows the fraction %s as %s', (value, expected) => {
    expect(render('{{pct v}}', { v: value, lang: 'zh' })).toBe(expected);
    expect(render('{{pct v}}', { v: value, lang: 'en' })).toBe(expected);
  });

  it('takes places and a sign', () => {
    expect(render('{{pct v dp=1}}', { v: '0.12345' })).toBe('12.3%');
    expect(render('{{pct v sign=true}}', { v: '0.01' })).toBe('+1.00%');
  });

  it('shows "—" for null and fails on bad input', () => {
    expect(render('{{pct v}}', { v: null })).toBe('—');
    expect(() => render('{{pct v}}', {})).toThrow(/expects a fraction/);
    expect(() => render('{{pct v dp="x"}}', { v: '0.1' })).toThrow(/dp=/);
    expect(() => render('{{pct v}}', { v: 'abc' })).toThrow(/expected decimal text/);
  });
});
