import { Dec } from '../decimal';
import { ValidationError, type FieldIssue } from '../errors';
import { toFieldIssues } from '../scenario/parse';
import { DECIMAL_RE } from '../decimal-text';
import {
  SCENARIO_FORMAT,
  scenarioSchema,
  type Scenario,
  type ScenarioInput,
} from '../scenario/schema';
import {
  INPUTS_SHEET,
  SCALAR_FIRST_ROW,
  SCALAR_INPUTS,
  TABLE_PLACEMENTS,
  cellOfField,
  columnLetters,
  columnNumber,
  type InputField,
  type TablePlacement,
} from './inputs-layout';

/**
 * Reading the Inputs sheet of a scenario workbook (a filled template or an exported workbook)
 * back into a scenario file, validated by the same schema as files, forms and the API. Pure:
 * the caller (src/store/xlsx/read-workbook.ts) reads the cells with exceljs and hands them in.
 *
 * How cells are read (README "Excel workbooks", Import):
 * - a numeric cell is taken by its shortest decimal form: the shortest text that reads back as
 *   the same double (JavaScript's `String(number)`), written without exponent (`1e-7` →
 *   `0.0000001`). So 1234.5 is "1234.5" and a formula result 0.1 + 0.2 is
 *   "0.30000000000000004", which an amount refuses (at most 2 decimals). A text cell is read as
 *   written, so an amount past 15 significant digits can be typed as text;
 * - whole numbers must be numbers (or text of digits); enumerations one of their codes; TRUE or
 *   FALSE (a boolean cell or the text); dates as text `YYYY-MM-DD` (a date cell is taken as
 *   its calendar day); lists comma-separated; the JSON sections as JSON text;
 * - a formula cell is read by its cached result; an empty cell is "absent";
 * - every problem is reported at its cell, `Inputs!B12`, with the schema's message.
 */

/** A cell's content as the reader sees it (dates arrive as `YYYY-MM-DD` text). */
export type RawCell =
  | { kind: 'number'; value: number }
  | { kind: 'text'; value: string }
  | { kind: 'boolean'; value: boolean }
  /** An error value (`#DIV/0!`) or a formula without a cached result (`value` says which). */
  | { kind: 'error'; value: string };

/** The content of a cell of the Inputs sheet by its A1 address (`B12`), null when empty. */
export type CellReader = (address: string) => RawCell | null;

/** Messages of the reader (English; the web app translates them by pattern, src/web/i18n/issues.ts). */
export const READ_MESSAGES = {
  noSheet: (found: string[]) =>
    `The workbook has no sheet named "${INPUTS_SHEET}" (its sheets: ${found.join(', ') || 'none'}): import a FundMix template or an exported workbook`,
  layout: (expected: string, found: string) =>
    `This row should hold the field ${expected} but column D says "${found}": the Inputs sheet is not laid out as FundMix writes it (were rows inserted or deleted?)`,
  cellError: (value: string) => `The cell holds the error ${value}`,
  noResult: 'The formula has no computed value: recompute and save the workbook, then import it',
  notChoice: (value: string, choices: readonly string[]) =>
    `"${value}" is not one of the choices: ${choices.join(', ')}`,
  notBoolean: 'Write TRUE or FALSE',
  notJson: (detail: string) => `Not valid JSON: ${detail}`,
  notText: 'Write text here, not TRUE or FALSE',
} as const;

/** The sheet-qualified address of a cell, as issues name it: `Inputs!B12`. */
export const sheetCell = (address: string): string => `${INPUTS_SHEET}!${address}`;

/** The shortest decimal text of a double, without exponent (see the module comment). */
export function shortestDecimal(n: number): string {
  return new Dec(String(n)).toFixed();
}

type Read = { value: unknown } | { issue: string } | null;

const NUMERIC_TEXT = new Set(['yuan', 'fraction', 'decimal']);

