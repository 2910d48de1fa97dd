/**
 * Looks at every place one certificate is deployed: each target (`Target.observe`, the location recorded by the
 * deliver step) and each live endpoint (a TLS handshake through the `EndpointProber`). A failure at one place
 * becomes an Observation with `error` — it never stops the run, and the monitor keeps the alerts of that place as
 * they were instead of resolving them (nothing was seen, so nothing was fixed).
 */
import { stableMessage } from '../lifecycle/status.js';
import type { CertificateRecord, EndpointSpec, IsoTime, TargetSpec } from '../lifecycle/types.js';
import type { EndpointProber } from '../ports/monitoring.js';
import type { TargetFactory } from '../ports/target.js';
import { endpointLocation } from './rules.js';
import type { Observation } from './types.js';

export interface ObserveDependencies {
  readonly targets: TargetFactory;
  readonly prober?: EndpointProber;
}

export interface CertificateObservations {
  readonly observations: readonly Observation[];
  /** Locations this run could not look at (errors, no prober configured). */
  readonly unobserved: readonly string[];
  /** Ledger scopes of the targets' quotas (`acm:<region>`), for the quota metric. */
  readonly quotaScopes: readonly string[];
}

const SOURCE: Readonly<Record<TargetSpec['type'], Observation['source']>> = {
  acm: 'acm',
  'secrets-manager': 'secrets-manager',
  kubernetes: 'kubernetes',
};

/** SNI for an endpoint without `serverName`: the certificate's first non-wildcard name (none: the prober's default). */
export function defaultServerName(names: readonly string[]): string | undefined {
  return names.find((n) => !n.startsWith('*.'));
}

function reason(error: unknown): string {
  return stableMessage(error instanceof Error ? error.message : String(error));
}

async function observeTarget(
  deps: ObserveDependencies,
  record: CertificateRecord,
  spec: TargetSpec,
  now: IsoTime,
): Promise<{ observation: Observation; quotaScope?: string }> {
  const delivered = record.status.deliveries[spec.id]?.location;
  const base = { location: spec.id, source: SOURCE[spec.type] ?? 'acm', observedAt: now } as const;
  let quotaScope: string | undefined;
  try {
    const target = deps.targets.forSpec(spec);
    quotaScope = target.quotaScope;
    const found = await target.observe({
      certificateId: record.id,
      targetId: spec.id,
      tenant: record.spec.tenant,
      ...(delivered === undefined ? {} : { location: delivered }),
    });
    const observation: Observation =
      found === undefined
        ? { ...base, ...(delivered === undefined ? {} : { address: delivered }) }
        : { ...base, serial: found.serial, notAfter: found.notAfter, address: found.location };
    return quotaScope === undefined ? { observation } : { observation, quotaScope };
  } catch (error) {
    const observation: Observation = {
      ...base,
      ...(delivered === undefined ? {} : { address: delivered }),
      error: `${spec.type} target ${spec.id}: ${reason(error)}`,
    };
    return quotaScope === undefined ? { observation } : { observation, quotaScope };
  }
}

async function probeEndpoint(
  prober: EndpointProber,
  record: CertificateRecord,
  endpoint: EndpointSpec,
  now: IsoTime,
): Promise<Observation> {
  const address = `${endpoint.host}:${endpoint.port}`;
  const base = {
    location: endpointLocation(endpoint.host, endpoint.port),
    source: 'endpoint',
    observedAt: now,
    address,
  } as const;
  const serverName = endpoint.serverName ?? defaultServerName(record.spec.names);
  try {
    const served = await prober.probe({
      host: endpoint.host,
      port: endpoint.port,
      ...(serverName === undefined ? {} : { serverName }),
    });
    return { ...base, serial: served.serial, notAfter: served.notAfter };
  } catch (error) {
    return { ...base, error: `endpoint ${address}: ${reason(error)}` };
  }
}

export async function observeCertificate(
  deps: ObserveDependencies,
  record: CertificateRecord,
  now: IsoTime,
): Promise<CertificateObservations> {
  const endpoints = record.spec.endpoints ?? [];
  const prober = deps.prober;
  const [targets, probed] = await Promise.all([
    Promise.all(record.spec.targets.map((t) => observeTarget(deps, record, t, now))),
    prober === undefined
      ? Promise.resolve([])
      : Promise.all(endpoints.map((e) => probeEndpoint(prober, record, e, now))),
  ]);
  const observations = [...targets.map((t) => t.observation), ...probed];
  const unobserved = observations.filter((o) => o.error !== undefined).map((o) => o.location);
  // Without a prober the endpoints were not looked at: their alerts stay as they were.
  if (prober === undefined) unobserved.push(...endpoints.map((e) => endpointLocation(e.host, e.port)));
  return {
    observations,
    unobserved,
    quotaScopes: [...new Set(targets.flatMap((t) => (t.quotaScope === undefined ? [] : [t.quotaScope])))],
  };
}
