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
import type { SimulationResult } from '../engine/types';
import type { Scenario } from '../scenario/schema';
import {
  INPUTS_SHEET,
  SCALAR_INPUTS,
  columnLetters,
  definedName,
  tableCell,
} from './inputs-layout';

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

/** What a line's formula builder sees: the years, the rows of the other lines, the inputs. */
export interface LedgerContext {
  scenario: Scenario;
  result: SimulationResult;
  /** Construction years. */
  C: number;
  /** All years. */
  T: number;
  /** Sheet row of a line key; throws for a line the ledger does not have. */
  row(key: string): number;
  has(key: string): boolean;
}

/** A year's formula, `'0'`-free: null for a structural 0. */
type YearFormula = (t: number) => string | null;
/** A line's formula per year, or null when the line stays engine values. */
type Builder = (ctx: LedgerContext, line: LedgerLine) => YearFormula | null;

/** Column letters of year index t (column B is the first year). */
export const yearColumn = (t: number): string => columnLetters(2 + t);

/** The defined name of a scalar input by its path (`operatingCost.annualYuan`). */
export function inputName(path: string): string {
  const field = SCALAR_INPUTS.find((s) => s.path.join('.') === path);
  if (!field) throw new Error(`No scalar input ${path}`);
  return definedName(field);
}

/** A table item's cell on the Inputs sheet, `Inputs!$E$70`. */
export const inputItem = (table: string, column: string, index: number): string =>
  `${INPUTS_SHEET}!${tableCell(table, column, index)}`;

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
  if (!stream || stream.kind === 'public-data') return null;
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

/** The formula builder of each line key (by the key's first part for per-item lines). */
const BUILDERS: Record<string, Builder> = {
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
  const rows = new Map(lines.map((l, i) => [l.key, LEDGER_FIRST_ROW + i]));
  const T = result.ledger.length;
  const ctx: LedgerContext = {
    scenario,
    result,
    C: scenario.timeline.constructionYears,
    T,
    row(key) {
      const r = rows.get(key);
      if (r === undefined) throw new Error(`No ledger line ${key}`);
      return r;
    },
    has: (key) => rows.has(key),
  };
  return lines.map((line, i) => {
    const build = builderOf(line.key);
    const perYear = build ? build(ctx, line) : null;
    const cells: LedgerCell[] = line.values.map((value, t) => {
      if (!perYear) return { kind: 'engine', value };
      const formula = perYear(t);
      return formula === null ? { kind: 'zero' } : { kind: 'formula', formula, value };
    });
    return { line, row: LEDGER_FIRST_ROW + i, cells, formulas: perYear !== null };
  });
}
