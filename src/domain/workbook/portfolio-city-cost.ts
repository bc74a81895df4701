import { ZERO } from '../decimal';
import { CITY_COST_COLUMNS, FUND_BUDGET_COLUMNS, type CityCostColumns } from '../fiscal/city-cost';
import { columnLetter, yuanCell, type SheetCell, type SheetModel } from './portfolio-sheet';

/** One budget's side of a year, decimal text (the store's JSON form of `BudgetSide`). */
interface BudgetSideText {
  chargedYuan: string;
  budgetYuan: string | null;
  share: string | null;
  headroomYuan: string | null;
}

/** New issuance of one bond kind against its quota, decimal text. */
interface IssuanceSideText {
  issuedYuan: string;
  quotaYuan: string | null;
  headroomYuan: string | null;
  overYuan: string;
}

/** One year of the cost to the city (src/domain/fiscal/city-cost.ts), Decimals as text. */
export interface CityCostWorkbookYear {
  year: number;
  columns: { [K in keyof CityCostColumns]: string };
  totalYuan: string;
  general: BudgetSideText;
  fund: BudgetSideText;
  specialIssuance: IssuanceSideText;
  generalIssuance: IssuanceSideText;
}

/** The report's totals over the years, decimal text. */
export type CityCostWorkbookTotals = CityCostWorkbookYear['columns'] & { totalYuan: string };

/** Headings in the user's language. */
export interface CityCostWorkbookLabels {
  costSheet: string;
  quotaSheet: string;
  year: string;
  /** By column key of {@link CITY_COST_COLUMNS}. */
  columns: Record<keyof CityCostColumns, string>;
  total: string;
  totalRow: string;
  /** Full headings ("General public budget · Charged" and so on). */
  general: { charged: string; budget: string; share: string; headroom: string };
  fund: { charged: string; budget: string; share: string; headroom: string };
  special: { issued: string; quota: string; headroom: string; over: string };
  generalBond: { issued: string; quota: string; headroom: string; over: string };
}

const COLUMN_COUNT = CITY_COST_COLUMNS.length;
/** The sheet's column of a cost column (B for the first). */
const costLetter = (k: keyof CityCostColumns) => columnLetter(1 + CITY_COST_COLUMNS.indexOf(k));
const FIRST = columnLetter(1);
const LAST = columnLetter(COLUMN_COUNT);
/** Columns after the cost columns: the total, then each budget's four. */
const TOTAL = columnLetter(COLUMN_COUNT + 1);
const fourFrom = (first: number) =>
  [0, 1, 2, 3].map((i) => columnLetter(first + i)) as [string, string, string, string];
const GENERAL = fourFrom(COLUMN_COUNT + 2);
const FUND = fourFrom(COLUMN_COUNT + 6);

/** `ROUND(a+b,2)` of the fund budget's columns in row r. */
const fundSum = (r: number) =>
  `ROUND(${FUND_BUDGET_COLUMNS.map((k) => `${costLetter(k)}${r}`).join('+')},2)`;

/**
 * A budget's four cells: charged (formula `charged`), the budget, share `ROUND(charged ÷
 * budget, 6)` and headroom `ROUND(budget − charged, 2)`; without a budget figure only charged.
 */
function budgetCells(side: BudgetSideText, cols: readonly string[], r: number, charged: string) {
  const [c, b] = cols as [string, string];
  const has = side.budgetYuan !== null;
  return [
    yuanCell(side.chargedYuan, charged),
    yuanCell(side.budgetYuan),
    {
      kind: 'percent',
      value: side.share,
      ...(side.share !== null ? { formula: `ROUND(${c}${r}/${b}${r},6)` } : {}),
    } satisfies SheetCell,
    yuanCell(side.headroomYuan, has ? `ROUND(${b}${r}-${c}${r},2)` : undefined),
  ];
}

function costRow(y: CityCostWorkbookYear, r: number): SheetCell[] {
  return [
    { kind: 'integer', value: String(y.year) },
    ...CITY_COST_COLUMNS.map((k) => yuanCell(y.columns[k])),
    yuanCell(y.totalYuan, `ROUND(SUM(${FIRST}${r}:${LAST}${r}),2)`),
    ...budgetCells(y.general, GENERAL, r, `ROUND(${TOTAL}${r}-${fundSum(r)},2)`),
    ...budgetCells(y.fund, FUND, r, fundSum(r)),
  ];
}

