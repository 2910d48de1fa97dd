/**
 * Listener builders. HTTP: one filter chain with the HTTP connection manager. HTTPS: the TLS inspector reads the
 * SNI, one filter chain per certificate set selects on `server_names`, and each chain's DownstreamTlsContext names
 * its certificates by SDS secret name only (`namespace/name`). A rotation therefore changes a Secret resource and
 * never a Listener: Envoy swaps the certificate without draining the listener or its connections.
 */
import { create } from '@bufbuild/protobuf';
import { TransportSocketSchema } from '../generated/envoy/config/core/v3/base_pb.js';
import type { Filter, FilterChain } from '../generated/envoy/config/listener/v3/listener_components_pb.js';
import {
  FilterChainMatchSchema,
  FilterChainSchema,
  FilterSchema,
  ListenerFilterSchema,
} from '../generated/envoy/config/listener/v3/listener_components_pb.js';
import type { Listener } from '../generated/envoy/config/listener/v3/listener_pb.js';
import { ListenerSchema } from '../generated/envoy/config/listener/v3/listener_pb.js';
import { RouterSchema } from '../generated/envoy/extensions/filters/http/router/v3/router_pb.js';
import { ProxyProtocolSchema } from '../generated/envoy/extensions/filters/listener/proxy_protocol/v3/proxy_protocol_pb.js';
import { TlsInspectorSchema } from '../generated/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.js';
import type { HttpConnectionManager } from '../generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import {
  HttpConnectionManager_CodecType,
  HttpConnectionManager_PathWithEscapedSlashesAction,
  HttpConnectionManagerSchema,
} from '../generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import {
  CommonTlsContextSchema,
  DownstreamTlsContextSchema,
} from '../generated/envoy/extensions/transport_sockets/tls/v3/tls_pb.js';
import type { ModelFilterChain, ModelListener } from '../model/types.js';
import { ADS_CONFIG_SOURCE, ExtensionName, socketAddress, typedConfig } from './common.js';
import { EnvoyUnrepresentableError } from './errors.js';

/** Offered by TLS listeners; the connection manager (codec AUTO) then speaks whatever the client picked. */
const ALPN_PROTOCOLS = ['h2', 'http/1.1'];

/**
 * The HTTP connection manager every listener uses: routes over RDS (on ADS) and the router filter. Exported for
 * `api_listener` Listeners (gRPC xDS clients), which take the same HCM.
 * - `strip_any_host_port`: virtual host domains are hostnames without ports (the model's contract), so
 *   `Host: a.example.com:8443` must still match `a.example.com`.
 * - `use_remote_address`, `normalize_path`, `merge_slashes`, escaped-slash redirect: Envoy's recommended settings for
 *   an edge proxy, so path matches cannot be bypassed with `//` or `%2F` and X-Forwarded-For is trustworthy.
 * - No connection-level upgrade config: WebSocket is enabled per route (RouteAction.upgrade_configs), which Envoy
 *   honours even when the connection manager lists no upgrade.
 */
export function buildHttpConnectionManager(statPrefix: string, routeConfigName: string): HttpConnectionManager {
  return create(HttpConnectionManagerSchema, {
    codecType: HttpConnectionManager_CodecType.AUTO,
    statPrefix,
    routeSpecifier: { case: 'rds', value: { configSource: ADS_CONFIG_SOURCE, routeConfigName } },
    httpFilters: [
      { name: ExtensionName.Router, configType: { case: 'typedConfig', value: typedConfig(RouterSchema) } },
    ],
    useRemoteAddress: true,
    normalizePath: true,
    mergeSlashes: true,
    pathWithEscapedSlashesAction: HttpConnectionManager_PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT,
    stripPortMode: { case: 'stripAnyHostPort', value: true },
  });
}

function httpConnectionManagerFilter(listener: ModelListener): Filter {
  const hcm = buildHttpConnectionManager(listener.name, listener.routeConfigName);
  return create(FilterSchema, {
    name: ExtensionName.HttpConnectionManager,
    configType: { case: 'typedConfig', value: typedConfig(HttpConnectionManagerSchema, hcm) },
  });
}

function tlsFilterChain(chain: ModelFilterChain, httpFilter: Filter): FilterChain {
  if (chain.secretNames.length === 0) {
    throw new EnvoyUnrepresentableError(
      `filter chain ${chain.name}`,
      'secretNames',
      'a TLS filter chain needs a secret',
    );
  }
  const tlsContext = create(DownstreamTlsContextSchema, {
    commonTlsContext: create(CommonTlsContextSchema, {
      tlsCertificateSdsSecretConfigs: chain.secretNames.map((name) => ({ name, sdsConfig: ADS_CONFIG_SOURCE })),
      alpnProtocols: ALPN_PROTOCOLS,
    }),
  });
  return create(FilterChainSchema, {
    name: chain.name,
    // No server names: the chain Envoy picks when no other chain's names match the SNI (or there is no SNI).
    ...(chain.serverNames.length > 0 && {
      filterChainMatch: create(FilterChainMatchSchema, { serverNames: [...chain.serverNames] }),
    }),
    filters: [httpFilter],
    transportSocket: create(TransportSocketSchema, {
      name: ExtensionName.TlsTransportSocket,
      configType: { case: 'typedConfig', value: typedConfig(DownstreamTlsContextSchema, tlsContext) },
    }),
  });
}

/**
 * The PROXY protocol listener filter, first on every listener when the load balancer sends the header: it must
 * consume the header before the TLS inspector reads the ClientHello, and it makes the client's address the
 * connection's remote address (so `use_remote_address` writes the real client into X-Forwarded-For). Default
 * settings: a connection without the header is closed, so a client cannot bypass the load balancer's address.
 */
const PROXY_PROTOCOL_FILTER = create(ListenerFilterSchema, {
  name: ExtensionName.ProxyProtocol,
  configType: { case: 'typedConfig', value: typedConfig(ProxyProtocolSchema) },
});

export function buildListener(listener: ModelListener): Listener {
  const base = {
    name: listener.name,
    address: socketAddress(listener.address, listener.port),
    ...(listener.proxyProtocol === true && { listenerFilters: [PROXY_PROTOCOL_FILTER] }),
  };
  if (listener.protocol === 'HTTP') {
    return create(ListenerSchema, {
      ...base,
      filterChains: [create(FilterChainSchema, { filters: [httpConnectionManagerFilter(listener)] })],
    });
  }
  if (listener.filterChains.length === 0) {
    // Envoy rejects (NACKs) a listener without filter chains; an empty HTTPS listener is a model bug.
    throw new EnvoyUnrepresentableError(`listener ${listener.name}`, 'filterChains', 'an HTTPS listener needs a chain');
  }
  const httpFilter = httpConnectionManagerFilter(listener);
  return create(ListenerSchema, {
    ...base,
    listenerFilters: [
      ...(base.listenerFilters ?? []),
      create(ListenerFilterSchema, {
        name: ExtensionName.TlsInspector,
        configType: { case: 'typedConfig', value: typedConfig(TlsInspectorSchema) },
      }),
    ],
    // Every chain runs the same connection manager; one message shared by all chains encodes the same and is built
    // once (thousands of SNI chains on one listener are the common case).
    filterChains: listener.filterChains.map((chain) => tlsFilterChain(chain, httpFilter)),
  });
}
