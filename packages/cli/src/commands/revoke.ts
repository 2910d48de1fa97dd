/** `portcullis revoke <id> [--reason]`: asks for revocation at the CA (RFC 5280 reason names). */
import { RevocationReason } from '@portcullis/core';
import { type Command, Option } from 'commander';
import { type ApiCommandIo, type ApiFlags, apiClient, processApiIo, withApiOption } from '../runtime/api-command.js';

export interface RevokeFlags extends ApiFlags {
  readonly reason: keyof typeof RevocationReason;
}

export async function runRevoke(id: string, flags: RevokeFlags, io: ApiCommandIo): Promise<void> {
  const view = await apiClient(flags, io).revoke(id, flags.reason);
  io.out(`revocation (${flags.reason}) requested for ${view.id}, serial ${view.status.serial ?? '-'}`);
}

export function registerRevokeCommand(program: Command, io: ApiCommandIo = processApiIo): void {
  withApiOption(program.command('revoke').description('revoke a certificate'))
    .argument('<id>', 'certificate id')
    .addOption(
      new Option('--reason <reason>', 'revocation reason')
        .choices(Object.keys(RevocationReason))
        .default('unspecified'),
    )
    .action((id: string, flags: RevokeFlags) => runRevoke(id, flags, io));
}
