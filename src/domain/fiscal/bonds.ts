import { YuanSum, fenOrNull, type Fen } from '../fen';
import { Dec, Rounding, ZERO, toDec, toFen, type DecimalInput } from '../decimal';
import { DomainError } from '../errors';
import { coverageRatio } from '../engine/government';
import { simulate } from '../engine/simulate';
import type { DebtYear, SimulationResult } from '../engine/types';
import type { Scenario } from '../scenario/schema';
import { duplicateMember, fiscalLedger, memberId, type PortfolioMember } from './obligations';
import { DEFAULT_THRESHOLDS, type JurisdictionThresholds } from './thresholds';

/**
 * Special-bond self-balance (专项债项目收益与融资自求平衡, DOMAIN.md §5.4): coverage ratio
 * (本息覆盖倍数) = project net income over the bonds' life ÷ bond principal + interest, against a
 * configurable threshold, with the shortfall in yuan and revenue stress; and the portfolio's bond
 * balance and debt service by year.
 */

/** Ratios are reported to 6 decimal places, half-up, like the engine's. */
const RATIO_DP = 6;

/** Revenue stress cases of the issue: −10 % and −20 %. */
export const DEFAULT_REVENUE_STRESS: readonly string[] = ['0.9', '0.8'];

export interface CoverageAssessment {
  /** Project net income over the bonds' life, yuan. */
  netIncomeYuan: Dec;
  /** Bond principal plus interest, yuan. */
  debtServiceYuan: Dec;
  /** netIncome ÷ debtService, 6 dp half-up; null without debt service. */
  ratio: Dec | null;
  threshold: Dec;
  /** netIncome ≥ threshold × debtService (exact); true without debt service (nothing to cover). */
  pass: boolean;
  /** threshold × debtService − netIncome when failing, half-up to fen; 0 when passing. */
  shortfallYuan: Dec;
}

/**
 * Judges a coverage: ratio, pass and the shortfall in yuan. Pure: the DOMAIN.md §5.4 worked
 * example is reproduced with it directly.
 * @param netIncome project net income per year over the bonds' life, yuan
 * @param debtService bond principal and interest per year, yuan
 * @param threshold minimum coverage ratio, e.g. 1.2
 */
export function assessCoverage(
  netIncome: readonly Dec[],
  debtService: readonly Dec[],
  threshold: Dec,
): CoverageAssessment {
  const income = netIncome.reduce((a, b) => a.plus(b), ZERO);
  const service = debtService.reduce((a, b) => a.plus(b), ZERO);
  const exact = coverageRatio(netIncome, debtService);
  const needed = service.times(threshold);
  const pass = exact === null || income.gte(needed);
  return {
    netIncomeYuan: income,
    debtServiceYuan: service,
    ratio: exact === null ? null : exact.toDecimalPlaces(RATIO_DP, Rounding.halfUp),
    threshold,
    pass,
    shortfallYuan: pass ? ZERO : toFen(needed.minus(income)),
  };
}

/** Indexes into `result.debts` (and each ledger year's `debt`) of the special bonds. */
export function specialBondIndexes(result: SimulationResult): number[] {
  return result.debts.flatMap((d, j) => (d.type === 'special-bond' ? [j] : []));
}

/**
 * Net income and bond debt service per year on the engine's definitions (src/domain/engine/metrics.ts):
 * net income is the project's own: revenue without government payments, less the data
 * authority's share, operating cost and tax, over the bonds' life (the longest bond tenor, from
 * the first construction year); debt service is each bond's drawdown (its principal) plus
 * accrued interest, over the whole ledger. Null when the scenario has no special bond.
 */
export function coverageBasis(
  scenario: Scenario,
  result: SimulationResult,
): { netIncome: Dec[]; debtService: Dec[]; lifeYears: number } | null {
  const bonds = specialBondIndexes(result);
  if (bonds.length === 0) return null;
  const tenors = bonds.map(
    (j) =>
      scenario.funding.sources.find((s) => s.id === result.debts[j]?.id)?.debt?.tenorYears ?? 0,
  );
  const ledger = fiscalLedger(result);
  const lifeYears = Math.min(ledger.length, Math.max(...tenors));
  const netIncome = ledger.slice(0, lifeYears).map((y) =>
    y.totalRevenue
      .minus(y.operatingSubsidy)
      .minus(y.availabilityPayment)
      .minus(y.dataAuthorityShare.reduce((a, b) => a.plus(b), ZERO))
      .minus(y.opex)
      .minus(y.tax),
  );
  const debtService = ledger.map((y) =>
    bonds.reduce((a, j) => a.plus(y.debt[j]!.drawdown).plus(y.debt[j]!.interest), ZERO),
  );
  return { netIncome, debtService, lifeYears };
}

export interface BondStressCase {
  /** Factor applied to every revenue stream, e.g. 0.9 for −10 %. */
  revenueFactor: Dec;
  coverage: CoverageAssessment;
}

