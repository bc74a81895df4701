import { Dec, Rounding, ZERO } from './decimal';

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
