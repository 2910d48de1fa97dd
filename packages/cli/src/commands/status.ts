/** `portcullis status <id>`: one certificate from the API — spec, conditions with reasons, revision, deliveries. */
import type { Command } from 'commander';
import { type ApiCommandIo, type ApiFlags, apiClient, processApiIo, withApiOption } from '../runtime/api-command.js';
import { formatStatus } from '../runtime/format.js';

export async function runStatus(id: string, flags: ApiFlags, io: ApiCommandIo): Promise<void> {
  const view = await apiClient(flags, io).get(id);
  io.out(formatStatus(view, io.now?.() ?? new Date()));
}

export function registerStatusCommand(program: Command, io: ApiCommandIo = processApiIo): void {
  withApiOption(program.command('status').description('show one certificate: spec, conditions, deliveries'))
    .argument('<id>', 'certificate id')
    .action((id: string, flags: ApiFlags) => runStatus(id, flags, io));
}
