import { Dec, Rounding, ZERO, toFen } from './decimal';
import { decOf, fenOf, mulRound, ratioOf, type Fen } from './fen';

/** Multiplying by 0.01 is exact and far cheaper than dividing by 100. */
const CENT = new Dec('0.01');

/**
 * Splits `total` yuan into fen-exact parts proportional to `weights` (largest-remainder method),
 * so that the parts always add up exactly to the total.
 * Zero or empty weights give all-zero parts (and the total must then be zero).
 * @param total amount in yuan with at most 2 decimal places
 * @param weights non-negative weights, any scale
 * @throws RangeError when the weights are all zero but the total is not
 */
export function allocate(total: Dec, weights: readonly Dec[]): Dec[] {
  const totalFen = total.times(100);
  let weightSum = ZERO;
  for (const w of weights) weightSum = weightSum.plus(w);
  if (weightSum.isZero()) {
    if (!totalFen.isZero())
      throw new RangeError(`cannot allocate ${total.toFixed(2)} over zero weights`);
    return weights.map(() => ZERO);
  }
  // Ties in the remainder go to the earliest part.
  return distribute(
    totalFen,
    weights.map((w) => totalFen.times(w).div(weightSum)),
  );
}

/** Floors the exact fen parts and hands out the remaining fen by largest remainder. */
function distribute(totalFen: Dec, exact: Dec[]): Dec[] {
  const floors = exact.map((e) => e.toDecimalPlaces(0, Rounding.down));
  let remainder = totalFen.minus(floors.reduce((a, b) => a.plus(b), ZERO)).toNumber();
  if (remainder === 0) return floors.map((p) => p.times(CENT));
  // For a negative total the remainder is negative and goes to the most negative fractions.
  const step = remainder >= 0 ? 1 : -1;
  const order = exact
    .map((e, i) => ({ i, frac: e.minus(floors[i] as Dec).toNumber() }))
    .sort((a, b) => (step > 0 ? b.frac - a.frac : a.frac - b.frac) || a.i - b.i);
  const parts = floors.slice();
  for (let k = 0; remainder !== 0; k = (k + 1) % order.length) {
    const i = (order[k] as { i: number }).i;
    parts[i] = (parts[i] as Dec).plus(step);
    remainder -= step;
  }
  return parts.map((p) => p.times(CENT));
}

/** Integer weights over one power of ten, read once per weights array (the compiled model's). */
interface ScaledWeights {
  ints: bigint[];
  sum: bigint;
  /** Every weight is non-negative and has at most 23 significant digits (see `allocateFenOf`). */
  eligible: boolean;
}

const scaledCache = new WeakMap<readonly Dec[], ScaledWeights>();

function scaledWeights(weights: readonly Dec[]): ScaledWeights {
  let s = scaledCache.get(weights);
  if (s === undefined) {
    const ratios = weights.map(ratioOf);
    let den = 1n;
    for (const r of ratios) if (r.den > den) den = r.den; // powers of ten
    const ints = ratios.map((r) => r.num * (den / r.den));
    let sum = 0n;
    for (const w of ints) sum += w;
    const eligible =
      weights.every((w) => !w.isNegative() && w.precision() <= 23) && sum > 0n && sum < 10n ** 21n;
    s = { ints, sum, eligible };
    scaledCache.set(weights, s);
  }
  return s;
}

/**
 * `allocate(Σ parts, weights).map(fenOf)` for a total given as parts in fen (e.g. the years'
 * capex), the same parts, mostly in integers: the exact quotients T·w_i / Σw (T the total in fen, weights scaled to integers) and their remainders. The
 * Decimal path rounds each quotient to 40 significant digits and compares its fraction as a float;
 * with T ≥ 0, T < 10^17, weights of at most 23 digits (T·w exact in 40) and Σw < 10^21 (scaled), that rounding moves a
 * quotient by less than 1 / Σw, so the floors are the same, and the fractions can only reorder
 * where two of them lie within 1e-12: where the fen handed out depend on such a pair, the Decimal
 * path itself decides. The weights array must not be mutated (its scaling is cached).
 */
export function allocateFenOf(partsFen: readonly Fen[], weights: readonly Dec[]): Fen[] {
  let totalFen = 0;
  for (const p of partsFen) totalFen += p;
  if (!Number.isSafeInteger(totalFen)) {
    let total = ZERO;
    for (const p of partsFen) total = total.plus(decOf(p));
    return allocate(total, weights).map(fenOf);
  }
  const sw = scaledWeights(weights);
  if (sw.eligible && totalFen >= 0 && totalFen < 1e17 && Number.isSafeInteger(totalFen)) {
    const T = BigInt(totalFen);
    const n = sw.ints.length;
    const parts = new Array<Fen>(n);
    const fracs = new Array<number>(n);
    let given = 0;
    const S = Number(sw.sum);
    for (let i = 0; i < n; i++) {
      const p = T * (sw.ints[i] as bigint);
      const q = p / sw.sum;
      parts[i] = Number(q);
      given += parts[i] as number;
      fracs[i] = Number(p - q * sw.sum) / S;
    }
    let spare = totalFen - given;
    if (spare === 0) return parts;
    const order = fracs
      .map((frac, i) => ({ i, frac }))
      .sort((a, b) => b.frac - a.frac || a.i - b.i);
    const lastIn = order[spare - 1] as { frac: number };
    const firstOut = order[spare];
    if (firstOut === undefined || lastIn.frac - firstOut.frac > 1e-12) {
      for (let k = 0; spare > 0; k++, spare--) {
        const i = (order[k] as { i: number }).i;
        parts[i] = (parts[i] as Fen) + 1;
      }
      return parts;
    }
  }
  return allocate(decOf(totalFen), weights).map(fenOf);
}

const fenCache = new WeakMap<readonly Dec[], readonly Fen[]>();

/**
 * `amounts.map(fenOf)` as a fresh array, read once per array (which must not be mutated): the
 * compiled model's capex and commitments are the same every run. Throws as `fenOf` does.
 */
export function fenAll(amounts: readonly Dec[]): Fen[] {
  let f = fenCache.get(amounts);
  if (f === undefined) {
    f = amounts.map(fenOf);
    fenCache.set(amounts, f);
  }
  return f.slice();
}

/**
 * `amounts.map((c) => fenOf(toFen(c × factor)))`: in integers (`mulRound`, half-up like `toFen`)
 * when every Decimal product is exact (at most 40 significant digits), else in Decimal.
 */
export function scaleAllToFen(amounts: readonly Dec[], factor: Dec): Fen[] {
  const p = factor.precision();
  // fenAll's amounts have at most 16 significant digits (safe integers of fen).
  if (p + 17 <= 40) {
    const r = ratioOf(factor);
    const limit = Number.MAX_SAFE_INTEGER / Math.max(1, Math.abs(factor.toNumber()) * 1.01);
    const fen = fenAll(amounts);
    // Beyond the safe range the Decimal path raises the error naming the amount.
    if (fen.every((f) => Math.abs(f) < limit))
      // A negative amount rounding to nothing stays −0, as the Decimal path leaves it.
      return fen.map((f) => {
        const x = mulRound(f, r);
        return x === 0 && (f < 0 ? r.num > 0n : f > 0 && r.num < 0n) ? -0 : x;
      });
  }
  return amounts.map((c) => fenOf(toFen(c.times(factor))));
}
