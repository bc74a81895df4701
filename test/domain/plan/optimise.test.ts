import highsLoader from 'highs';
import { DomainError, ValidationError } from '../../../src/domain/errors';
import {
  buildCandidates,
  scaledInt,
  type Candidate,
  type PlanInput,
  type PlanProject,
} from '../../../src/domain/plan/model';
import { optimiseProgramme, type LpSolver } from '../../../src/domain/plan/optimise';
import { highsSolver } from '../../../src/domain/plan/solver';

/** What the worker uses (the persistent API, with the proven bound), and the one-shot solver. */
let solver: LpSolver;
let oneShot: LpSolver;
beforeAll(async () => {
  const highs = await highsLoader();
  solver = highsSolver(highs);
  oneShot = highs as unknown as LpSolver;
});

/** Deterministic LCG so every generated instance is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WAN = 1_000_000n; // fen per 万元

/**
 * A small instance: `projects` × 2 scenarios × 2 start years, limits tight enough to choose.
 * Variants (the same random draws): `all-gov`, every scenario government-pay (PPP rows of
 * government-pay terms only); `above-line`, other obligations 1,500 万元 higher, so some years are
 * above the 5 % line before the programme.
 */
function instance(
  seed: number,
  projects = 8,
  variant: 'mixed' | 'all-gov' | 'above-line' | 'general-bond' = 'mixed',
): PlanInput {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const list: PlanProject[] = Array.from({ length: projects }, (_, p) => ({
    code: `P${p}`,
    window: { from: 2027, to: 2028 },
    minCapitalRatio: '0.20',
    scenarios: [0, 1].map((k) => ({
      id: `P${p}-S${k}`,
      name: `S${k}`,
      baseStartYear: 2027,
      score: `${int(10, 90)}.${int(0, 99)}`,
      governmentPay: r() < 0.3 || variant === 'all-gov',
      capitalRatio: r() < 0.1 ? '0.15' : '0.25',
      needs: [0, 1, 2].map((d) => ({
        year: 2027 + d,
        generalBudgetFen: BigInt(int(0, 3000)) * WAN,
        specialBondFen: d === 0 ? BigInt(int(0, 5000)) * WAN : 0n,
        pppFen: BigInt(int(0, 800)) * WAN,
        // Drawn only for this variant, so the others keep their instances.
        ...(variant === 'general-bond' && d === 0
          ? { generalBondFen: BigInt(int(0, 4000)) * WAN }
          : {}),
      })),
    })),
  }));
  return {
    projects: list,
    cap: '0.10',
    newProjectLine: '0.05',
    mustDo: [],
    mustNot: [],
    years: [2027, 2028, 2029, 2030].map((year) => ({
      year,
      generalBudgetEnvelopeFen: BigInt(int(4000, 9000)) * WAN,
      specialBondQuotaFen: BigInt(int(3000, 9000)) * WAN,
      budgetExpenditureFen: BigInt(int(20000, 40000)) * WAN,
      otherPppFen: BigInt(int(0, 400) + (variant === 'above-line' ? 1500 : 0)) * WAN,
      ...(variant === 'general-bond' ? { generalBondQuotaFen: BigInt(int(2000, 6000)) * WAN } : {}),
    })),
  };
}

