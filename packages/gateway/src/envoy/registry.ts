/**
 * The Envoy resource types we serve, their type URLs, and the type registry that JSON encoding and strict decoding
 * use (it resolves `google.protobuf.Any` payloads such as `typed_config`, so they encode with `@type` and an unknown
 * `@type` fails to decode).
 */
import type { DescFile, DescMessage, Registry } from '@bufbuild/protobuf';
import { createRegistry } from '@bufbuild/protobuf';
import { file_envoy_config_bootstrap_v3_bootstrap } from '../generated/envoy/config/bootstrap/v3/bootstrap_pb.js';
import {
  ClusterSchema,
  file_envoy_config_cluster_v3_cluster,
} from '../generated/envoy/config/cluster/v3/cluster_pb.js';
import {
  ClusterLoadAssignmentSchema,
  file_envoy_config_endpoint_v3_endpoint,
} from '../generated/envoy/config/endpoint/v3/endpoint_pb.js';
import {
  file_envoy_config_listener_v3_listener,
  ListenerSchema,
} from '../generated/envoy/config/listener/v3/listener_pb.js';
import {
  file_envoy_config_route_v3_route,
  RouteConfigurationSchema,
} from '../generated/envoy/config/route/v3/route_pb.js';
import { file_envoy_extensions_filters_http_router_v3_router } from '../generated/envoy/extensions/filters/http/router/v3/router_pb.js';
import { file_envoy_extensions_filters_listener_proxy_protocol_v3_proxy_protocol } from '../generated/envoy/extensions/filters/listener/proxy_protocol/v3/proxy_protocol_pb.js';
import { file_envoy_extensions_filters_listener_tls_inspector_v3_tls_inspector } from '../generated/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.js';
import { file_envoy_extensions_filters_network_http_connection_manager_v3_http_connection_manager } from '../generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import {
  file_envoy_extensions_transport_sockets_tls_v3_secret,
  SecretSchema,
} from '../generated/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { file_envoy_extensions_transport_sockets_tls_v3_tls } from '../generated/envoy/extensions/transport_sockets/tls/v3/tls_pb.js';
import { file_envoy_extensions_upstreams_http_v3_http_protocol_options } from '../generated/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.js';
import { file_envoy_service_discovery_v3_ads } from '../generated/envoy/service/discovery/v3/ads_pb.js';
import { file_envoy_service_secret_v3_sds } from '../generated/envoy/service/secret/v3/sds_pb.js';

const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** xDS type URLs of the resources the controller serves, one per resource kind. */
export const TypeUrl = {
  /** LDS: `envoy.config.listener.v3.Listener`. */
  Listener: `${TYPE_URL_PREFIX}envoy.config.listener.v3.Listener`,
  /** RDS: `envoy.config.route.v3.RouteConfiguration`. */
  RouteConfiguration: `${TYPE_URL_PREFIX}envoy.config.route.v3.RouteConfiguration`,
  /** CDS: `envoy.config.cluster.v3.Cluster`. */
  Cluster: `${TYPE_URL_PREFIX}envoy.config.cluster.v3.Cluster`,
  /** EDS: `envoy.config.endpoint.v3.ClusterLoadAssignment`. */
  ClusterLoadAssignment: `${TYPE_URL_PREFIX}envoy.config.endpoint.v3.ClusterLoadAssignment`,
  /** SDS: `envoy.extensions.transport_sockets.tls.v3.Secret`. */
  Secret: `${TYPE_URL_PREFIX}envoy.extensions.transport_sockets.tls.v3.Secret`,
} as const;
export type TypeUrl = (typeof TypeUrl)[keyof typeof TypeUrl];

/** The schema of each served resource type. */
export const resourceSchemas = {
  [TypeUrl.Listener]: ListenerSchema,
  [TypeUrl.RouteConfiguration]: RouteConfigurationSchema,
  [TypeUrl.Cluster]: ClusterSchema,
  [TypeUrl.ClusterLoadAssignment]: ClusterLoadAssignmentSchema,
  [TypeUrl.Secret]: SecretSchema,
} as const;

/** Serving order for SotW (clusters and endpoints before listeners and routes, as xDS recommends). */
export const TYPE_URLS_IN_PUSH_ORDER: readonly TypeUrl[] = [
  TypeUrl.Cluster,
  TypeUrl.ClusterLoadAssignment,
  TypeUrl.Listener,
  TypeUrl.RouteConfiguration,
  TypeUrl.Secret,
];

/** Files whose messages (and every file they import) the registry holds. */
const ROOT_FILES: readonly DescFile[] = [
  file_envoy_config_listener_v3_listener,
  file_envoy_config_route_v3_route,
  file_envoy_config_cluster_v3_cluster,
  file_envoy_config_endpoint_v3_endpoint,
  file_envoy_extensions_transport_sockets_tls_v3_secret,
  file_envoy_extensions_transport_sockets_tls_v3_tls,
  file_envoy_extensions_filters_network_http_connection_manager_v3_http_connection_manager,
  file_envoy_extensions_filters_listener_tls_inspector_v3_tls_inspector,
  file_envoy_extensions_filters_listener_proxy_protocol_v3_proxy_protocol,
  file_envoy_extensions_filters_http_router_v3_router,
  file_envoy_extensions_upstreams_http_v3_http_protocol_options,
  file_envoy_config_bootstrap_v3_bootstrap,
  file_envoy_service_discovery_v3_ads,
  file_envoy_service_secret_v3_sds,
];

function collectFiles(roots: readonly DescFile[]): DescFile[] {
  const seen = new Map<string, DescFile>();
  const visit = (file: DescFile): void => {
    if (seen.has(file.name)) return;
    seen.set(file.name, file);
    for (const dependency of file.dependencies) visit(dependency);
  };
  for (const root of roots) visit(root);
  return [...seen.values()];
}

/** Every generated message type and the well-known types they use. */
export const envoyRegistry: Registry = createRegistry(...collectFiles(ROOT_FILES));

/** `type.googleapis.com/<full name>` or a bare full name → the message type, or undefined if it is not generated. */
export function findMessageType(typeUrlOrName: string): DescMessage | undefined {
  const name = typeUrlOrName.startsWith(TYPE_URL_PREFIX) ? typeUrlOrName.slice(TYPE_URL_PREFIX.length) : typeUrlOrName;
  return envoyRegistry.getMessage(name);
}

export function typeUrlOf(schema: DescMessage): string {
  return `${TYPE_URL_PREFIX}${schema.typeName}`;
}
