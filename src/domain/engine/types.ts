import type { Dec } from '../decimal';
import type { Pillar, SourceNature, SourceType } from '../scenario/schema';

/**
 * The engine's output. Every amount is yuan, posted to the ledger rounded half-up to fen;
 * every total is the exact sum of posted amounts, so sources and uses balance to the cent.
 * Sign convention in the ledger: amounts are positive; the line's name says its direction.
 */

/** Bumped whenever the engine can produce a different figure for the same input. */
export const ENGINE_VERSION = '2.1.0';

export type Phase = 'construction' | 'operation';

/** One debt source's lines in one year. */
export interface DebtYear {
  opening: Dec;
  drawdown: Dec;
  /** Interest accrued in the year (paid or capitalised). */
  interest: Dec;
  /** Interest added to the balance: construction interest when capitalised, plus unpaid fees and interest. */
  capitalisedInterest: Dec;
  interestPaid: Dec;
  principalPaid: Dec;
  /** Upfront fees paid in cash. */
  fees: Dec;
  /**
   * New arrears: this year's fees, interest and principal due but not paid (only when shortfalls
   * are left unfunded). Each unpaid fen is counted once, in the year it fell due; it stays on the
   * balance (src/domain/README.md, "Shortfalls and arrears").
   */
  arrears: Dec;
  /** Arrears of earlier years paid this year (paid before this year's debt service; in `principalPaid`). */
  arrearsPaid: Dec;
  /** Arrears still unpaid at the end of the year (part of `closing`). */
  arrearsBalance: Dec;
  closing: Dec;
}

/**
 * One government-serviced bond's lines in one year (a general bond, README "General bonds"): the
 * general public budget pays its interest and principal, so none of it is in the project's cash.
 */
export interface GovernmentDebtYear {
  opening: Dec;
  drawdown: Dec;
  /** Interest of the year, all paid by the government (none is capitalised). */
  interest: Dec;
  principal: Dec;
  closing: Dec;
}

/** One equity holder's lines in one year. */
export interface EquityYear {
  contribution: Dec;
  /** Extra contribution to cover a shortfall (shortfall policy "equity"). */
  shortfallContribution: Dec;
  distribution: Dec;
  /**
   * Preferred holders of an equity waterfall only (src/domain/README.md, "Equity waterfall"):
   * the parts of `distribution` paid as preferred return and as return of capital, and the
   * preferred return still owed at the end of the year.
   */
  preferredReturn?: Dec;
  capitalReturned?: Dec;
  preferredUnpaid?: Dec;
}

/**
 * Reserve accounts and lock-up in one year (src/domain/README.md, "Reserve accounts"); each part
 * is present only when the scenario uses it.
 */
export interface ReservesYear {
  dsra?: {
    /** Balance required at the end of the year: months / 12 of next year's debt service. */
    target: Dec;
    /** Paid in from the year's cash after debt service. */
    contribution: Dec;
    /** Paid in by the equity holders at the start of operation (funding `equity`). */
    equityContribution: Dec;
    /** The same per equity holder (order of `result.equityHolders`). */
    equityByHolder: Dec[];
    /** Used for debt service the year's own cash could not pay. */
    draw: Dec;
    /** Excess over the target released to the year's cash for distribution. */
    release: Dec;
    balance: Dec;
  };
  maintenance?: {
    /** Major-maintenance spending (an operating expense, deductible in the year spent). */
    spend: Dec;
    /** Part of the spending paid from the reserve (the rest from the year's cash). */
    fromReserve: Dec;
    /** Paid in from the year's cash after debt service. */
    contribution: Dec;
    balance: Dec;
  };
  lockUp?: {
    /** Cash held back from distribution: the year's DSCR was below the lock-up threshold. */
    locked: Dec;
    /** Cash held earlier, released with this year's distributions. */
    released: Dec;
    balance: Dec;
  };
}