/** Σ over the years of one decimal text, exactly. */
const sumOf = (years: readonly CityCostWorkbookYear[], pick: (y: CityCostWorkbookYear) => string) =>
  years.reduce((a, y) => a.plus(pick(y)), ZERO).toFixed(2);

/**
 * The totals row: each amount column summed over the years, `ROUND(SUM(…),2)`, and each
 * budget's charged amount; the budgets, shares and headroom are left empty.
 */
function totalsRow(
  totals: CityCostWorkbookTotals,
  years: readonly CityCostWorkbookYear[],
  label: string,
): SheetCell[] {
  const last = years.length + 1;
  const sum = (col: string, value: string) =>
    yuanCell(value, `ROUND(SUM(${col}2:${col}${last}),2)`);
  const empty: SheetCell = { kind: 'yuan', value: null };
  return [
    { kind: 'text', value: label },
    ...CITY_COST_COLUMNS.map((k) => sum(costLetter(k), totals[k])),
    sum(TOTAL, totals.totalYuan),
    sum(
      GENERAL[0],
      sumOf(years, (y) => y.general.chargedYuan),
    ),
    empty,
    empty,
    empty,
    sum(
      FUND[0],
      sumOf(years, (y) => y.fund.chargedYuan),
    ),
  ];
}

function issuanceCells(side: IssuanceSideText, first: number, r: number): SheetCell[] {
  const [i, q] = [columnLetter(first), columnLetter(first + 1)];
  const has = side.quotaYuan !== null;
  return [
    yuanCell(side.issuedYuan),
    yuanCell(side.quotaYuan),
    yuanCell(side.headroomYuan, has ? `ROUND(${q}${r}-${i}${r},2)` : undefined),
    has
      ? yuanCell(side.overYuan, `IF(${i}${r}>${q}${r},ROUND(${i}${r}-${q}${r},2),0)`)
      : yuanCell(side.overYuan),
  ];
}

/**
 * What a portfolio costs the city as two sheets (README "Portfolio workbooks"):
 *
 * - the cost by year: A year, B–L the government's columns of {@link CITY_COST_COLUMNS}, M the
 *   total `ROUND(SUM(B:L),2)`, N–Q the general public budget (charged `ROUND(M−H−I,2)`, the
 *   budget, share `ROUND(N÷O,6)`, headroom `ROUND(O−N,2)`), R–U the government-fund budget
 *   (charged `ROUND(H+I,2)`, the special bonds' service, then the same three); a last row sums
 *   every amount column over the years;
 * - the bond quotas: A year, B–E special bonds (issued, quota, headroom `ROUND(C−B,2)`, over
 *   `IF(B>C,ROUND(B−C,2),0)`), F–I general bonds the same.
 *
 * A year without a budget figure (or quota) has no formulas there. The engine's figures are the
 * cached values.
 */
export function cityCostSheets(
  report: { rows: readonly CityCostWorkbookYear[]; totals: CityCostWorkbookTotals },
  l: CityCostWorkbookLabels,
): SheetModel[] {
  const years = report.rows;
  const cost: SheetModel = {
    name: l.costSheet,
    headers: [
      l.year,
      ...CITY_COST_COLUMNS.map((k) => l.columns[k]),
      l.total,
      ...[l.general, l.fund].flatMap((b) => [b.charged, b.budget, b.share, b.headroom]),
    ],
    widths: [10, ...CITY_COST_COLUMNS.map(() => 18), 20, 20, 20, 11, 20, 20, 20, 11, 20],
    frozen: { rows: 1, columns: 1 },
    rows: [...years.map((y, i) => costRow(y, i + 2)), totalsRow(report.totals, years, l.totalRow)],
    boldRows: [years.length],
  };
  const quotas: SheetModel = {
    name: l.quotaSheet,
    headers: [
      l.year,
      l.special.issued,
      l.special.quota,
      l.special.headroom,
      l.special.over,
      l.generalBond.issued,
      l.generalBond.quota,
      l.generalBond.headroom,
      l.generalBond.over,
    ],
    widths: [10, 20, 20, 20, 20, 20, 20, 20, 20],
    frozen: { rows: 1, columns: 1 },
    rows: years.map((y, i) => [
      { kind: 'integer', value: String(y.year) },
      ...issuanceCells(y.specialIssuance, 1, i + 2),
      ...issuanceCells(y.generalIssuance, 5, i + 2),
    ]),
  };
  return [cost, quotas];
}
