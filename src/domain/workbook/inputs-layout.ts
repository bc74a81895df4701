/**
 * The Inputs sheet of a scenario workbook: where every scenario input lives, under which defined
 * name, in which unit. The export (src/store/xlsx) writes it, the Ledger and Metrics sheets refer
 * to its names, and the import reads it back; the layout is therefore FIXED and STABLE:
 *
 * - Cell addresses do not depend on the scenario. Every list has as many rows reserved as the
 *   schema allows (`maxRows`), so a cell always means the same field.
 * - Columns of the scalar block: A label (user's language), B value, C unit, D field path
 *   (machine-readable, e.g. `timeline.startYear`). Row 1 is a header row.
 * - Scalars start at row {@link SCALAR_FIRST_ROW}, one per row, in the order of
 *   {@link SCALAR_INPUTS}. Each value cell (column B) has a workbook-level defined name
 *   (`in_timeline_startYear`, see {@link definedName}).
 * - Tables follow, in the order of {@link INPUT_TABLES}, each with a title row, a header row
 *   (column A "#", then one column per field from B, labels in the user's language), then
 *   `maxRows` data rows (column A is the 1-based item number). Each column's data range has a
 *   defined name (`in_sources_amountYuan` = the reserved rows of that column). Item i (0-based)
 *   of a list is on data row i; the first empty key cell ends the list on reading.
 * - Units: `yuan` amounts are numbers in yuan (at most 2 decimals), `fraction` rates are
 *   fractions (0.05 = 5 %), `int` whole numbers, `date` is text `YYYY-MM-DD`, `enum` is one of
 *   `values`, `boolean` is TRUE/FALSE, `text` is text, `list` is comma-separated ids, `json` is
 *   the canonical JSON of a section the sheet does not flatten (fiscal, risks).
 * - An optional section (government.operatingSubsidy, government.availabilityPayment,
 *   funding.waterfall, reserves.dsra, reserves.lockUp, indirectTax, fiscal, risks) exists when
 *   at least one of its cells is filled; an empty optional cell means "absent" (the schema's
 *   default then applies).
 *
 * Pure: no I/O; the exceljs writing is src/store/xlsx.
 */
import { DELIVERIES, REPAYMENTS, SECTORS, SOURCE_TYPES } from '../scenario/schema';
import { OWNERSHIPS } from '../scenario/ownership';
import { DRAW_TIMINGS } from '../scenario/draw-timing';
import { DSRA_FUNDING } from '../scenario/reserves';
import { URBAN_MAINTENANCE_RATES } from '../scenario/indirect-tax';

/** The sheet's name (the same in every language, so formulas and the import can find it). */
export const INPUTS_SHEET = 'Inputs';

/** The kind of value a cell holds (see the module comment for how each is written). */
export type InputUnit =
  'yuan' | 'fraction' | 'decimal' | 'int' | 'date' | 'enum' | 'boolean' | 'text' | 'list' | 'json';

/** A label in both languages of the UI. */
export interface Label {
  en: string;
  zh: string;
}

/** One input field: its path inside the scenario object, its unit and label. */
export interface InputField {
  /** Path from the scenario root (scalars) or from the list item (table columns). */
  path: readonly (string | number)[];
  unit: InputUnit;
  label: Label;
  /** For `enum`: the allowed values (also the import template's validation list). */
  values?: readonly string[];
  /** Optional in the schema (an empty cell means absent or default). */
  optional?: boolean;
}

/** A list of the scenario laid out as a table of reserved rows. */
export interface InputTable {
  /** Short key, used in defined names (`in_<key>_<column>`). */
  key: string;
  /** Path of the list in the scenario. */
  path: readonly string[];
  title: Label;
  /** Rows reserved: the schema's maximum length of the list. */
  maxRows: number;
  /**
   * Columns from B. For a list of plain values (capex.scheduleYuan) there is one column with
   * an empty path: the item itself.
   */
  columns: readonly InputField[];
}

const f = (
  path: string,
  unit: InputUnit,
  en: string,
  zh: string,
  extra: Partial<InputField> = {},
): InputField => ({
  path: path === '' ? [] : path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
  unit,
  label: { en, zh },
  ...extra,
});
const opt = { optional: true };

