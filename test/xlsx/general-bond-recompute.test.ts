import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { simulate } from '../../src/domain/engine/simulate';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../src/domain/scenario/schema';
import { ledgerSheet } from '../../src/domain/workbook/ledger-formulas';
import { recomputeWithLibreOffice } from './libreoffice';
import { CAPEX_FACTOR, differences, exported, liveRows, withCapexUp } from './recompute-check';

/**
 * Issue 12, general bonds (README "General bonds") in the scenario workbook: the bond's schedule
 * rows (opening, interest, principal, closing) and the general budget's service of them are
 * formulas, recomputed by LibreOffice as exported and with capex + 10 % written into the Inputs
 * sheet, and every ledger cell and metric must be the engine's to the fen. The project's own debt
 * service formulas leave the bond out: a project loan next to it keeps its figures.
 */

const DEMO = JSON.parse(
  readFileSync(
    join(__dirname, '..', '..', 'data', 'demo', 'scenarios', 'sc-egov-cloud--general-bond.json'),
    'utf8',
  ),
) as ScenarioInput;

/** Two construction years, a mid-year annuity general bond beside a project bank loan. */
const WITH_LOAN = (() => {
  const s = structuredClone(DEMO);
  s.timeline = { startYear: 2026, constructionYears: 2, operationYears: 10 };
  s.capex = { scheduleYuan: ['70000000.00', '110000000.00'] };
  s.revenues = [{ kind: 'other', name: 'Cloud services', annualYuan: '30000000.00' }];
  s.funding.sources = [
    {
      id: 'general-bond',
      name: 'General bond',
      type: 'general-bond',
      share: '0.5',
      drawTiming: 'mid-year',
      debt: { annualRate: '0.0235', tenorYears: 11, graceYears: 2, repayment: 'annuity' },
    },
    { id: 'budget', name: 'Budget', type: 'budget', share: '0.3' },
    {
      id: 'loan',
      name: 'Bank loan',
      type: 'bank-loan',
      share: '0.2',
      debt: { annualRate: '0.042', tenorYears: 10, repayment: 'equal-principal' },
    },
  ];
  return s;
})();

const ALL: Array<[string, Scenario]> = [
  ['demo-general-bond', parseScenario(DEMO)],
  ['annuity-beside-loan', parseScenario(WITH_LOAN)],
];

describe('workbooks with a general bond, recomputed by LibreOffice', () => {
  let out: Record<string, ExcelJS.Workbook>;

  beforeAll(async () => {
    const files: Record<string, Uint8Array> = {};
    for (const [name, scenario] of ALL) {
      const bytes = await exported(scenario, simulate(scenario));
      files[name] = bytes;
      files[`${name}--capex-up`] = await withCapexUp(bytes, scenario);
    }
    out = await recomputeWithLibreOffice(files, 240_000);
  }, 300_000);

  it.each(ALL)('%s: every ledger cell and metric is the engine’s', (name, scenario) => {
    expect(differences(out[name]!, scenario, simulate(scenario))).toEqual([]);
  });

  it.each(ALL)('%s: the general-bond lines are live formulas', (_name, scenario) => {
    const result = simulate(scenario);
    const lines = ledgerSheet(scenario, result);
    const live = liveRows(scenario, result).rows;
    const bond = lines.filter((l) => l.line.key.startsWith('gov-debt'));
    expect(bond.map((l) => l.line.key)).toEqual([
      'gov-debt:general-bond:opening',
      'gov-debt:general-bond:interest',
      'gov-debt:general-bond:principal',
      'gov-debt:general-bond:closing',
      'gov-debt-service',
    ]);
    expect(bond.filter((l) => !live.has(l.row)).map((l) => l.line.key)).toEqual([]);
    // Not in the project's debt service: no project-debt formula names a general-bond row.
    const rows = new Set(bond.map((l) => l.row));
    const service = lines.find((l) => l.line.key === 'debt-service')!;
    const named = service.cells.flatMap((c) =>
      c.kind === 'formula' ? [...c.formula.matchAll(/[A-Z]+(\d+)/g)].map((m) => Number(m[1])) : [],
    );
    expect(named.filter((r) => rows.has(r))).toEqual([]);
  });

  it.each(ALL)('%s: with capex + 10 %% the formula lines follow the engine', (name, scenario) => {
    const result = simulate(scenario);
    const live = liveRows(scenario, result);
    const up = simulate(scenario, { overrides: { capexFactor: CAPEX_FACTOR } });
    expect(differences(out[`${name}--capex-up`]!, scenario, up, live.rows, live.metrics)).toEqual(
      [],
    );
  });
});
