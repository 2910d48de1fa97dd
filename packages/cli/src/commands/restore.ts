/**
 * `portcullis restore <id> --serial <hex> [--wait]`: makes an earlier stored certificate (see `versions <id>`)
 * current again as a new revision, delivered to every target (runbook "restore a previous certificate version").
 * With `--wait` it follows the certificate until the lifecycle answered the request — refused (the command fails
 * with the reason) or restored — and the restored serial is Ready everywhere.
 */
import { normalizeSerial } from '@portcullis/core';
import type { Command } from 'commander';
import type { CertificateView } from '../runtime/api-client.js';
import { type ApiFlags, apiClient, withApiOption } from '../runtime/api-command.js';
import { isReady } from '../runtime/inspect.js';
import { ViewError, ViewErrorCode } from '../views/errors.js';
import { processViewIo, type ViewIo } from '../views/terminal.js';
import { DEFAULT_WAIT_SECONDS, parseWaitTimeout, waitForCertificate } from '../views/wait.js';

export interface RestoreFlags extends ApiFlags {
  readonly serial: string;
  readonly wait?: boolean;
  /** Seconds `--wait` waits at most (default 600). */
  readonly timeout?: string;
}

/** The request `view` carries has been answered by the lifecycle (`status.restore` names it). */
export function restoreAnswered(view: CertificateView, request: { at: string; serial: string }): boolean {
  const answer = view.status.restore;
  return answer?.requestedAt === request.at && answer.serial === request.serial;
}

export async function runRestore(id: string, flags: RestoreFlags, io: ViewIo): Promise<void> {
  const serial = normalizeSerial(flags.serial, '--serial');
  const timeoutSeconds = parseWaitTimeout(flags.timeout);
  const client = apiClient(flags, io);
  const requested = await client.restore(id, serial);
  const request = requested.requests.restore ?? { at: '', serial, by: '' };
  io.out(`restore of serial ${serial} requested for ${requested.id} (current revision ${requested.status.revision})`);
  if (flags.wait !== true) return;

  const { view, progress } = await waitForCertificate(
    client,
    id,
    {
      label: `restore ${id}`,
      until: (v) =>
        restoreAnswered(v, request) &&
        (v.status.restore?.refused !== undefined || (isReady(v) && v.status.serial === serial)),
      describe: (v) =>
        `revision ${v.status.revision}, serial ${v.status.serial ?? '-'}, ${restoreAnswered(v, request) ? 'restored' : 'waiting for the worker'}`,
      timeoutSeconds,
      waitingFor: `did not serve serial ${serial} everywhere`,
    },
    io,
  );
  const refused = view.status.restore?.refused;
  if (refused !== undefined) {
    progress.done('refused');
    throw new ViewError(
      ViewErrorCode.RestoreRefused,
      `Portcullis: restore of ${id} to serial ${serial} refused: ${refused}`,
    );
  }
  progress.done(`revision ${view.status.revision} Ready`);
  io.out(
    `restored ${view.id}: revision ${view.status.revision}, serial ${view.status.serial ?? '-'}, valid until ${view.status.notAfter ?? '-'}`,
  );
}

export function registerRestoreCommand(program: Command, io: ViewIo = processViewIo): void {
  withApiOption(program.command('restore').description('make an earlier stored certificate current again'))
    .argument('<id>', 'certificate id')
    .requiredOption('--serial <hex>', 'serial of the stored certificate (see `portcullis versions <id>`)')
    .option('--wait', 'wait until the restored serial is Ready everywhere, showing progress on stderr')
    .option('--timeout <seconds>', `how long --wait waits at most (default ${DEFAULT_WAIT_SECONDS})`)
    .action((id: string, flags: RestoreFlags) => runRestore(id, flags, io));
}
