import { DomainError } from '../errors';
import {
  buildCandidates,
  scaledInt,
  SCORE_DP,
  validatePlanInput,
  YI_FEN,
  type Candidate,
  type Excluded,
  type PlanInput,
} from './model';

/** The HiGHS one-shot solver's shape (`require('highs')()`), injected so the domain stays pure. */
export interface LpSolver {
  solve(
    lp: string,
    options?: Record<string, unknown>,
  ): {
    Status: string;
    ObjectiveValue: number;
    Columns: Record<string, { Primal: number }>;
    /** A MIP's proven bound on the objective, where the solver reports it (see `highsSolver`). */
    DualBound?: number;
  };
}

export type RowKind = 'general-budget' | 'special-bond-quota' | 'general-bond-quota' | 'ppp-cap';

/** One yearly constraint: Σ coef·x (+ lineGap·z for PPP) ≤ rhs, all fen. */
interface Row {
  name: string;
  kind: RowKind;
  year: number;
  rhs: bigint;
  terms: Array<{ col: number; coef: bigint }>;
  /** PPP only: cap room minus line room (fen), the z column's coefficient. */
  lineGap?: bigint;
}

export interface ConstraintReport {
  kind: RowKind;
  year: number;
  /** The right-hand side that applies to the chosen programme, fen (the 5 % line when it applies). */
  limitFen: bigint;
  usedFen: bigint;
  slackFen: bigint;
  /** True when the slack is exactly 0. */
  binding: boolean;
  /** Whether the 5 % line (not the 10 % cap) bounds this PPP year for the chosen programme. */
  lineApplies?: boolean;
  /** Objective gain (score units ÷ 10⁴, decimal text) of one more 亿元; null when not re-solved. */
  shadowValue: string | null;
}

export interface PlanChoice {
  projectCode: string;
  scenarioId: string;
  scenarioName: string;
  startYear: number;
  score: string;
}

export interface PlanResult {
  status: 'optimal' | 'time-limit';
  /**
   * Relative gap (bound − total) ÷ bound to the solver's proven bound (the LP relaxation's when
   * the solver gives none), decimal text 6 dp; '0' when optimal.
   */
  gap: string;
  totalScore: string;
  chosen: PlanChoice[];
  constraints: ConstraintReport[];
  excluded: Excluded[];
  candidateCount: number;
}

export interface OptimiseOptions {
  /** Seconds for the main solve (default 60). */
  timeLimit?: number;
  /** Re-solve +1 亿元 for constraints whose slack is below 1 亿元 (default true). */
  shadowValues?: boolean;
}

/** ⌊fen × fraction⌋, the fraction decimal text (exact to 12 places). @throws DomainError `invalid-argument` */
export function floorMul(fen: bigint, fraction: string): bigint {
  const scaled = scaledInt(fraction, 12);
  if (scaled === null) throw new DomainError('invalid-argument', `Not a fraction: ${fraction}`);
  return (fen * scaled) / 10n ** 12n;
}

/** The yearly rows over the candidates (rows without a candidate term are left out). */
function buildRows(input: PlanInput, cands: Candidate[]): Row[] {
  const rows: Row[] = [];
  for (const y of input.years) {
    const g: Row | null =
      y.generalBudgetEnvelopeFen === null
        ? null
        : {
            name: `g${y.year}`,
            kind: 'general-budget',
            year: y.year,
            rhs: y.generalBudgetEnvelopeFen,
            terms: [],
          };
    const s: Row | null =
      y.specialBondQuotaFen === null
        ? null
        : {
            name: `s${y.year}`,
            kind: 'special-bond-quota',
            year: y.year,
            rhs: y.specialBondQuotaFen,
            terms: [],
          };
    const gq = y.generalBondQuotaFen ?? null;
    const b: Row | null =
      gq === null
        ? null
        : { name: `b${y.year}`, kind: 'general-bond-quota', year: y.year, rhs: gq, terms: [] };
    const capRoom =
      y.budgetExpenditureFen === null
        ? null
        : floorMul(y.budgetExpenditureFen, input.cap) - y.otherPppFen;
    const lineRoom =
      y.budgetExpenditureFen === null
        ? null
        : floorMul(y.budgetExpenditureFen, input.newProjectLine) - y.otherPppFen;
    const p: Row | null =
      capRoom === null || lineRoom === null
        ? null
        : {
            name: `p${y.year}`,
            kind: 'ppp-cap',
            year: y.year,
            rhs: capRoom,
            terms: [],
            lineGap: capRoom - lineRoom,
          };
    cands.forEach((c, col) => {
      const n = c.needs.get(y.year);
      if (!n) return;
      if (g && n.generalBudgetFen !== 0n) g.terms.push({ col, coef: n.generalBudgetFen });
      if (s && n.specialBondFen !== 0n) s.terms.push({ col, coef: n.specialBondFen });
      const gb = n.generalBondFen ?? 0n;
      if (b && gb !== 0n) b.terms.push({ col, coef: gb });
      if (p && n.pppFen !== 0n) p.terms.push({ col, coef: n.pppFen });
    });
    for (const r of [g, s, b, p]) if (r && r.terms.length > 0) rows.push(r);
  }
  return rows;
}

