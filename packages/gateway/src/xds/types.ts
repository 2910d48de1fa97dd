/** The shapes shared by the snapshot cache, the ADS server and their users (controller, status, tests). */
import type { EncodedResource, EncodedResources } from '../envoy/codec.js';
import type { TypeUrl } from '../envoy/registry.js';

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
export type Subscription = { readonly wildcard: true } | { readonly wildcard: false; readonly names: ReadonlySet<string> };

/** A response the server may send: the resources of one type a subscription resolves to, and their version. */
export interface ResolvedResponse {
  readonly typeUrl: TypeUrl;
  /** Digest of the names and versions sent; a stream whose client already holds it gets nothing. */
  readonly version: string;
  readonly resources: readonly EncodedResource[];
  /** When the snapshot these resources come from was set (push latency). */
  readonly snapshotSetAt: number;
}
