import { benchEngine } from './engine';
import type { BenchRow } from './stats';

/** `npm run bench`: every benchmark in turn, printed as a table. Timing lives here, never in tests. */
async function main(): Promise<void> {
  const suites: Array<[string, () => Promise<BenchRow[]>]> = [['engine', benchEngine]];
  for (const extra of ['finance', 'store', 'fiscal', 'web']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(`./${extra}`) as Record<string, () => Promise<BenchRow[]>>;
      const fn = mod[`bench${extra[0]!.toUpperCase()}${extra.slice(1)}`];
      if (fn) suites.push([extra, fn]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    }
  }
  for (const [name, run] of suites) {
    process.stdout.write(`\n## ${name}\n`);
    for (const row of await run()) {
      process.stdout.write(`${row.name.padEnd(78)} ${row.median.padStart(10)} ${row.unit}${row.note ? `   (${row.note})` : ''}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