export interface BondSelfBalance {
  projectCode: string;
  scenarioName: string;
  /** Committed special-bond amount of the project, yuan. */
  bondAmountYuan: Dec;
  /** Years of the bonds' life (longest tenor, capped at the project's length). */
  lifeYears: number;
  base: CoverageAssessment;
  /** The coverage when revenue falls (re-simulated with `overrides.revenueFactor`). */
  stress: BondStressCase[];
}

export interface BondOptions {
  /** Revenue factors to re-simulate (default 0.9 and 0.8); [] skips the re-runs. */
  revenueFactors?: readonly DecimalInput[];
  /** Coverage threshold (default: the jurisdiction's `bondCoverage`). */
  threshold?: DecimalInput;
}

/**
 * Self-balance of one bond-funded scenario. The threshold is the jurisdiction's, not the
 * scenario's own covenant (which drives the engine's flag). Each stress case re-runs the engine
 * on the same scenario with `overrides.revenueFactor`; the base case reads `result`.
 *
 * @returns null when the scenario has no special-bond source
 * @throws DomainError `invalid-override` for a revenue factor outside (0, 100]
 * @throws DomainError `invalid-argument` for an unreadable factor or threshold
 */
export function bondSelfBalance(
  scenario: Scenario,
  result: SimulationResult,
  thresholds: JurisdictionThresholds = DEFAULT_THRESHOLDS,
  options: BondOptions = {},
): BondSelfBalance | null {
  const basis = coverageBasis(scenario, result);
  if (!basis) return null;
  const read = (v: DecimalInput, what: string) => {
    try {
      return toDec(v);
    } catch (err) {
      throw new DomainError('invalid-argument', `${what}: ${(err as Error).message}`);
    }
  };
  const threshold = read(options.threshold ?? thresholds.bondCoverage, 'Coverage threshold');
  const stress = (options.revenueFactors ?? DEFAULT_REVENUE_STRESS).map((f) => {
    const revenueFactor = read(f, 'Revenue factor');
    const stressed = coverageBasis(scenario, simulate(scenario, { overrides: { revenueFactor } }));
    // Same scenario, so the bonds are still there.
    const b = stressed as NonNullable<typeof stressed>;
    return { revenueFactor, coverage: assessCoverage(b.netIncome, b.debtService, threshold) };
  });
  return {
    projectCode: scenario.project.code,
    scenarioName: scenario.scenario.name,
    bondAmountYuan: specialBondIndexes(result).reduce(
      (a, j) => a.plus(result.debts[j]?.amount ?? ZERO),
      ZERO,
    ),
    lifeYears: basis.lifeYears,
    base: assessCoverage(basis.netIncome, basis.debtService, threshold),
    stress,
  };
}

export interface BondYear {
  year: number;
  /** Balance at the start of the year, yuan. */
  openingYuan: Dec;
  /** Bond proceeds drawn (issued into the projects), yuan. */
  issuedYuan: Dec;
  /** Interest accrued (paid or capitalised), yuan. */
  interestYuan: Dec;
  interestPaidYuan: Dec;
  principalPaidYuan: Dec;
  /** interestPaid + principalPaid, yuan. */
  debtServiceYuan: Dec;
  /** Debt service due but unpaid (unfunded shortfalls only), yuan. */
  arrearsYuan: Dec;
  closingYuan: Dec;
  byMember: Array<{ memberId: string; closingYuan: Dec; debtServiceYuan: Dec }>;
}

export interface PortfolioBonds {
  /** One row per calendar year any bond-funded member spans, ascending. */
  rows: BondYear[];
  /** Members with special bonds. */
  members: string[];
  totalIssuedYuan: Dec;
  totalDebtServiceYuan: Dec;
  /** Special bonds used as project capital across the portfolio (`fiscal.bondAsCapitalYuan`). */
  bondAsCapital: {
    amountYuan: Dec;
    bondsYuan: Dec;
    /** amount ÷ bonds, 6 dp half-up; null without bonds. */
    share: Dec | null;
    max: Dec;
    /** share above the maximum (exact comparison). */
    exceeds: boolean;
  };
}

/**
 * Special-bond balance and debt service by year across a portfolio (DOMAIN.md §6), summing each
 * member's special-bond lines of the ledger; and the share of bonds used as project capital.
 * Exact sums of posted amounts; only the share is rounded (6 dp half-up).
 * @throws DomainError `duplicate-member` when two members share an id
 */
export function portfolioBonds(
  members: readonly PortfolioMember[],
  thresholds: JurisdictionThresholds = DEFAULT_THRESHOLDS,
): PortfolioBonds {
  return portfolioBondsOf(members.map(bondMember), thresholds);
}

