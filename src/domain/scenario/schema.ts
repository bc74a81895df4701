import { isGovernmentServiced } from './government-serviced';
import { z } from 'zod';
import { Dec } from '../decimal';
import { fiscalSectionSchema } from '../fiscal/section';
import { DECIMAL_RE, decimalText, rateText, yuanText } from '../decimal-text';
import { multiLineText, singleLineText } from '../text';
import { drawTimingProblem, drawTimingSchema } from './draw-timing';
import { indirectTaxSchema, streamVatRate } from './indirect-tax';
import { ownershipProblem, ownershipSchema } from './ownership';
import { waterfallProblems, waterfallSchema } from './waterfall';
import { reservesChecks, reservesSectionSchema } from './reserves';
import { risksChecks, risksSectionSchema } from './risks';

/**
 * Scenario file format v2, the format FundMix writes: one project and one funding scenario.
 * Amounts are yuan as decimal strings, rates are fractions as decimal strings ("0.0224" = 2.24 %),
 * dates are `YYYY-MM-DD`. The same schema validates files, forms and the HTTP API.
 *
 * v2 differs from v1 (./schema-v1.ts, frozen) in that the delivery model is the scenario's
 * (`scenario.delivery`), not the project's: one project can hold a government (bond-funded)
 * scenario and a PPP one. v1 files are still read: `parseScenario` validates them against the
 * v1 schema and upgrades them (./upgrade.ts).
 *
 * NEW INPUT SECTIONS GO HERE, in `scenarioObject` below (v2 only): the v1 schema is a frozen
 * copy and never changes, so anything added to this object exists in format v2 alone.
 */
export const SCENARIO_FORMAT = 'fundmix-scenario@2';
/** The format before v2 (src/domain/scenario/schema-v1.ts): still read, upgraded on reading. */
export const SCENARIO_FORMAT_V1 = 'fundmix-scenario@1';

/** Delivery models: the government itself, a (legacy) PPP, or a concession (特许经营). */
export const DELIVERIES = ['government', 'ppp', 'concession'] as const;
export type Delivery = (typeof DELIVERIES)[number];

const yuan = yuanText;
const rate = rateText;

const growth = (what: string) => rate(what, '-0.5', '1');
const fraction = (what: string) => rate(what, '0', '1');

const rampUp = z
  .array(fraction('Ramp-up factor'), {
    error: 'Ramp-up must be a list of fractions for the first operation years',
  })
  .max(10, { error: 'Ramp-up covers at most the first 10 operation years' })
  .default([]);

export const SECTORS = [
  'city-data-platform',
  'iot-sensing',
  'smart-transport',
  'smart-water',
  'smart-parking',
  'e-government-cloud',
  'public-data-operation',
  'smart-healthcare',
  '5g-poles',
  'smart-energy',
  'other',
] as const;

