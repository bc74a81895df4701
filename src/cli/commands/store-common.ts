import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '../../domain/errors';
import { checkText, type TextKind } from '../../domain/text';
import { readFirstLine } from './stdin';
import {
  assertCurrentSchema,
  createStore,
  migrate,
  openDatabase,
  type Db,
  type EngineAdapter,
  type Store,
} from '../../store';

/** What the store commands take from the outside world; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd(): string;
  clock(): Date;
  /** The first line of standard input (passwords: `user add`, `user reset-password`). */
  readStdinLine?(): Promise<string>;
}

export function processIo(): CliIo {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
    cwd: () => process.cwd(),
    clock: () => new Date(),
    readStdinLine: () => readFirstLine(process.stdin),
  };
}

/** The database file: `--db`, else FUNDMIX_DB, else data/fundmix.db under the working directory. */
export function resolveDbPath(option: string | undefined, io: CliIo): string {
  const chosen = option ?? io.env.FUNDMIX_DB;
  return path.resolve(
    io.cwd(),
    chosen && chosen.trim() !== '' ? chosen : path.join('data', 'fundmix.db'),
  );
}

/**
 * An option or environment variable's text under the text rule (src/domain/text.ts).
 * @throws ValidationError naming the option or variable (`--comment`, `FUNDMIX_ACTOR`)
 */
export function checkedArgument(
  name: string,
  what: string,
  value: string,
  kind: TextKind = 'single-line',
): string {
  const refused = checkText(what, value, kind);
  if (refused)
    throw new ValidationError([{ path: name, message: refused }], `${name} is not valid`);
  return value;
}

/**
 * Who is acting: the machine's operator, named by FUNDMIX_ACTOR (set where the operator's
 * account is configured), else the login name. No per-command option decides it (issue 10):
 * the operator's entries carry no user or organisation, and web users are recorded as signed in.
 * @throws ValidationError when the variable holds a character the text rule refuses
 */
export function resolveActor(io: CliIo): string {
  if (io.env.FUNDMIX_ACTOR) return checkedArgument('FUNDMIX_ACTOR', 'Author', io.env.FUNDMIX_ACTOR);
  try {
    return `${os.userInfo().username} (cli)`;
  } catch {
    return 'cli';
  }
}

/** The directory holding package.json, found upwards from this file (works from src/ and dist/). */
export function packageRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const DEFAULT_DEMO_DIR = (): string => path.join(packageRoot(), 'data', 'demo');

export interface OpenedStore {
  db: Db;
  store: Store;
  path: string;
}

/**
 * Opens the store for a command and closes it afterwards.
 * `create`: make the file (and its directory) if missing and apply pending migrations;
 * otherwise the file must exist and its schema must be current (read-only commands do not migrate).
 * `engine`: lets the store compute (and cache) results that are not cached yet.
 */
export async function withStore<T>(
  file: string,
  io: CliIo,
  mode: { create: boolean; engine?: EngineAdapter },
  fn: (opened: OpenedStore) => T | Promise<T>,
): Promise<T> {
  if (mode.create) fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = openDatabase(file, { fileMustExist: !mode.create });
  try {
    if (mode.create) migrate(db);
    else assertCurrentSchema(db);
    return await fn({
      db,
      store: createStore(db, { clock: () => io.clock(), engine: mode.engine }),
      path: file,
    });
  } finally {
    db.close();
  }
}
