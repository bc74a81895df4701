import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ledgerLines } from '../../../src/domain/engine/ledger-table';
import { simulate } from '../../../src/domain/engine/simulate';
import { parseScenarioText } from '../../../src/domain/scenario/parse';
import { ledgerSheet } from '../../../src/domain/workbook/ledger-formulas';
import { metricsSheet } from '../../../src/domain/workbook/metrics-formulas';
import {
  NOTES_NONE,
  scenarioWorkbook,
  workbookOfSheets,
} from '../../../src/store/xlsx/scenario-workbook';

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
        // A formula's cached result or an engine value: the engine's figure either way.
        const raw = ws?.getCell(2 + i, 2 + j).value;
        const cell = raw && typeof raw === 'object' && 'formula' in raw ? (raw.result ?? 0) : raw;
        expect(String(cell)).toBe(v.toNumber().toString());
      });
    });
    expect(wb.getWorksheet('Notes')).toBeDefined();
  });

  it('writes the operating lines as formulas over the named inputs, rounded to the fen', async () => {
    const wb = await load('en');
    const ws = wb.getWorksheet('Ledger')!;
    const rowOf = (label: string) =>
      ledgerLines(simulate(scenario)).findIndex((l) => l.label === label) + 2;
    // 2026-2027 construction, 2028 the first operation year (column D).
    expect(ws.getCell(rowOf('Capital expenditure'), 2).value).toMatchObject({
      formula: 'ROUND(Inputs!$B$58,2)',
      result: 72000000,
    });
    expect(ws.getCell(rowOf('Operating cost'), 5).value).toMatchObject({
      formula: 'ROUND(in_operatingCost_annualYuan*(1+in_operatingCost_escalation)^1,2)',
      result: 6120000,
    });
    const metrics = wb.getWorksheet('Metrics')!;
    expect(metrics.getCell('A3').value).toBe('Project NPV (after tax)');
    expect(String((metrics.getCell('B3').value as { formula: string }).formula)).toMatch(
      /^ROUND\(NPV\(in_discountRates_project,Ledger!\$B\$\d+:\$R\$\d+\),2\)$/,
    );
  });

  it('lists on the Notes sheet no engine-value line when every rule is a formula', async () => {
    const text = readFileSync(
      join(__dirname, '../../../data/demo/scenarios/sc-water--concession.json'),
      'utf8',
    );
    const notesOf = async (scenario: ReturnType<typeof parseScenarioText>) => {
      const bytes = await scenarioWorkbook(scenario, simulate(scenario), {
        lang: 'en',
        unit: 'wan',
      });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      const notes: string[] = [];
      wb.getWorksheet('Notes')!.eachRow((row) => notes.push(String(row.getCell(1).value)));
      return { wb, notes };
    };
    // VAT, reserve accounts and a preferred-equity waterfall: every line is a formula.
    const shipped = await notesOf(parseScenarioText(text));
    expect(shipped.notes.filter((n) => /^(Ledger|Metrics):/.test(n))).toEqual([]);
    // Said plainly, and not filled as an engine value.
    expect(shipped.notes[3]).toBe(NOTES_NONE.en);
    expect(shipped.notes).toHaveLength(4);
    expect(shipped.wb.getWorksheet('Notes')!.getCell('A4').fill).toBeUndefined();
    // Unfunded shortfalls with reserve accounts: the DSRA and the cash lines are formulas too.
    const input = JSON.parse(text) as Record<string, unknown>;
    const water = parseScenarioText(JSON.stringify({ ...input, shortfall: 'unfunded' }));
    const { wb, notes } = await notesOf(water);
    expect(notes.filter((n) => /^(Ledger|Metrics):/.test(n))).toEqual([]);
    const ledger = wb.getWorksheet('Ledger')!;
    const dsraRow = ledgerLines(simulate(water)).findIndex((l) => l.key === 'dsra-balance') + 2;
    const dsra = ledger.getCell(dsraRow, 4);
    expect(dsra.value).toMatchObject({ formula: expect.stringMatching(/^ROUND\(/) });
    expect(dsra.fill).not.toMatchObject({ fgColor: { argb: 'FFFFF2CC' } });
    expect(ledger.getCell(2, 2).value).toMatchObject({ formula: 'ROUND(Inputs!$B$58,2)' });
    expect(ledger.getCell(2, 2).numFmt).toBe('0!.0000"万元"');
  });

  it('writes a line or metric without a formula as the engine’s values, filled and listed on Notes', async () => {
    // No scenario has such a line (test/domain/workbook/ledger-coverage.test.ts): the fallback is
    // fed one here, the operating cost and the project NPV as engine values.
    const water = parseScenarioText(
      readFileSync(
        join(__dirname, '../../../data/demo/scenarios/sc-water--concession.json'),
        'utf8',
      ),
    );
    const result = simulate(water);
    const lines = ledgerSheet(water, result);
    const metrics = metricsSheet(water, result, lines);
    const opex = lines.findIndex((l) => l.line.key === 'opex');
    const npv = metrics.findIndex((m) => m.key === 'project-npv');
    const engineLines = lines.map((l, i) =>
      i === opex
        ? {
            ...l,
            formulas: false,
            cells: l.line.values.map((value) => ({ kind: 'engine' as const, value })),
          }
        : l,
    );
    const engineMetrics = metrics.map((m, i) => (i === npv ? { ...m, formula: null } : m));
    const read = async (lang: 'en' | 'zh') => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(
        (await workbookOfSheets(water, result, engineLines, engineMetrics, {
          lang,
          unit: 'yuan',
        })) as unknown as ArrayBuffer,
      );
      return wb;
    };
    const wb = await read('en');
    const ledger = wb.getWorksheet('Ledger')!;
    const row = lines[opex]!.row;
    const yellow = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    // 2024-2025 construction (columns B, C): no operating cost; then 18,000,000.00 × 1.025^k.
    const opexCells = [2, 3, 4, 5, 6].map((c) => ledger.getCell(row, c));
    expect(opexCells.map((c) => c.value)).toEqual([0, 0, 18000000, 18450000, 18911250]);
    for (const c of opexCells) {
      expect(c.fill).toMatchObject(yellow);
      expect(c.formula).toBeUndefined();
    }
    // The line after it is still a formula, unfilled.
    expect(ledger.getCell(row + 1, 4).value).toMatchObject({ formula: expect.any(String) });
    expect(ledger.getCell(row + 1, 4).fill).not.toMatchObject(yellow);
    const metric = wb.getWorksheet('Metrics')!.getCell(2 + npv, 2);
    expect(metric.value).toBe(result.metrics.projectNpv.toNumber());
    expect(metric.fill).toMatchObject(yellow);
    const notes = wb.getWorksheet('Notes')!;
    expect(String(notes.getCell('A3').value)).toMatch(/^Cells with a yellow fill are values/);
    expect([
      notes.getCell('A4').value,
      notes.getCell('A5').value,
      notes.getCell('A6').value,
    ]).toEqual(['Ledger: Operating cost', 'Metrics: Project NPV (after tax)', null]);
    expect(notes.getCell('A4').fill).toMatchObject(yellow);
    const zh = (await read('zh')).getWorksheet('Notes')!;
    expect([zh.getCell('A4').value, zh.getCell('A5').value]).toEqual([
      'Ledger: 运营成本',
      `Metrics: ${metrics[npv]!.label.zh}`,
    ]);
  });

  it('freezes the headers, sets widths and shows amounts in the unit and labels in the language', async () => {
    const result = simulate(scenario);
    const bytes = await scenarioWorkbook(scenario, result, { lang: 'zh', unit: 'yi' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const [inputs, ledger, metrics] = ['Inputs', 'Ledger', 'Metrics'].map((n) =>
      wb.getWorksheet(n)!,
    );
    expect(inputs!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ledger!.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect(metrics!.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
    expect([ledger!.getColumn(1).width, ledger!.getColumn(2).width]).toEqual([40, 16]);
    expect(inputs!.getColumn(1).width).toBe(44);
    // Row 1: the label column and the years 2026 …; row 2 the capex, held in yuan, shown in 亿元.
    expect([ledger!.getCell('A1').value, ledger!.getCell('B1').value]).toEqual(['项目', 2026]);
    expect(ledger!.getCell('A2').value).toBe('建设投资');
    expect(ledger!.getCell('B2').numFmt).toBe('0!.00000000"亿元"');
    expect(ledger!.getCell('B2').value).toMatchObject({ result: 72000000 });
    expect(metrics!.getCell('A1').value).toBe('指标');
    expect(inputs!.getCell('C12').value).toBe('整数');
    expect(wb.getWorksheet('Notes')!.getCell('A4').value).toBe(NOTES_NONE.zh);
  });

  it('offers the drop-down lists of the import template on its Inputs sheet', async () => {
    const wb = await load('en');
    const ws = wb.getWorksheet('Inputs')!;
    // B5 project.sector (an enumeration), D95 the first source's type, B15 a free number.
    expect(ws.getCell('B5').value).toBe('iot-sensing');
    const sector = ws.getCell('B5').dataValidation;
    expect(sector).toMatchObject({
      type: 'list',
      allowBlank: true,
      error: 'Choose a value from the list.',
    });
    const lists = wb.getWorksheet('Lists')!;
    expect(lists.state).toBe('hidden');
    const [, col, last] = /^'Lists'!\$([A-Z]+)\$1:\$[A-Z]+\$(\d+)$/.exec(sector.formulae[0])!;
    const offered = Array.from(
      { length: Number(last) },
      (_, i) => lists.getCell(`${col}${i + 1}`).value,
    );
    expect(offered).toContain('iot-sensing');
    expect(offered).toHaveLength(11);
    expect(ws.getCell('D95').dataValidation?.type).toBe('list');
    expect(ws.getCell('B15').dataValidation).toBeUndefined();
    // The hidden sheet comes after the ones a reader sees.
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Inputs',
      'Ledger',
      'Metrics',
      'Notes',
      'Lists',
    ]);
  });
});