export const SOURCE_TYPES = [
  'budget',
  'special-bond',
  'general-bond',
  'construction-subsidy',
  'guided-fund-equity',
  'government-equity',
  'enterprise-equity',
  'bank-loan',
  'policy-bank-loan',
  'social-equity',
  'industrial-fund',
  'reits',
  'other',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export type Pillar = 'government' | 'enterprise' | 'social';
export type SourceNature = 'grant' | 'debt' | 'equity';

/** Pillar (DOMAIN.md §2) and nature of each funding instrument. */
export const SOURCE_KINDS: Record<SourceType, { pillar: Pillar; nature: SourceNature }> = {
  budget: { pillar: 'government', nature: 'grant' },
  'special-bond': { pillar: 'government', nature: 'debt' },
  'general-bond': { pillar: 'government', nature: 'debt' },
  'construction-subsidy': { pillar: 'government', nature: 'grant' },
  'guided-fund-equity': { pillar: 'government', nature: 'equity' },
  'government-equity': { pillar: 'government', nature: 'equity' },
  'enterprise-equity': { pillar: 'enterprise', nature: 'equity' },
  'bank-loan': { pillar: 'enterprise', nature: 'debt' },
  'policy-bank-loan': { pillar: 'enterprise', nature: 'debt' },
  'social-equity': { pillar: 'social', nature: 'equity' },
  'industrial-fund': { pillar: 'social', nature: 'equity' },
  reits: { pillar: 'social', nature: 'equity' },
  other: { pillar: 'social', nature: 'equity' },
};

export { GOVERNMENT_SERVICED_TYPES, isGovernmentServiced } from './government-serviced';

export const REPAYMENTS = ['bullet', 'equal-principal', 'annuity', 'sculpted'] as const;

/** Names of revenue streams (text rule: src/domain/text.ts). */
const revenueName = singleLineText('Revenue name', { min: 1, max: 120 });

const debtTerms = z
  .object({
    annualRate: rate('Interest rate', '0', '0.5'),
    tenorYears: z.int().min(1).max(50),
    graceYears: z.int().min(0).max(30).default(0),
    repayment: z.enum(REPAYMENTS),
    targetDscr: rate('Target DSCR', '1', '10').optional(),
    constructionInterest: z.enum(['capitalised', 'paid']).default('paid'),
    upfrontFeeRate: fraction('Upfront fee rate').default('0'),
    seniority: z.int().min(1).max(9).default(1),
  })
  .strict();

/** A funding source (exported for the v1 schema, which is this less the v2-only fields). */
export const sourceSchema = z
  .object({
    id: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
        error: 'Source id must be lower-case letters, digits and dashes (max 40)',
      }),
    name: singleLineText('Source name', {
      min: 1,
      max: 120,
      required: 'Every funding source needs a name',
    }),
    type: z.enum(SOURCE_TYPES),
    amountYuan: yuan('Source amount').optional(),
    share: fraction('Share of total investment').optional(),
    debt: debtTerms.optional(),
    /** Equity only: who owns it (src/domain/scenario/ownership.ts; default by type). */
    ownership: ownershipSchema.optional(),
    /** Debt only: when the draw bears interest (src/domain/scenario/draw-timing.ts; default by type). */
    drawTiming: drawTimingSchema.optional(),
  })
  .strict();

export const userFeeSchema = z
  .object({
    kind: z.literal('user-fee'),
    name: revenueName,
    unitPriceYuan: decimalText('Unit price').refine((s) => !s.startsWith('-'), {
      error: 'Unit price cannot be negative',
    }),
    annualVolume: decimalText('Annual volume').refine((s) => !s.startsWith('-'), {
      error: 'Annual volume cannot be negative',
    }),
    volumeGrowth: growth('Volume growth').default('0'),
    priceEscalation: growth('Price escalation').default('0'),
    rampUp,
    vatRate: streamVatRate,
  })
  .strict();

export const publicDataSchema = z
  .object({
    kind: z.literal('public-data'),
    name: revenueName,
    annualIncomeYuan: yuan('Licensing income'),
    growth: growth('Income growth').default('0'),
    rampUp,
    allowedProfitRate: rate('Allowed profit rate', '0', '1'),
    taxRate: rate('Tax rate on data income', '0', '0.5').default('0.06'),
    costBaseShare: fraction('Share of operating cost attributable to data operation').default('1'),
    authorityShare: fraction('Revenue share to the data authority').default('0'),
    vatRate: streamVatRate,
  })
  .strict();

export const otherIncomeSchema = z
  .object({
    kind: z.literal('other'),
    name: revenueName,
    annualYuan: yuan('Other income'),
    growth: growth('Income growth').default('0'),
    rampUp,
    vatRate: streamVatRate,
  })
  .strict();

export const revenueStreamSchema = z.discriminatedUnion('kind', [
  userFeeSchema,
  publicDataSchema,
  otherIncomeSchema,
]);

const availabilityPayment = z
  .object({
    method: z.enum(['mof-formula', 'annuity']),
    constructionCostYuan: yuan('Construction cost for the availability payment').optional(),
    profitRate: rate('Reasonable profit rate', '0', '0.5'),
    discountRate: rate('Annual discount rate', '0', '0.5'),
    annuityRate: rate('Annuity rate', '0', '0.5').optional(),
    periodYears: z.int().min(1).max(40),
    firstIndex: z.int().min(0).max(1).default(1),
    includeOperatingCost: z.boolean().default(true),
    deductUserFees: z.boolean().default(true),
  })
  .strict();

