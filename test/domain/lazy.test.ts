import { lazy } from '../../src/domain/lazy';

interface Holder {
  a: number;
  b?: number;
  c?: number;
}

describe('lazy', () => {
  test('computes on first read only, and keeps the key enumerable where it was declared', () => {
    let calls = 0;
    const o = { a: 1, b: undefined } as unknown as Holder;
    lazy(o, 'b', () => {
      calls += 1;
      return 41 + calls;
    });
    expect(calls).toBe(0);
    expect(o.b).toBe(42);
    expect(o.b).toBe(42);
    expect(calls).toBe(1);
    expect(Object.keys(o)).toEqual(['a', 'b']);
    expect(JSON.stringify(o)).toBe('{"a":1,"b":42}');
  });

  test('a hidden key stays out of keys and JSON, and keep: false reads anew', () => {
    let n = 0;
    const o = { a: 1 } as Holder;
    lazy(o, 'c', () => (n += 1), { enumerable: false, keep: false });
    expect(o.c).toBe(1);
    expect(o.c).toBe(2);
    expect(JSON.stringify(o)).toBe('{"a":1}');
  });

  test('two objects with the same key keep their own values', () => {
    const x = { a: 1 } as Holder;
    const y = { a: 2 } as Holder;
    lazy(x, 'b', () => 10);
    lazy(y, 'b', () => 20);
    expect([x.b, y.b]).toEqual([10, 20]);
    expect({ ...x }).toEqual({ a: 1, b: 10 });
  });
});
