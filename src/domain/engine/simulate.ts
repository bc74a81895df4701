import { Dec, ONE, ZERO, toFen } from '../decimal';
import { allocate, splitEvenly } from '../allocate';
import { DomainError } from '../errors';
import type { Scenario } from '../scenario/schema';
import { applyCapexOverride, compileScenario, type CompiledDebt, type CompiledScenario } from './compile';
import { annuityAvailabilityPayment, mofAvailabilityPayment, type AvailabilityInputs } from './government';
import { computeMetrics } from './metrics';
import { buildSourcesAndUses } from './sources-and-uses';
import {
  ENGINE_VERSION,
  GOVERNMENT_INSTRUMENTS,
  type DebtYear,
  type EquityYear,
  type Flag,
  type GovernmentInstrument,
  type LedgerYear,
  type Overrides,
  type SimulationResult,
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
 * interest on (opening balance + half the year's drawdown) × rate, in operation on the opening
 * balance. Every ledger amount is posted rounded half-up to fen (0.01 yuan); totals are exact
 * sums of posted amounts, so sources and uses balance to the cent.
 *
 * @param scenario a validated scenario (see `parseScenario`)
 * @throws DomainError `invalid-override` for an override outside its range
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const overrides = options.overrides ?? {};
  checkOverrides(overrides);
  return runModel(compiled(scenario), overrides);
}

function checkOverrides(o: Overrides): void {
  for (const key of ['capexFactor', 'opexFactor', 'revenueFactor'] as const) {
    const v = o[key];
    if (v !== undefined && (v.isNaN() || v.lte(0) || v.gt(100))) {
      throw new DomainError('invalid-override', `${key} must be more than 0 and at most 100`, { [key]: v.toString() });
    }
  }
  if (o.rateShift !== undefined && (o.rateShift.isNaN() || o.rateShift.abs().gt('0.5'))) {
    throw new DomainError('invalid-override', 'rateShift must be between -0.5 and 0.5');
  }
  if (o.incomeTaxRate !== undefined && (o.incomeTaxRate.isNaN() || o.incomeTaxRate.lt(0) || o.incomeTaxRate.gt('0.5'))) {
    throw new DomainError('invalid-override', 'incomeTaxRate must be between 0 and 0.5');
  }
}

interface DebtState {
  terms: CompiledDebt;
  rate: Dec;
  balance: Dec;
  /** Principal that fell due but was not paid (unfunded shortfalls only). */
  missed: Dec;
  repaymentStart: number;
  maturity: number;
  /** Balance when repayment starts, basis of equal-principal and annuity schedules. */
  repaymentBase: Dec | null;
  annuityPayment: Dec | null;
  feePaid: boolean;
}

/** Drawdowns [source][construction year]: pro rata to capex, rows and columns summing exactly. */
function drawdownMatrix(capex: Dec[], amounts: Dec[]): Dec[][] {
  const total = capex.reduce((a, b) => a.plus(b), ZERO);
  const last = capex.length - 1;
  // The largest source absorbs each year's rounding so no small source can go negative.
  let absorb = 0;
  amounts.forEach((a, i) => {
    if (a.gt(amounts[absorb] as Dec)) absorb = i;
  });
  const matrix = amounts.map(() => new Array<Dec>(capex.length).fill(ZERO));
  capex.forEach((c, t) => {
    let others = ZERO;
    amounts.forEach((amount, s) => {
      if (s === absorb) return;
      let x: Dec;
      if (t === last) {
        x = amount;
        for (let u = 0; u < last; u++) x = x.minus((matrix[s] as Dec[])[u] as Dec);
      } else {
        x = toFen(amount.times(c).div(total));
      }
      (matrix[s] as Dec[])[t] = x;
      others = others.plus(x);
    });
    (matrix[absorb] as Dec[])[t] = c.minus(others);
  });
  return matrix;
}

function emptyGovernment(): Record<GovernmentInstrument, Dec> {
  const g = {} as Record<GovernmentInstrument, Dec>;
  for (const k of GOVERNMENT_INSTRUMENTS) g[k] = ZERO;
  return g;
}

function rampFactor(rampUp: Dec[], k: number): Dec {
  return rampUp[k] ?? ONE;
}

/** Runs a compiled scenario with overrides. Exposed for batch runs that compile once. */
export function runModel(model: CompiledScenario, overrides: Overrides): SimulationResult {
  const C = model.constructionYears;
  const T = C + model.operationYears;
  const { capex, amounts } = applyCapexOverride(model, overrides);
  const totalInvestment = capex.reduce((a, b) => a.plus(b), ZERO);
  const draws = drawdownMatrix(capex, amounts);
  const sources = model.sources.map((s, i) => ({ ...s, amount: amounts[i] as Dec }));
  const opexFactor = overrides.opexFactor ?? ONE;
  const revenueFactor = overrides.revenueFactor ?? ONE;
  const taxRate = overrides.incomeTaxRate ?? model.incomeTaxRate;
  const rateShift = overrides.rateShift ?? ZERO;
  const scenario = model.scenario;
  const flags: Flag[] = [];

  const debts: DebtState[] = model.debts.map((terms) => ({
    terms,
    rate: Dec.max(ZERO, terms.annualRate.plus(rateShift)),
    balance: ZERO,
    missed: ZERO,
    repaymentStart: C + terms.graceYears,
    maturity: terms.tenorYears - 1,
    repaymentBase: null,
    annuityPayment: null,
    feePaid: false,
  }));
  const equityIdx = model.equityIndexes;
  const equityWeights = equityIdx.map((i) => amounts[i] as Dec);
  const shortfallWeights = equityWeights.some((w) => w.gt(0)) ? equityWeights : equityWeights.map(() => ONE);

  // Growth factors advance once per operation year: exact products, no fractional powers.
  const streamFactor = model.streams.map(() => ONE);
  const streamPrice = model.streams.map(() => ONE);
  let opexGrowth = ONE;
  let subsidyGrowth = ONE;
  const dataExcess = model.streams.map(() => ZERO);
  const cappedYears: number[] = [];
  let dataClawback = ZERO;

  const subsidy = scenario.government.operatingSubsidy;
  const subsidyBase = subsidy ? new Dec(subsidy.annualYuan) : ZERO;
  const subsidyEscalation = subsidy ? new Dec(subsidy.escalation) : ZERO;
  const subsidyYears = subsidy?.years ?? model.operationYears;
  const ap = scenario.government.availabilityPayment;
  const apInputs: AvailabilityInputs | null = ap
    ? {
        constructionCost: ap.constructionCostYuan ? new Dec(ap.constructionCostYuan) : totalInvestment,
        profitRate: new Dec(ap.profitRate),
        discountRate: new Dec(ap.discountRate),
        periodYears: ap.periodYears,
      }
    : null;
  const apFlooredYears: number[] = [];

  let depreciation: Dec[] = [];
  const losses: Array<{ year: number; amount: Dec }> = [];
  const ledger: LedgerYear[] = [];

  for (let t = 0; t < T; t++) {
    const year = model.startYear + t;
    const construction = t < C;
    const k = t - C;
    const streamCount = model.streams.length;
    const revenues = new Array<Dec>(streamCount).fill(ZERO);
    const dataShare = new Array<Dec>(streamCount).fill(ZERO);
    let opex = ZERO;
    let operatingSubsidy = ZERO;
    let availabilityPayment = ZERO;
    let dep = ZERO;

    if (!construction) {
      if (k > 0) {
        opexGrowth = opexGrowth.times(ONE.plus(model.opexEscalation));
        subsidyGrowth = subsidyGrowth.times(ONE.plus(subsidyEscalation));
      }
      opex = toFen(model.opexBase.times(opexGrowth).times(opexFactor));
      model.streams.forEach((s, i) => {
        if (k > 0) {
          streamFactor[i] = (streamFactor[i] as Dec).times(ONE.plus(s.growth));
          streamPrice[i] = (streamPrice[i] as Dec).times(ONE.plus(s.escalation));
        }
        const gross = toFen(
          s.base
            .times(streamFactor[i] as Dec)
            .times(streamPrice[i] as Dec)
            .times(rampFactor(s.rampUp, k))
            .times(revenueFactor),
        );
        if (s.kind === 'public-data') {
          // Allowed revenue is capped at cost + profit + tax; excess billed this year is
          // deducted next year, and in the last year refunded at once (DOMAIN.md §5.5).
          const ceiling = toFen(opex.times(s.ceilingFactor));
          let billed = gross.minus(dataExcess[i] as Dec);
          if (billed.lt(0)) billed = ZERO;
          const excess = Dec.max(ZERO, billed.minus(ceiling));
          let revenue = billed;
          if (excess.gt(0)) {
            cappedYears.push(year);
            if (t === T - 1) {
              revenue = ceiling;
              dataClawback = dataClawback.plus(excess);
            }
          }
          dataClawback = dataClawback.plus(Dec.min(gross, dataExcess[i] as Dec));
          dataExcess[i] = excess;
          revenues[i] = revenue;
          dataShare[i] = toFen(revenue.times(s.authorityShare));
        } else {
          revenues[i] = gross;
        }
      });
      if (subsidy && k < subsidyYears) operatingSubsidy = toFen(subsidyBase.times(subsidyGrowth));
      if (ap && apInputs && k < ap.periodYears) {
        const o = ap.includeOperatingCost ? opex : ZERO;
        const u = ap.deductUserFees ? revenues.reduce((a, b) => a.plus(b), ZERO) : ZERO;
        const raw =
          ap.method === 'mof-formula'
            ? mofAvailabilityPayment(apInputs, k + ap.firstIndex, o, u)
            : annuityAvailabilityPayment(apInputs, o, u);
        if (raw.lt(0)) apFlooredYears.push(year);
        availabilityPayment = toFen(Dec.max(ZERO, raw));
      }
      if (k === 0) {
        // Depreciable base: capex plus capitalised construction interest and fees.
        let base = totalInvestment;
        for (const row of ledger) for (const d of row.debt) base = base.plus(d.capitalisedInterest).plus(d.fees);
        depreciation = splitEvenly(base, model.depreciationYears);
      }
      dep = depreciation[k] ?? ZERO;
    }

    // Interest accrues before tax is known; it depends only on opening balances.
    const feesDue: Dec[] = [];
    const debtRows: DebtYear[] = debts.map((d) => {
      const draw = (draws[d.terms.sourceIndex] as Dec[])[t] ?? ZERO;
      const opening = d.balance;
      const interest = construction
        ? toFen(opening.plus(draw.div(2)).times(d.rate))
        : toFen(opening.times(d.rate));
      let fees = ZERO;
      if (!d.feePaid && draw.gt(0)) {
        fees = toFen((amounts[d.terms.sourceIndex] as Dec).times(d.terms.upfrontFeeRate));
        d.feePaid = true;
      }
      feesDue.push(fees);
      return {
        opening,
        drawdown: draw,
        interest,
        capitalisedInterest: ZERO,
        interestPaid: ZERO,
        principalPaid: ZERO,
        fees: ZERO,
        arrears: ZERO,
        closing: ZERO,
      };
    });

    const streamsTotal = revenues.reduce((a, b) => a.plus(b), ZERO);
    const totalRevenue = streamsTotal.plus(operatingSubsidy).plus(availabilityPayment);
    const dataShareTotal = dataShare.reduce((a, b) => a.plus(b), ZERO);
    const interestExpense = construction ? ZERO : debtRows.reduce((a, r) => a.plus(r.interest), ZERO);

    let taxableIncome = ZERO;
    let tax = ZERO;
    if (!construction) {
      taxableIncome = totalRevenue.minus(dataShareTotal).minus(opex).minus(dep).minus(interestExpense);
      let taxable = taxableIncome;
      if (taxable.lt(0)) {
        losses.push({ year: t, amount: taxable.neg() });
      } else {
        for (const loss of losses) {
          if (taxable.isZero()) break;
          if (t - loss.year > model.lossCarryForwardYears || loss.amount.isZero()) continue;
          const used = Dec.min(loss.amount, taxable);
          loss.amount = loss.amount.minus(used);
          taxable = taxable.minus(used);
        }
        tax = toFen(taxable.times(taxRate));
      }
    }
    const cfads = totalRevenue.minus(dataShareTotal).minus(opex).minus(tax);
    const residualValue = t === T - 1 ? toFen(model.residualValue) : ZERO;

    // Waterfall: own cash (CFADS + residual) pays debt service by seniority; the rest is
    // distributed. What it cannot pay is a shortfall, covered per the scenario's policy.
    let cash = cfads.plus(residualValue);
    const operatingDeficit = cash.lt(0) ? cash.neg() : ZERO;
    if (cash.lt(0)) cash = ZERO;
    let totalDebtServiceDue = ZERO;
    let unpaidTotal = ZERO;
    const dues = debtRows.map((row, j) => {
      const d = debts[j] as DebtState;
      const draw = row.drawdown;
      const fees = feesDue[j] as Dec;
      let interestDue = row.interest;
      let capitalised = ZERO;
      if (construction && d.terms.capitalise) {
        capitalised = row.interest;
        interestDue = ZERO;
      }
      const balanceBeforePrincipal = row.opening.plus(draw).plus(capitalised);
      let principalDue = ZERO;
      if (!construction && t >= d.repaymentStart && balanceBeforePrincipal.gt(0)) {
        principalDue = scheduledPrincipal(d, t, balanceBeforePrincipal, row.interest);
      }
      return { interestDue, capitalised, principalDue, fees, balanceBeforePrincipal };
    });
    // Debt service is paid in seniority order (debts are sorted so); sculpting sees the cash left.
    const paid = dues.map((due, j) => {
      const d = debts[j] as DebtState;
      if (d.terms.repayment === 'sculpted' && !construction && t >= d.repaymentStart && t < d.maturity) {
        due.principalDue = sculptedPrincipal(d, due.balanceBeforePrincipal, (debtRows[j] as DebtYear).interest, cash);
      }
      const owed = due.interestDue.plus(due.principalDue).plus(due.fees);
      totalDebtServiceDue = totalDebtServiceDue.plus(due.interestDue).plus(due.principalDue);
      const pay = Dec.min(cash, owed);
      cash = cash.minus(pay);
      unpaidTotal = unpaidTotal.plus(owed.minus(pay));
      return pay;
    });

    const shortfall = operatingDeficit.plus(unpaidTotal);
    let shortfallByGovernment = ZERO;
    let shortfallByEquity = ZERO;
    let shortfallUnfunded = ZERO;
    let unfundedDeficit = ZERO;
    const equityShortfall = equityIdx.map(() => ZERO);
    const funded = model.shortfall !== 'unfunded';
    if (shortfall.gt(0)) {
      if (model.shortfall === 'government') shortfallByGovernment = shortfall;
      else if (model.shortfall === 'equity') {
        shortfallByEquity = shortfall;
        allocate(shortfall, shortfallWeights).forEach((x, i) => (equityShortfall[i] = x));
      } else {
        shortfallUnfunded = shortfall;
        unfundedDeficit = operatingDeficit;
      }
    }

    // Post each debt's lines: what was paid, and under an unfunded policy what stays owed.
    debtRows.forEach((row, j) => {
      const d = debts[j] as DebtState;
      const due = dues[j] as (typeof dues)[number];
      const fees = feesDue[j] as Dec;
      let payFees = fees;
      let payInterest = due.interestDue;
      let payPrincipal = due.principalDue;
      let arrears = ZERO;
      if (!funded) {
        // Cash paid goes to fees, then interest, then principal; the rest is in arrears.
        let available = paid[j] as Dec;
        payFees = Dec.min(available, fees);
        available = available.minus(payFees);
        payInterest = Dec.min(available, due.interestDue);
        available = available.minus(payInterest);
        payPrincipal = Dec.min(available, due.principalDue);
        arrears = fees.minus(payFees).plus(due.interestDue.minus(payInterest)).plus(due.principalDue.minus(payPrincipal));
      }
      // Unpaid fees and interest are added to the balance; unpaid principal stays on it.
      const capitalisedInterest = due.capitalised.plus(due.interestDue.minus(payInterest)).plus(fees.minus(payFees));
      row.capitalisedInterest = capitalisedInterest;
      row.interestPaid = payInterest;
      row.principalPaid = payPrincipal;
      row.fees = payFees;
      row.arrears = arrears;
      row.closing = row.opening.plus(row.drawdown).plus(capitalisedInterest).minus(payPrincipal);
      // principalDue already included earlier missed principal, so this is the new total missed.
      d.missed = due.principalDue.minus(payPrincipal);
      d.balance = row.closing;
    });

    // Distributions: what is left after debt service goes to the equity holders pro rata,
    // or to the government when nobody else holds the project.
    const equity: EquityYear[] = equityIdx.map((s, i) => ({
      contribution: (draws[s] as Dec[])[t] ?? ZERO,
      shortfallContribution: equityShortfall[i] as Dec,
      distribution: ZERO,
    }));
    let surplusToGovernment = ZERO;
    if (cash.gt(0)) {
      if (equityIdx.length > 0) {
        allocate(cash, shortfallWeights).forEach((x, i) => ((equity[i] as EquityYear).distribution = x));
      } else {
        surplusToGovernment = cash;
      }
    }

    const government = emptyGovernment();
    model.sources.forEach((src, s) => {
      const draw = (draws[s] as Dec[])[t] ?? ZERO;
      if (src.type === 'budget' || src.type === 'construction-subsidy') government[src.type] = government[src.type].plus(draw);
    });
    equityIdx.forEach((s, i) => {
      const src = model.sources[s];
      const e = equity[i] as EquityYear;
      if (src?.type === 'guided-fund-equity' || src?.type === 'government-equity') {
        government[src.type] = government[src.type].plus(e.contribution).plus(e.shortfallContribution);
        government.returns = government.returns.minus(e.distribution);
      }
    });
    government['operating-subsidy'] = operatingSubsidy;
    government['availability-payment'] = availabilityPayment;
    government['shortfall-support'] = shortfallByGovernment;
    government['data-revenue-share'] = dataShareTotal.neg();
    government.returns = government.returns.minus(surplusToGovernment);
    let governmentNet = ZERO;
    for (const key of GOVERNMENT_INSTRUMENTS) governmentNet = governmentNet.plus(government[key]);

    const totalDebtService = debtRows.reduce((a, r) => a.plus(r.interestPaid).plus(r.principalPaid), ZERO);
    ledger.push({
      index: t,
      year,
      phase: construction ? 'construction' : 'operation',
      capex: construction ? (capex[t] as Dec) : ZERO,
      revenues,
      dataAuthorityShare: dataShare,
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
      drawdowns: model.sources.map((_, s) => (draws[s] as Dec[])[t] ?? ZERO),
      debt: debtRows,
      totalDebtService,
      shortfall,
      shortfallByGovernment,
      shortfallByEquity,
      shortfallUnfunded,
      unfundedDeficit,
      equity,
      surplusToGovernment,
      projectFlow: cfads.plus(residualValue).minus(construction ? (capex[t] as Dec) : ZERO),
      dscr: !construction && totalDebtServiceDue.gt(0) ? cfads.div(totalDebtServiceDue).toDecimalPlaces(6) : null,
      government,
      governmentNet,
    });
  }

  if (apFlooredYears.length > 0) {
    flags.push({
      code: 'availability-payment-floored',
      severity: 'info',
      message: 'User fees exceed the availability-payment formula in some years; the payment is set to 0 there',
      years: apFlooredYears,
    });
  }
  if (cappedYears.length > 0) {
    flags.push({
      code: 'data-revenue-capped',
      severity: 'info',
      message: 'Public-data revenue exceeded its ceiling (cost + allowed profit + tax); the excess is deducted the next year',
      years: [...new Set(cappedYears)],
      amount: dataClawback,
    });
  }

  const debtSummaries = model.debts.map((d) => sources[d.sourceIndex] as (typeof sources)[number]);
  const equityHolders = equityIdx.map((i) => sources[i] as (typeof sources)[number]);
  const metrics = computeMetrics(model, ledger, sources, debtSummaries, equityHolders, totalInvestment, flags);
  return {
    engineVersion: ENGINE_VERSION,
    streams: model.streams.map((s) => ({ name: s.name, kind: s.kind })),
    sources,
    debts: debtSummaries,
    equityHolders,
    ledger,
    metrics,
    sourcesAndUses: buildSourcesAndUses(ledger, sources, debtSummaries),
    flags,
  };
}

/** Principal falling due this year under the debt's profile (not sculpted, handled in the waterfall). */
function scheduledPrincipal(d: DebtState, t: number, balance: Dec, interest: Dec): Dec {
  if (t >= d.maturity) return balance;
  if (d.repaymentBase === null) {
    d.repaymentBase = balance;
    const n = d.maturity - d.repaymentStart + 1;
    if (d.terms.repayment === 'annuity') {
      d.annuityPayment = d.rate.isZero()
        ? balance.div(n)
        : balance.times(d.rate).div(ONE.minus(ONE.plus(d.rate).pow(-n)));
    }
  }
  const n = d.maturity - d.repaymentStart + 1;
  let scheduled: Dec;
  switch (d.terms.repayment) {
    case 'bullet':
      scheduled = ZERO;
      break;
    case 'equal-principal':
      scheduled = toFen(d.repaymentBase.div(n));
      break;
    case 'annuity':
      scheduled = toFen(Dec.max(ZERO, (d.annuityPayment as Dec).minus(interest)));
      break;
    case 'sculpted':
      scheduled = ZERO; // set in the waterfall, where the cash left for this tranche is known
      break;
  }
  return Dec.min(balance, scheduled.plus(d.missed));
}

/** Sculpted principal (DOMAIN.md §4): CFADS available ÷ target DSCR − interest, within [0, balance]. */
function sculptedPrincipal(d: DebtState, balance: Dec, interest: Dec, cashForTranche: Dec): Dec {
  const target = d.terms.targetDscr as Dec;
  const p = toFen(cashForTranche.div(target).minus(interest));
  return Dec.min(balance, Dec.max(ZERO, p).plus(d.missed));
}
