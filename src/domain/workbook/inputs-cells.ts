import { Dec } from '../decimal';
import type { Scenario } from '../scenario/schema';
import {
  SCALAR_FIRST_ROW,
  SCALAR_INPUTS,
  TABLE_PLACEMENTS,
  columnLetters,
  type InputField,
  type InputUnit,
} from './inputs-layout';

/** A cell value of the Inputs sheet: numbers as Decimal (exact), the rest as text or boolean. */
export type InputValue = Dec | string | boolean;

/** One filled value cell of the Inputs sheet. */
export interface InputCell {
  /** A1 address without `$`. */
  address: string;
  unit: InputUnit;
  value: InputValue;
}

const NUMERIC: ReadonlySet<InputUnit> = new Set(['yuan', 'fraction', 'decimal', 'int']);

function at(root: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function cellValue(field: InputField, raw: unknown): InputValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (field.unit === 'json') return JSON.stringify(raw);
  if (field.unit === 'list') return (raw as string[]).join(',');
  if (field.unit === 'boolean') return raw === true;
  if (NUMERIC.has(field.unit)) return new Dec(raw as string | number);
  return String(raw);
}

/**
 * The value cells of the Inputs sheet for a scenario, in layout order (scalars, then each
 * table's items row by row). Absent optional inputs give no cell; defaults filled in by the
 * schema are written (a validated scenario has them), so the sheet shows what the engine used.
 * Numbers are exact Decimals (amounts as given, rates as fractions).
 */
export function inputCells(scenario: Scenario): InputCell[] {
  const cells: InputCell[] = [];
  SCALAR_INPUTS.forEach((field, i) => {
    const value = cellValue(field, at(scenario, field.path));
    if (value !== undefined)
      cells.push({ address: `B${SCALAR_FIRST_ROW + i}`, unit: field.unit, value });
  });
  for (const p of TABLE_PLACEMENTS) {
    const items = (at(scenario, p.table.path) as unknown[] | undefined) ?? [];
    items.forEach((item, index) => {
      p.table.columns.forEach((field, c) => {
        const value = cellValue(field, at(item, field.path));
        if (value !== undefined)
          cells.push({
            address: `${columnLetters(c + 2)}${p.firstDataRow + index}`,
            unit: field.unit,
            value,
          });
      });
    });
  }
  return cells;
}
