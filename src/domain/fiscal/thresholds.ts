import { z } from 'zod';
import { Dec } from '../decimal';
import { ValidationError } from '../errors';
import { toFieldIssues } from '../scenario/parse';
import { SECTORS, type Scenario } from '../scenario/schema';
import { rateText, readDecimalText } from '../decimal-text';

/**
 * Thresholds of the fiscal rules, configurable per jurisdiction (DOMAIN.md §5). Every figure the
 * domain reference marks [verify] lives here as a parameter with its stated default, never in the
 * rules themselves. Fractions are decimal strings ("0.10" is 10 %), like the scenario file.
 */

/**
 * The national ceiling of the PPP affordability cap (财金〔2015〕21号, [verify]): a jurisdiction may
 * set a lower cap, never a higher one. A parameter of the schema factory, not a hard-coded law.
 */
export const NATIONAL_AFFORDABILITY_CAP = '0.10';

const sectorOverrides = z
  .partialRecord(z.enum(SECTORS), rateText('Minimum project capital ratio', '0', '1'))
  .default({});

/**
 * Builds the thresholds schema. Every field has its default, so `{}` parses to the defaults.
 * @param nationalCap highest affordability cap a jurisdiction may set (fraction as text)
 */
export function makeThresholdsSchema(nationalCap: string = NATIONAL_AFFORDABILITY_CAP) {
  return z
    .object({
      /** Cap on PPP obligations ÷ general public budget expenditure, every year (default 10 %). */
      affordabilityCap: rateText('Affordability cap', '0', '1').default('0.10'),
      /** Above this ratio no new government-pay PPP project may start (财金〔2019〕10号, default 5 %). */
      newProjectLine: rateText('New-project line', '0', '1').default('0.05'),
      /** Minimum special-bond coverage ratio (本息覆盖倍数), default 1.2. */
      bondCoverage: rateText('Special-bond coverage threshold', '1', '5').default('1.2'),
      /** Longest concession term, construction included, in years (new mechanism, default 40). */
      maxConcessionYears: z.int().min(1).max(99).default(40),
      /** Market-oriented new-mechanism projects: the private-enterprise equity share must exceed this (default 50 %: sole or controlling). */
      privateControlShare: rateText('Private controlling share', '0', '1').default('0.5'),
      /** Strongly public (basic) new-mechanism projects: minimum private-enterprise equity share (default 35 %). */
      minPrivateShareStronglyPublic: rateText(
        'Minimum private share for strongly public projects',
        '0',
        '1',
      ).default('0.35'),
      /** Highest share of special bonds used as project capital (default 25 %; later 30 %). */
      maxBondAsCapitalShare: rateText('Special bonds as capital share', '0', '1').default('0.25'),
      /**
       * The same cap for projects approved on or after `BOND_CAPITAL_RAISED_FROM` (the December
       * 2024 special-bond rules, 国办发〔2024〕52号 [verify]): default 30 %.
       */
      maxBondAsCapitalShareFrom2024: rateText(
        'Special bonds as capital share (approved from December 2024)',
        '0',
        '1',
      ).default('0.30'),
      /** Minimum project capital ratio (资本金比例), default 20 %. */
      minCapitalRatio: rateText('Minimum project capital ratio', '0', '1').default('0.20'),
      /** Sector overrides of the minimum project capital ratio. */
      minCapitalRatioBySector: sectorOverrides,
      /**
       * Whether new-mechanism concessions' construction-period investment support (budget and
       * construction-subsidy funding) counts as supporting investment in the PPP ratio. Default
       * false: 国办函〔2023〕115号 allows government investment support during construction and
       * forbids new future fiscal obligations through concessions, so it is a government
       * investment, reported on its own line, not a PPP obligation. A jurisdiction that still
       * counts it sets true.
       */
      countConcessionInvestmentSupport: z
        .boolean({ error: 'Counting concession investment support must be true or false' })
        .default(false),
    })
    .strict()
    .superRefine((t, ctx) => {
      const cap = readDecimalText(t.affordabilityCap);
      const line = readDecimalText(t.newProjectLine);
      if (cap === null || line === null) return; // already reported by the field's own checks
      if (cap.gt(nationalCap)) {
        ctx.addIssue({
          code: 'custom',
          path: ['affordabilityCap'],
          message: `A jurisdiction may lower the affordability cap but not raise it above the national ${new Dec(nationalCap).times(100).toString()} %`,
        });
      }
      if (line.gt(cap)) {
        ctx.addIssue({
          code: 'custom',
          path: ['newProjectLine'],
          message: 'The new-project line cannot be above the affordability cap',
        });
      }
    });
}

/** Validates a jurisdiction's full set of thresholds (missing fields take the defaults). */
export const thresholdsSchema = makeThresholdsSchema();

/** The thresholds of one jurisdiction, every default filled in. */
export type JurisdictionThresholds = z.output<typeof thresholdsSchema>;
export type JurisdictionThresholdsInput = z.input<typeof thresholdsSchema>;
/** A change to some thresholds (fields not given stay as they are). */
export type ThresholdsChange = Partial<JurisdictionThresholdsInput>;

/** The defaults of DOMAIN.md §5 ([verify] figures). Frozen: copy before changing. */
export const DEFAULT_THRESHOLDS: Readonly<JurisdictionThresholds> = Object.freeze(
  thresholdsSchema.parse({}),
);

/**
 * Validates thresholds (parsed JSON) and fills in the defaults.
 * @throws ValidationError listing every wrong field with its path
 */
export function parseThresholds(input: unknown, nationalCap?: string): JurisdictionThresholds {
  const schema = nationalCap === undefined ? thresholdsSchema : makeThresholdsSchema(nationalCap);
  const result = schema.safeParse(input);
  if (!result.success)
    throw new ValidationError(toFieldIssues(result.error), 'The thresholds are not valid');
  return result.data;
}

/**
 * Applies a change to a jurisdiction's thresholds and validates the result as a whole (a new cap
 * must still be above the new-project line, and so on). Pure: `current` is not modified. The
 * record of who changed what belongs to the store.
 * @throws ValidationError when the change is unknown, malformed or makes the set inconsistent
 */
export function applyThresholdsChange(
  current: JurisdictionThresholds,
  change: unknown,
  nationalCap?: string,
): JurisdictionThresholds {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    throw new ValidationError(
      [{ path: '', message: 'A change must be an object of threshold fields' }],
      'The thresholds change is not valid',
    );
  }
  return parseThresholds({ ...current, ...change }, nationalCap);
}

/** First approval date under the December 2024 special-bond rules (the raised capital cap). [verify] */
export const BOND_CAPITAL_RAISED_FROM = '2024-12-01';

/**
 * Highest share of a project's special bonds that may be used as project capital: the raised cap
 * for approvals on or after `BOND_CAPITAL_RAISED_FROM`, else `maxBondAsCapitalShare`. A fraction.
 * @param approvalDate the project's approval date, `YYYY-MM-DD`
 */
export function maxBondAsCapitalShareFor(
  thresholds: JurisdictionThresholds,
  approvalDate: string,
): Dec {
  return new Dec(
    approvalDate >= BOND_CAPITAL_RAISED_FROM
      ? thresholds.maxBondAsCapitalShareFrom2024
      : thresholds.maxBondAsCapitalShare,
  );
}

/** Minimum project capital ratio for a scenario's sector (sector override or the general figure), a fraction. */
export function minCapitalRatioFor(
  thresholds: JurisdictionThresholds,
  sector: Scenario['project']['sector'],
): Dec {
  return new Dec(thresholds.minCapitalRatioBySector[sector] ?? thresholds.minCapitalRatio);
}
