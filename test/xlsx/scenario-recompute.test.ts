import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Dec } from '../../src/domain/decimal';
import { ledgerLines } from '../../src/domain/engine/ledger-table';
import { simulate } from '../../src/domain/engine/simulate';
import type { SimulationResult } from '../../src/domain/engine/types';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { Scenario, ScenarioInput } from '../../src/domain/scenario/schema';
import { INPUTS_SHEET, tableCell } from '../../src/domain/workbook/inputs-layout';
import { LEDGER_SHEET, ledgerSheet } from '../../src/domain/workbook/ledger-formulas';
import { METRICS_SHEET, NONE_TEXT, metricsSheet } from '../../src/domain/workbook/metrics-formulas';
import { scenarioWorkbook } from '../../src/store/xlsx/scenario-workbook';
import { loadExamples } from '../helpers/scenarios';
import { computed, recomputeWithLibreOffice } from './libreoffice';

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
const CAPEX_FACTOR = new Dec('1.1');

/** A recomputed cell as a Decimal (a blank or text cell gives null). */
function numberOf(cell: ExcelJS.Cell): Dec | null {
  const v = computed(cell);
  if (typeof v === 'number') return new Dec(v);
  if (v === NONE_TEXT || v === '' || v === null || v === undefined) return null;
  throw new Error(`${cell.address}: not a number: ${JSON.stringify(v)}`);
}

/** Money: LibreOffice's number is the engine's fen amount (no fen off, no stray fraction). */
function sameMoney(lo: Dec | null, engine: Dec | null): boolean {
  if (engine === null) return lo === null;
  const v = lo ?? new Dec(0);
  return v.minus(engine).abs().lt('0.000001') && v.toDecimalPlaces(2).eq(engine);
}

const sameRatio = (lo: Dec | null, engine: Dec | null) =>
  engine === null ? lo === null : lo !== null && lo.minus(engine).abs().lte('1e-9');

/** Every ledger cell and metric that differs from the engine, as `sheet!cell lo≠engine` texts. */
function differences(
  wb: ExcelJS.Workbook,
  scenario: Scenario,
  result: SimulationResult,
  onlyRows?: ReadonlySet<number>,
  onlyMetrics?: ReadonlySet<number>,
): string[] {
  const out: string[] = [];
  const ledger = wb.getWorksheet(LEDGER_SHEET)!;
  ledgerLines(result).forEach((line, i) => {
    const row = 2 + i;
    if (onlyRows && !onlyRows.has(row)) return;
    line.values.forEach((v, t) => {
      const cell = ledger.getCell(row, 2 + t);
      const lo = numberOf(cell);
      const ok = line.kind === 'ratio' ? sameRatio(lo, v) : sameMoney(lo, v);
      if (!ok) out.push(`${line.key} ${cell.address}: ${String(lo)} ≠ ${String(v)}`);
    });
  });
  const metrics = wb.getWorksheet(METRICS_SHEET)!;
  metricsSheet(scenario, result, ledgerSheet(scenario, result))
    .filter((m) => !m.years)
    .forEach((m, i) => {
      if (onlyMetrics && !onlyMetrics.has(2 + i)) return;
      const lo = numberOf(metrics.getCell(2 + i, 2));
      const engine = m.value === null ? null : new Dec(m.value);
      const ok = m.kind === 'amount' ? sameMoney(lo, engine) : sameRatio(lo, engine);
      if (!ok) out.push(`${m.key}: ${String(lo)} ≠ ${String(engine)}`);
    });
  return out;
}

/**
 * The Ledger rows and Metrics rows that are formulas over the Inputs and other such rows only:
 * they must follow a change of the Inputs (the others hold engine values, listed on Notes).
 */
function liveRows(
  scenario: Scenario,
  result: SimulationResult,
): { rows: Set<number>; metrics: Set<number> } {
  const ledger = ledgerSheet(scenario, result);
  // Rows a formula reads (Inputs cells aside; Metrics formulas name Ledger rows the same way).
  const refs = (formula: string) =>
    [...formula.replace(/Inputs!\$?[A-Z]+\$?\d+/g, '').matchAll(/\$?[A-Z]{1,3}\$?(\d+)/g)].map(
      (m) => Number(m[1]),
    );
  const live = new Set<number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const l of ledger) {
      if (live.has(l.row) || !l.formulas) continue;
      const deps = l.cells.flatMap((c) => (c.kind === 'formula' ? refs(c.formula) : []));
      if (deps.every((r) => r === l.row || live.has(r))) {
        live.add(l.row);
        changed = true;
      }
    }
  }
  const metrics = new Set<number>();
  metricsSheet(scenario, result, ledger)
    .filter((m) => !m.years)
    .forEach((m, i) => {
      if (m.formula === null) return;
      // Metrics over the Metrics sheet's working rows (paybacks, equity) by the rows those read.
      const deps = m.reads ?? refs(m.formula);
      if (deps.every((r) => live.has(r))) metrics.add(2 + i);
    });
  return { rows: live, metrics };
}

async function exported(scenario: Scenario, result: SimulationResult): Promise<Uint8Array> {
  return new Uint8Array(await scenarioWorkbook(scenario, result, { lang: 'en', unit: 'yuan' }));
}

/** The workbook with every capex cell of the Inputs sheet × 1.1, to the fen (half-up). */
async function withCapexUp(bytes: Uint8Array, scenario: Scenario): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(INPUTS_SHEET)!;
  scenario.capex.scheduleYuan.forEach((c, i) => {
    ws.getCell(tableCell('capex', '', i).replace(/\$/g, '')).value = new Dec(c)
      .times(CAPEX_FACTOR)
      .toDecimalPlaces(2, Dec.ROUND_HALF_UP)
      .toNumber();
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

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