export interface LedgerYear {
  index: number;
  year: number;
  phase: Phase;
  capex: Dec;
  /** Revenue per stream, in the scenario's order, net of data-revenue ceiling clawbacks. */
  revenues: Dec[];
  /** Public-data revenue share paid to the data authority (per stream, 0 for other kinds). */
  dataAuthorityShare: Dec[];
  operatingSubsidy: Dec;
  availabilityPayment: Dec;
  totalRevenue: Dec;
  opex: Dec;
  depreciation: Dec;
  interestExpense: Dec;
  tax: Dec;
  /**
   * Revenue + government payments − data share − opex − depreciation − interest, + residual value
   * in the last year (src/domain/README.md, "Residual value"); with VAT on, − surcharges and
   * + the opex's input VAT.
   */
  taxableIncome: Dec;
  /**
   * Cash flow available for debt service = revenue + government payments − data share − opex −
   * tax; with indirect taxes on, + output VAT − VAT paid − surcharges (src/domain/README.md,
   * "Indirect taxes").
   */
  cfads: Dec;
  residualValue: Dec;
  /** Drawdown of each funding source, in the scenario's order (grants, equity and debt alike). */
  drawdowns: Dec[];
  /** Per debt source (same order as `result.debts`). */
  debt: DebtYear[];
  totalDebtService: Dec;
  /** Cash needs the project could not meet from its own cash and how they were covered. */
  shortfall: Dec;
  shortfallByGovernment: Dec;
  shortfallByEquity: Dec;
  shortfallUnfunded: Dec;
  /** Part of the unfunded shortfall that is an operating deficit (cash nobody provided); the rest is debt in arrears. */
  unfundedDeficit: Dec;
  /** Per equity holder (same order as `result.equityHolders`). */
  equity: EquityYear[];
  /** Cash left after debt service that went to the government because the project has no equity holder. */
  surplusToGovernment: Dec;
  /** Income tax as if the project had no debt: no interest or fees deducted, depreciation of the capex alone. */
  unleveredTax: Dec;
  /**
   * Unlevered after-tax project flow: −capex + revenue + government payments − data share − opex
   * − unlevered tax + residual value (src/domain/README.md, "Project IRR and NPV"); with VAT on,
   * + output VAT − VAT paid − surcharges.
   */
  projectFlow: Dec;
  /** Pre-tax project flow: the same without any tax. */
  projectFlowPreTax: Dec;
  dscr: Dec | null;
  /** Net government outlay by instrument this year (receipts negative). */
  government: Record<GovernmentInstrument, Dec>;
  governmentNet: Dec;
  /**
   * Per government-serviced bond (same order as `result.governmentDebts`); present only when the
   * scenario has one (README "General bonds"). Not in `debt`, `totalDebtService` or CFADS.
   */
  governmentDebt?: GovernmentDebtYear[];
  /** Only for a scenario with a `reserves` section. */
  reserves?: ReservesYear;
  /**
   * VAT and surcharges (src/domain/README.md, "Indirect taxes"); present only when the scenario
   * has an `indirectTax` section (the key is absent otherwise).
   */
  indirectTax?: IndirectTaxYear;
}

/** One year's VAT lines (增值税及附加). VAT is a pass-through: not in revenue or cost. */
export interface IndirectTaxYear {
  /** Output VAT on revenue and government payments (VAT-exclusive amounts × rate). */
  outputVat: Dec;
  /** Creditable input VAT: capex × r ÷ (1 + r) in construction, operating cost × r ÷ (1 + r) in operation. */
  inputVat: Dec;
  /** Excess input VAT (留抵) carried forward at the year's end. */
  creditCarriedForward: Dec;
  /** VAT paid: max(0, output − input − credit brought forward). */
  vatPayable: Dec;
  /** 城市维护建设税 on VAT paid. */
  urbanMaintenanceTax: Dec;
  /** 教育费附加 on VAT paid. */
  educationSurcharge: Dec;
  /** 地方教育附加 on VAT paid. */
  localEducationSurcharge: Dec;
  /** Σ of the three surcharges (税金及附加): deductible for income tax, out of CFADS. */
  surcharges: Dec;
}

export const GOVERNMENT_INSTRUMENTS = [
  'budget',
  'construction-subsidy',
  'guided-fund-equity',
  'government-equity',
  'operating-subsidy',
  'availability-payment',
  'shortfall-support',
  'data-revenue-share',
  'returns',
  // General-bond principal + interest paid that year from the general public budget (README
  // "General bonds"); its proceeds are not an outlay. Last, so the others keep their positions.
  'general-bond',
] as const;
export type GovernmentInstrument = (typeof GOVERNMENT_INSTRUMENTS)[number];

