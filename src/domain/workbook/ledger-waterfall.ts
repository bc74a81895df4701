/**
 * Formula builders of the equity waterfall's lines of the Ledger sheet
 * (src/domain/workbook/ledger-formulas.ts), following `waterfallYear`
 * (src/domain/engine/waterfall.ts; src/domain/README.md, "Equity waterfall"). With D the cash
 * left for distribution (working row), per preferred holder i: owed_i = preferred return still
 * owed last year + unreturned contributions at the start of the year × rate, to the fen (working
 * row); tier 1 = min(D, Σ owed), all owed when the cash suffices, else split over owed by largest
 * remainder; tier 2 (with return of capital) = min(D − tier 1, Σ unreturned), the same way over
 * the unreturned contributions; the residual to the holders pro rata to commitments (the
 * preferred class left out when capped), by largest remainder. Unreturned contributions at the
 * end of the year (working row) = at the start − capital returned + the year's contributions.
 * Which holders are preferred is fixed at export (it shapes the sheet); the rate, return of
 * capital and the cap are Inputs cells.
 */
import { allocatedPart, holderWeights } from './ledger-cash';
import { inputName, roundFen, yearColumn, type LedgerContext } from './ledger-context';

type YearFormula = (t: number) => string | null;

/** Preferred holder i's working rows (i an equity holder's index). */
export interface WaterfallRows {
  owed: number;
  unreturned: number;
}

const at = (ctx: LedgerContext, key: string, t: number) => `${yearColumn(t)}${ctx.row(key)}`;
const w = (row: number, t: number) => `${yearColumn(t)}${row}`;
const before = (row: number, t: number) => (t === 0 ? '0' : w(row, t - 1));

/** The equity holders of the preferred class, by their index among the equity holders. */
export function preferredHolders(ctx: LedgerContext): number[] {
  const ids = ctx.scenario.funding.waterfall?.preferredSourceIds ?? [];
  return ctx.result.equityHolders.flatMap((h, i) => (ids.includes(h.id) ? [i] : []));
}

/** The working rows' formulas per year (row → year formulas), for the preferred holders. */
export function waterfallWorking(ctx: LedgerContext): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const years = Array.from({ length: ctx.T }, (_, t) => t);
  const rate = inputName('funding.waterfall.preferredRate');
  for (const i of preferredHolders(ctx)) {
    const id = ctx.result.equityHolders[i]!.id;
    const rows = ctx.waterfallRows(i);
    const unpaid = (t: number) => (t === 0 ? '0' : at(ctx, `equity:${id}:preferred-unpaid`, t - 1));
    out.set(
      rows.owed,
      years.map((t) => `${unpaid(t)}+${roundFen(`${before(rows.unreturned, t)}*${rate}`)}`),
    );
    out.set(
      rows.unreturned,
      years.map(
        (t) =>
          `ROUND(${before(rows.unreturned, t)}-${at(ctx, `equity:${id}:capital-returned`, t)}+${at(ctx, `equity:${id}:contribution`, t)},2)`,
      ),
    );
  }
  return out;
}

/**
 * Builders of the waterfall's lines: each holder's distribution and a preferred holder's
 * preferred return, capital returned and preferred return still owed; undefined for another line.
 */
export function waterfallLine(
  ctx: LedgerContext,
  key: string,
  distributable: number,
): YearFormula | undefined {
  const m = /^equity:(.+):(distribution|preferred-return|capital-returned|preferred-unpaid)$/.exec(
    key,
  );
  if (!m || !ctx.scenario.funding.waterfall) return undefined;
  const holders = ctx.result.equityHolders;
  const i = holders.findIndex((h) => h.id === m[1]);
  const preferred = preferredHolders(ctx);
  const p = preferred.indexOf(i);
  const D = (t: number) => w(distributable, t);
  const owed = (t: number) => preferred.map((j) => w(ctx.waterfallRows(j).owed, t));
  const unreturned = (t: number) =>
    preferred.map((j) => before(ctx.waterfallRows(j).unreturned, t));
  const sum = (xs: string[]) => `(${xs.join('+')})`;
  const tier1 = (t: number) => `MIN(${D(t)},${sum(owed(t))})`;
  const tier2 = (t: number) =>
    `IF(${inputName('funding.waterfall.returnOfCapital')},MIN(${D(t)}-${tier1(t)},${sum(unreturned(t))}),0)`;
  /** Part p of a tier paid over `weights` (each in full when the tier covers them all). */
  const tierPart = (tier: string, weights: string[]) =>
    `IF(${tier}>=${sum(weights)},${weights[p]},${allocatedPart(tier, weights, p)})`;
  const line = (part: string, t: number) => at(ctx, `equity:${m[1]}:${part}`, t);
  const commitments = holderWeights(ctx);
  const capped = inputName('funding.waterfall.capped');
  const weights = commitments.map((c, j) => (preferred.includes(j) ? `IF(${capped},0,${c})` : c));
  const residual = (t: number) => {
    const rest = `(${D(t)}-${tier1(t)}-${tier2(t)})`;
    return `IF(${rest}>0,${weights.length === 1 ? rest : allocatedPart(rest, weights, i)},0)`;
  };
  switch (m[2]) {
    case 'preferred-return':
      return (t) => tierPart(tier1(t), owed(t));
    case 'capital-returned':
      return (t) => `IF(${tier2(t)}>0,${tierPart(tier2(t), unreturned(t))},0)`;
    case 'preferred-unpaid':
      return (t) => `${owed(t)[p]}-${line('preferred-return', t)}`;
    default:
      return p < 0
        ? residual
        : (t) => `${line('preferred-return', t)}+${line('capital-returned', t)}+${residual(t)}`;
  }
}
