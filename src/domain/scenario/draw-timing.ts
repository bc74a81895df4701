import { z } from 'zod';

/**
 * When in the year a debt source's drawdown enters the account (issue 9, item 9; rule in
 * src/domain/README.md, "Draw timing"). Construction interest of year t is
 *
 * - `start-of-year`: (opening balance + the year's draw) × rate, a full year's coupon on the
 *   draw: a special bond is issued, its whole amount bearing interest from the issue date;
 * - `mid-year`: (opening balance + the year's draw ÷ 2) × rate: a loan drawn evenly through the
 *   year bears half a year's interest on the draw on average.
 *
 * `drawTiming` is optional on debt sources; left out it defaults by type: `start-of-year` for
 * `special-bond` and `general-bond`, `mid-year` for every other debt. Grants and equity bear no interest, so the
 * field is refused on them (a value there would be silently meaningless).
 */

export const DRAW_TIMINGS = ['start-of-year', 'mid-year'] as const;
export type DrawTiming = (typeof DRAW_TIMINGS)[number];

export const drawTimingSchema = z.enum(DRAW_TIMINGS, {
  error: `Draw timing must be one of ${DRAW_TIMINGS.join(', ')}`,
});

/** Bonds (专项债, 一般债) are issued: their whole amount bears interest from the issue date. */
const BOND_TYPES: readonly string[] = ['special-bond', 'general-bond'];

/** The draw timing that applies to a debt source: the declared one, else the type's default. */
export function effectiveDrawTiming(source: {
  type: string;
  drawTiming?: DrawTiming | undefined;
}): DrawTiming {
  return source.drawTiming ?? (BOND_TYPES.includes(source.type) ? 'start-of-year' : 'mid-year');
}

/**
 * Why a source's declared draw timing is not allowed, or null when it is: only debt has one.
 * @param nature the source type's nature (`SOURCE_KINDS[type].nature`)
 */
export function drawTimingProblem(
  type: string,
  nature: string,
  drawTiming: DrawTiming | undefined,
): string | null {
  if (drawTiming === undefined || nature === 'debt') return null;
  return `A ${type} source is not debt and bears no interest: leave drawTiming out`;
}
