import { Readable } from 'node:stream';
import { Command } from 'commander';
import { registerAccounts } from '../../../src/cli/commands/accounts';
import { registerAudit } from '../../../src/cli/commands/audit';
import { registerBackup } from '../../../src/cli/commands/backup';
import { registerDb } from '../../../src/cli/commands/db';
import { registerExport } from '../../../src/cli/commands/export';
import { registerEvaluation } from '../../../src/cli/commands/evaluation';
import { registerExportXlsx } from '../../../src/cli/commands/export-xlsx';
import { registerFiscal } from '../../../src/cli/commands/fiscal';
import { registerImport } from '../../../src/cli/commands/import';
import { registerRestore } from '../../../src/cli/commands/restore';
import { registerRisk } from '../../../src/cli/commands/risk';
import { registerPlan } from '../../../src/cli/commands/plan';
import { registerSimulate } from '../../../src/cli/commands/simulate';
import { riskWorkerFile } from '../../helpers/risk-worker';
import { readFirstLine } from '../../../src/cli/commands/stdin';
import type { CliIo } from '../../../src/cli/commands/store-common';
import { reportError } from '../../../src/cli/run';
import { steppingClock } from './fixtures';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs the fundmix commands in-process as `fundmix ARGS` would, with the given environment and
 * working directory, and returns the exit status and what was printed.
 */
export async function runStoreCli(
  args: string[],
  opts: {
    env?: Record<string, string | undefined>;
    cwd: string;
    clock?: () => Date;
    /** What standard input holds (passwords); without it, reading it fails. */
    stdin?: string;
  },
): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: opts.env ?? {},
    cwd: () => opts.cwd,
    clock: opts.clock ?? steppingClock(),
    readStdinLine:
      opts.stdin === undefined ? undefined : () => readFirstLine(Readable.from([opts.stdin!])),
  };
  const program = new Command('fundmix')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  for (const register of [
    registerSimulate,
    registerImport,
    registerExport,
    registerBackup,
    registerRestore,
    registerAudit,
    registerDb,
    registerFiscal,
    registerAccounts,
    registerExportXlsx,
    registerEvaluation,
  ])
    register(program, io);
  registerRisk(program, io, { filename: riskWorkerFile() });
  registerPlan(program, io, { filename: riskWorkerFile() });
  let code = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    code = reportError(e, (s) => (err += s));
  }
  return { code, out, err };
}
