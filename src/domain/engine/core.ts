import { Dec } from '../decimal';
import { decOf, decOfScaled, type Fen } from '../fen';
import { toIndirectTaxYear, type CoreVatYear } from './indirect-tax';
import type { CoreReserveYear } from './reserves';
import {
  GOVERNMENT_INSTRUMENTS,
  type FiscalLedgerYear,
  type GovernmentInstrument,
  type LedgerYear,
  type ReservesYear,
} from './types';

/** One debt's lines in one year, integer fen (see `LedgerYear.debt` for meanings). */
export interface CoreDebtYear {
  opening: Fen;
  drawdown: Fen;
  interest: Fen;
  capitalised: Fen;
  interestPaid: Fen;
  principalPaid: Fen;
  fees: Fen;
  arrears: Fen;
  arrearsPaid: Fen;
  arrearsBalance: Fen;
  closing: Fen;
}

/** The engine's working ledger year in integer fen; `toLedgerYear` gives the public Decimal form. */
export interface CoreYear {
  t: number;
  year: number;
  construction: boolean;
  capex: Fen;
  revenues: Fen[];
  dataShare: Fen[];
  operatingSubsidy: Fen;
  availabilityPayment: Fen;
  totalRevenue: Fen;
  opex: Fen;
  depreciation: Fen;
  interestExpense: Fen;
  taxableIncome: Fen;
  tax: Fen;
  cfads: Fen;
  residualValue: Fen;
  drawdowns: Fen[];
  debt: CoreDebtYear[];
  totalDebtService: Fen;
  debtServiceDue: Fen;
  shortfall: Fen;
  shortfallByGovernment: Fen;
  shortfallByEquity: Fen;
  shortfallUnfunded: Fen;
  unfundedDeficit: Fen;
  equity: Array<{
    contribution: Fen;
    shortfallContribution: Fen;
    distribution: Fen;
    /** Preferred holders in a waterfall only (src/domain/engine/waterfall.ts). */
    preferredReturn?: Fen;
    capitalReturned?: Fen;
    preferredUnpaid?: Fen;
  }>;
  surplusToGovernment: Fen;
  /** Income tax as if there were no debt (no interest or fees deducted, capex depreciation). */
  unleveredTax: Fen;
  projectFlow: Fen;
  projectFlowPreTax: Fen;
  /** DSCR × 10^6, rounded half-up; null without debt service due. */
  dscrMicro: number | null;
  /** Net government outlay by instrument, in `GOVERNMENT_INSTRUMENTS` order (receipts negative). */
  government: Fen[];
  governmentNet: Fen;
  /** Reserve lines; null for a scenario without a `reserves` section. */
  reserves: CoreReserveYear | null;
  /** VAT lines; null when the scenario has no `indirectTax` section. */
  vat: CoreVatYear | null;
}

/** A DSCR kept in millionths as a Decimal with 6 decimal places. */
export function micro(x: number): Dec {
  if (x === 0) return new Dec(0);
  // Built from its digits, as `decOf` builds fen (no text to parse).
  if (Number.isSafeInteger(x)) return decOfScaled(x, 6);
  return new Dec(x).div(1_000_000);
}

