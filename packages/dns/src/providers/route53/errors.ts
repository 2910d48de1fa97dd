import { DnsError } from '../../errors.js';

/** Stable codes of the Route53 provider (API mapping, metrics and tests match on them). */
export const Route53ErrorCode = {
  /** Throttling, PriorRequestNotComplete or a 5xx persisted through every retry. Retryable later. */
  Throttled: 'Route53Throttled',
  /** AWS refused the change batch (InvalidChangeBatch / InvalidInput) and re-reading did not change our plan. */
  ChangeRejected: 'Route53ChangeRejected',
  /** The record set kept changing between our read and our write: compare-and-swap lost every attempt. Retryable. */
  Conflict: 'Route53Conflict',
  /** No public hosted zone encloses the record name (or none with the configured name). */
  ZoneNotFound: 'Route53ZoneNotFound',
  /** Several public hosted zones share the name: configure `hostedZoneId` for that zone. */
  ZoneAmbiguous: 'Route53ZoneAmbiguous',
  /** One record set alone exceeds a change-batch limit, so it cannot be written atomically. */
  BatchTooLarge: 'Route53BatchTooLarge',
  /** The TXT record set at the name is an alias or uses a routing policy (SetIdentifier): not ours to rewrite. */
  UnsupportedRecordSet: 'Route53UnsupportedRecordSet',
  /** `cleanup` / `isCommitted` got a presentation another provider wrote. */
  ForeignPresentation: 'Route53ForeignPresentation',
  /** The change did not reach INSYNC within the wait. Retryable. */
  CommitTimeout: 'Route53CommitTimeout',
  /** Any other AWS error (AccessDenied, NoSuchHostedZone, ...), carried with its AWS code. */
  RequestFailed: 'Route53RequestFailed',
} as const;
export type Route53ErrorCode = (typeof Route53ErrorCode)[keyof typeof Route53ErrorCode];

/** Where a Route53 failure happened: the hosted zone, the record name and the AWS operation. */
export interface Route53ErrorContext {
  readonly zoneId?: string | undefined;
  readonly zone?: string | undefined;
  readonly record?: string | undefined;
  readonly operation?: string | undefined;
}

/** `route53: zone Z123 (example.test) record _acme-challenge.example.test: ChangeResourceRecordSets: ` */
export function describeContext(context: Route53ErrorContext): string {
  const parts = ['route53:'];
  if (context.zoneId !== undefined) {
    parts.push(`zone ${context.zoneId}${context.zone === undefined ? '' : ` (${context.zone})`}`);
  } else if (context.zone !== undefined) {
    parts.push(`zone ${context.zone}`);
  }
  if (context.record !== undefined) parts.push(`record ${context.record}`);
  const head = parts.join(' ');
  return context.operation === undefined ? `${head}: ` : `${head}: ${context.operation}: `;
}

/**
 * A Route53 failure naming the zone id, the record and the AWS error code. It is a `DnsError` (the type the
 * `DnsProvider` contract names); its `code` is one of `Route53ErrorCode`.
 */
export class Route53Error extends DnsError {
  readonly route53Code: Route53ErrorCode;
  readonly zoneId: string | undefined;
  readonly record: string | undefined;
  /** The AWS error code (`InvalidChangeBatch`, `Throttling`, `AccessDenied`, ...) when AWS answered with one. */
  readonly awsCode: string | undefined;

  constructor(
    code: Route53ErrorCode,
    context: Route53ErrorContext,
    detail: string,
    options: { awsCode?: string | undefined; retryable?: boolean; cause?: unknown } = {},
  ) {
    // DnsError types its code as the wire codes; Route53 codes are their own documented map (see report).
    super(code, `${describeContext(context)}${detail}`, {
      retryable: options.retryable ?? false,
      cause: options.cause,
    });
    this.route53Code = code;
    this.zoneId = context.zoneId;
    this.record = context.record;
    this.awsCode = options.awsCode;
  }
}
