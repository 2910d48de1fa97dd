import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decodeMessageStrict } from '../envoy/decode.js';
import { BootstrapSchema } from '../generated/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { Cluster_DiscoveryType } from '../generated/envoy/config/cluster/v3/cluster_pb.js';
import { ApiConfigSource_ApiType, ApiVersion } from '../generated/envoy/config/core/v3/config_source_pb.js';
import { DiscoveryResponseSchema } from '../generated/envoy/service/discovery/v3/discovery_pb.js';
import { BootstrapResourceName, generateEnvoyBootstrap, READINESS_PATHS, renderEnvoyYaml } from './bootstrap.js';
import { ControllerTlsSecretName } from './controller-tls.js';
import type { BootstrapOptions, ControllerTls } from './options.js';

const SERVICE = 'portcullis-xds.portcullis-system.svc';
const options = (overrides: Partial<BootstrapOptions> = {}): BootstrapOptions => ({
  nodeId: 'envoy-0',
  controller: { host: SERVICE },
  ...overrides,
});
const STATIC_TLS: ControllerTls = {
  mode: 'static-files',
  certificateDirectory: '/etc/envoy/xds-tls',
  serverName: SERVICE,
};
const SDS_TLS: ControllerTls = { ...STATIC_TLS, mode: 'sds-files', sdsDirectory: '/etc/envoy/sds' };

/** Every variant goes through YAML and the strict decoder again, as Envoy would read the rendered file. */
function reread(json: JsonObject) {
  return decodeMessageStrict(BootstrapSchema, parse(renderEnvoyYaml(json)) as JsonValue);
}

const xdsClusterOf = (json: JsonObject) =>
  reread(json).staticResources?.clusters.find((c) => c.name === BootstrapResourceName.XdsCluster);

