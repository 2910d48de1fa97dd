import type { JsonValue } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ListenerSchema } from '../generated/envoy/config/listener/v3/listener_pb.js';
import { messageToJson } from './codec.js';
import { buildListener } from './listener.js';
import { given } from './model-fixtures.js';
import { validatePgv } from './pgv.js';

const ADS = { ads: {}, resource_api_version: 'V3' };
const hcm = (name: string) => ({
  name: 'envoy.filters.network.http_connection_manager',
  typed_config: {
    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    stat_prefix: name,
    rds: { config_source: ADS, route_config_name: name },
    http_filters: [
      {
        name: 'envoy.filters.http.router',
        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
      },
    ],
    use_remote_address: true,
    normalize_path: true,
    merge_slashes: true,
    strip_any_host_port: true,
    path_with_escaped_slashes_action: 'UNESCAPE_AND_REDIRECT',
  },
});
const tls = (secretNames: string[]) => ({
  name: 'envoy.transport_sockets.tls',
  typed_config: {
    '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
    common_tls_context: {
      alpn_protocols: ['h2', 'http/1.1'],
      tls_certificate_sds_secret_configs: secretNames.map((name) => ({ name, sds_config: ADS })),
    },
  },
});

const PROXY_PROTOCOL = {
  name: 'envoy.filters.listener.proxy_protocol',
  typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol' },
};
const TLS_INSPECTOR = {
  name: 'envoy.filters.listener.tls_inspector',
  typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector' },
};

const cases: Record<string, { listener: ReturnType<typeof given.httpListener>; want: JsonValue }> = {
  'reads the PROXY header on a plain HTTP listener behind a proxy-protocol load balancer': {
    listener: { ...given.httpListener(80), proxyProtocol: true },
    want: {
      '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener',
      name: 'http-80',
      address: { socket_address: { address: '0.0.0.0', port_value: 80 } },
      filter_chains: [{ filters: [hcm('http-80')] }],
      listener_filters: [PROXY_PROTOCOL],
    },
  },
  'reads the PROXY header before the TLS inspector on an HTTPS listener': {
    listener: { ...given.httpsListener(443, [{ serverNames: [], secretNames: ['default/tls'] }]), proxyProtocol: true },
    want: {
      '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener',
      name: 'https-443',
      address: { socket_address: { address: '0.0.0.0', port_value: 443 } },
      filter_chains: [{ name: 'https-443/*', filters: [hcm('https-443')], transport_socket: tls(['default/tls']) }],
      listener_filters: [PROXY_PROTOCOL, TLS_INSPECTOR],
    },
  },
  'serves plain HTTP through one connection manager with routes over RDS': {
    listener: given.httpListener(8080),
    want: {
      '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener',
      name: 'http-8080',
      address: { socket_address: { address: '0.0.0.0', port_value: 8080 } },
      filter_chains: [{ filters: [hcm('http-8080')] }],
    },
  },
  'selects HTTPS certificates by SNI, naming SDS secrets only, with a default chain': {
    listener: given.httpsListener(443, [
      { serverNames: ['a.example.com', 'b.example.com'], secretNames: ['default/ab'] },
      { serverNames: ['*.example.org'], secretNames: ['other/wild-ecdsa', 'other/wild-rsa'] },
      { serverNames: [], secretNames: ['default/fallback'] },
    ]),
    want: {
      '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener',
      name: 'https-443',
      address: { socket_address: { address: '0.0.0.0', port_value: 443 } },
      filter_chains: [
        {
          name: 'https-443/a.example.com',
          filter_chain_match: { server_names: ['a.example.com', 'b.example.com'] },
          filters: [hcm('https-443')],
          transport_socket: tls(['default/ab']),
        },
        {
          name: 'https-443/*.example.org',
          filter_chain_match: { server_names: ['*.example.org'] },
          filters: [hcm('https-443')],
          transport_socket: tls(['other/wild-ecdsa', 'other/wild-rsa']),
        },
        { name: 'https-443/*', filters: [hcm('https-443')], transport_socket: tls(['default/fallback']) },
      ],
      listener_filters: [TLS_INSPECTOR],
    },
  },
};

describe('buildListener', () => {
  it.each(Object.entries(cases))('%s', (_name, { listener, want }) => {
    const built = buildListener(listener);
    expect(validatePgv(ListenerSchema, built)).toEqual([]);
    expect(messageToJson(ListenerSchema, built)).toEqual(want);
  });

  it('refuses an HTTPS listener without filter chains', () => {
    expect(() => buildListener(given.httpsListener(443, []))).toThrow(/listener https-443: filterChains/);
  });

  it('refuses a TLS chain without a secret', () => {
    const listener = given.httpsListener(443, [{ serverNames: ['a'], secretNames: [] }]);
    expect(() => buildListener(listener)).toThrow(/filter chain https-443\/a: secretNames/);
  });
});
