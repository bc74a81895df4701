import { Dec, Rounding, ZERO, toDec, toFen, type DecimalInput } from '../decimal';
import { YuanSum, decOf, decOfScaled, fenOrNull, microRatio, type Fen } from '../fen';
import { DomainError } from '../errors';
import { budgetForYear, type BudgetForecast } from './budget';
import {
  duplicateMember,
  governmentObligations,
  governmentObligationsFen,
  isPppProject,
  memberId,
  type ObligationComponents,
  type ObligationYear,
  type ObligationYearFen,
  type PortfolioMember,
} from './obligations';
import { DEFAULT_THRESHOLDS, type JurisdictionThresholds } from './thresholds';

/**
 * PPP fiscal affordability across a portfolio (MoF 财金〔2015〕21号, DOMAIN.md §5.1 and §6):
 * every year, the sum of all PPP obligations of the jurisdiction against its general public
 * budget expenditure, the cap (10 % by default, lower local caps allowed) and the 5 % line above
 * which no new government-pay PPP project may start.
 */

/** Ratios are reported to 6 decimal places, half-up, like the engine's. */
const RATIO_DP = 6;

export interface MemberObligation {
  memberId: string;
  projectCode: string;
  total: Dec;
}

export interface AffordabilityYear {
  year: number;
  /** Sum over the counted members of each MoF component, yuan. */
  obligations: ObligationComponents;
  /**
   * New-mechanism concessions' construction-period investment support (budget and
   * construction-subsidy funding) of the counted members, yuan, reported whether or not it
   * counts; inside `obligations.supportingInvestment` only when the report's
   * `concessionInvestmentSupportCounted` is true.
   */
  concessionInvestmentSupportYuan: Dec;
  /** The jurisdiction's other PPP obligations already in force (`options.otherObligations`), yuan; 0 when none. */
  otherYuan: Dec;
  /** Total PPP obligations of the jurisdiction, yuan: obligations.total + otherYuan. */
  totalYuan: Dec;
  /** Each counted member's total this year, yuan (members with nothing this year included as 0). */
  byMember: MemberObligation[];
  /** Budget expenditure, yuan; null when the forecast has no figure for the year. */
  budgetYuan: Dec | null;
  /** total ÷ budget, 6 dp half-up; null without a budget figure. */
  ratio: Dec | null;
  /** The cap, a fraction. */
  cap: Dec;
  /** cap × budget, yuan, rounded half-up to fen; null without a budget figure. */
  capYuan: Dec | null;
  /** True when the total exceeds cap × budget (exact comparison). */
  breach: boolean;
  /** Yuan above the cap, half-up to fen; 0 when within; null without a budget figure. */
  breachYuan: Dec | null;
  /** Yuan left under the cap, half-up to fen (negative when in breach); null without a budget figure. */
  headroomYuan: Dec | null;
  /** True when the total exceeds newProjectLine × budget; null without a budget figure. */
  aboveNewProjectLine: boolean | null;
}

export interface AffordabilityMemberInfo {
  memberId: string;
  projectCode: string;
  scenarioName: string;
  /** False for government-delivery projects: they carry no PPP obligations. */
  counted: boolean;
}

export interface AffordabilityReport {
  cap: Dec;
  newProjectLine: Dec;
  /** The jurisdiction's `countConcessionInvestmentSupport`: whether that line is in the totals. */
  concessionInvestmentSupportCounted: boolean;
  members: AffordabilityMemberInfo[];
  /** One row per calendar year any counted member spans, ascending. */
  rows: AffordabilityYear[];
  breachYears: number[];
  yearsAboveNewProjectLine: number[];
  yearsWithoutBudget: number[];
  /** The year with the highest ratio (earliest on ties); null when no ratio could be computed. */
  peak: { year: number; ratio: Dec } | null;
}

export interface AffordabilityOptions {
  /** First calendar year to report (default: the first year of any counted member or other obligation). */
  fromYear?: number;
  /** Last calendar year to report (default: the last year of any counted member or other obligation). */
  toYear?: number;
  /**
   * The jurisdiction's PPP obligations outside this portfolio, already in force, yuan by calendar
   * year. The cap applies to all of the jurisdiction's PPP spending, so they are added to every
   * year's total; their years are reported too. One entry per year.
   */
  otherObligations?: ReadonlyArray<{ year: number; amountYuan: DecimalInput }>;
}

