import ExcelJS from 'exceljs';
import type { Dec } from '../../domain/decimal';
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
import {
  LEDGER_SHEET,
  ledgerSheet,
  workingLayout,
  workingRows,
  type LedgerSheetLine,
  type WorkingRow,
} from '../../domain/workbook/ledger-formulas';
import {
  METRICS_SHEET,
  NONE_TEXT,
  helperRow,
  metricsSheet,
  type MetricRow,
} from '../../domain/workbook/metrics-formulas';
import { addInputValidations } from './inputs-validation';

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
export const AMOUNT_FORMAT: Record<WorkbookOptions['unit'], string> = {
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

/** A ledger cell's number format: ratios to 6 dp, amounts in the user's unit. */
const formatOf = (kind: 'amount' | 'ratio', o: WorkbookOptions) =>
  kind === 'ratio' ? '0.000000' : AMOUNT_FORMAT[o.unit];

const cached = (v: Dec | null | undefined): number | string => (v ? v.toNumber() : '');

function writeLedger(
  wb: ExcelJS.Workbook,
  lines: readonly LedgerSheetLine[],
  result: SimulationResult,
  o: WorkbookOptions,
): void {
  const ws = wb.addWorksheet(LEDGER_SHEET, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
  });
  ws.getColumn(1).width = 40;
  const header: ExcelJS.CellValue[] = [o.lang === 'zh' ? '项目' : 'Line'];
  for (const y of result.ledger) header.push(y.year);
  ws.getRow(1).values = header;
  ws.getRow(1).font = { bold: true };
  for (const { line, row: r, cells } of lines) {
    const row = ws.getRow(r);
    row.getCell(1).value = o.lang === 'zh' ? line.labelZh : line.label;
    cells.forEach((c, j) => {
      const cell = row.getCell(2 + j);
      if (c.kind === 'zero') cell.value = 0;
      else if (c.kind === 'formula') cell.value = { formula: c.formula, result: cached(c.value) };
      else {
        if (c.value === null) return;
        cell.value = c.value.toNumber();
        cell.fill = ENGINE_VALUE_FILL;
      }
      cell.numFmt = formatOf(line.kind, o);
    });
    if (line.total) row.font = { bold: true };
  }
  for (let c = 2; c <= header.length; c++) ws.getColumn(c).width = 16;
}

const WORKING_HEADER = {
  en: ['Working cells', 'Weight', 'Exact part (fen)', 'Floor (fen)', 'Fraction', 'Rank', 'Amount'],
  zh: ['辅助单元格', '权重', '精确份额（分）', '取整（分）', '余数', '排名', '金额'],
} as const;

/** The working cells below the ledger (committed amounts, depreciable base). */
function writeWorking(
  ws: ExcelJS.Worksheet,
  rows: readonly WorkingRow[],
  headerRow: number,
  o: WorkbookOptions,
): void {
  ws.getRow(headerRow).values = [...WORKING_HEADER[o.lang]];
  ws.getRow(headerRow).font = { bold: true };
  for (const w of rows) {
    const row = ws.getRow(w.row);
    row.getCell(1).value = w.label[o.lang];
    for (const c of w.cells) {
      const cell = row.getCell(c.col);
      cell.value = { formula: c.formula, result: c.value };
      if (c.col === 'B' || c.col === 'G') cell.numFmt = '#,##0.00';
    }
  }
}

const METRIC_FORMAT: Record<MetricRow['kind'], (o: WorkbookOptions) => string> = {
  amount: (o) => AMOUNT_FORMAT[o.unit],
  ratio: () => '0.000000',
  rate: () => '0.00%',
  years: () => '0.00',
};

function writeMetrics(wb: ExcelJS.Workbook, rows: readonly MetricRow[], o: WorkbookOptions): void {
  const ws = wb.addWorksheet(METRICS_SHEET, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }],
  });
  ws.getColumn(1).width = 44;
  for (let c = 2; c <= 60; c++) ws.getColumn(c).width = 18;
  ws.getRow(1).values = o.lang === 'zh' ? ['指标', '值'] : ['Metric', 'Value'];
  ws.getRow(1).font = { bold: true };
  const metrics = rows.filter((r) => !r.years);
  metrics.forEach((m, i) => {
    const row = ws.getRow(2 + i);
    row.getCell(1).value = m.label[o.lang];
    const cell = row.getCell(2);
    const value =
      m.value === null ? NONE_TEXT : typeof m.value === 'number' ? m.value : m.value.toNumber();
    if (m.formula !== null) cell.value = { formula: m.formula, result: value };
    else {
      cell.value = value;
      cell.fill = ENGINE_VALUE_FILL;
    }
    cell.numFmt = METRIC_FORMAT[m.kind](o);
  });
  const helpers = rows.filter((r) => r.years);
  const headerRow = helperRow(metrics.length, 0) - 1;
  ws.getCell(`A${headerRow}`).value = o.lang === 'zh' ? '辅助行' : 'Working rows';
  ws.getCell(`A${headerRow}`).font = { bold: true };
  helpers.forEach((h, i) => {
    const row = ws.getRow(headerRow + 1 + i);
    row.getCell(1).value = h.label[o.lang];
    h.years!.forEach((formula, t) => {
      const cell = row.getCell(2 + t);
      cell.value = { formula, result: h.cached?.[t] ?? 0 };
      cell.numFmt = METRIC_FORMAT[h.kind](o);
    });
  });
}

