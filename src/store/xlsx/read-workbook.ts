import ExcelJS from 'exceljs';
import { ValidationError } from '../../domain/errors';
import type { ScenarioInput } from '../../domain/scenario/schema';
import { INPUTS_SHEET } from '../../domain/workbook/inputs-layout';
import { parseScenario } from '../../domain/scenario/parse';
import {
  READ_MESSAGES,
  sameByValue,
  scenarioFromInputs,
  type RawCell,
} from '../../domain/workbook/read-inputs';
import type { Store } from '../store';
import { checkUnzippedSize } from './zip-guard';

/** Largest workbook the import reads (the web upload refuses larger files before reading). */
export const WORKBOOK_MAX_BYTES = 5 * 1024 * 1024;

/** Messages about the file as a whole (path `file`). */
export const FILE_MESSAGES = {
  notXlsx:
    'The file is not an Excel workbook (.xlsx): save it as "Excel Workbook (*.xlsx)" and import it again',
  tooLarge: (maxBytes: number) =>
    `The file is larger than ${maxBytes / (1024 * 1024)} MB: a FundMix workbook is far smaller; remove other sheets or pictures`,
} as const;

const fileProblem = (message: string) =>
  new ValidationError([{ path: 'file', message }], 'The workbook cannot be imported');

/** An .xlsx file is a zip archive: it starts with a local file header, `PK\x03\x04`. */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The calendar day of a date cell (exceljs gives dates as UTC midnight of the day). */
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** A cell value of exceljs as the reader sees it (src/domain/workbook/read-inputs.ts). */
export function rawCell(value: ExcelJS.CellValue | undefined): RawCell | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string') return { kind: 'text', value };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (value instanceof Date) return { kind: 'text', value: isoDay(value) };
  if ('error' in value) return { kind: 'error', value: String(value.error) };
  if ('richText' in value)
    return { kind: 'text', value: value.richText.map((r) => r.text).join('') };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return { kind: 'error', value: '' };
    return rawCell(result as ExcelJS.CellValue);
  }
  if ('text' in value) return { kind: 'text', value: String(value.text) };
  return { kind: 'error', value: '' };
}

/**
 * The scenario file of a workbook's Inputs sheet (a filled template or an exported workbook),
 * read exactly (README "Excel workbooks", Import) and validated by the scenario schema.
 * @throws ValidationError at `file` (not an .xlsx, too large, unpacking to too much, no Inputs
 *   sheet: ./zip-guard.ts) or at each
 *   refused cell (`Inputs!C12`)
 */
export async function readScenarioWorkbook(
  bytes: Uint8Array,
  maxBytes = WORKBOOK_MAX_BYTES,
): Promise<ScenarioInput> {
  if (bytes.length > maxBytes) throw fileProblem(FILE_MESSAGES.tooLarge(maxBytes));
  if (!looksLikeXlsx(bytes)) throw fileProblem(FILE_MESSAGES.notXlsx);
  await checkUnzippedSize(bytes);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw fileProblem(FILE_MESSAGES.notXlsx);
  }
  const ws = wb.getWorksheet(INPUTS_SHEET);
  if (!ws) throw fileProblem(READ_MESSAGES.noSheet(wb.worksheets.map((w) => w.name)));
  return scenarioFromInputs((address) => rawCell(ws.getCell(address).value));
}

/**
 * What to save for a workbook's scenario file: the current version's own inputs when the
 * workbook holds the same inputs by value (`sameByValue`), so an exported workbook imported
 * unchanged makes no new version, as an unchanged JSON file makes none; otherwise the file.
 */
export function inputsToSave(store: Store, input: ScenarioInput): ScenarioInput {
  const code = input.project.code.trim();
  const name = input.scenario.name.trim();
  const existing = store.scenarios.list({ projectCode: code }).find((s) => s.name === name);
  if (!existing) return input;
  const current = store.scenarios.current(existing.id);
  return sameByValue(parseScenario(current.inputs), parseScenario(input)) ? current.inputs : input;
}
