/**
 * `portcullis alerts`: the monitor's alerts from the API (`GET /alerts`), open ones by default, every page, most
 * severe first, each with its runbook. `--kind`, `--state` and `--certificate` filter on the API side.
 */
import type { Command } from 'commander';
import type { AlertQuery } from '../runtime/api-client.js';
import { type ApiFlags, apiClient, withApiOption } from '../runtime/api-command.js';
import { formatAlerts, parseAlertKind, parseAlertState } from '../views/alerts-view.js';
import { fetchAllPages } from '../views/pages.js';
import { type ColourFlags, coloursFor, processViewIo, type ViewIo } from '../views/terminal.js';

export interface AlertsFlags extends ApiFlags, ColourFlags {
  readonly kind?: string;
  readonly state?: string;
  readonly certificate?: string;
}

export async function runAlerts(flags: AlertsFlags, io: ViewIo): Promise<void> {
  const kind = parseAlertKind(flags.kind);
  const state = parseAlertState(flags.state) ?? 'open';
  const query: AlertQuery = {
    state,
    ...(kind === undefined ? {} : { kind }),
    ...(flags.certificate === undefined ? {} : { certificateId: flags.certificate }),
  };
  const client = apiClient(flags, io);
  const alerts = await fetchAllPages(
    (cursor) => client.alerts(cursor === undefined ? query : { ...query, cursor }),
    io,
    'alerts',
  );
  io.out(formatAlerts(alerts, coloursFor(flags, io)));
}

export function registerAlertsCommand(program: Command, io: ViewIo = processViewIo): void {
  withApiOption(program.command('alerts').description('show the monitor’s alerts (open by default)'))
    .option('--kind <kind>', 'expiring | renewal-failing | stale | drift | unmanaged-expiring | dlq-not-empty')
    .option('--state <state>', 'open (default) | resolved')
    .option('--certificate <id>', 'only alerts about this certificate')
    .option('--no-color', 'plain text even on a terminal (also NO_COLOR=1)')
    .action((flags: AlertsFlags) => runAlerts(flags, io));
}
