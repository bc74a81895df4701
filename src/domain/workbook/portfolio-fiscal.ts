import { yuanCell, type SheetCell, type SheetModel } from './portfolio-sheet';

/** One year of the fiscal affordability report, Decimals as text (the store's JSON form). */
export interface FiscalWorkbookYear {
  year: number;
  obligations: {
    equityContribution: string;
    operatingSubsidy: string;
    riskBearing: string;
    supportingInvestment: string;
    total: string;
  };
  otherYuan: string;
  totalYuan: string;
  budgetYuan: string | null;
  ratio: string | null;
  cap: string;
  capYuan: string | null;
  breach: boolean;
  breachYuan: string | null;
  headroomYuan: string | null;
  aboveNewProjectLine: boolean | null;
}

/** The column headings in the user's language, in the sheet's order (see {@link fiscalSheet}). */
export interface FiscalWorkbookLabels {
  sheet: string;
  columns: [
    year: string,
    equity: string,
    subsidy: string,
    risk: string,
    supporting: string,
    portfolio: string,
    other: string,
    total: string,
    budget: string,
    ratio: string,
    cap: string,
    capYuan: string,
    breach: string,
    breachYuan: string,
    headroom: string,
    line: string,
    aboveLine: string,
  ];
}

const WIDTHS = [8, 18, 18, 18, 18, 18, 18, 18, 20, 11, 8, 18, 8, 18, 18, 8, 8];

/**
 * The fiscal affordability report as a sheet: one row a year, the four MoF components, the
 * portfolio's sum, the other obligations, the total, the budget, and as formulas the ratio
 * (ROUND to 6 places), the cap amount (ROUND to the fen), the breach check (1 or 0), the amount over the
 * cap, the headroom and the check against the new-project line (1 or 0); the engine's figures are the
 * cached values. Columns: A year … Q above the line (README "Portfolio workbooks").
 *
 * @param newProjectLine the 5 % line, a fraction as decimal text
 */
export function fiscalSheet(
  rows: readonly FiscalWorkbookYear[],
  newProjectLine: string,
  labels: FiscalWorkbookLabels,
): SheetModel {
  return {
    name: labels.sheet,
    headers: [...labels.columns],
    widths: WIDTHS,
    frozen: { rows: 1, columns: 1 },
    rows: rows.map((y, i) => fiscalRow(y, i + 2, newProjectLine)),
  };
}

function fiscalRow(y: FiscalWorkbookYear, r: number, line: string): SheetCell[] {
  const yuan = yuanCell;
  const o = y.obligations;
  const hasBudget = y.budgetYuan !== null;
  const f = (formula: string) => (hasBudget ? formula : undefined);
  return [
    { kind: 'integer', value: String(y.year) },
    yuan(o.equityContribution),
    yuan(o.operatingSubsidy),
    yuan(o.riskBearing),
    yuan(o.supportingInvestment),
    yuan(o.total, `SUM(B${r}:E${r})`),
    yuan(y.otherYuan),
    yuan(y.totalYuan, `F${r}+G${r}`),
    yuan(y.budgetYuan),
    { kind: 'ratio', value: y.ratio, ...(hasBudget ? { formula: `ROUND(H${r}/I${r},6)` } : {}) },
    { kind: 'ratio', value: y.cap },
    yuan(y.capYuan, f(`ROUND(K${r}*I${r},2)`)),
    flag(hasBudget ? y.breach : null, f(`IF(H${r}>K${r}*I${r},1,0)`)),
    yuan(y.breachYuan, f(`IF(M${r}=1,ROUND(H${r}-K${r}*I${r},2),0)`)),
    yuan(y.headroomYuan, f(`ROUND(K${r}*I${r}-H${r},2)`)),
    { kind: 'ratio', value: line },
    flag(y.aboveNewProjectLine, f(`IF(H${r}>P${r}*I${r},1,0)`)),
  ];
}

/** A check as 1 (true) or 0 (false): LibreOffice and Excel both keep a number's type on save. */
function flag(value: boolean | null, formula: string | undefined): SheetCell {
  return {
    kind: 'integer',
    value: value === null ? null : value ? '1' : '0',
    ...(formula && value !== null ? { formula } : {}),
  };
}
