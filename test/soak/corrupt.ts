import fs from 'node:fs';
import path from 'node:path';
import { seededDb } from './fixtures';
import { servedPort, SERVER_JS, startNode, tellingLine } from './processes';
import type { SoakRow } from './report';

const PART = '3 damaged database';
const EXIT_WITHIN_MS = 20_000;

/**
 * Overwrites the start of every page after the first (b-tree page headers and cell pointers)
 * with a fixed pattern; page 1, with the 100-byte file header and the schema, stays intact.
 */
function corruptPages(file: string): number {
  const buf = fs.readFileSync(file);
  const raw = buf.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = Math.floor(buf.length / pageSize);
  for (let p = 1; p < pages; p++) buf.fill(0xa5, p * pageSize, p * pageSize + 512);
  fs.writeFileSync(file, buf);
  return pages - 1;
}

/** How a start-up on a damaged file went. */
interface Outcome {
  code: number | null;
  signal: string | null;
  lines: string[];
  served: boolean;
}

/** Starts the server on `db` and waits for it to exit (SIGKILL after EXIT_WITHIN_MS). */
async function startUp(db: string): Promise<Outcome> {
  const child = startNode(SERVER_JS, [], { FUNDMIX_DB: db, PORT: '0', LOG_LEVEL: 'info' });
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), EXIT_WITHIN_MS);
  const fin = await child.exited;
  clearTimeout(timer);
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
    exitedNonZero ? '' : o.signal ? `still running after ${EXIT_WITHIN_MS / 1000} s` : 'exit 0',
    plain ? '' : `${o.lines.length} output lines`,
    o.served ? 'it served' : '',
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
 * Part 3: the server must refuse, at start-up, a copy of a good database whose data pages are
 * overwritten, and a file that is not a database at all.
 */
export async function damaged(dir: string): Promise<SoakRow[]> {
  const good = await seededDb(dir, 'damaged-source.db');
  const corrupt = path.join(dir, 'corrupt.db');
  fs.copyFileSync(good, corrupt);
  const pages = corruptPages(corrupt);
  const notDb = path.join(dir, 'not-a-database.db');
  fs.writeFileSync(notDb, 'This is a text file, not a FundMix database.\n'.repeat(200));
  return [
    rowFor(`data pages overwritten (${pages} of ${pages + 1})`, await startUp(corrupt)),
    rowFor('not a database (a text file)', await startUp(notDb)),
  ];
}
