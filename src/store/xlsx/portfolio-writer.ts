import ExcelJS from 'exceljs';
import type { SheetCell, SheetModel } from '../../domain/workbook/portfolio-sheet';
import { AMOUNT_FORMAT, type WorkbookOptions } from './scenario-workbook';

/** Number formats by cell kind: yuan in the user's unit, ratios to 6 places, percents to 4. */
const formats = (unit: WorkbookOptions['unit']): Partial<Record<SheetCell['kind'], string>> => ({
  yuan: AMOUNT_FORMAT[unit],
  ratio: '0.000000',
  percent: '0.0000%',
  number: '0.00',
  integer: '0',
});

/**
 * Writes portfolio sheets as an .xlsx workbook: formulas with the engine's figures as cached
 * values (so the file opens with numbers), number formats (amounts in `unit`: the cells hold
 * yuan), the header row and first column frozen, column widths. Numbers are written from their
 * decimal text; the cached value is only what a reader shows before recomputing.
 */
export async function writePortfolioWorkbook(
  sheets: readonly SheetModel[],
  unit: WorkbookOptions['unit'],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'FundMix';
  const fmt = formats(unit);
  for (const model of sheets) addSheet(wb, model, fmt);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function addSheet(
  wb: ExcelJS.Workbook,
  model: SheetModel,
  formats: Partial<Record<SheetCell['kind'], string>>,
): void {
  const ws = wb.addWorksheet(model.name, {
    views: [{ state: 'frozen', xSplit: model.frozen.columns, ySplit: model.frozen.rows }],
  });
  ws.columns = model.headers.map((header, i) => ({ header, width: model.widths[i] ?? 12 }));
  ws.getRow(1).font = { bold: true };
  model.rows.forEach((cells, r) => {
    const row = ws.getRow(r + 2);
    cells.forEach((cell, c) => {
      const target = row.getCell(c + 1);
      target.value = cellValue(cell);
      const fmt = formats[cell.kind];
      if (fmt) target.numFmt = fmt;
    });
  });
  for (const r of model.boldRows ?? []) ws.getRow(r + 2).font = { bold: true };
}

function cellValue(cell: SheetCell): ExcelJS.CellValue {
  const plain =
    cell.value === null
      ? null
      : typeof cell.value === 'boolean' || cell.kind === 'text'
        ? cell.value
        : Number(cell.value);
  if (cell.formula)
    return { formula: cell.formula, result: plain ?? undefined } as ExcelJS.CellValue;
  return plain;
}
