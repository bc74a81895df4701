/**
 * Formula builders of the debt lines of the Ledger sheet when shortfalls are left unfunded
 * (src/domain/workbook/ledger-debt.ts has the funded case), following `payDebt` and
 * `serviceDebts` in src/domain/engine/simulate.ts (src/domain/README.md, "Shortfalls and
 * arrears"). The debts take the year's own cash (CFADS + residual, at least 0) in order of
 * seniority; per debt, in cells (working rows: cash in, fee due, the part not yet due, principal
 * due, owed):
 *
 * - arrears recovered = min(cash in, arrears brought forward);
 * - not yet due = opening + drawdown + interest capitalised in construction − arrears brought
 *   forward; principal due by the repayment kind on it (its value at the first repayment year is
 *   the base of equal principal and annuity), all of it from maturity;
 * - owed = fee due + interest owed in cash + principal due; paid = min(cash in − recovered, owed),
 *   to the fee first, then interest, then principal; new arrears = owed − paid;
 * - capitalised = construction capitalisation + unpaid interest + unpaid fee; principal repaid =
 *   principal paid + arrears recovered; the next debt's cash in = cash in − recovered − paid.
 *
 * With a DSRA the debts take its balance brought forward too (the cash in of the first debt, from
 * the first operation year): what they leave below it is the DSRA's draw (ledger-reserves.ts). A
 * sculpted debt's principal due is the cash it finds after its arrears ÷ the target DSCR − the
 * year's interest, to the fen and at least 0 (`scheduledPrincipal`).
 */
import { yearColumn, type LedgerContext, roundFen } from './ledger-context';
import { debtTerms, feeDue, profilePrincipal } from './ledger-debt';

type YearFormula = (t: number) => string | null;

/** Debt j's working rows (j its index among the debts, in seniority order). */
export interface ArrearsRows {
  cashIn: number;
  feeDue: number;
  notDue: number;
  principalDue: number;
  owed: number;
}

/** Number of working rows per debt. */
export const ARREARS_ROWS = 5;

const round2 = roundFen;
const at = (ctx: LedgerContext, key: string, t: number) => `${yearColumn(t)}${ctx.row(key)}`;
const w = (row: number, t: number) => `${yearColumn(t)}${row}`;

/** Whether the debt lines are this file's: shortfalls left unfunded. */
export function arrearsFormulas(ctx: Pick<LedgerContext, 'scenario'>): boolean {
  return ctx.scenario.shortfall === 'unfunded';
}

/** The DSRA balance brought into operation year t, which stands behind the debts ('0' without). */
export const dsraBehind = (ctx: LedgerContext, t: number): string =>
  t < ctx.C || t === 0 || !ctx.has('dsra-balance') ? '0' : at(ctx, 'dsra-balance', t - 1);

/** The interest capitalised by construction-period policy (before any unpaid part). */
function capitalisedByPolicy(ctx: LedgerContext, id: string, t: number): string {
  return t < ctx.C
    ? `IF(${debtTerms(ctx, id).capitalised},${at(ctx, `debt:${id}:interest`, t)},0)`
    : '0';
}

/** Interest owed in cash in year t: the interest less what construction capitalises. */
const interestCash = (ctx: LedgerContext, id: string, t: number) =>
  `(${at(ctx, `debt:${id}:interest`, t)}-${capitalisedByPolicy(ctx, id, t)})`;

/** The arrears balance brought into year t. */
const arrearsIn = (ctx: LedgerContext, id: string, t: number) =>
  t === 0 ? '0' : at(ctx, `debt:${id}:arrears-balance`, t - 1);

/** The working rows' formulas per year (row → year formulas), for every debt. */
export function arrearsWorking(ctx: LedgerContext): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const years = Array.from({ length: ctx.T }, (_, t) => t);
  ctx.result.debts.forEach((d, j) => {
    const rows = ctx.arrearsRows!(j);
    const line = (p: string, t: number) => at(ctx, `debt:${d.id}:${p}`, t);
    const draw = (t: number) => at(ctx, `drawdown:${d.id}`, t);
    out.set(
      rows.cashIn,
      years.map((t) => {
        if (j === 0) {
          const own = `MAX(0,${at(ctx, 'cfads', t)}+${at(ctx, 'residual-value', t)})`;
          const dsra = dsraBehind(ctx, t);
          return dsra === '0' ? own : `${own}+${dsra}`;
        }
        const p = ctx.arrearsRows!(j - 1);
        const before = ctx.result.debts[j - 1]!.id;
        return `ROUND(${w(p.cashIn, t)}-${at(ctx, `debt:${before}:arrears-paid`, t)}-MIN(${w(p.cashIn, t)}-${at(ctx, `debt:${before}:arrears-paid`, t)},${w(p.owed, t)}),2)`;
      }),
    );
    out.set(
      rows.feeDue,
      years.map((t) => (t >= ctx.C ? '0' : feeDue(ctx, d.id, t))),
    );
    out.set(
      rows.notDue,
      years.map((t) =>
        round2(
          `${line('opening', t)}+${draw(t)}+${capitalisedByPolicy(ctx, d.id, t)}-${arrearsIn(ctx, d.id, t)}`,
        ),
      ),
    );
    out.set(
      rows.principalDue,
      years.map((t) => (t < ctx.C ? '0' : principalDue(ctx, d.id, rows, t, j))),
    );
    out.set(
      rows.owed,
      years.map((t) =>
        round2(`${w(rows.feeDue, t)}+${interestCash(ctx, d.id, t)}+${w(rows.principalDue, t)}`),
      ),
    );
  });
  return out;
}

