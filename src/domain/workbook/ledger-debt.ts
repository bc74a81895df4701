/**
 * Formula builders of the funding lines of the Ledger sheet (src/domain/workbook/ledger-formulas.ts):
 * drawdowns pro rata to capex, each debt's interest, capitalised interest, fees, principal by
 * repayment kind and balances, and the totals over the debts. They follow src/domain/engine/simulate.ts
 * step by step (`drawdownMatrix`, `accrueDebts`, `payDebt`, `scheduledPrincipal`), for a scenario
 * whose shortfalls are funded (by the government or the equity): then everything due is paid and
 * no arrears arise. With unfunded shortfalls the paid and arrears lines are ledger-arrears.ts's
 * (opening, interest and closing stay these), with reserves or a sculpted debt too.
 */
import { effectiveDrawTiming } from '../scenario/draw-timing';
import { inputItem, yearColumn, type LedgerContext, roundFen } from './ledger-context';

type YearFormula = (t: number) => string | null;

const round2 = roundFen;

/** A source's index in the scenario by its id. */
const sourceIndex = (ctx: LedgerContext, id: string) =>
  ctx.scenario.funding.sources.findIndex((s) => s.id === id);

/** The cell of line `key` in year t (same sheet). */
const at = (ctx: LedgerContext, key: string, t: number) => `${yearColumn(t)}${ctx.row(key)}`;

/** The whole construction-period span of a line, e.g. `B12:C12`. */
const constructionSpan = (ctx: LedgerContext, key: string) =>
  `${yearColumn(0)}${ctx.row(key)}:${yearColumn(ctx.C - 1)}${ctx.row(key)}`;

/**
 * Drawdown of a source in construction year t, pro rata to capex (to the fen, half-up); the last
 * construction year takes what is left of the source's amount; the largest source (the first of
 * equals, by the committed amounts at export) absorbs each year's rounding so the year sums to
 * its capex exactly.
 */
export function drawdown(ctx: LedgerContext, id: string): YearFormula {
  const sources = ctx.result.sources;
  let absorb = 0;
  sources.forEach((s, i) => {
    if (s.amount.gt(sources[absorb]!.amount)) absorb = i;
  });
  const s = sourceIndex(ctx, id);
  const capexTotal = `SUM(${constructionSpan(ctx, 'capex')})`;
  return (t) => {
    if (t >= ctx.C) return null;
    if (s === absorb) {
      const others = sources.flatMap((o, i) =>
        i === absorb ? [] : [at(ctx, `drawdown:${o.id}`, t)],
      );
      return others.length === 0
        ? at(ctx, 'capex', t)
        : `${at(ctx, 'capex', t)}-(${others.join('+')})`;
    }
    const amount = ctx.amountCell(s);
    if (t === ctx.C - 1)
      return t === 0
        ? amount
        : `${amount}-SUM(${yearColumn(0)}${ctx.row(`drawdown:${id}`)}:${yearColumn(t - 1)}${ctx.row(`drawdown:${id}`)})`;
    return `IF(${capexTotal}=0,0,${round2(`${amount}*${at(ctx, 'capex', t)}/${capexTotal}`)})`;
  };
}

/** A debt's terms as Inputs cells, and its first repayment year S and maturity M (0-based). */
export interface DebtTerms {
  /** The source's index in the scenario. */
  s: number;
  cell: (column: string) => string;
  rate: string;
  M: string;
  S: string;
  /** Whether the source draws at the start of the year (its cell, or the default by type). */
  startOfYear: string;
  /** Whether construction interest is capitalised. */
  capitalised: string;
}

export function debtTerms(ctx: LedgerContext, id: string): DebtTerms {
  const s = sourceIndex(ctx, id);
  const cell = (c: string) => inputItem('sources', c, s);
  const tenor = cell('debt.tenorYears');
  const M = `(${tenor}-1)`;
  // Grace counts from the end of construction, the tenor from the first year.
  const S = `MIN(${ctx.C}+${cell('debt.graceYears')},MAX(${ctx.C},${tenor}-1))`;
  const timing = cell('drawTiming');
  const source = ctx.scenario.funding.sources[s]!;
  return {
    s,
    cell,
    rate: cell('debt.annualRate'),
    M,
    S,
    startOfYear: `OR(${timing}="start-of-year",AND(${timing}="",${effectiveDrawTiming(source) === 'start-of-year'}))`,
    capitalised: `${cell('debt.constructionInterest')}="capitalised"`,
  };
}

/** The upfront fee due in construction year t: with the first drawdown, the committed amount × the fee rate. */
export function feeDue(ctx: LedgerContext, id: string, t: number): string {
  const k = debtTerms(ctx, id);
  const r = ctx.row(`drawdown:${id}`);
  const before = t === 0 ? '0' : `SUM(${yearColumn(0)}${r}:${yearColumn(t - 1)}${r})`;
  return `IF(AND(${at(ctx, `drawdown:${id}`, t)}>0,${before}=0),${round2(`${ctx.amountCell(k.s)}*${k.cell('debt.upfrontFeeRate')}`)},0)`;
}

