import { Dec, ONE, ZERO, toFen } from '../decimal';
import { allocate, allocateFenOf, fenAll, scaleAllToFen } from '../allocate';
import { DomainError } from '../errors';
import { RATIO_ONE, fenOf, ratioMul, ratioOf, roundToFen, type Fen, type Ratio } from '../fen';
import { effectiveDrawTiming } from '../scenario/draw-timing';
import { SOURCE_KINDS, isGovernmentServiced, type Scenario } from '../scenario/schema';
import { compileReserves, type ReservePlan } from './reserves';
import { compileIndirectTax, type CompiledIndirectTax } from './indirect-tax';
import type { Overrides, SourceSummary } from './types';
import { compileWaterfall, type CompiledWaterfall } from './waterfall';

/** A revenue stream with its figures read into Decimals once. */
export type CompiledStream =
  | { kind: 'user-fee'; name: string; base: Dec; growth: Dec; escalation: Dec; rampUp: Dec[] }
  | {
      kind: 'public-data';
      name: string;
      base: Dec;
      growth: Dec;
      escalation: Dec;
      rampUp: Dec[];
      ceilingRatio: Ratio;
      authorityRatio: Ratio;
    }
  | { kind: 'other'; name: string; base: Dec; growth: Dec; escalation: Dec; rampUp: Dec[] };

export interface CompiledDebt {
  /** Index into the scenario's funding sources. */
  sourceIndex: number;
  annualRate: Dec;
  annualRatio: Ratio;
  tenorYears: number;
  graceYears: number;
  repayment: 'bullet' | 'equal-principal' | 'annuity' | 'sculpted';
  targetDscr: Dec | null;
  capitalise: boolean;
  upfrontFeeRatio: Ratio;
  seniority: number;
  /** Construction interest on the whole draw (start of year) or half of it (mid-year). */
  drawAtStart: boolean;
}

/**
 * A scenario read into Decimals, with every figure that does not depend on overrides
 * computed once. Monte Carlo and sensitivity runs reuse it (see `simulate`).
 */
export interface CompiledScenario {
  scenario: Scenario;
  startYear: number;
  constructionYears: number;
  operationYears: number;
  capexBase: Dec[];
  streams: CompiledStream[];
  sources: SourceSummary[];
  /** Unrounded committed amounts (shares × investment); allocated to fen per run. */
  sourceWeights: Dec[];
  debts: CompiledDebt[];
  equityIndexes: number[];
  /** Equity waterfall tiers (src/domain/engine/waterfall.ts); null: pro rata to commitments. */
  waterfall: CompiledWaterfall | null;
  depreciationYears: number;
  lossCarryForwardYears: number;
  discountRatio: { project: Ratio; equity: Ratio; government: Ratio };
  minDscr: Dec;
  bondCoverageThreshold: Dec;
  shortfall: Scenario['shortfall'];
  /**
   * Per operation year, figures that do not depend on overrides, computed once: unrounded
   * revenue per stream (base × growth × escalation × ramp-up) and operating cost, and their
   * posted (fen) values for runs without revenue or opex factors.
   */
  revenueExact: Ratio[][];
  revenueFen: Fen[][];
  opexExact: Ratio[];
  opexFen: Fen[];
  operatingSubsidyFen: Fen[];
  residualValueFen: Fen;
  incomeTaxRatio: Ratio;
  /** The `reserves` section read once (src/domain/README.md, "Reserve accounts"); null without it. */
  reserves: ReservePlan | null;
  /** VAT and surcharges; null when the scenario has no `indirectTax` section. */
  indirectTax: CompiledIndirectTax | null;
}

const dec = (s: string) => new Dec(s);
const ratio = (x: Dec | string) => ratioOf(typeof x === 'string' ? dec(x) : x);

/**
 * Revenue per operation year and stream as exact rationals (BigInt): base × Π(1 + growth) ×
 * Π(1 + price escalation) × ramp-up. Exact, and far cheaper than 40-digit Decimal products; each
 * is rounded once, to fen, when posted.
 * @param shift added to each user-fee stream's price escalation and to the growth of the other
 *   kinds (override `escalationShift`; 0 in the compiled scenario)
 * @param rampUpFactor scales each ramp-up year's shortfall below full volume (README "Risk
 *   drivers"); null: the ramp-up as given
 * @throws DomainError `invalid-override` when a shifted rate falls below −1
 */
