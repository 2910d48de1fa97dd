/**
 * Delete (a `deleteRequest` from the API), in one call, every part idempotent so a crash or a conflict just runs
 * it again: revoke the current certificate when asked (`alreadyRevoked` counts as done), remove challenge records
 * or tokens an in-flight issuance recorded, remove key and chain from the certificate store, append and publish
 * the `deleted` (and `revoked`) events, and finally delete the record conditionally on its version (an API write
 * meanwhile → conflict → decide again). Targets are left deployed on purpose — an ACM import may be attached to
 * load balancers, so operators remove it deliberately — and the event says which locations remain. A pending
 * order at the CA is abandoned (ACME has no call to cancel it; it expires).
 */

import type { LifecycleEvent } from '../../ports/events.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { LifecycleReason } from '../reasons.js';
import { lifecycleEvent, stableMessage } from '../status.js';
import { removeChallenges } from './cleanup.js';
import { revokeAtCa } from './revoke.js';

export async function deleteCertificate(ctx: StepContext): Promise<StepOutcome> {
  const { record, deps, now } = ctx;
  const request = record.deleteRequest;
  if (request === undefined) throw new Error('lifecycle: delete decided without a deleteRequest');
  const reason = request.reason ?? 'unspecified';
  const events: LifecycleEvent[] = [];
  const alreadyRevoked =
    record.status.revocation !== undefined && record.status.revocation.serial === record.status.serial;
  if (request.revoke && !alreadyRevoked) {
    const serial = await revokeAtCa(ctx, reason);
    if (serial !== undefined) {
      events.push(
        lifecycleEvent(record, 'revoked', {
          revision: record.status.revision,
          idSuffix: `${record.status.revision}/revoked/${request.at}`,
          reason,
          message: `serial ${serial} revoked at the CA (${reason}) before deletion`,
          at: now,
          serial,
        }),
      );
    }
  }
  const issuance = record.status.issuance;
  const removed =
    issuance === undefined || issuance.cleanedUpAt !== undefined
      ? 0
      : await removeChallenges(deps, issuance.presentation ?? {});
  await deps.store.delete(record.id);

  const locations = Object.entries(record.status.deliveries)
    .filter(([, d]) => d.location !== undefined)
    .map(([id, d]) => `${id}: ${d.location}`);
  const message =
    `certificate deleted${request.revoke ? ' (revoked first)' : ''}; key and chain removed; ` +
    (locations.length === 0 ? 'no target holds it' : `targets left deployed (${locations.length})`);
  events.push(
    lifecycleEvent(record, 'deleted', {
      revision: record.status.revision,
      idSuffix: `${record.status.revision}/deleted`,
      reason: LifecycleReason.Deleted,
      // The locations (ARNs) are what the operator needs to remove the imports deliberately.
      message: locations.length === 0 ? message : `${message}: ${locations.join(', ')}`,
      at: now,
      ...(record.status.serial === undefined ? {} : { serial: record.status.serial }),
    }),
  );
  // Events before the record goes: once it is gone, a repeated message finds nothing and emits nothing.
  for (const event of events) {
    await deps.events.append(event);
    await deps.publisher.publish(event).catch((error: unknown) => {
      // Best effort, as in reconcile: the event log holds the truth.
      deps.log?.({
        level: 'warn',
        certificateId: record.id,
        revision: record.status.revision,
        step: 'delete',
        reason: 'PublishFailed',
        message: stableMessage(error instanceof Error ? error.message : String(error)),
      });
    });
  }
  await deps.certificates.delete(record.id, record.version);
  return {
    reason: LifecycleReason.Deleted,
    message: `${message}; ${removed} challenge record(s)/token(s) removed`,
  };
}
