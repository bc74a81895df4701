import fs from 'node:fs';
import path from 'node:path';
import { seededDb } from './fixtures';
import { servedPort, SERVER_JS, startNode, tellingLine } from './processes';
import type { SoakRow } from './report';

const PART = '3 damaged database';
const EXIT_WITHIN_MS = 20_000;

/** Page size and page count of an SQLite file, from its header. */
function pageLayout(buf: Buffer): { pageSize: number; pages: number } {
  const raw = buf.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  return { pageSize, pages: Math.floor(buf.length / pageSize) };
}

/**
 * Overwrites the start (b-tree page header and cell pointers) of the given pages (1-based, never
 * page 1, which holds the 100-byte file header and the schema) with a fixed pattern.
 */
function overwritePages(file: string, which: (pages: number) => number[]): number[] {
  const buf = fs.readFileSync(file);
  const { pageSize, pages } = pageLayout(buf);
  const chosen = which(pages).filter((p) => p > 1 && p <= pages);
  for (const p of chosen) buf.fill(0xa5, (p - 1) * pageSize, (p - 1) * pageSize + 512);
  fs.writeFileSync(file, buf);
  return chosen;
}

/** How a start-up on a damaged file went. */
interface Outcome {
  code: number | null;
  signal: string | null;
  lines: string[];
  served: boolean;
}

/**
 * Starts the server on `db` as a person in a terminal would see it (plain log lines; without a
 * terminal the same refusal also goes to stdout as a JSON record for log files) and waits for it
 * to exit (SIGKILL after EXIT_WITHIN_MS).
 */
async function startUp(db: string): Promise<Outcome> {
  const child = startNode(SERVER_JS, [], {
    FUNDMIX_DB: db,
    PORT: '0',
    LOG_LEVEL: 'info',
    FUNDMIX_LOG_FORMAT: 'plain',
  });
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), EXIT_WITHIN_MS);
  // Serving is already the failure: no need to wait for the time-out.
  const poll = setInterval(() => {
    if (servedPort(child.output()) !== null) child.proc.kill('SIGKILL');
  }, 50);
  const fin = await child.exited;
  clearTimeout(timer);
  clearInterval(poll);
  return {
    code: fin.code,
    signal: fin.signal,
    lines: fin.output.split('\n').filter((l) => l.trim() !== ''),
    served: servedPort(fin.output) !== null,
  };
}

/** Start-up must exit non-zero, print exactly one plain line (no JSON, no stack) and never serve. */
function rowFor(check: string, o: Outcome): SoakRow {
  const first = o.lines[0] ?? '';
  const plain =
    o.lines.length === 1 && !first.trimStart().startsWith('{') && !/^\s*at .+:\d+/m.test(first);
  const exitedNonZero = o.code !== null && o.code !== 0;
  const problems = [
    o.served
      ? 'it served (then killed)'
      : exitedNonZero
        ? ''
        : o.signal
          ? `still running after ${EXIT_WITHIN_MS / 1000} s`
          : 'exit 0',
    plain ? '' : o.lines.length === 1 ? 'not a plain line' : `${o.lines.length} output lines`,
  ].filter((s) => s !== '');
  return {
    part: PART,
    check,
    figure: `exit ${o.code ?? o.signal}, ${o.lines.length} line${o.lines.length === 1 ? '' : 's'}`,
    target: 'exit ≠ 0, 1 plain line',
    ok: problems.length === 0,
    note: `${problems.length ? `${problems.join('; ')}; ` : ''}${o.lines.length === 1 ? 'the line' : 'telling line'}: ${tellingLine(o.lines.join('\n')).slice(0, 140)}`,
  };
}

/**
 * Part 3: the server must refuse, at start-up, copies of a good database with every data page or
 * one data page overwritten, and a file that is not a database at all.
 */
export async function damaged(dir: string): Promise<SoakRow[]> {
  const good = await seededDb(dir, 'damaged-source.db');
  const copy = (name: string) => {
    const f = path.join(dir, name);
    fs.copyFileSync(good, f);
    return f;
  };
  const all = copy('corrupt-all.db');
  const allPages = overwritePages(all, (n) => Array.from({ length: n }, (_, i) => i + 1));
  // One page in the middle: found at start-up only by a check that reads every page.
  const one = copy('corrupt-one.db');
  const [middle] = overwritePages(one, (n) => [Math.ceil(n / 2)]);
  const notDb = path.join(dir, 'not-a-database.db');
  fs.writeFileSync(notDb, 'This is a text file, not a FundMix database.\n'.repeat(200));
  return [
    rowFor(`every data page overwritten (${allPages.length} pages)`, await startUp(all)),
    rowFor(`one data page overwritten (page ${middle})`, await startUp(one)),
    rowFor('not a database (a text file)', await startUp(notDb)),
  ];
}