const BOND_KEYS = [
  'openingYuan',
  'issuedYuan',
  'interestYuan',
  'interestPaidYuan',
  'principalPaidYuan',
  'debtServiceYuan',
  'arrearsYuan',
  'closingYuan',
] as const;
type BondAmounts = Record<(typeof BOND_KEYS)[number], Dec>;

/** One member's special-bond lines of one year, summed over its bonds, yuan. */
export interface BondMemberYear extends BondAmounts {
  year: number;
  /** `fenOrNull` of the amounts in `BOND_KEYS` order, for exact fast sums. */
  fen: ReadonlyArray<Fen | null>;
}

/** What `portfolioBonds` reads of one member, to keep instead of its scenario and result. */
export interface BondMember {
  memberId: string;
  /** Null when the member has no special bond. */
  bonds: { amountYuan: Dec; asCapitalYuan: Dec; years: BondMemberYear[] } | null;
}

/** One member's special-bond figures by year (`bonds` null without a special bond). */
export function bondMember(m: PortfolioMember): BondMember {
  const bonds = specialBondIndexes(m.result);
  if (bonds.length === 0) return { memberId: memberId(m), bonds: null };
  const years = m.result.ledger.map((y): BondMemberYear => {
    const lines = bonds.map((j) => y.debt[j] as DebtYear);
    const total = (pick: (d: DebtYear) => Dec) => lines.reduce((a, d) => a.plus(pick(d)), ZERO);
    const interestPaidYuan = total((d) => d.interestPaid);
    const principalPaidYuan = total((d) => d.principalPaid);
    const amounts: BondAmounts = {
      openingYuan: total((d) => d.opening),
      issuedYuan: total((d) => d.drawdown),
      interestYuan: total((d) => d.interest),
      interestPaidYuan,
      principalPaidYuan,
      debtServiceYuan: interestPaidYuan.plus(principalPaidYuan),
      arrearsYuan: total((d) => d.arrears),
      closingYuan: total((d) => d.closing),
    };
    return { year: y.year, ...amounts, fen: BOND_KEYS.map((k) => fenOrNull(amounts[k])) };
  });
  return {
    memberId: memberId(m),
    bonds: {
      amountYuan: bonds.reduce((a, j) => a.plus(m.result.debts[j]?.amount ?? ZERO), ZERO),
      asCapitalYuan: new Dec(m.scenario.fiscal?.bondAsCapitalYuan ?? '0'),
      years,
    },
  };
}

/**
 * `portfolioBonds` over members' kept parts (`bondMember`): the same report.
 * @throws DomainError `duplicate-member` when two members share an id
 */
export function portfolioBondsOf(
  members: readonly BondMember[],
  thresholds: JurisdictionThresholds = DEFAULT_THRESHOLDS,
): PortfolioBonds {
  const seen = new Set<string>();
  const byYear = new Map<number, { sums: YuanSum[]; byMember: BondYear['byMember'] }>();
  const ids: string[] = [];
  let bondsYuan = ZERO;
  let asCapital = ZERO;
  for (const m of members) {
    const id = m.memberId;
    if (seen.has(id)) throw duplicateMember(id);
    seen.add(id);
    if (m.bonds === null) continue;
    ids.push(id);
    bondsYuan = bondsYuan.plus(m.bonds.amountYuan);
    asCapital = asCapital.plus(m.bonds.asCapitalYuan);
    for (const y of m.bonds.years) {
      let acc = byYear.get(y.year);
      if (!acc)
        byYear.set(y.year, (acc = { sums: BOND_KEYS.map(() => new YuanSum()), byMember: [] }));
      const { sums } = acc;
      BOND_KEYS.forEach((k, i) => sums[i]!.add(y[k], y.fen[i] ?? null));
      acc.byMember.push({
        memberId: id,
        closingYuan: y.closingYuan,
        debtServiceYuan: y.debtServiceYuan,
      });
    }
  }
  const rowsByYear = new Map<number, BondYear>();
  for (const [year, acc] of byYear) {
    const amounts = Object.fromEntries(BOND_KEYS.map((k, i) => [k, acc.sums[i]!.value()]));
    rowsByYear.set(year, { year, ...(amounts as BondAmounts), byMember: acc.byMember });
  }
  const rows = [...rowsByYear.values()].sort((a, b) => a.year - b.year);
  const max = new Dec(thresholds.maxBondAsCapitalShare);
  const share = bondsYuan.gt(0) ? asCapital.div(bondsYuan) : null;
  return {
    rows,
    members: ids,
    totalIssuedYuan: rows.reduce((a, r) => a.plus(r.issuedYuan), ZERO),
    totalDebtServiceYuan: rows.reduce((a, r) => a.plus(r.debtServiceYuan), ZERO),
    bondAsCapital: {
      amountYuan: asCapital,
      bondsYuan,
      share: share === null ? null : share.toDecimalPlaces(RATIO_DP, Rounding.halfUp),
      max,
      exceeds: share !== null && share.gt(max),
    },
  };
}
