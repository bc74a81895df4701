/**
 * The Ledger sheet of a scenario workbook as formulas: for each ledger line (the lines of
 * {@link ledgerLines}, same order) and each year, the Excel formula that recomputes the engine's
 * amount from the Inputs sheet and the rows above, with ROUND(…, 2) exactly where the engine
 * posts an amount to the fen (src/domain/engine/simulate.ts), or no formula where a rule is not
 * a plain formula (the cell then holds the engine's value, marked, and the line is listed on the
 * Notes sheet).
 *
 * The timeline (construction and operation years) and the lengths of the lists shape the sheet:
 * a year's formula is written for its place (construction or operation year k). Rates, amounts,
 * growth, ramp-up, terms and the other inputs are read from the Inputs cells, so changing one of
 * them and recomputing gives the engine's figures for the changed scenario.
 *
 * Pure: strings only; src/store/xlsx writes them with exceljs.
 */
import type { Dec } from '../decimal';
import { ledgerLines, type LedgerLine } from '../engine/ledger-table';
import { compiled } from '../engine/simulate';
import type { SimulationResult } from '../engine/types';
import type { Scenario } from '../scenario/schema';
import { inputItem, inputName, yearColumn, type LedgerContext } from './ledger-context';
import { cashFormulas, cashLine, taxBase, taxWorking, type TaxRows } from './ledger-cash';
import {
  ARREARS_ROWS,
  arrearsFormulas,
  arrearsLine,
  arrearsWorking,
  type ArrearsRows,
} from './ledger-arrears';
import { reserveLine, reserveWorking, type ReserveRows } from './ledger-reserves';
import { vatLine } from './ledger-vat';
import {
  preferredHolders,
  waterfallLine,
  waterfallWorking,
  type WaterfallRows,
} from './ledger-waterfall';
import { debtLine, drawdown, sumDebts } from './ledger-debt';
import { generalBondLine, generalBondService } from './ledger-general-bond';

export { inputItem, inputName, yearColumn, type LedgerContext } from './ledger-context';

/** The Ledger sheet's name (formulas of the Metrics sheet refer to it). */
export const LEDGER_SHEET = 'Ledger';
/** First data row of the Ledger sheet (row 1 holds the years). */
export const LEDGER_FIRST_ROW = 2;

/**
 * One cell of a ledger line: a formula (without `=`) with the engine's value as its cached
 * result, a structural 0 (no such amount in that year by the layout, e.g. capex in operation), or
 * the engine's value alone (`engine`).
 */
export type LedgerCell =
  | { kind: 'formula'; formula: string; value: Dec | null }
  | { kind: 'zero' }
  | { kind: 'engine'; value: Dec | null };

/** One line of the Ledger sheet. */
export interface LedgerSheetLine {
  line: LedgerLine;
  /** 1-based sheet row. */
  row: number;
  cells: LedgerCell[];
  /** True when every cell is a formula or a structural 0. */
  formulas: boolean;
}

/** A year's formula, `'0'`-free: null for a structural 0. */
type YearFormula = (t: number) => string | null;
/** A line's formula per year, or null when the line stays engine values. */
type Builder = (ctx: LedgerContext, line: LedgerLine) => YearFormula | null;

const round2 = (x: string) => `ROUND(${x},2)`;

/** `(1+g)^k` of an optional rate cell (an empty cell is 0). */
const grown = (rate: string, k: number) => (k === 0 ? '' : `*(1+${rate})^${k}`);

/** The ramp-up factor of operation year k of a stream: its cell, or 1 when empty or past it. */
function rampUp(stream: number, k: number): string {
  if (k >= 10) return '';
  const c = inputItem('revenues', `rampUp.${k}`, stream);
  return `*IF(${c}="",1,${c})`;
}

const operationYear = (ctx: LedgerContext, t: number): number | null =>
  t < ctx.C ? null : t - ctx.C;

/** Capex: the Inputs' construction-year amounts, to the fen. */
const capex: Builder = (ctx) => (t) =>
  t < ctx.C && t < 10 ? round2(inputItem('capex', '', t)) : null;

/** Revenue of a user-fee or other stream: base × growth × escalation × ramp-up, to the fen. */
const revenue: Builder = (ctx, line) => {
  const i = Number(line.key.split(':')[1]) - 1;
  const stream = ctx.scenario.revenues[i];
  if (!stream) return null;
  if (stream.kind === 'public-data') return publicDataRevenue(ctx, i);
  const cell = (c: string) => inputItem('revenues', c, i);
  return (t) => {
    const k = operationYear(ctx, t);
    if (k === null) return null;
    const base =
      stream.kind === 'user-fee'
        ? `${cell('unitPriceYuan')}*${cell('annualVolume')}${grown(cell('volumeGrowth'), k)}${grown(cell('priceEscalation'), k)}`
        : `${cell('annualYuan')}${grown(cell('growth'), k)}`;
    return round2(`${base}${rampUp(i, k)}`);
  };
};

