import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * A source of uniform doubles in the open interval (0, 1): each call returns the next one.
 * Never returns exactly 0 or 1, so every inverse CDF it feeds stays finite.
 */
export type Uniform = () => number;

/** 2^-52: the spacing of the uniform grid. */
const GRID = 2 ** -52;
/** 2^26: the weight of the high half of the 52-bit integer. */
const HIGH = 2 ** 26;
/** The low 26 bits of a generator output. */
const LOW_26_BITS = 0x3ffffff;

/** The largest stream index accepted (each stream index costs one jump of 2^64 steps to reach). */
export const MAX_STREAM_INDEX = 1_000_000;

/**
 * A seeded stream of uniform doubles in (0, 1), independent of every other stream index.
 *
 * Reproduction rule (bit-exact, for an independent implementer):
 * 1. The generator is pure-rand's `xoroshiro128plus(seed)` (xoroshiro128+ with pure-rand's 32-bit
 *    seeding: state s0 = (~seed, −1) and s1 = (seed, 0) as (low, high) 32-bit words).
 * 2. Stream `k` is that generator after `k` calls of `jump()` (each jump advances 2^64 outputs, so
 *    streams never overlap within 2^64 draws).
 * 3. Each double takes two successive 32-bit outputs `a`, `b` of the generator, keeps their low 26
 *    bits and forms the 52-bit integer `m = (a & 0x3FFFFFF) · 2^26 + (b & 0x3FFFFFF)`; the double
 *    is `u = (m + 0.5) · 2^-52`. Every step is exact in IEEE-754 doubles, so
 *    u ∈ [2^-53, 1 − 2^-53]: never 0 or 1, and the grid is symmetric (1 − u is also on it).
 *
 * @param seed - an unsigned 32-bit integer (0 … 4 294 967 295)
 * @param streamIndex - a non-negative integer ≤ MAX_STREAM_INDEX (0 for the first stream)
 * @throws RangeError when the seed or the stream index is not an integer in range
 */
export function uniformStream(seed: number, streamIndex: number): Uniform {
  checkSeed(seed);
  if (!Number.isInteger(streamIndex) || streamIndex < 0 || streamIndex > MAX_STREAM_INDEX) {
    throw new RangeError(
      `stream index must be an integer in [0, ${MAX_STREAM_INDEX}], got ${streamIndex}`,
    );
  }
  const rng = xoroshiro128plus(seed | 0);
  for (let k = 0; k < streamIndex; k++) rng.jump();
  return toUniform(rng);
}

/**
 * Streams 0 … count − 1 of a seed at once (the same streams as `uniformStream(seed, k)`), reached
 * by successive jumps instead of k jumps each.
 * @throws RangeError as `uniformStream`
 */
export function uniformStreams(seed: number, count: number): Uniform[] {
  checkSeed(seed);
  if (!Number.isInteger(count) || count < 0 || count > MAX_STREAM_INDEX + 1) {
    throw new RangeError(
      `stream count must be an integer in [0, ${MAX_STREAM_INDEX + 1}], got ${count}`,
    );
  }
  const streams: Uniform[] = [];
  const rng = xoroshiro128plus(seed | 0);
  for (let k = 0; k < count; k++) {
    streams.push(toUniform(rng.clone()));
    rng.jump();
  }
  return streams;
}

/**
 * A uniformly random integer in 0 … n − 1 from one uniform: `floor(u · n)`.
 * The bias of this mapping is below n · 2^-52, far under any sampling error of interest.
 */
export function uniformIndex(u: Uniform, n: number): number {
  return Math.min(n - 1, Math.floor(u() * n));
}

/**
 * Fisher–Yates shuffle in place: for i = n − 1 down to 1, swap element i with element
 * `uniformIndex(u, i + 1)`. The order of draws is part of the reproduction rule.
 */
export function shuffleInPlace<T extends { [index: number]: number; length: number }>(
  items: T,
  u: Uniform,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = uniformIndex(u, i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

function toUniform(rng: { next(): number }): Uniform {
  return () => ((rng.next() & LOW_26_BITS) * HIGH + (rng.next() & LOW_26_BITS) + 0.5) * GRID;
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an unsigned 32-bit integer, got ${seed}`);
  }
}
