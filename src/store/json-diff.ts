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
 * Lists the leaf differences from `before` to `after`. Objects are compared key by key, arrays
 * position by position (an insertion shows as changes after it plus an addition at the end).
 * Paths are ordered as keys sort, so the result is stable.
 */
export function diffJson(before: unknown, after: unknown): JsonChange[] {
  const out: JsonChange[] = [];
  walk(before, after, '', out);
  return out;
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
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= b.length) out.push({ path: join(path, i), kind: 'removed', before: a[i] });
      else if (i >= a.length) out.push({ path: join(path, i), kind: 'added', after: b[i] });
      else walk(a[i], b[i], join(path, i), out);
    }
    return;
  }
  if (a !== b) out.push({ path, kind: 'changed', before: a, after: b });
}
