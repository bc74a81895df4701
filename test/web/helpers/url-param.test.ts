import { render } from '../support/hbs';

describe('{{urlParam}}', () => {
  it('encodes a value for a URL (then HTML-escaped for the attribute)', () => {
    expect(render('{{urlParam v}}', { v: '/compare?s=1&s=2' })).toBe('%2Fcompare%3Fs%3D1%26s%3D2');
    expect(render('{{urlParam v}}', { v: '特许经营 A' })).toBe(
      '%E7%89%B9%E8%AE%B8%E7%BB%8F%E8%90%A5%20A',
    );
    expect(render('{{urlParam v}}', { v: 7 })).toBe('7');
  });

  it('fails on a missing value', () => {
    expect(() => render('{{urlParam v}}', {})).toThrow(/expects a text or number/);
  });
});
