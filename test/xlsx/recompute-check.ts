import ExcelJS from 'exceljs';
import { Dec } from '../../src/domain/decimal';
import { ledgerLines } from '../../src/domain/engine/ledger-table';
import type { SimulationResult } from '../../src/domain/engine/types';
import type { Scenario } from '../../src/domain/scenario/schema';
import { INPUTS_SHEET, tableCell } from '../../src/domain/workbook/inputs-layout';
import { LEDGER_SHEET, ledgerSheet, workingRows } from '../../src/domain/workbook/ledger-formulas';
import { METRICS_SHEET, NONE_TEXT, metricsSheet } from '../../src/domain/workbook/metrics-formulas';
import { scenarioWorkbook } from '../../src/store/xlsx/scenario-workbook';
import { computed } from './libreoffice';

/**
 * What the LibreOffice recomputation tests (test/xlsx/scenario-recompute*.test.ts) share: the
 * comparison of a recomputed workbook with the engine, cell by cell, and the changes written into
 * the Inputs sheet.
 */

export const CAPEX_FACTOR = new Dec('1.1');

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
export function differences(
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
      const cell = metrics.getCell(2 + i, 2);
      const engine = m.value === null ? null : new Dec(m.value);
      // IRR finds no root (#NUM!, #N/A) where the engine has none either.
      const error = (computed(cell) as { error?: string } | null)?.error;
      if (error !== undefined) {
        if (engine !== null || m.kind !== 'rate')
          out.push(`${m.key}: ${error} ≠ ${String(engine)}`);
        return;
      }
      const lo = numberOf(cell);
      const ok = m.kind === 'amount' ? sameMoney(lo, engine) : sameRatio(lo, engine);
      if (!ok) out.push(`${m.key}: ${String(lo)} ≠ ${String(engine)}`);
    });
  return out;
}

/**
 * The Ledger rows and Metrics rows that are formulas over the Inputs and other such rows only:
 * they must follow a change of the Inputs (the others hold engine values, listed on Notes).
 */
export function liveRows(
  scenario: Scenario,
  result: SimulationResult,
): { rows: Set<number>; metrics: Set<number> } {
  const ledger = ledgerSheet(scenario, result);
  // Rows a formula reads (Inputs cells and ranges aside; Metrics formulas name Ledger rows the
  // same way); `1E9` is a number, not a cell.
  const refs = (formula: string) =>
    [
      ...formula
        .replace(/Inputs!\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?/g, '')
        .matchAll(/(?<![A-Za-z0-9_.])\$?[A-Z]{1,3}\$?(\d+)(?![\d(])/g),
    ].map((m) => Number(m[1]));
  // The ledger's lines and the working rows below it (committed amounts, loss queue, reserves).
  // A row is live unless it holds engine values or reads, directly or not, a row that does (or
  // a row that is neither); rows that read each other (balances, ranks) are live together.
  const deps = new Map<number, number[]>();
  for (const l of ledger)
    if (l.formulas)
      deps.set(
        l.row,
        l.cells.flatMap((c) => (c.kind === 'formula' ? refs(c.formula) : [])),
      );
  for (const w of workingRows(scenario, result, ledger))
    deps.set(
      w.row,
      w.cells.flatMap((c) => refs(c.formula)),
    );
  const dead = new Set<number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const [row, reads] of deps) {
      if (dead.has(row)) continue;
      if (reads.some((r) => dead.has(r) || !deps.has(r))) {
        dead.add(row);
        changed = true;
      }
    }
  }
  const live = new Set([...deps.keys()].filter((r) => !dead.has(r)));
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

export async function exported(scenario: Scenario, result: SimulationResult): Promise<Uint8Array> {
  return new Uint8Array(await scenarioWorkbook(scenario, result, { lang: 'en', unit: 'yuan' }));
}

/** The workbook with every capex cell of the Inputs sheet × 1.1, to the fen (half-up). */
export async function withCapexUp(bytes: Uint8Array, scenario: Scenario): Promise<Uint8Array> {
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

/** A revenue factor written into the Inputs sheet: every stream's base amount or unit price × it. */
export const REVENUE_FACTOR = new Dec('0.8');

/** The workbook with every revenue stream's price (user fees) or base income × 0.8. */
export async function withRevenueDown(bytes: Uint8Array, scenario: Scenario): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(INPUTS_SHEET)!;
  scenario.revenues.forEach((r, i) => {
    const [column, value] =
      r.kind === 'user-fee'
        ? ['unitPriceYuan', r.unitPriceYuan]
        : r.kind === 'public-data'
          ? ['annualIncomeYuan', r.annualIncomeYuan]
          : ['annualYuan', r.annualYuan];
    ws.getCell(tableCell('revenues', column, i).replace(/\$/g, '')).value = new Dec(value)
      .times(REVENUE_FACTOR)
      .toNumber();
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
