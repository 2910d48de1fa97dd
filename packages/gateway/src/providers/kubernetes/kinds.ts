/**
 * The kinds the Kubernetes provider watches, and discovery of the optional ones. Gateway API CRDs may be absent
 * (an Ingress-only cluster), ReferenceGrant is served as v1beta1 before Gateway API v1.5 and as v1 from then on,
 * and ListenerSet exists as the v1.4 experimental `XListenerSet` or the v1.5+ standard `ListenerSet`: discovery
 * decides, once at start, which of them are watched. Core, networking.k8s.io/v1 and discovery.k8s.io/v1 are always
 * served on Kubernetes >= 1.26.
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { GATEWAY_EXPERIMENTAL_GROUP, GATEWAY_GROUP } from '../../sources/gateway-api.js';
import { describeFailure, KubernetesProviderError, KubernetesProviderErrorCode } from './errors.js';

export interface WatchedKind {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export function apiVersionOf(kind: WatchedKind): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** Collection path across all namespaces (what informers list and watch). */
export function collectionPath(kind: WatchedKind): string {
  return kind.group === ''
    ? `/api/${kind.version}/${kind.plural}`
    : `/apis/${kind.group}/${kind.version}/${kind.plural}`;
}

const core = (plural: string, kind: string, extra: Partial<WatchedKind> = {}): WatchedKind => ({
  group: '',
  version: 'v1',
  plural,
  kind,
  ...extra,
});

/**
 * Always watched. Secrets: only `kubernetes.io/tls` ones (what certificateRefs and Ingress TLS may point at).
 * ConfigMaps: all of them, because BackendTLSPolicy CA bundles are ordinary ConfigMaps chosen by name, next to the
 * labelled HTTP-01 challenge ones; `createSnapshot` keeps only those two kinds. The cost is holding the cluster's
 * ConfigMaps in memory; fetching referenced ones on demand (as referenced-secrets.ts does) would avoid it.
 */
export const BASE_KINDS: readonly WatchedKind[] = [
  core('namespaces', 'Namespace'),
  core('services', 'Service'),
  core('secrets', 'Secret', { fieldSelector: 'type=kubernetes.io/tls' }),
  core('configmaps', 'ConfigMap'),
  { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', kind: 'EndpointSlice' },
  { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', kind: 'Ingress' },
  { group: 'networking.k8s.io', version: 'v1', plural: 'ingressclasses', kind: 'IngressClass' },
];

/** Gateway API kinds, each watched when discovery finds one of its candidate versions (first found wins). */
const GATEWAY_CANDIDATES: readonly (readonly WatchedKind[])[] = [
  [{ group: GATEWAY_GROUP, version: 'v1', plural: 'gatewayclasses', kind: 'GatewayClass' }],
  [{ group: GATEWAY_GROUP, version: 'v1', plural: 'gateways', kind: 'Gateway' }],
  [{ group: GATEWAY_GROUP, version: 'v1', plural: 'httproutes', kind: 'HTTPRoute' }],
  [{ group: GATEWAY_GROUP, version: 'v1', plural: 'grpcroutes', kind: 'GRPCRoute' }],
  [{ group: GATEWAY_GROUP, version: 'v1', plural: 'backendtlspolicies', kind: 'BackendTLSPolicy' }],
  [
    { group: GATEWAY_GROUP, version: 'v1', plural: 'referencegrants', kind: 'ReferenceGrant' },
    { group: GATEWAY_GROUP, version: 'v1beta1', plural: 'referencegrants', kind: 'ReferenceGrant' },
  ],
  [
    { group: GATEWAY_GROUP, version: 'v1', plural: 'listenersets', kind: 'ListenerSet' },
    { group: GATEWAY_EXPERIMENTAL_GROUP, version: 'v1alpha1', plural: 'xlistenersets', kind: 'XListenerSet' },
  ],
];

/** Resource names served per group/version; a group/version the server does not know (404) serves none. */
async function servedResources(api: CustomObjectsApi, group: string, version: string): Promise<Set<string>> {
  try {
    const list = await api.getAPIResources({ group, version });
    return new Set(list.resources.map((r) => r.name));
  } catch (err) {
    if ((err as { code?: unknown }).code === 404) return new Set();
    throw new KubernetesProviderError(
      KubernetesProviderErrorCode.SyncFailed,
      `discovery of ${group}/${version}`,
      describeFailure(err),
      err,
    );
  }
}

/** Every kind to watch on this cluster. */
export async function discoverKinds(kubeConfig: KubeConfig): Promise<WatchedKind[]> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const served = new Map<string, Set<string>>();
  const kinds = [...BASE_KINDS];
  for (const candidates of GATEWAY_CANDIDATES) {
    for (const candidate of candidates) {
      const gv = `${candidate.group}/${candidate.version}`;
      let resources = served.get(gv);
      if (resources === undefined) {
        resources = await servedResources(api, candidate.group, candidate.version);
        served.set(gv, resources);
      }
      if (resources.has(candidate.plural)) {
        kinds.push(candidate);
        break;
      }
    }
  }
  return kinds;
}
