import { createHash } from 'node:crypto';

/**
 * Serialises a JSON value canonically: object keys sorted by UTF-16 code unit, no whitespace,
 * `undefined` object members left out (as JSON.stringify does). Equal JSON values give equal
 * text, so the text can be hashed and compared byte for byte.
 * @throws TypeError for values JSON cannot represent (non-finite numbers, bigint, functions,
 *   symbols, `undefined` at the top level or in an array, cycles).
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (seen.has(value)) throw new TypeError('canonicalJson: the value contains a cycle');
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((v) => (v === undefined ? 'null' : write(v, seen))).join(',')}]`;
      } else if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        // Decimals and Dates serialise through toJSON, as they would with JSON.stringify.
        out = write((value as { toJSON: () => unknown }).toJSON(), seen);
      } else {
        const record = value as Record<string, unknown>;
        const parts: string[] = [];
        for (const key of Object.keys(record).sort()) {
          const v = record[key];
          if (v === undefined) continue;
          parts.push(`${JSON.stringify(key)}:${write(v, seen)}`);
        }
        out = `{${parts.join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

/** SHA-256 of UTF-8 text as 64 lower-case hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