/**
 * Principal due in operation year t on the part not yet due N (`scheduledPrincipal`): all of it
 * from maturity; from the first repayment year, bullet nothing, equal principal N at the first
 * repayment year ÷ the repayment years, annuity the level payment on that base less the year's
 * interest (at least 0), sculpted the cash left after the arrears recovered ÷ the target DSCR
 * less the interest, to the fen (at least 0); never more than N.
 */
function principalDue(
  ctx: LedgerContext,
  id: string,
  rows: ArrearsRows,
  t: number,
  j: number,
): string {
  const k = debtTerms(ctx, id);
  const notDue = w(rows.notDue, t);
  const interest = at(ctx, `debt:${id}:interest`, t);
  const base = `INDEX($${yearColumn(0)}$${rows.notDue}:$${yearColumn(ctx.T - 1)}$${rows.notDue},1,${k.S}+1)`;
  const sculpted = ctx.scenario.funding.sources[k.s]?.debt?.repayment === 'sculpted';
  const cash = `(${w(ctx.arrearsRows!(j).cashIn, t)}-${at(ctx, `debt:${id}:arrears-paid`, t)})`;
  const scheduled = sculpted
    ? `MAX(0,${round2(`${cash}/${k.cell('debt.targetDscr')}-${interest}`)})`
    : profilePrincipal(k, base, interest);
  return `IF(${notDue}<=0,0,IF(${t}>=${k.M},${notDue},IF(${t}>=${k.S},MIN(${notDue},${scheduled}),0)))`;
}

/** Debt line `part` of debt `id` with unfunded shortfalls; null for a line of ledger-debt.ts. */
export function arrearsLine(ctx: LedgerContext, id: string, part: string): YearFormula | null {
  const j = ctx.result.debts.findIndex((d) => d.id === id);
  const rows = ctx.arrearsRows!(j);
  const line = (p: string, t: number) => at(ctx, `debt:${id}:${p}`, t);
  const cashIn = (t: number) => w(rows.cashIn, t);
  const paid = (t: number) => `MIN(${cashIn(t)}-${line('arrears-paid', t)},${w(rows.owed, t)})`;
  switch (part) {
    case 'arrears-paid':
      return (t) => `MIN(${cashIn(t)},${arrearsIn(ctx, id, t)})`;
    case 'fees':
      return (t) => `MIN(${paid(t)},${w(rows.feeDue, t)})`;
    case 'interest-paid':
      return (t) => `MIN(${paid(t)}-${line('fees', t)},${interestCash(ctx, id, t)})`;
    case 'principal':
      return (t) =>
        `MIN(${paid(t)}-${line('fees', t)}-${line('interest-paid', t)},${w(rows.principalDue, t)})+${line('arrears-paid', t)}`;
    case 'arrears':
      return (t) => `${w(rows.owed, t)}-${paid(t)}`;
    case 'arrears-balance':
      return (t) => `${arrearsIn(ctx, id, t)}+${line('arrears', t)}-${line('arrears-paid', t)}`;
    case 'capitalised':
      return (t) =>
        `${capitalisedByPolicy(ctx, id, t)}+${interestCash(ctx, id, t)}-${line('interest-paid', t)}+${w(rows.feeDue, t)}-${line('fees', t)}`;
    default:
      return null;
  }
}

/** The cash left after every debt took its part in year t (the last debt's cash out). */
export function cashAfterDebts(ctx: LedgerContext, t: number): string {
  const debts = ctx.result.debts;
  const last = debts.length - 1;
  const rows = ctx.arrearsRows!(last);
  const recovered = at(ctx, `debt:${debts[last]!.id}:arrears-paid`, t);
  return `${w(rows.cashIn, t)}-${recovered}-MIN(${w(rows.cashIn, t)}-${recovered},${w(rows.owed, t)})`;
}

/** The debt service due in year t over the debts: interest owed in cash + principal due. */
export function serviceDue(ctx: LedgerContext, t: number): string {
  return ctx.result.debts
    .map((d, j) => `${interestCash(ctx, d.id, t)}+${w(ctx.arrearsRows!(j).principalDue, t)}`)
    .join('+');
}

/** Σ over the debts of the year's new arrears. */
export const newArrears = (ctx: LedgerContext, t: number) =>
  ctx.result.debts.map((d) => at(ctx, `debt:${d.id}:arrears`, t)).join('+');
