import {
  type Change,
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  type HostedZone,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import type { Clock } from '@portcullis/core';
import type { TxtRecordSet } from './change-batch.js';
import { Route53Error, Route53ErrorCode, type Route53ErrorContext } from './errors.js';
import { bareChangeId, bareZoneId, decodeRoute53Name } from './record-values.js';
import type { TokenBucket } from './throttle.js';

/** Backoff for throttling and transient errors: bounded attempts, exponential growth with jitter. */
export interface RetryPolicy {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * 6 attempts at 200 ms doubling (capped at 10 s) wait up to ~6 s in total: long enough to ride out a throttling burst
 * or a zone's previous change (PriorRequestNotComplete), short enough that a Lambda step fails and requeues.
 */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

/**
 * The wait before retry number `attempt` (1-based): "equal jitter" — half the exponential delay fixed, half random —
 * so callers that were throttled together spread out, yet every wait still grows.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** AWS error codes that mean "ask again later"; plus any 5xx. */
const TRANSIENT_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'PriorRequestNotComplete',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** AWS refused a batch: a concurrent writer changed the set (AWS: InvalidChangeBatch; moto: InvalidInput). */
export const CONFLICT_CODES = new Set(['InvalidChangeBatch', 'InvalidInput']);

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function awsCodeOf(error: unknown): string {
  const e = error as AwsErrorShape;
  return e?.code !== undefined && /^E[A-Z]+$/.test(e.code) ? e.code : (e?.name ?? 'Unknown');
}

function isTransient(error: unknown): boolean {
  const status = (error as AwsErrorShape)?.$metadata?.httpStatusCode ?? 0;
  return TRANSIENT_CODES.has(awsCodeOf(error)) || status >= 500;
}

/** Record names for a message: the first three and how many more (an order has up to 100). */
export function listNames(names: readonly string[]): string {
  const unique = [...new Set(names)];
  return unique.length > 3 ? `${unique.slice(0, 3).join(', ')} and ${unique.length - 3} more` : unique.join(', ');
}

/** One hosted zone as discovery sees it. */
export interface HostedZoneSummary {
  /** Bare id (`Z123…`). */
  readonly id: string;
  /** Lower case, no trailing dot. */
  readonly name: string;
  readonly privateZone: boolean;
}

/**
 * The four Route53 calls the provider makes, each passing the account's token bucket first and retried on
 * throttling / PriorRequestNotComplete / 5xx with jittered exponential backoff. Failures become `Route53Error`s
 * naming the zone, the record and the AWS code.
 */
export class Route53Api {
  constructor(
    private readonly client: Route53Client,
    private readonly throttle: TokenBucket,
    private readonly retry: RetryPolicy,
    private readonly clock: Clock,
    private readonly random: () => number,
  ) {}

  /** Every hosted zone of the account (paginated `ListHostedZones`, 100 per page). */
  async listHostedZones(): Promise<HostedZoneSummary[]> {
    const zones: HostedZoneSummary[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call({ operation: 'ListHostedZones' }, () =>
        this.client.send(new ListHostedZonesCommand(marker === undefined ? {} : { Marker: marker })),
      );
      zones.push(...(page.HostedZones ?? []).map(summarize));
      marker = page.IsTruncated === true ? page.NextMarker : undefined;
    } while (marker !== undefined);
    return zones;
  }

  /**
   * The TXT set at `fqdn`, or undefined. `ListResourceRecordSets` starts at the name and type we give and returns
   * the next set in the zone's order, which may be another name: we check both.
   */
  async readTxtRecordSet(context: ZoneContext, fqdn: string): Promise<TxtRecordSet | undefined> {
    const where = { ...context, record: fqdn, operation: 'ListResourceRecordSets' };
    const answer = await this.call(where, () =>
      this.client.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: context.zoneId,
          StartRecordName: fqdn,
          StartRecordType: 'TXT',
          MaxItems: 1,
        }),
      ),
    );
    const set = answer.ResourceRecordSets?.[0];
    if (set?.Name === undefined || set.Type !== 'TXT' || decodeRoute53Name(set.Name) !== fqdn) return undefined;
    if (set.SetIdentifier !== undefined || set.AliasTarget !== undefined) {
      throw new Route53Error(
        Route53ErrorCode.UnsupportedRecordSet,
        where,
        `the TXT record set is an alias or has a routing policy (SetIdentifier ${set.SetIdentifier ?? '-'}); refusing to rewrite it`,
      );
    }
    return {
      name: set.Name,
      ttl: set.TTL ?? 300,
      values: (set.ResourceRecords ?? []).flatMap((record) => (record.Value === undefined ? [] : [record.Value])),
    };
  }

  /** Sends one atomic batch; returns the bare change id. Conflicts surface as `ChangeRejected` with the AWS code. */
  async changeRecordSets(context: ZoneContext, changes: readonly Change[], comment: string): Promise<string> {
    const record = listNames(changes.map((change) => decodeRoute53Name(change.ResourceRecordSet?.Name ?? '')));
    const answer = await this.call({ ...context, record, operation: 'ChangeResourceRecordSets' }, () =>
      this.client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: context.zoneId,
          ChangeBatch: { Comment: comment, Changes: [...changes] },
        }),
      ),
    );
    return bareChangeId(answer.ChangeInfo?.Id ?? '');
  }

  /** `PENDING` until every Route53 server has the change, then `INSYNC`. */
  async changeStatus(context: ZoneContext, changeId: string): Promise<string> {
    const answer = await this.call({ ...context, operation: `GetChange ${changeId}` }, () =>
      this.client.send(new GetChangeCommand({ Id: changeId })),
    );
    return answer.ChangeInfo?.Status ?? 'PENDING';
  }

  private async call<T>(context: Route53ErrorContext, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.throttle.take();
      try {
        return await send();
      } catch (error) {
        const awsCode = awsCodeOf(error);
        const detail = `${awsCode}: ${(error as AwsErrorShape)?.message ?? String(error)}`;
        if (!isTransient(error)) {
          const code = CONFLICT_CODES.has(awsCode) ? Route53ErrorCode.ChangeRejected : Route53ErrorCode.RequestFailed;
          throw new Route53Error(code, context, detail, { awsCode, cause: error });
        }
        if (attempt >= this.retry.maxAttempts) {
          throw new Route53Error(Route53ErrorCode.Throttled, context, `${detail} (gave up after ${attempt} attempts)`, {
            awsCode,
            retryable: true,
            cause: error,
          });
        }
        await this.clock.sleep(backoffDelay(attempt, this.retry, this.random));
      }
    }
  }
}

/** The zone a call is about, for error messages. */
export interface ZoneContext {
  readonly zoneId: string;
  readonly zone: string;
}

function summarize(zone: HostedZone): HostedZoneSummary {
  return {
    id: bareZoneId(zone.Id ?? ''),
    name: decodeRoute53Name(zone.Name ?? ''),
    privateZone: zone.Config?.PrivateZone === true,
  };
}
