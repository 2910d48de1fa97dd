import { Command } from 'commander';
import { registerIssueCommand } from './commands/issue.js';
import { registerLocalCommands } from './commands/local.js';

/** The `portcullis` command tree. Commands register themselves; this file only lists them. */
export function buildProgram(): Command {
  const program = new Command('portcullis')
    .description('certificate and DNS automation: obtain, store, deliver and renew certificates')
    .showHelpAfterError();
  registerIssueCommand(program);
  registerLocalCommands(program);
  return program;
}
