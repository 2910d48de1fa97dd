/**
 * Status computed by `translate`, ready for a writer: one entry per object whose status this controller owns, with
 * the complete `status` stanza to write to the object's status subresource. The writer does not merge conditions:
 * route `parents[]` entries of other controllers are already carried over unchanged.
 */
import type {
  GatewayClassStatus,
  GatewayStatus,
  ListenerSetStatus,
  ParentReference,
  RouteGroupKind,
} from '../sources/gateway-api.js';

/** metav1.Condition as written: `lastTransitionTime` is RFC 3339 truncated to seconds. */
export interface StatusCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime: string;
}

interface StatusUpdateBase<Kind extends string, Status> {
  /** `Kind/namespace/name` (`Kind/name` for cluster-scoped kinds); entries are sorted by it. */
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: Kind;
  /** Absent for cluster-scoped kinds (GatewayClass). */
  readonly namespace?: string;
  readonly name: string;
  /** `metadata.generation` the status was computed from (`observedGeneration` of its conditions). */
  readonly generation?: number;
  /** `metadata.resourceVersion` of the object read, for optimistic concurrency if the writer wants it. */
  readonly resourceVersion?: string;
  /** False when `status` deep-equals the object's current status: the writer may skip it. */
  readonly changed: boolean;
  readonly status: Status;
}

export type GatewayClassStatusUpdate = StatusUpdateBase<'GatewayClass', ComputedGatewayClassStatus>;
export type GatewayStatusUpdate = StatusUpdateBase<'Gateway', ComputedGatewayStatus>;
export type ListenerSetStatusUpdate = StatusUpdateBase<'ListenerSet' | 'XListenerSet', ComputedListenerSetStatus>;
export type RouteStatusUpdate = StatusUpdateBase<'HTTPRoute' | 'GRPCRoute', ComputedRouteStatus>;
export type IngressStatusUpdate = StatusUpdateBase<'Ingress', ComputedIngressStatus>;
export type BackendTLSPolicyStatusUpdate = StatusUpdateBase<'BackendTLSPolicy', ComputedBackendTLSPolicyStatus>;

export type StatusUpdate =
  | GatewayClassStatusUpdate
  | GatewayStatusUpdate
  | ListenerSetStatusUpdate
  | RouteStatusUpdate
  | IngressStatusUpdate
  | BackendTLSPolicyStatusUpdate;

/** Sorted by `key`; at most one entry per object. */
export type StatusUpdates = readonly StatusUpdate[];

export interface ComputedGatewayClassStatus extends Omit<GatewayClassStatus, 'conditions'> {
  readonly conditions: readonly StatusCondition[];
}

export interface ComputedListenerStatus {
  readonly name: string;
  readonly supportedKinds: readonly RouteGroupKind[];
  readonly attachedRoutes: number;
  readonly conditions: readonly StatusCondition[];
}

export interface ComputedGatewayStatus extends Omit<GatewayStatus, 'conditions' | 'listeners'> {
  readonly conditions: readonly StatusCondition[];
  readonly listeners: readonly ComputedListenerStatus[];
}

export interface ComputedListenerSetStatus extends Omit<ListenerSetStatus, 'conditions' | 'listeners'> {
  readonly conditions: readonly StatusCondition[];
  readonly listeners: readonly (ComputedListenerStatus & { readonly port?: number })[];
}

export interface ComputedRouteParentStatus {
  readonly parentRef: ParentReference;
  readonly controllerName: string;
  readonly conditions: readonly StatusCondition[];
}

export interface ComputedRouteStatus {
  /** Ours (sorted by parentRef) followed by other controllers' entries, unchanged. */
  readonly parents: readonly ComputedRouteParentStatus[];
}

export interface ComputedIngressStatus {
  readonly loadBalancer: {
    readonly ingress: readonly { readonly ip?: string; readonly hostname?: string }[];
  };
}

export interface ComputedPolicyAncestorStatus {
  readonly ancestorRef: ParentReference;
  readonly controllerName: string;
  readonly conditions: readonly StatusCondition[];
}

export interface ComputedBackendTLSPolicyStatus {
  /** Ours (one per Gateway of ours that routes to a target, sorted) followed by other controllers' entries. */
  readonly ancestors: readonly ComputedPolicyAncestorStatus[];
}
