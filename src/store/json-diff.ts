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
 * the ids in each order. Other lists are compared position by position (an insertion shows as
 * changes after it plus an addition at the end). Paths are ordered as keys sort, so the result
 * is stable.
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
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= b.length) out.push({ path: join(path, i), kind: 'removed', before: a[i] });
      else if (i >= a.length) out.push({ path: join(path, i), kind: 'added', after: b[i] });
      else walk(a[i], b[i], join(path, i), out);
    }
    return;
  }
  if (a !== b) out.push({ path, kind: 'changed', before: a, after: b });
}