/** What a cell gives its field: a value for the scenario file, a problem, or nothing (empty). */
export function readCell(field: InputField, raw: RawCell | null): Read {
  if (raw === null || (raw.kind === 'text' && raw.value.trim() === '')) return null;
  if (raw.kind === 'error')
    return {
      issue: raw.value === '' ? READ_MESSAGES.noResult : READ_MESSAGES.cellError(raw.value),
    };
  const text = raw.kind === 'number' ? shortestDecimal(raw.value) : String(raw.value).trim();
  if (NUMERIC_TEXT.has(field.unit)) return { value: text };
  switch (field.unit) {
    case 'int':
      return { value: raw.kind === 'number' || /^-?\d{1,15}$/.test(text) ? Number(text) : text };
    case 'boolean':
      if (raw.kind === 'boolean') return { value: raw.value };
      if (/^(true|false)$/i.test(text)) return { value: text.toLowerCase() === 'true' };
      return { issue: READ_MESSAGES.notBoolean };
    case 'enum':
      return field.values?.includes(text)
        ? { value: text }
        : { issue: READ_MESSAGES.notChoice(text, field.values ?? []) };
    case 'list':
      return {
        value: text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      };
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch (err) {
        return { issue: READ_MESSAGES.notJson((err as Error).message) };
      }
    default:
      // text and date
      return raw.kind === 'boolean' ? { issue: READ_MESSAGES.notText } : { value: text };
  }
}

function setAt(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown) {
  let node: Record<string | number, unknown> = root;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      node[seg] = value;
      return;
    }
    const next = path[i + 1];
    if (node[seg] === undefined) node[seg] = typeof next === 'number' ? [] : {};
    node = node[seg] as Record<string | number, unknown>;
  });
}

/** Tables whose list lives in an optional section: an empty table leaves the section out. */
const IN_OPTIONAL_SECTION = new Set(['maintenance']);

interface Collected {
  input: Record<string, unknown>;
  /** Problems of single cells, by address. */
  issues: Map<string, string>;
}

function readTable(c: Collected, cell: CellReader, p: TablePlacement): void {
  const rows: Array<Array<{ field: InputField; address: string; read: Read }>> = [];
  let last = -1;
  for (let i = 0; i < p.table.maxRows; i++) {
    const row = p.table.columns.map((field, col) => {
      const address = `${columnLetters(col + 2)}${p.firstDataRow + i}`;
      return { field, address, read: readCell(field, cell(address)) };
    });
    if (row.some((r) => r.read !== null)) last = i;
    rows.push(row);
  }
  if (last < 0) {
    if (!IN_OPTIONAL_SECTION.has(p.table.key)) setAt(c.input, p.table.path, []);
    return;
  }
  // Every row up to the last filled one is an item: an empty row in between is reported by the
  // schema at its cells ("This field is required"), never silently dropped.
  const items: unknown[] = [];
  setAt(c.input, p.table.path, items);
  for (let i = 0; i <= last; i++) {
    const plain = p.table.columns.length === 1 && p.table.columns[0]!.path.length === 0;
    const item: Record<string, unknown> = {};
    for (const { field, address, read } of rows[i]!) {
      if (read === null) continue;
      if ('issue' in read) c.issues.set(address, read.issue);
      else if (plain) items[i] = read.value;
      else setAt(item, field.path, read.value);
    }
    if (!plain) items[i] = item;
  }
}

/** The column-D check: rows of the scalar block name their field (a moved row is refused). */
function layoutProblem(cell: CellReader): FieldIssue | null {
  for (const [i, field] of SCALAR_INPUTS.entries()) {
    const address = `D${SCALAR_FIRST_ROW + i}`;
    const raw = cell(address);
    const found = raw === null ? '' : String(raw.value).trim();
    const expected = field.path.join('.');
    if (found !== expected)
      return { path: sheetCell(address), message: READ_MESSAGES.layout(expected, found) };
  }
  return null;
}

/** Parses a JSON path as the schema's issues write it (`funding.sources[2].amountYuan`). */
export function parseIssuePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}

/**
 * The cell a schema issue belongs to: the field's own cell; for a whole list or item (or a
 * group such as `debt`), the first cell under it (the table's title for a list); for a path
 * inside a JSON section, that section's cell. Null for paths the sheet has no cell for.
 */
export function issueCell(path: readonly (string | number)[]): string | null {
  const own = cellOfField(path);
  if (own) return own;
  for (const p of TABLE_PLACEMENTS) {
    const n = p.table.path.length;
    if (p.table.path.some((seg, i) => path[i] !== seg)) continue;
    const index = path[n];
    if (typeof index !== 'number' || index >= p.table.maxRows) return `A${p.titleRow}`;
    const rest = path.slice(n + 1).map(String);
    const col = p.table.columns.findIndex((c) => rest.every((seg, i) => String(c.path[i]) === seg));
    return `${columnLetters(Math.max(col, 0) + 2)}${p.firstDataRow + index}`;
  }
  const prefix = SCALAR_INPUTS.findIndex((s) =>
    s.path.every((seg, i) => path[i] === seg || path.length <= i),
  );
  return prefix >= 0 ? `B${SCALAR_FIRST_ROW + prefix}` : null;
}

