import { Dec, ONE, ZERO, toFen } from '../decimal';
import { allocate, allocateFenOf, fenAll, scaleAllToFen } from '../allocate';
import { RATIO_ONE, fenOf, ratioMul, ratioOf, roundToFen, type Fen, type Ratio } from '../fen';
import { effectiveDrawTiming } from '../scenario/draw-timing';
import { SOURCE_KINDS, type Scenario } from '../scenario/schema';
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
    if (!s.debt) return;
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
  // Year-by-year amounts as exact rationals (BigInt): base × Π(1 + growth) × ramp-up. Exact, and
  // far cheaper than 40-digit Decimal products; each is rounded once, to fen, when posted.
  const revenueExact: Ratio[][] = [];
  const opexExact: Ratio[] = [];
  const operatingSubsidyFen: Fen[] = [];
  const ratio = (x: Dec | string) => ratioOf(typeof x === 'string' ? dec(x) : x);
  const volume = streams.map(() => RATIO_ONE);
  const price = streams.map(() => RATIO_ONE);
  const volumeStep = streams.map((st) => ratio(ONE.plus(st.growth)));
  const priceStep = streams.map((st) => ratio(ONE.plus(st.escalation)));
  const bases = streams.map((st) => ratio(st.base));
  const rampUps = streams.map((st) => st.rampUp.map((r) => ratio(r)));
  const opexStep = ratio(ONE.plus(scenario.operatingCost.escalation));
  let opex = ratio(scenario.operatingCost.annualYuan);
  const subsidy = scenario.government.operatingSubsidy;
  const subsidyStep = subsidy ? ratio(ONE.plus(subsidy.escalation)) : RATIO_ONE;
  let subsidyAmount = subsidy ? ratio(subsidy.annualYuan) : RATIO_ONE;
  for (let k = 0; k < operationYears; k++) {
    if (k > 0) {
      opex = ratioMul(opex, opexStep);
      subsidyAmount = ratioMul(subsidyAmount, subsidyStep);
      streams.forEach((_, i) => {
        volume[i] = ratioMul(volume[i] as Ratio, volumeStep[i] as Ratio);
        price[i] = ratioMul(price[i] as Ratio, priceStep[i] as Ratio);
      });
    }
    revenueExact.push(
      streams.map((_, i) => {
        const grown = ratioMul(ratioMul(bases[i] as Ratio, volume[i] as Ratio), price[i] as Ratio);
        const ramp = rampUps[i]?.[k];
        return ramp ? ratioMul(grown, ramp) : grown;
      }),
    );
    opexExact.push(opex);
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
