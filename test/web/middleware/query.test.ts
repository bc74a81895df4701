import { BadRequestError } from '../../../src/web/middleware/errors';
import { PARAMETER_LIMIT, parseQuery } from '../../../src/web/middleware/query';

describe('parseQuery', () => {
  it('gives a repeated name all its values in order, however often it is repeated', () => {
    const q = parseQuery(Array.from({ length: 25 }, (_, i) => `s=${i}`).join('&'));
    expect(q.s).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
  });

  it('decodes values and keeps names flat and harmless', () => {
    const q = parseQuery('switch=SC-A%3D12&q=a+b%20c&a[b]=1&__proto__=x&constructor=y&e=');
    expect({ ...q }).toEqual({
      switch: 'SC-A=12',
      q: 'a b c',
      'a[b]': '1',
      ['__proto__']: 'x',
      constructor: 'y',
      e: '',
    });
    expect(Object.getPrototypeOf(q)).toBeNull();
    expect(parseQuery('')).toEqual({});
  });

  it(`refuses more than ${PARAMETER_LIMIT} parameters, naming the limit`, () => {
    expect(() => parseQuery(Array(PARAMETER_LIMIT).fill('s=1').join('&'))).not.toThrow();
    const over = () =>
      parseQuery(
        Array(PARAMETER_LIMIT + 1)
          .fill('s=1')
          .join('&'),
      );
    expect(over).toThrow(BadRequestError);
    expect(over).toThrow(
      expect.objectContaining({
        issues: [
          { path: 'query', message: `The address carries more than ${PARAMETER_LIMIT} parameters` },
        ],
      }),
    );
  });
});
