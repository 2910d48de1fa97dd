/**
 * Which source objects an Envoy resource came from, so that a NACK of a resource can be shown on them. The model
 * does not carry provenance; the resource names are stable and derived from user-visible identities (see
 * model/types.ts), so they are mapped back through the same snapshot the model was translated from:
 * - Listener / RouteConfiguration `http-<port>` / `https-<port>` → Gateways and ListenerSets with a listener on that
 *   port, and our Ingresses when it is an Ingress port (Ingress status has no conditions: see rejection-status.ts).
 * - Cluster / ClusterLoadAssignment `<namespace>/<service>:<port>[/...]` → HTTPRoutes and GRPCRoutes with a
 *   backendRef to that Service port, and Ingresses with a backend on it.
 * - Secret `<namespace>/<name>` → Gateways and ListenerSets whose certificateRefs name it, and Ingresses whose
 *   `tls[].secretName` is it.
 * Over-approximating is deliberate: a listener on a shared port is served by every Gateway on it, so each of them
 * is affected by a rejection.
 */
import { TypeUrl } from '../envoy/registry.js';
import type { Gateway, ListenerSet, SecretObjectReference } from '../sources/gateway-api.js';
import { formatKey } from '../sources/objects.js';
import type { ObjectKey, SourceSnapshot } from '../sources/types.js';

const LISTENER_NAME = /^https?-(\d+)$/;
const CLUSTER_NAME = /^([^/]+)\/([^:/]+):(\d+)(?:\/.*)?$/;

/** Source objects (as `Kind/namespace/name` keys, sorted, unique) an Envoy resource was built from. */
export function sourcesOfResource(snapshot: SourceSnapshot, typeUrl: TypeUrl, resourceName: string): string[] {
  const keys = new Set<string>();
  const add = (key: ObjectKey) => keys.add(formatKey(key));
  switch (typeUrl) {
    case TypeUrl.Listener:
    case TypeUrl.RouteConfiguration: {
      const port = Number(LISTENER_NAME.exec(resourceName)?.[1]);
      if (Number.isNaN(port)) break;
      for (const owner of listenerOwners(snapshot)) {
        if (owner.listeners.some((l) => l.port === port)) add(owner.key);
      }
      break;
    }
    case TypeUrl.Cluster:
    case TypeUrl.ClusterLoadAssignment: {
      const match = CLUSTER_NAME.exec(resourceName);
      if (match === null) break;
      const [, namespace, service, portText] = match;
      const port = Number(portText);
      for (const route of [...snapshot.httpRoutes, ...snapshot.grpcRoutes]) {
        const routeNamespace = route.metadata?.namespace ?? '';
        const refs = (route.spec?.rules ?? []).flatMap((rule) => rule.backendRefs ?? []);
        const hit = refs.some(
          (ref) =>
            (ref.kind ?? 'Service') === 'Service' &&
            (ref.group ?? '') === '' &&
            ref.name === service &&
            (ref.namespace ?? routeNamespace) === namespace &&
            ref.port === port,
        );
        if (hit) add({ kind: route.kind ?? 'HTTPRoute', namespace: routeNamespace, name: route.metadata?.name ?? '' });
      }
      for (const ingress of snapshot.ingresses) {
        if (ingress.metadata?.namespace !== namespace) continue;
        const backends = [
          ingress.spec?.defaultBackend,
          ...(ingress.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend)),
        ];
        if (backends.some((b) => b?.service?.name === service && b?.service?.port?.number === port)) {
          add({ kind: 'Ingress', namespace: namespace ?? '', name: ingress.metadata?.name ?? '' });
        }
      }
      break;
    }
    case TypeUrl.Secret: {
      const [namespace = '', name = ''] = resourceName.split('/');
      for (const owner of listenerOwners(snapshot)) {
        const refs = owner.listeners.flatMap((l) => l.tls?.certificateRefs ?? []);
        if (refs.some((ref) => isSecretRef(ref, owner.key.namespace ?? '', namespace, name))) add(owner.key);
      }
      for (const ingress of snapshot.ingresses) {
        const hit = (ingress.spec?.tls ?? []).some((t) => t.secretName === name);
        if (hit && ingress.metadata?.namespace === namespace)
          add({ kind: 'Ingress', namespace, name: ingress.metadata.name ?? '' });
      }
      break;
    }
  }
  return [...keys].sort();
}

interface ListenerOwner {
  readonly key: ObjectKey;
  readonly listeners: readonly {
    readonly port: number;
    readonly tls?: { certificateRefs?: SecretObjectReference[] };
  }[];
}

function listenerOwners(snapshot: SourceSnapshot): ListenerOwner[] {
  const owner = (object: Gateway | ListenerSet, kind: string): ListenerOwner => ({
    key: { kind, namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' },
    listeners: object.spec?.listeners ?? [],
  });
  return [
    ...snapshot.gateways.map((g) => owner(g, 'Gateway')),
    ...snapshot.listenerSets.map((s) => owner(s, s.kind ?? 'ListenerSet')),
  ];
}

function isSecretRef(ref: SecretObjectReference, ownerNamespace: string, namespace: string, name: string): boolean {
  return (
    (ref.kind ?? 'Secret') === 'Secret' &&
    (ref.group ?? '') === '' &&
    ref.name === name &&
    (ref.namespace ?? ownerNamespace) === namespace
  );
}