export function growRevenue(
  streams: readonly CompiledStream[],
  operationYears: number,
  shift: Dec,
  rampUpFactor: Dec | null,
): Ratio[][] {
  const volumeStep = streams.map((st) =>
    ratio(shiftedStep(st.growth, st.kind === 'user-fee' ? ZERO : shift)),
  );
  const priceStep = streams.map((st) =>
    ratio(shiftedStep(st.escalation, st.kind === 'user-fee' ? shift : ZERO)),
  );
  const bases = streams.map((st) => ratio(st.base));
  const rampUps = streams.map((st) =>
    st.rampUp.map((f) => ratio(rampUpFactor ? scaledRampUp(f, rampUpFactor) : f)),
  );
  const volume = streams.map(() => RATIO_ONE);
  const price = streams.map(() => RATIO_ONE);
  const rows: Ratio[][] = [];
  for (let k = 0; k < operationYears; k++) {
    if (k > 0)
      streams.forEach((_, i) => {
        volume[i] = ratioMul(volume[i] as Ratio, volumeStep[i] as Ratio);
        price[i] = ratioMul(price[i] as Ratio, priceStep[i] as Ratio);
      });
    rows.push(
      streams.map((_, i) => {
        const grown = ratioMul(ratioMul(bases[i] as Ratio, volume[i] as Ratio), price[i] as Ratio);
        const ramp = rampUps[i]?.[k];
        return ramp ? ratioMul(grown, ramp) : grown;
      }),
    );
  }
  return rows;
}

/**
 * Operating cost per operation year as exact rationals: annual × (1 + escalation + shift)^k.
 * @throws DomainError `invalid-override` when the shifted escalation falls below −1
 */
export function growOpex(scenario: Scenario, operationYears: number, shift: Dec): Ratio[] {
  const step = ratio(shiftedStep(dec(scenario.operatingCost.escalation), shift));
  let opex = ratio(scenario.operatingCost.annualYuan);
  const rows: Ratio[] = [];
  for (let k = 0; k < operationYears; k++) {
    if (k > 0) opex = ratioMul(opex, step);
    rows.push(opex);
  }
  return rows;
}

/** 1 + rate + shift; a rate below −1 (a negative factor) is refused. */
function shiftedStep(rate: Dec, shift: Dec): Dec {
  const step = ONE.plus(rate).plus(shift);
  if (step.lt(ZERO))
    throw new DomainError(
      'invalid-override',
      `escalationShift ${shift.toString()} takes a rate of ${rate.toString()} below -1`,
    );
  return step;
}

/** A ramp-up fraction f under rampUpFactor k: 1 − (1 − f) × k, clamped to [0, 1]. */
export function scaledRampUp(f: Dec, k: Dec): Dec {
  return Dec.min(ONE, Dec.max(ZERO, ONE.minus(ONE.minus(f).times(k))));
}

