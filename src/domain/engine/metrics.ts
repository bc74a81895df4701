import { Dec, ZERO, toFen } from '../decimal';
import {
  decOf,
  fenText,
  microRatio,
  npvFen,
  paybackYearsFen,
  pvRatiosMicro,
  ratioOf,
  weightedRatio,
  type Fen,
  type Ratio,
} from '../fen';
import { solveIrrFen } from '../finance';
import type { Pillar } from '../scenario/schema';
import type { CompiledScenario } from './compile';
import { micro, sumYears, type CoreYear } from './core';
import { lazy } from '../lazy';
import {
  GOVERNMENT_INSTRUMENTS,
  type Flag,
  type GovernmentInstrument,
  type IrrFigure,
  type Metrics,
  type SourceSummary,
} from './types';

// Ratios (DSCR, LLCR, coverage, shares) are reported to 6 decimal places, half-up: exact
// quotients in millionths (`microRatio`, `pvRatiosMicro`) made Decimals by `micro`.

function irrFigure(flowsFen: Fen[]): IrrFigure {
  const r = solveIrrFen(flowsFen);
  return { status: r.status, rate: r.rate, multiple: r.multiple, roots: r.roots };
}

/**
 * `amount.toFixed(2)` of `amount` = decOf(f): fenText's float division is exact enough up to
 * 10^15 fen (its quotient is then within 0.002 of the true one, whose fraction is a whole number
 * of cents), so it serves there without the Decimal's formatting.
 */
export function yuanText(f: Fen, amount: Dec): string {
  return Number.isInteger(f) && Math.abs(f) <= 1e15 ? fenText(f) : amount.toFixed(2);
}

/** A rate as a percentage with 2 decimals, for flag messages (e.g. 0.212606 → "21.26 %"). */
function percentText(rate: Dec): string {
  return `${rate.times(100).toFixed(2)} %`;
}

/**
 * a × b < c × d exactly, for safe integers (fen, or a ratio's parts): in floats when the two
 * products differ by more than their rounding (each within u), else in BigInt.
 */
function lessProduct(a: number, b: number, c: number, d: number): boolean {
  const x = a * b;
  const y = c * d;
  if (Math.abs(x - y) > 2.5e-16 * (Math.abs(x) + Math.abs(y))) return x < y;
  return BigInt(a) * BigInt(b) < BigInt(c) * BigInt(d);
}

/** DSCR minimum (year and value in millionths), average in millionths and covenant breaches. */
interface DscrSummary {
  minMicro: number | null;
  minYear: number | null;
  avgMicro: number | null;
  belowCovenant: number[];
}

/**
 * Over the operation years with debt service due: the year of the lowest exact ratio CFADS / debt
 * service (the earliest on a tie), the years whose exact ratio is below the covenant, and the
 * average Σ CFADS / Σ debt service; ratios reported to 6 dp half-up.
 */
function dscrSummary(core: readonly CoreYear[], covenant: Ratio): DscrSummary {
  let minCfads = 0;
  let minService = 0;
  let minYear: number | null = null;
  let cfadsSum = 0;
  let serviceSum = 0;
  const belowCovenant: number[] = [];
  const covNum = Number(covenant.num);
  const covDen = Number(covenant.den);
  for (const y of core) {
    if (y.construction || y.debtServiceDue <= 0) continue;
    const cfads = y.cfads;
    const service = y.debtServiceDue;
    cfadsSum += cfads;
    serviceSum += service;
    if (minYear === null || lessProduct(cfads, minService, minCfads, service)) {
      minCfads = cfads;
      minService = service;
      minYear = y.year;
    }
    if (lessProduct(cfads, covDen, covNum, service)) belowCovenant.push(y.year);
  }
  return {
    minMicro: minYear === null ? null : microRatio(minCfads, minService),
    minYear,
    avgMicro: minYear === null ? null : microRatio(cfadsSum, serviceSum),
    belowCovenant,
  };
}

