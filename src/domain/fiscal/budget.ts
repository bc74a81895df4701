import { z } from 'zod';
import { Dec, ONE, toFen } from '../decimal';
import { ValidationError } from '../errors';
import { toFieldIssues } from '../scenario/parse';
import { rateText, readDecimalText, yuanText } from '../decimal-text';

/**
 * General public budget expenditure forecast (一般公共预算支出) of a jurisdiction, the
 * denominator of the PPP affordability ratio (DOMAIN.md §5.1). Stored with the portfolio.
 *
 * - `growth`: `baseAmountYuan` in `baseYear`, growing by `growth` a year; years before the base
 *   year are not forecast (no figure).
 * - `explicit`: figures year by year; years not listed have no figure.
 */

/** A calendar year for yearly fiscal figures. */
export const calendarYear = z
  .int({ error: 'A year must be a whole number such as 2027' })
  .min(2000, { error: 'A year must be 2000 or later' })
  .max(2150, { error: 'A year must be 2150 or earlier' });

/** Refinement for a list of yearly rows: each year at most once (the message says which). */
export function noRepeatedYears(
  rows: ReadonlyArray<{ year: number }>,
  ctx: z.RefinementCtx,
  message: (year: number) => string = (year) => `Year ${year} is listed twice`,
): void {
  const seen = new Set<number>();
  rows.forEach((row, i) => {
    if (seen.has(row.year))
      ctx.addIssue({ code: 'custom', path: [i, 'year'], message: message(row.year) });
    seen.add(row.year);
  });
}

const positiveYuan = (what: string) =>
  yuanText(what).refine((s) => readDecimalText(s)?.gt(0) ?? true, {
    error: `${what} must be more than 0 yuan`,
  });

export const budgetForecastSchema = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('growth'),
      baseYear: calendarYear,
      baseAmountYuan: positiveYuan('Budget expenditure in the base year'),
      growth: rateText('Budget growth', '-0.5', '1'),
    })
    .strict(),
  z
    .object({
      method: z.literal('explicit'),
      years: z
        .array(
          z.object({ year: calendarYear, amountYuan: positiveYuan('Budget expenditure') }).strict(),
        )
        .min(1, { error: 'Give the budget expenditure of at least one year' })
        .max(150)
        .superRefine(noRepeatedYears),
    })
    .strict(),
]);

export type BudgetForecast = z.output<typeof budgetForecastSchema>;
export type BudgetForecastInput = z.input<typeof budgetForecastSchema>;

/**
 * Validates a budget forecast (parsed JSON).
 * @throws ValidationError listing every wrong field with its path
 */
export function parseBudgetForecast(input: unknown): BudgetForecast {
  const result = budgetForecastSchema.safeParse(input);
  if (!result.success)
    throw new ValidationError(toFieldIssues(result.error), 'The budget forecast is not valid');
  return result.data;
}

/**
 * Budget expenditure of one calendar year, yuan. A growth forecast is
 * `base × (1 + growth)^(year − baseYear)`, rounded half-up to fen (the rounding point: the
 * forecast figure is what a finance bureau would publish). Null when the forecast has no figure
 * for the year.
 */
export function budgetForYear(forecast: BudgetForecast, year: number): Dec | null {
  let years = forecastYears.get(forecast);
  if (!years) {
    years = new Map();
    forecastYears.set(forecast, years);
  }
  let amount = years.get(year);
  if (amount === undefined) {
    amount = computeBudgetForYear(forecast, year);
    years.set(year, amount);
  }
  return amount;
}

/**
 * Each forecast's figures already computed (a power per year: a portfolio risk run asks for the
 * same years in every trial). Forecasts are read-only once parsed.
 */
const forecastYears = new WeakMap<BudgetForecast, Map<number, Dec | null>>();

function computeBudgetForYear(forecast: BudgetForecast, year: number): Dec | null {
  if (forecast.method === 'explicit') {
    const row = forecast.years.find((r) => r.year === year);
    return row ? new Dec(row.amountYuan) : null;
  }
  if (year < forecast.baseYear) return null;
  // Integer powers are exact products at the constructor's 40 digits.
  return toFen(
    new Dec(forecast.baseAmountYuan).times(ONE.plus(forecast.growth).pow(year - forecast.baseYear)),
  );
}

/**
 * Budget expenditure for each of `years`, yuan (null where the forecast has no figure).
 * @returns a map from calendar year to amount
 */
export function budgetByYear(
  forecast: BudgetForecast,
  years: readonly number[],
): Map<number, Dec | null> {
  const out = new Map<number, Dec | null>();
  for (const y of years) out.set(y, budgetForYear(forecast, y));
  return out;
}

/**
 * The forecast as a series from `fromYear` to `toYear` inclusive, for tables and charts.
 * @throws RangeError when `toYear` is before `fromYear`
 */
export function budgetSeries(
  forecast: BudgetForecast,
  fromYear: number,
  toYear: number,
): Array<{ year: number; amountYuan: Dec | null }> {
  if (toYear < fromYear) throw new RangeError(`toYear ${toYear} is before fromYear ${fromYear}`);
  const out: Array<{ year: number; amountYuan: Dec | null }> = [];
  for (let y = fromYear; y <= toYear; y++)
    out.push({ year: y, amountYuan: budgetForYear(forecast, y) });
  return out;
}
