import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ValidationError, type FieldIssue } from '../../../src/domain/errors';
import { simulate } from '../../../src/domain/engine/simulate';
import { parseScenario } from '../../../src/domain/scenario/parse';
import type { Scenario } from '../../../src/domain/scenario/schema';
import { cellOfField } from '../../../src/domain/workbook/inputs-layout';
import { shortestDecimal } from '../../../src/domain/workbook/read-inputs';
import { inputsTemplate } from '../../../src/store/xlsx/inputs-template';
import { readScenarioWorkbook } from '../../../src/store/xlsx/read-workbook';
import { scenarioWorkbook } from '../../../src/store/xlsx/scenario-workbook';
import { EXAMPLES_DIR } from '../../helpers/scenarios';

/** Issue 13, Import: workbooks read back exactly, every problem named by its cell. */

const DEMO_DIR = join(__dirname, '..', '..', '..', 'data', 'demo', 'scenarios');
const files = [
  ...readdirSync(DEMO_DIR).map((f) => join(DEMO_DIR, f)),
  ...readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(EXAMPLES_DIR, f)),
];
const load = (file: string): Scenario => parseScenario(JSON.parse(readFileSync(file, 'utf8')));

/**
 * A scenario with every decimal text written in its shortest form ("540000000.00" →
 * "540000000"): a cell holds a number, not the text it was typed as, so trailing zeros do not
 * survive a workbook; every other character does.
 */
function shortest(v: unknown): unknown {
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return shortestDecimal(Number(v));
  if (Array.isArray(v)) return v.map(shortest);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shortest(x)]));
  return v;
}

const exported = async (s: Scenario, lang: 'en' | 'zh' = 'en') =>
  scenarioWorkbook(s, simulate(s), { lang, unit: 'yuan' });

