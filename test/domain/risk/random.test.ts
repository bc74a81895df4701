import { shuffleInPlace, uniformStream, uniformStreams } from '../../../src/domain/risk/random';
import { pearson } from '../../../src/domain/risk/correlation';

const M64 = (1n << 64n) - 1n;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & M64;

/**
 * xoroshiro128+ (Blackman & Vigna 2016, a = 24, b = 16, c = 37) written from the published
 * algorithm with 64-bit BigInts, independent of pure-rand, seeded as README "Monte Carlo sampling" says.
 */
class ReferenceXoroshiro {
  s0: bigint;
  s1: bigint;
  constructor(seed: number) {
    const low = BigInt(~seed >>> 0);
    this.s0 = (0xffffffffn << 32n) | low;
    this.s1 = BigInt(seed >>> 0) << 32n;
  }
  next64(): bigint {
    const result = (this.s0 + this.s1) & M64;
    const s1 = this.s1 ^ this.s0;
    this.s0 = rotl(this.s0, 24n) ^ s1 ^ ((s1 << 16n) & M64);
    this.s1 = rotl(s1, 37n);
    return result;
  }
  jump(): void {
    let t0 = 0n;
    let t1 = 0n;
    for (const word of [0xdf900294d8f554a5n, 0x170865df4b3201fcn]) {
      for (let b = 0n; b < 64n; b++) {
        if ((word >> b) & 1n) {
          t0 ^= this.s0;
          t1 ^= this.s1;
        }
        this.next64();
      }
    }
    this.s0 = t0;
    this.s1 = t1;
  }
  /** The documented double: two outputs' low 26 bits, (m + 0.5)·2^-52. */
  double(): number {
    const a = this.next64() & 0x3ffffffn;
    const b = this.next64() & 0x3ffffffn;
    return (Number(a) * 2 ** 26 + Number(b) + 0.5) * 2 ** -52;
  }
}

function take(u: () => number, n: number): number[] {
  return Array.from({ length: n }, () => u());
}

describe('uniformStream', () => {
  it.each([
    [0, 0],
    [42, 0],
    [42, 3],
    [0xffffffff, 1],
    [2 ** 31 + 7, 2],
  ])(
    'seed %d stream %d follows the documented rule (independent xoroshiro128+)',
    (seed, stream) => {
      const reference = new ReferenceXoroshiro(seed);
      for (let k = 0; k < stream; k++) reference.jump();
      expect(take(uniformStream(seed, stream), 200)).toEqual(take(() => reference.double(), 200));
    },
  );

  it('gives the same doubles for the same seed and stream, bit for bit', () => {
    expect(take(uniformStream(7, 2), 1000)).toEqual(take(uniformStream(7, 2), 1000));
  });

  it('stays strictly inside (0, 1) on the half-step grid', () => {
    const off = take(uniformStream(123, 0), 20000).filter(
      (u) => !(u > 0 && u < 1 && Number.isInteger(u * 2 ** 52 - 0.5)),
    );
    expect(off).toEqual([]);
  });

  it('has mean 1/2 and variance 1/12 within sampling error', () => {
    const n = 40000;
    const xs = take(uniformStream(99, 0), n);
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    // se of the mean = sqrt(1/12/n) ≈ 0.00144; of the variance ≈ sqrt(1/180/n) ≈ 0.00037
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * 0.00144);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * 0.00037);
  });

  it('gives uncorrelated, non-overlapping streams for different indexes of one seed', () => {
    const n = 10000;
    const [a, b, c] = [0, 1, 2].map((k) => take(uniformStream(5, k), n));
    // |r| of independent series is below 4/sqrt(n) = 0.04 but for a 1-in-15,000 chance
    expect(Math.abs(pearson(a!, b!))).toBeLessThan(0.04);
    expect(Math.abs(pearson(b!, c!))).toBeLessThan(0.04);
    const seen = new Set(a);
    expect(b!.filter((x) => seen.has(x))).toEqual([]);
  });

  it('uniformStreams gives the same streams as uniformStream', () => {
    const streams = uniformStreams(11, 4);
    for (let k = 0; k < 4; k++)
      expect(take(streams[k]!, 50)).toEqual(take(uniformStream(11, k), 50));
  });

  it.each([-1, 1.5, 2 ** 32, NaN])('refuses the seed %d', (seed) => {
    expect(() => uniformStream(seed, 0)).toThrow(RangeError);
  });

  it('refuses a negative or fractional stream index', () => {
    expect(() => uniformStream(1, -1)).toThrow(RangeError);
    expect(() => uniformStream(1, 0.5)).toThrow(RangeError);
  });
});

describe('shuffleInPlace', () => {
  it('is a permutation, and follows Fisher–Yates from the top with floor(u·(i+1))', () => {
    const items = Float64Array.from({ length: 100 }, (_, i) => i);
    const shuffled = shuffleInPlace(Float64Array.from(items), uniformStream(3, 0));
    expect([...shuffled].sort((a, b) => a - b)).toEqual([...items]);
    const u = uniformStream(3, 0);
    const expected = [...items];
    for (let i = 99; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [expected[i], expected[j]] = [expected[j]!, expected[i]!];
    }
    expect([...shuffled]).toEqual(expected);
  });
});
