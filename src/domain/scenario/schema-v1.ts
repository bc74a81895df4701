import { z } from 'zod';
import { Dec } from '../decimal';
import { fiscalSectionSchema } from '../fiscal/section';
import { DECIMAL_RE, decimalText, rateText, yuanText } from '../decimal-text';
import { multiLineText, singleLineText } from '../text';
import { ownershipProblem, ownershipSchema } from './ownership';

/**
 * Scenario file format v1 (`fundmix-scenario@1`), FROZEN: a copy of the schema as it stood when
 * format v2 replaced it (issue 9), kept so that v1 files and stored v1 versions are validated by
 * exactly the rules they were written under, with their own paths, before `upgradeScenarioV1`
 * (./upgrade.ts) turns them into v2. Never add a field or change a rule here: new inputs go into
 * the v2 schema in ./schema.ts only. The lists (sectors, source types, repayments) are copied
 * too, so that a type added to v2 is not silently accepted in v1.
 *
 * Only the leaf builders (decimal and text rules, ownership, the fiscal section) are shared
 * with v2; they existed in v1 as they are.
 */
export const SCENARIO_FORMAT_V1 = 'fundmix-scenario@1';
const SCENARIO_FORMAT = SCENARIO_FORMAT_V1;

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

const SECTORS = [
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

const SOURCE_TYPES = [
  'budget',
  'special-bond',
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
type SourceType = (typeof SOURCE_TYPES)[number];

type Pillar = 'government' | 'enterprise' | 'social';
type SourceNature = 'grant' | 'debt' | 'equity';

/** Pillar (DOMAIN.md §2) and nature of each funding instrument (as in v1). */
const SOURCE_KINDS: Record<SourceType, { pillar: Pillar; nature: SourceNature }> = {
  budget: { pillar: 'government', nature: 'grant' },
  'special-bond': { pillar: 'government', nature: 'debt' },
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

const REPAYMENTS = ['bullet', 'equal-principal', 'annuity', 'sculpted'] as const;

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

const source = z
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
  })
  .strict();

const userFee = z
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
  })
  .strict();

const publicData = z
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
  })
  .strict();

const otherIncome = z
  .object({
    kind: z.literal('other'),
    name: revenueName,
    annualYuan: yuan('Other income'),
    growth: growth('Income growth').default('0'),
    rampUp,
  })
  .strict();

const revenueStreamSchema = z.discriminatedUnion('kind', [userFee, publicData, otherIncome]);

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

const scenarioObject = z
  .object({
    format: z.literal(SCENARIO_FORMAT, { error: `format must be "${SCENARIO_FORMAT}"` }),
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
        delivery: z.enum(['government', 'ppp', 'concession']),
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
        sources: z.array(source).min(1, { error: 'Add at least one funding source' }).max(30),
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
  })
  .strict();

export const scenarioSchemaV1 = scenarioObject.superRefine(
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

function crossFieldChecks(s: z.output<typeof scenarioObject>, ctx: z.RefinementCtx): void {
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

/** A v1 scenario as written in a file (defaults may be missing). */
export type ScenarioInputV1 = z.input<typeof scenarioSchemaV1>;
/** A validated v1 scenario with every default filled in. */
export type ScenarioV1 = z.output<typeof scenarioSchemaV1>;