/** The list of funding sources (one rule for v1 and v2). */
export const sourceList = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, { error: 'Add at least one funding source' }).max(30);

/** The v2 scenario object before its cross-field checks (the v1 schema is derived from it). */
export const scenarioObject = z
  .object({
    format: z.literal(SCENARIO_FORMAT, {
      error: `format must be "${SCENARIO_FORMAT}" (files of format "${SCENARIO_FORMAT_V1}" are read and upgraded)`,
    }),
    project: z
      .object({
        code: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/, {
            error: 'Project code must be letters, digits and dashes (max 40)',
          }),
        name: singleLineText('Project name', {
          min: 1,
          max: 200,
          required: 'The project needs a name',
        }),
        nameEn: singleLineText('English project name', { max: 200 }).optional(),
        sector: z.enum(SECTORS),
        category: z.enum(['basic', 'market-oriented']),
        approvalDate: z.iso.date({ error: 'Approval date must be a real date written YYYY-MM-DD' }),
        jurisdiction: singleLineText('Jurisdiction', { max: 120 }).optional(),
      })
      .strict(),
    scenario: z
      .object({
        name: singleLineText('Scenario name', {
          min: 1,
          max: 200,
          required: 'The scenario needs a name',
        }),
        /** How this scenario delivers the project (v2; in v1 it was `project.delivery`). */
        delivery: z.enum(DELIVERIES),
        description: multiLineText('Description', { max: 4000 }).optional(),
      })
      .strict(),
    timeline: z
      .object({
        startYear: z.int().min(2000).max(2100),
        constructionYears: z.int().min(1).max(10),
        operationYears: z.int().min(1).max(50),
      })
      .strict(),
    capex: z.object({ scheduleYuan: z.array(yuan('Capital expenditure')).min(1) }).strict(),
    operatingCost: z
      .object({
        annualYuan: yuan('Operating cost'),
        escalation: growth('Operating cost escalation').default('0'),
      })
      .strict(),
    residualValueYuan: yuan('Residual value').default('0'),
    revenues: z.array(revenueStreamSchema).max(20).default([]),
    funding: z
      .object({
        sources: sourceList(sourceSchema),
        /** Optional equity waterfall tiers: src/domain/scenario/waterfall.ts. */
        waterfall: waterfallSchema.optional(),
      })
      .strict(),
    government: z
      .object({
        operatingSubsidy: z
          .object({
            annualYuan: yuan('Operating subsidy'),
            escalation: growth('Operating subsidy escalation').default('0'),
            years: z.int().min(1).max(50).optional(),
          })
          .strict()
          .optional(),
        availabilityPayment: availabilityPayment.optional(),
      })
      .strict()
      .default({}),
    tax: z
      .object({
        incomeTaxRate: rate('Income tax rate', '0', '0.5').default('0.25'),
        depreciationYears: z.int().min(1).max(50).optional(),
        lossCarryForwardYears: z.int().min(0).max(10).default(5),
      })
      .strict()
      .default({ incomeTaxRate: '0.25', lossCarryForwardYears: 5 }),
    discountRates: z
      .object({
        project: rate('Project discount rate', '0', '0.5'),
        equity: rate('Equity discount rate', '0', '0.5'),
        government: rate('Government discount rate', '0', '0.5'),
      })
      .strict(),
    covenants: z
      .object({
        minDscr: rate('Minimum DSCR covenant', '1', '5').default('1.2'),
        bondCoverage: rate('Special-bond coverage threshold', '1', '5').default('1.2'),
      })
      .strict()
      .default({ minDscr: '1.2', bondCoverage: '1.2' }),
    shortfall: z.enum(['government', 'equity', 'unfunded']).default('government'),
    /** Optional inputs of the fiscal analytics (DOMAIN.md §5): see src/domain/fiscal/section.ts. */
    fiscal: fiscalSectionSchema.optional(),
    /** Optional reserve accounts and lock-up: see src/domain/scenario/reserves.ts. */
    reserves: reservesSectionSchema.optional(),
    /** Optional VAT and surcharges (增值税及附加): see src/domain/scenario/indirect-tax.ts. */
    indirectTax: indirectTaxSchema.optional(),
    /** Optional risk register (issue 11): see src/domain/scenario/risks.ts. */
    risks: risksSectionSchema.optional(),
  })
  .strict();

