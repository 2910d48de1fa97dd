/**
 * Encoding of built resources: binary `Any`s for the xDS server (the only place a private key is written), and
 * proto JSON for goldens, debugging and the demo (private keys replaced by `[redacted]`).
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import type { DescMessage, JsonObject, JsonValue, MessageShape } from '@bufbuild/protobuf';
import { create, toBinary, toJson } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { AnySchema, anyPack } from '@bufbuild/protobuf/wkt';
import { DataSourceSchema } from '../generated/envoy/config/core/v3/base_pb.js';
import { type Secret, SecretSchema } from '../generated/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { envoyRegistry, resourceSchemas, TypeUrl } from './registry.js';
import type { EnvoyResources, EnvoyResourcesJson, EnvoySecret, JsonResource } from './types.js';

/** Printed instead of a private key; the same marker `Redacted` prints. */
export const REDACTED_MARKER = '[redacted]';

/** Proto JSON as Envoy's own docs and config dumps write it: snake_case field names. */
const JSON_OPTIONS = { registry: envoyRegistry, useProtoFieldName: true } as const;

/**
 * One resource ready for a DiscoveryResponse. `toJSON` and `util.inspect` show only the name, type, version and
 * size: a Secret's `resource` holds its private key.
 */
export class EncodedResource {
  constructor(
    readonly typeUrl: TypeUrl,
    readonly name: string,
    /** `google.protobuf.Any` with the binary resource; for Secrets it contains the private key. */
    readonly resource: Any,
    /**
     * sha256 of the bytes (first 32 hex chars): equal bytes, equal version; the per-resource version for the
     * snapshot cache. For a Secret the digest covers the key too, which a one-way hash does not reveal.
     */
    readonly version: string,
  ) {}

  get size(): number {
    return this.resource.value.byteLength;
  }

  toJSON(): { typeUrl: TypeUrl; name: string; version: string; size: number } {
    return { typeUrl: this.typeUrl, name: this.name, version: this.version, size: this.size };
  }

  [inspect.custom](): string {
    return `EncodedResource(${this.typeUrl} ${this.name} ${this.version} ${this.size}B)`;
  }
}

/** Resources of each type, in name order. */
export type EncodedResources = Readonly<Record<TypeUrl, readonly EncodedResource[]>>;

function encode<Desc extends DescMessage>(typeUrl: TypeUrl, schema: Desc, name: string, message: MessageShape<Desc>) {
  const value = toBinary(schema, message);
  const version = createHash('sha256').update(value).digest('hex').slice(0, 32);
  return new EncodedResource(typeUrl, name, create(AnySchema, { typeUrl, value }), version);
}

/**
 * The Secret with its private key in place: built here, encoded, and dropped. A shallow copy (Envoy's protos are
 * proto3, so every field is an own property): the shared `secret.secret` message is never modified.
 */
function withPrivateKey(secret: EnvoySecret, keyValue: string): Secret {
  const { type } = secret.secret;
  if (type.case !== 'tlsCertificate') return secret.secret;
  const privateKey = create(DataSourceSchema, { specifier: { case: 'inlineString', value: keyValue } });
  return { ...secret.secret, type: { case: 'tlsCertificate', value: { ...type.value, privateKey } } };
}

export function encodeSecret(secret: EnvoySecret): EncodedResource {
  const message = secret.privateKey === undefined ? secret.secret : withPrivateKey(secret, secret.privateKey.reveal());
  return encode(TypeUrl.Secret, SecretSchema, secret.name, message);
}

/** Encodes every resource to binary. Deterministic: the same resources give the same bytes and versions. */
export function encodeResources(resources: EnvoyResources): EncodedResources {
  const { Listener, RouteConfiguration, Cluster, ClusterLoadAssignment } = TypeUrl;
  return {
    [Listener]: resources.listeners.map((r) => encode(Listener, resourceSchemas[Listener], r.name, r)),
    [RouteConfiguration]: resources.routes.map((r) =>
      encode(RouteConfiguration, resourceSchemas[RouteConfiguration], r.name, r),
    ),
    [Cluster]: resources.clusters.map((r) => encode(Cluster, resourceSchemas[Cluster], r.name, r)),
    [ClusterLoadAssignment]: resources.endpoints.map((r) =>
      encode(ClusterLoadAssignment, resourceSchemas[ClusterLoadAssignment], r.clusterName, r),
    ),
    [TypeUrl.Secret]: resources.secrets.map(encodeSecret),
  };
}

/** A message as proto JSON with `@type`, the way it appears inside an Any; `@type` first for readability. */
export function messageToJson<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): JsonResource {
  return typeFirst(toJson(AnySchema, anyPack(schema, message), JSON_OPTIONS)) as JsonObject as JsonResource;
}

/** Moves `@type` to the front of every object (JSON key order carries no meaning; readers expect it first). */
function typeFirst(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(typeFirst);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  if ('@type' in value) out['@type'] = value['@type'] ?? null;
  for (const [key, child] of Object.entries(value)) if (key !== '@type') out[key] = typeFirst(child);
  return out;
}

/** A Secret as JSON: the private key is present as `[redacted]`, so the output still decodes as a full Secret. */
export function secretToJson(secret: EnvoySecret): JsonResource {
  const message = secret.privateKey === undefined ? secret.secret : withPrivateKey(secret, REDACTED_MARKER);
  return messageToJson(SecretSchema, message);
}

/** Every resource as proto JSON; never contains key material. */
export function resourcesToJson(resources: EnvoyResources): EnvoyResourcesJson {
  return {
    listeners: resources.listeners.map((r) => messageToJson(resourceSchemas[TypeUrl.Listener], r)),
    routes: resources.routes.map((r) => messageToJson(resourceSchemas[TypeUrl.RouteConfiguration], r)),
    clusters: resources.clusters.map((r) => messageToJson(resourceSchemas[TypeUrl.Cluster], r)),
    endpoints: resources.endpoints.map((r) => messageToJson(resourceSchemas[TypeUrl.ClusterLoadAssignment], r)),
    secrets: resources.secrets.map(secretToJson),
  };
}
