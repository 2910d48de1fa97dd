/**
 * Recognises the kinds the controller reads and normalises them the way the API server would have, so that the
 * translator sees the same shapes from every provider: RFC 3339 `creationTimestamp` strings become `Date`s, a
 * namespaced object without a namespace lands in `default` (as `kubectl apply` does), and Secret `stringData` is
 * folded into base64 `data`.
 */
import { GATEWAY_EXPERIMENTAL_GROUP, GATEWAY_GROUP } from './gateway-api.js';
import type { KubernetesObject, ObjectKey, SourceSnapshot } from './types.js';

/** The snapshot field each recognised kind is collected into (`http01Challenges`, `caCertificates` from `configMaps`). */
export type SnapshotField = Exclude<keyof SourceSnapshot, 'http01Challenges' | 'caCertificates'> | 'configMaps';

interface KindInfo {
  readonly field: SnapshotField;
  readonly namespaced: boolean;
}

/** `group/kind` → where it goes. Versions are not checked: every served version of these kinds has the same shape. */
const KINDS: ReadonlyMap<string, KindInfo> = new Map([
  [`${GATEWAY_GROUP}/GatewayClass`, { field: 'gatewayClasses', namespaced: false }],
  [`${GATEWAY_GROUP}/Gateway`, { field: 'gateways', namespaced: true }],
  [`${GATEWAY_GROUP}/ListenerSet`, { field: 'listenerSets', namespaced: true }],
  [`${GATEWAY_EXPERIMENTAL_GROUP}/XListenerSet`, { field: 'listenerSets', namespaced: true }],
  [`${GATEWAY_GROUP}/HTTPRoute`, { field: 'httpRoutes', namespaced: true }],
  [`${GATEWAY_GROUP}/GRPCRoute`, { field: 'grpcRoutes', namespaced: true }],
  [`${GATEWAY_GROUP}/ReferenceGrant`, { field: 'referenceGrants', namespaced: true }],
  [`${GATEWAY_GROUP}/BackendTLSPolicy`, { field: 'backendTlsPolicies', namespaced: true }],
  ['networking.k8s.io/Ingress', { field: 'ingresses', namespaced: true }],
  ['networking.k8s.io/IngressClass', { field: 'ingressClasses', namespaced: false }],
  ['/Service', { field: 'services', namespaced: true }],
  ['discovery.k8s.io/EndpointSlice', { field: 'endpointSlices', namespaced: true }],
  ['/Secret', { field: 'secrets', namespaced: true }],
  ['/ConfigMap', { field: 'configMaps', namespaced: true }],
  ['/Namespace', { field: 'namespaces', namespaced: false }],
]);

/** API group of an apiVersion (`""` for the core group `v1`). */
export function groupOf(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? '').lastIndexOf('/');
  return slash < 0 ? '' : (apiVersion ?? '').slice(0, slash);
}

/** Where an object of this apiVersion/kind belongs, or undefined for kinds the controller does not read. */
export function kindInfo(apiVersion: string | undefined, kind: string | undefined): KindInfo | undefined {
  return KINDS.get(`${groupOf(apiVersion)}/${kind ?? ''}`);
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function formatKey(key: ObjectKey): string {
  return key.namespace === undefined ? `${key.kind}/${key.name}` : `${key.kind}/${key.namespace}/${key.name}`;
}

/** The key of an object as read (namespace omitted when the object has none). */
export function keyOf(object: KubernetesObject): ObjectKey {
  const namespace = object.metadata?.namespace;
  return {
    kind: object.kind ?? '',
    name: object.metadata?.name ?? '',
    ...(namespace === undefined ? {} : { namespace }),
  };
}

/**
 * A copy of `object` normalised as described in the module doc, or undefined when the kind is not read or the
 * object has no name. Inputs are not modified.
 */
export function normalizeObject(object: KubernetesObject): KubernetesObject | undefined {
  const info = kindInfo(object.apiVersion, object.kind);
  const name = object.metadata?.name;
  if (info === undefined || typeof name !== 'string' || name === '') return undefined;
  const metadata = { ...object.metadata, name };
  if (info.namespaced && (metadata.namespace === undefined || metadata.namespace === ''))
    metadata.namespace = 'default';
  if (!info.namespaced) delete metadata.namespace;
  if (typeof metadata.creationTimestamp === 'string') {
    const parsed = new Date(metadata.creationTimestamp);
    if (Number.isNaN(parsed.getTime())) delete metadata.creationTimestamp;
    else metadata.creationTimestamp = parsed;
  }
  const normalized: KubernetesObject = { ...object, metadata };
  if (info.field === 'secrets') foldStringData(normalized);
  return normalized;
}

/** Secret `stringData` entries override `data`, base64-encoded, exactly as the API server stores them. */
function foldStringData(secret: KubernetesObject): void {
  const stringData = secret.stringData;
  if (stringData === undefined || stringData === null || typeof stringData !== 'object') return;
  const data: Record<string, string> = { ...((secret.data as Record<string, string> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(stringData as Record<string, unknown>)) {
    if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  secret.data = data;
  delete secret.stringData;
}

/** Orders objects by namespace then name (cluster-scoped objects have no namespace and sort by name). */
export function compareByNamespaceName(a: KubernetesObject, b: KubernetesObject): number {
  return (
    compareStrings(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') ||
    compareStrings(a.metadata?.name ?? '', b.metadata?.name ?? '')
  );
}

/** Code-unit string order: locale-independent, so output is the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
