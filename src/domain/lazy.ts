/** The hidden table of an object's lazy properties: each one's thunk until read, then its value. */
const LAZY_SLOTS = Symbol('lazy slots');
interface LazySlot {
  compute: (() => unknown) | null;
  value: unknown;
  /** False: computed on every read (a value that may change, such as a view on another one). */
  keep: boolean;
}
type LazyHolder = { [LAZY_SLOTS]: Record<PropertyKey, LazySlot> };

/** One accessor descriptor per key and visibility, shared by every object that has the key. */
const lazyDescriptors = new Map<string, PropertyDescriptor>();

function lazyDescriptor(key: string, enumerable: boolean): PropertyDescriptor {
  const id = `${enumerable ? '+' : '-'}${key}`;
  let d = lazyDescriptors.get(id);
  if (d === undefined) {
    d = {
      enumerable,
      configurable: false,
      get(this: LazyHolder): unknown {
        const slot = this[LAZY_SLOTS][key]!;
        if (slot.compute !== null) {
          if (!slot.keep) return slot.compute();
          slot.value = slot.compute();
          slot.compute = null;
        }
        return slot.value;
      },
    };
    lazyDescriptors.set(id, d);
  }
  return d;
}

/**
 * Defines `key` on `obj` as computed on first read, then kept (or, with `keep: false`, computed
 * on every read): enumerable by default (JSON and spreads see it), or hidden with `enumerable: false`.
 *
 * The getter is one shared function per key, reading a hidden slot table on the object. A getter
 * closing over each object's data (what `Object.defineProperty(obj, key, { get: () => … })` makes)
 * costs far more in V8: measured in a Monte Carlo, about a quarter of every trial's allocation then
 * survived each young-generation collection (kept until a full one), and those pauses took about a
 * fifth of the run (README "How the engine computes").
 */
export function lazy<T extends object, K extends keyof T & string>(
  obj: T,
  key: K,
  compute: () => T[K],
  { enumerable = true, keep = true }: { enumerable?: boolean; keep?: boolean } = {},
): void {
  const holder = obj as unknown as LazyHolder;
  let slots = holder[LAZY_SLOTS];
  if (slots === undefined) {
    slots = Object.create(null) as Record<PropertyKey, LazySlot>;
    Object.defineProperty(obj, LAZY_SLOTS, { value: slots });
  }
  slots[key] = { compute, value: undefined, keep };
  Object.defineProperty(obj, key, lazyDescriptor(key, enumerable));
}
