/**
 * `portcullis status <id>`: one certificate from the API — spec, conditions with reasons, revision, expiry and
 * renewal time, failures, a table of targets (deployed vs observed serial, days left) and live endpoints.
 */
import type { Command } from 'commander';
import { type ApiFlags, apiClient, withApiOption } from '../runtime/api-command.js';
import { formatStatus } from '../views/status-view.js';
import { type ColourFlags, coloursFor, processViewIo, type ViewIo } from '../views/terminal.js';

export interface StatusFlags extends ApiFlags, ColourFlags {}

export async function runStatus(id: string, flags: StatusFlags, io: ViewIo): Promise<void> {
  const view = await apiClient(flags, io).get(id);
  io.out(formatStatus(view, io.now?.() ?? new Date(), coloursFor(flags, io)));
}

export function registerStatusCommand(program: Command, io: ViewIo = processViewIo): void {
  withApiOption(program.command('status').description('show one certificate: spec, conditions, targets, endpoints'))
    .argument('<id>', 'certificate id')
    .option('--no-color', 'plain text even on a terminal (also NO_COLOR=1)')
    .action((id: string, flags: StatusFlags) => runStatus(id, flags, io));
}
