import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ValidationError } from '../../src/domain/errors';
import { simulate } from '../../src/domain/engine/simulate';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import { scenarioWorkbook } from '../../src/store/xlsx/scenario-workbook';
import { computed, recomputeWithLibreOffice } from './libreoffice';

/**
 * Issue 13, Import: the data validation of the Inputs' tenor and grace cells is the schema's
 * rule (tenor − construction − grace ≥ 1, tenor ≤ construction + operation, whole years). Its
 * formulas, read from an exported workbook, are evaluated by LibreOffice (as cell formulas, over
 * the workbook's defined names) for terms typed in the empty source rows, and must accept exactly
 * the terms the schema accepts.
 */

const INPUT = JSON.parse(
  readFileSync(
    join(__dirname, '..', '..', 'data', 'demo', 'scenarios', 'sc-water--policy-loan.json'),
    'utf8',
  ),
) as ScenarioInput;

/** Whether the schema accepts the policy loan (construction 2, operation 25) with these terms. */
function schemaAccepts(tenorYears: number, graceYears: number | undefined): boolean {
  const input = structuredClone(INPUT) as unknown as {
    funding: { sources: Array<{ id: string; debt?: Record<string, unknown> }> };
  };
  const loan = input.funding.sources.find((s) => s.debt)!;
  loan.debt = { ...loan.debt, tenorYears, graceYears };
  if (graceYears === undefined) delete loan.debt.graceYears;
  try {
    parseScenario(input as unknown as ScenarioInput);
    return true;
  } catch (err) {
    if (err instanceof ValidationError) return false;
    throw err;
  }
}

/**
 * Tenor and grace typed in source rows 96…, around the rule's edges ('' an empty cell); with a
 * fraction of a year, each cell's verdict by hand: the fractional cell is refused, the other
 * checked against it (10 − 2 − 1.5 ≥ 1; 10.5 − 2 − 2 ≥ 1).
 */
const TERMS: Array<[number | '', number | '', ...([boolean, boolean] | [])]> = [
  [5, 2],
  [4, 2],
  [3, 0],
  [2, 0],
  [3, ''],
  [27, 24],
  [27, 25],
  [27, 0],
  [28, 0],
  [22, 19],
  [22, 20],
  [1, 0],
  ['', 5],
  [10, 1.5, true, false],
  [10.5, 2, false, true],
];

describe('the tenor and grace validations, evaluated by LibreOffice', () => {
  it('accept exactly the terms the schema accepts', async () => {
    const s = parseScenario(INPUT);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await scenarioWorkbook(s, simulate(s), {
        lang: 'en',
        unit: 'yuan',
      })) as unknown as ArrayBuffer,
    );
    const ws = wb.getWorksheet('Inputs')!;
    TERMS.forEach(([t, g], i) => {
      const r = 96 + i;
      ws.getCell(`J${r}`).value = t === '' ? null : t;
      ws.getCell(`K${r}`).value = g === '' ? null : g;
      // Each cell's own validation formula, as a formula beside the row (column AA, unused).
      ws.getCell(`AA${r}`).value = {
        formula: ws.getCell(`J${r}`).dataValidation.formulae[0] as string,
        result: 'x',
      };
      ws.getCell(`AB${r}`).value = {
        formula: ws.getCell(`K${r}`).dataValidation.formulae[0] as string,
        result: 'x',
      };
    });
    const out = await recomputeWithLibreOffice({
      terms: new Uint8Array(await wb.xlsx.writeBuffer()),
    });
    const back = out.terms!.getWorksheet('Inputs')!;
    // A FALSE result reads back as no result, which `computed` gives as 0.
    const verdict = (c: ExcelJS.Cell) => {
      const v = computed(c);
      return v === 0 ? false : v;
    };
    const got = TERMS.map(([t, g], i) => ({
      terms: `${t}/${g}`,
      tenor: verdict(back.getCell(`AA${96 + i}`)),
      grace: verdict(back.getCell(`AB${96 + i}`)),
    }));
    const expected = TERMS.map(([t, g, tenor, grace]) => {
      // An empty tenor: the grace alone (a whole number) is fine.
      const ok = t === '' ? true : schemaAccepts(t, g === '' ? undefined : g);
      return { terms: `${t}/${g}`, tenor: tenor ?? ok, grace: grace ?? ok };
    });
    expect(got).toEqual(expected);
    // Both verdicts occur, so the comparison is not of one constant.
    expect(new Set(expected.map((v) => v.tenor))).toEqual(new Set([true, false]));
  }, 180_000);
});