/** The public, Decimal form of a working ledger year. */
export function toLedgerYear(y: CoreYear): LedgerYear {
  const government = governmentOf(y);
  const out: LedgerYear = {
    index: y.t,
    year: y.year,
    phase: y.construction ? 'construction' : 'operation',
    capex: decOf(y.capex),
    revenues: y.revenues.map(decOf),
    dataAuthorityShare: y.dataShare.map(decOf),
    operatingSubsidy: decOf(y.operatingSubsidy),
    availabilityPayment: decOf(y.availabilityPayment),
    totalRevenue: decOf(y.totalRevenue),
    opex: decOf(y.opex),
    depreciation: decOf(y.depreciation),
    interestExpense: decOf(y.interestExpense),
    taxableIncome: decOf(y.taxableIncome),
    tax: decOf(y.tax),
    cfads: decOf(y.cfads),
    residualValue: decOf(y.residualValue),
    drawdowns: y.drawdowns.map(decOf),
    debt: y.debt.map((d) => ({
      opening: decOf(d.opening),
      drawdown: decOf(d.drawdown),
      interest: decOf(d.interest),
      capitalisedInterest: decOf(d.capitalised),
      interestPaid: decOf(d.interestPaid),
      principalPaid: decOf(d.principalPaid),
      fees: decOf(d.fees),
      arrears: decOf(d.arrears),
      arrearsPaid: decOf(d.arrearsPaid),
      arrearsBalance: decOf(d.arrearsBalance),
      closing: decOf(d.closing),
    })),
    totalDebtService: decOf(y.totalDebtService),
    shortfall: decOf(y.shortfall),
    shortfallByGovernment: decOf(y.shortfallByGovernment),
    shortfallByEquity: decOf(y.shortfallByEquity),
    shortfallUnfunded: decOf(y.shortfallUnfunded),
    unfundedDeficit: decOf(y.unfundedDeficit),
    equity: y.equity.map((e) => ({
      contribution: decOf(e.contribution),
      shortfallContribution: decOf(e.shortfallContribution),
      distribution: decOf(e.distribution),
      ...(e.preferredReturn === undefined
        ? {}
        : {
            preferredReturn: decOf(e.preferredReturn),
            capitalReturned: decOf(e.capitalReturned ?? 0),
            preferredUnpaid: decOf(e.preferredUnpaid ?? 0),
          }),
    })),
    surplusToGovernment: decOf(y.surplusToGovernment),
    unleveredTax: decOf(y.unleveredTax),
    projectFlow: decOf(y.projectFlow),
    projectFlowPreTax: decOf(y.projectFlowPreTax),
    dscr: y.dscrMicro === null ? null : micro(y.dscrMicro),
    government,
    governmentNet: decOf(y.governmentNet),
  };
  // Added only when used, so a scenario without reserves keeps its ledger byte for byte.
  if (y.reserves) out.reserves = reservesYear(y.reserves);
  if (y.vat) out.indirectTax = toIndirectTaxYear(y.vat);
  return out;
}

function reservesYear(r: CoreReserveYear): ReservesYear {
  const out: ReservesYear = {};
  if (r.parts.dsra)
    out.dsra = {
      target: decOf(r.dsraTarget),
      contribution: decOf(r.dsraContribution),
      equityContribution: decOf(r.dsraEquity),
      equityByHolder: r.dsraEquityByHolder.map(decOf),
      draw: decOf(r.dsraDraw),
      release: decOf(r.dsraRelease),
      balance: decOf(r.dsraBalance),
    };
  if (r.parts.maintenance)
    out.maintenance = {
      spend: decOf(r.maintenanceSpend),
      fromReserve: decOf(r.maintenanceFromReserve),
      contribution: decOf(r.maintenanceContribution),
      balance: decOf(r.maintenanceBalance),
    };
  if (r.parts.lockUp)
    out.lockUp = {
      locked: decOf(r.locked),
      released: decOf(r.lockUpReleased),
      balance: decOf(r.lockUpBalance),
    };
  return out;
}

function governmentOf(y: CoreYear): Record<GovernmentInstrument, Dec> {
  const government = {} as Record<GovernmentInstrument, Dec>;
  GOVERNMENT_INSTRUMENTS.forEach((k, i) => (government[k] = decOf(y.government[i] as Fen)));
  return government;
}

/** A core year's `FiscalLedgerYear`: the same Decimals its ledger year has, and only those. */
export function toFiscalLedgerYear(y: CoreYear): FiscalLedgerYear {
  return {
    year: y.year,
    phase: y.construction ? 'construction' : 'operation',
    government: governmentOf(y),
    opex: decOf(y.opex),
    totalRevenue: decOf(y.totalRevenue),
    operatingSubsidy: decOf(y.operatingSubsidy),
    availabilityPayment: decOf(y.availabilityPayment),
    dataAuthorityShare: y.dataShare.map(decOf),
    tax: decOf(y.tax),
    debt: y.debt.map((d) => ({ drawdown: decOf(d.drawdown), interest: decOf(d.interest) })),
  };
}

/** Σ over years of a picked integer amount. */
export function sumYears(years: readonly CoreYear[], pick: (y: CoreYear) => Fen): Fen {
  let total = 0;
  for (const y of years) total += pick(y);
  return total;
}
