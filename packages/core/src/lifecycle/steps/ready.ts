/**
 * Step 11, ready: choose the renewal time once (ARI window point, else the lifetime backstop with jitter), ask ARI
 * again when its Retry-After has passed (twice a day at most), mark Ready, and schedule the wake-up. Writes only
 * when something changed, so repeated messages for a ready certificate cost one read.
 */
import { chooseRenewal } from '../../policies/renewal-time.js';
import { addSeconds, earliest, secondsUntil } from '../../policies/time.js';
import type { RenewalWindow } from '../../ports/acme-client.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { LifecycleReason } from '../reasons.js';
import { issuing, setCondition, stableMessage } from '../status.js';
import type { RenewalState } from '../types.js';

/** LE: "check ARI at least twice a day" — never wait longer than this between checks. */
const ARI_MAX_INTERVAL_SECONDS = 12 * 3_600;

export async function ready(ctx: StepContext): Promise<StepOutcome> {
  const { record, now } = ctx;
  const { status } = record;
  const renewal = await renewalState(ctx);
  const notAfter = status.notAfter as string;
  const message = `serial ${status.serial} valid until ${notAfter}; renewal at ${renewal.at} (${renewal.source})`;
  const withReady = issuing(
    {
      ...status,
      renewal,
      conditions: setCondition(status.conditions, 'Ready', 'True', LifecycleReason.UpToDate, message, now),
    },
    false,
    LifecycleReason.UpToDate,
    'no issuance needed',
    now,
  );
  const nextWakeAt = earliest(renewal.at, renewal.ariNextCheckAt, notAfter) as string;
  const wait = secondsUntil(now, nextWakeAt);
  return {
    status: withReady,
    nextWakeAt,
    ...(wait <= 900 ? { requeueAfterSeconds: wait } : {}),
    reason: LifecycleReason.UpToDate,
    message,
  };
}

async function renewalState(ctx: StepContext): Promise<RenewalState> {
  const { record, deps, now, issuer } = ctx;
  const { status } = record;
  const current = status.renewal;
  const ariDue = current === undefined || (current.ariNextCheckAt !== undefined && current.ariNextCheckAt <= now);
  if (!ariDue) return current;

  let window: RenewalWindow | undefined;
  let nextCheck: string | undefined;
  if (issuer !== undefined) {
    try {
      const stored = await deps.store.describeCurrent(record.id);
      const info = stored === undefined ? undefined : await issuer.acme.renewalInfo(stored.chainPem);
      // A window that ended before this certificate existed cannot be about it (a CA answering for the
      // predecessor): following it would renew in a loop.
      if (info !== undefined && info.window.end > (status.notBefore as string)) {
        window = info.window;
      }
      if (info !== undefined) {
        nextCheck = addSeconds(now, Math.min(Math.ceil(info.retryAfterMs / 1000), ARI_MAX_INTERVAL_SECONDS));
      }
    } catch (error) {
      // ARI is advisory: without an answer the stored point (or the lifetime backstop) stands; ask again later.
      deps.log?.({
        level: 'warn',
        certificateId: record.id,
        revision: status.revision,
        step: 'ready',
        reason: 'AriUnavailable',
        message: stableMessage(error instanceof Error ? error.message : String(error)),
      });
      nextCheck = addSeconds(now, ARI_MAX_INTERVAL_SECONDS);
    }
  }
  // The stored point stays while it lies inside the (possibly moved) window: it was chosen once on purpose.
  const keep =
    current !== undefined &&
    (window === undefined || (current.source === 'ari' && current.at >= window.start && current.at < window.end));
  const chosen = keep
    ? { at: current.at, source: current.source }
    : chooseRenewal({
        notBefore: status.notBefore as string,
        notAfter: status.notAfter as string,
        now,
        random: deps.random,
        ...(window === undefined ? {} : { ariWindow: window }),
        ...(record.spec.renewal === undefined ? {} : { policy: record.spec.renewal }),
      });
  const ariWindow = window ?? current?.ariWindow;
  return {
    ...chosen,
    ...(ariWindow === undefined ? {} : { ariWindow }),
    ...(window === undefined && current?.ariCheckedAt !== undefined ? { ariCheckedAt: current.ariCheckedAt } : {}),
    ...(window === undefined ? {} : { ariCheckedAt: now }),
    ...(nextCheck === undefined ? {} : { ariNextCheckAt: nextCheck }),
  };
}
