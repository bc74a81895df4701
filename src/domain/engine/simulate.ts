import { Dec, ONE, ZERO, toFen } from '../decimal';
import { DomainError } from '../errors';
import {
  allocateFen,
  decOf,
  divRound,
  fenOf,
  microRatio,
  mulDivRound,
  mulRound,
  mulRoundToFen,
  ratioDiv,
  roundHalfFloat,
  ratioMul,
  ratioOf,
  roundToFen,
  RATIO_ONE,
  type Fen,
  type Ratio,
} from '../fen';
import type { Scenario } from '../scenario/schema';
import {
  applyCapexOverride,
  compileScenario,
  delayedModel,
  growOpex,
  growRevenue,
  stretchCapex,
  type CompiledDebt,
  type CompiledScenario,
} from './compile';
import { toFiscalLedgerYear, toLedgerYear, type CoreDebtYear, type CoreYear } from './core';
import { lazy } from '../lazy';
import {
  annuityCapitalPart,
  mofCapitalPart,
  withOperations,
  type AvailabilityInputs,
} from './government';
import {
  governmentDebtIndexes,
  governmentDebtSchedules,
  governmentDebtService,
  toGovernmentDebtYear,
  type GovernmentDebtRow,
} from './government-debt';
import { vatYear } from './indirect-tax';
import { computeMetrics } from './metrics';
import {
  adjustDsra,
  applyLockUp,
  contributeMaintenance,
  dsraTarget,
  fundDsraByEquity,
  openReserveYear,
  settleDsraDraw,
  spendMaintenance,
  type CoreReserveYear,
  type ReserveState,
} from './reserves';
import { buildSourcesAndUses } from './sources-and-uses';
import { startWaterfall, waterfallYear } from './waterfall';
import {
  ENGINE_VERSION,
  GOVERNMENT_INSTRUMENTS,
  type FiscalLedgerYear,
  type Flag,
  type Overrides,
  type SimulationResult,
  type SourceSummary,
  type YearlyFigures,
} from './types';

export interface SimulateOptions {
  /** Changes applied on top of the scenario without copying it (sensitivity, Monte Carlo). */
  overrides?: Overrides;
}

const compiledCache = new WeakMap<Scenario, CompiledScenario>();

/** The compiled form of a scenario object, computed once per object (the object must not be mutated). */
export function compiled(scenario: Scenario): CompiledScenario {
  let model = compiledCache.get(scenario);
  if (!model) {
    model = compileScenario(scenario);
    compiledCache.set(scenario, model);
  }
  return model;
}

/**
 * Simulates one project under one funding scenario, year by year, exactly.
 *
 * Conventions: annual periods, flows at year ends; drawdowns pro rata to capex; construction
 * interest on (opening balance + the year's drawdown) × rate for sources drawn at the start of
 * the year (special bonds by default), (opening balance + half the drawdown) × rate for those
 * drawn mid-year (other debt by default); in operation on the opening balance. Every ledger amount is posted rounded half-up to fen (0.01 yuan); totals are exact
 * sums of posted amounts, so sources and uses balance to the cent. Internally amounts are integer
 * fen (see `fen.ts`); the result's `ledger` and `sourcesAndUses` are turned into Decimals on
 * first access, so runs that read only `metrics` (sensitivity, Monte Carlo) do not pay for them.
 *
 * @param scenario a validated scenario (see `parseScenario`)
 * @throws DomainError `invalid-override` for an override outside its range
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const overrides = options.overrides ?? {};
  const model = compiled(scenario);
  checkOverrides(overrides, model);
  return runModel(model, overrides);
}

/** A factor's range: more than 0 and at most 100. */
const FACTOR = { min: ZERO, max: new Dec(100), minOpen: true, text: 'more than 0 and at most 100' };

const RATE_SHIFT: Range = {
  min: new Dec('-0.5'),
  max: new Dec('0.5'),
  text: 'between -0.5 and 0.5',
};

interface Range {
  min: Dec;
  max: Dec;
  minOpen?: boolean;
  maxOpen?: boolean;
  text: string;
}

/** Each Decimal field and its range (README "Risk drivers"). */
const RANGES: Array<[keyof Overrides & string, Range]> = [
  ['capexFactor', FACTOR],
  ['opexFactor', FACTOR],
  ['revenueFactor', FACTOR],
  ['tariffFactor', FACTOR],
  ['volumeFactor', FACTOR],
  ['rampUpFactor', { min: ZERO, max: new Dec(3), text: 'between 0 and 3' }],
  ['rateShift', RATE_SHIFT],
  ['escalationShift', { min: new Dec('-0.1'), max: new Dec('0.1'), text: 'between -0.1 and 0.1' }],
  [
    'availabilityDeduction',
    { min: ZERO, max: ONE, maxOpen: true, text: 'at least 0 and less than 1' },
  ],
  ['residualFactor', { min: ZERO, max: new Dec(10), text: 'between 0 and 10' }],
  ['incomeTaxRate', { min: ZERO, max: new Dec('0.5'), text: 'between 0 and 0.5' }],
];

function outOfRange(v: Dec, r: Range): boolean {
  return (
    v.isNaN() ||
    (r.minOpen ? v.lte(r.min) : v.lt(r.min)) ||
    (r.maxOpen ? v.gte(r.max) : v.gt(r.max))
  );
}

function badOverride(field: string, message: string, value: unknown): DomainError {
  return new DomainError('invalid-override', message, { [field]: String(value) });
}

/**
 * Checks overrides against their ranges and the model (README "Risk drivers"). `simulate` calls
 * it; batch runs through `runModel` call it once per set of overrides.
 * @throws DomainError `invalid-override` naming the field (and the stream or source) and its range
 */
export function checkOverrides(o: Overrides, model: CompiledScenario): void {
  for (const [key, range] of RANGES) {
    const v = o[key] as Dec | undefined;
    if (v !== undefined && outOfRange(v, range))
      throw badOverride(key, `${key} must be ${range.text}`, v);
  }
  for (const [name, v] of Object.entries(o.streamFactors ?? {})) {
    const field = `streamFactors.${name}`;
    if (!model.streams.some((s) => s.name === name))
      throw badOverride(field, `streamFactors names no revenue stream "${name}"`, v);
    if (outOfRange(v, FACTOR)) throw badOverride(field, `${field} must be ${FACTOR.text}`, v);
  }
  checkYearFactors(o.revenueYearFactors ?? [], 'revenueYearFactors');
  checkYearFactors(o.opexYearFactors ?? [], 'opexYearFactors');
  for (const [name, v] of Object.entries(o.streamYearFactors ?? {})) {
    const field = `streamYearFactors.${name}`;
    if (!model.streams.some((s) => s.name === name))
      throw badOverride(field, `streamYearFactors names no revenue stream "${name}"`, name);
    checkYearFactors(v, field);
  }
  for (const [id, v] of Object.entries(o.rateShifts ?? {})) {
    const field = `rateShifts.${id}`;
    // A general bond is a debt source too: its rate moves the government's service of it.
    const source = model.scenario.funding.sources.find((s) => s.id === id);
    if (!source?.debt) throw badOverride(field, `rateShifts names no debt source "${id}"`, v);
    if (outOfRange(v, RATE_SHIFT))
      throw badOverride(field, `${field} must be ${RATE_SHIFT.text}`, v);
  }
  const d = o.delayYears;
  if (d !== undefined) {
    if (!Number.isInteger(d) || d < 0 || d > 5)
      throw badOverride('delayYears', 'delayYears must be a whole number from 0 to 5', d);
    if (model.operationYears - d < 1)
      throw badOverride(
        'delayYears',
        `delayYears ${d} leaves no operation year (operation lasts ${model.operationYears})`,
        d,
      );
  }
}

