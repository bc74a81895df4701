import { Dec, Rounding, ZERO } from '../decimal';
import { yuanCell, type SheetCell, type SheetModel } from './portfolio-sheet';

/**
 * One project of the dashboard's table: decimal text, or null with the page's text where the
 * project has no such figure (no result, no debt, an IRR without a solution).
 */
export interface DashboardWorkbookRow {
  code: string;
  name: string;
  category: string;
  sector: string;
  scenario: string;
  investmentYuan: string | null;
  projectIrr: { rate: string | null; text: string };
  equityIrr: { rate: string | null; text: string };
  dscrMin: string | null;
  bondCoverage: string | null;
  outlayYuan: string | null;
  /** The flags' short texts, "; "-separated. */
  flags: string;
}

export interface DashboardWorkbookLabels {
  sheet: string;
  /** In the sheet's order: code, project, category, sector, scenario, investment, share, project
   * IRR, equity IRR, DSCR minimum, bond coverage, government outlay, flags. */
  columns: string[];
  totalRow: string;
  none: string;
}

const WIDTHS = [16, 30, 18, 18, 28, 20, 12, 12, 12, 10, 10, 20, 30];

/**
 * The dashboard's project table as a sheet (README "Portfolio workbooks"): A code, B project,
 * C category, D sector, E scenario, F total investment, G its share of the portfolio's
 * `=IF(F$T=0,"",ROUND(F/F$T,6))`, H project IRR, I equity IRR, J DSCR minimum, K bond coverage,
 * L government outlay, M flags; the last row T totals F and L `=ROUND(SUM(…),2)`. Missing
 * figures hold the page's text.
 */
export function dashboardSheet(
  rows: readonly DashboardWorkbookRow[],
  l: DashboardWorkbookLabels,
): SheetModel {
  const totalRow = rows.length + 2;
  const sum = (pick: (r: DashboardWorkbookRow) => string | null) =>
    rows.reduce((a, r) => a.plus(pick(r) ?? ZERO), ZERO);
  const investment = sum((r) => r.investmentYuan);
  const text = (value: string): SheetCell => ({ kind: 'text', value });
  const number = (kind: 'ratio' | 'percent', value: string | null, none: string): SheetCell =>
    value === null ? text(none) : { kind, value };
  const body = rows.map((r, i): SheetCell[] => {
    const share =
      r.investmentYuan === null || investment.isZero()
        ? null
        : new Dec(r.investmentYuan).div(investment).toDecimalPlaces(6, Rounding.halfUp).toString();
    return [
      text(r.code),
      text(r.name),
      text(r.category),
      text(r.sector),
      text(r.scenario),
      r.investmentYuan === null ? text(l.none) : yuanCell(r.investmentYuan),
      share === null
        ? text(l.none)
        : {
            kind: 'percent',
            value: share,
            formula: `IF(F$${totalRow}=0,"",ROUND(F${i + 2}/F$${totalRow},6))`,
          },
      number('percent', r.projectIrr.rate, r.projectIrr.text),
      number('percent', r.equityIrr.rate, r.equityIrr.text),
      number('ratio', r.dscrMin, l.none),
      number('ratio', r.bondCoverage, l.none),
      r.outlayYuan === null ? text(l.none) : yuanCell(r.outlayYuan),
      text(r.flags),
    ];
  });
  const total = (col: string, value: Dec) =>
    yuanCell(value.toFixed(2), `ROUND(SUM(${col}2:${col}${totalRow - 1}),2)`);
  const empty: SheetCell = { kind: 'text', value: null };
  return {
    name: l.sheet,
    headers: l.columns,
    widths: WIDTHS,
    frozen: { rows: 1, columns: 1 },
    rows: [
      ...body,
      [
        text(l.totalRow),
        empty,
        empty,
        empty,
        empty,
        total('F', investment),
        empty,
        empty,
        empty,
        empty,
        empty,
        total(
          'L',
          sum((r) => r.outlayYuan),
        ),
      ],
    ],
    boldRows: [rows.length],
  };
}