const NOTES = {
  en: [
    "Ledger and Metrics cells are formulas over the Inputs sheet and the rows above them, rounded to the fen (ROUND, half away from zero, products with rates through the fen to 1e-4 first so midpoints round as the engine) where the FundMix engine posts an amount; each holds the engine's figure as its cached value.",
    'The timeline (start year, construction and operation years) and the number of revenue streams, sources and maintenance items shape the sheets: changing them needs a new export.',
    'Cells with a yellow fill are values computed by the FundMix engine, not formulas: they do not follow a change of the Inputs. These lines and metrics:',
  ],
  zh: [
    '台账（Ledger）与指标（Metrics）单元格为引用输入表（Inputs）及上方各行的公式，在FundMix引擎取整到分之处四舍五入到分（ROUND；金额乘以比率时先按分取到万分之一，使中点与引擎一致）；单元格缓存值为引擎结果。',
    '时间轴（起始年份、建设期、运营期）及收入来源、资金来源、大修项目的数量决定表格结构：修改它们需要重新导出。',
    '黄色底纹的单元格为FundMix引擎计算值（非公式），不随输入表的修改而变化。这些行和指标是：',
  ],
} as const;

/** The Notes sheet's line when no cell is an engine value. */
export const NOTES_NONE = {
  en: 'None: every Ledger line and every metric of this workbook is a formula.',
  zh: '无：本工作簿台账的每一行和每个指标均为公式。',
} as const;

/** The Notes sheet's name. */
export const NOTES_SHEET = 'Notes';

function writeNotes(
  wb: ExcelJS.Workbook,
  ledger: readonly LedgerSheetLine[],
  metrics: readonly MetricRow[],
  o: WorkbookOptions,
): void {
  const ws = wb.addWorksheet(NOTES_SHEET);
  ws.getColumn(1).width = 110;
  NOTES[o.lang].forEach((text, i) => (ws.getCell(`A${1 + i}`).value = text));
  const values = [
    ...ledger
      .filter((l) => !l.formulas)
      .map((l) => `${LEDGER_SHEET}: ${o.lang === 'zh' ? l.line.labelZh : l.line.label}`),
    ...metrics
      .filter((m) => !m.years && m.formula === null && m.value !== null)
      .map((m) => `${METRICS_SHEET}: ${m.label[o.lang]}`),
  ];
  if (values.length === 0) ws.getCell('A4').value = NOTES_NONE[o.lang];
  values.forEach((text, i) => {
    const cell = ws.getCell(`A${4 + i}`);
    cell.value = text;
    cell.fill = ENGINE_VALUE_FILL;
  });
}

/**
 * The workbook of one scenario and its run, as .xlsx bytes: Inputs (the fixed layout of
 * src/domain/workbook/inputs-layout.ts with its defined names), Ledger (formulas of
 * src/domain/workbook/ledger-formulas.ts, engine values where a line has none), Metrics
 * (src/domain/workbook/metrics-formulas.ts), Notes (which lines are engine values) and the hidden
 * Lists of the Inputs' drop-down validations (as the import template's).
 */
export async function scenarioWorkbook(
  scenario: Scenario,
  result: SimulationResult,
  options: WorkbookOptions,
): Promise<Buffer> {
  const ledger = ledgerSheet(scenario, result);
  return workbookOfSheets(
    scenario,
    result,
    ledger,
    metricsSheet(scenario, result, ledger),
    options,
  );
}

/**
 * The workbook of {@link scenarioWorkbook} from its Ledger and Metrics models as given: a line
 * with `formulas` false or a metric without a formula is written as the engine's values, filled
 * yellow and listed on the Notes sheet. Exported so a test can give it such a line (no shipped
 * scenario has one).
 */
export async function workbookOfSheets(
  scenario: Scenario,
  result: SimulationResult,
  ledger: readonly LedgerSheetLine[],
  metrics: readonly MetricRow[],
  options: WorkbookOptions,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'FundMix';
  const inputs = writeInputs(wb, scenario, options);
  writeLedger(wb, ledger, result, options);
  writeWorking(
    wb.getWorksheet(LEDGER_SHEET)!,
    workingRows(scenario, result, ledger),
    workingLayout(scenario, ledger.length).headerRow,
    options,
  );
  writeMetrics(wb, metrics, options);
  writeNotes(wb, ledger, metrics, options);
  // Last, so the hidden Lists sheet follows the sheets a reader sees.
  addInputValidations(wb, inputs, options);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
