import { Dec, ONE, ZERO, toFen } from '../decimal';
import { npv, solveIrr } from '../finance';
import type { Pillar } from '../scenario/schema';
import type { CompiledScenario } from './compile';
import { coverageRatio } from './government';
import {
  GOVERNMENT_INSTRUMENTS,
  type Flag,
  type GovernmentInstrument,
  type IrrFigure,
  type LedgerYear,
  type Metrics,
  type SourceSummary,
} from './types';

/** Ratios (DSCR, LLCR, coverage, shares) are reported to 6 decimal places, half-up. */
const RATIO_DP = 6;

function irrFigure(flows: Dec[]): IrrFigure {
  const r = solveIrr(flows);
  return { status: r.status, rate: r.rate, multiple: r.multiple };
}

/**
 * Years until the cumulative flow turns non-negative, interpolated within the year
 * (flows at year ends, year t ends at t + 1). Null when it never does. 2 dp, a time not money.
 */
export function paybackYears(flows: Dec[]): number | null {
  let cumulative = ZERO;
  for (let t = 0; t < flows.length; t++) {
    const flow = flows[t] as Dec;
    const before = cumulative;
    cumulative = cumulative.plus(flow);
    if (cumulative.gte(0) && before.lt(0)) {
      return before.neg().div(flow).plus(t).toDecimalPlaces(2).toNumber();
    }
    if (t === 0 && cumulative.gte(0)) return 0;
  }
  return null;
}

function discounted(flows: Dec[], rate: Dec): Dec[] {
  let factor = ONE;
  const onePlus = ONE.plus(rate);
  return flows.map((f) => {
    factor = factor.times(onePlus);
    return f.div(factor);
  });
}