export interface SourceSummary {
  id: string;
  name: string;
  type: SourceType;
  pillar: Pillar;
  nature: SourceNature;
  /** Committed amount in yuan (share × investment, allocated to fen). */
  amount: Dec;
}

export interface IrrFigure {
  status: 'ok' | 'no-solution';
  /** The reported rate: the only root, or of several the one nearest 10 % (src/domain/README.md, "IRR roots"). */
  rate: Dec | null;
  /** More than one distinct rate in (−1, ∞) solves the flows (never set by sign changes alone). */
  multiple: boolean;
  /** Every distinct root in (−1, ∞), ascending; `[]` when none. */
  roots: Dec[];
}

export interface EquityHolderMetrics {
  sourceId: string;
  name: string;
  contributed: Dec;
  distributed: Dec;
  irr: IrrFigure;
  npv: Dec;
}

export interface Metrics {
  totalInvestment: Dec;
  projectNpv: Dec;
  /** IRR of the unlevered after-tax project flows. */
  projectIrr: IrrFigure;
  /** IRR of the pre-tax project flows. */
  projectIrrPreTax: IrrFigure;
  equity: EquityHolderMetrics[];
  paybackYears: number | null;
  discountedPaybackYears: number | null;
  dscrMin: Dec | null;
  dscrAvg: Dec | null;
  dscrMinYear: number | null;
  llcr: Dec | null;
  plcr: Dec | null;
  /** Special-bond coverage ratio over the bonds' life (src/domain/README.md, "Special-bond coverage"); null without bonds. */
  bondCoverage: Dec | null;
  bondDebtService: Dec;
  /** Debt still owed at the end of the project: Σ closing balances of the last year (arrears once every loan has matured). */
  unpaidAtEnd: Dec;
  governmentOutlayTotal: Dec;
  governmentOutlayByInstrument: Record<GovernmentInstrument, Dec>;
  governmentNpv: Dec;
  fundingByPillar: Record<Pillar, { amount: Dec; share: Dec }>;
  /** DSRA balance at the start of operation (the end of construction); only with a DSRA. */
  dsraAtStartOfOperation?: Dec;
}

export type FlagSeverity = 'error' | 'warning' | 'info';
export interface Flag {
  code: string;
  severity: FlagSeverity;
  message: string;
  years?: number[];
  amount?: Dec;
}

export interface SourcesAndUsesLine {
  key: string;
  label: string;
  amount: Dec;
}

/** Construction-period and whole-life sources and uses; each side sums to the same total. */
export interface SourcesAndUses {
  construction: { sources: SourcesAndUsesLine[]; uses: SourcesAndUsesLine[]; total: Dec };
  lifetime: { sources: SourcesAndUsesLine[]; uses: SourcesAndUsesLine[]; total: Dec };
}

export interface SimulationResult {
  engineVersion: string;
  /** Revenue streams in the scenario's order (the ledger's `revenues` follow it). */
  streams: Array<{ name: string; kind: 'user-fee' | 'public-data' | 'other' }>;
  sources: SourceSummary[];
  /** Indexes into `sources` of the debt and equity sources, in ledger order. */
  debts: SourceSummary[];
  equityHolders: SourceSummary[];
  /**
   * The government-serviced bonds (general bonds), in the scenario's order; present only when the
   * scenario has one. Their schedules are each ledger year's `governmentDebt`, not its `debt`.
   */
  governmentDebts?: SourceSummary[];
  ledger: LedgerYear[];
  metrics: Metrics;
  sourcesAndUses: SourcesAndUses;
  flags: Flag[];
  /**
   * Per-year CFADS, DSCR and arrears in integer units, built on first read (Monte Carlo fan
   * charts); absent on results read back from storage.
   */
  yearly?: YearlyFigures;
  /**
   * The ledger's fields the fiscal analytics read (`FiscalLedgerYear`), built on first read without
   * converting the rest of the ledger (portfolio trials); the ledger itself once it is built.
   * Absent on results read back from storage: read it with `fiscalLedger` (src/domain/fiscal).
   */
  fiscalLedger?: readonly FiscalLedgerYear[];
  /**
   * Per ledger year, the government's net outlay by instrument in fen, straight from the fen
   * ledger (the integer path of the fiscal obligations); built on first read, not enumerable,
   * absent on results read back from storage. Read only.
   */
  governmentFen?: readonly GovernmentFenYear[];
}

