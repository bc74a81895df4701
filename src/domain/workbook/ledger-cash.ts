/**
 * Formula builders of the tax and cash lines of the Ledger sheet (src/domain/workbook/ledger-formulas.ts):
 * income tax after loss carry-forward (levered and without debt), CFADS, DSCR, the project flows,
 * the shortfall and who funds it, a single equity holder's flows, the surplus to the government
 * and the government's net outlay. They follow src/domain/engine/simulate.ts (`taxesOf`,
 * `taxAfterLosses`, `runYear`, `governmentYear`), with VAT (ledger-vat.ts), reserve accounts
 * (ledger-reserves.ts), waterfall tiers (ledger-waterfall.ts) and unfunded shortfalls
 * (ledger-arrears.ts, with reserves or a sculpted debt too).
 *
 * Loss carry-forward as a queue: losses join in year order and leave from the front, used (oldest
 * first) or expired (older than the carry-forward years). In cumulative terms, with CL_t the losses
 * up to year t and F_t what has left the queue by the end of year t, year t's front is
 * max(F_{t−1}, CL_{t−carry−1}), the losses available are CL_{t−1} − front, the loss used is
 * min(taxable income, available) when the income is positive, and F_t = front + used; the tax is
 * (taxable income − used) × rate, to the fen. Working rows hold CL, F and the loss used.
 */
import { yearColumn, inputName, roundFen, type LedgerContext } from './ledger-context';
import { cashAfterDebts, newArrears, serviceDue } from './ledger-arrears';
import { cashToDistribute, dsraIn, ownCash, owedBy } from './ledger-reserves';
import { paymentVat, surchargesOf } from './ledger-vat';

type YearFormula = (t: number) => string | null;

/** The working rows of the tax (levered, and without debt), below the ledger. */
export interface TaxRows {
  cumulativeLoss: number;
  front: number;
  used: number;
  depreciationNoDebt: number;
  taxableNoDebt: number;
  cumulativeLossNoDebt: number;
  frontNoDebt: number;
  usedNoDebt: number;
  /** Cash left after debt service, to the equity holders (or the government). */
  distributable: number;
}

/**
 * Whether the tax and cash lines can be formulas in this scenario: funded shortfalls, or unfunded
 * ones whose debt lines are formulas (src/domain/workbook/ledger-arrears.ts).
 */
export function cashFormulas(ctx: LedgerContext): boolean {
  return ctx.scenario.shortfall !== 'unfunded' || ctx.arrearsRows !== null;
}

const c = (ctx: LedgerContext, key: string, t: number) => `${yearColumn(t)}${ctx.row(key)}`;
const w = (row: number, t: number) => `${yearColumn(t)}${row}`;

/**
 * The working-row formulas of the loss queue of year t for taxable income `x` (a cell).
 * @returns the formulas of the cumulative loss, the front and the loss used
 */
function lossQueue(
  ctx: LedgerContext,
  rows: { cl: number; front: number; used: number },
  x: (t: number) => string,
  t: number,
): { cl: string; front: string; used: string } {
  if (t < ctx.C) return { cl: '0', front: '0', used: '0' };
  const carry = inputName('tax.lossCarryForwardYears');
  const prev = (row: number) => (t === 0 ? '0' : w(row, t - 1));
  const clRow = `$${yearColumn(0)}$${rows.cl}:$${yearColumn(ctx.T - 1)}$${rows.cl}`;
  // Losses of years before t − carry have expired: CL_{t−carry−1} (position t − carry).
  const expired = `IF(${t}-${carry}-1<0,0,INDEX(${clRow},1,MAX(1,${t}-${carry})))`;
  const front = `MAX(${prev(rows.front)},${expired})`;
  const used = `IF(${x(t)}>0,MIN(${x(t)},${prev(rows.cl)}-${front}),0)`;
  return {
    cl: `${prev(rows.cl)}+MAX(0,-${x(t)})`,
    front: `${front}+${w(rows.used, t)}`,
    used,
  };
}

/** Tax on taxable income `x` after the loss used, to the fen. */
const taxOf = (x: string, used: string) =>
  `IF(${x}>0,${roundFen(`(${x}-${used})*${inputName('tax.incomeTaxRate')}`)},0)`;

