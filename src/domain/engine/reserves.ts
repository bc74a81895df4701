import { allocateFen, fenOf, mulDivRound, ratioOf, type Fen, type Ratio } from '../fen';
import { Dec } from '../decimal';
import type { Scenario } from '../scenario/schema';

/**
 * Reserve accounts and the distribution lock-up (src/domain/README.md, "Reserve accounts"), in
 * integer fen. Called from `runModel` through small hooks, only when the scenario has a
 * `reserves` section; without one nothing here runs and no ledger line is added.
 *
 * Order inside an operation year: major maintenance falls due (paid from its reserve first, the
 * rest from the year's cash before debt service) → debt service, the DSRA drawn for what the
 * year's cash cannot pay → DSRA released down to, or topped up towards, its new target → the
 * maintenance reserve's contribution → lock-up → distributions.
 */

/** The reserve lines of one year, integer fen (see `ReservesYear` for meanings). */
export interface CoreReserveYear {
  /** Which parts the scenario uses (one shared object per run). */
  parts: ReserveParts;
  dsraTarget: Fen;
  dsraContribution: Fen;
  dsraEquity: Fen;
  dsraEquityByHolder: Fen[];
  dsraDraw: Fen;
  dsraRelease: Fen;
  dsraBalance: Fen;
  maintenanceSpend: Fen;
  maintenanceContribution: Fen;
  maintenanceFromReserve: Fen;
  maintenanceBalance: Fen;
  locked: Fen;
  lockUpReleased: Fen;
  lockUpBalance: Fen;
}

/** The parts of the section a scenario uses: only their ledger lines are shown. */
export interface ReserveParts {
  dsra: boolean;
  maintenance: boolean;
  lockUp: boolean;
}

/** The section read once per scenario: what each operation year owes the reserves. */
export interface ReservePlan {
  /** DSRA months (1–24), or null without a DSRA. */
  dsraMonths: number | null;
  dsraByEquity: boolean;
  /** Per operation year (index k = year − 1): major-maintenance spending, fen. Null without a schedule. */
  maintenanceSpend: Fen[] | null;
  /** Per operation year: the scheduled contribution to the maintenance reserve, fen. */
  maintenanceContribution: Fen[] | null;
  lockUp: Ratio | null;
  parts: ReserveParts;
}

/** Balances carried from year to year. */
export interface ReserveState {
  dsra: Fen;
  maintenance: Fen;
  lockUp: Fen;
}

/**
 * Reads the `reserves` section. Each spend of A fen in operation year Y is funded by equal
 * contributions over the operation years after the previous spend (or from year 1) up to Y − 1:
 * A split in n equal fen parts, the leftover fen one each to the earliest years. A spend with no
 * year before it (year 1, or right after another spend) has no contributions.
 */
export function compileReserves(scenario: Scenario): ReservePlan | null {
  const r = scenario.reserves;
  // An empty section (or an empty schedule alone) is no reserve: the result stays as without it.
  if (!r || (!r.dsra && !r.lockUp && !(r.maintenance && r.maintenance.length > 0))) return null;
  const years = scenario.timeline.operationYears;
  let maintenanceSpend: Fen[] | null = null;
  let maintenanceContribution: Fen[] | null = null;
  if (r.maintenance && r.maintenance.length > 0) {
    maintenanceSpend = new Array<Fen>(years).fill(0);
    maintenanceContribution = new Array<Fen>(years).fill(0);
    const schedule = [...r.maintenance].sort((a, b) => a.year - b.year);
    let previous = 0;
    for (const m of schedule) {
      const amount = fenOf(new Dec(m.amountYuan));
      maintenanceSpend[m.year - 1] = amount;
      const n = m.year - previous - 1;
      if (n > 0) {
        const parts = allocateFen(amount, new Array<Fen>(n).fill(1));
        parts.forEach((p, i) => ((maintenanceContribution as Fen[])[previous + i] = p));
      }
      previous = m.year;
    }
  }
  return {
    dsraMonths: r.dsra ? r.dsra.months : null,
    dsraByEquity: r.dsra?.funding === 'equity',
    maintenanceSpend,
    maintenanceContribution,
    lockUp: r.lockUp ? ratioOf(new Dec(r.lockUp.minDscr)) : null,
    parts: { dsra: !!r.dsra, maintenance: maintenanceSpend !== null, lockUp: !!r.lockUp },
  };
}

/** A year's reserve record with every line 0 and the balances carried in. */
export function openReserveYear(
  plan: ReservePlan,
  state: ReserveState,
  holders: number,
): CoreReserveYear {
  return {
    parts: plan.parts,
    dsraTarget: 0,
    dsraContribution: 0,
    dsraEquity: 0,
    dsraEquityByHolder: new Array<Fen>(holders).fill(0),
    dsraDraw: 0,
    dsraRelease: 0,
    dsraBalance: state.dsra,
    maintenanceSpend: 0,
    maintenanceContribution: 0,
    maintenanceFromReserve: 0,
    maintenanceBalance: state.maintenance,
    locked: 0,
    lockUpReleased: 0,
    lockUpBalance: state.lockUp,
  };
}

