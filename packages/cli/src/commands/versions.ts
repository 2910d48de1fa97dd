/** `portcullis versions <id>`: every stored certificate of a record, newest revision first (for `restore`). */
import type { Command } from 'commander';
import type { VersionView } from '../runtime/api-client.js';
import { type ApiCommandIo, type ApiFlags, apiClient, processApiIo, withApiOption } from '../runtime/api-command.js';
import { daysLeft, renderTable } from '../runtime/format.js';

export function formatVersions(items: readonly VersionView[], now: Date): string {
  if (items.length === 0) return 'no stored certificate yet';
  return renderTable(
    ['REVISION', 'SERIAL', 'NOT BEFORE', 'NOT AFTER', 'DAYS LEFT', 'CURRENT'],
    items.map((v) => [
      String(v.revision),
      v.serial,
      v.notBefore,
      v.notAfter,
      daysLeft(v.notAfter, now),
      v.current ? 'yes' : '',
    ]),
  );
}

export async function runVersions(id: string, flags: ApiFlags, io: ApiCommandIo): Promise<void> {
  const { items } = await apiClient(flags, io).versions(id);
  io.out(formatVersions(items, io.now?.() ?? new Date()));
}

export function registerVersionsCommand(program: Command, io: ApiCommandIo = processApiIo): void {
  withApiOption(program.command('versions').description('list the stored versions of a certificate'))
    .argument('<id>', 'certificate id')
    .action((id: string, flags: ApiFlags) => runVersions(id, flags, io));
}