/**
 * Per operation year k, `opexFactor` × `opexYearFactors[k]` exactly (null where the product is 1);
 * null when no year factor is given.
 */
function opexYearFactors(operationYears: number, o: Overrides): Array<Ratio | null> | null {
  const years = o.opexYearFactors ?? [];
  if (years.every((f) => f.eq(ONE))) return null;
  const base = o.opexFactor ?? ONE;
  return Array.from({ length: operationYears }, (_, k) => {
    const f = base.times(years[k] ?? ONE);
    return f.eq(ONE) ? null : ratioOf(f);
  });
}

/** Each year factor is a factor: more than 0 and at most 100 (`revenueYearFactors[3]`). */
function checkYearFactors(factors: readonly Dec[], field: string): void {
  factors.forEach((v, k) => {
    if (outOfRange(v, FACTOR))
      throw badOverride(`${field}[${k}]`, `${field}[${k}] must be ${FACTOR.text}`, v);
  });
}

/**
 * Per operation year k, the revenue-side factors of `revenueFactors` (`base`) times that year's
 * `revenueYearFactors[k]` and `streamYearFactors[name][k]`, exactly; a year no year factor
 * changes keeps `base`. Null when no year factor applies (a factor of 1 applies nothing).
 */
function yearRevenueFactors(
  model: CompiledScenario,
  o: Overrides,
  base: Ratio[] | null,
): Array<Ratio[] | null> | null {
  const all = o.revenueYearFactors;
  const byName = o.streamYearFactors;
  if (!all && !byName) return null;
  let any = false;
  const years: Array<Ratio[] | null> = [];
  for (let k = 0; k < model.operationYears; k++) {
    let row: Ratio[] | null = null;
    for (let i = 0; i < model.streams.length; i++) {
      for (const f of [all?.[k], byName?.[model.streams[i]!.name]?.[k]]) {
        if (!f || f.eq(ONE)) continue;
        row ??= base ? [...base] : model.streams.map(() => RATIO_ONE);
        row[i] = ratioMul(row[i]!, ratioOf(f));
      }
    }
    if (row) any = true;
    years.push(row ?? base);
  }
  return any ? years : null;
}

/**
 * Per stream, the product of the revenue-side factors (revenueFactor, the stream's factor, and for
 * user fees tariffFactor × volumeFactor), exactly; null when none applies.
 */
function revenueFactors(model: CompiledScenario, o: Overrides): Ratio[] | null {
  // Each factor read as a ratio once, not once per stream it applies to.
  const ratio = (f: Dec | undefined): Ratio | null => (f && !f.eq(ONE) ? ratioOf(f) : null);
  const overall = ratio(o.revenueFactor);
  const userFee = [ratio(o.tariffFactor), ratio(o.volumeFactor)].filter((r) => r !== null);
  const byName = o.streamFactors ?? {};
  let any = false;
  const factors = model.streams.map((s) => {
    const parts = [overall, ratio(byName[s.name]), ...(s.kind === 'user-fee' ? userFee : [])];
    let r = RATIO_ONE;
    for (const f of parts)
      if (f) {
        r = ratioMul(r, f);
        any = true;
      }
    return r;
  });
  return any ? factors : null;
}

interface DebtState {
  terms: CompiledDebt;
  rateRatio: Ratio;
  /** Half the rate: construction interest on half the year's drawdown. */
  halfRate: Ratio;
  balance: Fen;
  /** Debt service that fell due and is still unpaid (unfunded shortfalls only); part of `balance`. */
  arrears: Fen;
  repaymentStart: number;
  maturity: number;
  /** Balance when repayment starts, basis of equal-principal and annuity schedules. */
  repaymentBase: Fen | null;
  /** Level annuity payment as an exact fraction num / den of fen (f: as a float, within 3 u). */
  annuity: { num: bigint; den: bigint; f: number } | null;
  feePaid: boolean;
  targetRatio: Ratio | null;
}

