/**
 * Route53 API calls per order: what the benchmark records (ours, counted) and what lego 4.9.1 makes by its source
 * (not measured: lego's Route53 provider cannot be pointed at moto and validated by pebble without more plumbing
 * than the comparison is worth). Pure, so the counting rules can be tested.
 */

/** Counted requests of one order through our Route53 provider (against moto, synced into bind9). */
export interface Route53OrderCount {
  /** Distinct DNS names in the order (each its own `_acme-challenge` record name). */
  readonly names: number;
  /** `cold`: a new provider (hosted-zone discovery included); `warm`: its next order (zone list cached 5 min). */
  readonly provider: 'cold' | 'warm';
  readonly ok: boolean;
  readonly error?: string;
  /** Requests per SDK operation as `countAwsRequests` saw them, without the `Command` suffix. */
  readonly byOperation: Readonly<Record<string, number>>;
}

/** Columns of the table; `ListHostedZones*` sums ListHostedZones and ListHostedZonesByName. */
export interface Route53Columns {
  readonly changeResourceRecordSets: number;
  readonly getChange: number;
  readonly listHostedZones: number;
  readonly listResourceRecordSets: number;
  /** Any other operation (none expected; shown so that nothing is hidden). */
  readonly other: number;
  readonly total: number;
}

/** Strips the SDK's `Command` suffix: `GetChangeCommand` → `GetChange`. */
export function operationName(commandName: string): string {
  return commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
}

export function route53Columns(byOperation: Readonly<Record<string, number>>): Route53Columns {
  let changeResourceRecordSets = 0;
  let getChange = 0;
  let listHostedZones = 0;
  let listResourceRecordSets = 0;
  let other = 0;
  for (const [raw, count] of Object.entries(byOperation)) {
    const operation = operationName(raw);
    if (operation === 'ChangeResourceRecordSets') changeResourceRecordSets += count;
    else if (operation === 'GetChange') getChange += count;
    else if (operation.startsWith('ListHostedZones')) listHostedZones += count;
    else if (operation === 'ListResourceRecordSets') listResourceRecordSets += count;
    else other += count;
  }
  return {
    changeResourceRecordSets,
    getChange,
    listHostedZones,
    listResourceRecordSets,
    other,
    total: changeResourceRecordSets + getChange + listHostedZones + listResourceRecordSets + other,
  };
}

/**
 * lego 4.9.1's Route53 provider (providers/dns/route53/route53.go; the same functions are in the Debian binary's
 * symbol table) works per authorization, i.e. per name: `Present` = ListHostedZonesByName + ListResourceRecordSets
 * + ChangeResourceRecordSets (UPSERT) + GetChange polled every 4 s until INSYNC; `CleanUp` = ListHostedZonesByName
 * + ListResourceRecordSets + ChangeResourceRecordSets (DELETE) + GetChange again. So at least 8 calls per name,
 * with GetChange at its minimum of one per change (INSYNC at the first poll, as moto answers); 6 with
 * `AWS_HOSTED_ZONE_ID` set (no zone lookup).
 */
export const LEGO_ROUTE53_CALLS_PER_NAME = { withZoneLookup: 8, withHostedZoneId: 6 } as const;

export function legoRoute53MinimumCalls(names: number): number {
  return names * LEGO_ROUTE53_CALLS_PER_NAME.withZoneLookup;
}