/** The year's operating result: revenue − data share − opex − major maintenance. */
function operating(ctx: LedgerContext, t: number): string {
  const maintenance = ctx.has('maintenance-spend') ? `-${c(ctx, 'maintenance-spend', t)}` : '';
  return `${c(ctx, 'total-revenue', t)}-${c(ctx, 'data-authority-share', t)}-${c(ctx, 'opex', t)}${maintenance}`;
}

/** The year's operating cash: the operating result, with VAT on + output VAT − VAT paid − surcharges. */
function operatingCash(ctx: LedgerContext, t: number): string {
  if (!ctx.has('vat-payable')) return operating(ctx, t);
  return `${operating(ctx, t)}+${c(ctx, 'output-vat', t)}-${c(ctx, 'vat-payable', t)}-(${surchargesOf(ctx, t)})`;
}

/**
 * What income tax is levied on before depreciation and interest: the operating result, with VAT
 * on + the operating cost's input VAT (not a cost) − surcharges (deductible).
 */
export function taxBase(ctx: LedgerContext, t: number): string {
  if (!ctx.has('vat-payable')) return operating(ctx, t);
  return `${operating(ctx, t)}+${c(ctx, 'input-vat', t)}-(${surchargesOf(ctx, t)})`;
}

/**
 * The working rows' formulas per year (row → year formulas), or null when the tax lines stay
 * engine values.
 */
export function taxWorking(ctx: LedgerContext, rows: TaxRows): Map<number, string[]> | null {
  if (!cashFormulas(ctx) || !ctx.depreciationBase) return null;
  const out = new Map<number, string[]>();
  const years = Array.from({ length: ctx.T }, (_, t) => t);
  const set = (row: number, f: (t: number) => string) => out.set(row, years.map(f));
  const lev = { cl: rows.cumulativeLoss, front: rows.front, used: rows.used };
  const unlev = { cl: rows.cumulativeLossNoDebt, front: rows.frontNoDebt, used: rows.usedNoDebt };
  const x = (t: number) => c(ctx, 'taxable-income', t);
  const xu = (t: number) => w(rows.taxableNoDebt, t);
  set(lev.cl, (t) => lossQueue(ctx, lev, x, t).cl);
  set(lev.front, (t) => lossQueue(ctx, lev, x, t).front);
  set(lev.used, (t) => lossQueue(ctx, lev, x, t).used);
  set(unlev.cl, (t) => lossQueue(ctx, unlev, xu, t).cl);
  set(unlev.front, (t) => lossQueue(ctx, unlev, xu, t).front);
  set(unlev.used, (t) => lossQueue(ctx, unlev, xu, t).used);
  // Depreciation of the capex alone (no construction borrowing costs), as `depreciationOf`.
  const O = ctx.T - ctx.C;
  const capexRow = ctx.row('capex');
  const inputVat = ctx.has('input-vat')
    ? `-SUM($B$${ctx.row('input-vat')}:$${yearColumn(ctx.C - 1)}$${ctx.row('input-vat')})`
    : '';
  const base = `(SUM($B$${capexRow}:$${yearColumn(ctx.C - 1)}$${capexRow})${inputVat})`;
  const D = `IF(${inputName('tax.depreciationYears')}="",${O},${inputName('tax.depreciationYears')})`;
  const fen = `ROUND(${base}*100,0)`;
  set(rows.depreciationNoDebt, (t) => {
    const k = t - ctx.C;
    if (k < 0) return '0';
    if (k === O - 1)
      return k === 0
        ? base
        : `ROUND(${base}-SUM(${w(rows.depreciationNoDebt, ctx.C)}:${w(rows.depreciationNoDebt, t - 1)}),2)`;
    return `IF(${k}<${D},(INT(${fen}/${D})+IF(${k}<MOD(${fen},${D}),1,0))/100,0)`;
  });
  set(rows.distributable, (t) => {
    if (ctx.reserveRows) return `ROUND(${cashToDistribute(ctx, ctx.reserveRows, t)},2)`;
    if (ctx.arrearsRows && ctx.result.debts.length > 0) return `ROUND(${cashAfterDebts(ctx, t)},2)`;
    return `ROUND(MAX(0,${ownCash(ctx, t)}-(${owedBy(ctx, t)})),2)`;
  });
  set(rows.taxableNoDebt, (t) =>
    t < ctx.C
      ? '0'
      : `ROUND(${taxBase(ctx, t)}+${c(ctx, 'residual-value', t)}-${w(rows.depreciationNoDebt, t)},2)`,
  );
  return out;
}

