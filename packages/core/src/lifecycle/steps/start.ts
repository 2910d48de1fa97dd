/**
 * Step 1, trigger: records the intent to issue (revision, attempt, reason, what it replaces). No side effect, so a
 * duplicate worker that loses the conditional write changes nothing.
 */
import { isIP } from 'node:net';
import { specHash } from '../../policies/spec-hash.js';
import { TriggerReason } from '../../policies/trigger.js';
import type { AcmeIdentifier } from '../../ports/acme-client.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { issuing, setCondition } from '../status.js';
import type { IssuanceRecord } from '../types.js';

/** Triggers after which the current certificate no longer counts as Ready. */
const NOT_READY: ReadonlySet<string> = new Set([
  TriggerReason.NotIssued,
  TriggerReason.KeyMissing,
  TriggerReason.SpecChanged,
  TriggerReason.Expired,
]);

export function identifiersOf(names: readonly string[]): AcmeIdentifier[] {
  return names.map((value) => ({ type: isIP(value) === 0 ? 'dns' : 'ip', value }));
}

/**
 * `replaces` (RFC 9773) for a renewal: the current certificate's ARI certID, when it shares a name with the new
 * order (the CA refuses a replacement with no identifier in common) and it has not expired.
 */
function replacesFor(ctx: StepContext, trigger: TriggerReason): string | undefined {
  const { status, spec } = ctx.record;
  if (status.revision === 0 || status.certId === undefined || trigger === TriggerReason.Expired) return undefined;
  const shared = (status.names ?? []).some((n) => spec.names.includes(n));
  return shared ? status.certId : undefined;
}

export function startIssuance(ctx: StepContext, trigger: TriggerReason, message: string): StepOutcome {
  const { record, now } = ctx;
  const revision = record.status.revision + 1;
  const last = record.status.lastAttempt;
  const attempt = last !== undefined && last.revision === revision ? last.attempt + 1 : 1;
  const replaces = replacesFor(ctx, trigger);
  const issuance: IssuanceRecord = {
    revision,
    attempt,
    phase: 'Preflight',
    reason: trigger,
    startedAt: now,
    specHash: specHash(record.spec),
    ...(replaces === undefined ? {} : { replaces }),
  };
  let status = issuing(
    {
      ...record.status,
      issuance,
      lastAttempt: { revision, attempt },
      ...(record.renewRequestedAt === undefined ? {} : { renewRequestHandledAt: record.renewRequestedAt }),
    },
    true,
    trigger,
    `issuing revision ${revision} (attempt ${attempt}): ${message}`,
    now,
  );
  if (NOT_READY.has(trigger)) {
    status = { ...status, conditions: setCondition(status.conditions, 'Ready', 'False', trigger, message, now) };
  }
  return { status, requeueAfterSeconds: 0, reason: trigger, message };
}
