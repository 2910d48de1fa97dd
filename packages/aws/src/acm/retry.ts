/**
 * Jittered exponential backoff for ACM calls. ACM's API rates are low (ImportCertificate is limited to a few
 * requests per second per account) and shared by every caller in the account, so throttling is normal at scale and
 * is ridden out here; anything still failing after the attempts becomes a retryable error and the deliver step
 * requeues with its own backoff. The ACM client is built with `maxAttempts: 1` so this is the only retry loop.
 */
import type { Clock, Random } from '@portcullis/core';
import { awsCodeOf, describeAwsError, isThrottling, isTransient } from '../secrets-manager/aws-errors.js';
import { AcmError, AcmErrorCode } from './errors.js';

export interface AcmRetryPolicy {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * 6 attempts at 250 ms doubling (capped at 8 s) wait about 8 s at most in total: enough to ride out a burst of
 * imports from a batch of renewals, short enough for a Lambda step to fail and requeue instead of timing out.
 */
export const DEFAULT_ACM_RETRY: AcmRetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 8_000 };

/**
 * The wait before retry number `attempt` (1-based): "equal jitter" — half the exponential delay fixed, half random —
 * so workers throttled together spread out while every wait still grows.
 */
export function acmBackoffDelay(attempt: number, policy: AcmRetryPolicy, random: Random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + random.next() * (exponential / 2));
}

/** ACM codes meaning "the certificate or key is not acceptable". */
const REFUSAL_CODES = new Set([
  'ValidationException',
  'InvalidParameterException',
  'InvalidTagException',
  'TooManyTagsException',
  'TagPolicyException',
]);

export interface AcmCall<T> {
  /** `us-east-1 arn:aws:acm:...` or `us-east-1 certificate c1/acm-main`: where, for the error message. */
  readonly where: string;
  readonly operation: string;
  /**
   * False for a first ImportCertificate: a 5xx or a dropped connection may have imported it already, so only a
   * refusal before any work (throttling) is retried here; otherwise the caller's next publish finds it by its tags.
   */
  readonly idempotent: boolean;
  readonly send: () => Promise<T>;
}

export async function callAcm<T>(call: AcmCall<T>, policy: AcmRetryPolicy, clock: Clock, random: Random): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call.send();
    } catch (error) {
      const awsCode = awsCodeOf(error);
      const detail = `${call.operation}: ${describeAwsError(error)}`;
      const retryHere = call.idempotent ? isTransient(error) : isThrottling(error);
      if (retryHere && attempt < policy.maxAttempts) {
        await clock.sleep(acmBackoffDelay(attempt, policy, random));
        continue;
      }
      if (isTransient(error)) {
        const note = retryHere ? ` (gave up after ${attempt} attempts)` : ' (not repeated: it may have landed)';
        throw new AcmError(AcmErrorCode.Throttled, call.where, `${detail}${note}`, {
          awsCode,
          retryable: true,
          cause: error,
        });
      }
      const code =
        awsCode === 'LimitExceededException'
          ? AcmErrorCode.QuotaExceeded
          : REFUSAL_CODES.has(awsCode)
            ? AcmErrorCode.ImportRefused
            : AcmErrorCode.RequestFailed;
      throw new AcmError(code, call.where, detail, { awsCode, cause: error });
    }
  }
}