export const scenarioSchema = scenarioObject.superRefine(
  (s, ctx) => {
    // Runs even when some fields failed (see `when`), so every problem is listed at once; a
    // check that trips over an invalid field stops there, that field being reported already.
    try {
      crossFieldChecks(s, ctx);
    } catch {
      /* the field it needed is already reported */
    }
  },
  { when: () => true },
);

/**
 * What the cross-field checks read: every field but `format`, `project` and `scenario`. A v1 scenario has
 * the same shape without the v2-only inputs (all optional here), so v1 files get the same checks.
 */
export type CheckedScenario = Omit<
  z.output<typeof scenarioObject>,
  'format' | 'project' | 'scenario'
>;

/** The checks across fields of a scenario (v1 or v2), each issue at its field's path. */
export function crossFieldChecks(s: CheckedScenario, ctx: z.RefinementCtx): void {
  const { timeline, capex, funding } = s;
  if (capex.scheduleYuan.length !== timeline.constructionYears) {
    ctx.addIssue({
      code: 'custom',
      path: ['capex', 'scheduleYuan'],
      message: `The capex schedule has ${capex.scheduleYuan.length} years but construction lasts ${timeline.constructionYears}`,
    });
  }
  const total = capex.scheduleYuan.reduce(
    (acc, v) => (DECIMAL_RE.test(v) ? acc.plus(v) : acc),
    new Dec(0),
  );
  if (total.lte(0)) {
    ctx.addIssue({
      code: 'custom',
      path: ['capex', 'scheduleYuan'],
      message: 'Total investment must be more than 0 yuan',
    });
  }
  const ids = new Set<string>();
  let funded = new Dec(0);
  let hasEquity = false;
  funding.sources.forEach((src, i) => {
    const at = ['funding', 'sources', i];
    if (ids.has(src.id))
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'id'],
        message: `Source id "${src.id}" is used twice`,
      });
    ids.add(src.id);
    if ((src.amountYuan === undefined) === (src.share === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'amountYuan'],
        message:
          'Give either an amount in yuan or a share of total investment, not both or neither',
      });
    } else if (src.amountYuan !== undefined) {
      funded = funded.plus(src.amountYuan);
    } else if (src.share !== undefined) {
      funded = funded.plus(total.times(src.share));
    }
    const nature = SOURCE_KINDS[src.type].nature;
    if (nature === 'equity') hasEquity = true;
    if (nature === 'debt' && !src.debt) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'debt'],
        message: `A ${src.type} source needs debt terms (rate, tenor, repayment)`,
      });
    }
    if (nature !== 'debt' && src.debt) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'debt'],
        message: `A ${src.type} source is not debt and cannot have debt terms`,
      });
    }
    const ownership = ownershipProblem(src.type, nature, src.ownership);
    if (ownership) ctx.addIssue({ code: 'custom', path: [...at, 'ownership'], message: ownership });
    const timing = drawTimingProblem(src.type, nature, src.drawTiming);
    if (timing) ctx.addIssue({ code: 'custom', path: [...at, 'drawTiming'], message: timing });
    if (src.debt) {
      const repaymentYears = src.debt.tenorYears - timeline.constructionYears - src.debt.graceYears;
      if (repaymentYears < 1) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'debt', 'tenorYears'],
          message: `Tenor ${src.debt.tenorYears} years leaves no year to repay after ${timeline.constructionYears} construction and ${src.debt.graceYears} grace years`,
        });
      } else if (
        timeline.constructionYears + src.debt.graceYears + repaymentYears >
        timeline.constructionYears + timeline.operationYears
      ) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'debt', 'tenorYears'],
          message: `Tenor ${src.debt.tenorYears} years runs past the end of operation (${timeline.constructionYears + timeline.operationYears} years in all)`,
        });
      }
      if (isGovernmentServiced(src.type)) governmentServicedChecks(src.type, src.debt, at, ctx);
      if (src.debt.repayment === 'sculpted' && !src.debt.targetDscr) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'debt', 'targetDscr'],
          message: 'Sculpted repayment needs a target DSCR',
        });
      }
    }
  });
  if (total.gt(0) && !funded.eq(total)) {
    const gap = total.minus(funded);
    const fmt = (d: InstanceType<typeof Dec>) =>
      d
        .abs()
        .toFixed(2)
        .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    ctx.addIssue({
      code: 'custom',
      path: ['funding', 'sources'],
      message: gap.gt(0)
        ? `Funding sources total ${fmt(funded)} yuan but the investment is ${fmt(total)} yuan: ${fmt(gap)} yuan is not funded`
        : `Funding sources total ${fmt(funded)} yuan but the investment is ${fmt(total)} yuan: ${fmt(gap)} yuan too much`,
    });
  }
  const natures = funding.sources.map((src) => ({
    id: src.id,
    nature: SOURCE_KINDS[src.type].nature,
  }));
  for (const p of waterfallProblems(funding.waterfall, natures))
    ctx.addIssue({ code: 'custom', ...p });
  if (s.shortfall === 'equity' && !hasEquity) {
    ctx.addIssue({
      code: 'custom',
      path: ['shortfall'],
      message: 'Shortfalls cannot be funded by equity: the scenario has no equity source',
    });
  }
  const ap = s.government.availabilityPayment;
  if (ap && ap.periodYears > timeline.operationYears) {
    ctx.addIssue({
      code: 'custom',
      path: ['government', 'availabilityPayment', 'periodYears'],
      message: `The payment period (${ap.periodYears} years) is longer than operation (${timeline.operationYears} years)`,
    });
  }
  reservesChecks(
    {
      reserves: s.reserves,
      timeline,
      hasEquity,
      // The project's own debt: a government-serviced bond needs no DSRA and cannot fill one.
      debtRepayments: funding.sources.flatMap((src) =>
        src.debt && !isGovernmentServiced(src.type) ? [src.debt.repayment] : [],
      ),
    },
    ctx,
  );
  risksChecks(s, ctx);
  s.revenues.forEach((r, i) => {
    if (r.rampUp.length > timeline.operationYears) {
      ctx.addIssue({
        code: 'custom',
        path: ['revenues', i, 'rampUp'],
        message: 'Ramp-up is longer than the operation period',
      });
    }
  });
}

