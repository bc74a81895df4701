import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simulate } from '../../src/domain/engine/simulate';
import { parseScenario } from '../../src/domain/scenario/parse';
import { DEFAULT_DEMO_DIR } from '../../src/cli/commands/store-common';
import { readScenarioWorkbook } from '../../src/store/xlsx/read-workbook';
import { scenarioWorkbook } from '../../src/store/xlsx/scenario-workbook';
import type { BenchRow } from './stats';

/** Median of the timings (ms) of `runs` awaited calls of `fn`, after `warmup` untimed calls. */
async function medianMsAsync(fn: () => Promise<unknown>, runs: number, warmup = 3) {
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
 * `npm run bench -- xlsx` (issue 13): the workbook of the demo's 43-year scenario (1 year of
 * construction, 42 of operation) written from its run, and read back by the import.
 */
export async function benchXlsx(): Promise<BenchRow[]> {
  const file = path.join(DEFAULT_DEMO_DIR(), 'scenarios', 'sc-parking--concession-42y.json');
  const scenario = parseScenario(JSON.parse(readFileSync(file, 'utf8')));
  const result = simulate(scenario);
  const options = { lang: 'zh', unit: 'yuan' } as const;
  const bytes = await scenarioWorkbook(scenario, result, options);
  const exportMs = await medianMsAsync(() => scenarioWorkbook(scenario, result, options), 21);
  const importMs = await medianMsAsync(() => readScenarioWorkbook(bytes), 21);
  return [
    {
      name: 'export of a 43-year scenario (workbook from its run)',
      median: exportMs.toFixed(1),
      unit: 'ms',
      note: `target ≤ 150 ms; ${(bytes.length / 1024).toFixed(0)} KiB`,
    },
    {
      name: 'import of it (read, validated, not saved)',
      median: importMs.toFixed(1),
      unit: 'ms',
      note: 'target ≤ 150 ms',
    },
  ];
}