/** DSRA target: months / 12 of the next year's debt service, rounded half-up to fen. */
export function dsraTarget(plan: ReservePlan, nextDebtService: Fen): Fen {
  return plan.dsraMonths === null ? 0 : mulDivRound(nextDebtService, plan.dsraMonths, 12);
}

/**
 * Equity funding at the start of operation (posted in the last construction year): the holders
 * pay in the first year's target pro rata to their commitments (`weights`).
 */
export function fundDsraByEquity(
  state: ReserveState,
  row: CoreReserveYear,
  target: Fen,
  weights: readonly Fen[],
): void {
  row.dsraTarget = target;
  row.dsraEquity = target;
  row.dsraEquityByHolder = allocateFen(target, weights);
  state.dsra += target;
  row.dsraBalance = state.dsra;
}

/**
 * Operation year, before debt service: the year's major-maintenance spending, paid from the
 * maintenance reserve as far as it goes. Returns the part the reserve pays (added back to CFADS).
 */
export function spendMaintenance(
  plan: ReservePlan,
  state: ReserveState,
  row: CoreReserveYear,
  k: number,
): Fen {
  const spend = plan.maintenanceSpend?.[k] ?? 0;
  if (spend === 0) return 0;
  const fromReserve = Math.min(state.maintenance, spend);
  state.maintenance -= fromReserve;
  row.maintenanceSpend = spend;
  row.maintenanceFromReserve = fromReserve;
  row.maintenanceBalance = state.maintenance;
  return fromReserve;
}

/**
 * After debt service was paid from the year's cash plus the DSRA balance: the DSRA is drawn only
 * for what the year's own cash could not pay. Returns the cash left (own cash only).
 * @param cashLeft cash left after debt service, the DSRA balance included
 */
export function settleDsraDraw(state: ReserveState, row: CoreReserveYear, cashLeft: Fen): Fen {
  if (cashLeft >= state.dsra) return cashLeft - state.dsra;
  row.dsraDraw = state.dsra - cashLeft;
  state.dsra = cashLeft;
  row.dsraBalance = state.dsra;
  return 0;
}

/**
 * The DSRA against its new target: an excess is released to the year's cash (for distribution);
 * a gap is filled from the cash as far as it goes. Returns the cash left.
 */
export function adjustDsra(state: ReserveState, row: CoreReserveYear, target: Fen, cash: Fen): Fen {
  row.dsraTarget = target;
  let left = cash;
  if (state.dsra > target) {
    row.dsraRelease = state.dsra - target;
    left += row.dsraRelease;
    state.dsra = target;
  } else {
    row.dsraContribution = Math.min(left, target - state.dsra);
    left -= row.dsraContribution;
    state.dsra += row.dsraContribution;
  }
  row.dsraBalance = state.dsra;
  return left;
}

/**
 * The maintenance reserve's scheduled contribution, cut to the cash left (a cut part is not made
 * up later). Returns the cash left. No contribution follows the last spend, so the reserve is
 * empty after it.
 */
export function contributeMaintenance(
  plan: ReservePlan,
  state: ReserveState,
  row: CoreReserveYear,
  k: number,
  cash: Fen,
): Fen {
  const scheduled = plan.maintenanceContribution?.[k] ?? 0;
  if (scheduled === 0 || cash <= 0) return cash;
  row.maintenanceContribution = Math.min(cash, scheduled);
  state.maintenance += row.maintenanceContribution;
  row.maintenanceBalance = state.maintenance;
  return cash - row.maintenanceContribution;
}

/**
 * Lock-up: in a year whose exact DSCR (CFADS ÷ debt service due) is below the threshold, the cash
 * left for distribution is held; in the first later year at or above it (or without debt service
 * due), and in the last year in any case, the balance held is released with that year's cash.
 * Returns the cash to distribute.
 */
export function applyLockUp(
  plan: ReservePlan,
  state: ReserveState,
  row: CoreReserveYear,
  cfads: Fen,
  debtServiceDue: Fen,
  last: boolean,
  cash: Fen,
): Fen {
  const r = plan.lockUp;
  if (!r) return cash;
  const below =
    debtServiceDue > 0 && BigInt(cfads) * r.den < r.num * BigInt(debtServiceDue) && !last;
  if (below) {
    row.locked = cash;
    state.lockUp += cash;
    row.lockUpBalance = state.lockUp;
    return 0;
  }
  row.lockUpReleased = state.lockUp;
  state.lockUp = 0;
  row.lockUpBalance = 0;
  return cash + row.lockUpReleased;
}
