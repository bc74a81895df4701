import { Rounding, type Dec } from '../decimal';

/**
 * Display formatting of the figures in checklist rows. Display is a rounding point: each
 * function names its rounding (half-up, 四舍五入).
 */

/** Yuan with thousands separators and 2 decimals, half-up: `1,234,567.89`. */
export function formatYuan(amount: Dec): string {
  const text = amount
    .abs()
    .toFixed(2, Rounding.halfUp)
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return amount.isNegative() && !amount.isZero() ? `-${text}` : text;
}

/** A fraction as a percentage, half-up: 0.0512345 → `5.12 %`. */
export function formatPercent(fraction: Dec, decimals = 2): string {
  return `${fraction.times(100).toFixed(decimals, Rounding.halfUp)} %`;
}

/** A ratio such as a coverage multiple, half-up: `1.243`. */
export function formatRatio(ratio: Dec, decimals = 3): string {
  return ratio.toFixed(decimals, Rounding.halfUp);
}
