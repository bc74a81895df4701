import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { damaged } from './corrupt';
import { dashboardLoad } from './dashboard-load';
import { killBurst } from './kill-burst';
import { mixedLoad } from './mixed-load';
import { killAllChildren } from './processes';
import { readOnly } from './read-only';
import { formatTable, type SoakRow } from './report';

/** What a run does; `--quick` shortens the loads to a smoke run of about a minute. */
interface Options {
  parts: string[];
  killRounds: number;
  mixedSeconds: number;
  dashboardSeconds: number;
  budgetSeconds: number;
  keep: boolean;
}

const FULL = { killRounds: 5, mixedSeconds: 30, dashboardSeconds: 60 };
const QUICK = { killRounds: 2, mixedSeconds: 8, dashboardSeconds: 8 };

/** Each part with a rough estimate of its seconds (start-ups, seeding, checks), for the budget. */
const PARTS: Record<
  string,
  { run: (dir: string, o: Options) => Promise<SoakRow[]>; s: (o: Options) => number }
> = {
  kill: { run: (d, o) => killBurst(d, o.killRounds), s: (o) => 5 + 3 * o.killRounds },
  'read-only': { run: (d) => readOnly(d), s: () => 10 },
  damaged: { run: (d) => damaged(d), s: () => 8 },
  mixed: { run: (d, o) => mixedLoad(d, o.mixedSeconds), s: (o) => 25 + o.mixedSeconds },
  dashboard: {
    run: (d, o) => dashboardLoad(d, o.dashboardSeconds),
    s: (o) => 6 + o.dashboardSeconds,
  },
};

const USAGE = `usage: npm run soak -- [--quick] [--parts=${Object.keys(PARTS).join(',')}]
  [--kill-rounds=N] [--mixed-seconds=N] [--dashboard-seconds=N] [--budget-seconds=N] [--keep]`;

/** Parses the command line; throws with the usage on anything unknown. */
function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const o: Options = {
    parts: Object.keys(PARTS),
    ...(quick ? QUICK : FULL),
    budgetSeconds: 270,
    keep: false,
  };
  const numbers: Record<
    string,
    'killRounds' | 'mixedSeconds' | 'dashboardSeconds' | 'budgetSeconds'
  > = {
    '--kill-rounds': 'killRounds',
    '--mixed-seconds': 'mixedSeconds',
    '--dashboard-seconds': 'dashboardSeconds',
    '--budget-seconds': 'budgetSeconds',
  };
  for (const arg of argv) {
    const [name = '', value] = arg.split('=', 2);
    if (name === '--quick') continue;
    else if (name === '--keep' && value === undefined) o.keep = true;
    else if (name === '--parts' && value) o.parts = value.split(',');
    else if (name in numbers && value !== undefined && /^[1-9]\d*$/.test(value))
      o[numbers[name]!] = Number(value);
    else throw new Error(`unknown or malformed option ${arg}\n${USAGE}`);
  }
  const unknown = o.parts.filter((p) => !(p in PARTS));
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}\n${USAGE}`);
  return o;
}

const rows: SoakRow[] = [];

const report = (): string => formatTable(rows);

/** Ends the run when the time budget is spent, whatever is still going: children are SIGKILLed. */
function hardStop(o: Options, started: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    killAllChildren();
    process.stdout.write(report());
    process.stderr.write(
      `soak: HARD STOP after ${Math.round((Date.now() - started) / 1000)} s: the time budget of ${o.budgetSeconds} s is spent\n`,
    );
    process.exit(1);
  }, o.budgetSeconds * 1000);
  timer.unref();
  return timer;
}

/**
 * `npm run soak [-- options]`: the fault-and-load suite. Every server it starts is a child process
 * on an ephemeral port of 127.0.0.1 with a database in a fresh temporary directory. Prints the
 * figures as a table; exits 1 when a target is missed or an invariant broken, 2 on bad options.
 */
async function main(): Promise<number> {
  let o: Options;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const estimate = o.parts.reduce((s, p) => s + PARTS[p]!.s(o), 0);
  if (estimate > o.budgetSeconds)
    process.stderr.write(
      `soak: warning: these durations take about ${estimate} s, more than the ${o.budgetSeconds} s budget: the hard stop may cut the run short\n`,
    );
  const started = Date.now();
  const timer = hardStop(o, started);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-soak-'));
  // Part 2 runs the server as nobody, who must be able to reach its database below this directory.
  fs.chmodSync(dir, 0o755);
  for (const name of o.parts) {
    process.stderr.write(`soak: ${name} (about ${PARTS[name]!.s(o)} s) ...\n`);
    const t0 = Date.now();
    try {
      rows.push(...(await PARTS[name]!.run(dir, o)));
    } catch (err) {
      rows.push({
        part: name,
        check: 'the part ran to its end',
        figure: 'no',
        target: 'yes',
        ok: false,
        note: String((err as Error).message ?? err).split('\n')[0],
      });
    }
    process.stderr.write(`soak: ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  clearTimeout(timer);
  const failed = rows.filter((r) => r.ok === false);
  process.stdout.write(`\n${report()}\n`);
  process.stdout.write(
    `${failed.length === 0 ? 'soak passed' : `soak FAILED: ${failed.length} check(s)`} in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  if (o.keep || failed.length > 0) process.stdout.write(`databases kept in ${dir}\n`);
  else fs.rmSync(dir, { recursive: true, force: true });
  return failed.length === 0 ? 0 : 1;
}

process.on('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});

main().then(
  (code) => {
    // A part that failed half-way may have left its server running.
    killAllChildren();
    process.exit(code);
  },
  (err: unknown) => {
    killAllChildren();
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
