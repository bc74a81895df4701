import fc from 'fast-check';
import { alignedPairs, diffJson } from '../../src/store/json-diff';

/** Lists without ids (revenue streams, capex schedules) are aligned on their equal items. */
describe('diffJson on lists without ids', () => {
  const stream = (name: string, annualYuan: string) => ({ kind: 'other', name, annualYuan });

  it('a stream inserted first is one addition, not a change of every stream after it', () => {
    const before = { revenues: [stream('停车', '100'), stream('广告', '200')] };
    const after = {
      revenues: [stream('数据', '50'), stream('停车', '100'), stream('广告', '200')],
    };
    expect(diffJson(before, after)).toEqual([
      { path: 'revenues[0]', kind: 'added', after: stream('数据', '50') },
    ]);
  });

  it('a stream removed from the middle is one removal at its place in the older version', () => {
    const before = { revenues: [stream('A', '1'), stream('B', '2'), stream('C', '3')] };
    const after = { revenues: [stream('A', '1'), stream('C', '3')] };
    expect(diffJson(before, after)).toEqual([
      { path: 'revenues[1]', kind: 'removed', before: stream('B', '2') },
    ]);
  });

  it('a schedule of values is read by position: a year shorter shifts nothing', () => {
    expect(diffJson(['100', '200', '300'], ['200', '300'])).toEqual([
      { path: '[0]', kind: 'changed', before: '100', after: '200' },
      { path: '[1]', kind: 'changed', before: '200', after: '300' },
      { path: '[2]', kind: 'removed', before: '300' },
    ]);
  });

  it('an item changed in place between equal ones shows its changed field', () => {
    const before = [stream('A', '1'), stream('B', '2'), stream('C', '3')];
    const after = [stream('A', '1'), stream('B', '9'), stream('C', '3')];
    expect(diffJson(before, after)).toEqual([
      { path: '[1].annualYuan', kind: 'changed', before: '2', after: '9' },
    ]);
  });

  it('pairs: every index of each list once, in order, equal pairs on a longest common run', () => {
    const list = fc.array(
      fc.integer({ min: 0, max: 4 }).map((v) => ({ v })),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(list, list, (a, b) => {
        const pairs = alignedPairs(a, b);
        const is = pairs.map(([i]) => i).filter((i): i is number => i !== null);
        const js = pairs.map(([, j]) => j).filter((j): j is number => j !== null);
        expect(is).toEqual(a.map((_, i) => i));
        expect(js).toEqual(b.map((_, j) => j));
        // The equal pairs are as many as the longest common subsequence (brute-force DP here).
        const same = (i: number, j: number) => a[i]!.v === b[j]!.v;
        const equal = pairs.filter(([i, j]) => i !== null && j !== null && same(i, j)).length;
        const L = Array.from({ length: a.length + 1 }, () => Array(b.length + 1).fill(0));
        for (let i = 1; i <= a.length; i++)
          for (let j = 1; j <= b.length; j++)
            L[i]![j] = same(i - 1, j - 1)
              ? L[i - 1]![j - 1] + 1
              : Math.max(L[i - 1]![j], L[i]![j - 1]);
        expect(equal).toBe(L[a.length]![b.length]);
        // No difference is reported exactly when the lists are equal.
        const changes = diffJson(a, b);
        expect(changes.length === 0).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