/** Reads a validated scenario into Decimals. Pure; call once per scenario object. */
export function compileScenario(scenario: Scenario): CompiledScenario {
  const capexBase = scenario.capex.scheduleYuan.map(dec);
  const totalCapex = capexBase.reduce((a, b) => a.plus(b), ZERO);
  const sourceWeights = scenario.funding.sources.map((s) =>
    s.amountYuan !== undefined ? dec(s.amountYuan) : totalCapex.times(s.share ?? '0'),
  );
  const amounts = allocate(totalCapex, sourceWeights);
  const sources: SourceSummary[] = scenario.funding.sources.map((s, i) => ({
    id: s.id,
    name: s.name,
    type: s.type,
    pillar: SOURCE_KINDS[s.type].pillar,
    nature: SOURCE_KINDS[s.type].nature,
    amount: amounts[i] as Dec,
  }));
  const debts: CompiledDebt[] = [];
  scenario.funding.sources.forEach((s, i) => {
    // A general bond is the government's debt: its schedule is ./government-debt.ts's.
    if (!s.debt || isGovernmentServiced(s.type)) return;
    debts.push({
      sourceIndex: i,
      annualRate: dec(s.debt.annualRate),
      annualRatio: ratioOf(dec(s.debt.annualRate)),
      tenorYears: s.debt.tenorYears,
      graceYears: s.debt.graceYears,
      repayment: s.debt.repayment,
      targetDscr: s.debt.targetDscr ? dec(s.debt.targetDscr) : null,
      capitalise: s.debt.constructionInterest === 'capitalised',
      upfrontFeeRatio: ratioOf(dec(s.debt.upfrontFeeRate)),
      seniority: s.debt.seniority,
      drawAtStart: effectiveDrawTiming(s) === 'start-of-year',
    });
  });
  // Senior debt is served first; equal seniority keeps the scenario's order (sort is stable).
  debts.sort((a, b) => a.seniority - b.seniority);
  const equityIndexes = sources.flatMap((s, i) => (s.nature === 'equity' ? [i] : []));

  const streams: CompiledStream[] = scenario.revenues.map((r) => {
    const rampUp = r.rampUp.map(dec);
    switch (r.kind) {
      case 'user-fee':
        return {
          kind: r.kind,
          name: r.name,
          base: dec(r.unitPriceYuan).times(r.annualVolume),
          growth: dec(r.volumeGrowth),
          escalation: dec(r.priceEscalation),
          rampUp,
        };
      case 'public-data':
        return {
          kind: r.kind,
          name: r.name,
          base: dec(r.annualIncomeYuan),
          growth: dec(r.growth),
          escalation: ZERO,
          rampUp,
          // Ceiling (src/domain/README.md, "Public-data ceiling") = attributable cost × (1 + allowed profit) × (1 + tax).
          ceilingRatio: ratioOf(
            dec(r.costBaseShare).times(ONE.plus(r.allowedProfitRate)).times(ONE.plus(r.taxRate)),
          ),
          authorityRatio: ratioOf(dec(r.authorityShare)),
        };
      case 'other':
        return {
          kind: r.kind,
          name: r.name,
          base: dec(r.annualYuan),
          growth: dec(r.growth),
          escalation: ZERO,
          rampUp,
        };
    }
  });

  const operationYears = scenario.timeline.operationYears;
  const revenueExact = growRevenue(streams, operationYears, ZERO, null);
  const opexExact = growOpex(scenario, operationYears, ZERO);
  const operatingSubsidyFen: Fen[] = [];
  const subsidy = scenario.government.operatingSubsidy;
  const subsidyStep = subsidy ? ratio(ONE.plus(subsidy.escalation)) : RATIO_ONE;
  let subsidyAmount = subsidy ? ratio(subsidy.annualYuan) : RATIO_ONE;
  for (let k = 0; k < operationYears; k++) {
    if (k > 0) subsidyAmount = ratioMul(subsidyAmount, subsidyStep);
    operatingSubsidyFen.push(
      subsidy && k < (subsidy.years ?? operationYears) ? roundToFen(subsidyAmount) : 0,
    );
  }

  return {
    revenueExact,
    revenueFen: revenueExact.map((row) => row.map(roundToFen)),
    opexExact,
    opexFen: opexExact.map(roundToFen),
    operatingSubsidyFen,
    residualValueFen: fenOf(toFen(dec(scenario.residualValueYuan))),
    incomeTaxRatio: ratioOf(dec(scenario.tax.incomeTaxRate)),
    indirectTax: compileIndirectTax(scenario),
    scenario,
    startYear: scenario.timeline.startYear,
    constructionYears: scenario.timeline.constructionYears,
    operationYears: scenario.timeline.operationYears,
    capexBase,
    streams,
    sources,
    sourceWeights,
    debts,
    equityIndexes,
    waterfall: compileWaterfall(
      scenario.funding.waterfall,
      equityIndexes.map((i) => (sources[i] as SourceSummary).id),
      dec,
    ),
    depreciationYears: scenario.tax.depreciationYears ?? scenario.timeline.operationYears,
    lossCarryForwardYears: scenario.tax.lossCarryForwardYears,
    discountRatio: {
      project: ratioOf(dec(scenario.discountRates.project)),
      equity: ratioOf(dec(scenario.discountRates.equity)),
      government: ratioOf(dec(scenario.discountRates.government)),
    },
    minDscr: dec(scenario.covenants.minDscr),
    bondCoverageThreshold: dec(scenario.covenants.bondCoverage),
    shortfall: scenario.shortfall,
    reserves: compileReserves(scenario),
  };
}

