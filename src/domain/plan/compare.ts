import { scaledInt, SCORE_DP, type PlanInput } from './model';
import { floorMul, scoreText } from './optimise';

/** One project's place in a programme: which scenario, starting when. */
export interface ProgrammePick {
  projectCode: string;
  scenarioId: string;
  startYear: number;
}

/** What a programme uses of one year's limits, fen (see README "Programme optimiser", Comparison). */
export interface ProgrammeYear {
  year: number;
  generalBudgetFen: bigint;
  /** The envelope of the year; null when none is set. */
  envelopeFen: bigint | null;
  specialBondFen: bigint;
  quotaFen: bigint | null;
  /** The programme's PPP obligations plus the other obligations in force. */
  pppTotalFen: bigint;
  /** ⌊budget × cap⌋ − PPP total; null without a budget figure. Negative: above the cap. */
  capHeadroomFen: bigint | null;
}

export interface ProgrammeSummary {
  /** Σ of the picks' scores (4 places). */
  totalScore: string;
  years: ProgrammeYear[];
}

/**
 * A programme's total score and its year-by-year use of the limits: each pick's scenario needs
 * shifted to its start year (as the optimiser's candidates are), summed exactly in fen. Picks of
 * projects or scenarios not in the input are ignored. Years: the input's limit years and every
 * year a pick needs something, ascending.
 */
export function programmeSummary(
  input: PlanInput,
  picks: readonly ProgrammePick[],
): ProgrammeSummary {
  const use = new Map<number, { g: bigint; s: bigint; p: bigint }>();
  const at = (year: number) => {
    let u = use.get(year);
    if (!u) use.set(year, (u = { g: 0n, s: 0n, p: 0n }));
    return u;
  };
  let score = 0n;
  for (const pick of picks) {
    const scenario = input.projects
      .find((p) => p.code === pick.projectCode)
      ?.scenarios.find((s) => s.id === pick.scenarioId);
    if (!scenario) continue;
    score += scaledInt(scenario.score, SCORE_DP) ?? 0n;
    const shift = pick.startYear - scenario.baseStartYear;
    for (const n of scenario.needs) {
      const u = at(n.year + shift);
      u.g += n.generalBudgetFen;
      u.s += n.specialBondFen;
      u.p += n.pppFen;
    }
  }
  const limits = new Map(input.years.map((y) => [y.year, y]));
  const years = [...new Set([...limits.keys(), ...use.keys()])].sort((a, b) => a - b);
  return {
    totalScore: scoreText(score),
    years: years.map((year) => {
      const u = use.get(year) ?? { g: 0n, s: 0n, p: 0n };
      const l = limits.get(year);
      const ppp = u.p + (l?.otherPppFen ?? 0n);
      const budget = l?.budgetExpenditureFen ?? null;
      return {
        year,
        generalBudgetFen: u.g,
        envelopeFen: l?.generalBudgetEnvelopeFen ?? null,
        specialBondFen: u.s,
        quotaFen: l?.specialBondQuotaFen ?? null,
        pppTotalFen: ppp,
        capHeadroomFen: budget === null ? null : floorMul(budget, input.cap) - ppp,
      };
    }),
  };
}
