import ExcelJS from 'exceljs';
import type { SheetCell, SheetModel } from '../../domain/workbook/portfolio-sheet';

/** Number formats by cell kind: yuan to the fen with thousands separators, ratios to 6 places. */
const FORMATS: Partial<Record<SheetCell['kind'], string>> = {
  yuan: '#,##0.00',
  ratio: '0.000000',
  integer: '0',
};

/**
 * Writes portfolio sheets as an .xlsx workbook: formulas with the engine's figures as cached
 * values (so the file opens with numbers), number formats, the header row and first column
 * frozen, column widths. Numbers are written from their decimal text; the cached value is only
 * what a reader shows before recomputing.
 */
export async function writePortfolioWorkbook(sheets: readonly SheetModel[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'FundMix';
  for (const model of sheets) addSheet(wb, model);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function addSheet(wb: ExcelJS.Workbook, model: SheetModel): void {
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
      const fmt = FORMATS[cell.kind];
      if (fmt) target.numFmt = fmt;
    });
  });
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
