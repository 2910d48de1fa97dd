/**
 * The resource types the test API server serves, and the discovery documents built from them. Each entry carries
 * the per-type behaviour of the real API server that the rest of the server relies on (scope, status subresource,
 * whether `metadata.generation` is tracked, whether it is a CRD — CRDs reject strategic merge patch and unconditional
 * updates, and their list items keep `apiVersion`/`kind`).
 */

export interface ResourceType {
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly version: string;
  /** Lower-case plural used in paths (`secrets`). */
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Has a `/status` subresource: main-resource writes ignore `.status`, `/status` writes change only `.status`. */
  readonly statusSubresource: boolean;
  /** Spec changes bump `metadata.generation` (CRDs, Ingress, IngressClass, EndpointSlice). */
  readonly tracksGeneration: boolean;
  /** Served from a CustomResourceDefinition (Gateway API). */
  readonly custom: boolean;
  /** Field selector labels supported besides `metadata.name` and `metadata.namespace`. */
  readonly fieldLabels: readonly string[];
  readonly shortNames?: readonly string[];
}

export function apiVersionOf(resource: ResourceType): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

export function listKindOf(resource: ResourceType): string {
  return `${resource.kind}List`;
}

/** Identifies a resource type in store keys and in `details` of errors (`secrets`, `gateways.gateway.networking.k8s.io`). */
export function qualifiedPlural(resource: ResourceType): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

const builtIn = { custom: false, fieldLabels: [] } as const;
const gatewayApi = { custom: true, tracksGeneration: true, fieldLabels: [], namespaced: true } as const;

export const DEFAULT_RESOURCES: readonly ResourceType[] = [
  {
    ...builtIn,
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    statusSubresource: true,
    tracksGeneration: false,
    fieldLabels: ['status.phase'],
    shortNames: ['ns'],
  },
  {
    ...builtIn,
    group: '',
    version: 'v1',
    plural: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    namespaced: true,
    statusSubresource: false,
    tracksGeneration: false,
    fieldLabels: ['type'],
  },
  {
    ...builtIn,
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    statusSubresource: false,
    tracksGeneration: false,
    shortNames: ['cm'],
  },
  {
    ...builtIn,
    group: '',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    statusSubresource: true,
    tracksGeneration: false,
    shortNames: ['svc'],
  },
  {
    ...builtIn,
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    singular: 'endpointslice',
    kind: 'EndpointSlice',
    namespaced: true,
    statusSubresource: false,
    tracksGeneration: true,
  },
  {
    ...builtIn,
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    singular: 'ingress',
    kind: 'Ingress',
    namespaced: true,
    statusSubresource: true,
    tracksGeneration: true,
    shortNames: ['ing'],
  },
  {
    ...builtIn,
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingressclasses',
    singular: 'ingressclass',
    kind: 'IngressClass',
    namespaced: false,
    statusSubresource: false,
    tracksGeneration: true,
  },
  {
    ...gatewayApi,
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gatewayclasses',
    singular: 'gatewayclass',
    kind: 'GatewayClass',
    namespaced: false,
    statusSubresource: true,
    shortNames: ['gc'],
  },
  {
    ...gatewayApi,
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gateways',
    singular: 'gateway',
    kind: 'Gateway',
    statusSubresource: true,
    shortNames: ['gtw'],
  },
  {
    ...gatewayApi,
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'httproutes',
    singular: 'httproute',
    kind: 'HTTPRoute',
    statusSubresource: true,
  },
  {
    ...gatewayApi,
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'grpcroutes',
    singular: 'grpcroute',
    kind: 'GRPCRoute',
    statusSubresource: true,
  },
  {
    ...gatewayApi,
    group: 'gateway.networking.k8s.io',
    version: 'v1beta1',
    plural: 'referencegrants',
    singular: 'referencegrant',
    kind: 'ReferenceGrant',
    statusSubresource: false,
    shortNames: ['refgrant'],
  },
];

/** Gateway API v1.4 experimental channel: `XListenerSet`. Served only when a test asks for it. */
export const EXPERIMENTAL_RESOURCES: readonly ResourceType[] = [
  {
    ...gatewayApi,
    group: 'gateway.networking.x-k8s.io',
    version: 'v1alpha1',
    plural: 'xlistenersets',
    singular: 'xlistenerset',
    kind: 'XListenerSet',
    statusSubresource: true,
    shortNames: ['lset'],
  },
];

/** Verbs advertised in discovery: exactly what the server implements (no `deletecollection`). */
const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** `APIResourceList` for one group/version (`/api/v1`, `/apis/<group>/<version>`). */
export function apiResourceList(resources: readonly ResourceType[], groupVersion: string): object {
  const entries: object[] = [];
  for (const r of resources.filter((x) => apiVersionOf(x) === groupVersion)) {
    entries.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    });
    if (r.statusSubresource) {
      entries.push({
        name: `${r.plural}/status`,
        singularName: '',
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: entries };
}

function apiGroup(resources: readonly ResourceType[], group: string): object {
  const versions = [...new Set(resources.filter((r) => r.group === group).map((r) => r.version))].map((v) => ({
    groupVersion: `${group}/${v}`,
    version: v,
  }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** `APIGroupList` (`/apis`): the legacy (non-aggregated) discovery format, which every client falls back to. */
export function apiGroupList(resources: readonly ResourceType[]): object {
  const groups = [...new Set(resources.map((r) => r.group).filter((g) => g !== ''))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => apiGroup(resources, g)) };
}

/** `APIGroup` (`/apis/<group>`), or `undefined` when the group is not served. */
export function apiGroupDocument(resources: readonly ResourceType[], group: string): object | undefined {
  if (!resources.some((r) => r.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(resources, group) };
}

export function isServedGroupVersion(resources: readonly ResourceType[], groupVersion: string): boolean {
  return resources.some((r) => apiVersionOf(r) === groupVersion);
}