/** Capex per construction year and committed source amounts (fen) after a capex override. */
const amountsCache = new WeakMap<CompiledScenario, Dec[]>();

/** The sources' committed amounts, one array per compiled model (so `fenAll` reads it once). */
function sourceAmounts(model: CompiledScenario): Dec[] {
  let a = amountsCache.get(model);
  if (a === undefined) {
    a = model.sources.map((s) => s.amount);
    amountsCache.set(model, a);
  }
  return a;
}

export function applyCapexOverride(
  model: CompiledScenario,
  overrides: Overrides,
): { capex: Fen[]; amounts: Fen[] } {
  if (!overrides.capexFactor || overrides.capexFactor.eq(ONE)) {
    return {
      capex: fenAll(model.capexBase),
      amounts: fenAll(sourceAmounts(model)),
    };
  }
  const factor = overrides.capexFactor;
  const capex = scaleAllToFen(model.capexBase, factor);
  // The funding structure is kept: every source scales with the investment.
  return { capex, amounts: allocateFenOf(capex, model.sourceWeights) };
}

/**
 * A capex schedule stretched over `years` ≥ its length (override `delayYears`, README "Risk
 * drivers"): new year k receives the spending of the time interval [k·C/years, (k+1)·C/years) of
 * the original C years, spending uniform within each original year; allocated to fen (largest
 * remainder, ties to the earliest year) so the years sum exactly to the total.
 */
export function stretchCapex(capex: readonly Fen[], years: number): Fen[] {
  const C = capex.length;
  if (years === C) return capex.slice();
  // In units of 1 / (C·years): original year j is [j·years, (j+1)·years), new year k is [k·C, (k+1)·C).
  const weights = Array.from({ length: years }, (_, k) => {
    let w = 0n;
    capex.forEach((c, j) => {
      const overlap = Math.min((k + 1) * C, (j + 1) * years) - Math.max(k * C, j * years);
      if (overlap > 0) w += BigInt(c) * BigInt(overlap);
    });
    return new Dec(w.toString());
  });
  // `allocate(Σ capex, weights).map(fenOf)`, in integers where that is provably the same.
  return allocateFenOf(capex, weights);
}

/**
 * The compiled scenario seen through a construction delay of `d` years (README "Risk drivers"):
 * construction C + d years, operation O − d; per-operation-year figures keep their index from the
 * first operation year (the last d are dropped); the default depreciation period follows the
 * shorter operation; maintenance spends in dropped years go, with their reserve contributions.
 */
export function delayedModel(model: CompiledScenario, d: number): CompiledScenario {
  if (d === 0) return model;
  // One object per model and delay: a Monte Carlo delay driver takes a few values thousands of
  // times, and what is cached per model (funding amounts in fen, capital parts) is then shared.
  let byDelay = delayedCache.get(model);
  if (byDelay === undefined) {
    byDelay = [];
    delayedCache.set(model, byDelay);
  }
  return (byDelay[d] ??= delayModel(model, d));
}

const delayedCache = new WeakMap<CompiledScenario, CompiledScenario[]>();

function delayModel(model: CompiledScenario, d: number): CompiledScenario {
  const operationYears = model.operationYears - d;
  return {
    ...model,
    constructionYears: model.constructionYears + d,
    operationYears,
    depreciationYears: model.scenario.tax.depreciationYears ?? operationYears,
    reserves: model.reserves && truncateReserves(model.reserves, operationYears),
  };
}

/** A reserve plan for the first `years` operation years: later spends and their contributions go. */
function truncateReserves(plan: ReservePlan, years: number): ReservePlan {
  const spend = plan.maintenanceSpend;
  const contribution = plan.maintenanceContribution;
  if (!spend || !contribution) return plan;
  // Contributions for a spend in year Y are made in the years after the previous spend: every
  // contribution at or after the last spend kept belongs to a dropped spend.
  let lastKept = 0;
  for (let k = 0; k < years; k++) if ((spend[k] ?? 0) !== 0) lastKept = k + 1;
  return {
    ...plan,
    maintenanceSpend: spend.slice(0, years),
    maintenanceContribution: contribution.slice(0, years).map((c, k) => (k < lastKept ? c : 0)),
  };
}