/**
 * Part i of `total` (a cell or expression, yuan) split over `weights` (expressions, ≥ 0, not all
 * 0) by largest remainder in fen (`allocateFen`: floors, then the spare fen to the largest
 * fractions, ties to the earlier part). Exact parts are taken to 1e-6 fen.
 */
export function allocatedPart(total: string, weights: readonly string[], i: number): string {
  const W = `(${weights.join('+')})`;
  const S = `ROUND(${total}*100,0)`;
  const e = (j: number) => `ROUND(${S}*${weights[j]}/${W},6)`;
  const f = (j: number) => `(${e(j)}-INT(${e(j)}))`;
  const spare = `(${S}-(${weights.map((_, j) => `INT(${e(j)})`).join('+')}))`;
  const rank = weights
    .flatMap((_, j) => {
      if (j === i) return [];
      return j < i ? [`IF(${f(j)}>=${f(i)},1,0)`] : [`IF(${f(j)}>${f(i)},1,0)`];
    })
    .join('+');
  return `(INT(${e(i)})+IF(${rank || '0'}<${spare},1,0))/100`;
}

/** The equity holders' weights: their committed amounts, or equal weights with none committed. */
export function holderWeights(ctx: LedgerContext): string[] {
  const holders = ctx.result.equityHolders;
  if (holders.every((h) => h.amount.isZero())) return holders.map(() => '1');
  return holders.map((h) =>
    ctx.amountCell(ctx.scenario.funding.sources.findIndex((s) => s.id === h.id)),
  );
}

/** Holder i's part of `total` pro rata to the commitments (the whole of it for a single holder). */
function allocated(ctx: LedgerContext, total: string, i: number): string {
  const weights = holderWeights(ctx);
  return weights.length === 1 ? total : allocatedPart(total, weights, i);
}

