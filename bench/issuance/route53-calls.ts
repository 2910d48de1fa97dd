/**
 * Route53 API calls per order, for orders of 1, 3 and 10 names in one zone: full issuances through our Route53
 * provider against moto (its records synced into bind9, so pebble really validates them), the provider's client
 * counted per operation with `countAwsRequests`. The sync reads moto through a SECOND client, so its own
 * ListResourceRecordSets calls (local mode only) are not counted.
 *
 * Each size is measured twice: `cold` with a new provider (hosted-zone discovery included) and `warm` with the
 * same provider's next order (the zone list is cached for 5 minutes). moto answers every GetChange with INSYNC,
 * so GetChange shows its minimum here.
 */
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { awsConfigFromEnv, countAwsRequests, createAwsClients, route53ClientForZone } from '@portcullis/aws';
import type { IssuanceSetup } from '@portcullis/cli';
import { type DnsProvider, normalizeIdentifiers, obtainCertificate } from '@portcullis/core';
import { Route53Provider, route53ConfigFromEnv } from '@portcullis/dns';
import { type LocalBind, syncingRoute53Provider } from '@portcullis/local';
import { operationName, type Route53OrderCount } from './route53-model.js';

export const ROUTE53_ORDER_SIZES = [1, 3, 10] as const;

export interface Route53Section {
  readonly counts: readonly Route53OrderCount[];
  /** TXT record sets left in the moto zone after all orders (cleanup check). */
  readonly leftoverTxtSets: number;
}

/** Distinct names (each its own `_acme-challenge` record) so the count per name is visible. */
function orderNames(size: number, round: 'cold' | 'warm'): string[] {
  return Array.from({ length: size }, (_, j) => `r${size}${round[0]}${j}.example.test`);
}

export async function countRoute53Calls(
  env: Readonly<Record<string, string>>,
  bind: LocalBind,
  setup: IssuanceSetup,
): Promise<Route53Section> {
  if (setup.dns === undefined) throw new Error('bench: the Portcullis setup has no DNS resolver');
  const resolver = setup.dns.resolver;
  const syncClient = createAwsClients(awsConfigFromEnv(env)).route53;
  const zone = await syncClient.send(
    new CreateHostedZoneCommand({ Name: 'example.test', CallerReference: `bench-${Date.now()}` }),
  );
  const counts: Route53OrderCount[] = [];
  for (const size of ROUTE53_ORDER_SIZES) {
    // A client per size, so the counter sees exactly this provider's requests.
    const clients = createAwsClients(awsConfigFromEnv(env));
    const counter = countAwsRequests(clients.route53);
    const provider: DnsProvider = syncingRoute53Provider(
      new Route53Provider({ ...route53ConfigFromEnv(env), client: route53ClientForZone(clients) }),
      { route53: syncClient, bind },
    );
    for (const round of ['cold', 'warm'] as const) {
      counter.reset();
      const names = orderNames(size, round);
      let error: string | undefined;
      try {
        await obtainCertificate(
          {
            identifiers: normalizeIdentifiers(names, { challenge: 'dns-01' }),
            challenge: 'dns-01',
            keyType: 'ec-p256',
          },
          { acme: setup.acme, keys: setup.keys, clock: setup.clock, dns: { provider, resolver } },
        );
      } catch (caught) {
        error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
      }
      const byOperation = Object.fromEntries(
        Object.entries(counter.byCommand()).map(([command, n]) => [operationName(command), n]),
      );
      counts.push({
        names: size,
        provider: round,
        ok: error === undefined,
        ...(error === undefined ? {} : { error }),
        byOperation,
      });
    }
    counter.detach();
  }
  const left = await syncClient.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.HostedZone?.Id }));
  return { counts, leftoverTxtSets: (left.ResourceRecordSets ?? []).filter((set) => set.Type === 'TXT').length };
}