/** One ledger year's government lines in fen (`LedgerYear.government` × 100). */
export interface GovernmentFenYear {
  year: number;
  construction: boolean;
  /** In `GOVERNMENT_INSTRUMENTS` order, receipts negative. */
  byInstrument: readonly number[];
}

/** The ledger fields of government obligations, the risk register and special-bond coverage. */
export type FiscalLedgerYear = Pick<
  LedgerYear,
  | 'year'
  | 'phase'
  | 'government'
  | 'opex'
  | 'totalRevenue'
  | 'operatingSubsidy'
  | 'availabilityPayment'
  | 'dataAuthorityShare'
  | 'tax'
> & { debt: Array<Pick<DebtYear, 'drawdown' | 'interest'>> };

/** Per ledger year: CFADS in fen, DSCR × 10^6 (null without debt service), new arrears + unfunded deficit in fen. */
export interface YearlyFigures {
  years: number[];
  cfadsFen: number[];
  dscrMicro: Array<number | null>;
  arrearsFen: number[];
}

/**
 * Changes applied on top of a scenario without copying it (sensitivity, Monte Carlo).
 * Factors multiply, shifts add; all are Decimals but `delayYears`. Ranges and exact rules:
 * README "Risk drivers" (checked by `checkOverrides`, DomainError `invalid-override`).
 */
export interface Overrides {
  /** Multiplies every construction year's capex; every funding source scales with it (pro rata). */
  capexFactor?: Dec;
  opexFactor?: Dec;
  /**
   * Per operation year, a factor on the operating cost, on top of `opexFactor`, indexed as
   * `revenueYearFactors` (element k multiplies operation year k + 1; missing years take 1). The
   * re-forecast of monitoring (README "Monitoring and post-evaluation") sets a past year's opex
   * to its actual through it.
   */
  opexYearFactors?: readonly Dec[];
  /** Multiplies every revenue stream (user fees, public-data income, other income). */
  revenueFactor?: Dec;
  /** Multiplies one revenue stream, keyed by the stream's name; on top of `revenueFactor`. */
  streamFactors?: Readonly<Record<string, Dec>>;
  /**
   * Per operation year, a factor on every revenue stream, on top of `revenueFactor` and
   * `streamFactors` (a Monte Carlo revenue path). Indexed by operation year counted from the first
   * year of operation (after any delay): element k multiplies operation year k + 1. Years past the
   * end of the array take 1; elements past the last operation year are ignored.
   */
  revenueYearFactors?: readonly Dec[];
  /** The same per stream, keyed by the stream's name; on top of `revenueYearFactors`. */
  streamYearFactors?: Readonly<Record<string, readonly Dec[]>>;
  /** Multiplies the unit price of every user-fee stream. */
  tariffFactor?: Dec;
  /** Multiplies the annual volume of every user-fee stream. */
  volumeFactor?: Dec;
  /** Scales each ramp-up year's shortfall below full volume (README "Risk drivers"). */
  rampUpFactor?: Dec;
  /**
   * Added to every debt source's annual rate (0.01 = one percentage point), general bonds
   * included (their service is the government's outlay, README "General bonds").
   */
  rateShift?: Dec;
  /** Added to one debt source's annual rate (a general bond's too), keyed by source id; on top of `rateShift`; a rate below 0 is 0. */
  rateShifts?: Readonly<Record<string, Dec>>;
  /** Whole years the construction takes longer, the operation shorter (README "Risk drivers"). */
  delayYears?: number;
  /**
   * Added to the opex escalation, user-fee price escalation and public-data and other-income
   * growth (not volume growth, not the operating subsidy's escalation).
   */
  escalationShift?: Dec;
  /** Share of the availability payment withheld as a performance deduction, in [0, 1). */
  availabilityDeduction?: Dec;
  /** Multiplies the residual value. */
  residualFactor?: Dec;
  /** Replaces the income tax rate. */
  incomeTaxRate?: Dec;
}