/** Gross income of a public-data stream in operation year k, to the fen (before its ceiling). */
export function publicDataGross(i: number, k: number): string {
  const cell = (c: string) => inputItem('revenues', c, i);
  return round2(`${cell('annualIncomeYuan')}${grown(cell('growth'), k)}${rampUp(i, k)}`);
}

/** A public-data stream's ceiling of year t: opex × share × (1 + profit) × (1 + tax), to the fen. */
export function publicDataCeiling(ctx: LedgerContext, i: number, t: number): string {
  const cell = (c: string) => inputItem('revenues', c, i);
  return round2(
    `${yearColumn(t)}${ctx.row('opex')}*${cell('costBaseShare')}*(1+${cell('allowedProfitRate')})*(1+${cell('taxRate')})`,
  );
}

/**
 * Public-data revenue (src/domain/README.md, "Public-data ceiling"): the gross income (working
 * row) less the excess over the ceiling carried from earlier years (working row), at most the
 * gross; the last year refunds the carried excess and its own at once.
 */
function publicDataRevenue(ctx: LedgerContext, i: number): YearFormula {
  const rows = ctx.dataRows(i);
  return (t) => {
    if (t < ctx.C) return null;
    const gross = `${yearColumn(t)}${rows.gross}`;
    const carried = t === 0 ? '0' : `${yearColumn(t - 1)}${rows.carry}`;
    if (t === ctx.T - 1)
      return `${gross}-${carried}-MAX(0,${gross}-${publicDataCeiling(ctx, i, t)})`;
    return `${gross}-MIN(${gross},${carried})`;
  };
}

/** Operating subsidy: annual × (1 + escalation)^k for its years (all operation years by default). */
const operatingSubsidy: Builder = (ctx) => {
  if (!ctx.scenario.government.operatingSubsidy) return () => null;
  const n = (p: string) => inputName(`government.operatingSubsidy.${p}`);
  const years = `IF(${n('years')}="",${inputName('timeline.operationYears')},${n('years')})`;
  return (t) => {
    const k = operationYear(ctx, t);
    if (k === null) return null;
    return `IF(${k}<${years},${round2(`${n('annualYuan')}${grown(n('escalation'), k)}`)},0)`;
  };
};

/** Σ of whole ledger rows of these keys (a source's drawdowns over all years, …). */
const rowSums = (ctx: LedgerContext, keys: string[]) =>
  keys.length === 0
    ? '0'
    : keys.map((k) => `SUM($B$${ctx.row(k)}:$${yearColumn(ctx.T - 1)}$${ctx.row(k)})`).join('+');

/**
 * Availability payment (MoF formula or annuity, src/domain/README.md "Availability payment"):
 * the capital part plus O × (1 + p) − U, 0 below 0 or after its period, then to the fen.
 */
const availabilityPayment: Builder = (ctx) => {
  const ap = ctx.scenario.government.availabilityPayment;
  if (!ap) return () => null;
  const n = (p: string) => inputName(`government.availabilityPayment.${p}`);
  const grants = ctx.scenario.funding.sources.flatMap((s) =>
    s.type === 'budget' || s.type === 'construction-subsidy' ? [`drawdown:${s.id}`] : [],
  );
  const capexSum = `SUM($B$${ctx.row('capex')}:$${yearColumn(ctx.T - 1)}$${ctx.row('capex')})`;
  const cost = `IF(${n('constructionCostYuan')}="",${capexSum}-(${rowSums(ctx, grants)}),${n('constructionCostYuan')})`;
  const p = n('profitRate');
  const ka = `IF(${n('annuityRate')}="",${p},${n('annuityRate')})`;
  const N = n('periodYears');
  const annuity = `IF(${ka}=0,${cost}/${N},${cost}*${ka}*(1+${ka})^${N}/((1+${ka})^${N}-1))`;
  const revenueRows = ctx.result.streams.map((_, i) => `revenue:${i + 1}`);
  return (t) => {
    const k = operationYear(ctx, t);
    if (k === null) return null;
    const c = yearColumn(t);
    const mof = `${cost}*(1+${p})*(1+${n('discountRate')})^(${k}+${n('firstIndex')})/${N}`;
    const userFees =
      revenueRows.length === 0
        ? '0'
        : `SUM(${c}${ctx.row(revenueRows[0]!)}:${c}${ctx.row(revenueRows[revenueRows.length - 1]!)})-${c}${ctx.row('data-authority-share')}`;
    const raw = `IF(${n('method')}="annuity",${annuity},${mof})+IF(${n('includeOperatingCost')},${c}${ctx.row('opex')},0)*(1+${p})-IF(${n('deductUserFees')},${userFees},0)`;
    return `IF(${k}<${N},IF(${raw}<0,0,${round2(raw)}),0)`;
  };
};

/** Total revenue: the streams, the operating subsidy and the availability payment. */
const totalRevenue: Builder = (ctx) => {
  const first = ctx.result.streams.length > 0 ? 'revenue:1' : 'operating-subsidy';
  return (t) => {
    const c = yearColumn(t);
    return `SUM(${c}${ctx.row(first)}:${c}${ctx.row('availability-payment')})`;
  };
};

