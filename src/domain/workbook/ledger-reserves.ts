/**
 * Formula builders of the reserve lines of the Ledger sheet (src/domain/workbook/ledger-formulas.ts):
 * the DSRA, the major-maintenance reserve and the distribution lock-up, following
 * src/domain/engine/reserves.ts and `settleReserves` in simulate.ts (src/domain/README.md,
 * "Reserve accounts"), for funded shortfalls (every debt service due is paid, so the debt lines
 * do not depend on the cash).
 *
 * An operation year in cells: own cash C = max(0, CFADS + residual), owed O = fees + debt
 * service, DSRA brought forward B. The DSRA pays what the cash cannot: draw = min(B, max(0, O − C));
 * the cash left after debt service is max(0, C − O) (working row). The target is months ÷ 12 of
 * next year's interest and principal lines (0 in the last year and from the latest maturity),
 * half-up to the fen in fen; a balance above it is released into the cash, a gap filled from the
 * cash as far as it goes (working row: cash after the DSRA). The maintenance reserve pays the
 * year's spend as far as its balance goes and takes the scheduled contribution (working row: the
 * schedule, equal fen parts of the next spend over the years since the previous one, the spare
 * fen to the earliest) from the cash left, cut to it (working row: cash after it). The lock-up
 * holds that cash in a year whose DSCR is below its threshold (not in the last year) and releases
 * its balance in the next year at or above it.
 *
 * With unfunded shortfalls (ledger-arrears.ts) the debts take the year's own cash and the DSRA
 * brought forward together, by seniority, and leave L: the draw is max(0, B − L), the cash left
 * after debt service max(0, L − B); the target counts next year's principal due (not what is
 * paid), and the lock-up's DSCR divides by the debt service due.
 */
import { INPUTS_SHEET, TABLE_PLACEMENTS, columnLetters } from './inputs-layout';
import { inputItem, inputName, yearColumn, type LedgerContext } from './ledger-context';
import { cashAfterDebts, dsraBehind, serviceDue } from './ledger-arrears';

type YearFormula = (t: number) => string | null;

/** The reserve working rows below the ledger (one cell per year). */
export interface ReserveRows {
  /** Own cash left after debt service (the DSRA's draw aside). */
  cashAfterDebt: number;
  /** Cash left after the DSRA's release or top-up. */
  cashAfterDsra: number;
  /** The maintenance reserve's scheduled contribution. */
  maintenanceScheduled: number;
  /** Cash left after the maintenance contribution (before the lock-up). */
  cashAfterMaintenance: number;
}

const at = (ctx: LedgerContext, key: string, t: number) => `${yearColumn(t)}${ctx.row(key)}`;
const prev = (ctx: LedgerContext, key: string, t: number) =>
  t === 0 || !ctx.has(key) ? '0' : at(ctx, key, t - 1);
const w = (row: number, t: number) => `${yearColumn(t)}${row}`;

/** A column of the Inputs maintenance table over its reserved rows, `Inputs!$B$150:$B$199`. */
function maintenanceRange(column: string): string {
  const p = TABLE_PLACEMENTS.find((x) => x.table.key === 'maintenance')!;
  const c = columnLetters(p.table.columns.findIndex((f) => f.path.join('.') === column) + 2);
  return `${INPUTS_SHEET}!$${c}$${p.firstDataRow}:$${c}$${p.lastDataRow}`;
}

/** Own cash for debt service: CFADS + residual value, at least 0. */
export const ownCash = (ctx: LedgerContext, t: number) =>
  `MAX(0,${at(ctx, 'cfads', t)}+${at(ctx, 'residual-value', t)})`;

/** What the debts are owed in year t: fees plus debt service. */
export const owedBy = (ctx: LedgerContext, t: number) =>
  ctx.result.debts.length === 0
    ? '0'
    : `${ctx.result.debts.map((d) => at(ctx, `debt:${d.id}:fees`, t)).join('+')}+${at(ctx, 'debt-service', t)}`;

/** The DSRA balance brought into year t (0 without a DSRA). */
export const dsraIn = (ctx: LedgerContext, t: number) => prev(ctx, 'dsra-balance', t);

