import { Dec, ZERO } from '../domain/decimal';
import type {
  DebtYear,
  EquityYear,
  Flag,
  GovernmentInstrument,
  IrrFigure,
  LedgerYear,
  Metrics,
  ReservesYear,
  SimulationResult,
  SourcesAndUses,
  SourceSummary,
} from '../domain/engine/types';
import type { StoredResult } from './types';

/**
 * A cached result (JSON with decimal strings) back as the engine's typed result with Decimals,
 * field by field from the `SimulationResult` type, so the domain's fiscal functions can run on
 * the cache without simulating again. Exact: each decimal string is read by the one configured
 * constructor, and the engine wrote them with `Decimal.toJSON` (no exponent at 40 digits), so
 * `reviveResult(JSON.parse(JSON.stringify(r)))` equals `r` (test/store/fiscal-report.test.ts
 * checks it on every demo scenario).
 */

type Row = StoredResult['ledger'][number];

// Most ledger lines are zero: Decimals are immutable, so every "0" can share one instance,
// which makes reviving a 30-year result markedly cheaper.
const d = (s: string): Dec => (s === '0' ? ZERO : new Dec(s));
const dn = (s: string | null): Dec | null => (s === null ? null : d(s));
function decRecord<K extends string>(r: Record<K, string>): Record<K, Dec> {
  const out = {} as Record<K, Dec>;
  for (const k of Object.keys(r) as K[]) out[k] = d(r[k]);
  return out;
}

/**
 * A government-by-instrument record. Engine 2.1.0 added `general-bond` (README "General bonds"):
 * a record stored by an earlier engine lacks it and revives with 0 there (such a record is never
 * served as the current result, see the results cache; the auditor's re-run compares its JSON).
 */
function governmentRecord(r: Record<string, string>): Record<GovernmentInstrument, Dec> {
  const out = decRecord(r) as Record<GovernmentInstrument, Dec>;
  if (!('general-bond' in r)) out['general-bond'] = ZERO;
  return out;
}

const source = (s: StoredResult['sources'][number]): SourceSummary => ({
  id: s.id,
  name: s.name,
  type: s.type,
  pillar: s.pillar,
  nature: s.nature,
  amount: d(s.amount),
});

const debtYear = (x: Row['debt'][number]): DebtYear => ({
  opening: d(x.opening),
  drawdown: d(x.drawdown),
  interest: d(x.interest),
  capitalisedInterest: d(x.capitalisedInterest),
  interestPaid: d(x.interestPaid),
  principalPaid: d(x.principalPaid),
  fees: d(x.fees),
  arrears: d(x.arrears),
  arrearsPaid: d(x.arrearsPaid),
  arrearsBalance: d(x.arrearsBalance),
  closing: d(x.closing),
});

const equityYear = (x: Row['equity'][number]): EquityYear => ({
  contribution: d(x.contribution),
  shortfallContribution: d(x.shortfallContribution),
  distribution: d(x.distribution),
  // Preferred holders of an equity waterfall only (src/domain/engine/waterfall.ts).
  ...(x.preferredReturn === undefined
    ? {}
    : {
        preferredReturn: d(x.preferredReturn),
        capitalReturned: d(x.capitalReturned ?? '0'),
        preferredUnpaid: d(x.preferredUnpaid ?? '0'),
      }),
});

/** The optional reserve lines (src/domain/README.md, "Reserve accounts"), each part only if stored. */
function reservesYear(r: NonNullable<Row['reserves']>): ReservesYear {
  const out: ReservesYear = {};
  if (r.dsra)
    out.dsra = {
      target: d(r.dsra.target),
      contribution: d(r.dsra.contribution),
      equityContribution: d(r.dsra.equityContribution),
      equityByHolder: r.dsra.equityByHolder.map(d),
      draw: d(r.dsra.draw),
      release: d(r.dsra.release),
      balance: d(r.dsra.balance),
    };
  if (r.maintenance)
    out.maintenance = {
      spend: d(r.maintenance.spend),
      fromReserve: d(r.maintenance.fromReserve),
      contribution: d(r.maintenance.contribution),
      balance: d(r.maintenance.balance),
    };
  if (r.lockUp)
    out.lockUp = {
      locked: d(r.lockUp.locked),
      released: d(r.lockUp.released),
      balance: d(r.lockUp.balance),
    };
  return out;
}