/** The schema's message for a decimal text that is not there (src/domain/decimal-text.ts). */
const DECIMAL_MISSING = /^.+ must be a decimal number written as text, e\.g\. "1234\.56"$/;
/** The schema's message for another missing field (src/domain/scenario/parse.ts). */
const REQUIRED = 'This field is required';

/** The value at a path of the collected input (undefined when absent). */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let at = root;
  for (const seg of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string | number, unknown>)[seg];
  }
  return at;
}

function cellIssues(collected: Collected, schemaIssues: FieldIssue[]): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const [address, message] of collected.issues)
    out.push({ path: sheetCell(address), message });
  for (const issue of schemaIssues) {
    const path = parseIssuePath(issue.path);
    const address = issueCell(path);
    // A cell the reader refused already has its problem; the schema's follow-up is noise.
    if (address !== null && collected.issues.has(address)) continue;
    const inJson = insideJson(path);
    // An empty amount or rate cell: the schema's "must be a decimal number written as text"
    // is meant for files, and a cell takes a number; say what is wrong, as for other fields.
    const message =
      !inJson && DECIMAL_MISSING.test(issue.message) && valueAt(collected.input, path) === undefined
        ? REQUIRED
        : issue.message;
    out.push({
      path: address === null ? INPUTS_SHEET : sheetCell(address),
      message: inJson ? `${issue.path}: ${message}` : message,
    });
  }
  // Top to bottom, left to right, as the user reads the sheet (a stable sort keeps the
  // schema's order within a cell).
  return out.sort((a, b) => position(a.path) - position(b.path));
}

/** Reading order of `Inputs!B12` (row major); the sheet as a whole last. */
function position(path: string): number {
  const m = /!([A-Z]+)(\d+)$/.exec(path);
  return m ? Number(m[2]) * 1000 + columnNumber(m[1] as string) : Number.MAX_SAFE_INTEGER;
}

/** A path inside a section the sheet holds as JSON (fiscal, risks). */
const insideJson = (path: readonly (string | number)[]): boolean =>
  path.length > 1 && SCALAR_INPUTS.some((s) => s.unit === 'json' && s.path[0] === path[0]);

/**
 * The scenario file (format `fundmix-scenario@2`, as written: defaults the sheet leaves empty
 * are left to the schema) of an Inputs sheet, validated by the scenario schema.
 * @throws ValidationError listing every problem at its cell (`Inputs!C12`); nothing is partly read
 */
export function scenarioFromInputs(cell: CellReader): ScenarioInput {
  const layout = layoutProblem(cell);
  if (layout) throw new ValidationError([layout], 'The workbook cannot be imported');
  const c: Collected = { input: { format: SCENARIO_FORMAT }, issues: new Map() };
  SCALAR_INPUTS.forEach((field, i) => {
    const address = `B${SCALAR_FIRST_ROW + i}`;
    const read = readCell(field, cell(address));
    if (read === null) return;
    if ('issue' in read) c.issues.set(address, read.issue);
    else setAt(c.input, field.path, read.value);
  });
  for (const p of TABLE_PLACEMENTS) readTable(c, cell, p);
  const parsed = scenarioSchema.safeParse(c.input);
  const issues = cellIssues(c, parsed.success ? [] : toFieldIssues(parsed.error));
  if (issues.length > 0) throw new ValidationError(issues, 'The workbook is not valid');
  return c.input as ScenarioInput;
}

/** A validated scenario with each decimal text in its shortest form, as a cell would give it. */
function byValue(v: unknown): unknown {
  if (typeof v === 'string' && DECIMAL_RE.test(v)) return new Dec(v).toFixed();
  if (Array.isArray(v)) return v.map(byValue);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, byValue(x)]));
  return v;
}

/**
 * Whether two validated scenarios are the same inputs by value: a workbook cannot keep the
 * text form of a number ("540000000.00" comes back as 540000000), so an exported workbook
 * imported unchanged equals its version by value, not by text.
 */
export function sameByValue(a: Scenario, b: Scenario): boolean {
  return JSON.stringify(byValue(a)) === JSON.stringify(byValue(b));
}