/** Scalar inputs, one row each from {@link SCALAR_FIRST_ROW}, in this order. Append only. */
export const SCALAR_INPUTS: readonly InputField[] = [
  f('project.code', 'text', 'Project code', '项目编号'),
  f('project.name', 'text', 'Project name', '项目名称'),
  f('project.nameEn', 'text', 'English project name', '项目英文名称', opt),
  f('project.sector', 'enum', 'Sector', '行业', { values: SECTORS }),
  f('project.category', 'enum', 'Category', '类别', { values: ['basic', 'market-oriented'] }),
  f('project.approvalDate', 'date', 'Approval date', '批复日期'),
  f('project.jurisdiction', 'text', 'Jurisdiction', '辖区', opt),
  f('scenario.name', 'text', 'Scenario name', '方案名称'),
  f('scenario.delivery', 'enum', 'Delivery model', '实施模式', { values: DELIVERIES }),
  f('scenario.description', 'text', 'Description', '说明', opt),
  f('timeline.startYear', 'int', 'Start year', '起始年份'),
  f('timeline.constructionYears', 'int', 'Construction years', '建设期（年）'),
  f('timeline.operationYears', 'int', 'Operation years', '运营期（年）'),
  f('operatingCost.annualYuan', 'yuan', 'Operating cost a year', '年运营成本'),
  f('operatingCost.escalation', 'fraction', 'Operating cost escalation', '运营成本年增长率', opt),
  f('residualValueYuan', 'yuan', 'Residual value', '残值', opt),
  f(
    'government.operatingSubsidy.annualYuan',
    'yuan',
    'Operating subsidy a year',
    '年运营补贴',
    opt,
  ),
  f(
    'government.operatingSubsidy.escalation',
    'fraction',
    'Operating subsidy escalation',
    '运营补贴年增长率',
    opt,
  ),
  f('government.operatingSubsidy.years', 'int', 'Operating subsidy years', '运营补贴年限', opt),
  f(
    'government.availabilityPayment.method',
    'enum',
    'Availability payment method',
    '可用性付费方法',
    { values: ['mof-formula', 'annuity'], optional: true },
  ),
  f(
    'government.availabilityPayment.constructionCostYuan',
    'yuan',
    'Construction cost for the availability payment',
    '可用性付费建设成本',
    opt,
  ),
  f(
    'government.availabilityPayment.profitRate',
    'fraction',
    'Reasonable profit rate',
    '合理利润率',
    opt,
  ),
  f(
    'government.availabilityPayment.discountRate',
    'fraction',
    'Annual discount rate',
    '年度折现率',
    opt,
  ),
  f('government.availabilityPayment.annuityRate', 'fraction', 'Annuity rate', '年金利率', opt),
  f(
    'government.availabilityPayment.periodYears',
    'int',
    'Payment period (years)',
    '付费期（年）',
    opt,
  ),
  f(
    'government.availabilityPayment.firstIndex',
    'int',
    'First period index (0 or 1)',
    '首期序号（0或1）',
    opt,
  ),
  f(
    'government.availabilityPayment.includeOperatingCost',
    'boolean',
    'Include operating cost',
    '含运营成本',
    opt,
  ),
  f(
    'government.availabilityPayment.deductUserFees',
    'boolean',
    'Deduct user fees',
    '扣除使用者付费',
    opt,
  ),
  f('tax.incomeTaxRate', 'fraction', 'Income tax rate', '所得税率', opt),
  f('tax.depreciationYears', 'int', 'Depreciation years', '折旧年限', opt),
  f('tax.lossCarryForwardYears', 'int', 'Loss carry-forward years', '亏损结转年限', opt),
  f('discountRates.project', 'fraction', 'Project discount rate', '项目折现率'),
  f('discountRates.equity', 'fraction', 'Equity discount rate', '资本金折现率'),
  f('discountRates.government', 'fraction', 'Government discount rate', '政府折现率'),
  f('covenants.minDscr', 'decimal', 'Minimum DSCR covenant', '最低偿债覆盖率', opt),
  f('covenants.bondCoverage', 'decimal', 'Special-bond coverage threshold', '专项债覆盖倍数', opt),
  f('shortfall', 'enum', 'Who funds shortfalls', '缺口由谁承担', {
    values: ['government', 'equity', 'unfunded'],
    optional: true,
  }),
  f(
    'funding.waterfall.preferredSourceIds',
    'list',
    'Preferred equity source ids',
    '优先级资本金来源',
    opt,
  ),
  f('funding.waterfall.preferredRate', 'fraction', 'Preferred return rate', '优先回报率', opt),
  f(
    'funding.waterfall.returnOfCapital',
    'boolean',
    'Return of capital to the preferred class',
    '优先级返还本金',
    opt,
  ),
  f('funding.waterfall.capped', 'boolean', 'Preferred class capped', '优先级封顶', opt),
  f('reserves.dsra.months', 'int', 'DSRA months of debt service', '偿债准备金（月）', opt),
  f('reserves.dsra.funding', 'enum', 'DSRA funded from', '偿债准备金来源', {
    values: DSRA_FUNDING,
    optional: true,
  }),
  f('reserves.lockUp.minDscr', 'decimal', 'Lock-up DSCR', '锁定偿债覆盖率', opt),
  f('indirectTax.capexInputRate', 'fraction', 'Input VAT rate on capex', '建设投资进项税率', opt),
  f(
    'indirectTax.opexInputRate',
    'fraction',
    'Input VAT rate on operating cost',
    '运营成本进项税率',
    opt,
  ),
  f(
    'indirectTax.availabilityPaymentRate',
    'fraction',
    'VAT rate on the availability payment',
    '可用性付费销项税率',
    opt,
  ),
  f(
    'indirectTax.operatingSubsidyRate',
    'fraction',
    'VAT rate on the operating subsidy',
    '运营补贴销项税率',
    opt,
  ),
  f('indirectTax.urbanMaintenanceRate', 'enum', 'Urban maintenance tax rate', '城市维护建设税率', {
    values: URBAN_MAINTENANCE_RATES,
    optional: true,
  }),
  f('indirectTax.educationRate', 'fraction', 'Education surcharge rate', '教育费附加率', opt),
  f(
    'indirectTax.localEducationRate',
    'fraction',
    'Local education surcharge rate',
    '地方教育附加率',
    opt,
  ),
  f('fiscal', 'json', 'Fiscal inputs (JSON)', '财政参数（JSON）', opt),
  f('risks', 'json', 'Risk register (JSON)', '风险清单（JSON）', opt),
];