/**
 * Year-by-year PPP obligations of a portfolio against the budget.
 *
 * Only PPP and concession projects count (`scenario.delivery` 'ppp' or 'concession'); other members
 * are listed with `counted: false`. New-mechanism concessions' construction-period investment
 * support is reported per year on its own line and counted only where the jurisdiction says so
 * (`thresholds.countConcessionInvestmentSupport`, default false: 国办函〔2023〕115号). Obligations per member come from `governmentObligations`
 * (ledger plus the scenario's `fiscal` section); the jurisdiction's other obligations
 * (`options.otherObligations`) are added to each year's total. No simulation is run: a what-if is
 * another call with one member swapped (see `switchMember`), linear in members × years.
 *
 * Rounding: sums are exact (ledger and inputs are fen); the ratio is rounded to 6 dp half-up,
 * cap, breach and headroom amounts half-up to fen; breach and the 5 % line are judged on exact
 * figures, a total equal to the cap being within it.
 *
 * @param members simulated scenarios, at most one per project
 * @param forecast the jurisdiction's budget expenditure forecast
 * @param thresholds the jurisdiction's thresholds (cap and new-project line)
 * @throws DomainError `duplicate-member` when two members share an id (two scenarios of one project)
 * @throws DomainError `invalid-argument` for another obligation that is negative, unreadable or
 *   given twice for one year
 */
export function assessAffordability(
  members: readonly PortfolioMember[],
  forecast: BudgetForecast,
  thresholds: JurisdictionThresholds = DEFAULT_THRESHOLDS,
  options: AffordabilityOptions = {},
): AffordabilityReport {
  const seen = new Set<string>();
  const kept = members.map((m) => {
    const id = memberId(m);
    if (seen.has(id)) throw duplicateMember(id);
    seen.add(id);
    return affordabilityMember(m, thresholds);
  });
  return assessAffordabilityOf(kept, forecast, thresholds, options);
}

/** What `assessAffordability` reads of one member, to keep instead of its scenario and result. */
export interface AffordabilityMember extends AffordabilityMemberInfo {
  /** The member's obligations by year (none when it is not counted). */
  years: readonly AffordabilityMemberYear[];
}

export interface AffordabilityMemberYear {
  year: number;
  components: ObligationComponents;
  support: Dec;
  /** `fenOrNull` of the components (in `COMPONENT_KEYS` order) and of `support`, for exact fast sums. */
  fen: ReadonlyArray<Fen | null>;
}

const COMPONENT_KEYS = [
  'equityContribution',
  'operatingSubsidy',
  'riskBearing',
  'supportingInvestment',
  'total',
] as const satisfies ReadonlyArray<keyof ObligationComponents>;

/**
 * One member's part of the affordability: its id, whether it counts and its obligations by year.
 * @param obligations the member's `governmentObligations`, when the caller has them already
 */
export function affordabilityMember(
  m: PortfolioMember,
  thresholds: JurisdictionThresholds = DEFAULT_THRESHOLDS,
  obligations?: readonly ObligationYear[],
): AffordabilityMember {
  const counted = isPppProject(m.scenario);
  const inFen =
    counted && !obligations ? governmentObligationsFen(m.scenario, m.result, thresholds) : null;
  const years = !counted
    ? []
    : inFen
      ? inFen.map(memberYearOfFen)
      : (obligations ?? governmentObligations(m.scenario, m.result, thresholds)).map((y) => ({
          year: y.year,
          components: y.components,
          support: y.detail.concessionInvestmentSupport,
          fen: [
            ...COMPONENT_KEYS.map((k) => fenOrNull(y.components[k])),
            fenOrNull(y.detail.concessionInvestmentSupport),
          ],
        }));
  return {
    memberId: memberId(m),
    projectCode: m.scenario.project.code,
    scenarioName: m.scenario.scenario.name,
    counted,
    years,
  };
}

/** A Decimal of fen, sharing ZERO for the many zero components. */
const yuanOf = (fen: Fen): Dec => (fen === 0 ? ZERO : decOf(fen));

/** A member's year from its obligations in fen: the Decimals the Decimal path gives, and the fen. */
function memberYearOfFen(y: ObligationYearFen): AffordabilityMemberYear {
  const [equityContribution, operatingSubsidy, riskBearing, supportingInvestment, total] =
    y.components;
  return {
    year: y.year,
    components: {
      equityContribution: yuanOf(equityContribution),
      operatingSubsidy: yuanOf(operatingSubsidy),
      riskBearing: yuanOf(riskBearing),
      supportingInvestment: yuanOf(supportingInvestment),
      total: yuanOf(total),
    },
    support: yuanOf(y.support),
    fen: [...y.components, y.support],
  };
}