/**
 * Principal the repayment profile makes due (before the cap at the balance): bullet nothing,
 * equal principal `base` ÷ the repayment years, annuity the level payment on `base` less the
 * year's `interest` (at least 0); `base` is the balance at the first repayment year.
 */
export function profilePrincipal(k: DebtTerms, base: string, interest: string): string {
  const n = `(${k.M}-${k.S}+1)`;
  const pmt = `IF(${k.rate}=0,${base}/${n},${base}*${k.rate}/(1-(1+${k.rate})^(-${n})))`;
  const kind = k.cell('debt.repayment');
  return `IF(${kind}="bullet",0,IF(${kind}="annuity",MAX(0,${round2(`${pmt}-${interest}`)}),${round2(`${base}/${n}`)}))`;
}

/**
 * One debt line per year (the part after `debt:<id>:`), or null for a line that stays engine
 * values. Funded shortfalls: fees, interest and principal are paid in full, arrears are 0.
 */
export function debtLine(ctx: LedgerContext, id: string, part: string): YearFormula | null {
  // Unfunded: the lines of ledger-arrears.ts, and these for opening, interest and closing.
  if (ctx.scenario.shortfall === 'unfunded' && !ctx.arrearsRows) return null;
  const k = debtTerms(ctx, id);
  const { rate, startOfYear } = k;
  const line = (p: string, t: number) => at(ctx, `debt:${id}:${p}`, t);
  const draw = (t: number) => at(ctx, `drawdown:${id}`, t);
  const capitalised = k.capitalised;
  switch (part) {
    case 'opening':
      return (t) => (t === 0 ? null : line('closing', t - 1));
    case 'interest':
      return (t) => {
        if (t >= ctx.C) return round2(`${line('opening', t)}*${rate}`);
        // Start-of-year draws bear the whole year's interest, mid-year draws half of it.
        return `IF(${startOfYear},${round2(`(${line('opening', t)}+${draw(t)})*${rate}`)},${round2(`(2*${line('opening', t)}+${draw(t)})*${rate}/2`)})`;
      };
    case 'capitalised':
      return (t) => (t < ctx.C ? `IF(${capitalised},${line('interest', t)},0)` : null);
    case 'interest-paid':
      return (t) => `${line('interest', t)}-${line('capitalised', t)}`;
    case 'fees':
      return (t) => (t >= ctx.C ? null : feeDue(ctx, id, t));
    case 'principal':
      return (t) => (t < ctx.C ? null : principal(ctx, id, t, k));
    case 'arrears':
    case 'arrears-paid':
    case 'arrears-balance':
      return () => null;
    case 'closing':
      return (t) =>
        `${line('opening', t)}+${draw(t)}+${line('capitalised', t)}-${line('principal', t)}`;
    default:
      return null;
  }
}

/**
 * Principal due in operation year t (`scheduledPrincipal`): all of the balance from maturity;
 * from the first repayment year, by the repayment kind: bullet nothing, equal principal the
 * balance at the first repayment year ÷ the repayment years, annuity the level payment on that
 * balance less the year's interest (at least 0); never more than the balance.
 */
function principal(ctx: LedgerContext, id: string, t: number, k: DebtTerms): string {
  const opening = at(ctx, `debt:${id}:opening`, t);
  const interest = at(ctx, `debt:${id}:interest`, t);
  const r = ctx.row(`debt:${id}:opening`);
  const base = `INDEX($${yearColumn(0)}$${r}:$${yearColumn(ctx.T - 1)}$${r},1,${k.S}+1)`;
  const sculpted = ctx.scenario.funding.sources.find((s) => s.id === id)?.debt?.repayment;
  const scheduled =
    sculpted === 'sculpted'
      ? sculptedPrincipal(ctx, id, t, k.cell('debt.targetDscr'))
      : profilePrincipal(k, base, interest);
  return `IF(${t}>=${k.M},${opening},IF(${t}>=${k.S},MIN(${opening},${scheduled}),0))`;
}

/**
 * Sculpted principal (src/domain/README.md, "Debt sculpting"): the cash the debt finds in the
 * waterfall (CFADS + residual, at least 0, less what the senior debts were owed) ÷ its target
 * DSCR, less the year's interest, to the fen and at least 0.
 */
function sculptedPrincipal(ctx: LedgerContext, id: string, t: number, target: string): string {
  const j = ctx.result.debts.findIndex((d) => d.id === id);
  const senior = ctx.result.debts
    .slice(0, j)
    .map((d) => ['fees', 'interest-paid', 'principal'].map((p) => at(ctx, `debt:${d.id}:${p}`, t)))
    .flat();
  const own = `MAX(0,${at(ctx, 'cfads', t)}+${at(ctx, 'residual-value', t)})`;
  const cash = senior.length === 0 ? own : `MAX(0,${own}-(${senior.join('+')}))`;
  return `MAX(0,${round2(`${cash}/${target}-${at(ctx, `debt:${id}:interest`, t)}`)})`;
}

/** Σ over the debts of one part in year t (0 without debt). */
export function sumDebts(ctx: LedgerContext, parts: string[], t: number): string {
  const cells = ctx.result.debts.flatMap((d) => parts.map((p) => at(ctx, `debt:${d.id}:${p}`, t)));
  return cells.length === 0 ? '0' : cells.join('+');
}
