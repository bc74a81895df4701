#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { runCli } from './run';
import { registerSimulate } from './commands/simulate';
import { registerImport } from './commands/import';
import { registerExport } from './commands/export';
import { registerBackup } from './commands/backup';
import { registerRestore } from './commands/restore';
import { registerAudit } from './commands/audit';
import { registerDb } from './commands/db';
import { registerFiscal } from './commands/fiscal';
import { registerAccounts } from './commands/accounts';
import { registerRisk } from './commands/risk';
import { registerExportXlsx } from './commands/export-xlsx';
import { registerPlan } from './commands/plan';
import { registerEvaluation } from './commands/evaluation';

/** Builds the `fundmix` command tree; each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('fundmix')
    .description('FundMix: investment-and-financing modeller for smart-city projects')
    .exitOverride()
    .showHelpAfterError();
  registerSimulate(program);
  registerImport(program);
  registerExport(program);
  registerBackup(program);
  registerRestore(program);
  registerAudit(program);
  registerDb(program);
  registerFiscal(program);
  registerAccounts(program);
  registerRisk(program);
  registerExportXlsx(program);
  registerPlan(program);
  registerEvaluation(program);
  return program;
}

if (require.main === module) {
  void runCli(buildProgram(), process.argv);
}

export { CommanderError };
