import { canonicalJson } from './canonical-json';

/** One difference between two JSON values, located by JSON path (`funding.sources[2].amountYuan`). */
export interface JsonChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Lists the leaf differences from `before` to `after`. Objects are compared key by key. Lists
 * whose items all carry distinct string `id`s in both versions (funding sources, risks) are
 * compared item by item by id: an item keeps its identity when others are inserted or removed
 * before it. Its path is its position in `after` (in `before` for a removed item), and a change
 * of the order of the items both versions have is one `changed` entry at the list's path, with
 * the ids in each order. Other lists of objects are aligned on their longest common run of equal items
 * (`alignedPairs`): an item inserted or removed shows as one addition or removal, the items
 * between two equal ones are compared in order, the rest added or removed. Lists of values (a
 * schedule by year) are compared position by position. Paths are ordered as
 * keys sort, so the result is stable.
 */
export function diffJson(before: unknown, after: unknown): JsonChange[] {
  const out: JsonChange[] = [];
  walk(before, after, '', out);
  return out;
}

/** The ids of a list whose items are all objects with distinct string ids; null otherwise. */
function idsOf(list: unknown[]): string[] | null {
  const ids: string[] = [];
  for (const item of list) {
    if (!isObject(item) || typeof item.id !== 'string') return null;
    ids.push(item.id);
  }
  return new Set(ids).size === ids.length ? ids : null;
}

function walkById(
  a: unknown[],
  b: unknown[],
  ids: { a: string[]; b: string[] },
  path: string,
  out: JsonChange[],
): void {
  const inA = new Map(ids.a.map((id, i) => [id, i]));
  const inB = new Set(ids.b);
  const kept = { a: ids.a.filter((id) => inB.has(id)), b: ids.b.filter((id) => inA.has(id)) };
  if (kept.a.join('\u0000') !== kept.b.join('\u0000'))
    out.push({ path, kind: 'changed', before: kept.a, after: kept.b });
  ids.b.forEach((id, j) => {
    const i = inA.get(id);
    if (i === undefined) out.push({ path: join(path, j), kind: 'added', after: b[j] });
    else walk(a[i], b[j], join(path, j), out);
  });
  ids.a.forEach((id, i) => {
    if (!inB.has(id)) out.push({ path: join(path, i), kind: 'removed', before: a[i] });
  });
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function walk(a: unknown, b: unknown, path: string, out: JsonChange[]): void {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const inA = Object.prototype.hasOwnProperty.call(a, k) && a[k] !== undefined;
      const inB = Object.prototype.hasOwnProperty.call(b, k) && b[k] !== undefined;
      if (inA && !inB) out.push({ path: join(path, k), kind: 'removed', before: a[k] });
      else if (!inA && inB) out.push({ path: join(path, k), kind: 'added', after: b[k] });
      else if (inA && inB) walk(a[k], b[k], join(path, k), out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const ids = { a: idsOf(a), b: idsOf(b) };
    if (ids.a && ids.b && a.length > 0 && b.length > 0) {
      walkById(a, b, { a: ids.a, b: ids.b }, path, out);
      return;
    }
    // A list of values is read by position (a year's amount is its place); of objects, aligned.
    const pairs = a.every(isObject) && b.every(isObject) ? alignedPairs(a, b) : byPosition(a, b);
    for (const [i, j] of pairs) {
      if (j === null) out.push({ path: join(path, i!), kind: 'removed', before: a[i!] });
      else if (i === null) out.push({ path: join(path, j), kind: 'added', after: b[j] });
      else walk(a[i], b[j], join(path, j), out);
    }
    return;
  }
  if (a !== b) out.push({ path, kind: 'changed', before: a, after: b });
}

/** Longer lists (cells of the table below) are compared position by position. */
const MAX_ALIGNED_CELLS = 250_000;

/**
 * The items of two lists paired for comparison: [i, j] compares a[i] with b[j], [i, null] is
 * removed, [null, j] added. Equal items (same canonical JSON) are kept on a longest common
 * subsequence (ties to the earlier items); between two kept items, the unequal ones are paired
 * in order and the extra ones added or removed. Lists beyond MAX_ALIGNED_CELLS are paired by
 * position. In order of b (removals at their place in a).
 */
export function alignedPairs(
  a: readonly unknown[],
  b: readonly unknown[],
): Array<[number | null, number | null]> {
  const n = a.length;
  const m = b.length;
  const pairs: Array<[number | null, number | null]> = [];
  const gap = (i0: number, i1: number, j0: number, j1: number) => pushGap(pairs, i0, i1, j0, j1);
  if (n * m > MAX_ALIGNED_CELLS || n === 0 || m === 0) return byPosition(a, b);
  const ka = a.map(canonicalJson);
  const kb = b.map(canonicalJson);
  // len[i][j]: the longest common subsequence of a[i..] and b[j..].
  const len = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      len[i]![j] =
        ka[i] === kb[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
  let i = 0;
  let j = 0;
  let i0 = 0;
  let j0 = 0;
  while (i < n && j < m) {
    if (ka[i] === kb[j]) {
      gap(i0, i, j0, j);
      pairs.push([i, j]);
      i0 = ++i;
      j0 = ++j;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  gap(i0, n, j0, m);
  return pairs;
}

/** Items i0..i1 of a against j0..j1 of b in order, the extra ones added or removed. */
function pushGap(
  pairs: Array<[number | null, number | null]>,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
): void {
  for (let k = 0; k < Math.max(i1 - i0, j1 - j0); k++)
    pairs.push([i0 + k < i1 ? i0 + k : null, j0 + k < j1 ? j0 + k : null]);
}

/** Position by position. */
function byPosition(
  a: readonly unknown[],
  b: readonly unknown[],
): Array<[number | null, number | null]> {
  const pairs: Array<[number | null, number | null]> = [];
  pushGap(pairs, 0, a.length, 0, b.length);
  return pairs;
}
