import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { runStoreCli as run } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';
import { EXAMPLES_DIR } from '../helpers/scenarios';

/** Issue 13: `fundmix export-xlsx FILE.json --out OUT.xlsx`. */

const example = path.join(EXAMPLES_DIR, 'smart-parking-concession.json');

describe('fundmix export-xlsx', () => {
  it('writes the workbook of a scenario file', async () => {
    const out = path.join(tempDir(), 'parking.xlsx');
    const r = await run(['export-xlsx', example, '--out', out, '--lang', 'en'], {
      cwd: process.cwd(),
    });
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(out) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Inputs',
      'Ledger',
      'Metrics',
      'Notes',
      'Lists',
    ]);
    expect(wb.getWorksheet('Ledger')?.getCell('B1').value).toBe(2025);
    expect(wb.getWorksheet('Ledger')?.getCell('B2').value).toMatchObject({ result: 180000000 });
  });

  it('refuses a missing file as bad input', async () => {
    const r = await run(['export-xlsx', 'nope.json', '--out', 'x.xlsx'], { cwd: tempDir() });
    expect(r.code).toBe(2);
  });
});