/** n zeros in a packed array (`new Array(n).fill(0)` stays holey: slower to read in the hot loop). */
function zeros(n: number): Fen[] {
  const a: Fen[] = [];
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

/** Drawdowns [source][construction year]: pro rata to capex, rows and columns summing exactly. */
function drawdownMatrix(capex: Fen[], amounts: Fen[]): Fen[][] {
  let total = 0;
  for (const c of capex) total += c;
  const last = capex.length - 1;
  // The largest source absorbs each year's rounding so no small source can go negative.
  let absorb = 0;
  amounts.forEach((a, i) => {
    if (a > (amounts[absorb] as Fen)) absorb = i;
  });
  const matrix = amounts.map(() => new Array<Fen>(capex.length).fill(0));
  capex.forEach((c, t) => {
    let others = 0;
    amounts.forEach((amount, s) => {
      if (s === absorb) return;
      const row = matrix[s] as Fen[];
      let x: Fen;
      if (t === last) {
        x = amount;
        for (let u = 0; u < last; u++) x -= row[u] as Fen;
      } else {
        x = total === 0 ? 0 : mulDivRound(amount, c, total);
      }
      row[t] = x;
      others += x;
    });
    (matrix[absorb] as Fen[])[t] = c - others;
  });
  return matrix;
}

const GOV = Object.fromEntries(GOVERNMENT_INSTRUMENTS.map((k, i) => [k, i])) as Record<
  (typeof GOVERNMENT_INSTRUMENTS)[number],
  number
>;

/**
 * Σ committed amounts of the government's own construction funding (budget, construction subsidy,
 * and general bonds, which the government services itself), fen.
 */
function grantFunding(model: CompiledScenario, amounts: readonly Fen[]): Fen {
  let total = 0;
  model.sources.forEach((src, s) => {
    if (src.type === 'budget' || src.type === 'construction-subsidy' || src.type === 'general-bond')
      total += amounts[s] as Fen;
  });
  return total;
}

/**
 * One run's inputs after its overrides, and the state carried from year to year. The year loop
 * is split into small functions over this object: V8 optimises small functions quickly, and a
 * deoptimisation (an amount outgrowing a small integer changes an array's kind) costs a
 * recompilation of one of them, not of the whole run (a single 500-line loop took over a second
 * to recompile, each time: the first thousands of Monte Carlo trials ran unoptimised).
 */
interface Run {
  model: CompiledScenario;
  C: number;
  T: number;
  amounts: Fen[];
  capex: Fen[];
  totalInvestment: Fen;
  draws: Fen[][];
  opexFactor: Ratio | null;
  /** Per operation year, `opexFactor` times that year's `opexYearFactors`; null without any. */
  opexYearScale: Array<Ratio | null> | null;
  revenueScale: Ratio[] | null;
  /** Per operation year, the revenue factors with that year's path factors; null without any. */
  yearScale: Array<Ratio[] | null> | null;
  escalationShift: Dec | null;
  revenueRows: Ratio[][] | null;
  opexRows: Ratio[];
  apKeep: Dec | null;
  residualValueFen: Fen;
  taxRatio: Ratio;
  debts: DebtState[];
  equityIdx: number[];
  shareWeights: Fen[];
  waterfallState: ReturnType<typeof startWaterfall> | null;
  apInputs: AvailabilityInputs | null;
  /** The availability payment's capital parts by year index, shared by runs of the same cost. */
  apCapitalParts: Map<number, CapitalPart> | null;
  /** 1 + p as a small integer ratio for the fen path of the payment; null: Decimal only. */
  apProfit: ProfitFactor | null;
  /** Per public-data stream: excess still to deduct from next year's income. */
  dataCarry: Fen[];
  cappedYears: number[];
  dataClawback: Fen;
  apFlooredYears: number[];
  depreciation: Fen[];
  depreciationLeft: Fen;
  /** Depreciation of the capex alone, for the unlevered tax of the project flows. */
  capexDepreciation: Fen[];
  capexDepreciationLeft: Fen;
  unleveredLosses: Array<{ year: number; amount: Fen }>;
  /** Interest accrued and upfront fees falling due in construction, paid or not. */
  constructionBorrowingCosts: Fen;
  losses: Array<{ year: number; amount: Fen }>;
  vatCredit: Fen;
  /** Creditable input VAT on the capex: not part of the depreciable base. */
  capexInputVat: Fen;
  reserve: ReserveState;
  lastMaturity: number;
  /**
   * Rows of zeros shared by the years that have nothing to post there (drawdowns in operation,
   * revenues in construction, no shortfall to share): read only, never written.
   */
  noDraws: Fen[];
  noStreams: Fen[];
  noEquity: Fen[];
  /** Fees falling due in the year, per debt: scratch, cleared each year. */
  feesDue: Fen[];
  /** The general bonds' schedules (README "General bonds"); null without one. */
  governmentDebts: GovernmentDebtRow[][] | null;
  /** Their service (interest + principal) per year, fen, the outlay `general-bond`; null without one. */
  governmentDebtService: Fen[] | null;
}

/**
 * Runs a compiled scenario with overrides. Exposed for batch runs that compile once; the
 * overrides must have passed `checkOverrides` for this model (names and ranges are not checked here).
 */
export function runModel(compiledModel: CompiledScenario, overrides: Overrides): SimulationResult {
  const run = startRun(compiledModel, overrides);
  const core: CoreYear[] = [];
  for (let t = 0; t < run.T; t++) core.push(runYear(run, t));
  return finishRun(run, core);
}

/** The run's inputs after its overrides, and its year-to-year state at the start. */
function startRun(compiledModel: CompiledScenario, overrides: Overrides): Run {
  const delay = overrides.delayYears ?? 0;
  // A construction delay (README "Risk drivers"): the same model on a longer build, shorter operation.
  const model = delayedModel(compiledModel, delay);
  const C = model.constructionYears;
  const T = C + model.operationYears;
  const capexOverride = applyCapexOverride(model, overrides);
  const amounts = capexOverride.amounts;
  const capex = delay > 0 ? stretchCapex(capexOverride.capex, C) : capexOverride.capex;
  let totalInvestment = 0;
  for (const c of capex) totalInvestment += c;
  const opexFactor =
    overrides.opexFactor && !overrides.opexFactor.eq(ONE) ? ratioOf(overrides.opexFactor) : null;
  const escalationShift =
    overrides.escalationShift && !overrides.escalationShift.isZero()
      ? overrides.escalationShift
      : null;
  const rampUpFactor =
    overrides.rampUpFactor && !overrides.rampUpFactor.eq(ONE) ? overrides.rampUpFactor : null;
  const revenueScale = revenueFactors(model, overrides);
  const equityIdx = model.equityIndexes;
  const equityWeights = equityIdx.map((i) => amounts[i] as Fen);
  const debts = startDebts(model, overrides, C);
  const apInputs = availabilityInputs(model, amounts, totalInvestment);
  let lastMaturity = 0;
  for (const d of debts) lastMaturity = Math.max(lastMaturity, d.maturity);
  const draws = drawdownMatrix(capex, amounts);
  const governmentDebts =
    governmentDebtIndexes(model.scenario).length > 0
      ? governmentDebtSchedules(model.scenario, draws, C, T, overrides)
      : null;
  return {
    model,
    C,
    T,
    amounts,
    capex,
    totalInvestment,
    draws,
    opexFactor,
    opexYearScale: opexYearFactors(model.operationYears, overrides),
    revenueScale,
    yearScale: yearRevenueFactors(model, overrides, revenueScale),
    escalationShift,
    // Revenue and opex grown again only when a driver changes their growth or ramp-up.
    revenueRows:
      escalationShift || rampUpFactor
        ? growRevenue(model.streams, model.operationYears, escalationShift ?? ZERO, rampUpFactor)
        : null,
    opexRows: escalationShift
      ? growOpex(model.scenario, model.operationYears, escalationShift)
      : model.opexExact,
    apKeep:
      overrides.availabilityDeduction && !overrides.availabilityDeduction.isZero()
        ? ONE.minus(overrides.availabilityDeduction)
        : null,
    residualValueFen:
      overrides.residualFactor && !overrides.residualFactor.eq(ONE)
        ? mulRound(model.residualValueFen, ratioOf(overrides.residualFactor))
        : model.residualValueFen,
    taxRatio: overrides.incomeTaxRate ? ratioOf(overrides.incomeTaxRate) : model.incomeTaxRatio,
    debts,
    equityIdx,
    shareWeights: equityWeights.some((w) => w > 0) ? equityWeights : equityWeights.map(() => 1),
    waterfallState: model.waterfall ? startWaterfall(model.waterfall) : null,
    apInputs,
    apCapitalParts: apInputs && capitalPartsOf(model, apInputs),
    apProfit: apInputs && profitFactorOf(apInputs.profitRate),
    dataCarry: zeros(model.streams.length),
    cappedYears: [],
    dataClawback: 0,
    apFlooredYears: [],
    depreciation: [],
    depreciationLeft: 0,
    capexDepreciation: [],
    capexDepreciationLeft: 0,
    unleveredLosses: [],
    constructionBorrowingCosts: 0,
    losses: [],
    vatCredit: 0,
    capexInputVat: 0,
    reserve: { dsra: 0, maintenance: 0, lockUp: 0 },
    lastMaturity,
    noDraws: zeros(model.sources.length),
    noStreams: zeros(model.streams.length),
    noEquity: zeros(equityIdx.length),
    feesDue: zeros(debts.length),
    governmentDebts,
    governmentDebtService: governmentDebts && governmentDebtService(governmentDebts, T),
  };
}

/** Each debt's state at the start: its rate after the rate-shift overrides, nothing drawn. */
function startDebts(model: CompiledScenario, overrides: Overrides, C: number): DebtState[] {
  const rateShift = overrides.rateShift ?? ZERO;
  const rateShifts = overrides.rateShifts ?? {};
  return model.debts.map((terms) => {
    // The compiled ratio serves unless a rate-shift override applies.
    const shift = rateShift.plus(rateShifts[model.sources[terms.sourceIndex]!.id] ?? ZERO);
    const rateRatio = shift.isZero()
      ? terms.annualRatio
      : ratioOf(Dec.max(ZERO, terms.annualRate.plus(shift)));
    return {
      terms,
      rateRatio,
      halfRate: ratioDiv(rateRatio, 2),
      balance: 0,
      arrears: 0,
      // Grace counts from the end of construction, the tenor from the first year; a delay may
      // push the grace past maturity, when all falls due at maturity (in operation, at the earliest).
      repaymentStart: Math.min(C + terms.graceYears, Math.max(C, terms.tenorYears - 1)),
      maturity: terms.tenorYears - 1,
      repaymentBase: null,
      annuity: null,
      feePaid: false,
      targetRatio: terms.targetDscr ? ratioOf(terms.targetDscr) : null,
    };
  });
}

/**
 * The availability payment's inputs; null without one. src/domain/README.md, "Availability
 * payment": by default C is the investment the government does not fund itself (budget and
 * construction subsidies excluded); k defaults to p.
 */
function availabilityInputs(
  model: CompiledScenario,
  amounts: readonly Fen[],
  totalInvestment: Fen,
): AvailabilityInputs | null {
  const ap = model.scenario.government.availabilityPayment;
  if (!ap) return null;
  return {
    constructionCost: ap.constructionCostYuan
      ? new Dec(ap.constructionCostYuan)
      : decOf(totalInvestment - grantFunding(model, amounts)),
    profitRate: new Dec(ap.profitRate),
    discountRate: new Dec(ap.discountRate),
    annuityRate: new Dec(ap.annuityRate ?? ap.profitRate),
    periodYears: ap.periodYears,
  };
}

/** One year's operating lines (all 0 in construction). */
interface OperatingLines {
  revenues: Fen[];
  dataShare: Fen[];
  opex: Fen;
  operatingSubsidy: Fen;
  availabilityPayment: Fen;
  dep: Fen;
  maintenance: Fen;
  maintenanceFromReserve: Fen;
}

/** The year's revenue per stream after the public-data ceiling, and the data authority's shares. */
function revenueLines(run: Run, t: number, k: number, opex: Fen, lines: OperatingLines): void {
  const { model, revenueRows } = run;
  const exactRow = (revenueRows ?? model.revenueExact)[k] as Ratio[];
  const scale = run.yearScale ? run.yearScale[k]! : run.revenueScale;
  const grossRow = scale
    ? exactRow.map((x, i) => mulRoundToFen(x, scale[i] as Ratio))
    : revenueRows
      ? exactRow.map(roundToFen)
      : (model.revenueFen[k] as Fen[]);
  for (let i = 0; i < model.streams.length; i++) {
    const s = model.streams[i]!;
    const gross = grossRow[i] as Fen;
    if (s.kind !== 'public-data') {
      lines.revenues[i] = gross;
      continue;
    }
    // Allowed revenue is capped at cost + profit + tax (src/domain/README.md, "Public-data
    // ceiling"): the year's own excess is measured before any deduction and deducted the next
    // year; a deduction larger than that year's income carries on; the last year refunds all.
    const ceiling = mulRound(opex, s.ceilingRatio);
    const excess = Math.max(0, gross - ceiling);
    const carried = run.dataCarry[i] as Fen;
    let revenue: Fen;
    if (t === run.T - 1) {
      revenue = gross - carried - excess;
      run.dataCarry[i] = 0;
    } else {
      const deducted = Math.min(gross, carried);
      revenue = gross - deducted;
      run.dataCarry[i] = carried - deducted + excess;
    }
    if (excess > 0) {
      run.cappedYears.push(model.startYear + t);
      run.dataClawback += excess;
    }
    lines.revenues[i] = revenue;
    lines.dataShare[i] = mulRound(revenue, s.authorityRatio);
  }
}

/** The year's availability payment (0 outside its period, or when the formula goes below 0). */
function availabilityPaymentOf(run: Run, t: number, k: number, lines: OperatingLines): Fen {
  const ap = run.model.scenario.government.availabilityPayment;
  if (!ap || !run.apInputs || k >= ap.periodYears) return 0;
  const opexFen = ap.includeOperatingCost ? lines.opex : 0;
  // U_n: the operator's own operating revenue, net of the data authority's share.
  let userFees = 0;
  if (ap.deductUserFees)
    for (let i = 0; i < lines.revenues.length; i++)
      userFees += (lines.revenues[i] as Fen) - (lines.dataShare[i] as Fen);
  const n = ap.method === 'mof-formula' ? k + ap.firstIndex : -1;
  const part = capitalPart(run, n);
  const fast = run.apKeep ? null : paymentFen(part, run.apProfit, opexFen, userFees);
  if (fast !== null) {
    if (fast >= 0) return fast;
    run.apFlooredYears.push(run.model.startYear + t);
    return 0;
  }
  const raw = withOperations(run.apInputs, part.dec, decOf(opexFen), decOf(userFees));
  if (raw.lt(ZERO)) {
    run.apFlooredYears.push(run.model.startYear + t);
    return 0;
  }
  // A performance deduction withholds a share before posting (README "Risk drivers").
  return fenOf(toFen(run.apKeep ? raw.times(run.apKeep) : raw));
}

/** A capital part of the availability payment, and the same in fen split for `paymentFen`. */
interface CapitalPart {
  dec: Dec;
  /** floor(dec × 100) when a safe integer, else null (then only the Decimal path serves). */
  fenFloor: number | null;
  /** dec × 100 − fenFloor as a float, in [0, 1). */
  fenFraction: number;
}

/** 1 + p of the availability payment as an integer over 10^places, when both are small. */
interface ProfitFactor {
  scaled: number;
  unit: number;
}

function profitFactorOf(profitRate: Dec): ProfitFactor | null {
  const f = ONE.plus(profitRate);
  const places = f.decimalPlaces();
  if (places > 9) return null;
  const scaled = f.times(10 ** places);
  return scaled.abs().lte(1e6) ? { scaled: scaled.toNumber(), unit: 10 ** places } : null;
}

function capitalPartOf(dec: Dec): CapitalPart {
  const fen = dec.times(100);
  const floor = fen.floor();
  const fenFloor = floor.abs().lte(Number.MAX_SAFE_INTEGER) ? floor.toNumber() : null;
  return { dec, fenFloor, fenFraction: fen.minus(floor).toNumber() };
}

/** Margin kept from a rounding boundary by `paymentFen`'s floats (their error is below 1e-15). */
const AP_MARGIN = 1e-9;

/**
 * `withOperations` rounded half-up to the fen (what the Decimal path posts, a negative result as
 * a negative number), in integers and one float fraction: capital × 100 = floor + fraction,
 * O × (1 + p) × 100 = opex fen × scaled ÷ unit split the same way, less U. Null when the sum's
 * fraction is within AP_MARGIN of a half (or of 1 where the sign is in question), or a product is
 * not a safe integer: the Decimal path then decides.
 */
function paymentFen(
  part: CapitalPart,
  profit: ProfitFactor | null,
  opexFen: Fen,
  userFeesFen: Fen,
): Fen | null {
  if (part.fenFloor === null || profit === null) return null;
  const product = opexFen * profit.scaled;
  if (!Number.isSafeInteger(product)) return null;
  let q = Math.trunc(product / profit.unit);
  let r = product - q * profit.unit;
  if (r < 0) {
    q -= 1;
    r += profit.unit;
  } else if (r >= profit.unit) {
    q += 1;
    r -= profit.unit;
  }
  const base = part.fenFloor + q - userFeesFen;
  const frac = part.fenFraction + r / profit.unit;
  if (!Number.isSafeInteger(base) || Math.abs(base) > 2 ** 50) return null;
  if (Math.abs(frac - 0.5) < AP_MARGIN || Math.abs(frac - 1.5) < AP_MARGIN) return null;
  if (base === -1 && Math.abs(frac - 1) < AP_MARGIN) return null;
  if (base + frac < 0) return -1;
  return base + (frac >= 1.5 ? 2 : frac >= 0.5 ? 1 : 0);
}

/**
 * The capital parts of availability payments already computed, per compiled model and
 * construction cost (Decimal powers and divisions, the same for every trial that keeps the capex).
 */
const capitalParts = new WeakMap<CompiledScenario, Map<string, Map<number, CapitalPart>>>();
/** Construction costs a model keeps before its map is cleared (a capex driver makes a new cost per trial). */
const CAPITAL_COSTS_KEPT = 256;

/** The capital parts already computed for this model and construction cost, by year index. */
function capitalPartsOf(
  model: CompiledScenario,
  inputs: AvailabilityInputs,
): Map<number, CapitalPart> {
  let byCost = capitalParts.get(model);
  if (!byCost) {
    byCost = new Map();
    capitalParts.set(model, byCost);
  }
  const key = inputs.constructionCost.toFixed();
  let parts = byCost.get(key);
  if (!parts) {
    if (byCost.size >= CAPITAL_COSTS_KEPT) byCost.clear();
    parts = new Map();
    byCost.set(key, parts);
  }
  return parts;
}

/** The capital part of year index n of the MoF formula, or of the annuity variant (n = −1). */
function capitalPart(run: Run, n: number): CapitalPart {
  const inputs = run.apInputs!;
  const parts = run.apCapitalParts!;
  let part = parts.get(n);
  if (!part) {
    part = capitalPartOf(n < 0 ? annuityCapitalPart(inputs) : mofCapitalPart(inputs, n));
    parts.set(n, part);
  }
  return part;
}

/** The year's depreciation; the schedules are set in the first operation year. */
function depreciationOf(run: Run, k: number): Fen {
  const { model } = run;
  if (k === 0) {
    // Depreciable base: capex plus construction-period borrowing costs, paid or capitalised
    // (src/domain/README.md, "Depreciation"); straight line, the remainder written off in the
    // last operation year.
    const base = run.totalInvestment - run.capexInputVat + run.constructionBorrowingCosts;
    run.depreciation = allocateFen(base, new Array<Fen>(model.depreciationYears).fill(1));
    run.depreciationLeft = base;
    run.capexDepreciation = allocateFen(
      run.totalInvestment - run.capexInputVat,
      new Array<Fen>(model.depreciationYears).fill(1),
    );
    run.capexDepreciationLeft = run.totalInvestment - run.capexInputVat;
  }
  const dep = k === model.operationYears - 1 ? run.depreciationLeft : (run.depreciation[k] ?? 0);
  run.depreciationLeft -= dep;
  return dep;
}

/** The year's operating lines: opex, revenues, payments, depreciation and major maintenance. */
function operatingLines(run: Run, t: number, rrow: CoreReserveYear | null): OperatingLines {
  const { model } = run;
  const streamCount = model.streams.length;
  const construction = t < run.C;
  const lines: OperatingLines = {
    revenues: construction ? run.noStreams : zeros(streamCount),
    dataShare: construction ? run.noStreams : zeros(streamCount),
    opex: 0,
    operatingSubsidy: 0,
    availabilityPayment: 0,
    dep: 0,
    maintenance: 0,
    maintenanceFromReserve: 0,
  };
  if (construction) return lines;
  const k = t - run.C;
  const opexFactor = run.opexYearScale ? (run.opexYearScale[k] ?? null) : run.opexFactor;
  lines.opex = opexFactor
    ? mulRoundToFen(run.opexRows[k] as Ratio, opexFactor)
    : run.escalationShift
      ? roundToFen(run.opexRows[k] as Ratio)
      : (model.opexFen[k] as Fen);
  revenueLines(run, t, k, lines.opex, lines);
  lines.operatingSubsidy = model.operatingSubsidyFen[k] as Fen;
  lines.availabilityPayment = availabilityPaymentOf(run, t, k, lines);
  lines.dep = depreciationOf(run, k);
  if (model.reserves && rrow) {
    lines.maintenanceFromReserve = spendMaintenance(model.reserves, run.reserve, rrow, k);
    lines.maintenance = rrow.maintenanceSpend;
  }
  return lines;
}

/** Each debt's row for year t with its drawdown and interest; fees due the year in `feesDue`. */
function accrueDebts(run: Run, t: number, feesDue: Fen[]): CoreDebtYear[] {
  const construction = t < run.C;
  return run.debts.map((d, j) => {
    const draw = (run.draws[d.terms.sourceIndex] as Fen[])[t] ?? 0;
    const opening = d.balance;
    // Construction interest per the source's draw timing (src/domain/README.md, "Draw timing"):
    // (opening + draw) × rate at the start of the year, (opening + draw ÷ 2) × rate mid-year.
    const interest = !construction
      ? mulRound(opening, d.rateRatio)
      : d.terms.drawAtStart
        ? mulRound(opening + draw, d.rateRatio)
        : mulRound(2 * opening + draw, d.halfRate);
    if (!d.feePaid && draw > 0) {
      feesDue[j] = mulRound(run.amounts[d.terms.sourceIndex] as Fen, d.terms.upfrontFeeRatio);
      d.feePaid = true;
    }
    return {
      opening,
      drawdown: draw,
      interest,
      capitalised: 0,
      interestPaid: 0,
      principalPaid: 0,
      fees: 0,
      arrears: 0,
      arrearsPaid: 0,
      arrearsBalance: 0,
      closing: 0,
    };
  });
}

const NO_TAXES = { taxableIncome: 0, tax: 0, unleveredTax: 0 } as const;

/** The year's income tax, levered and unlevered (0 in construction). */
function taxesOf(
  run: Run,
  t: number,
  taxBase: Fen,
  residualValue: Fen,
  dep: Fen,
  interestExpense: Fen,
): { taxableIncome: Fen; tax: Fen; unleveredTax: Fen } {
  if (t < run.C) return NO_TAXES;
  const { model, taxRatio } = run;
  const k = t - run.C;
  const taxableIncome = taxBase + residualValue - dep - interestExpense;
  const tax = taxAfterLosses(taxableIncome, t, run.losses, model.lossCarryForwardYears, taxRatio);
  // Tax as if there were no debt (src/domain/README.md, "Project IRR and NPV").
  const unleveredDep =
    k === model.operationYears - 1 ? run.capexDepreciationLeft : (run.capexDepreciation[k] ?? 0);
  run.capexDepreciationLeft -= unleveredDep;
  const unleveredTax = taxAfterLosses(
    taxBase + residualValue - unleveredDep,
    t,
    run.unleveredLosses,
    model.lossCarryForwardYears,
    taxRatio,
  );
  return { taxableIncome, tax, unleveredTax };
}

/** What the debts took in a year: cash left, service due, unpaid, service paid. */
interface Service {
  cash: Fen;
  debtServiceDue: Fen;
  unpaidTotal: Fen;
  totalDebtService: Fen;
}

/** Pays the debts by seniority from `cashIn` (debts are sorted so). */
function serviceDebts(
  run: Run,
  t: number,
  debtRows: CoreDebtYear[],
  feesDue: readonly Fen[],
  cashIn: Fen,
): Service {
  const construction = t < run.C;
  const funded = run.model.shortfall !== 'unfunded';
  const out: Service = { cash: cashIn, debtServiceDue: 0, unpaidTotal: 0, totalDebtService: 0 };
  for (let j = 0; j < run.debts.length; j++) {
    const paid = payDebt(
      run.debts[j]!,
      debtRows[j]!,
      t,
      construction,
      feesDue[j] as Fen,
      out.cash,
      funded,
    );
    out.cash -= paid.cash;
    out.debtServiceDue += paid.due;
    out.unpaidTotal += paid.unpaid;
    out.totalDebtService += paid.debtService;
    if (construction) run.constructionBorrowingCosts += debtRows[j]!.interest + (feesDue[j] as Fen);
  }
  return out;
}

/** Who covers a shortfall (src/domain/README.md, "Shortfalls and arrears"). */
interface ShortfallCover {
  byGovernment: Fen;
  byEquity: Fen;
  unfunded: Fen;
  unfundedDeficit: Fen;
  equityShortfall: Fen[];
}

function coverShortfall(run: Run, shortfall: Fen, operatingDeficit: Fen): ShortfallCover {
  const cover: ShortfallCover = {
    byGovernment: 0,
    byEquity: 0,
    unfunded: 0,
    unfundedDeficit: 0,
    equityShortfall: run.noEquity,
  };
  if (shortfall <= 0) return cover;
  if (run.model.shortfall === 'government') cover.byGovernment = shortfall;
  else if (run.model.shortfall === 'equity') {
    cover.byEquity = shortfall;
    cover.equityShortfall = allocateFen(shortfall, run.shareWeights);
  } else {
    cover.unfunded = shortfall;
    cover.unfundedDeficit = operatingDeficit;
  }
  return cover;
}

/** The DSRA, maintenance reserve and lock-up after debt service; returns the cash left. */
function settleReserves(
  run: Run,
  t: number,
  rrow: CoreReserveYear,
  cfads: Fen,
  debtServiceDue: Fen,
  cashIn: Fen,
): Fen {
  const plan = run.model.reserves!;
  let cash = cashIn;
  if (t >= run.C) {
    const last = t === run.T - 1;
    if (plan.dsraMonths !== null) {
      // Released in full in the last debt-service year (and at the end in any case).
      const target =
        last || t >= run.lastMaturity ? 0 : dsraTarget(plan, nextDebtService(run.debts, t + 1));
      cash = adjustDsra(run.reserve, rrow, target, cash);
    }
    cash = contributeMaintenance(plan, run.reserve, rrow, t - run.C, cash);
    cash = applyLockUp(plan, run.reserve, rrow, cfads, debtServiceDue, last, cash);
  } else if (t === run.C - 1 && plan.dsraByEquity) {
    fundDsraByEquity(
      run.reserve,
      rrow,
      dsraTarget(plan, nextDebtService(run.debts, run.C)),
      run.shareWeights,
    );
  }
  return cash;
}

/**
 * Distributions: what is left after debt service goes to the equity holders pro rata, or through
 * the waterfall tiers when the scenario has them (src/domain/README.md, "Equity waterfall").
 */
function equityYear(
  run: Run,
  t: number,
  cash: Fen,
  equityShortfall: readonly Fen[],
): CoreYear['equity'] {
  const { model, equityIdx, draws } = run;
  const waterfall = model.waterfall;
  const tiers =
    waterfall && run.waterfallState
      ? waterfallYear(
          waterfall,
          run.waterfallState,
          cash,
          run.shareWeights,
          equityIdx.map((s, i) => ((draws[s] as Fen[])[t] ?? 0) + (equityShortfall[i] as Fen)),
        )
      : null;
  const distributions = tiers
    ? tiers.distributions
    : cash > 0 && equityIdx.length > 0
      ? allocateFen(cash, run.shareWeights)
      : null;
  const equity: CoreYear['equity'] = equityIdx.map((s, i) => ({
    contribution: (draws[s] as Fen[])[t] ?? 0,
    shortfallContribution: equityShortfall[i] as Fen,
    distribution: distributions ? (distributions[i] as Fen) : 0,
  }));
  if (tiers && waterfall)
    equity.forEach((e, i) => {
      if (!waterfall.isPreferred[i]) return;
      e.preferredReturn = tiers.preferredReturn[i] as Fen;
      e.capitalReturned = tiers.capitalReturned[i] as Fen;
      e.preferredUnpaid = tiers.preferredUnpaid[i] as Fen;
    });
  return equity;
}

/** The government's net outlay by instrument in a year (receipts negative). */
function governmentYear(
  run: Run,
  t: number,
  y: Pick<
    CoreYear,
    | 'equity'
    | 'reserves'
    | 'vat'
    | 'operatingSubsidy'
    | 'availabilityPayment'
    | 'shortfallByGovernment'
    | 'surplusToGovernment'
  >,
  dataShareTotal: Fen,
): Fen[] {
  const { model, draws } = run;
  const government = zeros(GOVERNMENT_INSTRUMENTS.length);
  const add = (instrument: keyof typeof GOV, amount: Fen) => {
    government[GOV[instrument]] = (government[GOV[instrument]] as Fen) + amount;
  };
  model.sources.forEach((src, s) => {
    if (src.type === 'budget' || src.type === 'construction-subsidy')
      add(src.type, (draws[s] as Fen[])[t] ?? 0);
  });
  run.equityIdx.forEach((s, i) => {
    const type = model.sources[s]?.type;
    const e = y.equity[i]!;
    if (type === 'guided-fund-equity' || type === 'government-equity') {
      add(type, e.contribution + e.shortfallContribution + dsraEquityOf(y.reserves, i));
      add('returns', -e.distribution);
    }
  });
  const vat = y.vat;
  // The government pays the payments' output VAT with them (src/domain/README.md, "Indirect taxes").
  add('operating-subsidy', y.operatingSubsidy + (vat ? vat.operatingSubsidyVat : 0));
  add('availability-payment', y.availabilityPayment + (vat ? vat.availabilityPaymentVat : 0));
  add('shortfall-support', y.shortfallByGovernment);
  add('data-revenue-share', -dataShareTotal);
  add('returns', -y.surplusToGovernment);
  // The general budget's service of the general bonds (README "General bonds").
  if (run.governmentDebtService) add('general-bond', run.governmentDebtService[t] as Fen);
  return government;
}

/** One year of the run: operation, VAT, debt, tax, the cash waterfall, reserves, the government. */
function runYear(run: Run, t: number): CoreYear {
  const { model } = run;
  const construction = t < run.C;
  const plan = model.reserves;
  const rrow = plan ? openReserveYear(plan, run.reserve, run.equityIdx.length) : null;
  const op = operatingLines(run, t, rrow);
  const capexNow = construction ? (run.capex[t] as Fen) : 0;
  const vt = model.indirectTax;
  const vat = vt
    ? vatYear(vt, run.vatCredit, {
        capex: capexNow,
        opex: op.opex,
        revenues: op.revenues,
        availabilityPayment: op.availabilityPayment,
        operatingSubsidy: op.operatingSubsidy,
      })
    : null;
  if (vat) {
    run.vatCredit = vat.credit;
    if (construction) run.capexInputVat += vat.input;
  }

  // Interest accrues before tax is known; it depends only on opening balances.
  const feesDue = run.feesDue;
  feesDue.fill(0);
  const debtRows = accrueDebts(run, t, feesDue);

  let streamsTotal = 0;
  for (const r of op.revenues) streamsTotal += r;
  const totalRevenue = streamsTotal + op.operatingSubsidy + op.availabilityPayment;
  let dataShareTotal = 0;
  for (const x of op.dataShare) dataShareTotal += x;
  let interestExpense = 0;
  if (!construction) for (const r of debtRows) interestExpense += r.interest;

  // Major maintenance is an operating expense, deductible in the year spent.
  const operating = totalRevenue - dataShareTotal - op.opex - op.maintenance;
  // With VAT on, cash also gets the output VAT less the VAT paid and the surcharges, and income
  // tax deducts the surcharges and the operating cost without its creditable input VAT.
  const operatingCash = vat ? operating + vat.output - vat.payable - vat.surcharges : operating;
  const taxBase = vat ? operating + vat.opexInput - vat.surcharges : operating;
  // Residual value is taxed as a gain over the book value, which the last year's write-off has
  // brought to 0 (src/domain/README.md, "Residual value").
  const residualValue = t === run.T - 1 ? run.residualValueFen : 0;
  const taxes = taxesOf(run, t, taxBase, residualValue, op.dep, interestExpense);
  // The part of major maintenance paid from its reserve is not a charge on the year's cash.
  const cfads = operatingCash - taxes.tax + op.maintenanceFromReserve;
  const projectFlowPreTax = operatingCash + residualValue - capexNow;

  // Waterfall: own cash (CFADS + residual) pays debt service by seniority; the rest is
  // distributed. What it cannot pay is a shortfall, covered per the policy; left unfunded, it is
  // in arrears (src/domain/README.md, "Shortfalls and arrears").
  let cash = cfads + residualValue;
  const operatingDeficit = cash < 0 ? -cash : 0;
  if (cash < 0) cash = 0;
  // The DSRA stands behind the year's cash for debt service (drawn below for what cash lacked).
  const dsraOn = rrow !== null && !construction && run.reserve.dsra > 0;
  if (dsraOn) cash += run.reserve.dsra;
  const service = serviceDebts(run, t, debtRows, feesDue, cash);
  cash = service.cash;
  if (dsraOn && rrow) cash = settleDsraDraw(run.reserve, rrow, cash);

  const shortfall = operatingDeficit + service.unpaidTotal;
  const cover = coverShortfall(run, shortfall, operatingDeficit);
  if (rrow) cash = settleReserves(run, t, rrow, cfads, service.debtServiceDue, cash);

  // Distributions, or to the government when nobody else holds the project.
  const equity = equityYear(run, t, cash, cover.equityShortfall);
  const surplusToGovernment = cash > 0 && run.equityIdx.length === 0 ? cash : 0;
  const government = governmentYear(
    run,
    t,
    {
      equity,
      reserves: rrow,
      vat,
      operatingSubsidy: op.operatingSubsidy,
      availabilityPayment: op.availabilityPayment,
      shortfallByGovernment: cover.byGovernment,
      surplusToGovernment,
    },
    dataShareTotal,
  );
  let governmentNet = 0;
  for (const g of government) governmentNet += g;

  return {
    t,
    year: model.startYear + t,
    construction,
    capex: capexNow,
    revenues: op.revenues,
    dataShare: op.dataShare,
    operatingSubsidy: op.operatingSubsidy,
    availabilityPayment: op.availabilityPayment,
    totalRevenue,
    opex: op.opex,
    depreciation: op.dep,
    interestExpense,
    taxableIncome: taxes.taxableIncome,
    tax: taxes.tax,
    cfads,
    residualValue,
    drawdowns: construction
      ? model.sources.map((_, s) => (run.draws[s] as Fen[])[t] ?? 0)
      : run.noDraws,
    debt: debtRows,
    totalDebtService: service.totalDebtService,
    debtServiceDue: service.debtServiceDue,
    shortfall,
    shortfallByGovernment: cover.byGovernment,
    shortfallByEquity: cover.byEquity,
    shortfallUnfunded: cover.unfunded,
    unfundedDeficit: cover.unfundedDeficit,
    equity,
    surplusToGovernment,
    unleveredTax: taxes.unleveredTax,
    projectFlow: projectFlowPreTax - taxes.unleveredTax,
    projectFlowPreTax,
    // DSCR to 6 dp half-up, kept as an integer number of millionths.
    dscrMicro:
      !construction && service.debtServiceDue > 0
        ? microRatio(cfads, service.debtServiceDue)
        : null,
    government,
    governmentNet,
    reserves: rrow,
    vat,
  };
}

/** The run's flags and metrics (the metrics add the flags they raise). */
function judgeRun(
  run: Run,
  core: CoreYear[],
  sources: SourceSummary[],
  schedules: readonly GovernmentDebtRow[][] | null,
): { metrics: SimulationResult['metrics']; flags: Flag[] } {
  const { model, C } = run;
  const plan = model.reserves;
  const flags: Flag[] = [];
  if (run.vatCredit > 0) {
    flags.push({
      code: 'vat-credit-unused',
      severity: 'info',
      message:
        'Input VAT credit is left at the end of the project; it is not refunded (no 留抵退税 is modelled)',
      amount: decOf(run.vatCredit),
    });
  }

  if (run.apFlooredYears.length > 0) {
    flags.push({
      code: 'availability-payment-floored',
      severity: 'info',
      message:
        'User fees exceed the availability-payment formula in some years; the payment is set to 0 there',
      years: run.apFlooredYears,
    });
  }
  if (run.cappedYears.length > 0) {
    flags.push({
      code: 'data-revenue-capped',
      severity: 'info',
      message:
        'Public-data revenue exceeded its ceiling (cost + allowed profit + tax); the excess is deducted the next year, or refunded at once in the last year',
      years: [...new Set(run.cappedYears)],
      amount: decOf(run.dataClawback),
    });
  }

  const metrics = computeMetrics(
    run.model,
    core,
    sources,
    run.amounts,
    run.debts.map((d) => d.rateRatio),
    run.totalInvestment,
    flags,
  );
  if (plan?.dsraMonths != null && C > 0)
    metrics.dsraAtStartOfOperation = decOf(core[C - 1]?.reserves?.dsraBalance ?? 0);
  if (schedules) flags.push(governmentServicedFlag(schedules));
  return { metrics, flags };
}

/** The run's result: metrics, flags, ledger and sources and uses built on first read. */
function finishRun(run: Run, core: CoreYear[]): SimulationResult {
  const { model } = run;
  // The compiled summaries' own keys, in their order (a spread costs more than the run's year).
  const sources = model.sources.map((s, i): SourceSummary => ({
    id: s.id,
    name: s.name,
    type: s.type,
    pillar: s.pillar,
    nature: s.nature,
    amount: decOf(run.amounts[i] as Fen),
  }));
  const debtSummaries = model.debts.map((d) => sources[d.sourceIndex]!);
  const equityHolders = run.equityIdx.map((i) => sources[i]!);
  const result = {
    engineVersion: ENGINE_VERSION,
    streams: model.streams.map((s) => ({ name: s.name, kind: s.kind })),
    sources,
    debts: debtSummaries,
    equityHolders,
    metrics: undefined,
    flags: undefined,
  } as unknown as SimulationResult;
  const schedules = run.governmentDebts;
  if (schedules)
    result.governmentDebts = governmentDebtIndexes(model.scenario).map((i) => sources[i]!);
  // Metrics and flags on first read too (the portfolio's trials read only the government lines);
  // the keys stay where they were, so stored results and golden files keep their order.
  let judged: { metrics: SimulationResult['metrics']; flags: Flag[] } | undefined;
  const judge = () => (judged ??= judgeRun(run, core, sources, schedules));
  lazy(result, 'metrics', () => judge().metrics);
  lazy(result, 'flags', () => judge().flags);
  let ledgerBuilt = false;
  lazy(result, 'ledger', () => {
    ledgerBuilt = true;
    const ledger = core.map(toLedgerYear);
    if (schedules)
      ledger.forEach((y, t) => {
        y.governmentDebt = schedules.map((rows) => toGovernmentDebtYear(rows[t]!));
      });
    return ledger;
  });
  lazy(result, 'sourcesAndUses', () => buildSourcesAndUses(core, sources, debtSummaries));
  // Not enumerable: stored results, golden files and the API's JSON stay as they were.
  const hidden = { enumerable: false };
  lazy(result, 'yearly', () => yearlyFigures(core), hidden);
  lazy(
    result,
    'governmentFen',
    () =>
      core.map((y) => ({
        year: y.year,
        construction: y.construction,
        byInstrument: y.government,
      })),
    hidden,
  );
  // The full ledger once it is built, else a lean one: read anew each time.
  let fiscal: FiscalLedgerYear[] | undefined;
  lazy(
    result,
    'fiscalLedger',
    () => (ledgerBuilt ? result.ledger : (fiscal ??= core.map(toFiscalLedgerYear))),
    { enumerable: false, keep: false },
  );
  return result;
}

/**
 * The flag that names the general bonds' service (README "General bonds"): the general public
 * budget pays it, outside the project's cash flow; it is the government outlay `general-bond`.
 */
function governmentServicedFlag(schedules: readonly GovernmentDebtRow[][]): Flag {
  let total = 0;
  for (const rows of schedules) for (const r of rows) total += r.interest + r.principal;
  return {
    code: 'general-bond-government-serviced',
    severity: 'info',
    message:
      'General-bond principal and interest are paid from the general public budget, not by the project: they are outside CFADS, DSCR and the project debt service, and are the government outlay "general bond" in the year paid (the proceeds are not an outlay)',
    amount: decOf(total),
  };
}

/** The per-year figures a Monte Carlo keeps of each trial, straight from the fen ledger. */
function yearlyFigures(core: readonly CoreYear[]): YearlyFigures {
  return {
    years: core.map((y) => y.year),
    cfadsFen: core.map((y) => y.cfads),
    dscrMicro: core.map((y) => y.dscrMicro),
    arrearsFen: core.map((y) => y.debt.reduce((a, d) => a + d.arrears, 0) + y.unfundedDeficit),
  };
}

/** An equity holder's DSRA payment in a year (funding `equity`), fen. */
function dsraEquityOf(row: CoreYear['reserves'], holder: number): Fen {
  return row ? (row.dsraEquityByHolder[holder] as Fen) : 0;
}

/**
 * Debt service (interest + scheduled principal, fees excluded) every debt owes in year `s`, as its
 * schedule will compute it from today's closing balances; `s` is an operation year. Arrears are
 * not counted (they are overdue, not scheduled). Used only to size the DSRA; leaves the state
 * as found (sculpted debts, whose principal depends on the year's cash, are refused with a DSRA).
 */
function nextDebtService(debts: readonly DebtState[], s: number): Fen {
  let total = 0;
  for (const d of debts) {
    const interest = mulRound(d.balance, d.rateRatio);
    const notDue = d.balance - d.arrears;
    let principal = 0;
    if (s >= d.repaymentStart && notDue > 0) {
      const { repaymentBase, annuity } = d;
      principal = scheduledPrincipal(d, s, notDue, interest, 0);
      d.repaymentBase = repaymentBase;
      d.annuity = annuity;
    }
    total += interest + principal;
  }
  return total;
}

/**
 * Income tax on a year's taxable income after using earlier losses (oldest first, each usable for
 * `carryYears` years); a loss is recorded instead. Rounded half-up to fen.
 */
function taxAfterLosses(
  taxableIncome: Fen,
  t: number,
  losses: Array<{ year: number; amount: Fen }>,
  carryYears: number,
  taxRatio: Ratio,
): Fen {
  if (taxableIncome < 0) {
    losses.push({ year: t, amount: -taxableIncome });
    return 0;
  }
  let taxable = taxableIncome;
  for (const loss of losses) {
    if (taxable === 0) break;
    if (t - loss.year > carryYears || loss.amount === 0) continue;
    const used = Math.min(loss.amount, taxable);
    loss.amount -= used;
    taxable -= used;
  }
  return mulRound(taxable, taxRatio);
}

/** What one debt's year in the waterfall took and left: cash paid, service due, newly unpaid. */
interface DebtPayment {
  /** Cash paid to the lender, fees included. */
  cash: Fen;
  /** Interest owed in cash plus principal falling due this year (the DSCR's denominator). */
  due: Fen;
  /** This year's fees, interest and principal left unpaid (each unpaid fen once). */
  unpaid: Fen;
  /** Interest and principal paid, arrears recovered included (fees excluded). */
  debtService: Fen;
}

/** The unit roundoff of a float, 2^−53. */
const U53 = 2 ** -53;

/** Reused by `payDebt` (read at once by its caller): no allocation per debt and year. */
const payment: DebtPayment = { cash: 0, due: 0, unpaid: 0, debtService: 0 };

/**
 * One debt's year: arrears are paid first from the cash on hand, then this year's fees, interest
 * and principal, in that order. With a funded policy everything due is paid (the shortfall covers
 * the gap); unfunded, what is not paid joins the arrears: unpaid fees and interest are added to the
 * balance (so they bear interest), unpaid principal stays on it. Posts the row's lines.
 */
function payDebt(
  d: DebtState,
  row: CoreDebtYear,
  t: number,
  construction: boolean,
  fees: Fen,
  cashIn: Fen,
  funded: boolean,
): DebtPayment {
  let cash = cashIn;
  let interest = row.interest;
  if (construction && d.terms.capitalise) {
    row.capitalised = row.interest;
    interest = 0;
  }
  const balance = row.opening + row.drawdown + row.capitalised;
  const arrearsPaid = Math.min(cash, d.arrears);
  cash -= arrearsPaid;
  const notDue = balance - d.arrears;
  let principal = 0;
  if (!construction && t >= d.repaymentStart && notDue > 0)
    principal = scheduledPrincipal(d, t, notDue, row.interest, cash);
  const owed = fees + interest + principal;
  const paidNow = Math.min(cash, owed);
  let payFees = fees;
  let payInterest = interest;
  let payPrincipal = principal;
  if (!funded) {
    let available = paidNow;
    payFees = Math.min(available, fees);
    available -= payFees;
    payInterest = Math.min(available, interest);
    available -= payInterest;
    payPrincipal = Math.min(available, principal);
  }
  const newArrears = owed - payFees - payInterest - payPrincipal;
  row.capitalised += interest - payInterest + (fees - payFees);
  row.interestPaid = payInterest;
  // Recovered arrears are capitalised interest and fees or overdue principal: principal repaid.
  row.principalPaid = payPrincipal + arrearsPaid;
  row.fees = payFees;
  row.arrears = newArrears;
  row.arrearsPaid = arrearsPaid;
  d.arrears += newArrears - arrearsPaid;
  row.arrearsBalance = d.arrears;
  row.closing = balance + (interest - payInterest) + (fees - payFees) - row.principalPaid;
  d.balance = row.closing;
  payment.cash = arrearsPaid + paidNow;
  payment.due = interest + principal;
  payment.unpaid = owed - paidNow;
  payment.debtService = payInterest + row.principalPaid;
  return payment;
}

/**
 * Principal falling due this year under the debt's profile, at most what is not already overdue;
 * at and after maturity, all of it.
 * @param balance what is not yet due: the balance less the arrears, fen
 */
function scheduledPrincipal(
  d: DebtState,
  t: number,
  balance: Fen,
  interest: Fen,
  cashForTranche: Fen,
): Fen {
  if (t >= d.maturity) return balance;
  const n = d.maturity - d.repaymentStart + 1;
  if (d.repaymentBase === null) {
    d.repaymentBase = balance;
    if (d.terms.repayment === 'annuity') {
      // PMT = B·r / (1 − (1+r)^−n); with 1 + r = b/a it is B·(b − a)·b^n / (a·(b^n − a^n)), exactly.
      const a = d.rateRatio.den;
      const b = a + d.rateRatio.num;
      const bn = b ** BigInt(n);
      const an = a ** BigInt(n);
      const annuity =
        d.rateRatio.num === 0n
          ? { num: BigInt(balance), den: BigInt(n) }
          : { num: BigInt(balance) * (b - a) * bn, den: a * (bn - an) };
      d.annuity = { ...annuity, f: Number(annuity.num) / Number(annuity.den) };
    }
  }
  let scheduled = 0;
  switch (d.terms.repayment) {
    case 'bullet':
      break;
    case 'equal-principal':
      scheduled = mulDivRound(d.repaymentBase, 1, n);
      break;
    case 'annuity': {
      const p = d.annuity as { num: bigint; den: bigint; f: number };
      // In floats unless a rounding midpoint lies within the error bound (roundHalfFloat).
      const v = p.f - interest;
      const fast = roundHalfFloat(v, 2.02 * U53 * (3 * Math.abs(p.f) + Math.abs(v)));
      scheduled = Math.max(0, fast ?? Number(divRound(p.num - BigInt(interest) * p.den, p.den)));
      break;
    }
    case 'sculpted': {
      // src/domain/README.md, "Debt sculpting": CFADS available ÷ target DSCR − interest, at least 0.
      const r = d.targetRatio as Ratio;
      scheduled = Math.max(
        0,
        Number(divRound(BigInt(cashForTranche) * r.den - BigInt(interest) * r.num, r.num)),
      );
      break;
    }
  }
  return Math.min(balance, scheduled);
}
