/** Small pieces every builder uses: the ADS config source, typed `Any` configs, addresses, durations. */
import type { DescMessage, MessageInitShape } from '@bufbuild/protobuf';
import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { anyPack } from '@bufbuild/protobuf/wkt';
import type { Address } from '../generated/envoy/config/core/v3/address_pb.js';
import { AddressSchema } from '../generated/envoy/config/core/v3/address_pb.js';
import type { ConfigSource } from '../generated/envoy/config/core/v3/config_source_pb.js';
import {
  AggregatedConfigSourceSchema,
  ApiVersion,
  ConfigSourceSchema,
} from '../generated/envoy/config/core/v3/config_source_pb.js';

/**
 * Everything (RDS, EDS, SDS) comes over the one ADS stream the bootstrap opens, in the v3 API: `ads: {}` with
 * `resource_api_version: V3`. One shared instance is safe: builders never mutate it and protobuf-es encodes it
 * the same wherever it appears.
 */
export const ADS_CONFIG_SOURCE: ConfigSource = create(ConfigSourceSchema, {
  configSourceSpecifier: { case: 'ads', value: create(AggregatedConfigSourceSchema) },
  resourceApiVersion: ApiVersion.V3,
});

/** Packs an extension config into `typed_config`; the type URL comes from the schema. */
export function typedConfig<Desc extends DescMessage>(schema: Desc, init?: MessageInitShape<Desc>): Any {
  return anyPack(schema, create(schema, init));
}

export function socketAddress(address: string, port: number): Address {
  return create(AddressSchema, {
    address: { case: 'socketAddress', value: { address, portSpecifier: { case: 'portValue', value: port } } },
  });
}

/** Envoy's registered extension names for the filters and transport socket we configure. */
export const ExtensionName = {
  /** Listener filter that reads the PROXY protocol (v1/v2) header a load balancer puts before the connection's bytes. */
  ProxyProtocol: 'envoy.filters.listener.proxy_protocol',
  /** Listener filter that reads SNI and ALPN from the ClientHello. */
  TlsInspector: 'envoy.filters.listener.tls_inspector',
  /** Network filter: HTTP/1.1 and HTTP/2 connection manager. */
  HttpConnectionManager: 'envoy.filters.network.http_connection_manager',
  /** Terminal HTTP filter that forwards to the route's cluster. */
  Router: 'envoy.filters.http.router',
  /** Transport socket for TLS (downstream on listeners, upstream on clusters). */
  TlsTransportSocket: 'envoy.transport_sockets.tls',
  /** Key of Cluster.typed_extension_protocol_options for upstream HTTP settings. */
  UpstreamHttpProtocolOptions: 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
} as const;
