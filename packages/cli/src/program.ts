import { Command } from 'commander';
import { registerEventsCommand } from './commands/events.js';
import { registerIssueCommand } from './commands/issue.js';
import { registerListCommand } from './commands/list.js';
import { registerLocalCommands } from './commands/local.js';
import { registerRenewCommand } from './commands/renew.js';
import { registerRevokeCommand } from './commands/revoke.js';
import { registerStatusCommand } from './commands/status.js';

/** The `portcullis` command tree. Commands register themselves; this file only lists them. */
export function buildProgram(): Command {
  const program = new Command('portcullis')
    .description('certificate and DNS automation: obtain, store, deliver and renew certificates')
    .showHelpAfterError();
  registerIssueCommand(program);
  registerLocalCommands(program);
  registerStatusCommand(program);
  registerListCommand(program);
  registerRenewCommand(program);
  registerRevokeCommand(program);
  registerEventsCommand(program);
  return program;
}
