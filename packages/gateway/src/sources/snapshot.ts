/**
 * Builds a `SourceSnapshot` from a bag of objects: recognise and normalise kinds, keep one object per key (the last
 * one given wins), sort, keep only HTTP-01 challenge ConfigMaps and only the Secrets our Gateways, ListenerSets and
 * Ingresses reference and may reference. Every provider goes through here so the translator's input never depends
 * on where objects came from.
 */
import type { V1ConfigMap, V1Ingress, V1IngressClass, V1Secret } from '@kubernetes/client-node';
import { Label } from './annotations.js';
import type {
  BackendTLSPolicy,
  Gateway,
  GatewayClass,
  ListenerSet,
  ReferenceGrant,
  SecretObjectReference,
} from './gateway-api.js';
import { GATEWAY_GROUP } from './gateway-api.js';
import {
  compareByNamespaceName,
  formatKey,
  groupOf,
  keyOf,
  kindInfo,
  normalizeObject,
  type SnapshotField,
} from './objects.js';
import {
  DEFAULT_OWNERSHIP,
  isOurGateway,
  isOurIngress,
  listenerSetParent,
  type Ownership,
  ourGatewayClassNames,
} from './ownership.js';
import { isReferencePermitted, type ReferenceFrom } from './reference-grants.js';
import type { KubernetesObject, SourceSnapshot } from './types.js';

/** Which controller's objects decide the Secret filter. Defaults: our controller name and ingress class. */
export type SnapshotOptions = Partial<Ownership>;

/** Builds a snapshot from any objects (unread kinds and nameless objects are skipped). Inputs are not modified. */
export function createSnapshot(objects: Iterable<KubernetesObject>, options: SnapshotOptions = {}): SourceSnapshot {
  const ownership: Ownership = { ...DEFAULT_OWNERSHIP, ...options };
  const byField = new Map<SnapshotField, Map<string, KubernetesObject>>();
  for (const object of objects) {
    const normalized = normalizeObject(object);
    if (normalized === undefined) continue;
    const info = kindInfo(normalized.apiVersion, normalized.kind);
    if (info === undefined) continue;
    let bucket = byField.get(info.field);
    if (bucket === undefined) {
      bucket = new Map();
      byField.set(info.field, bucket);
    }
    bucket.set(formatKey(keyOf(normalized)), normalized);
  }
  const list = <T>(field: SnapshotField): T[] =>
    [...(byField.get(field)?.values() ?? [])].sort(compareByNamespaceName) as T[];

  const gatewayClasses = list<GatewayClass>('gatewayClasses');
  const gateways = list<Gateway>('gateways');
  const listenerSets = list<ListenerSet>('listenerSets');
  const referenceGrants = list<ReferenceGrant>('referenceGrants');
  const ingresses = list<V1Ingress>('ingresses');
  const ingressClasses = list<V1IngressClass>('ingressClasses');
  const backendTlsPolicies = list<BackendTLSPolicy>('backendTlsPolicies');
  const caConfigMaps = referencedCaConfigMapKeys(backendTlsPolicies);
  const configMaps = list<V1ConfigMap>('configMaps');
  const referenced = referencedSecretKeys(
    { gatewayClasses, gateways, listenerSets, referenceGrants, ingresses, ingressClasses },
    ownership,
  );
  return Object.freeze({
    gatewayClasses,
    gateways,
    listenerSets,
    httpRoutes: list('httpRoutes'),
    grpcRoutes: list('grpcRoutes'),
    referenceGrants,
    ingresses,
    ingressClasses,
    services: list('services'),
    endpointSlices: list('endpointSlices'),
    secrets: list<V1Secret>('secrets').filter((s) => referenced.has(`${s.metadata?.namespace}/${s.metadata?.name}`)),
    namespaces: list('namespaces'),
    http01Challenges: configMaps.filter((c) => c.metadata?.labels?.[Label.Http01Challenge] === 'true'),
    backendTlsPolicies,
    caCertificates: configMaps.filter((c) => caConfigMaps.has(`${c.metadata?.namespace}/${c.metadata?.name}`)),
  }) as SourceSnapshot;
}

/** `namespace/name` of every ConfigMap a BackendTLSPolicy names as a CA bundle (always in its own namespace). */
function referencedCaConfigMapKeys(policies: readonly BackendTLSPolicy[]): Set<string> {
  const keys = new Set<string>();
  for (const policy of policies) {
    for (const ref of policy.spec?.validation?.caCertificateRefs ?? []) {
      if ((ref.group ?? '') === '' && ref.kind === 'ConfigMap' && ref.name) {
        keys.add(`${policy.metadata.namespace}/${ref.name}`);
      }
    }
  }
  return keys;
}

interface ReferencingObjects {
  gatewayClasses: readonly GatewayClass[];
  gateways: readonly Gateway[];
  listenerSets: readonly ListenerSet[];
  referenceGrants: readonly ReferenceGrant[];
  ingresses: readonly V1Ingress[];
  ingressClasses: readonly V1IngressClass[];
}

/**
 * `namespace/name` of every Secret that one of our Gateways, ListenerSets (joining one of our Gateways) or Ingresses
 * references and is permitted to (same namespace or a ReferenceGrant). The translator re-checks everything; this
 * filter only guarantees that no other Secret ever travels past the provider.
 */
export function referencedSecretKeys(objects: ReferencingObjects, ownership: Ownership): Set<string> {
  const keys = new Set<string>();
  const addRefs = (refs: readonly SecretObjectReference[] | undefined, from: ReferenceFrom) => {
    for (const ref of refs ?? []) {
      if ((ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret' || !ref.name) continue;
      const namespace = ref.namespace ?? from.namespace;
      const to = { group: '', kind: 'Secret', namespace, name: ref.name };
      if (isReferencePermitted(objects.referenceGrants, from, to)) keys.add(`${namespace}/${ref.name}`);
    }
  };
  const ourClasses = ourGatewayClassNames(objects.gatewayClasses, ownership);
  const ourGateways = new Set<string>();
  for (const gateway of objects.gateways) {
    if (!isOurGateway(gateway, ourClasses)) continue;
    const namespace = gateway.metadata.namespace ?? '';
    ourGateways.add(`${namespace}/${gateway.metadata.name}`);
    const from = { group: GATEWAY_GROUP, kind: 'Gateway', namespace };
    for (const listener of gateway.spec?.listeners ?? []) addRefs(listener.tls?.certificateRefs, from);
    const clientCertificate = gateway.spec?.tls?.backend?.clientCertificateRef;
    if (clientCertificate !== undefined) addRefs([clientCertificate], from);
  }
  for (const listenerSet of objects.listenerSets) {
    const parent = listenerSetParent(listenerSet);
    if (parent === undefined || !ourGateways.has(`${parent.namespace}/${parent.name}`)) continue;
    const from = {
      group: groupOf(listenerSet.apiVersion),
      kind: listenerSet.kind,
      namespace: listenerSet.metadata.namespace ?? '',
    };
    for (const listener of listenerSet.spec?.listeners ?? []) addRefs(listener.tls?.certificateRefs, from);
  }
  for (const ingress of objects.ingresses) {
    if (!isOurIngress(ingress, objects.ingressClasses, ownership)) continue;
    for (const tls of ingress.spec?.tls ?? []) {
      if (tls.secretName) keys.add(`${ingress.metadata?.namespace}/${tls.secretName}`);
    }
  }
  return keys;
}
