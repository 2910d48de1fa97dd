/**
 * Step 6, validate: tell the CA once, under a claim (claim.ts; a crash before recording `acceptedAt` just accepts
 * again after the lease, the engine reading back a challenge the CA refuses to accept twice), then poll each undecided authorization once per call, honouring the CA's Retry-After by
 * requeueing — never spinning. Any invalid authorization fails the attempt (cleanup follows) and is charged to
 * Let's Encrypt's authorization-failures bucket of that name.
 */
import { addSeconds } from '../../policies/time.js';
import type { AcmeProblem } from '../../ports/acme-client.js';
import type { LedgerEntry } from '../../ports/ledger.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { failIssuance } from '../failure.js';
import { LifecycleReason } from '../reasons.js';
import { advance, inFlight, issuing, stableMessage } from '../status.js';
import type { IssuanceAuthorization } from '../types.js';
import { claimStep } from './claim.js';
import { challengeOf } from './present.js';

/** When the CA sends no Retry-After while processing. */
const DEFAULT_POLL_SECONDS = 3;

export async function validate(ctx: StepContext): Promise<StepOutcome> {
  const { record, now, options, issuer } = ctx;
  const issuance = inFlight(record.status);
  if (issuer === undefined) throw new Error(`lifecycle: issuer ${record.spec.issuer} is not configured`);
  const authorizations = issuance.authorizations ?? [];

  if (issuance.acceptedAt === undefined) {
    const pending = authorizations.filter((a) => a.status === 'pending');
    await claimStep(ctx, 'validate');
    await Promise.all(pending.map((a) => issuer.acme.acceptChallenge(challengeOf(a))));
    const next = advance(issuance, { acceptedAt: now, waitUntil: addSeconds(now, DEFAULT_POLL_SECONDS) });
    return {
      status: issuing(
        { ...record.status, issuance: next },
        true,
        LifecycleReason.Validating,
        'the CA is validating',
        now,
      ),
      requeueAfterSeconds: DEFAULT_POLL_SECONDS,
      reason: LifecycleReason.Validating,
      message: `${pending.length} challenge(s) accepted`,
    };
  }

  if (addSeconds(issuance.acceptedAt, options.validationTimeoutSeconds) <= now) {
    return failIssuance(ctx, {
      reason: LifecycleReason.ValidationTimeout,
      message: `the CA did not decide the authorizations within ${options.validationTimeoutSeconds} s`,
    });
  }

  const polled: IssuanceAuthorization[] = [];
  const problems: { identifier: string; problem: AcmeProblem | undefined }[] = [];
  let retryAfterMs = 0;
  for (const a of authorizations) {
    if (a.status === 'valid') {
      polled.push(a);
      continue;
    }
    const poll = await issuer.acme.pollAuthorization(a.url);
    polled.push({ ...a, status: poll.status });
    if (poll.status === 'pending')
      retryAfterMs = Math.max(retryAfterMs, poll.retryAfterMs ?? DEFAULT_POLL_SECONDS * 1000);
    else if (poll.status !== 'valid')
      problems.push({ identifier: `${a.wildcard ? '*.' : ''}${a.identifier}`, problem: poll.error });
  }

  if (problems.length > 0) {
    await chargeFailures(
      ctx,
      problems.map((p) => p.identifier),
    );
    const first = problems[0] as (typeof problems)[number];
    const detail = first.problem?.detail === undefined ? '' : `: ${first.problem.detail}`;
    const withPolled = {
      ...ctx,
      record: { ...record, status: { ...record.status, issuance: { ...issuance, authorizations: polled } } },
    };
    return failIssuance(withPolled, {
      reason: LifecycleReason.ValidationFailed,
      message: stableMessage(`the CA could not validate ${problems.map((p) => p.identifier).join(', ')}${detail}`),
      ...(first.problem === undefined
        ? {}
        : {
            problem: {
              type: first.problem.type,
              ...(first.problem.detail === undefined ? {} : { detail: stableMessage(first.problem.detail) }),
            },
          }),
    });
  }

  if (retryAfterMs > 0) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const next = { ...advance(issuance, { authorizations: polled }), waitUntil: addSeconds(now, seconds) };
    const undecided = polled.filter((a) => a.status === 'pending').length;
    return {
      status: issuing(
        { ...record.status, issuance: next },
        true,
        LifecycleReason.Validating,
        `the CA is validating ${undecided} authorization(s)`,
        now,
      ),
      requeueAfterSeconds: seconds,
      reason: LifecycleReason.Validating,
      message: `${undecided} authorization(s) still pending; polling again in ${seconds} s`,
    };
  }

  const next = advance(issuance, { phase: 'CleaningUp', outcome: 'validated', authorizations: polled });
  return {
    status: issuing(
      { ...record.status, issuance: next },
      true,
      LifecycleReason.CleaningUp,
      'validated; removing challenge records',
      now,
    ),
    requeueAfterSeconds: 0,
    reason: LifecycleReason.Validating,
    message: 'every authorization is valid',
  };
}

async function chargeFailures(ctx: StepContext, identifiers: readonly string[]): Promise<void> {
  const { record, now, issuer } = ctx;
  const issuance = inFlight(record.status);
  if (issuer === undefined || !issuer.letsEncryptLimits || issuance.replaces !== undefined) return;
  // One failed authorization each: `*.a.test` and `a.test` are two authorizations of the same name.
  const entries: LedgerEntry[] = identifiers.map((identifier) => ({
    id: `${record.id}/${issuance.revision}.${issuance.attempt}/authz-failure/${identifier}`,
    bucket: 'AuthorizationFailuresPerName',
    scope: `${issuer.id}|${identifier.replace(/^\*\./, '')}`,
    at: now,
    certificateId: record.id,
  }));
  await ctx.deps.ledger.record(entries);
}
