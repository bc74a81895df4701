import { Dec, ZERO } from '../decimal';
import { decOf, divRound, mulDivRound, mulRound, ratioDiv, ratioOf, type Fen } from '../fen';
import { effectiveDrawTiming } from '../scenario/draw-timing';
import { isGovernmentServiced, type Scenario } from '../scenario/schema';
import type { GovernmentDebtYear, Overrides } from './types';

/**
 * The schedules of the government-serviced bonds (一般债券, README "General bonds"). Such a bond
 * funds the construction like any source, drawn with the others; the general public budget pays
 * its interest and principal, so nothing here touches the project's cash, CFADS or DSCR. The
 * schedule follows the project debts' rules (src/domain/engine/simulate.ts `accrueDebts`,
 * `scheduledPrincipal`): construction interest by draw timing, (opening + draw) × rate at the start
 * of the year or (opening + draw ÷ 2) × rate mid-year, in operation opening × rate, all paid (never
 * capitalised); repayment from the end of construction plus the grace years to maturity (tenor − 1,
 * counted from the first year): bullet at maturity, equal principal base ÷ n, annuity the level
 * payment on the base less the year's interest; the base is the balance at the first repayment
 * year, n the repayment years, maturity takes what is left. Each line is rounded half-up to fen.
 * The rate drivers move it as they move a project debt: rate + `rateShift` + `rateShifts[id]`,
 * at least 0 (README "Risk drivers"); the service is the government's outlay, so they move
 * `governmentNpv`, never the project's figures.
 */

/** One government-serviced bond's lines per ledger year, integer fen. */
export interface GovernmentDebtRow {
  opening: Fen;
  drawdown: Fen;
  interest: Fen;
  principal: Fen;
  closing: Fen;
}

/** Indexes into the scenario's funding sources of its government-serviced bonds. */
export function governmentDebtIndexes(scenario: Scenario): number[] {
  return scenario.funding.sources.flatMap((s, i) => (isGovernmentServiced(s.type) ? [i] : []));
}

/**
 * Each government-serviced bond's schedule over the ledger's years.
 * @param draws per source (scenario order) and ledger year, the drawdowns in fen
 * @param C construction years (after any delay), T all ledger years
 * @param shifts the run's rate-shift overrides (none: the scenario's rates)
 * @returns one row list per bond, in the order of `governmentDebtIndexes`
 */
export function governmentDebtSchedules(
  scenario: Scenario,
  draws: readonly (readonly Fen[])[],
  C: number,
  T: number,
  shifts: Pick<Overrides, 'rateShift' | 'rateShifts'> = {},
): GovernmentDebtRow[][] {
  return governmentDebtIndexes(scenario).map((s) => {
    const source = scenario.funding.sources[s]!;
    const shift = (shifts.rateShift ?? ZERO).plus(shifts.rateShifts?.[source.id] ?? ZERO);
    return bondSchedule(source, draws[s] ?? [], C, T, shift);
  });
}

/**
 * Σ over the bonds of each year's interest + principal, fen: the general budget's service, the
 * government outlay `general-bond` of the year.
 */
export function governmentDebtService(schedules: readonly GovernmentDebtRow[][], T: number): Fen[] {
  const out: Fen[] = [];
  for (let t = 0; t < T; t++) {
    let total = 0;
    for (const rows of schedules) total += rows[t]!.interest + rows[t]!.principal;
    out.push(total);
  }
  return out;
}

function bondSchedule(
  source: Scenario['funding']['sources'][number],
  draws: readonly Fen[],
  C: number,
  T: number,
  shift: Dec,
): GovernmentDebtRow[] {
  const terms = source.debt!;
  const annual = new Dec(terms.annualRate);
  const rate = ratioOf(shift.isZero() ? annual : Dec.max(ZERO, annual.plus(shift)));
  const halfRate = ratioDiv(rate, 2);
  const atStart = effectiveDrawTiming(source) === 'start-of-year';
  const maturity = terms.tenorYears - 1;
  // As the project debts: a delay may push the grace past maturity, when all falls due then.
  const start = Math.min(C + terms.graceYears, Math.max(C, maturity));
  const n = maturity - start + 1;
  let balance = 0;
  let base: Fen | null = null;
  const rows: GovernmentDebtRow[] = [];
  for (let t = 0; t < T; t++) {
    const draw = draws[t] ?? 0;
    const opening = balance;
    const construction = t < C;
    const interest = !construction
      ? mulRound(opening, rate)
      : atStart
        ? mulRound(opening + draw, rate)
        : mulRound(2 * opening + draw, halfRate);
    let principal = 0;
    const due = opening + draw;
    if (!construction && t >= start && due > 0) {
      base ??= due;
      principal =
        t >= maturity ? due : Math.min(due, profile(terms.repayment, base, n, rate, interest));
    }
    balance = due - principal;
    rows.push({ opening, drawdown: draw, interest, principal, closing: balance });
  }
  return rows;
}

/** Principal the profile makes due in a year before maturity, fen (bullet: none). */
function profile(
  repayment: string,
  base: Fen,
  n: number,
  rate: ReturnType<typeof ratioOf>,
  interest: Fen,
): Fen {
  if (repayment === 'equal-principal') return mulDivRound(base, 1, n);
  if (repayment !== 'annuity') return 0;
  if (rate.num === 0n) return mulDivRound(base, 1, n);
  // PMT = B·r / (1 − (1+r)^−n); with 1 + r = b/a it is B·(b − a)·b^n / (a·(b^n − a^n)), exactly.
  const a = rate.den;
  const b = a + rate.num;
  const bn = b ** BigInt(n);
  const an = a ** BigInt(n);
  const num = BigInt(base) * (b - a) * bn;
  const den = a * (bn - an);
  return Math.max(0, Number(divRound(num - BigInt(interest) * den, den)));
}

/** A row in the ledger's Decimal form (yuan). */
export function toGovernmentDebtYear(r: GovernmentDebtRow): GovernmentDebtYear {
  return {
    opening: decOf(r.opening),
    drawdown: decOf(r.drawdown),
    interest: decOf(r.interest),
    principal: decOf(r.principal),
    closing: decOf(r.closing),
  };
}