/** Computes the metrics of a posted ledger and adds the flags they raise. */
export function computeMetrics(
  model: CompiledScenario,
  ledger: LedgerYear[],
  sources: SourceSummary[],
  debts: SourceSummary[],
  equityHolders: SourceSummary[],
  totalInvestment: Dec,
  flags: Flag[],
): Metrics {
  const C = model.constructionYears;
  const projectFlows = ledger.map((y) => y.projectFlow);
  const projectIrr = irrFigure(projectFlows);
  if (projectIrr.status === 'no-solution') {
    flags.push({ code: 'project-irr-none', severity: 'info', message: 'No rate makes the project flows worth zero: the project IRR does not exist' });
  } else if (projectIrr.multiple) {
    flags.push({ code: 'project-irr-multiple', severity: 'warning', message: 'The project flows change sign more than once: several IRRs solve them; the one nearest 10 % is shown' });
  }

  const equity = equityHolders.map((holder, i) => {
    const flows = ledger.map((y) => {
      const e = y.equity[i] as LedgerYear['equity'][number];
      return e.distribution.minus(e.contribution).minus(e.shortfallContribution);
    });
    const contributed = ledger.reduce((a, y) => a.plus((y.equity[i] as LedgerYear['equity'][number]).contribution).plus((y.equity[i] as LedgerYear['equity'][number]).shortfallContribution), ZERO);
    const distributed = ledger.reduce((a, y) => a.plus((y.equity[i] as LedgerYear['equity'][number]).distribution), ZERO);
    return {
      sourceId: holder.id,
      name: holder.name,
      contributed,
      distributed,
      irr: irrFigure(flows),
      npv: toFen(npv(model.discount.equity, flows)),
    };
  });

  // Debt cover ratios.
  const dscrYears = ledger.filter((y) => y.dscr !== null);
  let dscrMin: Dec | null = null;
  let dscrMinYear: number | null = null;
  let dscrSum = ZERO;
  for (const y of dscrYears) {
    const d = y.dscr as Dec;
    dscrSum = dscrSum.plus(d);
    if (dscrMin === null || d.lt(dscrMin)) {
      dscrMin = d;
      dscrMinYear = y.year;
    }
  }
  const dscrAvg = dscrYears.length > 0 ? dscrSum.div(dscrYears.length).toDecimalPlaces(RATIO_DP) : null;
  const belowCovenant = dscrYears.filter((y) => (y.dscr as Dec).lt(model.minDscr)).map((y) => y.year);
  if (belowCovenant.length > 0) {
    flags.push({
      code: 'dscr-below-covenant',
      severity: 'warning',
      message: `DSCR is below the ${model.minDscr.toString()} covenant in ${belowCovenant.length} year(s)`,
      years: belowCovenant,
    });
  }

  let llcr: Dec | null = null;
  let plcr: Dec | null = null;
  const outstanding = ledger[C]?.debt.reduce((a, d) => a.plus(d.opening), ZERO) ?? ZERO;
  if (outstanding.gt(0)) {
    const weights = debts.reduce((a, d) => a.plus(d.amount), ZERO);
    const rate = weights.gt(0)
      ? model.debts.reduce((a, d) => a.plus(d.annualRate.times((sources[d.sourceIndex] as SourceSummary).amount)), ZERO).div(weights)
      : ZERO;
    const lastMaturity = Math.max(...model.debts.map((d) => d.tenorYears - 1));
    const operation = ledger.slice(C).map((y) => y.cfads);
    const pv = discounted(operation, rate);
    const loanLife = pv.slice(0, Math.max(0, lastMaturity - C + 1));
    llcr = loanLife.reduce((a, b) => a.plus(b), ZERO).div(outstanding).toDecimalPlaces(RATIO_DP);
    plcr = pv.reduce((a, b) => a.plus(b), ZERO).div(outstanding).toDecimalPlaces(RATIO_DP);
  }

  // Debt left at maturity is never silent.
  model.debts.forEach((d, j) => {
    const atMaturity = ledger[Math.min(d.tenorYears - 1, ledger.length - 1)]?.debt[j];
    const left = ledger[ledger.length - 1]?.debt[j]?.closing ?? ZERO;
    if (atMaturity && atMaturity.closing.gt(0)) {
      const src = sources[d.sourceIndex] as SourceSummary;
      flags.push({
        code: 'debt-not-repaid',
        severity: 'error',
        message: `${src.name} is not repaid within its ${d.tenorYears}-year tenor: ${atMaturity.closing.toFixed(2)} yuan outstanding at maturity (${left.toFixed(2)} at the end of the project)`,
        amount: atMaturity.closing,
      });
    }
  });

  // Special-bond coverage over the bonds' life, on the project's own net income.
  const bonds = model.debts.map((d, j) => ({ d, j })).filter(({ d }) => (sources[d.sourceIndex] as SourceSummary).type === 'special-bond');
  let bondCoverage: Dec | null = null;
  let bondDebtService = ZERO;
  if (bonds.length > 0) {
    const life = Math.min(ledger.length, Math.max(...bonds.map(({ d }) => d.tenorYears)));
    const ownNet = ledger.slice(0, life).map((y) =>
      y.totalRevenue.minus(y.operatingSubsidy).minus(y.availabilityPayment)
        .minus(y.dataAuthorityShare.reduce((a, b) => a.plus(b), ZERO)).minus(y.opex).minus(y.tax),
    );
    const service = ledger.map((y) => bonds.reduce((a, { j }) => a.plus((y.debt[j] as LedgerYear['debt'][number]).drawdown).plus((y.debt[j] as LedgerYear['debt'][number]).interest), ZERO));
    bondDebtService = service.reduce((a, b) => a.plus(b), ZERO);
    bondCoverage = coverageRatio(ownNet, service)?.toDecimalPlaces(RATIO_DP) ?? null;
    if (bondCoverage !== null && bondCoverage.lt(model.bondCoverageThreshold)) {
      const needed = bondDebtService.times(model.bondCoverageThreshold);
      const income = ownNet.reduce((a, b) => a.plus(b), ZERO);
      flags.push({
        code: 'bond-coverage-below-threshold',
        severity: 'warning',
        message: `Special-bond coverage ${bondCoverage.toFixed(2)} is below ${model.bondCoverageThreshold.toString()}: project net income falls ${toFen(needed.minus(income)).toFixed(2)} yuan short`,
        amount: toFen(needed.minus(income)),
      });
    }
  }

  // Shortfalls: who covered them, or that nobody did.
  const shortfallFlag = (code: string, severity: Flag['severity'], pick: (y: LedgerYear) => Dec, message: string) => {
    const years = ledger.filter((y) => pick(y).gt(0));
    if (years.length === 0) return;
    const amount = years.reduce((a, y) => a.plus(pick(y)), ZERO);
    flags.push({ code, severity, message: `${message}: ${amount.toFixed(2)} yuan in ${years.length} year(s)`, years: years.map((y) => y.year), amount });
  };
  shortfallFlag('unfunded-shortfall', 'error', (y) => y.shortfallUnfunded, 'Cash needs nobody funds (debt service in arrears or operating deficit)');
  shortfallFlag('government-shortfall-support', 'warning', (y) => (y.phase === 'operation' ? y.shortfallByGovernment : ZERO), 'The government covers operating-period shortfalls');
  shortfallFlag('government-construction-financing', 'info', (y) => (y.phase === 'construction' ? y.shortfallByGovernment : ZERO), 'The government pays financing costs during construction');
  shortfallFlag('equity-shortfall-support', 'info', (y) => y.shortfallByEquity, 'Equity holders inject cash to cover shortfalls');

  const byInstrument = {} as Record<GovernmentInstrument, Dec>;
  for (const k of GOVERNMENT_INSTRUMENTS) byInstrument[k] = ledger.reduce((a, y) => a.plus(y.government[k]), ZERO);
  const governmentOutlayTotal = ledger.reduce((a, y) => a.plus(y.governmentNet), ZERO);

  const fundingByPillar = {} as Metrics['fundingByPillar'];
  for (const pillar of ['government', 'enterprise', 'social'] as Pillar[]) {
    const amount = sources.filter((s) => s.pillar === pillar).reduce((a, s) => a.plus(s.amount), ZERO);
    fundingByPillar[pillar] = { amount, share: totalInvestment.gt(0) ? amount.div(totalInvestment).toDecimalPlaces(RATIO_DP) : ZERO };
  }

  return {
    totalInvestment,
    projectNpv: toFen(npv(model.discount.project, projectFlows)),
    projectIrr,
    equity,
    paybackYears: paybackYears(projectFlows),
    discountedPaybackYears: paybackYears(discounted(projectFlows, model.discount.project)),
    dscrMin,
    dscrAvg,
    dscrMinYear,
    llcr,
    plcr,
    bondCoverage,
    bondDebtService,
    governmentOutlayTotal,
    governmentOutlayByInstrument: byInstrument,
    governmentNpv: toFen(npv(model.discount.government, ledger.map((y) => y.governmentNet))),
    fundingByPillar,
  };
}