/**
 * The terms a government-serviced bond cannot have (README "General bonds"): there is no project
 * cash flow to sculpt to, and the government pays interest from the first draw, so none is
 * capitalised; issuance fees are the government's and are not modelled.
 */
function governmentServicedChecks(
  type: string,
  debt: NonNullable<FundingSource['debt']>,
  at: Array<string | number>,
  ctx: z.RefinementCtx,
): void {
  const refuse = (field: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [...at, 'debt', field], message });
  if (debt.repayment === 'sculpted')
    refuse(
      'repayment',
      `A ${type} is serviced from the general public budget, not from the project's cash flow: it cannot be sculpted (use bullet, equal-principal or annuity)`,
    );
  if (debt.constructionInterest === 'capitalised')
    refuse(
      'constructionInterest',
      `A ${type} is serviced from the general public budget, which pays interest from the first draw: construction interest cannot be capitalised`,
    );
  if (DECIMAL_RE.test(debt.upfrontFeeRate) && new Dec(debt.upfrontFeeRate).gt(0))
    refuse(
      'upfrontFeeRate',
      `A ${type}'s issuance fees are the government's and are not modelled: leave upfrontFeeRate at 0`,
    );
}

/** A scenario as written in a file (defaults may be missing). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type FundingSource = Scenario['funding']['sources'][number];
export type RevenueStream = Scenario['revenues'][number];