/** Independent check: every combination of one-or-none candidate per project, exact in fen. */
function bruteForce(input: PlanInput): bigint {
  const { candidates } = buildCandidates(input);
  const byProject = input.projects
    .filter((p) => !input.mustNot.includes(p.code))
    .map((p) => ({ code: p.code, cands: candidates.filter((c) => c.projectCode === p.code) }));
  let best = -1n;
  const pick: Candidate[] = [];
  const feasible = (): boolean =>
    input.years.every((y) => {
      let g = 0n;
      let s = 0n;
      let b = 0n;
      let ppp = y.otherPppFen;
      let lined = false;
      for (const c of pick) {
        const n = c.needs.get(y.year);
        if (!n) continue;
        g += n.generalBudgetFen;
        s += n.specialBondFen;
        b += n.generalBondFen ?? 0n;
        ppp += n.pppFen;
        if (c.governmentPay && n.pppFen !== 0n) lined = true;
      }
      if (y.generalBudgetEnvelopeFen !== null && g > 0n && g > y.generalBudgetEnvelopeFen)
        return false;
      if (y.specialBondQuotaFen !== null && s > 0n && s > y.specialBondQuotaFen) return false;
      const bq = y.generalBondQuotaFen ?? null;
      if (bq !== null && b > 0n && b > bq) return false;
      if (y.budgetExpenditureFen === null || ppp === y.otherPppFen) return true;
      // Mirrors assessAffordability: breach when total > budget × cap; the line likewise.
      const scale = 10n ** 12n;
      const frac = lined ? input.newProjectLine : input.cap;
      return ppp * scale <= y.budgetExpenditureFen * (scaledInt(frac, 12) as bigint);
    });
  const walk = (i: number, score: bigint): void => {
    if (i === byProject.length) {
      if (score > best && feasible()) best = score;
      return;
    }
    const p = byProject[i] as { code: string; cands: Candidate[] };
    if (!input.mustDo.includes(p.code)) walk(i + 1, score);
    for (const c of p.cands) {
      pick.push(c);
      walk(i + 1, score + c.scoreUnits);
      pick.pop();
    }
  };
  walk(0, 0n);
  return best;
}

const units = (text: string) => scaledInt(text, 4) as bigint;

