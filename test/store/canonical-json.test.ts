import fc from 'fast-check';
import { Dec } from '../../src/domain/decimal';
import { canonicalJson, sha256Hex } from '../../src/store';

/** Rebuilds a JSON value with every object's keys in a shuffled order. */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reorder(v, seed + i));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const shuffled = entries
      .map(([k, v], i) => ({ k, v, r: Math.sin(seed * 7919 + i * 104729) }))
      .sort((a, b) => a.r - b.r);
    const out: Record<string, unknown> = {};
    // defineProperty, so that a "__proto__" key stays an own key as JSON.parse makes it.
    for (const { k, v } of shuffled) {
      Object.defineProperty(out, k, {
        value: reorder(v, seed + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ z: { y: '1.50', x: '2' }, a: '' }, '{"a":"","z":{"x":"2","y":"1.50"}}'],
    [{ a: undefined, b: 2 }, '{"b":2}'],
    [[undefined, 1], '[null,1]'],
    ['名称 "quoted"\n', '"名称 \\"quoted\\"\\n"'],
    [{ '10': 1, '2': 2, b: 3, B: 4 }, '{"10":1,"2":2,"B":4,"b":3}'],
    [{ amount: new Dec('1234.50') }, '{"amount":"1234.5"}'],
    [-0, '0'],
  ])('writes %j as %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each([[NaN], [Infinity], [BigInt(1)], [() => 1], [undefined]])('refuses %p', (value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('keeps a "__proto__" key that JSON.parse made an own key', () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":1}}'))).toBe(
      '{"__proto__":{"x":1},"b":1}',
    );
  });

  it('refuses cycles', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(TypeError);
  });

  it('is the same text whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 1000 }), (value, seed) => {
        expect(canonicalJson(reorder(value, seed))).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('survives a JSON round trip unchanged (so stored text re-canonicalises to itself)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('hashes with SHA-256', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
