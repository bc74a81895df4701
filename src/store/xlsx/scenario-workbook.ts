import ExcelJS from 'exceljs';
import type { Dec } from '../../domain/decimal';
import { ledgerLines } from '../../domain/engine/ledger-table';
import type { SimulationResult } from '../../domain/engine/types';
import type { Scenario } from '../../domain/scenario/schema';
import { inputCells, type InputValue } from '../../domain/workbook/inputs-cells';
import {
  INPUTS_SHEET,
  SCALAR_FIRST_ROW,
  SCALAR_INPUTS,
  TABLE_PLACEMENTS,
  columnLetters,
  definedName,
  type InputUnit,
} from '../../domain/workbook/inputs-layout';

/** The user's language and display unit of amounts. */
export interface WorkbookOptions {
  lang: 'en' | 'zh';
  unit: 'yuan' | 'wan' | 'yi';
}

/**
 * Excel number formats of amounts in the user's unit. The cell always holds yuan; 万元 and 亿元
 * move the decimal point by a literal "." (`0!.0000`), the usual trick, since a format can
 * only divide by powers of 1000.
 */
const AMOUNT_FORMAT: Record<WorkbookOptions['unit'], string> = {
  yuan: '#,##0.00',
  wan: '0!.0000"万元"',
  yi: '0!.00000000"亿元"',
};

/** The fill of values written from the engine rather than computed by formulas (see Notes). */
const ENGINE_VALUE_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFFFF2CC' },
};

const UNIT_TEXT: Record<InputUnit, { en: string; zh: string }> = {
  yuan: { en: 'yuan', zh: '元' },
  fraction: { en: 'fraction (0.05 = 5 %)', zh: '小数（0.05 = 5%）' },
  decimal: { en: 'number', zh: '数值' },
  int: { en: 'whole number', zh: '整数' },
  date: { en: 'YYYY-MM-DD', zh: 'YYYY-MM-DD' },
  enum: { en: 'one of the list', zh: '列表之一' },
  boolean: { en: 'TRUE/FALSE', zh: 'TRUE/FALSE' },
  text: { en: 'text', zh: '文本' },
  list: { en: 'ids, comma-separated', zh: '编号，逗号分隔' },
  json: { en: 'JSON', zh: 'JSON' },
};

/**
 * A cell's value for exceljs: Decimals become numbers. Amounts have at most two decimals and
 * rates few digits, so the double is the one nearest the decimal and reads back as it.
 */
const excelValue = (v: InputValue): ExcelJS.CellValue =>
  typeof v === 'string' || typeof v === 'boolean' ? v : v.toNumber();

/**
 * Writes the Inputs sheet (labels, units, field paths, defined names) and, unless `scenario` is
 * null (the blank import template), the scenario's values. Also used by ./inputs-template.ts.
 */
export function writeInputs(
  wb: ExcelJS.Workbook,
  scenario: Scenario | null,
  o: WorkbookOptions,
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(INPUTS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [{ width: 44 }, { width: 20 }, { width: 22 }, { width: 48 }];
  ws.getRow(1).values =
    o.lang === 'zh' ? ['输入', '值', '单位', '字段'] : ['Input', 'Value', 'Unit', 'Field'];
  ws.getRow(1).font = { bold: true };
  SCALAR_INPUTS.forEach((field, i) => {
    const row = ws.getRow(SCALAR_FIRST_ROW + i);
    row.getCell(1).value = field.label[o.lang];
    row.getCell(3).value = UNIT_TEXT[field.unit][o.lang];
    row.getCell(4).value = field.path.join('.');
    wb.definedNames.add(`'${INPUTS_SHEET}'!$B$${SCALAR_FIRST_ROW + i}`, definedName(field));
  });
  for (const p of TABLE_PLACEMENTS) {
    ws.getCell(`A${p.titleRow}`).value = p.table.title[o.lang];
    ws.getCell(`A${p.titleRow}`).font = { bold: true };
    ws.getCell(`A${p.headerRow}`).value = '#';
    p.table.columns.forEach((field, c) => {
      const col = columnLetters(c + 2);
      ws.getCell(`${col}${p.headerRow}`).value = field.label[o.lang];
      wb.definedNames.add(
        `'${INPUTS_SHEET}'!$${col}$${p.firstDataRow}:$${col}$${p.lastDataRow}`,
        definedName(field, p.table),
      );
    });
    for (let r = p.firstDataRow; r <= p.lastDataRow; r++)
      ws.getCell(`A${r}`).value = r - p.firstDataRow + 1;
  }
  for (const c of scenario ? inputCells(scenario) : []) {
    const cell = ws.getCell(c.address);
    cell.value = excelValue(c.value);
    if (c.unit === 'yuan') cell.numFmt = '#,##0.00';
  }
  return ws;
}

function writeLedgerValues(
  wb: ExcelJS.Workbook,
  result: SimulationResult,
  o: WorkbookOptions,
): void {
  const ws = wb.addWorksheet('Ledger', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  ws.getColumn(1).width = 40;
  const header: ExcelJS.CellValue[] = [o.lang === 'zh' ? '项目' : 'Line'];
  for (const y of result.ledger) header.push(y.year);
  ws.getRow(1).values = header;
  ws.getRow(1).font = { bold: true };
  ledgerLines(result).forEach((line, i) => {
    const row = ws.getRow(2 + i);
    row.getCell(1).value = o.lang === 'zh' ? line.labelZh : line.label;
    line.values.forEach((v: Dec | null, j) => {
      if (v === null) return;
      const cell = row.getCell(2 + j);
      cell.value = v.toNumber();
      cell.numFmt = line.kind === 'ratio' ? '0.0000' : AMOUNT_FORMAT[o.unit];
      cell.fill = ENGINE_VALUE_FILL;
    });
    if (line.total) row.font = { bold: true };
  });
  for (let c = 2; c <= header.length; c++) ws.getColumn(c).width = 16;
}

function writeNotes(wb: ExcelJS.Workbook, o: WorkbookOptions): void {
  const ws = wb.addWorksheet('Notes');
  ws.getColumn(1).width = 100;
  ws.getCell('A1').value =
    o.lang === 'zh'
      ? '黄色底纹的单元格为FundMix引擎计算值（非公式）。'
      : 'Cells with a yellow fill are values computed by the FundMix engine, not formulas.';
  ws.getCell('A2').value =
    o.lang === 'zh'
      ? '本版本中台账（Ledger）各行均为引擎值；公式化台账尚未完成。'
      : 'In this version every Ledger line is an engine value; the formula ledger is not done yet.';
}

/**
 * The workbook of one scenario and its run, as .xlsx bytes: Inputs (the fixed layout of
 * src/domain/workbook/inputs-layout.ts with its defined names), Ledger and Notes.
 */
export async function scenarioWorkbook(
  scenario: Scenario,
  result: SimulationResult,
  options: WorkbookOptions,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'FundMix';
  writeInputs(wb, scenario, options);
  writeLedgerValues(wb, result, options);
  writeNotes(wb, options);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
