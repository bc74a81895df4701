import { jsonScript, safeJson } from '../../../src/web/helpers/json-script';
import { render } from '../support/hbs';

describe('{{jsonScript}}', () => {
  const nasty = {
    name: '</script><script>alert(1)</script>',
    amp: 'a & b',
    cmt: '<!-- x -->',
    ls: 'a\u2028b\u2029c',
    quote: '"\'',
  };

  it('writes JSON no value can break out of (<, >, &, U+2028/9 escaped)', () => {
    const out = render('<script type="application/json">{{jsonScript v}}</script>', { v: nasty });
    const body = out.slice('<script type="application/json">'.length, -'</script>'.length);
    expect(body).not.toMatch(/[<>&\u2028\u2029]/);
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    expect(JSON.parse(body)).toEqual(nasty);
  });

  it('is not HTML-escaped a second time (quotes stay JSON quotes)', () => {
    expect(render('{{jsonScript v}}', { v: { a: '"x"' } })).toBe('{"a":"\\"x\\""}');
  });

  it('fails on undefined and on values JSON cannot write', () => {
    expect(() => render('{{jsonScript v}}', {})).toThrow(/expects a value/);
    expect(() => safeJson(() => 1)).toThrow(/JSON cannot represent/);
    expect(String(jsonScript([1, '<']))).toBe('[1,"\\u003c"]');
  });
});