/**
 * `assessAffordability` over members' kept parts (`affordabilityMember`): the same report.
 * @throws DomainError as `assessAffordability`
 */
export function assessAffordabilityOf(
  members: readonly AffordabilityMember[],
  forecast: BudgetForecast,
  thresholds: JurisdictionThresholds = DEFAULT_THRESHOLDS,
  options: AffordabilityOptions = {},
): AffordabilityReport {
  const cap = new Dec(thresholds.affordabilityCap);
  const line = new Dec(thresholds.newProjectLine);
  const seen = new Set<string>();
  const info: AffordabilityMemberInfo[] = [];
  const perMember: Array<{
    id: string;
    code: string;
    byYear: Map<number, AffordabilityMemberYear>;
  }> = [];
  const years = new Set<number>();
  for (const m of members) {
    if (seen.has(m.memberId)) throw duplicateMember(m.memberId);
    seen.add(m.memberId);
    info.push({
      memberId: m.memberId,
      projectCode: m.projectCode,
      scenarioName: m.scenarioName,
      counted: m.counted,
    });
    if (!m.counted) continue;
    const byYear = new Map<number, AffordabilityMemberYear>();
    for (const y of m.years) {
      byYear.set(y.year, y);
      years.add(y.year);
    }
    perMember.push({ id: m.memberId, code: m.projectCode, byYear });
  }
  const other = new Map<number, Dec>();
  for (const o of options.otherObligations ?? []) {
    let amount: Dec;
    try {
      amount = toDec(o.amountYuan);
    } catch (err) {
      throw new DomainError(
        'invalid-argument',
        `Other obligations of ${o.year}: ${(err as Error).message}`,
      );
    }
    const problem =
      amount.isNaN() || amount.isNegative()
        ? 'cannot be negative'
        : other.has(o.year)
          ? 'are given twice'
          : null;
    if (problem)
      throw new DomainError('invalid-argument', `Other obligations of ${o.year} ${problem}`, {
        year: o.year,
      });
    other.set(o.year, amount);
    years.add(o.year);
  }

  const sorted = [...years]
    .filter(
      (y) =>
        (options.fromYear === undefined || y >= options.fromYear) &&
        (options.toYear === undefined || y <= options.toYear),
    )
    .sort((a, b) => a - b);
  const rows: AffordabilityYear[] = sorted.map((year) => {
    const sums = COMPONENT_KEYS.map(() => new YuanSum());
    const support = new YuanSum();
    const byMember: MemberObligation[] = perMember.map((pm) => {
      const y = pm.byYear.get(year);
      // A member without this year adds nothing (adding 0 would not change an exact sum).
      if (!y) return { memberId: pm.id, projectCode: pm.code, total: ZERO };
      for (let i = 0; i < COMPONENT_KEYS.length; i++)
        sums[i]!.add(y.components[COMPONENT_KEYS[i]!], y.fen[i] ?? null);
      support.add(y.support, y.fen[COMPONENT_KEYS.length] ?? null);
      return { memberId: pm.id, projectCode: pm.code, total: y.components.total };
    });
    const obligations = Object.fromEntries(
      COMPONENT_KEYS.map((k, i) => [k, sums[i]!.value()]),
    ) as unknown as ObligationComponents;
    const concessionInvestmentSupportYuan = support.value();
    const otherYuan = other.get(year) ?? ZERO;
    const total = otherYuan.isZero() ? obligations.total : obligations.total.plus(otherYuan);
    const budget = budgetForYear(forecast, year);
    if (budget === null) {
      return {
        year,
        obligations,
        concessionInvestmentSupportYuan,
        otherYuan,
        totalYuan: total,
        byMember,
        budgetYuan: null,
        ratio: null,
        cap,
        capYuan: null,
        breach: false,
        breachYuan: null,
        headroomYuan: null,
        aboveNewProjectLine: null,
      };
    }
    const limits = limitsOf(budget, cap, line);
    const capExact = limits.capExact;
    const breach = total.gt(capExact);
    return {
      year,
      obligations,
      concessionInvestmentSupportYuan,
      otherYuan,
      totalYuan: total,
      byMember,
      budgetYuan: budget,
      ratio: ratioOf(total, budget, limits.budgetFen),
      cap,
      capYuan: limits.capYuan,
      breach,
      breachYuan: breach ? toFen(total.minus(capExact)) : ZERO,
      headroomYuan: toFen(capExact.minus(total)),
      aboveNewProjectLine: total.gt(limits.lineExact),
    };
  });

  let peak: AffordabilityReport['peak'] = null;
  for (const r of rows)
    if (r.ratio !== null && (peak === null || r.ratio.gt(peak.ratio)))
      peak = { year: r.year, ratio: r.ratio };
  return {
    cap,
    newProjectLine: line,
    concessionInvestmentSupportCounted: thresholds.countConcessionInvestmentSupport,
    members: info,
    rows,
    breachYears: rows.filter((r) => r.breach).map((r) => r.year),
    yearsAboveNewProjectLine: rows.filter((r) => r.aboveNewProjectLine === true).map((r) => r.year),
    yearsWithoutBudget: rows.filter((r) => r.budgetYuan === null).map((r) => r.year),
    peak,
  };
}

