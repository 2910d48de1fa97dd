/**
 * Resolves a reference to a Service port into a `ModelCluster` with its ready endpoints, or into the Gateway API
 * reason it cannot be used. Cluster names are derived from the Service identity (see model/types.ts) so they are
 * stable and shared by every route that uses the same Service port the same way.
 */
import type { V1EndpointSlice, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { LoadBalancerPolicy } from '../sources/annotations.js';
import type { ReferenceGrant } from '../sources/gateway-api.js';
import { compareStrings } from '../sources/objects.js';
import { isReferencePermitted, type ReferenceFrom } from '../sources/reference-grants.js';
import { RouteReason } from '../status/conditions.js';
import type { BackendTlsIndex } from './backend-tls.js';
import type { ClusterProtocol, ModelCluster, ModelEndpoint, ModelUpstreamTls } from './types.js';

/** The label EndpointSlices carry naming their Service. */
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** KEP-3726 standard application protocols that change how we talk to the backend. */
const AppProtocol = {
  H2c: 'kubernetes.io/h2c',
  WebSocket: 'kubernetes.io/ws',
  WebSocketTls: 'kubernetes.io/wss',
} as const;

export interface BackendIndex {
  readonly services: ReadonlyMap<string, V1Service>;
  readonly slicesByService: ReadonlyMap<string, readonly V1EndpointSlice[]>;
  readonly referenceGrants: readonly ReferenceGrant[];
  /** BackendTLSPolicies by Service port; absent: every backend is cleartext. */
  readonly tls?: Pick<BackendTlsIndex, 'decide'>;
}

export function indexBackends(
  services: readonly V1Service[],
  slices: readonly V1EndpointSlice[],
  referenceGrants: readonly ReferenceGrant[],
  tls?: Pick<BackendTlsIndex, 'decide'>,
): BackendIndex {
  const byName = new Map<string, V1Service>();
  for (const service of services) byName.set(`${service.metadata?.namespace}/${service.metadata?.name}`, service);
  const slicesByService = new Map<string, V1EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    const key = `${slice.metadata?.namespace}/${service}`;
    const list = slicesByService.get(key) ?? [];
    list.push(slice);
    slicesByService.set(key, list);
  }
  return { services: byName, slicesByService, referenceGrants, ...(tls === undefined ? {} : { tls }) };
}

export interface BackendRequest {
  readonly from: ReferenceFrom;
  /** Default `""`. */
  readonly group?: string | undefined;
  /** Default `Service`. */
  readonly kind?: string | undefined;
  readonly namespace: string;
  readonly name: string;
  /** Service port number, or (Ingress only) its name. */
  readonly port: number | string | undefined;
  /** Forced protocol (gRPC routes, Ingress backend-protocol); else inferred from the port's appProtocol. */
  readonly protocol?: ClusterProtocol | undefined;
  readonly lbPolicy?: LoadBalancerPolicy | undefined;
}

export type BackendResult =
  | { ok: true; cluster: ModelCluster; websocket: boolean }
  /**
   * `policy`: the reference itself is fine but a BackendTLSPolicy forbids serving the backend (fail closed): the
   * traffic share answers 500 and the problem is reported on the policy, not on the route.
   */
  | { ok: false; reason: RouteReason; message: string; policy?: true };

