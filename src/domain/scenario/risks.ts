import { z } from 'zod';
import { BASE_DRIVERS } from '../risk/drivers';
import { Dec } from '../decimal';
import { decimalText, readDecimalText, rateText, yuanText } from '../decimal-text';
import { singleLineText } from '../text';

/**
 * Optional scenario section `risks` (issue 11, "Risk register"): the project's identified risks
 * with probability, impact and allocation, and how the government's risk-bearing expenditure
 * (风险承担支出, 财金〔2015〕21号) is estimated from them: the proportion, scenario or probability
 * method. Computed by src/domain/fiscal/risk-bearing.ts; rules in README.md, "Risk register".
 * Being part of the scenario, the register is versioned, hashed, audited and diffed with it.
 * Format v2 only; a scenario without the section computes exactly as before.
 */

export const RISK_METHODS = ['proportion', 'scenario', 'probability'] as const;
export type RiskMethod = (typeof RISK_METHODS)[number];

export const RISK_CATEGORIES = [
  'construction-overrun',
  'delay',
  'demand',
  'tariff',
  'data-security',
  'technology-obsolescence',
  'policy-change',
  'financing',
  'force-majeure',
  'other',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/** The drivers a risk can move when it enters the Monte Carlo as an event: every base driver. */
export const RISK_DRIVERS = BASE_DRIVERS;

/** The three cases of the scenario method. */
export const RISK_CASES = ['base', 'adverse', 'worst'] as const;
export type RiskCase = (typeof RISK_CASES)[number];

export const RISK_PHASES = ['construction', 'operation'] as const;

const share = (what: string) => rateText(what, '0', '1');

const calendarYear = z
  .int({ error: 'A year must be a whole number such as 2027' })
  .min(2000)
  .max(2150);

/** One case of the scenario method: the government's expenditure in it, and its probability. */
const riskCase = z
  .object({
    probability: share('Case probability'),
    annualYuan: yuanText('Case annual amount').optional(),
    phase: z.enum(['construction', 'operation', 'all']).default('operation'),
    byYear: z
      .array(z.object({ year: calendarYear, amountYuan: yuanText('Amount') }).strict())
      .max(150)
      .default([]),
  })
  .strict();

const impactRange = z
  .object({
    min: decimalText('Impact minimum'),
    mode: decimalText('Impact most likely value'),
    max: decimalText('Impact maximum'),
  })
  .strict();

const riskItem = z
  .object({
    id: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
        error: 'Risk id must be lower-case letters, digits and dashes (max 40)',
      }),
    category: z.enum(RISK_CATEGORIES),
    description: singleLineText('Risk description', {
      min: 1,
      max: 500,
      required: 'Every risk needs a description',
    }),
    /** Probability that the risk occurs over the years it covers, 0..1. */
    probability: share('Risk probability'),
    /** Loss if it occurs, yuan (before insurance). */
    impactYuan: yuanText('Risk impact'),
    /** When the loss falls: every construction year, every operation year, or these calendar years. */
    years: z.union([
      z.enum(RISK_PHASES, {
        error: 'Risk years must be construction, operation or a list of years',
      }),
      z.array(calendarYear).min(1).max(60),
    ]),
    /** Who bears the loss; the shares sum to exactly 1 (a shared risk is any split). */
    allocation: z
      .object({ government: share('Government share'), partner: share('Partner share') })
      .strict(),
    /** Part of the loss covered by insurance, yuan. */
    insuredYuan: yuanText('Insured amount').optional(),
    /** The risk as a Monte Carlo event: the driver it moves and the range of its impact. */
    monteCarlo: z
      .object({ driver: z.enum(RISK_DRIVERS), impact: impactRange })
      .strict()
      .optional(),
  })
  .strict();

export const risksSectionSchema = z
  .object({
    method: z.enum(RISK_METHODS),
    /** Insurance pays the government first (true) or the partner first (false, the default). */
    insuranceToGovernment: z.boolean().default(false),
    proportion: z
      .object({
        ratio: share('Risk proportion'),
        /** How many operation years, from the first, the operating cost counts (default: all). */
        operatingYears: z.int().min(0).max(50).optional(),
      })
      .strict()
      .optional(),
    scenarios: z.object({ base: riskCase, adverse: riskCase, worst: riskCase }).strict().optional(),
    items: z.array(riskItem).max(100, { error: 'At most 100 risks' }).default([]),
  })
  .strict();

export type RisksSection = z.output<typeof risksSectionSchema>;
export type RiskItem = RisksSection['items'][number];
export type RiskCaseAmounts = z.output<typeof riskCase>;

/** What the cross-field checks read of the scenario (narrow, so this file stands alone). */
interface RisksContext {
  risks?: RisksSection | undefined;
  timeline: { startYear: number; constructionYears: number; operationYears: number };
  fiscal?:
    | {
        riskBearing?: unknown;
        psc?: { retainedRiskYuan?: string | undefined; transferableRiskYuan: string } | undefined;
      }
    | undefined;
}

type Issue = { path: (string | number)[]; message: string };

const COMPUTED = 'computed from the risk register: leave it out while the scenario has one';

const dec = (s: string | undefined): Dec | null => (s === undefined ? null : readDecimalText(s));

