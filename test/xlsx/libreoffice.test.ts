import ExcelJS from 'exceljs';
import { computed, recomputeWithLibreOffice } from './libreoffice';

/**
 * The oracle itself: LibreOffice must recompute formulas, not echo the cached values FundMix
 * writes. Each formula here carries a wrong cached result; only a real recomputation gives the
 * right figures.
 */
describe('recomputeWithLibreOffice', () => {
  it('recomputes every formula instead of keeping the cached results', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = 2;
    ws.getCell('A2').value = 3.25;
    ws.getCell('A3').value = { formula: 'A1*A2', result: 999 };
    ws.getCell('A4').value = { formula: 'ROUND(A2/3,2)', result: 999 };
    ws.getCell('A5').value = { formula: 'A1-A1', result: 5 };
    const buffer = new Uint8Array(await wb.xlsx.writeBuffer());
    const out = await recomputeWithLibreOffice({ probe: buffer });
    const sheet = out.probe!.getWorksheet('S')!;
    expect(computed(sheet.getCell('A3'))).toBe(6.5);
    expect(computed(sheet.getCell('A4'))).toBe(1.08);
    expect(computed(sheet.getCell('A5'))).toBe(0);
  }, 180_000);
});
