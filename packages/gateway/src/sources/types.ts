/**
 * The seam between providers (Kubernetes informers, the File provider) and the translator: a full, immutable
 * snapshot of every object the controller reads, grouped by kind. Providers build it with `createSnapshot` (or the
 * `SourceCache` that wraps it) so that normalisation, sorting and Secret filtering are the same for every provider.
 */
import type {
  V1ConfigMap,
  V1EndpointSlice,
  V1Ingress,
  V1IngressClass,
  V1Namespace,
  V1Secret,
  V1Service,
} from '@kubernetes/client-node';
import type {
  BackendTLSPolicy,
  Gateway,
  GatewayClass,
  GRPCRoute,
  HTTPRoute,
  ListenerSet,
  ReferenceGrant,
} from './gateway-api.js';

export type {
  BackendTLSPolicy,
  Gateway,
  GatewayClass,
  GRPCRoute,
  HTTPRoute,
  ListenerSet,
  ReferenceGrant,
} from './gateway-api.js';

/**
 * Everything the translator sees, as plain Kubernetes objects.
 * - Every array is sorted by namespace then name (cluster-scoped kinds by name) and holds each object once.
 * - `metadata.name` is always set, `metadata.namespace` on namespaced kinds; `metadata.creationTimestamp` is a
 *   `Date` when known (providers normalise the RFC 3339 strings that CRDs and YAML carry).
 * - All GatewayClasses, Gateways and Ingresses are included, ours or not; the translator picks its own (so that it can
 *   tell "not ours" from "missing").
 * - `secrets` holds only Secrets that one of our Gateways, ListenerSets or Ingresses references and is allowed to
 *   reference (same namespace, or a ReferenceGrant permits it). Nothing else is ever carried past the provider.
 * - `http01Challenges` holds only ConfigMaps labelled `portcullis.dev/http01-challenge=true`.
 * - Objects are treated as read-only; the translator never mutates them.
 */
export interface SourceSnapshot {
  readonly gatewayClasses: readonly GatewayClass[];
  readonly gateways: readonly Gateway[];
  /** v1.4 `XListenerSet` (gateway.networking.x-k8s.io/v1alpha1) and v1.5+ `ListenerSet` (gateway.networking.k8s.io/v1). */
  readonly listenerSets: readonly ListenerSet[];
  readonly httpRoutes: readonly HTTPRoute[];
  readonly grpcRoutes: readonly GRPCRoute[];
  readonly referenceGrants: readonly ReferenceGrant[];
  readonly ingresses: readonly V1Ingress[];
  readonly ingressClasses: readonly V1IngressClass[];
  readonly services: readonly V1Service[];
  readonly endpointSlices: readonly V1EndpointSlice[];
  /** Only referenced and permitted Secrets (see above). `data` values are base64, as in the API. */
  readonly secrets: readonly V1Secret[];
  /** Namespaces, for `allowedRoutes.namespaces.from: Selector` (labels) — may be empty when no listener selects. */
  readonly namespaces: readonly V1Namespace[];
  /** ConfigMaps labelled `portcullis.dev/http01-challenge=true`, data `token` and `keyAuthorization`. */
  readonly http01Challenges: readonly V1ConfigMap[];
  /** Gateway API BackendTLSPolicies (v1), ours or not: they attach to Services, not to a controller. */
  readonly backendTlsPolicies: readonly BackendTLSPolicy[];
  /** Only ConfigMaps a BackendTLSPolicy names in `validation.caCertificateRefs` (same namespace): CA bundles. */
  readonly caCertificates: readonly V1ConfigMap[];
}

/**
 * A source of snapshots.
 * - `start` begins reading and resolves once the first FULL sync is done, after it has called `onSnapshot` exactly
 *   once with that first snapshot. Nothing is emitted before the first full sync. It rejects if the first sync
 *   fails (nothing emitted then).
 * - After that, `onSnapshot` is called with a complete new snapshot on every change (debounced; never a delta).
 *   Consecutive snapshots may be equal; consumers must not assume a change.
 * - `onSnapshot` is never called concurrently with itself, and never after `stop()` has resolved.
 * - `stop` is idempotent and releases every watch, timer and connection.
 */
export interface Provider {
  start(onSnapshot: (snapshot: SourceSnapshot) => void): Promise<void>;
  stop(): Promise<void>;
}

/** Identifies an object for logs, status keys and cache keys: `Kind/namespace/name` (`Kind/name` if cluster-scoped). */
export interface ObjectKey {
  kind: string;
  namespace?: string;
  name: string;
}

/** Any Kubernetes object as read from YAML or the API, before it is sorted into a snapshot. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: Date | string;
    generation?: number;
    resourceVersion?: string;
    uid?: string;
  };
  [field: string]: unknown;
}

/** An empty snapshot (all arrays empty). */
export const EMPTY_SNAPSHOT: SourceSnapshot = Object.freeze({
  gatewayClasses: [],
  gateways: [],
  listenerSets: [],
  httpRoutes: [],
  grpcRoutes: [],
  referenceGrants: [],
  ingresses: [],
  ingressClasses: [],
  services: [],
  endpointSlices: [],
  secrets: [],
  namespaces: [],
  http01Challenges: [],
  backendTlsPolicies: [],
  caCertificates: [],
});
