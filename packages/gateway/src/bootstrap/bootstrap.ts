/**
 * The Envoy bootstrap: everything Envoy needs before it can talk to the controller. Listeners, routes, clusters,
 * endpoints and certificates then all arrive over one ADS stream (gRPC, State of the World, xDS v3).
 *
 * - `dynamic_resources`: LDS and CDS over ADS; the served Listeners/Clusters point RDS, EDS and SDS at ADS too.
 * - `static_resources`: the xDS cluster (HTTP/2 with keepalive, optional TLS, see controller-tls.ts), the admin
 *   cluster and the readiness listener, which exposes only `/ready` and `/stats/prometheus` of the admin API.
 * - `admin`: loopback only — the admin API can drain listeners and change log levels.
 * - `layered_runtime`: a downstream connection limit, the one overload protection that needs no extension.
 *
 * Written as proto JSON (Envoy's own format, readable in a ConfigMap) and then decoded with the real Bootstrap
 * proto by `decodeMessageStrict` (unknown fields, bad enums, non-canonical values and Envoy's validation rules all
 * fail), so a generator bug fails here and not in a crash-looping Envoy.
 */
import { isIP } from 'node:net';
import type { JsonObject } from '@bufbuild/protobuf';
import { stringify } from 'yaml';
import { decodeMessageStrict } from '../envoy/decode.js';
import { type Bootstrap, BootstrapSchema } from '../generated/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { DiscoveryResponseSchema } from '../generated/envoy/service/discovery/v3/discovery_pb.js';
import { controllerSdsFiles, controllerTransportSocket } from './controller-tls.js';
import { type BootstrapOptions, type ResolvedBootstrapOptions, resolveBootstrapOptions } from './options.js';

/** Names of the static resources (stable: they appear in Envoy stats and logs). */
export const BootstrapResourceName = {
  /** The cluster of the controller's xDS server. */
  XdsCluster: 'portcullis-xds',
  /** Loopback cluster of Envoy's own admin API, used only by the readiness listener. */
  AdminCluster: 'envoy-admin',
  /** Static listener for probes and metrics scraping. */
  ReadinessListener: 'envoy-readiness',
} as const;

/** Admin API paths the readiness listener forwards; every other path gets 404. */
export const READINESS_PATHS = ['/ready', '/stats/prometheus'] as const;

/**
 * gRPC keepalive on the xDS connection: a controller that vanished (node lost, NLB or conntrack idle timeout) is
 * noticed within interval + timeout, and Envoy reconnects instead of waiting on a dead stream for config.
 */
const XDS_KEEPALIVE = { interval: '30s', timeout: '5s' } as const;

const TYPE = 'type.googleapis.com/';
const ADS: JsonObject = { ads: {}, resource_api_version: 'V3' };

export interface EnvoyBootstrap {
  /** The bootstrap as decoded by the real proto. */
  readonly bootstrap: Bootstrap;
  /** The bootstrap as proto JSON (what `renderBootstrapYaml` writes). */
  readonly json: JsonObject;
  /** `sds-files` mode only: file name → file-based SDS resource (DiscoveryResponse JSON); else empty. */
  readonly sdsFiles: Readonly<Record<string, JsonObject>>;
}

function socketAddress(address: string, port: number): JsonObject {
  return { socket_address: { address, port_value: port } };
}

function loadAssignment(clusterName: string, address: string, port: number): JsonObject {
  return {
    cluster_name: clusterName,
    endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(address, port) } }] }],
  };
}

function xdsCluster({ controller }: ResolvedBootstrapOptions): JsonObject {
  const name = BootstrapResourceName.XdsCluster;
  return {
    name,
    // STATIC is the proto default, so canonical JSON leaves `type` out for an IP literal. A DNS name (the controller
    // Service) is re-resolved, so a new ClusterIP or a headless Service's pod IPs are picked up.
    ...(isIP(controller.host) === 0 && { type: 'STRICT_DNS' }),
    load_assignment: loadAssignment(name, controller.host, controller.port),
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': `${TYPE}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`,
        // gRPC needs HTTP/2 with prior knowledge (no ALPN on plaintext).
        explicit_http_config: { http2_protocol_options: { connection_keepalive: XDS_KEEPALIVE } },
      },
    },
    ...(controller.tls !== undefined && { transport_socket: controllerTransportSocket(controller.tls) }),
  };
}

function adminCluster({ admin }: ResolvedBootstrapOptions): JsonObject {
  const name = BootstrapResourceName.AdminCluster;
  return { name, load_assignment: loadAssignment(name, admin.address, admin.port) };
}

function readinessListener(readiness: { address: string; port: number }): JsonObject {
  const name = BootstrapResourceName.ReadinessListener;
  const routes = READINESS_PATHS.map((path) => ({
    match: { path },
    route: { cluster: BootstrapResourceName.AdminCluster },
  }));
  return {
    name,
    address: socketAddress(readiness.address, readiness.port),
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': `${TYPE}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`,
              stat_prefix: name,
              route_config: { name, virtual_hosts: [{ name, domains: ['*'], routes }] },
              http_filters: [
                {
                  name: 'envoy.filters.http.router',
                  typed_config: { '@type': `${TYPE}envoy.extensions.filters.http.router.v3.Router` },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

function bootstrapJson(options: ResolvedBootstrapOptions): JsonObject {
  return {
    node: { id: options.nodeId, cluster: options.nodeCluster },
    static_resources: {
      ...(options.readiness !== undefined && { listeners: [readinessListener(options.readiness)] }),
      clusters: [xdsCluster(options), ...(options.readiness !== undefined ? [adminCluster(options)] : [])],
    },
    dynamic_resources: {
      lds_config: ADS,
      cds_config: ADS,
      ads_config: {
        api_type: 'GRPC',
        transport_api_version: 'V3',
        grpc_services: [{ envoy_grpc: { cluster_name: BootstrapResourceName.XdsCluster } }],
      },
    },
    admin: { address: socketAddress(options.admin.address, options.admin.port) },
    layered_runtime: {
      layers: [
        {
          name: 'portcullis-static',
          static_layer: { 'overload.global_downstream_max_connections': options.maxDownstreamConnections },
        },
      ],
    },
  };
}

/** Builds, validates and strictly decodes the bootstrap (and, with `sds-files`, its SDS files). */
export function generateEnvoyBootstrap(input: BootstrapOptions): EnvoyBootstrap {
  const options = resolveBootstrapOptions(input);
  const json = bootstrapJson(options);
  const bootstrap = decodeMessageStrict(BootstrapSchema, json);
  const tls = options.controller.tls;
  const sdsFiles = tls?.mode === 'sds-files' ? controllerSdsFiles(tls) : {};
  for (const file of Object.values(sdsFiles)) decodeMessageStrict(DiscoveryResponseSchema, file);
  return { bootstrap, json, sdsFiles };
}

/** YAML of a bootstrap or SDS file, for `envoy -c` and ConfigMaps; stable key order (as built). */
export function renderEnvoyYaml(json: JsonObject): string {
  // No anchors or aliases for shared objects (the ADS config source): plain YAML reads the same in every parser.
  return stringify(json, { lineWidth: 0, aliasDuplicateObjects: false });
}