/** The year's major-maintenance spend, to the fen (0 in construction). */
export function maintenanceSpend(ctx: LedgerContext, t: number): string | null {
  if (t < ctx.C) return null;
  return `ROUND(SUMIF(${maintenanceRange('year')},${t - ctx.C + 1},${maintenanceRange('amountYuan')}),2)`;
}

/**
 * Scheduled contribution of operation year y = t − C + 1: with N the next spend year after y and
 * P the last spend year at or before y (0 if none), the spend of N in fen split in N − P − 1 equal
 * parts, the spare fen to the earliest years; nothing when y is a spend year or no spend follows.
 */
function scheduledContribution(ctx: LedgerContext, t: number): string {
  if (t < ctx.C) return '0';
  const y = t - ctx.C + 1;
  const years = maintenanceRange('year');
  const next = `SUMPRODUCT(MIN(${years}+(${years}<=${y})*1E9))`;
  const last = `SUMPRODUCT(MAX((${years}<=${y})*${years}))`;
  const fen = `ROUND(SUMIF(${years},${next},${maintenanceRange('amountYuan')})*100,0)`;
  const n = `(${next}-${last}-1)`;
  return `IF(OR(${next}>1E8,${last}=${y}),0,(INT(${fen}/${n})+IF(${y}-${last}-1<MOD(${fen},${n}),1,0))/100)`;
}

/**
 * DSRA target at the end of year t: months ÷ 12 of year t + 1's interest and principal due, to
 * the fen (in fen, so the midpoint is exact); 0 from the latest maturity.
 */
function dsraTarget(ctx: LedgerContext, t: number): string {
  const debts = ctx.result.debts;
  // Unfunded: the principal falling due next year (arrears are overdue, not scheduled).
  const principal = (id: string, j: number) =>
    ctx.arrearsRows
      ? w(ctx.arrearsRows(j).principalDue, t + 1)
      : at(ctx, `debt:${id}:principal`, t + 1);
  const next = debts
    .flatMap((d, j) => [at(ctx, `debt:${d.id}:interest`, t + 1), principal(d.id, j)])
    .join('+');
  const tenors = debts.map((d) =>
    inputItem(
      'sources',
      'debt.tenorYears',
      ctx.scenario.funding.sources.findIndex((s) => s.id === d.id),
    ),
  );
  const months = inputName('reserves.dsra.months');
  return `IF(${t}>=MAX(${tenors.join(',')})-1,0,ROUND(ROUND((${next})*100,0)*${months}/12,0)/100)`;
}

/** Whether year t's DSCR is below the lock-up threshold (exact to 1e-6 yuan), not in the last year. */
function lockedUp(ctx: LedgerContext, t: number): string {
  if (t === ctx.T - 1 || ctx.result.debts.length === 0) return 'FALSE';
  const ds = unfundedDebts(ctx) ? `(${serviceDue(ctx, t)})` : at(ctx, 'debt-service', t);
  return `AND(${ds}>0,ROUND(${at(ctx, 'cfads', t)}-${inputName('reserves.lockUp.minDscr')}*${ds},6)<0)`;
}

/** Whether the debts take the cash and the DSRA together, leaving arrears (unfunded shortfalls). */
const unfundedDebts = (ctx: LedgerContext) =>
  ctx.arrearsRows !== null && ctx.result.debts.length > 0;

/** The cash to distribute in year t: the cash after the reserves, less locked, plus released. */
export function cashToDistribute(ctx: LedgerContext, rows: ReserveRows, t: number): string {
  const cash = w(rows.cashAfterMaintenance, t);
  return ctx.has('lock-up-locked')
    ? `${cash}-${at(ctx, 'lock-up-locked', t)}+${at(ctx, 'lock-up-released', t)}`
    : cash;
}

