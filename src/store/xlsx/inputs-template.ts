import ExcelJS from 'exceljs';
import type { Scenario } from '../../domain/scenario/schema';
import {
  SCALAR_FIRST_ROW,
  SCALAR_INPUTS,
  TABLE_PLACEMENTS,
  columnLetters,
  type InputField,
} from '../../domain/workbook/inputs-layout';
import { writeInputs, type WorkbookOptions } from './scenario-workbook';

/** The hidden sheet holding the lists the template's validations offer. */
export const LISTS_SHEET = 'Lists';

const BOOLEANS = ['TRUE', 'FALSE'] as const;

/** The choices of a field with a list, or null (enumerations and TRUE/FALSE). */
const choices = (field: InputField): readonly string[] | null =>
  field.unit === 'enum' ? (field.values ?? []) : field.unit === 'boolean' ? BOOLEANS : null;

/**
 * Writes each distinct list once, one column each, and gives the absolute range of a list by
 * its text (`'Lists'!$A$1:$A$11`).
 */
function writeLists(wb: ExcelJS.Workbook): (values: readonly string[]) => string {
  const ws = wb.addWorksheet(LISTS_SHEET, { state: 'hidden' });
  const ranges = new Map<string, string>();
  return (values) => {
    const key = values.join('\n');
    let range = ranges.get(key);
    if (!range) {
      const col = columnLetters(ranges.size + 1);
      values.forEach((v, i) => (ws.getCell(`${col}${i + 1}`).value = v));
      range = `'${LISTS_SHEET}'!$${col}$1:$${col}$${values.length}`;
      ranges.set(key, range);
    }
    return range;
  };
}

function validation(range: string, o: WorkbookOptions): ExcelJS.DataValidation {
  return {
    type: 'list',
    allowBlank: true,
    formulae: [range],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: o.lang === 'zh' ? '无效的值' : 'Not a choice',
    error: o.lang === 'zh' ? '请从列表中选择。' : 'Choose a value from the list.',
  };
}

/**
 * The import template (README "Excel workbooks", Import): the Inputs sheet of the fixed layout,
 * blank or holding `scenario`, labels in the user's language, with a drop-down list (data
 * validation) on every enumeration and TRUE/FALSE cell, from a hidden Lists sheet.
 */
export async function inputsTemplate(
  scenario: Scenario | null,
  options: WorkbookOptions,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'FundMix';
  const ws = writeInputs(wb, scenario, options);
  const listRange = writeLists(wb);
  SCALAR_INPUTS.forEach((field, i) => {
    const list = choices(field);
    if (list)
      ws.getCell(`B${SCALAR_FIRST_ROW + i}`).dataValidation = validation(listRange(list), options);
  });
  for (const p of TABLE_PLACEMENTS)
    p.table.columns.forEach((field, c) => {
      const list = choices(field);
      if (!list) return;
      const v = validation(listRange(list), options);
      for (let r = p.firstDataRow; r <= p.lastDataRow; r++)
        ws.getCell(`${columnLetters(c + 2)}${r}`).dataValidation = v;
    });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
