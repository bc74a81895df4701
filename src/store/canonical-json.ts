import { createHash } from 'node:crypto';

/**
 * Serialises a JSON value canonically: object keys sorted by UTF-16 code unit, no whitespace,
 * `undefined` object members left out (as JSON.stringify does). Equal JSON values give equal
 * text, so the text can be hashed and compared byte for byte.
 * @throws TypeError for values JSON cannot represent (non-finite numbers, bigint, functions,
 *   symbols, `undefined` at the top level or in an array, cycles).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new TypeError('canonicalJson: undefined has no JSON form');
  try {
    return write(value);
  } catch (err) {
    // Recursion is unguarded for speed (this runs on every save); a cycle ends as a stack overflow.
    if ((err as { name?: unknown }).name === 'RangeError') {
      throw new TypeError('canonicalJson: the value contains a cycle or is nested too deeply');
    }
    throw err;
  }
}

function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i];
          out += (i === 0 ? '' : ',') + (v === undefined ? 'null' : write(v));
        }
        return `${out}]`;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        // Decimals and Dates serialise through toJSON, as they would with JSON.stringify.
        return write((value as { toJSON: () => unknown }).toJSON());
      }
      const record = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const key of Object.keys(record).sort()) {
        const v = record[key];
        if (v === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${write(v)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

/** SHA-256 of UTF-8 text as 64 lower-case hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
