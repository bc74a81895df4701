import { benchEngine } from './engine';
import { benchEvaluation } from './evaluation';
import { benchFinance } from './finance';
import { benchFiscal } from './fiscal';
import { benchPlan } from './plan';
import { benchRisk } from './risk';
import { benchStore } from './store';
import { benchWeb } from './web';
import { benchXlsx } from './xlsx';
import type { BenchRow } from './stats';

const SUITES: Record<string, () => Promise<BenchRow[]>> = {
  engine: benchEngine,
  finance: benchFinance,
  store: benchStore,
  fiscal: benchFiscal,
  risk: benchRisk,
  plan: benchPlan,
  evaluation: benchEvaluation,
  web: benchWeb,
  xlsx: benchXlsx,
};

/**
 * `npm run bench [-- SUITE...]`: every benchmark (or the named ones) in turn, printed as a table.
 * Timing lives here, never in tests.
 */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in SUITES));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(SUITES).join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  for (const [name, run] of Object.entries(SUITES)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    process.stdout.write(`\n## ${name}\n`);
    for (const row of await run()) {
      process.stdout.write(
        `${row.name.padEnd(78)} ${row.median.padStart(10)} ${row.unit}${row.note ? `   (${row.note})` : ''}\n`,
      );
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
