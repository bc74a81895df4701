import { z } from 'zod';
import { rateText } from '../decimal-text';

/**
 * Equity waterfall tiers (issue 9, "Equity waterfall tiers"; rule in src/domain/README.md,
 * "Equity waterfall"): one class of equity holders, e.g. a guided fund (引导基金), is paid a
 * preferred return on its unreturned contributions before the others receive anything, then,
 * if configured, its capital back; `capped` holders (the usual 让利 arrangement: the fund takes a
 * fixed return and leaves the upside to the private partner) receive nothing more, uncapped ones
 * also share the remainder pro rata to commitments.
 *
 * `funding.waterfall` is optional; without it every holder is paid pro rata to commitments, as
 * before. Kept apart from the scenario schema so the engine and editor can use it alone.
 */
export const waterfallSchema = z
  .object({
    /** Ids of the equity sources in the preferred class. */
    preferredSourceIds: z
      .array(z.string().trim().min(1), { error: 'List the ids of the preferred equity sources' })
      .min(1, { error: 'Name at least one preferred equity source' })
      .max(30),
    /** Preferred return a year on unreturned contributions, simple (not compounded), cumulative. */
    preferredRate: rateText('Preferred return rate', '0', '0.5'),
    /** After the preferred return, the class is paid its unreturned contributions back. */
    returnOfCapital: z.boolean().default(true),
    /** Capped: the class receives nothing beyond preferred return and capital. */
    capped: z.boolean().default(false),
  })
  .strict();

export type WaterfallInput = z.input<typeof waterfallSchema>;
export type Waterfall = z.output<typeof waterfallSchema>;

/**
 * Problems of a waterfall against the scenario's sources: each id names an equity source, once;
 * at least one equity source is outside the class (someone takes the remainder).
 * @param sources the scenario's funding sources with their type's nature
 */
export function waterfallProblems(
  waterfall: Waterfall | undefined,
  sources: ReadonlyArray<{ id: string; nature: string }>,
): Array<{ path: Array<string | number>; message: string }> {
  if (!waterfall) return [];
  const at = ['funding', 'waterfall', 'preferredSourceIds'];
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  const seen = new Set<string>();
  // Reported at the list itself, so a form shows it at the one field that holds the list.
  waterfall.preferredSourceIds.forEach((id) => {
    const src = sources.find((s) => s.id === id);
    if (seen.has(id)) out.push({ path: at, message: `Source "${id}" is listed twice` });
    else if (!src) out.push({ path: at, message: `There is no funding source "${id}"` });
    else if (src.nature !== 'equity')
      out.push({
        path: at,
        message: `Source "${id}" is not equity: only equity holders take part in the waterfall`,
      });
    seen.add(id);
  });
  const others = sources.filter((s) => s.nature === 'equity' && !seen.has(s.id));
  if (out.length === 0 && others.length === 0)
    out.push({
      path: at,
      message: 'Every equity source is preferred: leave at least one to take the remainder',
    });
  return out;
}
