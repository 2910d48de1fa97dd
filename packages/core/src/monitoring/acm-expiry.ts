/**
 * The EventBridge event "ACM Certificate Approaching Expiration" (best effort, daily from 45 days before expiry by
 * default; AWS sends it for imported certificates too). A certificate Portcullis imported is renewed now — a
 * renewal request marker, exactly like the API's `POST /renew` — and an unmanaged one raises `unmanaged-expiring`
 * through the monitor's own rule, dedup and notify path (so the event and the schedule never disagree on the
 * threshold). The owner is found through the ACM inventory: our imports carry the `portcullis:certificate-id` tag.
 */
import { AlertNotSentError, ConflictError } from '../errors.js';
import type { CertificateRecord, IsoTime } from '../lifecycle/types.js';
import { toIsoTime } from '../lifecycle/types.js';
import { addSeconds } from '../policies/time.js';
import type { Queue } from '../ports/queue.js';
import { unmanagedExpiringAlerts } from './account-rules.js';
import { decideAlerts } from './dedup.js';
import type { MonitorDependencies } from './monitor.js';
import { publishAlertDecisions } from './publish.js';
import { type AcmCertificateSummary, DEFAULT_MONITOR_POLICY } from './types.js';

export interface AcmExpiryEvent {
  readonly arn: string;
  readonly region: string;
  /** `detail.DaysToExpiry`; used only when ACM does not tell the certificate's notAfter. */
  readonly daysToExpiry?: number;
}

export interface AcmExpiryOutcome {
  readonly action: 'renew' | 'alert' | 'ignored';
  readonly certificateId?: string;
}

/** Re-reads and re-applies the marker this many times when reconcile wrote the record in between (as the API). */
const UPDATE_ATTEMPTS = 3;

export async function handleAcmExpiry(
  deps: MonitorDependencies & { readonly queue: Queue },
  event: AcmExpiryEvent,
): Promise<AcmExpiryOutcome> {
  const now = toIsoTime(deps.clock.now());
  if (deps.acm === undefined) {
    deps.log?.({ level: 'warn', message: 'acm expiry event ignored: no ACM inventory configured', arn: event.arn });
    return { action: 'ignored' };
  }
  const summary = (await deps.acm.inventory.list(event.region)).find((s) => s.arn === event.arn);
  if (summary === undefined) {
    deps.log?.({ level: 'warn', message: 'acm expiry event ignored: certificate not found', arn: event.arn });
    return { action: 'ignored' };
  }
  if (summary.managed) {
    if (summary.certificateId === undefined) return { action: 'ignored' };
    return requestRenewal(deps, summary, summary.certificateId, now);
  }
  return raiseUnmanaged(deps, summary, event, now);
}

/** Set `renewRequestedAt` (conditional write, re-read on conflict) and enqueue, unless it would change nothing. */
async function requestRenewal(
  deps: MonitorDependencies & { readonly queue: Queue },
  summary: AcmCertificateSummary,
  id: string,
  now: IsoTime,
): Promise<AcmExpiryOutcome> {
  for (let attempt = 1; ; attempt++) {
    const record = await deps.certificates.get(id);
    if (record === undefined || record.deleteRequest !== undefined) {
      deps.log?.({ level: 'info', message: 'acm expiry event ignored: certificate gone', certificateId: id });
      return { action: 'ignored', certificateId: id };
    }
    if (renewalPending(record) || alreadyRenewed(record, summary)) break;
    const wake = record.nextWakeAt === undefined || record.nextWakeAt > now ? now : record.nextWakeAt;
    try {
      await deps.certificates.update({ ...record, renewRequestedAt: now, nextWakeAt: wake });
      break;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= UPDATE_ATTEMPTS) throw error;
    }
  }
  try {
    await deps.queue.send(id, 0);
  } catch (error) {
    // nextWakeAt is now: the planner finds the certificate through the due index even without the message.
    deps.log?.({ level: 'warn', message: 'enqueue failed; the planner will pick it up', certificateId: id, error });
  }
  deps.log?.({ level: 'info', message: 'renewal requested by the ACM expiry event', certificateId: id });
  return { action: 'renew', certificateId: id };
}

/** A renewal request not yet answered by an issuance (ACM repeats the event daily: ask once). */
function renewalPending(record: CertificateRecord): boolean {
  const requested = record.renewRequestedAt;
  return requested !== undefined && requested > (record.status.renewRequestHandledAt ?? '');
}

/** The current revision is newer than what ACM holds: delivering it (reconcile, enqueued) is the fix, not a reissue. */
function alreadyRenewed(record: CertificateRecord, summary: AcmCertificateSummary): boolean {
  const { serial, notAfter } = record.status;
  return (
    serial !== undefined &&
    summary.serial !== undefined &&
    serial !== summary.serial &&
    notAfter !== undefined &&
    summary.notAfter !== undefined &&
    notAfter > summary.notAfter
  );
}

async function raiseUnmanaged(
  deps: MonitorDependencies,
  summary: AcmCertificateSummary,
  event: AcmExpiryEvent,
  now: IsoTime,
): Promise<AcmExpiryOutcome> {
  const notAfter =
    summary.notAfter ?? (event.daysToExpiry === undefined ? undefined : addSeconds(now, event.daysToExpiry * 86_400));
  const policy = deps.policy ?? DEFAULT_MONITOR_POLICY;
  const alerts = unmanagedExpiringAlerts(
    [{ ...summary, ...(notAfter === undefined ? {} : { notAfter }) }],
    now,
    policy,
  );
  if (alerts.length === 0) {
    // Further from expiry than our thresholds (ACM starts at 45 days): the monitor alerts when one is crossed.
    deps.log?.({ level: 'info', message: 'acm expiry event: no threshold crossed yet', arn: summary.arn });
    return { action: 'ignored' };
  }
  const stored = await deps.alerts.get(alerts[0]?.key as string);
  const open = stored?.state === 'open' ? [stored] : [];
  const decisions = decideAlerts(alerts, open, now, { covers: () => false });
  const published = await publishAlertDecisions(deps, decisions, now, 1);
  if (published.errors.length > 0) throw new AlertNotSentError(published.errors.join('; '));
  return { action: 'alert' };
}
