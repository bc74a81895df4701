import fs from 'node:fs';
import path from 'node:path';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { fileKind } from '../../store';
import type { CliIo } from './store-common';

/**
 * The largest file `fundmix import` reads: 32 MiB. A real scenario file is a few kilobytes and an
 * exported history of hundreds of versions a few megabytes; anything larger is a mistake, and
 * reading it whole would only exhaust memory.
 */
export const MAX_IMPORT_FILE_BYTES = 32 * 1024 * 1024;

export interface InputFile {
  name: string;
  text: string;
  /** The file's bytes (`text` is their UTF-8 reading; a workbook is read from these). */
  bytes: Buffer;
}

/** Why a path cannot be imported; becomes one issue of the ValidationError. */
class UnreadableError extends Error {}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/**
 * Reads a regular file of at most MAX_IMPORT_FILE_BYTES. Opened with O_NONBLOCK and checked with
 * fstat, so a FIFO put in its place after the directory was listed is refused instead of blocking.
 * @throws UnreadableError naming what is wrong
 */
function readRegularFile(file: string): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new UnreadableError(`It is ${fileKind(st)}, not a regular file`);
    if (st.size > MAX_IMPORT_FILE_BYTES) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // Sized by fstat, plus room to notice a file that grew past the limit meanwhile.
      const room = Math.max(st.size - total, 0) + 64 * 1024;
      const chunk = Buffer.alloc(Math.min(room, MAX_IMPORT_FILE_BYTES + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > MAX_IMPORT_FILE_BYTES) throw tooLarge();
    }
    return Buffer.concat(chunks);
  } finally {
    fs.closeSync(fd);
  }
}

const tooLarge = () =>
  new UnreadableError(`It is larger than ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MiB`);

interface Walk {
  files: string[];
  skipped: Array<{ file: string; reason: string }>;
}

/**
 * Every *.json regular file under `dir`, recursively and sorted. Symbolic links are followed when
 * they lead to a regular file, never into a directory (no loops); FIFOs, sockets, devices and
 * broken links are skipped with the reason.
 */
function walk(dir: string, into: Walk): Walk {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, e.name);
    const json = e.name.endsWith('.json');
    if (e.isDirectory()) walk(file, into);
    else if (e.isSymbolicLink()) {
      const target = statOrNull(file);
      if (target?.isDirectory())
        into.skipped.push({ file, reason: 'a symbolic link to a directory (not followed)' });
      else if (!json) continue;
      else if (target === null) into.skipped.push({ file, reason: 'a broken symbolic link' });
      else if (target.isFile()) into.files.push(file);
      else into.skipped.push({ file, reason: `a symbolic link to ${fileKind(target)}` });
    } else if (!json) continue;
    else if (e.isFile()) into.files.push(file);
    else into.skipped.push({ file, reason: fileKind(e) });
  }
  return into;
}

/** The regular files one argument stands for (a directory: its *.json files). */
function expand(arg: string, full: string, io: CliIo, issues: FieldIssue[]): string[] {
  const st = fs.statSync(full);
  if (st.isFile()) return [full];
  if (!st.isDirectory()) {
    issues.push({ path: arg, message: `It is ${fileKind(st)}; only regular files are read` });
    return [];
  }
  const found = walk(full, { files: [], skipped: [] });
  for (const s of found.skipped) io.err(`skipped ${shown(s.file, io)}: ${s.reason}\n`);
  if (found.files.length === 0)
    issues.push({ path: arg, message: 'The directory holds no .json files' });
  return found.files;
}

const shown = (file: string, io: CliIo) => path.relative(io.cwd(), file) || file;

function problem(err: unknown): string {
  if (err instanceof UnreadableError) return err.message;
  return `Cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
}

/**
 * Expands the arguments of `import`: files as given, directories to every *.json inside
 * (recursively, sorted). Only regular files of at most MAX_IMPORT_FILE_BYTES are read: a FIFO,
 * socket or device given as an argument is an error, one found in a directory is skipped with a
 * `skipped PATH: REASON` line on stderr. Unreadable paths are collected, not thrown one by one.
 * @throws ValidationError naming every path that cannot be read
 */
export function readInputFiles(args: readonly string[], io: CliIo): InputFile[] {
  const out: InputFile[] = [];
  const issues: FieldIssue[] = [];
  for (const arg of args) {
    const full = path.resolve(io.cwd(), arg);
    let files: string[];
    try {
      files = expand(arg, full, io, issues);
    } catch (err) {
      issues.push({ path: arg, message: problem(err) });
      continue;
    }
    for (const f of files) {
      try {
        const bytes = readRegularFile(f);
        out.push({ name: shown(f, io), text: bytes.toString('utf8'), bytes });
      } catch (err) {
        issues.push({ path: f === full ? arg : shown(f, io), message: problem(err) });
      }
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, 'Cannot read the files to import');
  return out;
}
