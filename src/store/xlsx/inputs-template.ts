import ExcelJS from 'exceljs';
import type { Scenario } from '../../domain/scenario/schema';
import { addInputValidations } from './inputs-validation';
import { writeInputs, type WorkbookOptions } from './scenario-workbook';

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
  addInputValidations(wb, writeInputs(wb, scenario, options), options);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
