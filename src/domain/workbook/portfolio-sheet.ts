/**
 * A sheet of a portfolio workbook as plain data (no exceljs here): cells hold a value or a
 * formula with the engine's figure as its cached value. The store's writer turns it into .xlsx.
 */

/**
 * Amounts are yuan as decimal text (written as numbers, shown in the user's unit), ratios and
 * percents fractions as decimal text (a percent is shown as 12.3456 %), numbers plain decimals.
 */
export type CellKind = 'text' | 'integer' | 'yuan' | 'ratio' | 'percent' | 'number' | 'boolean';

export interface SheetCell {
  kind: CellKind;
  /** The value, or the formula's cached result; decimal text for numbers; null for an empty cell. */
  value: string | boolean | null;
  /** A formula without the leading `=`, e.g. `ROUND(H2/I2,6)`. */
  formula?: string;
}

export interface SheetModel {
  name: string;
  /** Header row (row 1). */
  headers: string[];
  /** Column widths in characters, one per header. */
  widths: number[];
  rows: SheetCell[][];
  /** Rows and columns frozen at the top-left (the header row and the first column). */
  frozen: { rows: number; columns: number };
  /** 0-based indexes into `rows` of rows shown bold (totals). */
  boldRows?: number[];
}

/** A yuan cell: its decimal text, with `formula` when there is a value to cache. */
export function yuanCell(value: string | null, formula?: string): SheetCell {
  return { kind: 'yuan', value, ...(formula && value !== null ? { formula } : {}) };
}

/** The column letter of a 0-based column index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