/** Problems of the register's method inputs and of typed amounts the register replaces. */
function methodProblems(s: RisksContext, r: RisksSection): Issue[] {
  const out: Issue[] = [];
  if (r.method === 'proportion' && !r.proportion)
    out.push({ path: ['risks', 'proportion'], message: 'The proportion method needs a ratio' });
  const opYears = r.proportion?.operatingYears;
  if (opYears !== undefined && opYears > s.timeline.operationYears)
    out.push({
      path: ['risks', 'proportion', 'operatingYears'],
      message: `The operating period (${opYears} years) is longer than operation (${s.timeline.operationYears} years)`,
    });
  if (r.method === 'scenario' && !r.scenarios)
    out.push({
      path: ['risks', 'scenarios'],
      message: 'The scenario method needs the base, adverse and worst cases',
    });
  if (r.scenarios) out.push(...caseProblems(r.scenarios));
  if (r.method === 'probability' && r.items.length === 0)
    out.push({
      path: ['risks', 'items'],
      message: 'The probability method needs at least one risk',
    });
  if (s.fiscal?.riskBearing !== undefined)
    out.push({ path: ['fiscal', 'riskBearing'], message: `The risk-bearing cost is ${COMPUTED}` });
  if (s.fiscal?.psc?.retainedRiskYuan !== undefined)
    out.push({
      path: ['fiscal', 'psc', 'retainedRiskYuan'],
      message: `The retained risk is ${COMPUTED}`,
    });
  if (!(dec(s.fiscal?.psc?.transferableRiskYuan)?.isZero() ?? true))
    out.push({
      path: ['fiscal', 'psc', 'transferableRiskYuan'],
      message: `The transferable risk is ${COMPUTED}`,
    });
  return out;
}

function caseProblems(cases: Record<RiskCase, RiskCaseAmounts>): Issue[] {
  const out: Issue[] = [];
  let total = new Dec(0);
  let readable = true;
  for (const name of RISK_CASES) {
    const c = cases[name];
    const p = dec(c.probability);
    if (p) total = total.plus(p);
    else readable = false;
    if (c.annualYuan !== undefined && c.byYear.length > 0)
      out.push({
        path: ['risks', 'scenarios', name, 'byYear'],
        message: 'Give either an annual amount or figures by year, not both',
      });
    const seen = new Set<number>();
    c.byYear.forEach((row, i) => {
      if (seen.has(row.year))
        out.push({
          path: ['risks', 'scenarios', name, 'byYear', i, 'year'],
          message: `Year ${row.year} is listed twice`,
        });
      seen.add(row.year);
    });
  }
  if (readable && !total.eq(1))
    out.push({
      path: ['risks', 'scenarios'],
      message: `The case probabilities sum to ${total.toString()}, not exactly 1`,
    });
  return out;
}

/** Problems of one risk item (paths under `risks.items[i]`). */
function itemProblems(item: RiskItem, i: number, s: RisksContext): Issue[] {
  const at = ['risks', 'items', i];
  const out: Issue[] = [];
  const g = dec(item.allocation.government);
  const p = dec(item.allocation.partner);
  if (g && p && !g.plus(p).eq(1))
    out.push({
      path: [...at, 'allocation'],
      message: `The government and partner shares sum to ${g.plus(p).toString()}, not exactly 1`,
    });
  const insured = dec(item.insuredYuan);
  const impact = dec(item.impactYuan);
  if (insured && impact && insured.gt(impact))
    out.push({
      path: [...at, 'insuredYuan'],
      message: 'The insured amount cannot be more than the impact',
    });
  if (Array.isArray(item.years)) {
    const { startYear, constructionYears, operationYears } = s.timeline;
    const last = startYear + constructionYears + operationYears - 1;
    const seen = new Set<number>();
    item.years.forEach((year, j) => {
      if (year < startYear || year > last)
        out.push({
          path: [...at, 'years', j],
          message: `Year ${year} is outside the project (${startYear}–${last})`,
        });
      else if (seen.has(year))
        out.push({ path: [...at, 'years', j], message: `Year ${year} is listed twice` });
      seen.add(year);
    });
  }
  const mc = item.monteCarlo?.impact;
  if (mc) {
    const [lo, mode, hi] = [dec(mc.min), dec(mc.mode), dec(mc.max)];
    if (lo && mode && hi && (lo.gt(mode) || mode.gt(hi)))
      out.push({
        path: [...at, 'monteCarlo', 'impact'],
        message: 'The impact range must have minimum ≤ most likely ≤ maximum',
      });
  }
  return out;
}

/**
 * Adds the register's cross-field problems, each at its field's path. Each part is checked on
 * its own: a part that trips over a field already reported invalid is skipped, the rest still
 * checked, so every problem is listed at once.
 */
export function risksChecks(s: RisksContext, ctx: z.RefinementCtx): void {
  const r = s.risks;
  if (!r) return;
  const issues: Issue[] = [];
  const guarded = (check: () => Issue[]) => {
    try {
      issues.push(...check());
    } catch {
      /* the field it needed is already reported */
    }
  };
  guarded(() => methodProblems(s, r));
  const ids = new Set<string>();
  (Array.isArray(r.items) ? r.items : []).forEach((item, i) => {
    guarded(() => {
      const seen = ids.has(item.id);
      ids.add(item.id);
      return seen
        ? [{ path: ['risks', 'items', i, 'id'], message: `Risk id "${item.id}" is used twice` }]
        : [];
    });
    guarded(() => itemProblems(item, i, s));
  });
  for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
}