export function resolveBackend(index: BackendIndex, request: BackendRequest): BackendResult {
  const group = request.group ?? '';
  const kind = request.kind ?? 'Service';
  const target = `${request.namespace}/${request.name}`;
  if (group !== '' || kind !== 'Service') {
    return fail(RouteReason.InvalidKind, `backend ${target}: kind ${group ? `${group}/` : ''}${kind} is not supported`);
  }
  const to = { group: '', kind: 'Service', namespace: request.namespace, name: request.name };
  if (!isReferencePermitted(index.referenceGrants, request.from, to)) {
    return fail(
      RouteReason.RefNotPermitted,
      `backend ${target}: no ReferenceGrant in namespace ${request.namespace} allows ${request.from.kind} from namespace ${request.from.namespace}`,
    );
  }
  if (request.port === undefined) return fail(RouteReason.BackendNotFound, `backend ${target}: port is required`);
  const service = index.services.get(target);
  if (service === undefined) return fail(RouteReason.BackendNotFound, `backend ${target}: Service not found`);
  if (service.spec?.type === 'ExternalName') {
    return fail(RouteReason.BackendNotFound, `backend ${target}: ExternalName Services are not supported`);
  }
  const servicePort = (service.spec?.ports ?? []).find((p) =>
    typeof request.port === 'number' ? p.port === request.port : p.name === request.port,
  );
  if (servicePort === undefined) {
    return fail(RouteReason.BackendNotFound, `backend ${target}: Service has no port ${request.port}`);
  }
  const appProtocol = servicePort.appProtocol;
  const tlsDecision = index.tls?.decide(request.namespace, request.name, servicePort.name ?? '');
  if (tlsDecision?.ok === false) {
    return {
      ok: false,
      reason: RouteReason.ResolvedRefs,
      message: `backend ${target}: ${tlsDecision.message}`,
      policy: true,
    };
  }
  const upstreamTls: ModelUpstreamTls | undefined = tlsDecision?.tls;
  if (
    upstreamTls === undefined &&
    (appProtocol === AppProtocol.WebSocketTls || appProtocol?.toLowerCase() === 'https')
  ) {
    return fail(
      RouteReason.UnsupportedProtocol,
      `backend ${target}: port ${servicePort.port} appProtocol ${appProtocol} needs TLS to the backend: attach a BackendTLSPolicy`,
    );
  }
  const protocol: ClusterProtocol = request.protocol ?? (appProtocol === AppProtocol.H2c ? 'http2' : 'http1');
  const lbPolicy = request.lbPolicy ?? LoadBalancerPolicy.RoundRobin;
  const cluster: ModelCluster = {
    name: clusterName(request.namespace, request.name, servicePort.port, protocol, lbPolicy, upstreamTls),
    service: { namespace: request.namespace, name: request.name, port: servicePort.port },
    protocol,
    lbPolicy,
    endpoints: readyEndpoints(index.slicesByService.get(target) ?? [], servicePort),
    ...(upstreamTls === undefined ? {} : { upstreamTls }),
  };
  return { ok: true, cluster, websocket: appProtocol === AppProtocol.WebSocket };
}

export function clusterName(
  namespace: string,
  service: string,
  port: number,
  protocol: ClusterProtocol,
  lbPolicy: LoadBalancerPolicy,
  upstreamTls?: ModelUpstreamTls,
): string {
  let name = `${namespace}/${service}:${port}`;
  if (protocol !== 'http1') name += `/${protocol}`;
  if (lbPolicy !== LoadBalancerPolicy.RoundRobin) name += `/${lbPolicy}`;
  if (upstreamTls !== undefined) name += upstreamTls.clientCertificateSecret === undefined ? '/tls' : '/mtls';
  return name;
}

/**
 * Ready endpoints of a Service port across its EndpointSlices: the slice port is matched by the Service port's
 * name (both unnamed when the Service has one port). `ready` absent counts as ready (EndpointSlice API). FQDN slices
 * are skipped: EDS needs addresses.
 */
function readyEndpoints(slices: readonly V1EndpointSlice[], servicePort: V1ServicePort): ModelEndpoint[] {
  const seen = new Set<string>();
  const out: ModelEndpoint[] = [];
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    const slicePort = (slice.ports ?? []).find((p) => (p.name ?? '') === (servicePort.name ?? ''));
    if (slicePort?.port === undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      for (const address of endpoint.addresses ?? []) {
        const key = `${address}|${slicePort.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ address, port: slicePort.port });
      }
    }
  }
  return out.sort((a, b) => compareStrings(a.address, b.address) || a.port - b.port);
}

function fail(reason: RouteReason, message: string): BackendResult {
  return { ok: false, reason, message };
}
