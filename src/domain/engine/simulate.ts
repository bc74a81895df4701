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
import { lazy, toLedgerYear, type CoreDebtYear, type CoreYear } from './core';
import { annuityAvailabilityPayment, mofAvailabilityPayment } from './government';
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
  type ReserveState,
} from './reserves';
import { buildSourcesAndUses } from './sources-and-uses';
import { startWaterfall, waterfallYear } from './waterfall';
import {
  ENGINE_VERSION,
  GOVERNMENT_INSTRUMENTS,
  type Flag,
  type Overrides,
  type SimulationResult,
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
  for (const [name, v] of Object.entries(o.streamYearFactors ?? {})) {
    const field = `streamYearFactors.${name}`;
    if (!model.streams.some((s) => s.name === name))
      throw badOverride(field, `streamYearFactors names no revenue stream "${name}"`, name);
    checkYearFactors(v, field);
  }
  for (const [id, v] of Object.entries(o.rateShifts ?? {})) {
    const field = `rateShifts.${id}`;
    if (!model.debts.some((d) => model.sources[d.sourceIndex]?.id === id))
      throw badOverride(field, `rateShifts names no debt source "${id}"`, v);
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
  const overall = o.revenueFactor && !o.revenueFactor.eq(ONE) ? o.revenueFactor : null;
  const userFee = [o.tariffFactor, o.volumeFactor].filter((f) => f && !f.eq(ONE)) as Dec[];
  const byName = o.streamFactors ?? {};
  let any = false;
  const factors = model.streams.map((s) => {
    const parts = [overall, byName[s.name], ...(s.kind === 'user-fee' ? userFee : [])];
    let r = RATIO_ONE;
    for (const f of parts)
      if (f && !f.eq(ONE)) {
        r = ratioMul(r, ratioOf(f));
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

/** Σ committed amounts of the government's own construction grants (budget, construction subsidy), fen. */
function grantFunding(model: CompiledScenario, amounts: readonly Fen[]): Fen {
  let total = 0;
  model.sources.forEach((src, s) => {
    if (src.type === 'budget' || src.type === 'construction-subsidy') total += amounts[s] as Fen;
  });
  return total;
}

/**
 * Runs a compiled scenario with overrides. Exposed for batch runs that compile once; the
 * overrides must have passed `checkOverrides` for this model (names and ranges are not checked here).
 */
export function runModel(compiledModel: CompiledScenario, overrides: Overrides): SimulationResult {
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
  const draws = drawdownMatrix(capex, amounts);
  const sources = model.sources.map((s, i) => ({ ...s, amount: decOf(amounts[i] as Fen) }));
  const opexFactor =
    overrides.opexFactor && !overrides.opexFactor.eq(ONE) ? ratioOf(overrides.opexFactor) : null;
  const revenueScale = revenueFactors(model, overrides);
  const yearScale = yearRevenueFactors(model, overrides, revenueScale);
  const escalationShift =
    overrides.escalationShift && !overrides.escalationShift.isZero()
      ? overrides.escalationShift
      : null;
  const rampUpFactor =
    overrides.rampUpFactor && !overrides.rampUpFactor.eq(ONE) ? overrides.rampUpFactor : null;
  // Revenue and opex grown again only when a driver changes their growth or ramp-up.
  const revenueRows =
    escalationShift || rampUpFactor
      ? growRevenue(model.streams, model.operationYears, escalationShift ?? ZERO, rampUpFactor)
      : null;
  const opexRows = escalationShift
    ? growOpex(model.scenario, model.operationYears, escalationShift)
    : model.opexExact;
  const apKeep =
    overrides.availabilityDeduction && !overrides.availabilityDeduction.isZero()
      ? ONE.minus(overrides.availabilityDeduction)
      : null;
  const residualValueFen =
    overrides.residualFactor && !overrides.residualFactor.eq(ONE)
      ? mulRound(model.residualValueFen, ratioOf(overrides.residualFactor))
      : model.residualValueFen;
  const taxRatio = overrides.incomeTaxRate
    ? ratioOf(overrides.incomeTaxRate)
    : model.incomeTaxRatio;
  const rateShift = overrides.rateShift ?? ZERO;
  const rateShifts = overrides.rateShifts ?? {};
  const scenario = model.scenario;
  const flags: Flag[] = [];

  const debts: DebtState[] = model.debts.map((terms) => {
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
  const equityIdx = model.equityIndexes;
  const equityWeights = equityIdx.map((i) => amounts[i] as Fen);
  const shareWeights = equityWeights.some((w) => w > 0)
    ? equityWeights
    : equityWeights.map(() => 1);
  const waterfall = model.waterfall;
  const waterfallState = waterfall ? startWaterfall(waterfall) : null;

  const streamCount = model.streams.length;
  /** Per public-data stream: excess still to deduct from next year's income. */
  const dataCarry = new Array<Fen>(streamCount).fill(0);
  const cappedYears: number[] = [];
  let dataClawback = 0;

  const ap = scenario.government.availabilityPayment;
  // src/domain/README.md, "Availability payment": by default C is the investment the government
  // does not fund itself (budget and construction subsidies excluded); k defaults to p.
  const apInputs = ap
    ? {
        constructionCost: ap.constructionCostYuan
          ? new Dec(ap.constructionCostYuan)
          : decOf(totalInvestment - grantFunding(model, amounts)),
        profitRate: new Dec(ap.profitRate),
        discountRate: new Dec(ap.discountRate),
        annuityRate: new Dec(ap.annuityRate ?? ap.profitRate),
        periodYears: ap.periodYears,
      }
    : null;
  const apFlooredYears: number[] = [];

  let depreciation: Fen[] = [];
  let depreciationLeft = 0;
  /** Depreciation of the capex alone, for the unlevered tax of the project flows. */
  let capexDepreciation: Fen[] = [];
  let capexDepreciationLeft = 0;
  const unleveredLosses: Array<{ year: number; amount: Fen }> = [];
  /** Interest accrued and upfront fees falling due in construction, paid or not. */
  let constructionBorrowingCosts = 0;
  const losses: Array<{ year: number; amount: Fen }> = [];
  const core: CoreYear[] = [];
  // VAT (src/domain/README.md, "Indirect taxes"): null when the scenario has no indirectTax.
  const vt = model.indirectTax;
  let vatCredit = 0;
  /** Creditable input VAT on the capex: not part of the depreciable base. */
  let capexInputVat = 0;
  const debtCount = debts.length;
  // Reserve accounts (src/domain/README.md, "Reserve accounts"): only with a `reserves` section.
  const plan = model.reserves;
  const reserve: ReserveState = { dsra: 0, maintenance: 0, lockUp: 0 };
  let lastMaturity = 0;
  for (const d of debts) lastMaturity = Math.max(lastMaturity, d.maturity);

  for (let t = 0; t < T; t++) {
    const construction = t < C;
    const k = t - C;
    const revenues = zeros(streamCount);
    const dataShare = zeros(streamCount);
    let opex = 0;
    let operatingSubsidy = 0;
    let availabilityPayment = 0;
    let dep = 0;
    const rrow = plan ? openReserveYear(plan, reserve, equityIdx.length) : null;
    let maintenance = 0;
    let maintenanceFromReserve = 0;

    if (!construction) {
      opex = opexFactor
        ? mulRoundToFen(opexRows[k] as Ratio, opexFactor)
        : escalationShift
          ? roundToFen(opexRows[k] as Ratio)
          : (model.opexFen[k] as Fen);
      const exactRow = (revenueRows ?? model.revenueExact)[k] as Ratio[];
      const scale = yearScale ? yearScale[k]! : revenueScale;
      const grossRow = scale
        ? exactRow.map((x, i) => mulRoundToFen(x, scale[i] as Ratio))
        : revenueRows
          ? exactRow.map(roundToFen)
          : (model.revenueFen[k] as Fen[]);
      for (let i = 0; i < streamCount; i++) {
        const s = model.streams[i]!;
        const gross = grossRow[i] as Fen;
        if (s.kind !== 'public-data') {
          revenues[i] = gross;
          continue;
        }
        // Allowed revenue is capped at cost + profit + tax (src/domain/README.md, "Public-data
        // ceiling"): the year's own excess is measured before any deduction and deducted the next
        // year; a deduction larger than that year's income carries on; the last year refunds all.
        const ceiling = mulRound(opex, s.ceilingRatio);
        const excess = Math.max(0, gross - ceiling);
        const carried = dataCarry[i] as Fen;
        let revenue: Fen;
        if (t === T - 1) {
          revenue = gross - carried - excess;
          dataCarry[i] = 0;
        } else {
          const deducted = Math.min(gross, carried);
          revenue = gross - deducted;
          dataCarry[i] = carried - deducted + excess;
        }
        if (excess > 0) {
          cappedYears.push(model.startYear + t);
          dataClawback += excess;
        }
        revenues[i] = revenue;
        dataShare[i] = mulRound(revenue, s.authorityRatio);
      }
      operatingSubsidy = model.operatingSubsidyFen[k] as Fen;
      if (ap && apInputs && k < ap.periodYears) {
        const o = ap.includeOperatingCost ? decOf(opex) : ZERO;
        // U_n: the operator's own operating revenue, net of the data authority's share.
        let userFees = 0;
        if (ap.deductUserFees)
          for (let i = 0; i < streamCount; i++)
            userFees += (revenues[i] as Fen) - (dataShare[i] as Fen);
        const raw =
          ap.method === 'mof-formula'
            ? mofAvailabilityPayment(apInputs, k + ap.firstIndex, o, decOf(userFees))
            : annuityAvailabilityPayment(apInputs, o, decOf(userFees));
        if (raw.lt(ZERO)) apFlooredYears.push(model.startYear + t);
        // A performance deduction withholds a share before posting (README "Risk drivers").
        else availabilityPayment = fenOf(toFen(apKeep ? raw.times(apKeep) : raw));
      }
      if (k === 0) {
        // Depreciable base: capex plus construction-period borrowing costs, paid or capitalised
        // (src/domain/README.md, "Depreciation"); straight line, the remainder written off in the
        // last operation year.
        const base = totalInvestment - capexInputVat + constructionBorrowingCosts;
        depreciation = allocateFen(base, new Array<Fen>(model.depreciationYears).fill(1));
        depreciationLeft = base;
        capexDepreciation = allocateFen(
          totalInvestment - capexInputVat,
          new Array<Fen>(model.depreciationYears).fill(1),
        );
        capexDepreciationLeft = totalInvestment - capexInputVat;
      }
      dep = k === model.operationYears - 1 ? depreciationLeft : (depreciation[k] ?? 0);
      depreciationLeft -= dep;
      if (plan && rrow) {
        maintenanceFromReserve = spendMaintenance(plan, reserve, rrow, k);
        maintenance = rrow.maintenanceSpend;
      }
    }
    const vat = vt
      ? vatYear(vt, vatCredit, {
          capex: construction ? (capex[t] as Fen) : 0,
          opex,
          revenues,
          availabilityPayment,
          operatingSubsidy,
        })
      : null;
    if (vat) {
      vatCredit = vat.credit;
      if (construction) capexInputVat += vat.input;
    }

    // Interest accrues before tax is known; it depends only on opening balances.
    const feesDue = zeros(debtCount);
    const debtRows: CoreDebtYear[] = debts.map((d, j) => {
      const draw = (draws[d.terms.sourceIndex] as Fen[])[t] ?? 0;
      const opening = d.balance;
      // Construction interest per the source's draw timing (src/domain/README.md, "Draw timing"):
      // (opening + draw) × rate at the start of the year, (opening + draw ÷ 2) × rate mid-year.
      const interest = !construction
        ? mulRound(opening, d.rateRatio)
        : d.terms.drawAtStart
          ? mulRound(opening + draw, d.rateRatio)
          : mulRound(2 * opening + draw, d.halfRate);
      if (!d.feePaid && draw > 0) {
        feesDue[j] = mulRound(amounts[d.terms.sourceIndex] as Fen, d.terms.upfrontFeeRatio);
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

    let streamsTotal = 0;
    for (const r of revenues) streamsTotal += r;
    const totalRevenue = streamsTotal + operatingSubsidy + availabilityPayment;
    let dataShareTotal = 0;
    for (const x of dataShare) dataShareTotal += x;
    let interestExpense = 0;
    if (!construction) for (const r of debtRows) interestExpense += r.interest;

    let taxableIncome = 0;
    let tax = 0;
    let unleveredTax = 0;
    // Major maintenance is an operating expense, deductible in the year spent.
    const operating = totalRevenue - dataShareTotal - opex - maintenance;
    // With VAT on, cash also gets the output VAT less the VAT paid and the surcharges, and income
    // tax deducts the surcharges and the operating cost without its creditable input VAT.
    const operatingCash = vat ? operating + vat.output - vat.payable - vat.surcharges : operating;
    const taxBase = vat ? operating + vat.opexInput - vat.surcharges : operating;
    // Residual value is taxed as a gain over the book value, which the last year's write-off has
    // brought to 0 (src/domain/README.md, "Residual value").
    const residualValue = t === T - 1 ? residualValueFen : 0;
    if (!construction) {
      taxableIncome = taxBase + residualValue - dep - interestExpense;
      tax = taxAfterLosses(taxableIncome, t, losses, model.lossCarryForwardYears, taxRatio);
      // Tax as if there were no debt (src/domain/README.md, "Project IRR and NPV").
      const unleveredDep =
        k === model.operationYears - 1 ? capexDepreciationLeft : (capexDepreciation[k] ?? 0);
      capexDepreciationLeft -= unleveredDep;
      unleveredTax = taxAfterLosses(
        taxBase + residualValue - unleveredDep,
        t,
        unleveredLosses,
        model.lossCarryForwardYears,
        taxRatio,
      );
    }
    // The part of major maintenance paid from its reserve is not a charge on the year's cash.
    const cfads = operatingCash - tax + maintenanceFromReserve;
    const projectFlowPreTax =
      operatingCash + residualValue - (construction ? (capex[t] as Fen) : 0);

    // Waterfall: own cash (CFADS + residual) pays debt service by seniority (debts are sorted so);
    // the rest is distributed. What it cannot pay is a shortfall, covered per the policy; left
    // unfunded, it is in arrears (src/domain/README.md, "Shortfalls and arrears").
    let cash = cfads + residualValue;
    const operatingDeficit = cash < 0 ? -cash : 0;
    if (cash < 0) cash = 0;
    // The DSRA stands behind the year's cash for debt service (drawn below for what cash lacked).
    const dsraOn = rrow !== null && !construction && reserve.dsra > 0;
    if (dsraOn) cash += reserve.dsra;
    const funded = model.shortfall !== 'unfunded';
    let debtServiceDue = 0;
    let unpaidTotal = 0;
    let totalDebtService = 0;
    for (let j = 0; j < debtCount; j++) {
      const paid = payDebt(
        debts[j]!,
        debtRows[j]!,
        t,
        construction,
        feesDue[j] as Fen,
        cash,
        funded,
      );
      cash -= paid.cash;
      debtServiceDue += paid.due;
      unpaidTotal += paid.unpaid;
      totalDebtService += paid.debtService;
      if (construction) constructionBorrowingCosts += debtRows[j]!.interest + (feesDue[j] as Fen);
    }
    if (dsraOn) cash = settleDsraDraw(reserve, rrow, cash);

    const shortfall = operatingDeficit + unpaidTotal;
    let shortfallByGovernment = 0;
    let shortfallByEquity = 0;
    let shortfallUnfunded = 0;
    let unfundedDeficit = 0;
    let equityShortfall: Fen[] = equityIdx.map(() => 0);
    if (shortfall > 0) {
      if (model.shortfall === 'government') shortfallByGovernment = shortfall;
      else if (model.shortfall === 'equity') {
        shortfallByEquity = shortfall;
        equityShortfall = allocateFen(shortfall, shareWeights);
      } else {
        shortfallUnfunded = shortfall;
        unfundedDeficit = operatingDeficit;
      }
    }

    if (plan && rrow) {
      if (!construction) {
        const last = t === T - 1;
        if (plan.dsraMonths !== null) {
          // Released in full in the last debt-service year (and at the end in any case).
          const target =
            last || t >= lastMaturity ? 0 : dsraTarget(plan, nextDebtService(debts, t + 1));
          cash = adjustDsra(reserve, rrow, target, cash);
        }
        cash = contributeMaintenance(plan, reserve, rrow, k, cash);
        cash = applyLockUp(plan, reserve, rrow, cfads, debtServiceDue, last, cash);
      } else if (t === C - 1 && plan.dsraByEquity) {
        fundDsraByEquity(reserve, rrow, dsraTarget(plan, nextDebtService(debts, C)), shareWeights);
      }
    }

    // Distributions: what is left after debt service goes to the equity holders pro rata, or
    // through the waterfall tiers when the scenario has them (src/domain/README.md, "Equity
    // waterfall"), or to the government when nobody else holds the project.
    const tiers =
      waterfall && waterfallState
        ? waterfallYear(
            waterfall,
            waterfallState,
            cash,
            shareWeights,
            equityIdx.map((s, i) => ((draws[s] as Fen[])[t] ?? 0) + (equityShortfall[i] as Fen)),
          )
        : null;
    const distributions = tiers
      ? tiers.distributions
      : cash > 0 && equityIdx.length > 0
        ? allocateFen(cash, shareWeights)
        : null;
    const surplusToGovernment = cash > 0 && equityIdx.length === 0 ? cash : 0;
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

    const government = zeros(GOVERNMENT_INSTRUMENTS.length);
    const add = (instrument: keyof typeof GOV, amount: Fen) => {
      government[GOV[instrument]] = (government[GOV[instrument]] as Fen) + amount;
    };
    model.sources.forEach((src, s) => {
      if (src.type === 'budget' || src.type === 'construction-subsidy')
        add(src.type, (draws[s] as Fen[])[t] ?? 0);
    });
    equityIdx.forEach((s, i) => {
      const type = model.sources[s]?.type;
      const e = equity[i]!;
      if (type === 'guided-fund-equity' || type === 'government-equity') {
        add(type, e.contribution + e.shortfallContribution + dsraEquityOf(rrow, i));
        add('returns', -e.distribution);
      }
    });
    // The government pays the payments' output VAT with them (src/domain/README.md, "Indirect taxes").
    add('operating-subsidy', operatingSubsidy + (vat ? vat.operatingSubsidyVat : 0));
    add('availability-payment', availabilityPayment + (vat ? vat.availabilityPaymentVat : 0));
    add('shortfall-support', shortfallByGovernment);
    add('data-revenue-share', -dataShareTotal);
    add('returns', -surplusToGovernment);
    let governmentNet = 0;
    for (const g of government) governmentNet += g;

    core.push({
      t,
      year: model.startYear + t,
      construction,
      capex: construction ? (capex[t] as Fen) : 0,
      revenues,
      dataShare,
      operatingSubsidy,
      availabilityPayment,
      totalRevenue,
      opex,
      depreciation: dep,
      interestExpense,
      taxableIncome,
      tax,
      cfads,
      residualValue,
      drawdowns: model.sources.map((_, s) => (draws[s] as Fen[])[t] ?? 0),
      debt: debtRows,
      totalDebtService,
      debtServiceDue,
      shortfall,
      shortfallByGovernment,
      shortfallByEquity,
      shortfallUnfunded,
      unfundedDeficit,
      equity,
      surplusToGovernment,
      unleveredTax,
      projectFlow: projectFlowPreTax - unleveredTax,
      projectFlowPreTax,
      // DSCR to 6 dp half-up, kept as an integer number of millionths.
      dscrMicro: !construction && debtServiceDue > 0 ? microRatio(cfads, debtServiceDue) : null,
      government,
      governmentNet,
      reserves: rrow,
      vat,
    });
  }

  if (vatCredit > 0) {
    flags.push({
      code: 'vat-credit-unused',
      severity: 'info',
      message:
        'Input VAT credit is left at the end of the project; it is not refunded (no 留抵退税 is modelled)',
      amount: decOf(vatCredit),
    });
  }

  if (apFlooredYears.length > 0) {
    flags.push({
      code: 'availability-payment-floored',
      severity: 'info',
      message:
        'User fees exceed the availability-payment formula in some years; the payment is set to 0 there',
      years: apFlooredYears,
    });
  }
  if (cappedYears.length > 0) {
    flags.push({
      code: 'data-revenue-capped',
      severity: 'info',
      message:
        'Public-data revenue exceeded its ceiling (cost + allowed profit + tax); the excess is deducted the next year, or refunded at once in the last year',
      years: [...new Set(cappedYears)],
      amount: decOf(dataClawback),
    });
  }

  const debtSummaries = model.debts.map((d) => sources[d.sourceIndex]!);
  const equityHolders = equityIdx.map((i) => sources[i]!);
  const metrics = computeMetrics(
    model,
    core,
    sources,
    debts.map((d) => d.rateRatio),
    totalInvestment,
    flags,
  );
  if (plan?.dsraMonths != null && C > 0)
    metrics.dsraAtStartOfOperation = decOf(core[C - 1]?.reserves?.dsraBalance ?? 0);
  const result = {
    engineVersion: ENGINE_VERSION,
    streams: model.streams.map((s) => ({ name: s.name, kind: s.kind })),
    sources,
    debts: debtSummaries,
    equityHolders,
    metrics,
    flags,
  } as SimulationResult;
  lazy(result, 'ledger', () => core.map(toLedgerYear));
  lazy(result, 'sourcesAndUses', () => buildSourcesAndUses(core, sources, debtSummaries));
  // Not enumerable: stored results, golden files and the API's JSON stay as they were.
  let yearly: YearlyFigures | undefined;
  Object.defineProperty(result, 'yearly', { get: () => (yearly ??= yearlyFigures(core)) });
  return result;
}

/** An equity holder's DSRA payment in a year (funding `equity`), fen. */
/** The per-year figures a Monte Carlo keeps of each trial, straight from the fen ledger. */
function yearlyFigures(core: readonly CoreYear[]): YearlyFigures {
  return {
    years: core.map((y) => y.year),
    cfadsFen: core.map((y) => y.cfads),
    dscrMicro: core.map((y) => y.dscrMicro),
    arrearsFen: core.map((y) => y.debt.reduce((a, d) => a + d.arrears, 0) + y.unfundedDeficit),
  };
}

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