function ledgerYear(y: Row): LedgerYear {
  const out = ledgerYearCore(y);
  if (y.reserves) out.reserves = reservesYear(y.reserves);
  if (y.indirectTax) out.indirectTax = decRecord(y.indirectTax);
  if (y.governmentDebt) out.governmentDebt = y.governmentDebt.map(decRecord);
  return out;
}

const ledgerYearCore = (y: Row): LedgerYear => ({
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
  unleveredTax: d(y.unleveredTax),
  projectFlow: d(y.projectFlow),
  projectFlowPreTax: d(y.projectFlowPreTax),
  dscr: dn(y.dscr),
  government: governmentRecord(y.government),
  governmentNet: d(y.governmentNet),
});

const irr = (x: StoredResult['metrics']['projectIrr']): IrrFigure => ({
  status: x.status,
  rate: dn(x.rate),
  multiple: x.multiple,
  roots: x.roots.map(d),
});

function metrics(m: StoredResult['metrics']): Metrics {
  const out = metricsCore(m);
  if (m.dsraAtStartOfOperation !== undefined)
    out.dsraAtStartOfOperation = d(m.dsraAtStartOfOperation);
  return out;
}

const metricsCore = (m: StoredResult['metrics']): Metrics => ({
  totalInvestment: d(m.totalInvestment),
  projectNpv: d(m.projectNpv),
  projectIrr: irr(m.projectIrr),
  projectIrrPreTax: irr(m.projectIrrPreTax),
  equity: m.equity.map((e) => ({
    sourceId: e.sourceId,
    name: e.name,
    contributed: d(e.contributed),
    distributed: d(e.distributed),
    irr: irr(e.irr),
    npv: d(e.npv),
  })),
  paybackYears: m.paybackYears,
  discountedPaybackYears: m.discountedPaybackYears,
  dscrMin: dn(m.dscrMin),
  dscrAvg: dn(m.dscrAvg),
  dscrMinYear: m.dscrMinYear,
  llcr: dn(m.llcr),
  plcr: dn(m.plcr),
  bondCoverage: dn(m.bondCoverage),
  bondDebtService: d(m.bondDebtService),
  unpaidAtEnd: d(m.unpaidAtEnd),
  governmentOutlayTotal: d(m.governmentOutlayTotal),
  governmentOutlayByInstrument: governmentRecord(m.governmentOutlayByInstrument),
  governmentNpv: d(m.governmentNpv),
  fundingByPillar: {
    government: {
      amount: d(m.fundingByPillar.government.amount),
      share: d(m.fundingByPillar.government.share),
    },
    enterprise: {
      amount: d(m.fundingByPillar.enterprise.amount),
      share: d(m.fundingByPillar.enterprise.share),
    },
    social: {
      amount: d(m.fundingByPillar.social.amount),
      share: d(m.fundingByPillar.social.share),
    },
  },
});

const sourcesAndUses = (s: StoredResult['sourcesAndUses']): SourcesAndUses => {
  const line = (l: { key: string; label: string; amount: string }) => ({
    key: l.key,
    label: l.label,
    amount: d(l.amount),
  });
  const side = (x: StoredResult['sourcesAndUses']['construction']) => ({
    sources: x.sources.map(line),
    uses: x.uses.map(line),
    total: d(x.total),
  });
  return { construction: side(s.construction), lifetime: side(s.lifetime) };
};

const flag = (f: StoredResult['flags'][number]): Flag => {
  const out: Flag = { code: f.code, severity: f.severity, message: f.message };
  if (f.years !== undefined) out.years = f.years;
  if (f.amount !== undefined) out.amount = d(f.amount);
  return out;
};

/** The engine's result with Decimals, from its stored JSON form. */
export function reviveResult(r: StoredResult): SimulationResult {
  const out = reviveCore(r);
  // A scenario with a general bond only (README "General bonds").
  if (r.governmentDebts) out.governmentDebts = r.governmentDebts.map(source);
  return out;
}

const reviveCore = (r: StoredResult): SimulationResult => {
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
};
