import { Dec } from '../domain/decimal';

/** The tag a Decimal carries in tagged JSON: `{"$dec": "12.5"}`. */
const DEC_TAG = '$dec';

/**
 * JSON text of a report that may hold Decimal instances (e.g. a checklist row's affordability):
 * each Decimal becomes `{"$dec": "<its decimal string>"}`, so `fromTaggedJson` gives it back as a
 * Decimal with the same value. Everything else is plain JSON (undefined properties are left out).
 * The Decimal is recognised on its holder: JSON.stringify calls `toJSON` before the replacer
 * sees the value, which is then already a string.
 */
export function toTaggedJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return Dec.isDecimal(raw) ? { [DEC_TAG]: raw.toString() } : v;
  });
}

/** The value of `toTaggedJson` text, with Decimals (of the domain's Decimal constructor) back in place. */
export function fromTaggedJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tagged = (v as Record<string, unknown>)[DEC_TAG];
      if (keys.length === 1 && typeof tagged === 'string') return new Dec(tagged);
    }
    return v;
  }) as T;
}
