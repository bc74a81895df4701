import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ledgerLines } from '../../../src/domain/engine/ledger-table';
import { simulate } from '../../../src/domain/engine/simulate';
import { parseScenarioText } from '../../../src/domain/scenario/parse';
import { scenarioWorkbook } from '../../../src/store/xlsx/scenario-workbook';

/** Issue 13: the exported scenario workbook reads back with its inputs, names and engine ledger. */

const scenario = parseScenarioText(
  readFileSync(join(__dirname, '../../../data/examples/iot-sensing-special-bond.json'), 'utf8'),
);

async function load(lang: 'en' | 'zh'): Promise<ExcelJS.Workbook> {
  const result = simulate(scenario);
  const bytes = await scenarioWorkbook(scenario, result, { lang, unit: 'yuan' });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

describe('scenario workbook', () => {
  it('has the Inputs sheet with named input cells holding the scenario', async () => {
    const wb = await load('zh');
    const ws = wb.getWorksheet('Inputs');
    expect(ws?.getCell('B2').value).toBe('DEMO-IOT-SENSING');
    expect(ws?.getCell('A12').value).toBe('起始年份');
    expect(ws?.getCell('B12').value).toBe(2026);
    expect(wb.definedNames.getRanges('in_timeline_startYear').ranges).toEqual(['Inputs!$B$12']);
  });

  it('has every ledger line of the engine, to the fen', async () => {
    const wb = await load('en');
    const ws = wb.getWorksheet('Ledger');
    const lines = ledgerLines(simulate(scenario));
    lines.forEach((line, i) => {
      expect(ws?.getCell(2 + i, 1).value).toBe(line.label);
      line.values.forEach((v, j) => {
        if (v === null) return;
        const cell = ws?.getCell(2 + i, 2 + j).value as number;
        expect(String(cell)).toBe(v.toNumber().toString());
      });
    });
    expect(wb.getWorksheet('Notes')).toBeDefined();
  });
});
