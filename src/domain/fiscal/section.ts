import { z } from 'zod';
import { rateText, yuanText } from '../decimal-text';

/**
 * The optional `fiscal` section of a scenario (DOMAIN.md §5): what the cash-flow engine does not
 * model but the government's fiscal analysis needs: risk-bearing cost and supporting investment
 * (MoF 财金〔2015〕21号), the public-sector comparator (财金〔2015〕167号), the part of the special
 * bonds used as project capital and, optionally, the payment mechanism.
 *
 * Kept in its own module, free of imports from the scenario schema, so that the scenario schema
 * can include it without an import cycle.
 */

const calendarYear = z
  .int({ error: 'A year must be a whole number such as 2027' })
  .min(2000)
  .max(2150);

/**
 * Yearly government amounts (yuan) the engine does not carry: either the same `annualYuan` in
 * every year of `phase` (construction, operation or both) or explicit `byYear` figures by
 * calendar year (any year, even outside the project's timeline, e.g. land acquisition before
 * construction).
 */
export const fiscalAmountsSchema = z
  .object({
    annualYuan: yuanText('Annual amount').optional(),
    phase: z.enum(['construction', 'operation', 'all']).default('operation'),
    byYear: z
      .array(z.object({ year: calendarYear, amountYuan: yuanText('Amount') }).strict())
      .max(150)
      .default([]),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.annualYuan !== undefined && a.byYear.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['byYear'],
        message: 'Give either an annual amount or figures by year, not both',
      });
    }
    const seen = new Set<number>();
    a.byYear.forEach((row, i) => {
      if (seen.has(row.year))
        ctx.addIssue({
          code: 'custom',
          path: ['byYear', i, 'year'],
          message: `Year ${row.year} is listed twice`,
        });
      seen.add(row.year);
    });
  });

/**
 * Public-sector comparator inputs (财金〔2015〕167号). Every amount is a present value in yuan,
 * discounted to the start of the scenario's first year (`timeline.startYear`) at the VfM discount
 * rate: the same basis as the PPP value computed from the ledger.
 */
export const pscSchema = z
  .object({
    /** PV of the reference project's construction cost (government builds it itself). */
    referenceBuildCostYuan: yuanText('Reference build cost'),
    /** PV of the reference project's operation and maintenance cost over the same period. */
    referenceOperatingCostYuan: yuanText('Reference operating cost').default('0'),
    /** PV of third-party (user) income the reference project would earn; deducted to give net cost. */
    referenceIncomeYuan: yuanText('Reference third-party income').default('0'),
    /** PV of the competitive-neutrality adjustment (taxes and costs the government avoids). */
    competitiveNeutralityYuan: yuanText('Competitive-neutrality adjustment').default('0'),
    /** PV of risk the government keeps under PPP; default: PV of `fiscal.riskBearing`. */
    retainedRiskYuan: yuanText('Retained risk').optional(),
    /** PV of risk transferred to the private partner under PPP. */
    transferableRiskYuan: yuanText('Transferable risk').default('0'),
    /** Discount rate for the PPP value; default: the scenario's government discount rate. */
    discountRate: rateText('VfM discount rate', '0', '0.5').optional(),
  })
  .strict();

/** Payment mechanism (付费机制) of a PPP project; derived from the scenario when not given. */
export const PAYMENT_MECHANISMS = ['government-pay', 'viability-gap', 'user-pay'] as const;
export type PaymentMechanism = (typeof PAYMENT_MECHANISMS)[number];

export const fiscalSectionSchema = z
  .object({
    /** Risk-bearing cost (风险承担支出) the government carries, yuan. */
    riskBearing: fiscalAmountsSchema.optional(),
    /** Supporting investment (配套投入支出): land, connecting works, interest subsidies, yuan. */
    supportingInvestment: fiscalAmountsSchema.optional(),
    psc: pscSchema.optional(),
    /** Part of the project's special bonds used as project capital (专项债用作资本金), yuan. */
    bondAsCapitalYuan: yuanText('Special bonds used as project capital').optional(),
    paymentMechanism: z.enum(PAYMENT_MECHANISMS).optional(),
  })
  .strict();

export type FiscalSection = z.output<typeof fiscalSectionSchema>;
export type FiscalAmounts = z.output<typeof fiscalAmountsSchema>;
export type PscInputs = z.output<typeof pscSchema>;
