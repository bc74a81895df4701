import { z } from 'zod';
import { rateText, yuanText } from '../decimal-text';

/**
 * Optional scenario section `reserves` (issue 9, "Reserve accounts"): a debt-service reserve
 * account (DSRA), a major-maintenance reserve and a distribution lock-up. Each part is off when
 * left out; a scenario without the section computes exactly as before. The rules are in
 * src/domain/README.md, "Reserve accounts".
 */

export const DSRA_FUNDING = ['cfads', 'equity'] as const;
export type DsraFunding = (typeof DSRA_FUNDING)[number];

const dsra = z
  .object({
    /** Target = `months` / 12 of the next year's debt service (interest + scheduled principal). */
    months: z
      .int({ error: 'DSRA months must be a whole number of months' })
      .min(1, { error: 'DSRA months must be between 1 and 24' })
      .max(24, { error: 'DSRA months must be between 1 and 24' }),
    /** `cfads`: built up from cash after debt service; `equity`: paid in by the equity holders at the start of operation. */
    funding: z
      .enum(DSRA_FUNDING, { error: `DSRA funding must be one of ${DSRA_FUNDING.join(', ')}` })
      .default('cfads'),
  })
  .strict();

const maintenanceSpend = z
  .object({
    /** Operation year number, 1 = the first operation year. */
    year: z
      .int({ error: 'Maintenance year must be a whole operation-year number' })
      .min(1, { error: 'Maintenance year must be an operation year from 1' })
      .max(50),
    amountYuan: yuanText('Major-maintenance amount'),
  })
  .strict();

export const reservesSectionSchema = z
  .object({
    dsra: dsra.optional(),
    /** Major-maintenance spending by operation year, funded by a reserve built up before each spend. */
    maintenance: z
      .array(maintenanceSpend)
      .max(50, { error: 'At most 50 major-maintenance entries' })
      .optional(),
    /** Distributions are held back in a year whose DSCR is below `minDscr`. */
    lockUp: z
      .object({ minDscr: rateText('Lock-up DSCR', '1', '5') })
      .strict()
      .optional(),
  })
  .strict();

export type ReservesSection = z.output<typeof reservesSectionSchema>;

/** What the cross-field checks need of the scenario (kept narrow so this file stands alone). */
interface ReservesContext {
  reserves?: ReservesSection | undefined;
  timeline: { operationYears: number };
  hasEquity: boolean;
  debtRepayments: readonly string[];
}

/** Adds the section's cross-field problems (paths under `reserves`). */
export function reservesChecks(s: ReservesContext, ctx: z.RefinementCtx): void {
  const r = s.reserves;
  if (!r) return;
  if (r.dsra) {
    if (s.debtRepayments.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['reserves', 'dsra'],
        message: 'A debt-service reserve needs at least one debt source',
      });
    if (s.debtRepayments.includes('sculpted'))
      ctx.addIssue({
        code: 'custom',
        path: ['reserves', 'dsra'],
        message:
          "A debt-service reserve cannot be sized on a sculpted debt: its next year's service depends on next year's cash",
      });
    if (r.dsra.funding === 'equity' && !s.hasEquity)
      ctx.addIssue({
        code: 'custom',
        path: ['reserves', 'dsra', 'funding'],
        message: 'The DSRA cannot be funded by equity: the scenario has no equity source',
      });
  }
  const seen = new Set<number>();
  (r.maintenance ?? []).forEach((m, i) => {
    if (m.year > s.timeline.operationYears)
      ctx.addIssue({
        code: 'custom',
        path: ['reserves', 'maintenance', i, 'year'],
        message: `Maintenance year ${m.year} is after the last operation year (${s.timeline.operationYears})`,
      });
    if (seen.has(m.year))
      ctx.addIssue({
        code: 'custom',
        path: ['reserves', 'maintenance', i, 'year'],
        message: `Maintenance year ${m.year} is listed twice`,
      });
    seen.add(m.year);
  });
}