describe('optimiseProgramme', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'matches brute force on generated instance %i (8 projects × 2 scenarios × 2 start years)',
    (seed) => {
      const input = instance(seed);
      const got = optimiseProgramme(input, solver, { shadowValues: false });
      expect(got.status).toBe('optimal');
      expect(units(got.totalScore)).toBe(bruteForce(input));
      expect(got.constraints.every((c) => c.slackFen >= 0n)).toBe(true);
      // The one-shot solver gives the same programme, shadow values included.
      expect(optimiseProgramme(input, oneShot)).toEqual(optimiseProgramme(input, solver));
    },
  );

  it.each([
    [1, 'all-gov'],
    [2, 'all-gov'],
    [3, 'all-gov'],
    [4, 'above-line'],
    [5, 'above-line'],
    [6, 'above-line'],
  ] as const)(
    'matches brute force on instance %i, %s (the tightened PPP rows)',
    (seed, variant) => {
      const input = instance(seed, 8, variant);
      const got = optimiseProgramme(input, solver, { shadowValues: false });
      expect(got.status).toBe('optimal');
      expect(units(got.totalScore)).toBe(bruteForce(input));
      expect(got.constraints.every((c) => c.slackFen >= 0n)).toBe(true);
    },
  );

  it.each([1, 2, 3, 4])(
    'matches brute force on instance %i with general bonds against their quota',
    (seed) => {
      const input = instance(seed, 8, 'general-bond');
      const got = optimiseProgramme(input, solver, { shadowValues: false });
      expect(got.status).toBe('optimal');
      expect(units(got.totalScore)).toBe(bruteForce(input));
      const rows = got.constraints.filter((c) => c.kind === 'general-bond-quota');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((c) => c.slackFen >= 0n)).toBe(true);
    },
  );

  it('lets the general-bond quota change the programme (the row is not idle)', () => {
    const changed = [1, 2, 3, 4].filter((seed) => {
      const input = instance(seed, 8, 'general-bond');
      const free = {
        ...input,
        years: input.years.map((y) => ({ ...y, generalBondQuotaFen: null })),
      };
      return bruteForce(free) > bruteForce(input);
    });
    expect(changed.length).toBeGreaterThan(0);
  });

  it('matches brute force with must-do and must-not projects', () => {
    const input = { ...instance(7), mustDo: ['P1'], mustNot: ['P2', 'P3'] };
    const got = optimiseProgramme(input, solver, { shadowValues: false });
    expect(units(got.totalScore)).toBe(bruteForce(input));
    expect(got.chosen.map((c) => c.projectCode)).toContain('P1');
    expect(got.chosen.map((c) => c.projectCode)).not.toContain('P2');
  });

  it('on a hand-made instance picks the later start that fits, and values one more 亿元 by re-solving', () => {
    const yi = 10_000_000_000n;
    const input: PlanInput = {
      cap: '0.10',
      newProjectLine: '0.05',
      mustDo: [],
      mustNot: [],
      projects: ['A', 'B'].map((code, i) => ({
        code,
        window: { from: 2027, to: 2028 },
        minCapitalRatio: '0.20',
        scenarios: [
          {
            id: code,
            name: code,
            baseStartYear: 2027,
            score: i === 0 ? '60' : '50',
            governmentPay: false,
            capitalRatio: '0.30',
            needs: [{ year: 2027, generalBudgetFen: yi, specialBondFen: 0n, pppFen: 0n }],
          },
        ],
      })),
      years: [2027, 2028].map((year) => ({
        year,
        generalBudgetEnvelopeFen: yi,
        specialBondQuotaFen: 0n,
        budgetExpenditureFen: null,
        otherPppFen: 0n,
      })),
    };
    const got = optimiseProgramme(input, solver);
    expect(got.totalScore).toBe('110.0000');
    expect(got.chosen.map((c) => c.startYear).sort()).toEqual([2027, 2028]);
    const g = got.constraints.filter((c) => c.kind === 'general-budget');
    expect(g.map((c) => [c.year, c.binding, c.shadowValue])).toEqual([
      [2027, true, '0.0000'],
      [2028, true, '0.0000'],
    ]);
  });

  it('a binding envelope worth one more 亿元 shows the score it would buy', () => {
    const yi = 10_000_000_000n;
    const proj = (code: string, score: string): PlanProject => ({
      code,
      window: { from: 2027, to: 2027 },
      minCapitalRatio: '0.20',
      scenarios: [
        {
          id: code,
          name: code,
          baseStartYear: 2027,
          score,
          governmentPay: false,
          capitalRatio: '0.30',
          needs: [{ year: 2027, generalBudgetFen: yi, specialBondFen: 0n, pppFen: 0n }],
        },
      ],
    });
    const input: PlanInput = {
      cap: '0.10',
      newProjectLine: '0.05',
      mustDo: [],
      mustNot: [],
      projects: [proj('A', '60'), proj('B', '45.5')],
      years: [
        {
          year: 2027,
          generalBudgetEnvelopeFen: yi,
          specialBondQuotaFen: 0n,
          budgetExpenditureFen: null,
          otherPppFen: 0n,
        },
      ],
    };
    const got = optimiseProgramme(input, solver);
    expect(got.totalScore).toBe('60.0000');
    expect(got.constraints).toEqual([
      expect.objectContaining({
        kind: 'general-budget',
        year: 2027,
        binding: true,
        shadowValue: '45.5000',
      }),
    ]);
  });

  it('refuses a repeated quota year and a project both must-do and must-not, naming them', () => {
    const bad = instance(1);
    bad.years.push({ ...(bad.years[0] as PlanInput['years'][number]) });
    expect(() => optimiseProgramme(bad, solver)).toThrow(ValidationError);
    expect(() => optimiseProgramme(bad, solver)).toThrow('quota year 2027 is given twice');
    const both = { ...instance(1), mustDo: ['P4'], mustNot: ['P4'] };
    expect(() => optimiseProgramme(both, solver)).toThrow('P4 is both must-do and must-not');
  });

  it('names the must-do projects that cannot all fit', () => {
    const input = instance(2);
    for (const y of input.years) y.generalBudgetEnvelopeFen = 3500n * WAN;
    const mustDo = ['P0', 'P1', 'P2', 'P3', 'P4'];
    let err: unknown;
    try {
      optimiseProgramme({ ...input, mustDo }, solver);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('plan-infeasible');
    expect((err as DomainError).message).toMatch(/^No programme meets the constraints: /);
  });
});
