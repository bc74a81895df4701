import { z } from 'zod';
import {
  DELIVERIES,
  SCENARIO_FORMAT_V1,
  SOURCE_TYPES,
  crossFieldChecks,
  otherIncomeSchema,
  publicDataSchema,
  scenarioObject,
  sourceList,
  sourceSchema,
  userFeeSchema,
} from './schema';

export { SCENARIO_FORMAT_V1 };

/**
 * Scenario file format v1 (`fundmix-scenario@1`): the v2 schema (./schema.ts) less what v2 added,
 * with the delivery model on the project (`project.delivery`) instead of the scenario. v1 files
 * and stored v1 versions are validated against it, so their problems are reported at their own
 * paths, before `upgradeScenarioV1` (./upgrade.ts) turns them into v2. The v2-only inputs
 * (`scenario.delivery`, the `general-bond` source type, `reserves`, `indirectTax`, `risks`, `funding.waterfall`, a source's `drawTiming`, a
 * stream's `vatRate`) are unknown fields here and refused; every other rule and the cross-field
 * checks are v2's own, so a rule fixed in v2 holds for v1 files too.
 */
const v2 = scenarioObject.shape;

/** v1's source types: v2's less the general bond (v2 only). */
type SourceTypeV1 = Exclude<(typeof SOURCE_TYPES)[number], 'general-bond'>;
const typeV1 = z.enum(
  SOURCE_TYPES.filter((t): t is SourceTypeV1 => t !== 'general-bond') as [
    SourceTypeV1,
    ...SourceTypeV1[],
  ],
);

const revenueV1 = z.discriminatedUnion('kind', [
  userFeeSchema.omit({ vatRate: true }),
  publicDataSchema.omit({ vatRate: true }),
  otherIncomeSchema.omit({ vatRate: true }),
]);

const scenarioObjectV1 = scenarioObject
  .omit({ reserves: true, indirectTax: true, risks: true })
  .extend({
    format: z.literal(SCENARIO_FORMAT_V1, { error: `format must be "${SCENARIO_FORMAT_V1}"` }),
    project: v2.project.extend({ delivery: z.enum(DELIVERIES) }),
    scenario: v2.scenario.omit({ delivery: true }),
    revenues: z.array(revenueV1).max(20).default([]),
    funding: v2.funding.omit({ waterfall: true }).extend({
      sources: sourceList(sourceSchema.omit({ drawTiming: true }).extend({ type: typeV1 })),
    }),
  });

export const scenarioSchemaV1 = scenarioObjectV1.superRefine(
  (s, ctx) => {
    // As in v2: runs even when some fields failed, so every problem is listed at once.
    try {
      crossFieldChecks(s, ctx);
    } catch {
      /* the field it needed is already reported */
    }
  },
  { when: () => true },
);

/** A v1 scenario as written in a file (defaults may be missing). */
export type ScenarioInputV1 = z.input<typeof scenarioSchemaV1>;
/** A validated v1 scenario with every default filled in. */
export type ScenarioV1 = z.output<typeof scenarioSchemaV1>;
