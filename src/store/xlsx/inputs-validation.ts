import type ExcelJS from 'exceljs';
import {
  SCALAR_FIRST_ROW,
  SCALAR_INPUTS,
  TABLE_PLACEMENTS,
  columnLetters,
  definedName,
  type InputField,
} from '../../domain/workbook/inputs-layout';
import type { WorkbookOptions } from './scenario-workbook';

/** The hidden sheet holding the lists the Inputs sheet's validations offer. */
export const LISTS_SHEET = 'Lists';

const BOOLEANS = ['TRUE', 'FALSE'] as const;

/** The choices of a field with a list, or null (enumerations and TRUE/FALSE). */
const choices = (field: InputField): readonly string[] | null =>
  field.unit === 'enum' ? (field.values ?? []) : field.unit === 'boolean' ? BOOLEANS : null;

/**
 * Writes each distinct list once, one column each, and gives the absolute range of a list by
 * its text (`'Lists'!$A$1:$A$11`).
 */
function writeLists(wb: ExcelJS.Workbook): (values: readonly string[]) => string {
  const ws = wb.addWorksheet(LISTS_SHEET, { state: 'hidden' });
  const ranges = new Map<string, string>();
  return (values) => {
    const key = values.join('\n');
    let range = ranges.get(key);
    if (!range) {
      const col = columnLetters(ranges.size + 1);
      values.forEach((v, i) => (ws.getCell(`${col}${i + 1}`).value = v));
      range = `'${LISTS_SHEET}'!$${col}$1:$${col}$${values.length}`;
      ranges.set(key, range);
    }
    return range;
  };
}

function validation(range: string, o: WorkbookOptions): ExcelJS.DataValidation {
  return {
    type: 'list',
    allowBlank: true,
    formulae: [range],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: o.lang === 'zh' ? '无效的值' : 'Not a choice',
    error: o.lang === 'zh' ? '请从列表中选择。' : 'Choose a value from the list.',
  };
}

const TERM_MESSAGES = {
  en: {
    title: 'Tenor and grace',
    error:
      'Whole years: the tenor must leave at least one repayment year after the construction and grace years, and end by the last operation year.',
  },
  zh: {
    title: '期限与宽限期',
    error: '填整年：期限须在建设期和宽限期之后至少留出一个还款年，且不晚于运营期末。',
  },
} as const;

const termValidation = (formula: string, o: WorkbookOptions): ExcelJS.DataValidation => ({
  type: 'custom',
  allowBlank: true,
  formulae: [formula],
  showErrorMessage: true,
  errorStyle: 'stop',
  errorTitle: TERM_MESSAGES[o.lang].title,
  error: TERM_MESSAGES[o.lang].error,
});

/**
 * The schema's rule on a debt's terms (src/domain/scenario/schema.ts: tenor − construction − grace
 * ≥ 1 and tenor ≤ construction + operation) as custom validations of each source row's tenor and
 * grace cells, over the timeline's named cells. Excel checks a cell when it is typed, not when
 * the timeline changes: the import checks the rule again, at the tenor's cell.
 */
function addTermValidations(ws: ExcelJS.Worksheet, o: WorkbookOptions): void {
  const p = TABLE_PLACEMENTS.find((t) => t.table.key === 'sources');
  if (!p) return;
  const col = (path: string) =>
    columnLetters(p.table.columns.findIndex((f) => f.path.join('.') === path) + 2);
  const scalar = (path: string) =>
    definedName(SCALAR_INPUTS.find((f) => f.path.join('.') === path)!);
  const C = scalar('timeline.constructionYears');
  const O = scalar('timeline.operationYears');
  const tenor = col('debt.tenorYears');
  const grace = col('debt.graceYears');
  for (let r = p.firstDataRow; r <= p.lastDataRow; r++) {
    const n = `${tenor}${r}`;
    const g = `${grace}${r}`;
    const whole = (x: string) => `ISNUMBER(${x}),${x}=INT(${x})`;
    ws.getCell(n).dataValidation = termValidation(
      `OR(${n}="",AND(${whole(n)},${n}-${C}-IF(${g}="",0,${g})>=1,${n}<=${C}+${O}))`,
      o,
    );
    ws.getCell(g).dataValidation = termValidation(
      `OR(${g}="",AND(${whole(g)},${g}>=0,OR(${n}="",AND(${n}-${C}-${g}>=1,${n}<=${C}+${O}))))`,
      o,
    );
  }
}

/**
 * Puts a drop-down list (data validation) on every enumeration and TRUE/FALSE cell of the Inputs
 * sheet `ws` (the fixed layout of src/domain/workbook/inputs-layout.ts), the lists on a hidden
 * `Lists` sheet added to `wb` at this point, and the debt terms' rule on each tenor and grace cell
 * (`addTermValidations`). Used by the import template and the exported
 * scenario workbook alike (README "Excel workbooks").
 */
export function addInputValidations(
  wb: ExcelJS.Workbook,
  ws: ExcelJS.Worksheet,
  options: WorkbookOptions,
): void {
  const listRange = writeLists(wb);
  SCALAR_INPUTS.forEach((field, i) => {
    const list = choices(field);
    if (list)
      ws.getCell(`B${SCALAR_FIRST_ROW + i}`).dataValidation = validation(listRange(list), options);
  });
  for (const p of TABLE_PLACEMENTS)
    p.table.columns.forEach((field, c) => {
      const list = choices(field);
      if (!list) return;
      const v = validation(listRange(list), options);
      for (let r = p.firstDataRow; r <= p.lastDataRow; r++)
        ws.getCell(`${columnLetters(c + 2)}${r}`).dataValidation = v;
    });
  addTermValidations(ws, options);
}