/** Government-pay candidates with a PPP obligation in the row's year (they force the 5 % line). */
function linedBy(row: Row, cands: Candidate[]): number[] {
  return row.terms.filter((t) => cands[t.col]?.governmentPay === true).map((t) => t.col);
}

/**
 * A PPP row with government-pay terms (README "Programme optimiser", Formulation). Where the 5 %
 * line's room is negative, no government-pay candidate may have obligations that year: they are
 * fixed at 0 and the row keeps the others against the cap. Where every term is government-pay, the
 * line applies whenever the row is used at all, so the row is Σ P x ≤ line room, exactly, with no
 * z and no links. Otherwise the big-M form: Σ P x + (cap room − line room) z ≤ cap room, x ≤ z for
 * each government-pay term, z binary (pushed to `zs`).
 */
function pppRow(r: Row, capRoom: bigint, lined: number[], zs: string[]): string[] {
  const gap = r.lineGap as bigint;
  const lineRoom = capRoom - gap;
  const sum = (terms: Row['terms']) => terms.map((t) => `${t.coef} x${t.col}`).join(' + ');
  if (lineRoom < 0n) {
    const gov = new Set(lined);
    const rest = r.terms.filter((t) => !gov.has(t.col));
    const fixed = lined.map((col) => ` f${r.year}_${col}: x${col} <= 0`);
    return rest.length === 0 ? fixed : [...fixed, ` ${r.name}: ${sum(rest)} <= ${capRoom}`];
  }
  if (lined.length === r.terms.length) return [` ${r.name}: ${sum(r.terms)} <= ${lineRoom}`];
  zs.push(`z${r.year}`);
  return [
    ...lined.map((col) => ` l${r.year}_${col}: x${col} - z${r.year} <= 0`),
    ` ${r.name}: ${sum(r.terms)} + ${gap} z${r.year} <= ${capRoom}`,
  ];
}

/** CPLEX LP text of the programme. Columns x0…, z<year>; `bump` adds to one row's rhs. */
export function lpText(
  input: PlanInput,
  cands: Candidate[],
  rows: Row[],
  opts: { relax?: boolean; bump?: string; drop?: string } = {},
): string {
  const lines: string[] = [
    'Maximize',
    ` obj: ${cands.map((c, i) => `${c.scoreUnits} x${i}`).join(' + ') || '0 x0'}`,
    'Subject To',
  ];
  const zs: string[] = [];
  for (const r of rows) {
    const rhs = r.rhs + (opts.bump === r.name ? YI_FEN : 0n);
    const lined = linedBy(r, cands);
    if (r.lineGap !== undefined && lined.length > 0) lines.push(...pppRow(r, rhs, lined, zs));
    else
      lines.push(` ${r.name}: ${r.terms.map((t) => `${t.coef} x${t.col}`).join(' + ')} <= ${rhs}`);
  }
  const byProject = new Map<string, number[]>();
  cands.forEach((c, i) =>
    byProject.set(c.projectCode, [...(byProject.get(c.projectCode) ?? []), i]),
  );
  let k = 0;
  for (const [code, cols] of byProject) {
    const must = input.mustDo.includes(code) && opts.drop !== code;
    lines.push(` o${k++}: ${cols.map((i) => `x${i}`).join(' + ')} ${must ? '=' : '<='} 1`);
  }
  const cols = [...cands.map((_, i) => `x${i}`), ...zs];
  if (opts.relax) lines.push('Bounds', ...cols.map((c) => ` 0 <= ${c} <= 1`), 'End');
  else lines.push('Binary', ` ${cols.join(' ')}`, 'End');
  return lines.join('\n');
}

