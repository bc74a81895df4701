import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../src/domain/engine/simulate';
import { parseScenario } from '../../src/domain/scenario/parse';
import type { ScenarioInput } from '../../src/domain/scenario/schema';
import { scenarioWorkbook } from '../../src/store/xlsx/scenario-workbook';
import { readScenarioWorkbook } from '../../src/store/xlsx/read-workbook';
import { DEFAULT_DEMO_DIR } from '../../src/cli/commands/store-common';
import { recomputeWithLibreOffice } from '../xlsx/libreoffice';
import { medianMs, type BenchRow } from './stats';

/** The demo's 43-year scenario (1 construction year, 42 of operation), from the package root. */
const FILE = () => join(DEFAULT_DEMO_DIR(), 'scenarios', 'sc-parking--concession-42y.json');

/** Median ms of `runs` awaited calls after `warmup` untimed ones. */
async function medianAsyncMs(
  fn: () => Promise<unknown>,
  runs: number,
  warmup = 3,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/**
 * Issue 13, "Speed": exporting the workbook of a 43-year scenario (target ≤ 150 ms: the formulas
 * of every ledger line and metric, and exceljs writing the .xlsx), and side by side FundMix
 * simulating that scenario vs LibreOffice recomputing its exported workbook (one soffice run,
 * its start included: what a user or the tests pay); and importing that workbook back (read and
 * validated, not saved; target ≤ 150 ms).
 */
export async function benchXlsx(): Promise<BenchRow[]> {
  const scenario = parseScenario(JSON.parse(readFileSync(FILE(), 'utf8')) as ScenarioInput);
  const result = simulate(scenario);
  const options = { lang: 'zh', unit: 'wan' } as const;
  const exportMs = await medianAsyncMs(() => scenarioWorkbook(scenario, result, options), 15);
  const simulateMs = medianMs(() => simulate(scenario), 50);
  const bytes = new Uint8Array(await scenarioWorkbook(scenario, result, options));
  const importMs = await medianAsyncMs(() => readScenarioWorkbook(bytes), 15);
  const t0 = process.hrtime.bigint();
  await recomputeWithLibreOffice({ bench: bytes });
  const libreOfficeMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return [
    {
      name: 'export of a 43-year scenario workbook (formulas + .xlsx)',
      median: exportMs.toFixed(1),
      unit: 'ms',
      note: 'target ≤ 150 ms',
    },
    {
      name: 'import of it (read and validated, not saved)',
      median: importMs.toFixed(1),
      unit: 'ms',
      note: 'target ≤ 150 ms',
    },
    {
      name: 'FundMix simulate, the same scenario',
      median: simulateMs.toFixed(2),
      unit: 'ms',
    },
    {
      name: 'LibreOffice recompute of its workbook ÷ FundMix simulate',
      median: (libreOfficeMs / simulateMs).toFixed(0),
      unit: '×',
      note: `one soffice run, start included: ${libreOfficeMs.toFixed(0)} ms`,
    },
  ];
}
