/**
 * Step 10, cleanup — run as soon as validation is decided (success or failure), and after any failure once
 * something may have been presented; always from what was RECORDED, never from memory:
 * - the provider's presentation when present() answered;
 * - only the planned records when the worker crashed during present(): presenting them again is idempotent and
 *   returns the zones/ids the provider needs, then they are removed;
 * - HTTP-01 tokens recorded at plan time (deleting an absent token is success).
 */
import type { ReconcileDependencies, StepContext, StepOutcome } from '../dependencies.js';
import { endWithFailure } from '../failure.js';
import { LifecycleReason } from '../reasons.js';
import { advance, inFlight, issuing } from '../status.js';
import type { IssuancePresentation } from '../types.js';

export async function cleanup(ctx: StepContext): Promise<StepOutcome> {
  const { record, now } = ctx;
  const issuance = inFlight(record.status);
  const removed = await removeChallenges(ctx.deps, issuance.presentation ?? {});
  const message = `${removed} challenge record(s)/token(s) removed`;
  if (issuance.outcome === 'validated') {
    const next = advance(issuance, { phase: 'Finalizing', cleanedUpAt: now });
    return {
      status: issuing(
        { ...record.status, issuance: next },
        true,
        LifecycleReason.Finalizing,
        'validated; finalizing',
        now,
      ),
      requeueAfterSeconds: 0,
      reason: LifecycleReason.CleaningUp,
      message,
    };
  }
  const failure = issuance.failure ?? { reason: LifecycleReason.ValidationFailed, message: 'validation failed' };
  const ended = {
    ...ctx,
    record: { ...record, status: { ...record.status, issuance: { ...issuance, cleanedUpAt: now } } },
  };
  return endWithFailure(ended, failure);
}

/** Removes what `presentation` records (also used by delete); returns how many records/tokens were removed. */
export async function removeChallenges(
  deps: ReconcileDependencies,
  presentation: IssuancePresentation,
): Promise<number> {
  let removed = 0;
  if (presentation.dns !== undefined || (presentation.plannedRecords?.length ?? 0) > 0) {
    const provider = deps.dns?.provider;
    if (provider === undefined) throw new Error('lifecycle: challenge records to clean up but no DNS provider');
    const written = presentation.dns ?? (await provider.present(presentation.plannedRecords ?? []));
    await provider.cleanup(written);
    removed = written.zones.reduce((n, z) => n + z.records.length, 0);
  }
  for (const token of presentation.http01Tokens ?? []) {
    if (deps.http01 === undefined) throw new Error('lifecycle: HTTP-01 tokens to clean up but no token store');
    await deps.http01.delete(token);
    removed += 1;
  }
  return removed;
}
