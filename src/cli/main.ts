#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { runCli } from './run';
import { registerSimulate } from './commands/simulate';

/** Builds the `fundmix` command tree; each command lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('fundmix')
    .description('FundMix: investment-and-financing modeller for smart-city projects')
    .exitOverride()
    .showHelpAfterError();
  registerSimulate(program);
  return program;
}

if (require.main === module) {
  void runCli(buildProgram(), process.argv);
}

export { CommanderError };