function chosenCols(sol: { Columns: Record<string, { Primal: number }> }, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if ((sol.Columns[`x${i}`]?.Primal ?? 0) > 0.5) out.push(i);
  return out;
}

/** Score units (10⁻⁴) as decimal text with 4 places. */
export function scoreText(units: bigint): string {
  const neg = units < 0n;
  const a = neg ? -units : units;
  const s = a.toString().padStart(5, '0');
  return `${neg ? '-' : ''}${s.slice(0, -4)}.${s.slice(-4)}`;
}

/** Exact use of every row by a set of chosen columns; the PPP row's limit is the 5 % line when a chosen government-pay candidate has obligations that year. */
export function exactRows(rows: Row[], cands: Candidate[], chosen: number[]): ConstraintReport[] {
  const set = new Set(chosen);
  return rows.map((r) => {
    const used = r.terms.reduce((acc, t) => (set.has(t.col) ? acc + t.coef : acc), 0n);
    const lineApplies =
      r.lineGap !== undefined ? linedBy(r, cands).some((c) => set.has(c)) : undefined;
    const limit = lineApplies ? r.rhs - (r.lineGap as bigint) : r.rhs;
    return {
      kind: r.kind,
      year: r.year,
      limitFen: limit,
      usedFen: used,
      slackFen: limit - used,
      binding: limit === used,
      ...(lineApplies !== undefined ? { lineApplies } : {}),
      shadowValue: null,
    };
  });
}

function solveOnce(solver: LpSolver, lp: string, timeLimit: number) {
  return solver.solve(lp, { mip_rel_gap: 0, time_limit: timeLimit, output_flag: false });
}

/** Which must-do projects conflict: those whose release (alone) makes the programme feasible. */
function explainInfeasible(
  solver: LpSolver,
  input: PlanInput,
  cands: Candidate[],
  rows: Row[],
  t: number,
): never {
  const culprits = input.mustDo.filter((code) => {
    const sol = solveOnce(solver, lpText(input, cands, rows, { drop: code }), t);
    return sol.Status === 'Optimal' || sol.Status === 'Time limit reached';
  });
  const alone = exactRows(rows, cands, []).filter((r) => r.slackFen < 0n);
  const why =
    alone.length > 0
      ? `the limits are exceeded even with no project: ${alone.map((r) => `${r.kind} ${r.year}`).join(', ')}`
      : culprits.length > 0
        ? `must-do projects that cannot all fit: dropping any one of ${culprits.join(', ')} makes it feasible`
        : `the must-do projects ${input.mustDo.join(', ')} cannot all fit the yearly limits together`;
  throw new DomainError('plan-infeasible', `No programme meets the constraints: ${why}`, {
    mustDo: input.mustDo,
    conflicting: culprits,
  });
}

/** Score units of a set of chosen columns. */
function unitsOf(cands: Candidate[], chosen: number[]): bigint {
  return chosen.reduce((a, i) => a + (cands[i] as Candidate).scoreUnits, 0n);
}

/**
 * The main solve (README "Programme optimiser"): at most one candidate (scenario × start year)
 * per project maximising the total score under the yearly general-budget envelope, special-bond
 * quota, the PPP cap and 5 % line; must-do projects exactly one, must-not none. The chosen
 * programme is re-checked exactly in fen. Shadow values are left null, except '0.0000' for rows
 * with at least 1 亿元 of slack (one more 亿元 cannot change the programme); the others are
 * {@link shadowRows}, each valued by {@link shadowValue}.
 * @throws ValidationError on bad input; DomainError `plan-infeasible` naming the conflict
 */
