import { DomainError, ValidationError, type FieldIssue } from '../errors';

/**
 * Programme optimiser (issue 12, README "Programme optimiser"): the pure model. Money is integer
 * fen (bigint) throughout; scores are decimal text scaled to integers (`SCORE_SCALE`), so the
 * mixed-integer programme handed to HiGHS has integer coefficients and the chosen programme is
 * re-checked exactly here.
 */

/** Scores are kept to 4 decimal places: coefficient = score × 10⁴ (half-up). */
export const SCORE_DP = 4;
/** One 亿元 in fen: the step used for shadow values. */
export const YI_FEN = 10_000_000_000n;

/** One year's needs of a scenario, fen, in the scenario's own (unshifted) calendar. */
export interface NeedYear {
  year: number;
  /**
   * General public budget use: appropriations, construction and operating subsidies,
   * availability payments, PPP equity, general-bond service.
   */
  generalBudgetFen: bigint;
  /** New special-bond issuance. */
  specialBondFen: bigint;
  /**
   * New general-bond issuance (README "General bonds"): the draws of the scenario's general bonds.
   * Optional (absent: 0); the optimiser's general-bond quota row reads it.
   */
  generalBondFen?: bigint;
  /** PPP obligations counted against the 10 % cap (MoF components). */
  pppFen: bigint;
}

/** One funding scenario of a project, as the optimiser sees it. */
export interface PlanScenario {
  id: string;
  name: string;
  /** Construction start year of the scenario as modelled; shifting moves every need year. */
  baseStartYear: number;
  needs: NeedYear[];
  /** Weighted evaluation score of (project, scenario), decimal text, ≥ 0. */
  score: string;
  /** A government-pay PPP or concession: the 5 % line applies to it. */
  governmentPay: boolean;
  /** Project-capital ratio of the scenario (capital ÷ total investment), decimal text. */
  capitalRatio: string;
}

export interface PlanProject {
  code: string;
  scenarios: PlanScenario[];
  /** Allowed construction start years, inclusive. */
  window: { from: number; to: number };
  /** Minimum project-capital ratio (decimal text): scenarios below it are not candidates. */
  minCapitalRatio: string;
}

/** One year's limits, fen. A year absent from `years` is unconstrained. */
export interface LimitYear {
  year: number;
  /** What the general public budget can give the programme this year; null: no limit (no row). */
  generalBudgetEnvelopeFen: bigint | null;
  /** The jurisdiction's new special-bond quota of the year; null: no quota entered (no row). */
  specialBondQuotaFen: bigint | null;
  /** The new general-bond quota of the year; null or absent: no quota entered (no row). */
  generalBondQuotaFen?: bigint | null;
  /** General public budget expenditure (the cap's base); null: no PPP row this year. */
  budgetExpenditureFen: bigint | null;
  /** PPP obligations already in force outside the programme. */
  otherPppFen: bigint;
}

export interface PlanInput {
  projects: PlanProject[];
  years: LimitYear[];
  /** The 10 % cap and the 5 % line as fractions (decimal text), from the jurisdiction's thresholds. */
  cap: string;
  newProjectLine: string;
  mustDo: string[];
  mustNot: string[];
}

/** One candidate: project × scenario × start year, with its needs shifted to that start. */
export interface Candidate {
  key: string;
  projectCode: string;
  scenarioId: string;
  scenarioName: string;
  startYear: number;
  scoreUnits: bigint;
  governmentPay: boolean;
  needs: Map<number, NeedYear>;
}

/** Decimal text with at most `dp` places → integer scaled by 10^dp, half-up; null when not a number. */
export function scaledInt(text: string, dp: number): bigint | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const frac = (m[3] ?? '').padEnd(dp + 1, '0');
  let v = BigInt((m[2] as string) + frac.slice(0, dp));
  if (Number(frac[dp]) >= 5) v += 1n;
  return m[1] === '-' ? -v : v;
}