const RAMP_UP_COLUMNS = Array.from({ length: 10 }, (_, i) =>
  f(`rampUp.${i}`, 'fraction', `Ramp-up year ${i + 1}`, `爬坡第${i + 1}年`, opt),
);

/** Lists, laid out as tables after the scalars, in this order. Append only. */
export const INPUT_TABLES: readonly InputTable[] = [
  {
    key: 'capex',
    path: ['capex', 'scheduleYuan'],
    title: { en: 'Capital expenditure by construction year', zh: '分年建设投资' },
    maxRows: 10,
    columns: [f('', 'yuan', 'Capex', '建设投资')],
  },
  {
    key: 'revenues',
    path: ['revenues'],
    title: { en: 'Revenue streams', zh: '收入来源' },
    maxRows: 20,
    columns: [
      f('kind', 'enum', 'Kind', '类型', { values: ['user-fee', 'public-data', 'other'] }),
      f('name', 'text', 'Name', '名称'),
      f('unitPriceYuan', 'decimal', 'Unit price (yuan)', '单价（元）', opt),
      f('annualVolume', 'decimal', 'Annual volume', '年业务量', opt),
      f('volumeGrowth', 'fraction', 'Volume growth', '业务量增长率', opt),
      f('priceEscalation', 'fraction', 'Price escalation', '价格增长率', opt),
      f('annualIncomeYuan', 'yuan', 'Licensing income a year', '年授权收入', opt),
      f('annualYuan', 'yuan', 'Other income a year', '年其他收入', opt),
      f('growth', 'fraction', 'Income growth', '收入增长率', opt),
      f('allowedProfitRate', 'fraction', 'Allowed profit rate', '允许利润率', opt),
      f('taxRate', 'fraction', 'Tax rate on data income', '数据收入税率', opt),
      f('costBaseShare', 'fraction', 'Share of opex for data operation', '数据运营成本占比', opt),
      f(
        'authorityShare',
        'fraction',
        'Revenue share to the data authority',
        '数据主管部门分成比例',
        opt,
      ),
      f('vatRate', 'fraction', 'VAT rate', '增值税率', opt),
      ...RAMP_UP_COLUMNS,
    ],
  },
  {
    key: 'sources',
    path: ['funding', 'sources'],
    title: { en: 'Funding sources', zh: '资金来源' },
    maxRows: 30,
    columns: [
      f('id', 'text', 'Id', '编号'),
      f('name', 'text', 'Name', '名称'),
      f('type', 'enum', 'Type', '类型', { values: SOURCE_TYPES }),
      f('amountYuan', 'yuan', 'Amount', '金额', opt),
      f('share', 'fraction', 'Share of total investment', '占总投资比例', opt),
      f('ownership', 'enum', 'Ownership', '所有制', { values: OWNERSHIPS, optional: true }),
      f('drawTiming', 'enum', 'Draw timing', '提款时点', { values: DRAW_TIMINGS, optional: true }),
      f('debt.annualRate', 'fraction', 'Interest rate', '利率', opt),
      f('debt.tenorYears', 'int', 'Tenor (years)', '期限（年）', opt),
      f('debt.graceYears', 'int', 'Grace years', '宽限期（年）', opt),
      f('debt.repayment', 'enum', 'Repayment', '还款方式', { values: REPAYMENTS, optional: true }),
      f('debt.targetDscr', 'decimal', 'Target DSCR', '目标偿债覆盖率', opt),
      f('debt.constructionInterest', 'enum', 'Construction interest', '建设期利息', {
        values: ['capitalised', 'paid'],
        optional: true,
      }),
      f('debt.upfrontFeeRate', 'fraction', 'Upfront fee rate', '前端费率', opt),
      f('debt.seniority', 'int', 'Seniority', '受偿顺序', opt),
    ],
  },
  {
    key: 'maintenance',
    path: ['reserves', 'maintenance'],
    title: { en: 'Major maintenance', zh: '大修支出' },
    maxRows: 50,
    columns: [
      f('year', 'int', 'Operation year', '运营年'),
      f('amountYuan', 'yuan', 'Amount', '金额'),
    ],
  },
];