export function solveProgramme(
  input: PlanInput,
  solver: LpSolver,
  options: Pick<OptimiseOptions, 'timeLimit'> = {},
): PlanResult {
  validatePlanInput(input);
  const t = options.timeLimit ?? 60;
  const { candidates, excluded } = buildCandidates(input);
  const rows = buildRows(input, candidates);
  const sol = solveOnce(solver, lpText(input, candidates, rows), t);
  const hasSolution =
    sol.Status === 'Optimal' ||
    (sol.Status === 'Time limit reached' && Object.keys(sol.Columns).length > 0);
  if (sol.Status === 'Infeasible' || !hasSolution)
    explainInfeasible(solver, input, candidates, rows, t);
  const chosen = chosenCols(sol, candidates.length);
  const constraints = exactRows(rows, candidates, chosen);
  const broken = constraints.find((c) => c.slackFen < 0n);
  if (broken)
    throw new DomainError(
      'plan-check-failed',
      `The solver's programme exceeds ${broken.kind} ${broken.year} by ${-broken.slackFen} fen`,
    );
  for (const c of constraints) if (c.slackFen >= YI_FEN) c.shadowValue = '0.0000';
  const total = unitsOf(candidates, chosen);
  let gap = '0';
  if (sol.Status !== 'Optimal') {
    // The branch-and-bound's proven bound where the solver gives it, else the LP relaxation's.
    const bound =
      sol.DualBound !== undefined && Number.isFinite(sol.DualBound)
        ? sol.DualBound
        : solveOnce(solver, lpText(input, candidates, rows, { relax: true }), t).ObjectiveValue;
    const best = Number(total);
    gap = bound > 0 ? (Math.max(0, bound - best) / bound).toFixed(6) : '0';
  }
  return {
    status: sol.Status === 'Optimal' ? 'optimal' : 'time-limit',
    gap,
    totalScore: scoreText(total),
    chosen: chosen.map((i) => {
      const c = candidates[i] as Candidate;
      return {
        projectCode: c.projectCode,
        scenarioId: c.scenarioId,
        scenarioName: c.scenarioName,
        startYear: c.startYear,
        score: scoreText(c.scoreUnits),
      };
    }),
    constraints,
    excluded,
    candidateCount: candidates.length,
  };
}

/** The constraints of a solved programme still to be valued (less than 1 亿元 of slack), by index. */
export function shadowRows(result: PlanResult): number[] {
  return result.constraints.flatMap((c, i) => (c.shadowValue === null ? [i] : []));
}

/**
 * What one more 亿元 on constraint `row` (an index of `result.constraints`) is worth: the
 * re-solved total score less the programme's, never below 0, score text with 4 places.
 */
export function shadowValue(
  input: PlanInput,
  solver: LpSolver,
  result: Pick<PlanResult, 'totalScore'>,
  row: number,
  options: Pick<OptimiseOptions, 'timeLimit'> = {},
): string {
  const { candidates } = buildCandidates(input);
  const rows = buildRows(input, candidates);
  const r = rows[row];
  if (!r) throw new DomainError('invalid-argument', `No constraint ${row}`);
  const total = scaledInt(result.totalScore, SCORE_DP) as bigint;
  const bumped = solveOnce(
    solver,
    lpText(input, candidates, rows, { bump: r.name }),
    options.timeLimit ?? 60,
  );
  const more = unitsOf(candidates, chosenCols(bumped, candidates.length));
  return scoreText(more > total ? more - total : 0n);
}

/**
 * {@link solveProgramme}, then (unless `shadowValues` is false) every {@link shadowRows} valued
 * by {@link shadowValue}, in one call.
 * @throws as {@link solveProgramme}
 */
export function optimiseProgramme(
  input: PlanInput,
  solver: LpSolver,
  options: OptimiseOptions = {},
): PlanResult {
  const result = solveProgramme(input, solver, options);
  if (options.shadowValues !== false)
    for (const i of shadowRows(result))
      (result.constraints[i] as ConstraintReport).shadowValue = shadowValue(
        input,
        solver,
        result,
        i,
        options,
      );
  return result;
}
