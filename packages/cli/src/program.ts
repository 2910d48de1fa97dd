import { Command } from 'commander';
import { registerAccountCommands } from './commands/account.js';
import { registerAlertsCommand } from './commands/alerts.js';
import { registerDlqCommands } from './commands/dlq.js';
import { registerDnsCommands } from './commands/dns.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerEventsCommand } from './commands/events.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerIssueCommand } from './commands/issue.js';
import { registerListCommand } from './commands/list.js';
import { registerLocalCommands } from './commands/local.js';
import { registerScheduleCommands } from './commands/monitor.js';
import { registerRenewCommand } from './commands/renew.js';
import { registerReportCommand } from './commands/report.js';
import { registerRequestCommand } from './commands/request.js';
import { registerRestoreCommand } from './commands/restore.js';
import { registerRevokeCommand } from './commands/revoke.js';
import { registerStatusCommand } from './commands/status.js';
import { registerUpdateCommand } from './commands/update.js';
import { registerVersionsCommand } from './commands/versions.js';

/** The `portcullis` command tree. Commands register themselves; this file only lists them. */
export function buildProgram(): Command {
  const program = new Command('portcullis')
    .description('certificate and DNS automation: obtain, store, deliver and renew certificates')
    .showHelpAfterError();
  registerIssueCommand(program);
  registerLocalCommands(program);
  registerStatusCommand(program);
  registerListCommand(program);
  registerRequestCommand(program);
  registerRenewCommand(program);
  registerRevokeCommand(program);
  registerVersionsCommand(program);
  registerRestoreCommand(program);
  registerUpdateCommand(program);
  registerEventsCommand(program);
  registerScheduleCommands(program);
  registerAlertsCommand(program);
  registerReportCommand(program);
  registerDoctorCommand(program);
  registerDnsCommands(program);
  registerInspectCommand(program);
  registerDlqCommands(program);
  registerAccountCommands(program);
  return program;
}
