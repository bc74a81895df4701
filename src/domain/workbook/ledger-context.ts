/**
 * What the Ledger sheet's formula builders share: the context of a line's formulas and the
 * references to Inputs cells and Ledger columns (src/domain/workbook/ledger-formulas.ts).
 */
import type { SimulationResult } from '../engine/types';
import type { Scenario } from '../scenario/schema';
import type { ArrearsRows } from './ledger-arrears';
import type { ReserveRows } from './ledger-reserves';
import type { WaterfallRows } from './ledger-waterfall';
import {
  INPUTS_SHEET,
  SCALAR_INPUTS,
  columnLetters,
  definedName,
  tableCell,
} from './inputs-layout';

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
  /** The working cell (absolute, this sheet) of funding source i's committed amount, yuan. */
  amountCell(i: number): string;
  /** The working cell of the depreciable base; null when depreciation stays engine values. */
  depreciationBase: string | null;
  /** The working rows of public-data stream i (gross income, carried excess). */
  dataRows(i: number): { gross: number; carry: number };
  /** The reserve accounts' working rows; null without reserves. */
  reserveRows: ReserveRows | null;
  /** The working rows of preferred equity holder i (its index among the equity holders). */
  waterfallRows(i: number): WaterfallRows;
  /** Debt j's working rows with unfunded shortfalls; null when shortfalls are funded. */
  arrearsRows: ((j: number) => ArrearsRows) | null;
}

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

/**
 * An amount rounded to the fen half away from zero, as the engine posts it, robust at the
 * midpoint: the product is taken in fen and first rounded to 1e-4 fen, which undoes the binary
 * floating-point error of the product (0.25 × 1133942.18 is 283485.544999… in doubles, 28348554.5
 * fen after the first rounding) while an exact amount × rate of up to four decimals is a multiple
 * of 1e-4 fen; then to the fen.
 */
export const roundFen = (x: string): string => `ROUND(ROUND((${x})*100,4),0)/100`;
