/**
 * `portcullis renew <id> [--wait]`: asks for a renewal now; the worker orders it on its next pass. With `--wait`
 * it follows the certificate until a NEW revision is Ready (delivered everywhere), showing each step on stderr,
 * and fails when the renewal fails (the failure count grows) or `--timeout` passes.
 */
import type { Command } from 'commander';
import type { CertificateView } from '../runtime/api-client.js';
import { type ApiFlags, apiClient, withApiOption } from '../runtime/api-command.js';
import { isReady } from '../runtime/inspect.js';
import { ViewError, ViewErrorCode } from '../views/errors.js';
import { processViewIo, type ViewIo } from '../views/terminal.js';
import { DEFAULT_WAIT_SECONDS, parseWaitTimeout, waitForCertificate } from '../views/wait.js';

export interface RenewFlags extends ApiFlags {
  readonly wait?: boolean;
  /** Seconds `--wait` waits at most (default 600). */
  readonly timeout?: string;
}

/** One progress line: revision, phase, the Ready condition and each target's delivery. */
export function describeRenewalStep(view: CertificateView): string {
  const ready = view.status.conditions.find((c) => c.type === 'Ready');
  const deliveries = Object.entries(view.status.deliveries)
    .map(([id, d]) => `${id}=${d.state}@r${d.revision ?? '-'}`)
    .join(' ');
  const failures = view.status.failures;
  return [
    `revision ${view.status.revision}`,
    `phase ${view.status.phase ?? 'idle'}`,
    `Ready=${ready?.status ?? 'Unknown'} (${ready?.reason ?? '-'})`,
    ...(deliveries === '' ? [] : [deliveries]),
    ...(failures === undefined ? [] : [`failures ${failures.count} (${failures.reason})`]),
  ].join(', ');
}

export async function runRenew(id: string, flags: RenewFlags, io: ViewIo): Promise<void> {
  const timeoutSeconds = parseWaitTimeout(flags.timeout);
  const client = apiClient(flags, io);
  const requested = await client.renew(id);
  io.out(
    `renewal requested for ${requested.id} at ${requested.requests.renewRequestedAt ?? '-'} (revision ${requested.status.revision}, serial ${requested.status.serial ?? '-'})`,
  );
  if (flags.wait !== true) return;

  const before = requested.status.revision;
  const failuresBefore = requested.status.failures?.count ?? 0;
  const failed = (view: CertificateView) => (view.status.failures?.count ?? 0) > failuresBefore;
  const { view, progress } = await waitForCertificate(
    client,
    id,
    {
      label: `renew ${id}`,
      until: (v) => (isReady(v) && v.status.revision > before) || failed(v),
      describe: describeRenewalStep,
      timeoutSeconds,
      waitingFor: 'has no new Ready revision',
    },
    io,
  );
  if (failed(view)) {
    const failures = view.status.failures;
    progress.done('failed');
    throw new ViewError(
      ViewErrorCode.RenewalFailed,
      `Portcullis API: renewal of ${id} failed (${failures?.count} × ${failures?.reason}${failures?.message === undefined ? '' : `: ${failures.message}`}); see \`portcullis status ${id}\``,
    );
  }
  progress.done(`revision ${view.status.revision} Ready`);
  io.out(
    `renewed ${view.id}: revision ${view.status.revision}, serial ${view.status.serial ?? '-'}, valid until ${view.status.notAfter ?? '-'}`,
  );
}

export function registerRenewCommand(program: Command, io: ViewIo = processViewIo): void {
  withApiOption(program.command('renew').description('renew a certificate now'))
    .argument('<id>', 'certificate id')
    .option('--wait', 'wait until the new revision is Ready, showing progress on stderr')
    .option('--timeout <seconds>', `how long --wait waits at most (default ${DEFAULT_WAIT_SECONDS})`)
    .action((id: string, flags: RenewFlags) => runRenew(id, flags, io));
}