/** A year's budget against the cap and the new-project line, exactly, and the cap in fen. */
interface Limits {
  capExact: Dec;
  capYuan: Dec;
  lineExact: Dec;
  /** The budget in fen when it is whole fen (null otherwise). */
  budgetFen: Fen | null;
}

/**
 * The limits of each budget figure, per cap and line (budget figures are kept per forecast by
 * `budgetForYear`: a portfolio risk run meets the same ones in every trial).
 */
const limitsCache = new WeakMap<Dec, Map<string, Limits>>();

function limitsOf(budget: Dec, cap: Dec, line: Dec): Limits {
  let byRule = limitsCache.get(budget);
  if (!byRule) {
    byRule = new Map();
    limitsCache.set(budget, byRule);
  }
  const key = `${cap.toString()} ${line.toString()}`;
  let limits = byRule.get(key);
  if (!limits) {
    const capExact = budget.times(cap);
    limits = {
      capExact,
      capYuan: toFen(capExact),
      lineExact: budget.times(line),
      budgetFen: fenOrNull(budget),
    };
    byRule.set(key, limits);
  }
  return limits;
}

/**
 * total ÷ budget to 6 dp half-up. In integers when both are whole fen (a positive budget): the
 * exact quotient in millionths, as the 40-digit Decimal quotient rounds (a quotient of safe fen
 * amounts is never within 10^−40 of a rounding midpoint without being on it).
 */
function ratioOf(total: Dec, budget: Dec, budgetFen: Fen | null): Dec {
  const totalFen = budgetFen !== null && budgetFen > 0 ? fenOrNull(total) : null;
  if (totalFen === null || budgetFen === null)
    return total.div(budget).toDecimalPlaces(RATIO_DP, Rounding.halfUp);
  const m = microRatio(totalFen, budgetFen);
  // Past 2^53 millionths (a total billions of times the budget) Decimal decides.
  if (!Number.isSafeInteger(m)) return total.div(budget).toDecimalPlaces(RATIO_DP, Rounding.halfUp);
  if (m !== 0) return decOfScaled(m, RATIO_DP);
  // A quotient rounding to 0 keeps the total's sign, as the Decimal one does.
  return totalFen < 0 || total.isNegative()
    ? total.div(budget).toDecimalPlaces(RATIO_DP)
    : new Dec(0);
}

/**
 * What-if: the member list with the member `id` (default id: project code) replaced by another
 * scenario of it. Pure; the original list is not changed. Pass the result to `assessAffordability`.
 * @throws DomainError `not-a-member` when no member has that id
 */
export function switchMember(
  members: readonly PortfolioMember[],
  id: string,
  replacement: PortfolioMember,
): PortfolioMember[] {
  const at = members.findIndex((m) => memberId(m) === id);
  if (at < 0)
    throw new DomainError('not-a-member', `Project ${id} is not in the portfolio`, {
      memberId: id,
    });
  const next = members.slice();
  next[at] = { ...replacement, id: replacement.id ?? members[at]?.id };
  return next;
}

/**
 * Chart data for the affordability picture: ratio per year and the cap and new-project line drawn
 * as flat series, in percent. Floats, for a picture only (STYLE.md): never compute with them.
 */
export function affordabilityChartData(report: AffordabilityReport): {
  years: number[];
  ratioPercent: Array<number | null>;
  capPercent: number[];
  newProjectLinePercent: number[];
} {
  const pct = (d: Dec) => Number(d.times(100).toFixed(4, Rounding.halfUp));
  return {
    years: report.rows.map((r) => r.year),
    ratioPercent: report.rows.map((r) => (r.ratio === null ? null : pct(r.ratio))),
    capPercent: report.rows.map(() => pct(report.cap)),
    newProjectLinePercent: report.rows.map(() => pct(report.newProjectLine)),
  };
}