/** The data authority's share of each public-data stream's revenue, to the fen, summed. */
const dataAuthorityShare: Builder = (ctx) => {
  const data = ctx.scenario.revenues.flatMap((r, i) => (r.kind === 'public-data' ? [i] : []));
  if (data.length === 0) return () => null;
  return (t) => {
    if (t < ctx.C) return null;
    const c = yearColumn(t);
    return data
      .map((i) =>
        round2(`${c}${ctx.row(`revenue:${i + 1}`)}*${inputItem('revenues', 'authorityShare', i)}`),
      )
      .join('+');
  };
};

/** Operating cost: annual × (1 + escalation)^k, to the fen. */
const opex: Builder = (ctx) => (t) => {
  const k = operationYear(ctx, t);
  if (k === null) return null;
  return round2(
    `${inputName('operatingCost.annualYuan')}${grown(inputName('operatingCost.escalation'), k)}`,
  );
};

/** Residual value in the last year, to the fen. */
const residualValue: Builder = (ctx) => (t) =>
  t === ctx.T - 1 ? round2(`${inputName('residualValueYuan')}`) : null;

/** Total debt service paid: interest paid and principal repaid, over the debts. */
const debtService: Builder = (ctx) => (t) =>
  ctx.result.debts.length === 0 ? null : sumDebts(ctx, ['interest-paid', 'principal'], t);

/** Interest expense of an operation year (construction interest is part of the asset). */
const interestExpense: Builder = (ctx) => (t) =>
  t < ctx.C || ctx.result.debts.length === 0 ? null : sumDebts(ctx, ['interest'], t);

/**
 * Depreciation (src/domain/README.md, "Depreciation"): the base (working cell) straight line
 * over the depreciation years in fen, the spare fen to the earliest years, the rest written off
 * in the last operation year.
 */
const depreciation: Builder = (ctx) => {
  if (!ctx.depreciationBase) return null;
  const base = ctx.depreciationBase;
  const O = ctx.T - ctx.C;
  const years = inputName('tax.depreciationYears');
  const D = `IF(${years}="",${O},${years})`;
  const fen = `ROUND(${base}*100,0)`;
  const r = ctx.row('depreciation');
  return (t) => {
    const k = operationYear(ctx, t);
    if (k === null) return null;
    if (k === O - 1)
      return k === 0 ? base : `${base}-SUM(${yearColumn(ctx.C)}${r}:${yearColumn(t - 1)}${r})`;
    return `IF(${k}<${D},(INT(${fen}/${D})+IF(${k}<MOD(${fen},${D}),1,0))/100,0)`;
  };
};

/** Taxable income of an operation year: operating result + residual − depreciation − interest. */
const taxableIncome: Builder = (ctx) => (t) => {
  if (t < ctx.C) return null;
  const c = (key: string) => `${yearColumn(t)}${ctx.row(key)}`;
  return `${taxBase(ctx, t)}+${c('residual-value')}-${c('depreciation')}-${c('interest-expense')}`;
};

/**
 * Every ledger amount is posted in fen: sums and differences of posted amounts are exact in the
 * engine, but a spreadsheet adds them in binary floating point (979289031.68 + … reads back as
 * 979289031.680001), so an amount's formula is rounded to the fen unless it already is.
 */
function posted(formula: string): string {
  if (/^ROUND\(.*,2\)$/.test(formula) && balanced(formula.slice(6, -3))) return formula;
  return `ROUND(${formula},2)`;
}

