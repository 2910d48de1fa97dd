/** The shapes shared by the snapshot cache, the ADS server and their users (controller, status, tests). */
import type { ServerCredentials } from '@grpc/grpc-js';
import type { EncodedResource, EncodedResources } from '../envoy/codec.js';
import type { TypeUrl } from '../envoy/registry.js';
import type { XdsMetrics } from './metrics.js';
import type { SnapshotCache } from './snapshot-cache.js';

/** `setSnapshot` key that serves every node without a snapshot of its own. */
export const ALL_NODES = '*';
export type NodeKey = string;

/** One node's resources of every type, with a version per type (a digest of the resources' names and versions). */
export interface XdsSnapshot {
  readonly resources: EncodedResources;
  /** Per type: equal resources, equal version; a type whose resources did not change keeps its version. */
  readonly versions: Readonly<Record<TypeUrl, string>>;
  /** `performance.now()` when the snapshot was set: the start of the push latency measured by the server. */
  readonly setAt: number;
}

/** What `setSnapshot` changed: the types whose version differs from the previous snapshot of that key. */
export interface SnapshotChange {
  readonly nodeId: NodeKey;
  readonly changedTypes: readonly TypeUrl[];
}

/** The resources of one type that a node last accepted (ACKed), by name. */
export interface AcceptedState {
  readonly version: string;
  readonly resources: ReadonlyMap<string, EncodedResource>;
}

/**
 * Envoy (or another xDS client) rejected a response. `resourceNames` are the resources suspected of the rejection:
 * those that the rejected response changed compared with the last accepted one, narrowed to the ones
 * `errorDetail` names when it names any (xDS does not say which resource failed).
 */
export interface NackEvent {
  readonly nodeId: string;
  readonly typeUrl: TypeUrl;
  readonly resourceNames: readonly string[];
  /** `error_detail.message` as the client sent it (Envoy's own words; not stable across Envoy versions). */
  readonly errorDetail: string;
  /** The rejected version. */
  readonly version: string;
  /** The version the client still runs; empty if it never accepted one of this type. */
  readonly lastGoodVersion: string;
}

/**
 * A client accepted a response. `clearedResourceNames` are earlier rejections that no longer hold: the resource
 * was accepted at a newer version than the rejected one, or it left the snapshot.
 */
export interface AckEvent {
  readonly nodeId: string;
  readonly typeUrl: TypeUrl;
  readonly version: string;
  readonly clearedResourceNames: readonly string[];
}

/** An outstanding rejection: this node rejected this version of this resource and still runs the last good one. */
export interface Rejection {
  readonly nodeId: string;
  readonly typeUrl: TypeUrl;
  readonly resourceName: string;
  /** The rejected per-resource version (EncodedResource.version). */
  readonly resourceVersion: string;
  readonly errorDetail: string;
}

/** What a subscription asks for: every resource of the type, or these names. */
export type Subscription =
  | { readonly wildcard: true }
  | { readonly wildcard: false; readonly names: ReadonlySet<string> };

/** A response the server may send: the resources of one type a subscription resolves to, and their version. */
export interface ResolvedResponse {
  readonly typeUrl: TypeUrl;
  /** Digest of the names and versions sent; a stream whose client already holds it gets nothing. */
  readonly version: string;
  readonly resources: readonly EncodedResource[];
  /** True for a wildcard subscription: the resources are the whole type (SotW LDS/CDS), else the named part. */
  readonly complete: boolean;
  /** When the snapshot these resources come from was set (push latency). */
  readonly snapshotSetAt: number;
}

export interface XdsServerOptions {
  /** gRPC listen address; loopback in tests, `0.0.0.0` in a cluster. */
  readonly host: string;
  /** gRPC port; 0 picks a free one (see XdsServer.port). */
  readonly port: number;
  readonly cache: SnapshotCache;
  /**
   * Milliseconds a snapshot change waits before it is pushed, so that a burst of changes (an informer resync, a
   * rollout touching many EndpointSlices) becomes one push. Default 100; 0 pushes on the next tick.
   */
  readonly debounceMs?: number;
  /** Metrics, /healthz and /readyz over HTTP; omitted = no HTTP listener. Port 0 picks a free one. */
  readonly http?: { readonly host: string; readonly port: number };
  /** gRPC server credentials; default insecure (plaintext, for loopback and in-cluster mTLS-by-mesh setups). */
  readonly credentials?: ServerCredentials;
  /** Metrics to record into; default a fresh registry (so that several servers in one process do not clash). */
  readonly metrics?: XdsMetrics;
  /** Protocol events worth a log line (client errors, unknown types); default silent. */
  readonly log?: (event: XdsLogEvent) => void;
}

export interface XdsLogEvent {
  readonly level: 'info' | 'warn';
  readonly message: string;
  readonly nodeId?: string;
  readonly typeUrl?: string;
}

export interface XdsServer {
  /** The bound gRPC port. */
  readonly port: number;
  /** The bound HTTP port (metrics and health), when `http` was given. */
  readonly httpPort: number | undefined;
  readonly metrics: XdsMetrics;
  /** Node ids with at least one open stream, sorted. */
  connectedNodes(): string[];
  /** Stops accepting, cancels open streams, closes the HTTP listener. Idempotent. */
  close(): Promise<void>;
}