/** `a/b ≥ c` for decimal texts, exactly (scaled to 12 dp). */
function ratioAtLeast(value: string, min: string): boolean | null {
  const v = scaledInt(value, 12);
  const m = scaledInt(min, 12);
  return v === null || m === null ? null : v >= m;
}

/** Input checks: each names the field and what conflicts. @throws ValidationError */
export function validatePlanInput(input: PlanInput): void {
  const issues: FieldIssue[] = [];
  const seenYears = new Set<number>();
  input.years.forEach((y, i) => {
    if (seenYears.has(y.year))
      issues.push({ path: `years[${i}].year`, message: `quota year ${y.year} is given twice` });
    seenYears.add(y.year);
  });
  const codes = new Set<string>();
  input.projects.forEach((p, i) => {
    if (codes.has(p.code))
      issues.push({ path: `projects[${i}].code`, message: `project ${p.code} is given twice` });
    codes.add(p.code);
    if (p.window.from > p.window.to)
      issues.push({
        path: `windows.${p.code}`,
        message: `start-year window of ${p.code} ends (${p.window.to}) before it begins (${p.window.from})`,
      });
  });
  const not = new Set(input.mustNot);
  for (const [field, list] of [
    ['mustDo', input.mustDo],
    ['mustNot', input.mustNot],
  ] as const)
    list.forEach((code, i) => {
      if (!codes.has(code))
        issues.push({
          path: `${field}[${i}]`,
          message: `${code} is not a project of the portfolio`,
        });
    });
  input.mustDo.forEach((code, i) => {
    if (not.has(code))
      issues.push({
        path: `mustDo[${i}]`,
        message: `${code} is both must-do and must-not`,
      });
  });
  if (issues.length > 0) throw new ValidationError(issues, issues.map((x) => x.message).join('; '));
}

/** Why a scenario yields no candidate. */
export interface Excluded {
  projectCode: string;
  scenarioId: string;
  reason: 'capital-ratio-below-minimum' | 'score-invalid';
  detail: string;
}

/**
 * Every candidate of the input: each project's scenarios that meet its minimum capital ratio, at
 * every start year of its window, needs shifted by (start − baseStartYear) years.
 * @throws DomainError `must-do-without-candidate` when a must-do project has none
 */
export function buildCandidates(input: PlanInput): {
  candidates: Candidate[];
  excluded: Excluded[];
} {
  const candidates: Candidate[] = [];
  const excluded: Excluded[] = [];
  const mustNot = new Set(input.mustNot);
  for (const p of input.projects) {
    if (mustNot.has(p.code)) continue;
    let any = false;
    for (const s of p.scenarios) {
      const ok = ratioAtLeast(s.capitalRatio, p.minCapitalRatio);
      if (ok !== true) {
        excluded.push({
          projectCode: p.code,
          scenarioId: s.id,
          reason: 'capital-ratio-below-minimum',
          detail: `capital ratio ${s.capitalRatio} < minimum ${p.minCapitalRatio}`,
        });
        continue;
      }
      const score = scaledInt(s.score, SCORE_DP);
      if (score === null || score < 0n) {
        excluded.push({
          projectCode: p.code,
          scenarioId: s.id,
          reason: 'score-invalid',
          detail: s.score,
        });
        continue;
      }
      for (let start = p.window.from; start <= p.window.to; start++) {
        any = true;
        const shift = start - s.baseStartYear;
        const needs = new Map<number, NeedYear>();
        for (const n of s.needs) needs.set(n.year + shift, { ...n, year: n.year + shift });
        candidates.push({
          key: `${p.code}|${s.id}|${start}`,
          projectCode: p.code,
          scenarioId: s.id,
          scenarioName: s.name,
          startYear: start,
          scoreUnits: score,
          governmentPay: s.governmentPay,
          needs,
        });
      }
    }
    if (!any && input.mustDo.includes(p.code))
      throw new DomainError(
        'must-do-without-candidate',
        `Must-do project ${p.code} has no candidate: every scenario is below its minimum capital ratio ${p.minCapitalRatio}`,
        { project: p.code },
      );
  }
  return { candidates, excluded };
}