/** The working rows' formulas per year (row → year formulas). */
export function reserveWorking(ctx: LedgerContext, rows: ReserveRows): Map<number, string[]> {
  const years = Array.from({ length: ctx.T }, (_, t) => t);
  const has = (k: string) => ctx.has(k);
  const cell = (k: string, t: number) => (has(k) ? at(ctx, k, t) : '0');
  const out = new Map<number, string[]>();
  out.set(
    rows.cashAfterDebt,
    years.map((t) =>
      unfundedDebts(ctx)
        ? `ROUND(MAX(0,${cashAfterDebts(ctx, t)}-${dsraBehind(ctx, t)}),2)`
        : `ROUND(MAX(0,${ownCash(ctx, t)}-(${owedBy(ctx, t)})),2)`,
    ),
  );
  out.set(
    rows.cashAfterDsra,
    years.map(
      (t) =>
        `ROUND(${w(rows.cashAfterDebt, t)}+${cell('dsra-release', t)}-${cell('dsra-contribution', t)},2)`,
    ),
  );
  out.set(
    rows.maintenanceScheduled,
    years.map((t) => scheduledContribution(ctx, t)),
  );
  out.set(
    rows.cashAfterMaintenance,
    years.map((t) => `ROUND(${w(rows.cashAfterDsra, t)}-${cell('maintenance-contribution', t)},2)`),
  );
  return out;
}

/** Builders of the reserve lines; undefined for a line that is not one. */
export function reserveLine(
  ctx: LedgerContext,
  key: string,
  rows: ReserveRows,
): YearFormula | undefined {
  const op =
    (f: (t: number) => string): YearFormula =>
    (t) =>
      t < ctx.C ? null : f(t);
  const equityFunded = `${inputName('reserves.dsra.funding')}="equity"`;
  const startOfOperation = (t: number) => t === ctx.C - 1;
  const target = (t: number) => at(ctx, 'dsra-target', t);
  // The balance after the year's draw, before the release or top-up.
  const afterDraw = (t: number) => `(${dsraIn(ctx, t)}-${at(ctx, 'dsra-draw', t)})`;
  const cashAfterDebt = (t: number) => w(rows.cashAfterDebt, t);
  switch (key) {
    case 'dsra-target':
      return (t) => {
        if (t === ctx.T - 1) return null;
        if (t >= ctx.C) return dsraTarget(ctx, t);
        return startOfOperation(t) ? `IF(${equityFunded},${dsraTarget(ctx, t)},0)` : null;
      };
    case 'dsra-equity':
      return (t) => (startOfOperation(t) ? target(t) : null);
    case 'dsra-draw':
      return op((t) =>
        unfundedDebts(ctx)
          ? `MAX(0,${dsraIn(ctx, t)}-(${cashAfterDebts(ctx, t)}))`
          : `MIN(${dsraIn(ctx, t)},MAX(0,${owedBy(ctx, t)}-${ownCash(ctx, t)}))`,
      );
    case 'dsra-release':
      return op((t) => `MAX(0,${afterDraw(t)}-${target(t)})`);
    case 'dsra-contribution':
      return op((t) => `MIN(${cashAfterDebt(t)},MAX(0,${target(t)}-${afterDraw(t)}))`);
    case 'dsra-balance':
      return (t) => {
        if (t >= ctx.C)
          return `${afterDraw(t)}-${at(ctx, 'dsra-release', t)}+${at(ctx, 'dsra-contribution', t)}`;
        return startOfOperation(t) ? `IF(${equityFunded},${target(t)},0)` : null;
      };
    case 'maintenance-spend':
      return (t) => maintenanceSpend(ctx, t);
    case 'maintenance-from-reserve':
      return op(
        (t) => `MIN(${prev(ctx, 'maintenance-balance', t)},${at(ctx, 'maintenance-spend', t)})`,
      );
    case 'maintenance-contribution':
      return op(
        (t) => `MIN(MAX(0,${w(rows.cashAfterDsra, t)}),${w(rows.maintenanceScheduled, t)})`,
      );
    case 'maintenance-balance':
      return op(
        (t) =>
          `${prev(ctx, 'maintenance-balance', t)}-${at(ctx, 'maintenance-from-reserve', t)}+${at(ctx, 'maintenance-contribution', t)}`,
      );
    case 'lock-up-locked':
      return op((t) => `IF(${lockedUp(ctx, t)},${w(rows.cashAfterMaintenance, t)},0)`);
    case 'lock-up-released':
      return op((t) => `IF(${lockedUp(ctx, t)},0,${prev(ctx, 'lock-up-balance', t)})`);
    case 'lock-up-balance':
      return op(
        (t) =>
          `${prev(ctx, 'lock-up-balance', t)}+${at(ctx, 'lock-up-locked', t)}-${at(ctx, 'lock-up-released', t)}`,
      );
    default:
      return undefined;
  }
}
