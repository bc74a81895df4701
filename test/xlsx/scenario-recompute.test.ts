import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { simulate } from '../../src/domain/engine/simulate';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../src/domain/scenario/schema';
import { loadExamples } from '../helpers/scenarios';
import { recomputeWithLibreOffice } from './libreoffice';
import { CAPEX_FACTOR, differences, exported, liveRows, withCapexUp } from './recompute-check';

/**
 * Issue 13, "Verification": the exported workbooks of the example and demo scenarios, recomputed
 * by LibreOffice (an implementation nobody here wrote), agree with the engine in every ledger
 * cell (money to the fen) and every metric (ratios and IRRs to 1e-9); and with capex + 10 %
 * written into the Inputs sheet, every formula-driven line agrees with the engine run on the
 * same change. One soffice start per recomputation of all the workbooks.
 */

const DEMO_DIR = join(__dirname, '..', '..', 'data', 'demo', 'scenarios');

function scenarios(): Array<{ name: string; scenario: Scenario }> {
  const demo = readdirSync(DEMO_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: `demo-${f.replace(/\.json$/, '')}`,
      scenario: parseScenario(JSON.parse(readFileSync(join(DEMO_DIR, f), 'utf8')) as ScenarioInput),
    }));
  const examples = loadExamples().map((e) => ({
    name: `example-${e.file.replace(/\.json$/, '')}`,
    scenario: e.scenario,
  }));
  return [...examples, ...demo];
}

const ALL = scenarios();

describe('scenario workbooks recomputed by LibreOffice', () => {
  let base: Record<string, ExcelJS.Workbook>;
  let changed: Record<string, ExcelJS.Workbook>;

  beforeAll(async () => {
    const files: Record<string, Uint8Array> = {};
    for (const { name, scenario } of ALL) {
      const bytes = await exported(scenario, simulate(scenario));
      files[name] = bytes;
      files[`${name}--capex-up`] = await withCapexUp(bytes, scenario);
    }
    const out = await recomputeWithLibreOffice(files, 240_000);
    base = {};
    changed = {};
    for (const { name } of ALL) {
      base[name] = out[name]!;
      changed[name] = out[`${name}--capex-up`]!;
    }
  }, 300_000);

  it.each(ALL.map((s) => [s.name, s.scenario] as const))(
    '%s: every ledger cell and metric is the engine’s',
    (name, scenario) => {
      expect(differences(base[name]!, scenario, simulate(scenario))).toEqual([]);
    },
  );

  it.each(ALL.map((s) => [s.name, s.scenario] as const))(
    '%s: with capex + 10 %% the formula lines follow the engine',
    (name, scenario) => {
      const result = simulate(scenario);
      const live = liveRows(scenario, result);
      // Capex itself is always a formula of the Inputs: the check is never empty.
      expect(live.rows.has(2)).toBe(true);
      const up = simulate(scenario, { overrides: { capexFactor: CAPEX_FACTOR } });
      expect(differences(changed[name]!, scenario, up, live.rows, live.metrics)).toEqual([]);
    },
  );
});