/** Builders of the tax and cash lines; null entries stay engine values. */
export function cashLine(
  ctx: LedgerContext,
  key: string,
  rows: TaxRows,
): YearFormula | null | undefined {
  if (!cashFormulas(ctx)) return undefined;
  const op =
    (f: (t: number) => string): YearFormula =>
    (t) =>
      t < ctx.C ? null : f(t);
  const holders = ctx.result.equityHolders;
  const pooled = !ctx.scenario.funding.waterfall;
  const cash = (t: number) => ownCash(ctx, t);
  const owed = (t: number) => owedBy(ctx, t);
  const left = (t: number) => w(rows.distributable, t);
  const policy = inputName('shortfall');
  switch (key) {
    case 'tax':
      return ctx.depreciationBase
        ? op((t) => taxOf(c(ctx, 'taxable-income', t), w(rows.used, t)))
        : undefined;
    case 'unlevered-tax':
      return ctx.depreciationBase
        ? op((t) => taxOf(w(rows.taxableNoDebt, t), w(rows.usedNoDebt, t)))
        : undefined;
    case 'cfads': {
      // The part of major maintenance paid from its reserve is not a charge on the year's cash.
      const fromReserve = (t: number) =>
        ctx.has('maintenance-from-reserve') ? `+${c(ctx, 'maintenance-from-reserve', t)}` : '';
      return op((t) => `${operatingCash(ctx, t)}-${c(ctx, 'tax', t)}${fromReserve(t)}`);
    }
    case 'project-flow-pre-tax':
      return (t) => `${operatingCash(ctx, t)}+${c(ctx, 'residual-value', t)}-${c(ctx, 'capex', t)}`;
    case 'project-flow':
      return (t) => `${c(ctx, 'project-flow-pre-tax', t)}-${c(ctx, 'unlevered-tax', t)}`;
    case 'dscr': {
      // Over the debt service due: paid in full when shortfalls are funded.
      const due = (t: number) =>
        ctx.arrearsRows && ctx.result.debts.length > 0
          ? `(${serviceDue(ctx, t)})`
          : c(ctx, 'debt-service', t);
      // The DSCR line's blank construction years: no formula, no value.
      return op((t) => `IF(${due(t)}>0,ROUND(${c(ctx, 'cfads', t)}/${due(t)},6),"—")`);
    }
    case 'shortfall':
      // Unfunded: the operating deficit plus the debts' new arrears.
      if (ctx.arrearsRows)
        return (t) =>
          `MAX(0,-(${c(ctx, 'cfads', t)}+${c(ctx, 'residual-value', t)}))${ctx.result.debts.length > 0 ? `+${newArrears(ctx, t)}` : ''}`;
      // The operating deficit plus what the cash and the DSRA could not pay of the debts.
      return (t) =>
        `MAX(0,-(${c(ctx, 'cfads', t)}+${c(ctx, 'residual-value', t)}))+MAX(0,${owed(t)}-${cash(t)}-${dsraIn(ctx, t)})`;
    case 'shortfall-government':
      return (t) => `IF(${policy}="government",${c(ctx, 'shortfall', t)},0)`;
    case 'shortfall-equity':
      return (t) => `IF(${policy}="equity",${c(ctx, 'shortfall', t)},0)`;
    case 'shortfall-unfunded':
      return (t) => `IF(${policy}="unfunded",${c(ctx, 'shortfall', t)},0)`;
    case 'surplus-to-government':
      return holders.length === 0 ? left : () => null;
    default:
      break;
  }
  const m = /^equity:(.+):(contribution|distribution)$/.exec(key);
  if (m) {
    const id = m[1]!;
    const i = holders.findIndex((h) => h.id === id);
    const share = (total: string) => allocated(ctx, total, i);
    if (m[2] === 'contribution')
      return (t) => `${c(ctx, `drawdown:${id}`, t)}+${share(c(ctx, 'shortfall-equity', t))}`;
    // Distributions through waterfall tiers: src/domain/workbook/ledger-waterfall.ts.
    return pooled ? (t) => share(left(t)) : undefined;
  }
  if (key === 'government-net') return governmentNet(ctx);
  return undefined;
}

/**
 * The government's net outlay (`governmentYear`): its grants' drawdowns, its equity's payments in
 * less distributions, the payments, its shortfall support, less the data share and the surplus,
 * plus its service of the general bonds.
 */
function governmentNet(ctx: LedgerContext): YearFormula | undefined {
  const { scenario, result } = ctx;
  const grants = scenario.funding.sources.filter(
    (s) => s.type === 'budget' || s.type === 'construction-subsidy',
  );
  const govEquity = result.equityHolders.filter(
    (h) => h.type === 'guided-fund-equity' || h.type === 'government-equity',
  );
  // The government pays the payments' output VAT with them; its equity pays its DSRA part.
  const vat = (key: string, t: number) =>
    ctx.has('output-vat') ? `+${paymentVat(ctx, key, t)}` : '';
  const dsra = (id: string, t: number) =>
    ctx.has('dsra-equity') && t === ctx.C - 1
      ? `+${allocated(
          ctx,
          c(ctx, 'dsra-equity', t),
          result.equityHolders.findIndex((h) => h.id === id),
        )}`
      : '';
  return (t) => {
    const parts = [
      ...grants.map((s) => `+${c(ctx, `drawdown:${s.id}`, t)}`),
      ...govEquity.map(
        (h) =>
          `+${c(ctx, `equity:${h.id}:contribution`, t)}${dsra(h.id, t)}-${c(ctx, `equity:${h.id}:distribution`, t)}`,
      ),
      `+${c(ctx, 'operating-subsidy', t)}${vat('operating-subsidy', t)}+${c(ctx, 'availability-payment', t)}${vat('availability-payment', t)}`,
      `+${c(ctx, 'shortfall-government', t)}-${c(ctx, 'data-authority-share', t)}-${c(ctx, 'surplus-to-government', t)}`,
      // The general budget's service of the general bonds (README "General bonds").
      ...(ctx.has('gov-debt-service') ? [`+${c(ctx, 'gov-debt-service', t)}`] : []),
    ];
    return parts.join('').replace(/^\+/, '');
  };
}