/** First row of the scalar block (row 1 is the header). */
export const SCALAR_FIRST_ROW = 2;

/** Placement of one table: its title row, header row and data rows (1-based sheet rows). */
export interface TablePlacement {
  table: InputTable;
  titleRow: number;
  headerRow: number;
  firstDataRow: number;
  lastDataRow: number;
}

/** One blank row between blocks. */
function placeTables(): TablePlacement[] {
  let row = SCALAR_FIRST_ROW + SCALAR_INPUTS.length + 1;
  return INPUT_TABLES.map((table) => {
    const p = {
      table,
      titleRow: row,
      headerRow: row + 1,
      firstDataRow: row + 2,
      lastDataRow: row + 1 + table.maxRows,
    };
    row = p.lastDataRow + 2;
    return p;
  });
}

/** Where each table is, in {@link INPUT_TABLES} order. */
export const TABLE_PLACEMENTS: readonly TablePlacement[] = placeTables();

/** Column letters of a 1-based column number (1 → A, 27 → AA). */
export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** 1-based column number of column letters (A → 1). */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const nameOf = (path: readonly (string | number)[]) =>
  path
    .map(String)
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_');

/**
 * The defined name of a scalar input's value cell (`in_timeline_startYear`) or of a table
 * column's data range (`in_sources_debt_annualRate`; the capex column is `in_capex`).
 */
export function definedName(field: InputField, table?: InputTable): string {
  if (table)
    return field.path.length === 0 ? `in_${table.key}` : `in_${table.key}_${nameOf(field.path)}`;
  return `in_${nameOf(field.path)}`;
}