/** Whether the parentheses of a formula part pair up (so `ROUND(a,2)+ROUND(b,2)` is not one call). */
function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The formula builder of each line key (by the key's first part for per-item lines). */
const BUILDERS: Record<string, Builder> = {
  drawdown: (ctx, line) => drawdown(ctx, line.key.slice('drawdown:'.length)),
  debt: (ctx, line) => {
    const [, id, part] = line.key.split(':') as [string, string, string];
    return (ctx.arrearsRows && arrearsLine(ctx, id, part)) || debtLine(ctx, id, part);
  },
  'gov-debt': (ctx, line) => {
    const [, id, part] = line.key.split(':') as [string, string, string];
    return generalBondLine(ctx, id, part);
  },
  'gov-debt-service': (ctx) => generalBondService(ctx),
  'debt-service': debtService,
  'interest-expense': interestExpense,
  depreciation,
  'taxable-income': taxableIncome,
  capex,
  revenue,
  'operating-subsidy': operatingSubsidy,
  'availability-payment': availabilityPayment,
  'total-revenue': totalRevenue,
  'data-authority-share': dataAuthorityShare,
  opex,
  'residual-value': residualValue,
};

const builderOf = (key: string): Builder | undefined =>
  BUILDERS[key] ?? BUILDERS[key.split(':')[0] as string];

/**
 * The Ledger sheet: every ledger line of the run, each year a formula, a structural 0 or the
 * engine's value (see {@link LedgerCell}); a line is formula-driven when its builder exists and
 * gives a formula or a structural 0 for every year.
 */
export function ledgerSheet(scenario: Scenario, result: SimulationResult): LedgerSheetLine[] {
  const lines = ledgerLines(result);
  const { ctx, work } = contextOf(scenario, result, lines);
  return lines.map((line, i) => {
    const perYear = lineFormula(ctx, work, line);
    const cells: LedgerCell[] = line.values.map((value, t) => {
      if (!perYear) return { kind: 'engine', value };
      const formula = perYear(t);
      // No formula where the engine has no figure (the DSCR of construction years): blank.
      if (formula === null) return value === null ? { kind: 'engine', value } : { kind: 'zero' };
      return {
        kind: 'formula',
        formula: line.kind === 'amount' ? posted(formula) : formula,
        value,
      };
    });
    return { line, row: LEDGER_FIRST_ROW + i, cells, formulas: perYear !== null };
  });
}

/** A line's formula per year, or null when it stays engine values. */
function lineFormula(
  ctx: LedgerContext,
  work: WorkingLayout,
  line: LedgerLine,
): YearFormula | null {
  const vat = vatLine(ctx, line.key);
  if (vat) return vat;
  const reserve = ctx.reserveRows ? reserveLine(ctx, line.key, ctx.reserveRows) : undefined;
  if (reserve) return reserve;
  const tiers = cashFormulas(ctx)
    ? waterfallLine(ctx, line.key, work.tax.distributable)
    : undefined;
  if (tiers) return tiers;
  const cash = cashLine(ctx, line.key, work.tax);
  if (cash !== undefined) return cash;
  const build = builderOf(line.key);
  return build ? build(ctx, line) : null;
}

/** The builders' context and the working block's layout of a run's ledger lines. */
function contextOf(
  scenario: Scenario,
  result: SimulationResult,
  lines: readonly LedgerLine[],
): { ctx: LedgerContext; work: WorkingLayout } {
  const rows = new Map(lines.map((l, i) => [l.key, LEDGER_FIRST_ROW + i]));
  const work = workingLayout(scenario, lines.length);
  const ctx: LedgerContext = {
    scenario,
    result,
    C: scenario.timeline.constructionYears,
    T: result.ledger.length,
    row(key) {
      const r = rows.get(key);
      if (r === undefined) throw new Error(`No ledger line ${key}`);
      return r;
    },
    has: (key) => rows.has(key),
    amountCell: (i) => `$G$${work.sourceRow(i)}`,
    depreciationBase: `$B$${work.depreciationBaseRow}`,
    dataRows: (i) => work.dataRows(i),
    reserveRows: result.ledger[0]?.reserves ? work.reserves : null,
    waterfallRows: (i) => work.waterfall(i),
    arrearsRows: arrearsFormulas({ scenario }) ? (j) => work.arrears(j) : null,
  };
  return { ctx, work };
}

/** Where the working cells are: a block two rows below the last ledger line. */
export interface WorkingLayout {
  headerRow: number;
  sourceRow(i: number): number;
  capexFenRow: number;
  depreciationBaseRow: number;
  /** The loss carry-forward's rows (src/domain/workbook/ledger-cash.ts). */
  tax: TaxRows;
  /** Public-data stream i's gross income and carried excess rows. */
  dataRows(i: number): { gross: number; carry: number };
  /** The reserve accounts' rows (src/domain/workbook/ledger-reserves.ts). */
  reserves: ReserveRows;
  /** Preferred equity holder i's rows (src/domain/workbook/ledger-waterfall.ts). */
  waterfall(i: number): WaterfallRows;
  /** Debt j's rows with unfunded shortfalls (src/domain/workbook/ledger-arrears.ts). */
  arrears(j: number): ArrearsRows;
}

/** The working block's rows for a scenario whose ledger has `lineCount` lines. */
export function workingLayout(scenario: Scenario, lineCount: number): WorkingLayout {
  const headerRow = LEDGER_FIRST_ROW + lineCount + 1;
  const n = scenario.funding.sources.length;
  // After the public-data streams' rows.
  const after = headerRow + 12 + n + 2 * scenario.revenues.length;
  return {
    headerRow,
    sourceRow: (i) => headerRow + 1 + i,
    capexFenRow: headerRow + 1 + n,
    depreciationBaseRow: headerRow + 2 + n,
    tax: {
      cumulativeLoss: headerRow + 3 + n,
      front: headerRow + 4 + n,
      used: headerRow + 5 + n,
      depreciationNoDebt: headerRow + 6 + n,
      taxableNoDebt: headerRow + 7 + n,
      cumulativeLossNoDebt: headerRow + 8 + n,
      frontNoDebt: headerRow + 9 + n,
      usedNoDebt: headerRow + 10 + n,
      distributable: headerRow + 11 + n,
    },
    dataRows: (i) => ({ gross: headerRow + 12 + n + 2 * i, carry: headerRow + 13 + n + 2 * i }),
    reserves: {
      cashAfterDebt: after,
      cashAfterDsra: after + 1,
      maintenanceScheduled: after + 2,
      cashAfterMaintenance: after + 3,
    },
    waterfall: (i) => ({ owed: after + 4 + 2 * i, unreturned: after + 5 + 2 * i }),
    arrears: (j) => {
      const r = after + 4 + 2 * n + ARREARS_ROWS * j;
      return { cashIn: r, feeDue: r + 1, notDue: r + 2, principalDue: r + 3, owed: r + 4 };
    },
  };
}

/** A working cell: column letter, formula, cached value. */
export interface WorkingCell {
  col: string;
  formula: string;
  value: number;
}

/** One row of working cells, labelled in column A. */
export interface WorkingRow {
  row: number;
  label: { en: string; zh: string };
  cells: WorkingCell[];
}

/**
 * The working cells below the ledger: each source's committed amount by the largest-remainder
 * split of the capex over the sources' weights (`allocate`, src/domain/allocate.ts: the amount, or
 * the share × the capex), in fen: B weight, C the exact part (to 1e-6 fen, which no float noise
 * reaches), D its floor, E the fraction, F its rank (larger fractions first, ties to the earlier
 * source), G the amount (the floor plus one fen for the ranks below the spare fen); then the capex
 * and the spare fen, and the depreciable base.
 */
export function workingRows(
  scenario: Scenario,
  result: SimulationResult,
  lines: readonly LedgerSheetLine[],
): WorkingRow[] {
  const w = workingLayout(scenario, lines.length);
  const n = scenario.funding.sources.length;
  const rowOf = (key: string) => lines.find((l) => l.line.key === key)!.row;
  const C = scenario.timeline.constructionYears;
  const capexRow = rowOf('capex');
  const capexSum = `SUM($B$${capexRow}:$${yearColumn(Math.max(0, C - 1))}$${capexRow})`;
  const first = w.sourceRow(0);
  const last = w.sourceRow(n - 1);
  const fenCell = `$B$${w.capexFenRow}`;
  const spare = `$C$${w.capexFenRow}`;
  const total = result.metrics.totalInvestment.toNumber();
  const weights = scenario.funding.sources.map((s) =>
    s.amountYuan !== undefined ? Number(s.amountYuan) : total * Number(s.share ?? '0'),
  );
  const W = weights.reduce((a, b) => a + b, 0);
  const rows: WorkingRow[] = scenario.funding.sources.map((s, i) => {
    const r = w.sourceRow(i);
    const amount = inputItem('sources', 'amountYuan', i);
    const share = inputItem('sources', 'share', i);
    const exact = W === 0 ? 0 : (total * 100 * weights[i]!) / W;
    return {
      row: r,
      label: { en: `Committed: ${s.name}`, zh: `承诺金额：${s.name}` },
      cells: [
        {
          col: 'B',
          formula: `IF(${amount}<>"",${amount},${capexSum}*${share})`,
          value: weights[i]!,
        },
        {
          col: 'C',
          formula: `IF(SUM($B$${first}:$B$${last})=0,0,ROUND(${fenCell}*B${r}/SUM($B$${first}:$B$${last}),6))`,
          value: exact,
        },
        { col: 'D', formula: `INT(C${r})`, value: Math.floor(exact) },
        { col: 'E', formula: `C${r}-D${r}`, value: exact - Math.floor(exact) },
        {
          col: 'F',
          formula: `SUMPRODUCT(--($E$${first}:$E$${last}>E${r}))+SUMPRODUCT(--($E$${first}:$E$${last}=E${r}),--(ROW($E$${first}:$E$${last})<${r}))`,
          value: 0,
        },
        {
          col: 'G',
          formula: `(D${r}+IF(F${r}<${spare},1,0))/100`,
          value: result.sources[i]!.amount.toNumber(),
        },
      ],
    };
  });
  rows.push({
    row: w.capexFenRow,
    label: { en: 'Capex in fen; spare fen', zh: '建设投资（分）；余数（分）' },
    cells: [
      { col: 'B', formula: `ROUND(${capexSum}*100,0)`, value: Math.round(total * 100) },
      { col: 'C', formula: `${fenCell}-SUM($D$${first}:$D$${last})`, value: 0 },
    ],
  });
  const ctxRows = new Map(lines.map((l) => [l.line.key, l.row]));
  const span = (key: string) => {
    const r = ctxRows.get(key)!;
    return `SUM($B$${r}:$${yearColumn(Math.max(0, C - 1))}$${r})`;
  };
  // Construction borrowing costs: interest and the fees falling due, paid or not.
  const feeDue = (j: number) => {
    const r = w.arrears(j).feeDue;
    return `SUM($B$${r}:$${yearColumn(Math.max(0, C - 1))}$${r})`;
  };
  const unfunded = arrearsFormulas({ scenario });
  const costs = result.debts.flatMap((d, j) => [
    span(`debt:${d.id}:interest`),
    unfunded ? feeDue(j) : span(`debt:${d.id}:fees`),
  ]);
  const inputVat = ctxRows.has('input-vat') ? `-${span('input-vat')}` : '';
  const base = result.ledger
    .slice(C)
    .reduce((a, y) => a.plus(y.depreciation), result.ledger[0]!.depreciation.times(0));
  rows.push({
    row: w.depreciationBaseRow,
    label: { en: 'Depreciable base', zh: '折旧基数' },
    cells: [
      {
        col: 'B',
        formula: `${capexSum}${inputVat}${costs.length ? `+${costs.join('+')}` : ''}`,
        value: base.toNumber(),
      },
    ],
  });
  // One context for the working rows' builders.
  const { ctx } = contextOf(
    scenario,
    result,
    lines.map((l) => l.line),
  );
  rows.push(...taxWorkingRows(ctx, w));
  rows.push(...dataWorkingRows(ctx));
  rows.push(...reserveWorkingRows(ctx));
  rows.push(...waterfallWorkingRows(ctx));
  rows.push(...arrearsWorkingRows(ctx));
  return rows;
}

const TAX_LABELS: Record<keyof TaxRows, { en: string; zh: string }> = {
  cumulativeLoss: { en: 'Tax losses, cumulative', zh: '累计亏损' },
  front: { en: 'Tax losses used or expired, cumulative', zh: '累计已弥补或过期亏损' },
  used: { en: 'Tax loss used', zh: '本年弥补亏损' },
  depreciationNoDebt: { en: 'Depreciation without debt', zh: '无融资折旧' },
  taxableNoDebt: { en: 'Taxable income without debt', zh: '无融资应纳税所得额' },
  cumulativeLossNoDebt: { en: 'Tax losses without debt, cumulative', zh: '无融资累计亏损' },
  frontNoDebt: {
    en: 'Tax losses without debt used or expired, cumulative',
    zh: '无融资累计已弥补或过期亏损',
  },
  usedNoDebt: { en: 'Tax loss without debt used', zh: '无融资本年弥补亏损' },
  distributable: { en: 'Cash left after debt service', zh: '偿债后可分配现金' },
};

/** The loss carry-forward's working rows, one cell per year, with cached values. */
function taxWorkingRows(ctx: LedgerContext, w: WorkingLayout): WorkingRow[] {
  const { scenario, result } = ctx;
  const formulas = taxWorking(ctx, w.tax);
  if (!formulas) return [];
  const cache = taxCache(scenario, result);
  return keyedRows(
    w.tax,
    formulas,
    (k) => TAX_LABELS[k],
    (k, t) => cache[k][t] ?? 0,
  );
}

/**
 * Working rows laid out by a record of row numbers (`rows`), each labelled and holding its
 * formulas (by row) and the cached value of year t.
 */
function keyedRows<K extends string>(
  rows: Record<K, number>,
  formulas: ReadonlyMap<number, readonly string[]>,
  label: (k: K) => WorkingRow['label'],
  value: (k: K, t: number) => number,
): WorkingRow[] {
  return (Object.keys(rows) as K[]).map((k) => ({
    row: rows[k],
    label: label(k),
    cells: formulas.get(rows[k])!.map((formula, t) => ({
      col: yearColumn(t),
      formula,
      value: value(k, t),
    })),
  }));
}

/** The working rows' values recomputed from the run (the cached values of their formulas). */
function taxCache(scenario: Scenario, result: SimulationResult): Record<keyof TaxRows, number[]> {
  const C = scenario.timeline.constructionYears;
  const T = result.ledger.length;
  const O = T - C;
  const carry = scenario.tax.lossCarryForwardYears;
  const D = scenario.tax.depreciationYears ?? O;
  // The capex less its creditable input VAT (src/domain/README.md, "Indirect taxes").
  const capexFen = result.ledger
    .slice(0, C)
    .reduce(
      (a, y) =>
        a +
        Math.round(y.capex.toNumber() * 100) -
        Math.round((y.indirectTax?.inputVat.toNumber() ?? 0) * 100),
      0,
    );
  const depU = result.ledger.map((_, t) => {
    const k = t - C;
    if (k < 0) return 0;
    return k < D ? Math.trunc(capexFen / D) + (k < capexFen % D ? 1 : 0) : 0;
  });
  const spent = depU.slice(C, T - 1).reduce((a, b) => a + b, 0);
  depU[T - 1] = capexFen - spent;
  const fen = (d: Dec) => Math.round(d.toNumber() * 100);
  const xu = result.ledger.map((y, t) =>
    t < C
      ? 0
      : fen(y.totalRevenue) -
        fen(y.dataAuthorityShare.reduce((a, b) => a.plus(b), y.opex.times(0))) -
        fen(y.opex) -
        fen(y.reserves?.maintenance?.spend ?? y.opex.times(0)) +
        fen(y.indirectTax?.inputVat ?? y.opex.times(0)) -
        fen(y.indirectTax?.surcharges ?? y.opex.times(0)) +
        fen(y.residualValue) -
        depU[t]!,
  );
  const queue = (x: number[]) => {
    const cl: number[] = [];
    const front: number[] = [];
    const used: number[] = [];
    x.forEach((v, t) => {
      if (t < C) {
        cl.push(0);
        front.push(0);
        used.push(0);
        return;
      }
      const prevCl = cl[t - 1] ?? 0;
      const f = Math.max(front[t - 1] ?? 0, t - carry - 1 < 0 ? 0 : (cl[t - carry - 1] ?? 0));
      const u = v > 0 ? Math.min(v, prevCl - f) : 0;
      cl.push(prevCl + Math.max(0, -v));
      front.push(f + u);
      used.push(u);
    });
    return { cl, front, used };
  };
  const lev = queue(result.ledger.map((y) => fen(y.taxableIncome)));
  const unlev = queue(xu);
  const yuan = (xs: number[]) => xs.map((v) => v / 100);
  return {
    cumulativeLoss: yuan(lev.cl),
    front: yuan(lev.front),
    used: yuan(lev.used),
    depreciationNoDebt: yuan(depU),
    taxableNoDebt: yuan(xu),
    cumulativeLossNoDebt: yuan(unlev.cl),
    frontNoDebt: yuan(unlev.front),
    usedNoDebt: yuan(unlev.used),
    distributable: result.ledger.map((y) =>
      y.equity.reduce((a, e) => a + e.distribution.toNumber(), y.surplusToGovernment.toNumber()),
    ),
  };
}

/**
 * Each public-data stream's working rows: its gross income, and the excess over the ceiling
 * still to deduct at the end of the year (carried − deducted + the year's excess; 0 in the last).
 */
function dataWorkingRows(ctx: LedgerContext): WorkingRow[] {
  const { scenario, result } = ctx;
  const out: WorkingRow[] = [];
  scenario.revenues.forEach((r, i) => {
    if (r.kind !== 'public-data') return;
    const rows = ctx.dataRows(i);
    const years = result.ledger.map((_, t) => t);
    const gross = years.map((t) => (t < ctx.C ? '0' : publicDataGross(i, t - ctx.C)));
    const carry = years.map((t) => {
      if (t < ctx.C || t === ctx.T - 1) return '0';
      const g = `${yearColumn(t)}${rows.gross}`;
      const carried = t === 0 ? '0' : `${yearColumn(t - 1)}${rows.carry}`;
      return `ROUND(${carried}-MIN(${g},${carried})+MAX(0,${g}-${publicDataCeiling(ctx, i, t)}),2)`;
    });
    // Cached values: the engine's posted gross income, the carry replayed in fen.
    const model = compiled(scenario);
    const share =
      Number(r.costBaseShare) * (1 + Number(r.allowedProfitRate)) * (1 + Number(r.taxRate));
    let carried = 0;
    const grossValues: number[] = [];
    const carryValues: number[] = [];
    result.ledger.forEach((y, t) => {
      const g = t < ctx.C ? 0 : (model.revenueFen[t - ctx.C]?.[i] ?? 0);
      if (t >= ctx.C && t < ctx.T - 1) {
        const ceiling = Math.round(Math.round(y.opex.toNumber() * 100) * share);
        carried = carried - Math.min(g, carried) + Math.max(0, g - ceiling);
      }
      grossValues.push(g / 100);
      carryValues.push(t < ctx.C || t === ctx.T - 1 ? 0 : carried / 100);
    });
    const label = (en: string, zh: string) => ({ en: `${en}: ${r.name}`, zh: `${zh}：${r.name}` });
    out.push(
      {
        row: rows.gross,
        label: label('Public-data gross income', '公共数据毛收入'),
        cells: gross.map((formula, t) => ({ col: yearColumn(t), formula, value: grossValues[t]! })),
      },
      {
        row: rows.carry,
        label: label('Excess over the ceiling carried', '超出上限待扣减'),
        cells: carry.map((formula, t) => ({ col: yearColumn(t), formula, value: carryValues[t]! })),
      },
    );
  });
  return out;
}

const RESERVE_LABELS: Record<keyof ReserveRows, { en: string; zh: string }> = {
  cashAfterDebt: { en: 'Cash left after debt service', zh: '偿债后剩余现金' },
  cashAfterDsra: { en: 'Cash left after the DSRA', zh: '偿债储备后剩余现金' },
  maintenanceScheduled: {
    en: 'Maintenance reserve contribution scheduled',
    zh: '大修储备计划计提',
  },
  cashAfterMaintenance: { en: 'Cash left after the maintenance reserve', zh: '大修储备后剩余现金' },
};

/** The reserve accounts' working rows, with the run's figures as cached values. */
function reserveWorkingRows(ctx: LedgerContext): WorkingRow[] {
  const { scenario, result } = ctx;
  const rows = ctx.reserveRows;
  if (!rows) return [];
  const formulas = reserveWorking(ctx, rows);
  const n = (d: Dec | undefined) => (d ? d.toNumber() : 0);
  const schedule = compiled(scenario).reserves?.maintenanceContribution ?? null;
  const afterDebt = result.ledger.map((y) =>
    Math.max(
      0,
      Math.max(0, n(y.cfads) + n(y.residualValue)) -
        y.debt.reduce((a, d) => a + n(d.fees) + n(d.interestPaid) + n(d.principalPaid), 0),
    ),
  );
  const afterDsra = result.ledger.map(
    (y, t) => afterDebt[t]! + n(y.reserves?.dsra?.release) - n(y.reserves?.dsra?.contribution),
  );
  const cache: Record<keyof ReserveRows, number[]> = {
    cashAfterDebt: afterDebt,
    cashAfterDsra: afterDsra,
    maintenanceScheduled: result.ledger.map((_, t) =>
      t < ctx.C ? 0 : (schedule?.[t - ctx.C] ?? 0) / 100,
    ),
    cashAfterMaintenance: result.ledger.map(
      (y, t) => afterDsra[t]! - n(y.reserves?.maintenance?.contribution),
    ),
  };
  return keyedRows(
    rows,
    formulas,
    (k) => RESERVE_LABELS[k],
    (k, t) => cache[k][t] ?? 0,
  );
}

/** The preferred holders' working rows (owed, unreturned), with the run's figures cached. */
function waterfallWorkingRows(ctx: LedgerContext): WorkingRow[] {
  const { scenario, result } = ctx;
  if (!scenario.funding.waterfall || !cashFormulas(ctx)) return [];
  const formulas = waterfallWorking(ctx);
  const n = (d: Dec | undefined) => (d ? d.toNumber() : 0);
  return preferredHolders(ctx).flatMap((i) => {
    const h = result.equityHolders[i]!;
    const rows = ctx.waterfallRows(i);
    let k = 0;
    const unreturned = result.ledger.map((y) => {
      const e = y.equity[i]!;
      k += n(e.contribution) + n(e.shortfallContribution) - n(e.capitalReturned);
      return k;
    });
    const cells = (row: number, cache: number[]) =>
      formulas.get(row)!.map((formula, t) => ({ col: yearColumn(t), formula, value: cache[t]! }));
    return [
      {
        row: rows.owed,
        label: { en: `Preferred return owed: ${h.name}`, zh: `应付优先回报：${h.name}` },
        cells: cells(
          rows.owed,
          result.ledger.map(
            (y) => n(y.equity[i]!.preferredUnpaid) + n(y.equity[i]!.preferredReturn),
          ),
        ),
      },
      {
        row: rows.unreturned,
        label: { en: `Contributions not yet returned: ${h.name}`, zh: `未返还出资：${h.name}` },
        cells: cells(rows.unreturned, unreturned),
      },
    ];
  });
}

const ARREARS_LABELS: Record<keyof ArrearsRows, { en: string; zh: string }> = {
  cashIn: { en: 'Cash available', zh: '可用现金' },
  feeDue: { en: 'Fee due', zh: '应付费用' },
  notDue: { en: 'Balance not yet due', zh: '未到期余额' },
  principalDue: { en: 'Principal due', zh: '应还本金' },
  owed: { en: 'Owed this year', zh: '本年应付' },
};

/** Each debt's working rows with unfunded shortfalls, with the run's figures cached. */
function arrearsWorkingRows(ctx: LedgerContext): WorkingRow[] {
  const { scenario, result } = ctx;
  if (!ctx.arrearsRows) return [];
  const formulas = arrearsWorking(ctx);
  const n = (d: Dec | undefined | null) => (d ? d.toNumber() : 0);
  // The DSRA brought forward stands behind the first debt in operation.
  let cash = result.ledger.map(
    (y, t) =>
      Math.max(0, n(y.cfads) + n(y.residualValue)) +
      (t < ctx.C || t === 0 ? 0 : n(result.ledger[t - 1]!.reserves?.dsra?.balance)),
  );
  return result.debts.flatMap((d, j) => {
    const rows = ctx.arrearsRows!(j);
    const src = scenario.funding.sources.find((s) => s.id === d.id)!;
    const capitalise = src.debt?.constructionInterest === 'capitalised';
    const years = result.ledger.map((y, t) => {
      const x = y.debt[j]!;
      const ownCapitalised = t < ctx.C && capitalise ? n(x.interest) : 0;
      const paid = n(x.fees) + n(x.interestPaid) + n(x.principalPaid) - n(x.arrearsPaid);
      const owed = paid + n(x.arrears);
      const feeDue = owed - (n(x.interest) - ownCapitalised) - 0;
      const arrearsIn = t === 0 ? 0 : n(result.ledger[t - 1]!.debt[j]!.arrearsBalance);
      return {
        cashIn: cash[t]!,
        feeDue: t < ctx.C ? Math.max(0, feeDue) : 0,
        notDue: n(x.opening) + n(x.drawdown) + ownCapitalised - arrearsIn,
        principalDue: t < ctx.C ? 0 : owed - n(x.interest),
        owed,
      };
    });
    cash = years.map(
      (v, t) => v.cashIn - n(result.ledger[t]!.debt[j]!.arrearsPaid) - Math.min(v.cashIn, v.owed),
    );
    const label = (k: keyof ArrearsRows) => ({
      en: `${ARREARS_LABELS[k].en}: ${d.name}`,
      zh: `${ARREARS_LABELS[k].zh}：${d.name}`,
    });
    return keyedRows(rows, formulas, label, (k, t) => years[t]![k]);
  });
}