/** Computes the metrics of a working ledger and adds the flags they raise. */
export function computeMetrics(
  model: CompiledScenario,
  core: CoreYear[],
  sources: SourceSummary[],
  /** The sources' committed amounts in fen (`sources[i].amount` × 100). */
  amountsFen: readonly Fen[],
  debtRates: Ratio[],
  totalInvestmentFen: Fen,
  flags: Flag[],
): Metrics {
  const C = model.constructionYears;
  const totalInvestment = decOf(totalInvestmentFen);
  const projectFlowsFen = core.map((y) => y.projectFlow);
  const projectIrr = irrFigure(projectFlowsFen);
  if (projectIrr.status === 'no-solution') {
    flags.push({
      code: 'project-irr-none',
      severity: 'info',
      message: 'No rate makes the project flows worth zero: the project IRR does not exist',
    });
  } else if (projectIrr.multiple) {
    flags.push({
      code: 'project-irr-multiple',
      severity: 'warning',
      message: `Several rates make the project flows worth zero (${projectIrr.roots.map(percentText).join(', ')}); the one nearest 10 % is reported`,
    });
  }

  const equity = model.equityIndexes.map((sourceIndex, i) => {
    const holder = sources[sourceIndex] as SourceSummary;
    let contributed = 0;
    let distributed = 0;
    const flows = core.map((y) => {
      const e = y.equity[i]!;
      // A DSRA funded by equity is the holders' money (src/domain/README.md, "Reserve accounts").
      const paidIn =
        e.contribution + e.shortfallContribution + (y.reserves?.dsraEquityByHolder[i] ?? 0);
      contributed += paidIn;
      distributed += e.distribution;
      return e.distribution - paidIn;
    });
    return {
      sourceId: holder.id,
      name: holder.name,
      contributed: decOf(contributed),
      distributed: decOf(distributed),
      irr: irrFigure(flows),
      npv: decOf(npvFen(flows, model.discountRatio.equity)),
    };
  });

  // Debt cover ratios, exact (src/domain/README.md, "DSCR"): the minimum and the covenant are
  // judged on CFADS / debt service itself, the average is Σ CFADS / Σ debt service.
  const cover = dscrSummary(core, ratioOf(model.minDscr));
  const { belowCovenant } = cover;
  const dscrMinMicro = cover.minMicro;
  const dscrMinYear = cover.minYear;
  const dscrAvg = cover.avgMicro === null ? null : micro(cover.avgMicro);
  if (belowCovenant.length > 0) {
    flags.push({
      code: 'dscr-below-covenant',
      severity: 'warning',
      message: `DSCR is below the ${model.minDscr.toString()} covenant in ${belowCovenant.length} year(s)`,
      years: belowCovenant,
    });
  }

  // LLCR / PLCR at the start of operation: CFADS discounted at the amount-weighted debt rate,
  // over the loan life / the project life, ÷ debt outstanding. Exact, then 6 dp half-up.
  let llcr: Dec | null = null;
  let plcr: Dec | null = null;
  const outstanding = core[C]?.debt.reduce((a, d) => a + d.opening, 0) ?? 0;
  if (outstanding > 0) {
    const committed = model.debts.map((d) => amountsFen[d.sourceIndex] as Fen);
    const rate = committed.some((w) => w > 0)
      ? weightedRatio(debtRates, committed)
      : weightedRatio(
          debtRates,
          committed.map(() => 1),
        );
    const operation = core.slice(C).map((y) => y.cfads);
    const lastMaturity = Math.max(...model.debts.map((d) => d.tenorYears - 1));
    const loanYears = Math.max(1, Math.min(operation.length, lastMaturity - C + 1));
    const [loan, life] = pvRatiosMicro(operation, rate, [loanYears, operation.length], outstanding);
    llcr = micro(loan as number);
    plcr = micro(life as number);
  }

  // Debt left at maturity is never silent.
  model.debts.forEach((d, j) => {
    const atMaturity = core[Math.min(d.tenorYears - 1, core.length - 1)]?.debt[j];
    if (atMaturity && atMaturity.closing > 0) {
      const left = core[core.length - 1]?.debt[j]?.closing ?? 0;
      const src = sources[d.sourceIndex] as SourceSummary;
      flags.push({
        code: 'debt-not-repaid',
        severity: 'error',
        message: `${src.name} is not repaid within its ${d.tenorYears}-year tenor: ${decOf(atMaturity.closing).toFixed(2)} yuan outstanding at maturity (${decOf(left).toFixed(2)} at the end of the project)`,
        amount: decOf(atMaturity.closing),
      });
    }
  });

  // Special-bond coverage (src/domain/README.md, "Special-bond coverage") over the bonds' life, on the project's own net income
  // (revenue without government payments, less data share, operating cost and tax).
  const bonds = model.debts
    .map((d, j) => ({ d, j }))
    .filter(({ d }) => (sources[d.sourceIndex] as SourceSummary).type === 'special-bond');
  let bondCoverage: Dec | null = null;
  let bondDebtServiceFen = 0;
  if (bonds.length > 0) {
    const life = Math.min(core.length, Math.max(...bonds.map(({ d }) => d.tenorYears)));
    const ownNet = sumYears(
      core.slice(0, life),
      (y) =>
        y.totalRevenue -
        y.operatingSubsidy -
        y.availabilityPayment -
        y.dataShare.reduce((a, b) => a + b, 0) -
        y.opex -
        y.tax +
        (y.vat ? y.vat.opexInput - y.vat.surcharges : 0),
    );
    // Principal + interest = what was drawn + all interest accrued (paid or capitalised).
    bondDebtServiceFen = sumYears(core, (y) =>
      bonds.reduce((a, { j }) => a + y.debt[j]!.drawdown + y.debt[j]!.interest, 0),
    );
    if (bondDebtServiceFen > 0) {
      // Exact quotient to 6 dp half-up (Decimal's 40-digit division then 6 dp gives the same: a
      // quotient of safe fen is never that close to a midpoint without being on it).
      bondCoverage = micro(microRatio(ownNet, bondDebtServiceFen));
      if (bondCoverage.lt(model.bondCoverageThreshold)) {
        const gap = toFen(
          decOf(bondDebtServiceFen).times(model.bondCoverageThreshold).minus(decOf(ownNet)),
        );
        flags.push({
          code: 'bond-coverage-below-threshold',
          severity: 'warning',
          message: `Special-bond coverage ${bondCoverage.toFixed(2)} is below ${model.bondCoverageThreshold.toString()}: project net income falls ${gap.toFixed(2)} yuan short`,
          amount: gap,
        });
      }
    }
  }

  // Shortfalls: who covered them, or that nobody did.
  const shortfallFlag = (
    code: string,
    severity: Flag['severity'],
    pick: (y: CoreYear) => Fen,
    message: string,
  ) => {
    const years = core.filter((y) => pick(y) > 0);
    if (years.length === 0) return;
    const amountFen = sumYears(years, pick);
    const amount = decOf(amountFen);
    flags.push({
      code,
      severity,
      message: `${message}: ${yuanText(amountFen, amount)} yuan in ${years.length} year(s)`,
      years: years.map((y) => y.year),
      amount,
    });
  };
  // Each unpaid fen counts once, in the year it fell due; what is still owed at the end is the
  // debt's closing balance (src/domain/README.md, "Shortfalls and arrears").
  const last = core[core.length - 1];
  const unpaidAtEndFen = last ? last.debt.reduce((a, d) => a + d.closing, 0) : 0;
  shortfallFlag(
    'unfunded-shortfall',
    'error',
    (y) => y.shortfallUnfunded,
    `Cash needs nobody funds (new debt arrears or operating deficit; ${fenText(unpaidAtEndFen)} yuan of debt still owed at the end)`,
  );
  shortfallFlag(
    'government-shortfall-support',
    'warning',
    (y) => (y.construction ? 0 : y.shortfallByGovernment),
    'The government covers operating-period shortfalls',
  );
  shortfallFlag(
    'government-construction-financing',
    'info',
    (y) => (y.construction ? y.shortfallByGovernment : 0),
    'The government pays financing costs during construction',
  );
  shortfallFlag(
    'equity-shortfall-support',
    'info',
    (y) => y.shortfallByEquity,
    'Equity holders inject cash to cover shortfalls',
  );

  const byInstrument = (): Record<GovernmentInstrument, Dec> => {
    const out = {} as Record<GovernmentInstrument, Dec>;
    GOVERNMENT_INSTRUMENTS.forEach(
      (k, i) => (out[k] = decOf(sumYears(core, (y) => y.government[i] as Fen))),
    );
    return out;
  };

  const fundingByPillar = (): Metrics['fundingByPillar'] => {
    const out = {} as Metrics['fundingByPillar'];
    for (const pillar of ['government', 'enterprise', 'social'] as Pillar[]) {
      // In fen, exactly (the amounts are fen); the share as bondCoverage's quotient is.
      let amountFen = 0;
      sources.forEach((s, i) => {
        if (s.pillar === pillar) amountFen += amountsFen[i] as Fen;
      });
      out[pillar] = {
        amount: decOf(amountFen),
        share: totalInvestmentFen > 0 ? micro(microRatio(amountFen, totalInvestmentFen)) : ZERO,
      };
    }
    return out;
  };

  const metrics = {
    totalInvestment,
    projectNpv: decOf(npvFen(projectFlowsFen, model.discountRatio.project)),
    projectIrr,
    equity,
    paybackYears: paybackYearsFen(projectFlowsFen, null),
    discountedPaybackYears: paybackYearsFen(projectFlowsFen, model.discountRatio.project),
    dscrMin: dscrMinMicro === null ? null : micro(dscrMinMicro),
    dscrAvg,
    dscrMinYear,
    llcr,
    plcr,
    bondCoverage,
    bondDebtService: decOf(bondDebtServiceFen),
    unpaidAtEnd: decOf(unpaidAtEndFen),
    governmentOutlayTotal: undefined,
    governmentOutlayByInstrument: undefined,
    governmentNpv: decOf(
      npvFen(
        core.map((y) => y.governmentNet),
        model.discountRatio.government,
      ),
    ),
    fundingByPillar: undefined,
  } as unknown as Metrics;
  // Figures no risk run reads are made on first read, in place (same keys, same order, same JSON).
  lazy(metrics, 'governmentOutlayTotal', () => decOf(sumYears(core, (y) => y.governmentNet)));
  lazy(metrics, 'governmentOutlayByInstrument', byInstrument);
  lazy(metrics, 'fundingByPillar', fundingByPillar);
  // A second IRR solve is the dearest part of the metrics: only when read (runs reading a few
  // metrics, such as sensitivity and Monte Carlo, skip it).
  lazy(metrics, 'projectIrrPreTax', () => irrFigure(core.map((y) => y.projectFlowPreTax)));
  return metrics;
}