describe('generateEnvoyBootstrap', () => {
  const variants: Record<string, BootstrapOptions> = {
    'plaintext to a Service name': options(),
    'plaintext to an IP literal, no readiness listener': options({
      controller: { host: '10.96.0.10', port: 18001 },
      readiness: false,
    }),
    'TLS from static files': options({ controller: { host: SERVICE, tls: STATIC_TLS } }),
    'TLS from file-based SDS': options({ controller: { host: SERVICE, tls: SDS_TLS } }),
    'IPv6 admin and readiness': options({
      admin: { address: '::1', port: 9901 },
      readiness: { address: '::', port: 9902 },
    }),
  };
  it.each(Object.entries(variants))('decodes strictly with the real Bootstrap proto: %s', (_name, input) => {
    const { bootstrap, json } = generateEnvoyBootstrap(input);
    expect(reread(json)).toEqual(bootstrap);
  });

  it('takes listeners and clusters from ADS over gRPC, v3', () => {
    const { dynamicResources } = generateEnvoyBootstrap(options()).bootstrap;
    for (const source of [dynamicResources?.ldsConfig, dynamicResources?.cdsConfig]) {
      expect(source?.configSourceSpecifier.case).toBe('ads');
      expect(source?.resourceApiVersion).toBe(ApiVersion.V3);
    }
    const ads = dynamicResources?.adsConfig;
    expect(ads?.apiType).toBe(ApiConfigSource_ApiType.GRPC);
    expect(ads?.transportApiVersion).toBe(ApiVersion.V3);
    expect(
      ads?.grpcServices.map((s) => s.targetSpecifier.case === 'envoyGrpc' && s.targetSpecifier.value.clusterName),
    ).toEqual([BootstrapResourceName.XdsCluster]);
  });

  // No discovery type set means STATIC (the proto default, which canonical JSON omits).
  const STATIC = { case: undefined };
  const addressCases: Record<
    string,
    { host: string; type: { case: 'type'; value: Cluster_DiscoveryType } | typeof STATIC }
  > = {
    're-resolves a DNS name': { host: SERVICE, type: { case: 'type', value: Cluster_DiscoveryType.STRICT_DNS } },
    'uses an IP literal as is': { host: '10.96.0.10', type: STATIC },
    'uses an IPv6 literal as is': { host: 'fd00::10', type: STATIC },
  };
  it.each(Object.entries(addressCases))('the xDS cluster %s', (_name, { host, type }) => {
    const cluster = xdsClusterOf(generateEnvoyBootstrap(options({ controller: { host } })).json);
    expect(cluster?.clusterDiscoveryType).toEqual(type);
    const endpoint = cluster?.loadAssignment?.endpoints[0]?.lbEndpoints[0]?.hostIdentifier;
    expect(endpoint?.case === 'endpoint' && endpoint.value.address?.address).toMatchObject({
      case: 'socketAddress',
      value: { address: host, portSpecifier: { case: 'portValue', value: 18000 } },
    });
  });

  it('speaks HTTP/2 with keepalive to the controller', () => {
    const { json } = generateEnvoyBootstrap(options());
    const cluster = (json.static_resources as { clusters: JsonObject[] }).clusters[0];
    expect(cluster?.typed_extension_protocol_options).toEqual({
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        explicit_http_config: { http2_protocol_options: { connection_keepalive: { interval: '30s', timeout: '5s' } } },
      },
    });
  });

  it('binds the admin API to loopback only', () => {
    const { bootstrap } = generateEnvoyBootstrap(options());
    expect(bootstrap.admin?.address?.address).toMatchObject({
      case: 'socketAddress',
      value: { address: '127.0.0.1', portSpecifier: { case: 'portValue', value: 19000 } },
    });
  });

  it('exposes only the ready and metrics paths of the admin API on the readiness listener', () => {
    const { json } = generateEnvoyBootstrap(options());
    const listener = (json.static_resources as { listeners: JsonObject[] }).listeners[0];
    const hcm = (listener as { filter_chains: { filters: { typed_config: JsonObject }[] }[] }).filter_chains[0]
      ?.filters[0]?.typed_config as { route_config: { virtual_hosts: { routes: JsonObject[] }[] } };
    expect(hcm.route_config.virtual_hosts[0]?.routes).toEqual(
      READINESS_PATHS.map((path) => ({ match: { path }, route: { cluster: BootstrapResourceName.AdminCluster } })),
    );
  });

  const tlsCases: Record<string, { tls: ControllerTls; files: string[]; text: RegExp[] }> = {
    'static files name the mounted certificate, key and CA': {
      tls: STATIC_TLS,
      files: [],
      text: [/filename: \/etc\/envoy\/xds-tls\/tls\.crt/, /filename: \/etc\/envoy\/xds-tls\/tls\.key/, /ca\.crt/],
    },
    'file-based SDS names both SDS files and watches their directory': {
      tls: SDS_TLS,
      files: [`${ControllerTlsSecretName.ClientCertificate}.json`, `${ControllerTlsSecretName.TrustedCa}.json`],
      text: [
        /path: \/etc\/envoy\/sds\/portcullis-xds-client-certificate\.json/,
        /watched_directory:\n\s+path: \/etc\/envoy\/sds/,
      ],
    },
  };
  it.each(Object.entries(tlsCases))('TLS to the controller: %s', (_name, { tls, files, text }) => {
    const generated = generateEnvoyBootstrap(options({ controller: { host: SERVICE, tls } }));
    const yaml = renderEnvoyYaml(generated.json);
    for (const pattern of text) expect(yaml).toMatch(pattern);
    // The controller's name is checked, and h2 is offered (gRPC servers require it).
    expect(yaml).toMatch(/san_type: DNS\n\s+matcher:\n\s+exact: portcullis-xds\.portcullis-system\.svc/);
    expect(yaml).toMatch(/alpn_protocols:\n\s+- h2/);
    expect(yaml).toMatch(/sni: portcullis-xds\.portcullis-system\.svc/);
    expect(Object.keys(generated.sdsFiles)).toEqual(files);
  });

  it('writes SDS files that each decode as a one-Secret DiscoveryResponse naming files only', () => {
    const { sdsFiles } = generateEnvoyBootstrap(options({ controller: { host: SERVICE, tls: SDS_TLS } }));
    for (const [file, json] of Object.entries(sdsFiles)) {
      const response = decodeMessageStrict(DiscoveryResponseSchema, parse(renderEnvoyYaml(json)) as JsonValue);
      expect(response.resources).toHaveLength(1);
      expect(file).toBe(`${(json.resources as { name: string }[])[0]?.name}.json`);
      expect(renderEnvoyYaml(json)).toMatch(/watched_directory:\n\s+path: \/etc\/envoy\/xds-tls/);
      expect(renderEnvoyYaml(json)).not.toMatch(/inline_(string|bytes)|BEGIN/);
    }
  });

  const invalid: Record<string, { input: BootstrapOptions; field: string }> = {
    'an empty node id': { input: options({ nodeId: '' }), field: 'bootstrap.nodeId' },
    'a node cluster with spaces': { input: options({ nodeCluster: 'a b' }), field: 'bootstrap.nodeCluster' },
    'a host that is no DNS name': {
      input: options({ controller: { host: 'Not_A_Host' } }),
      field: 'bootstrap.controller.host',
    },
    'port 0': { input: options({ controller: { host: SERVICE, port: 0 } }), field: 'bootstrap.controller.port' },
    'an admin API off loopback': {
      input: options({ admin: { address: '0.0.0.0' as '127.0.0.1' } }),
      field: 'bootstrap.admin.address',
    },
    'readiness on the admin port': {
      input: options({ readiness: { port: 19000 } }),
      field: 'bootstrap.readiness.port',
    },
    'a relative certificate directory': {
      input: options({ controller: { host: SERVICE, tls: { ...STATIC_TLS, certificateDirectory: 'certs' } } }),
      field: 'bootstrap.controller.tls.certificateDirectory',
    },
    'SDS files mounted over the certificates': {
      input: options({ controller: { host: SERVICE, tls: { ...SDS_TLS, sdsDirectory: '/etc/envoy/xds-tls/' } } }),
      field: 'bootstrap.controller.tls.sdsDirectory',
    },
    'a server name that is no DNS name': {
      input: options({ controller: { host: SERVICE, tls: { ...STATIC_TLS, serverName: '*' } } }),
      field: 'bootstrap.controller.tls.serverName',
    },
    'a zero connection limit': {
      input: options({ maxDownstreamConnections: 0 }),
      field: 'bootstrap.maxDownstreamConnections',
    },
  };
  it.each(Object.entries(invalid))('refuses %s, naming the field', (_name, { input, field }) => {
    let error: unknown;
    try {
      generateEnvoyBootstrap(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });
});
