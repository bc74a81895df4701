import { Dec } from '../../domain/decimal';
import type {
  DebtYear,
  EquityYear,
  Flag,
  GovernmentInstrument,
  LedgerYear,
  Metrics,
  SimulationResult,
  SourcesAndUses,
  SourcesAndUsesLine,
  SourceSummary,
} from '../../domain/engine/types';
import type { StoredResult } from '../../store/types';

type D = InstanceType<typeof Dec>;
const d = (s: string): D => new Dec(s);
const dn = (s: string | null): D | null => (s === null ? null : new Dec(s));
const record = <K extends string>(r: Record<K, string>): Record<K, D> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, d(v as string)])) as Record<K, D>;

const source = (s: StoredResult['sources'][number]): SourceSummary => ({ ...s, amount: d(s.amount) });
const line = (l: { key: string; label: string; amount: string }): SourcesAndUsesLine => ({ ...l, amount: d(l.amount) });

function debtYear(x: StoredResult['ledger'][number]['debt'][number]): DebtYear {
  return {
    opening: d(x.opening),
    drawdown: d(x.drawdown),
    interest: d(x.interest),
    capitalisedInterest: d(x.capitalisedInterest),
    interestPaid: d(x.interestPaid),
    principalPaid: d(x.principalPaid),
    fees: d(x.fees),
    arrears: d(x.arrears),
    closing: d(x.closing),
  };
}

function equityYear(x: StoredResult['ledger'][number]['equity'][number]): EquityYear {
  return { contribution: d(x.contribution), shortfallContribution: d(x.shortfallContribution), distribution: d(x.distribution) };
}

function ledgerYear(y: StoredResult['ledger'][number]): LedgerYear {
  return {
    index: y.index,
    year: y.year,
    phase: y.phase,
    capex: d(y.capex),
    revenues: y.revenues.map(d),
    dataAuthorityShare: y.dataAuthorityShare.map(d),
    operatingSubsidy: d(y.operatingSubsidy),
    availabilityPayment: d(y.availabilityPayment),
    totalRevenue: d(y.totalRevenue),
    opex: d(y.opex),
    depreciation: d(y.depreciation),
    interestExpense: d(y.interestExpense),
    taxableIncome: d(y.taxableIncome),
    tax: d(y.tax),
    cfads: d(y.cfads),
    residualValue: d(y.residualValue),
    drawdowns: y.drawdowns.map(d),
    debt: y.debt.map(debtYear),
    totalDebtService: d(y.totalDebtService),
    shortfall: d(y.shortfall),
    shortfallByGovernment: d(y.shortfallByGovernment),
    shortfallByEquity: d(y.shortfallByEquity),
    shortfallUnfunded: d(y.shortfallUnfunded),
    unfundedDeficit: d(y.unfundedDeficit),
    equity: y.equity.map(equityYear),
    surplusToGovernment: d(y.surplusToGovernment),
    projectFlow: d(y.projectFlow),
    dscr: dn(y.dscr),
    government: record<GovernmentInstrument>(y.government),
    governmentNet: d(y.governmentNet),
  };
}

function metrics(m: StoredResult['metrics']): Metrics {
  const irr = (x: StoredResult['metrics']['projectIrr']) => ({ status: x.status, rate: dn(x.rate), multiple: x.multiple });
  return {
    totalInvestment: d(m.totalInvestment),
    projectNpv: d(m.projectNpv),
    projectIrr: irr(m.projectIrr),
    equity: m.equity.map((e) => ({ ...e, contributed: d(e.contributed), distributed: d(e.distributed), irr: irr(e.irr), npv: d(e.npv) })),
    paybackYears: m.paybackYears,
    discountedPaybackYears: m.discountedPaybackYears,
    dscrMin: dn(m.dscrMin),
    dscrAvg: dn(m.dscrAvg),
    dscrMinYear: m.dscrMinYear,
    llcr: dn(m.llcr),
    plcr: dn(m.plcr),
    bondCoverage: dn(m.bondCoverage),
    bondDebtService: d(m.bondDebtService),
    governmentOutlayTotal: d(m.governmentOutlayTotal),
    governmentOutlayByInstrument: record<GovernmentInstrument>(m.governmentOutlayByInstrument),
    governmentNpv: d(m.governmentNpv),
    fundingByPillar: {
      government: { amount: d(m.fundingByPillar.government.amount), share: d(m.fundingByPillar.government.share) },
      enterprise: { amount: d(m.fundingByPillar.enterprise.amount), share: d(m.fundingByPillar.enterprise.share) },
      social: { amount: d(m.fundingByPillar.social.amount), share: d(m.fundingByPillar.social.share) },
    },
  };
}

function sourcesAndUses(s: StoredResult['sourcesAndUses']): SourcesAndUses {
  const side = (x: StoredResult['sourcesAndUses']['construction']) => ({ sources: x.sources.map(line), uses: x.uses.map(line), total: d(x.total) });
  return { construction: side(s.construction), lifetime: side(s.lifetime) };
}

const flag = (f: StoredResult['flags'][number]): Flag => ({ ...f, amount: f.amount === undefined ? undefined : d(f.amount) });

/**
 * A cached result (JSON with decimal strings) back as the engine's typed result with Decimals,
 * so the domain's own flattening (`ledgerLines`, `ledgerCsv`) serves the page and the download
 * without simulating again.
 */
export function reviveResult(r: StoredResult): SimulationResult {
  return {
    engineVersion: r.engineVersion,
    streams: r.streams,
    sources: r.sources.map(source),
    debts: r.debts.map(source),
    equityHolders: r.equityHolders.map(source),
    ledger: r.ledger.map(ledgerYear),
    metrics: metrics(r.metrics),
    sourcesAndUses: sourcesAndUses(r.sourcesAndUses),
    flags: r.flags.map(flag),
  };
}