/** The workbook with its Inputs sheet changed by `edit`. */
async function edited(bytes: Buffer, edit: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  edit(wb.getWorksheet('Inputs')!, wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function issuesOf(bytes: Uint8Array): Promise<FieldIssue[]> {
  try {
    await readScenarioWorkbook(bytes);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('the workbook was accepted');
}

const water = load(join(DEMO_DIR, 'sc-water--policy-loan.json'));

describe('import of an exported workbook', () => {
  it.each(files.map((f) => [f.split('/').pop()!, f]))(
    '%s: the same inputs and the same engine results',
    async (_name, file) => {
      const s = load(file);
      const back = parseScenario(await readScenarioWorkbook(await exported(s)));
      expect(shortest(back)).toEqual(shortest(s));
      expect(JSON.stringify(simulate(back))).toBe(JSON.stringify(simulate(s)));
    },
  );

  it('reads a numeric cell by its shortest decimal form', async () => {
    const bytes = await edited(await exported(water), (ws) => {
      ws.getCell(cellOfField(['operatingCost', 'annualYuan'])!).value = 18000000.1;
      ws.getCell(cellOfField(['operatingCost', 'escalation'])!).value = 0.0000001;
    });
    const back = await readScenarioWorkbook(bytes);
    expect(back.operatingCost).toEqual({ annualYuan: '18000000.1', escalation: '0.0000001' });
  });
});

describe('problems, each at its cell', () => {
  it('a rate that is not a fraction', async () => {
    const cell = cellOfField(['funding', 'sources', 1, 'debt', 'annualRate'])!;
    expect(cell).toBe('I95');
    const bytes = await edited(await exported(water), (ws) => (ws.getCell(cell).value = 4.35));
    expect(await issuesOf(bytes)).toEqual([
      {
        path: 'Inputs!I95',
        message: 'Interest rate must be between 0 and 0.5 (a fraction: 0.05 means 5 %)',
      },
    ]);
  });

  it('an empty amount or rate that is required: "This field is required", as for other fields', async () => {
    const bytes = await edited(await exported(water), (ws) => {
      ws.getCell(cellOfField(['funding', 'sources', 1, 'debt', 'annualRate'])!).value = null;
      ws.getCell(cellOfField(['operatingCost', 'annualYuan'])!).value = null;
      ws.getCell(cellOfField(['funding', 'sources', 1, 'debt', 'tenorYears'])!).value = null;
    });
    expect(await issuesOf(bytes)).toEqual([
      { path: 'Inputs!B15', message: 'This field is required' },
      { path: 'Inputs!I95', message: 'This field is required' },
      { path: 'Inputs!J95', message: 'This field is required' },
    ]);
  });

  it('an amount with three decimals (also one a formula computed)', async () => {
    const bytes = await edited(await exported(water), (ws) => {
      ws.getCell('B58').value = 540000000.005;
      ws.getCell('B15').value = { formula: '0.1+0.2', result: 0.1 + 0.2 };
    });
    expect(await issuesOf(bytes)).toEqual([
      {
        path: 'Inputs!B15',
        message: 'Operating cost is in yuan and can have at most 2 decimal places (fen)',
      },
      {
        path: 'Inputs!B58',
        message: 'Capital expenditure is in yuan and can have at most 2 decimal places (fen)',
      },
    ]);
  });

  it('a value that is not one of its list, and every other problem with it', async () => {
    const bytes = await edited(await exported(water), (ws) => {
      ws.getCell(cellOfField(['project', 'sector'])!).value = 'water';
      ws.getCell(cellOfField(['funding', 'sources', 1, 'debt', 'repayment'])!).value = 'monthly';
      ws.getCell(cellOfField(['timeline', 'startYear'])!).value = 'next year';
    });
    const issues = await issuesOf(bytes);
    expect(issues).toEqual([
      {
        path: 'Inputs!B5',
        message: `"water" is not one of the choices: city-data-platform, iot-sensing, smart-transport, smart-water, smart-parking, e-government-cloud, public-data-operation, smart-healthcare, 5g-poles, smart-energy, other`,
      },
      { path: 'Inputs!B12', message: 'Invalid input: expected number, received string' },
      {
        path: 'Inputs!L95',
        message: `"monthly" is not one of the choices: bullet, equal-principal, annuity, sculpted`,
      },
    ]);
  });

  it('a tenor leaving no repayment year, or running past operation: at the tenor cell, no crash', async () => {
    // The policy loan: 2 construction years, 25 of operation, 22 years' tenor with 2 of grace.
    const tenor = cellOfField(['funding', 'sources', 1, 'debt', 'tenorYears'])!;
    const grace = cellOfField(['funding', 'sources', 1, 'debt', 'graceYears'])!;
    expect([tenor, grace]).toEqual(['J95', 'K95']);
    const withTerms = async (t: number, g: number) =>
      issuesOf(
        await edited(await exported(water), (ws) => {
          ws.getCell(tenor).value = t;
          ws.getCell(grace).value = g;
        }),
      );
    // Maturing before construction and grace end: 3 − 2 − 2 < 1.
    expect(await withTerms(3, 2)).toEqual([
      {
        path: 'Inputs!J95',
        message: 'Tenor 3 years leaves no year to repay after 2 construction and 2 grace years',
      },
    ]);
    // The grace typed too long: 22 − 2 − 20 = 0 repayment years.
    expect(await withTerms(22, 20)).toEqual([
      {
        path: 'Inputs!J95',
        message: 'Tenor 22 years leaves no year to repay after 2 construction and 20 grace years',
      },
    ]);
    expect(await withTerms(28, 2)).toEqual([
      {
        path: 'Inputs!J95',
        message: 'Tenor 28 years runs past the end of operation (27 years in all)',
      },
    ]);
    // The limits themselves are accepted: 2 + 2 + 1 repayment year, and ending in year 27.
    for (const [t, g] of [
      [5, 2],
      [27, 24],
    ] as const) {
      const back = parseScenario(
        await readScenarioWorkbook(
          await edited(await exported(water), (ws) => {
            ws.getCell(tenor).value = t;
            ws.getCell(grace).value = g;
          }),
        ),
      );
      expect(back.funding.sources[1]!.debt).toMatchObject({ tenorYears: t, graceYears: g });
    }
  });

  it('a workbook without an Inputs sheet', async () => {
    const bytes = await edited(await exported(water), (ws) => (ws.name = 'Sheet1'));
    expect(await issuesOf(bytes)).toEqual([
      {
        path: 'file',
        message:
          'The workbook has no sheet named "Inputs" (its sheets: Sheet1, Ledger, Metrics, Notes, Lists): import a FundMix template or an exported workbook',
      },
    ]);
  });

  it('an Inputs sheet whose rows moved', async () => {
    const bytes = await edited(await exported(water), (ws) => ws.spliceRows(5, 0, []));
    const issues = await issuesOf(bytes);
    expect(issues).toEqual([
      {
        path: 'Inputs!D5',
        message:
          'This row should hold the field project.sector but column D says "": the Inputs sheet is not laid out as FundMix writes it (were rows inserted or deleted?)',
      },
    ]);
  });

  it('a file that is no workbook', async () => {
    expect(await issuesOf(Buffer.from(JSON.stringify(water)))).toEqual([
      {
        path: 'file',
        message:
          'The file is not an Excel workbook (.xlsx): save it as "Excel Workbook (*.xlsx)" and import it again',
      },
    ]);
    // A zip that is not a workbook either.
    const zip = Buffer.from('PK\x03\x04garbage', 'latin1');
    expect((await issuesOf(zip))[0]!.path).toBe('file');
  });

  it('an empty row inside a list is reported, not dropped', async () => {
    const bytes = await edited(await exported(water), (ws) => {
      ws.getCell('B99').value = 'late';
    });
    const paths = (await issuesOf(bytes)).map((i) => i.path);
    expect(paths).toContain('Inputs!B97');
    expect(paths).toContain('Inputs!D97');
  });
});

describe('the import template', () => {
  async function template(s: Scenario | null, lang: 'en' | 'zh') {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await inputsTemplate(s, { lang, unit: 'yuan' })) as unknown as ArrayBuffer);
    return wb;
  }

  it('has a drop-down list on every enumeration and TRUE/FALSE cell, labels in the language', async () => {
    const wb = await template(null, 'zh');
    const ws = wb.getWorksheet('Inputs')!;
    expect(ws.getCell('A5').value).toBe('行业');
    expect(ws.getCell('B5').value).toBeNull();
    const sector = ws.getCell('B5').dataValidation;
    expect(sector).toMatchObject({ type: 'list', allowBlank: true });
    const lists = wb.getWorksheet('Lists')!;
    expect(lists.state).toBe('hidden');
    const [, col, , last] = /^'Lists'!\$([A-Z]+)\$1:\$([A-Z]+)\$(\d+)$/.exec(sector.formulae[0])!;
    expect(
      Array.from({ length: Number(last) }, (_, i) => lists.getCell(`${col}${i + 1}`).value),
    ).toEqual([
      'city-data-platform',
      'iot-sensing',
      'smart-transport',
      'smart-water',
      'smart-parking',
      'e-government-cloud',
      'public-data-operation',
      'smart-healthcare',
      '5g-poles',
      'smart-energy',
      'other',
    ]);
    // Every row of the sources' type column, TRUE/FALSE cells, nothing on free numbers.
    expect(ws.getCell('D95').dataValidation?.type).toBe('list');
    expect(ws.getCell('D123').dataValidation?.type).toBe('list');
    expect(ws.getCell(cellOfField(['funding', 'waterfall', 'capped'])!).dataValidation?.type).toBe(
      'list',
    );
    expect(ws.getCell('B15').dataValidation).toBeUndefined();
  });

  it('checks the debt terms’ rule as the schema does, on every tenor and grace cell', async () => {
    const wb = await template(water, 'en');
    const ws = wb.getWorksheet('Inputs')!;
    const tenor = ws.getCell('J95').dataValidation;
    const grace = ws.getCell('K95').dataValidation;
    expect(tenor).toMatchObject({ type: 'custom', allowBlank: true, errorStyle: 'stop' });
    expect(tenor.error).toMatch(/at least one repayment year/);
    expect(ws.getCell('J123').dataValidation?.formulae[0]).toMatch(
      /J123-in_timeline_constructionYears/,
    );
    expect(
      (await template(null, 'zh')).getWorksheet('Inputs')!.getCell('J95').dataValidation.error,
    ).toMatch(/至少留出一个还款年/);
    // Evaluate both formulas for every tenor and grace (construction 2, operation 25) and
    // compare with the schema's verdict on the same terms.
    const evaluate = (formula: string, t: number | '', g: number | '') => {
      const js = formula
        .replace(/in_timeline_constructionYears/g, '2')
        .replace(/in_timeline_operationYears/g, '25')
        .replace(/\bJ95\b/g, JSON.stringify(t))
        .replace(/\bK95\b/g, JSON.stringify(g))
        .replace(/<>/g, '!==')
        .replace(/(?<![<>])=/g, '===');
      const fns = {
        OR: (...xs: boolean[]) => xs.some(Boolean),
        AND: (...xs: boolean[]) => xs.every(Boolean),
        IF: (c: boolean, a: unknown, b: unknown) => (c ? a : b),
        ISNUMBER: (x: unknown) => typeof x === 'number',
        INT: (x: number) => Math.floor(x),
      };
      return Boolean(new Function(...Object.keys(fns), `return ${js};`)(...Object.values(fns)));
    };
    const schemaAccepts = (t: number, g: number) => {
      const input = structuredClone(water) as unknown as {
        funding: { sources: Array<{ debt?: Record<string, unknown> }> };
      };
      input.funding.sources[1]!.debt = {
        ...input.funding.sources[1]!.debt,
        tenorYears: t,
        graceYears: g,
      };
      try {
        parseScenario(input as unknown as Parameters<typeof parseScenario>[0]);
        return true;
      } catch (err) {
        if (err instanceof ValidationError) return false;
        throw err;
      }
    };
    const wrong: string[] = [];
    for (let t = 1; t <= 30; t++)
      for (let g = 0; g <= 28; g++) {
        const ok = schemaAccepts(t, g);
        if (evaluate(tenor.formulae[0], t, g) !== ok) wrong.push(`tenor ${t}, grace ${g}`);
        if (evaluate(grace.formulae[0], t, g) !== ok) wrong.push(`grace ${g}, tenor ${t}`);
      }
    expect(wrong).toEqual([]);
    // Blank cells and a blank grace (0 by default), a fraction of a year refused.
    expect(evaluate(tenor.formulae[0], '', 3)).toBe(true);
    expect(evaluate(grace.formulae[0], 10, '')).toBe(true);
    expect(evaluate(tenor.formulae[0], 5, '')).toBe(schemaAccepts(5, 0));
    expect(evaluate(tenor.formulae[0], 10.5, 2)).toBe(false);
    expect(evaluate(grace.formulae[0], 10, 1.5)).toBe(false);
  });

  it('blank, it imports as the list of what is required', async () => {
    const bytes = await inputsTemplate(null, { lang: 'en', unit: 'yuan' });
    const issues = await issuesOf(bytes);
    expect(issues).toContainEqual({ path: 'Inputs!B2', message: 'This field is required' });
    expect(issues).toContainEqual({
      path: 'Inputs!A92',
      message: 'Add at least one funding source',
    });
  });

  it('with the demo scenario, it imports as that scenario', async () => {
    const bytes = await inputsTemplate(water, { lang: 'en', unit: 'yuan' });
    expect(shortest(parseScenario(await readScenarioWorkbook(bytes)))).toEqual(shortest(water));
  });
});
