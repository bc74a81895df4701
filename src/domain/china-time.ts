/**
 * Days and years as the users mean them: China Standard Time, UTC+8 all year (no summer time since
 * 1991), the zone every page shows times in. Stored times are ISO 8601 instants in UTC
 * (`2026-05-04T16:00:00.000Z`), so a day of the users' calendar is a range of such instants.
 */

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The instant (ISO 8601, UTC, milliseconds) at which the China Standard Time day `date`
 * (`YYYY-MM-DD`) plus `plusDays` days starts: `chinaDayStartAt('2026-05-05')` is
 * `2026-05-04T16:00:00.000Z`.
 */
export function chinaDayStartAt(date: string, plusDays = 0): string {
  return new Date(
    Date.parse(`${date}T00:00:00.000Z`) - OFFSET_MS + plusDays * DAY_MS,
  ).toISOString();
}

/** The China Standard Time calendar year of an ISO 8601 instant. */
export function chinaYearOf(instant: string): number {
  return new Date(Date.parse(instant) + OFFSET_MS).getUTCFullYear();
}