/** The value cell of a scalar (absolute A1 address, e.g. `$B$12`), by its field path text. */
export function scalarCell(path: string): string {
  const i = SCALAR_INPUTS.findIndex((s) => s.path.join('.') === path);
  if (i < 0) throw new Error(`No scalar input ${path} on the Inputs sheet`);
  return `$B$${SCALAR_FIRST_ROW + i}`;
}

/**
 * The cell of item `index` (0-based) of a table's column (absolute address, e.g. `$E$70`).
 * @throws Error when the table or column does not exist or the index is past `maxRows`.
 */
export function tableCell(tableKey: string, columnPath: string, index: number): string {
  const p = TABLE_PLACEMENTS.find((t) => t.table.key === tableKey);
  if (!p) throw new Error(`No table ${tableKey} on the Inputs sheet`);
  const c = p.table.columns.findIndex((col) => col.path.join('.') === columnPath);
  if (c < 0) throw new Error(`No column ${columnPath} in table ${tableKey}`);
  if (index < 0 || index >= p.table.maxRows)
    throw new Error(`Row ${index} is outside table ${tableKey}`);
  return `$${columnLetters(c + 2)}$${p.firstDataRow + index}`;
}

/** What a cell of the Inputs sheet holds, as found by {@link fieldAtCell}. */
export type CellMeaning =
  | { kind: 'scalar'; field: InputField; path: (string | number)[] }
  | {
      kind: 'table-item';
      table: InputTable;
      field: InputField;
      index: number;
      path: (string | number)[];
    }
  | { kind: 'label' };

/**
 * The input a cell of the Inputs sheet holds, with its full field path in the scenario
 * (`['funding', 'sources', 2, 'debt', 'annualRate']`), so the import can name the field of a
 * cell and the cell of a field. Value cells only: labels, units, headers and titles give
 * `{ kind: 'label' }`; a cell outside the layout gives undefined.
 * @param address A1 address, with or without `$` (`C12`, `$C$12`).
 */
export function fieldAtCell(address: string): CellMeaning | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(address.trim());
  if (!m) return undefined;
  const col = columnNumber(m[1] as string);
  const row = Number(m[2]);
  const s = row - SCALAR_FIRST_ROW;
  if (row === 1 && col <= 4) return { kind: 'label' };
  if (s >= 0 && s < SCALAR_INPUTS.length) {
    const field = SCALAR_INPUTS[s] as InputField;
    if (col === 2) return { kind: 'scalar', field, path: [...field.path] };
    return col <= 4 ? { kind: 'label' } : undefined;
  }
  for (const p of TABLE_PLACEMENTS) {
    if (row < p.titleRow || row > p.lastDataRow) continue;
    if (col > p.table.columns.length + 1) return undefined;
    if (row < p.firstDataRow || col === 1) return { kind: 'label' };
    const field = p.table.columns[col - 2] as InputField;
    const index = row - p.firstDataRow;
    return {
      kind: 'table-item',
      table: p.table,
      field,
      index,
      path: [...p.table.path, index, ...field.path],
    };
  }
  return undefined;
}

/**
 * The cell of a field path (the inverse of {@link fieldAtCell}), e.g.
 * `['funding', 'sources', 2, 'debt', 'annualRate']` → `I96`; undefined for a path the sheet
 * does not lay out (inside a `json` section, the cell is the section's).
 */
export function cellOfField(path: readonly (string | number)[]): string | undefined {
  const text = path.join('.');
  const s = SCALAR_INPUTS.findIndex((x) => x.path.join('.') === text);
  if (s >= 0) return `B${SCALAR_FIRST_ROW + s}`;
  for (const p of TABLE_PLACEMENTS) {
    const n = p.table.path.length;
    if (path.length < n + 1 || p.table.path.some((seg, i) => path[i] !== seg)) continue;
    const index = path[n];
    if (typeof index !== 'number' || index >= p.table.maxRows) return undefined;
    const rest = path.slice(n + 1).join('.');
    const c = p.table.columns.findIndex((col) => col.path.join('.') === rest);
    return c < 0 ? undefined : `${columnLetters(c + 2)}${p.firstDataRow + index}`;
  }
  const json = SCALAR_INPUTS.findIndex((x) => x.unit === 'json' && x.path[0] === path[0]);
  return json >= 0 ? `B${SCALAR_FIRST_ROW + json}` : undefined;
}
