/** `portcullis renew <id>`: asks for a renewal now; the worker orders it on its next pass. */
import type { Command } from 'commander';
import { type ApiCommandIo, type ApiFlags, apiClient, processApiIo, withApiOption } from '../runtime/api-command.js';

export async function runRenew(id: string, flags: ApiFlags, io: ApiCommandIo): Promise<void> {
  const view = await apiClient(flags, io).renew(id);
  io.out(
    `renewal requested for ${view.id} at ${view.requests.renewRequestedAt ?? '-'} (revision ${view.status.revision}, serial ${view.status.serial ?? '-'})`,
  );
}

export function registerRenewCommand(program: Command, io: ApiCommandIo = processApiIo): void {
  withApiOption(program.command('renew').description('renew a certificate now'))
    .argument('<id>', 'certificate id')
    .action((id: string, flags: ApiFlags) => runRenew(id, flags, io));
}
