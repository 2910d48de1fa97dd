/** What the builders produce: Envoy resources as protobuf-es messages, one array per xDS resource type. */
import type { Redacted } from '@portcullis/core';
import type { Cluster } from '../generated/envoy/config/cluster/v3/cluster_pb.js';
import type { ClusterLoadAssignment } from '../generated/envoy/config/endpoint/v3/endpoint_pb.js';
import type { Listener } from '../generated/envoy/config/listener/v3/listener_pb.js';
import type { RouteConfiguration } from '../generated/envoy/config/route/v3/route_pb.js';
import type { Secret } from '../generated/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';

/**
 * An SDS Secret whose private key is kept apart from the message: `secret.tls_certificate.private_key` is empty and
 * is filled from `privateKey` only inside `encodeResource`, on the way to the wire. So printing, JSON-encoding or
 * snapshotting this object (or `secret`) cannot reveal the key.
 */
export interface EnvoySecret {
  /** SDS resource name: `namespace/name` of the Kubernetes Secret, stable across rotations. */
  readonly name: string;
  /** The Secret with the certificate chain and without the private key. */
  readonly secret: Secret;
  /** The key of a `tls_certificate` Secret. Absent for public-only Secrets (a `validation_context` CA bundle). */
  readonly privateKey?: Redacted<string>;
}

/** Every array is sorted by resource name; names are unique per type. */
export interface EnvoyResources {
  readonly listeners: readonly Listener[];
  readonly routes: readonly RouteConfiguration[];
  readonly clusters: readonly Cluster[];
  /** One ClusterLoadAssignment per EDS cluster, named like the cluster. */
  readonly endpoints: readonly ClusterLoadAssignment[];
  readonly secrets: readonly EnvoySecret[];
}

/** The same resources as proto JSON (snake_case field names, `@type` on every resource, private keys redacted). */
export interface EnvoyResourcesJson {
  readonly listeners: readonly JsonResource[];
  readonly routes: readonly JsonResource[];
  readonly clusters: readonly JsonResource[];
  readonly endpoints: readonly JsonResource[];
  readonly secrets: readonly JsonResource[];
}

export type JsonResource = { readonly '@type': string } & Readonly<Record<string, unknown>>;
