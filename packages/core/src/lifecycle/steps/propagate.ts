/**
 * Step 5, propagate: the CA validates from several vantage points against the authoritative servers, so every
 * authoritative nameserver must serve every value before the CA is told (facts.md, multi-perspective validation).
 * Never sleeps: not yet → requeue after a few seconds; too long → fail (cleanup follows).
 */
import { addSeconds } from '../../policies/time.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { failIssuance } from '../failure.js';
import { LifecycleReason } from '../reasons.js';
import { advance, inFlight, issuing } from '../status.js';

export async function propagate(ctx: StepContext): Promise<StepOutcome> {
  const { record, deps, now, options } = ctx;
  const issuance = inFlight(record.status);
  const presentation = issuance.presentation?.dns;
  const dns = deps.dns;
  if (presentation === undefined || dns === undefined)
    throw new Error('lifecycle: propagate without a dns-01 presentation');
  const since = issuance.presentedAt ?? issuance.startedAt;
  if (addSeconds(since, options.propagationTimeoutSeconds) <= now) {
    return failIssuance(ctx, {
      reason: LifecycleReason.PropagationTimeout,
      message: `TXT values not served by every authoritative nameserver ${options.propagationTimeoutSeconds} s after they were written`,
    });
  }
  const waiting = (message: string): StepOutcome => ({
    status: issuing(record.status, true, LifecycleReason.Propagating, message, now),
    requeueAfterSeconds: options.propagationRecheckSeconds,
    reason: LifecycleReason.Propagating,
    message,
  });
  if (dns.provider.isCommitted !== undefined && !(await dns.provider.isCommitted(presentation))) {
    return waiting(`waiting for ${dns.provider.name} to commit the change`);
  }
  const records = presentation.zones.flatMap((z) => z.records);
  const result = await dns.resolver.checkPropagation(records);
  if (!result.ready) {
    const servers = new Set(result.pending.map((p) => p.server)).size;
    return waiting(`${result.pending.length} TXT value(s) not yet served by ${servers} authoritative nameserver(s)`);
  }
  const next = advance(issuance, { phase: 'Validating' });
  return {
    status: issuing(
      { ...record.status, issuance: next },
      true,
      LifecycleReason.Validating,
      'asking the CA to validate',
      now,
    ),
    requeueAfterSeconds: 0,
    reason: LifecycleReason.Propagating,
    message: `every authoritative nameserver serves all ${records.length} value(s)`,
  };
}
