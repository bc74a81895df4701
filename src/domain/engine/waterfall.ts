import type { Dec } from '../decimal';
import { allocateFen, mulRound, ratioOf, type Fen, type Ratio } from '../fen';
import type { Waterfall } from '../scenario/waterfall';

/**
 * Equity waterfall tiers (src/domain/README.md, "Equity waterfall"). Each year the cash available
 * for distribution (after debt service) goes, in order:
 *
 * 1. preferred return: to the preferred class, what it is owed: the year's accrual (unreturned
 *    contributions at the start of the year × rate, half-up to the fen, per holder) plus any
 *    earlier accrual still unpaid. Simple and cumulative: unpaid preferred return carries forward
 *    but earns nothing itself. Short of cash, split in proportion to what each is owed;
 * 2. return of capital (if configured): the class's unreturned contributions, short of cash
 *    split in proportion to them;
 * 3. the residual: capped, to the other holders pro rata to their commitments; uncapped, to every
 *    holder pro rata to commitments. The residual tier is what the others leave, so it absorbs
 *    the rounding and the year's distributions sum to the cash to the fen.
 *
 * Splits short of cash use the largest-remainder rule (`allocateFen`), so a tier's parts sum to
 * the tier. The year's contributions (construction draws and shortfall calls, which stay pro
 * rata to commitments) join the unreturned contributions after the year's distribution (flows at
 * year ends).
 */
export interface CompiledWaterfall {
  /** Per equity holder (in `equityIndexes` order): in the preferred class. */
  isPreferred: boolean[];
  rateRatio: Ratio;
  returnOfCapital: boolean;
  capped: boolean;
}

/** Per equity holder, the class's running balances (0 for the others). */
export interface WaterfallState {
  /** Contributions not yet returned, fen. */
  unreturned: Fen[];
  /** Preferred return accrued and not yet paid, fen. */
  unpaid: Fen[];
}

/** One year's tiers, per equity holder, fen. */
export interface WaterfallYear {
  preferredReturn: Fen[];
  capitalReturned: Fen[];
  /** Preferred return still owed at the end of the year. */
  preferredUnpaid: Fen[];
  distributions: Fen[];
}

/** The waterfall read once per scenario; null without one. */
export function compileWaterfall(
  waterfall: Waterfall | undefined,
  equityHolderIds: readonly string[],
  rate: (s: string) => Dec,
): CompiledWaterfall | null {
  if (!waterfall) return null;
  return {
    isPreferred: equityHolderIds.map((id) => waterfall.preferredSourceIds.includes(id)),
    rateRatio: ratioOf(rate(waterfall.preferredRate)),
    returnOfCapital: waterfall.returnOfCapital,
    capped: waterfall.capped,
  };
}

export function startWaterfall(w: CompiledWaterfall): WaterfallState {
  return { unreturned: w.isPreferred.map(() => 0), unpaid: w.isPreferred.map(() => 0) };
}

/** `amount` split over `weights`: each weight in full when enough, else by largest remainder. */
function payTier(amount: Fen, owed: Fen[], total: Fen): Fen[] {
  return amount >= total ? owed.slice() : allocateFen(amount, owed);
}

/**
 * Runs one year of the waterfall and updates the state.
 * @param cash cash available for distribution, fen (≥ 0)
 * @param commitments equity holders' committed amounts, fen (weights of the residual tier)
 * @param contributions the year's contributions per holder (draws + shortfall calls), fen
 */
export function waterfallYear(
  w: CompiledWaterfall,
  state: WaterfallState,
  cash: Fen,
  commitments: readonly Fen[],
  contributions: readonly Fen[],
): WaterfallYear {
  const n = w.isPreferred.length;
  const owed = new Array<Fen>(n).fill(0);
  let owedTotal = 0;
  for (let i = 0; i < n; i++) {
    if (!w.isPreferred[i]) continue;
    owed[i] = (state.unpaid[i] as Fen) + mulRound(state.unreturned[i] as Fen, w.rateRatio);
    owedTotal += owed[i] as Fen;
  }
  const tier1 = Math.min(cash, owedTotal);
  const preferredReturn = payTier(tier1, owed, owedTotal);
  let rest = cash - tier1;
  let capitalReturned = new Array<Fen>(n).fill(0);
  if (w.returnOfCapital) {
    let capital = 0;
    for (const k of state.unreturned) capital += k;
    const tier2 = Math.min(rest, capital);
    if (tier2 > 0) capitalReturned = payTier(tier2, state.unreturned, capital);
    rest -= tier2;
  }
  const weights = w.capped
    ? commitments.map((c, i) => (w.isPreferred[i] ? 0 : c))
    : [...commitments];
  if (!weights.some((x) => x > 0))
    weights.forEach((_, i) => (weights[i] = w.capped && w.isPreferred[i] ? 0 : 1));
  const residual = rest > 0 ? allocateFen(rest, weights) : weights.map(() => 0);
  const distributions = new Array<Fen>(n);
  for (let i = 0; i < n; i++) {
    state.unpaid[i] = (owed[i] as Fen) - (preferredReturn[i] as Fen);
    if (w.isPreferred[i])
      state.unreturned[i] =
        (state.unreturned[i] as Fen) - (capitalReturned[i] as Fen) + (contributions[i] as Fen);
    distributions[i] =
      (preferredReturn[i] as Fen) + (capitalReturned[i] as Fen) + (residual[i] as Fen);
  }
  return { preferredReturn, capitalReturned, preferredUnpaid: state.unpaid.slice(), distributions };
}
