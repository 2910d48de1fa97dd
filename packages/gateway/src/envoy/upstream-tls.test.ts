import type { JsonValue } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ClusterSchema } from '../generated/envoy/config/cluster/v3/cluster_pb.js';
import { SecretSchema } from '../generated/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import type { ModelCluster, ModelUpstreamTls } from '../model/types.js';
import { buildCluster } from './cluster.js';
import { messageToJson } from './codec.js';
import { decodeMessageStrict } from './decode.js';
import { EnvoyUnrepresentableError } from './errors.js';
import { given } from './model-fixtures.js';
import { validatePgv } from './pgv.js';
import { buildTrustBundleSecret } from './upstream-tls.js';

const ADS = { ads: {}, resource_api_version: 'V3' };
const MESH_TLS: ModelUpstreamTls = {
  clientCertificateSecret: 'portcullis-system/mesh-client',
  trustBundleSecret: 'portcullis-system/mesh-ca',
  serverName: 'web.default.svc.cluster.local',
  subjectAltNames: [{ type: 'URI', value: 'spiffe://cluster.local/ns/default/sa/web' }],
};
const transportSocket = (alpn: string, sans: JsonValue[]) => ({
  name: 'envoy.transport_sockets.tls',
  typed_config: {
    '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
    common_tls_context: {
      tls_certificate_sds_secret_configs: [{ name: 'portcullis-system/mesh-client', sds_config: ADS }],
      combined_validation_context: {
        default_validation_context: { match_typed_subject_alt_names: sans },
        validation_context_sds_secret_config: { name: 'portcullis-system/mesh-ca', sds_config: ADS },
      },
      alpn_protocols: [alpn],
    },
    sni: 'web.default.svc.cluster.local',
  },
});

const cases: Record<string, { cluster: ModelCluster; socket: JsonValue }> = {
  'presents the mesh client certificate and checks the SPIFFE id, both by SDS name': {
    cluster: given.cluster('default/web:80/mtls', { upstreamTls: MESH_TLS }),
    socket: transportSocket('http/1.1', [
      { san_type: 'URI', matcher: { exact: 'spiffe://cluster.local/ns/default/sa/web' } },
    ]),
  },
  'offers h2 to an HTTP/2 backend and accepts DNS identities': {
    cluster: given.cluster('default/grpc:50051/http2/mtls', {
      protocol: 'http2',
      upstreamTls: { ...MESH_TLS, subjectAltNames: [{ type: 'DNS', value: 'web.default.svc' }] },
    }),
    socket: transportSocket('h2', [{ san_type: 'DNS', matcher: { exact: 'web.default.svc' } }]),
  },
};

describe('buildCluster in mesh edge mode', () => {
  it.each(Object.entries(cases))('%s', (_name, { cluster, socket }) => {
    const built = buildCluster(cluster);
    expect(validatePgv(ClusterSchema, built)).toEqual([]);
    const json = messageToJson(ClusterSchema, built);
    expect(json.transport_socket).toEqual(socket);
    // EDS stays as for every cluster: endpoint changes remain EDS-only pushes.
    expect(json.eds_cluster_config).toEqual({ eds_config: ADS });
    expect(decodeMessageStrict(ClusterSchema, json as JsonValue)).toEqual(built);
  });

  it('leaves a cluster without upstreamTls in cleartext', () => {
    expect(messageToJson(ClusterSchema, buildCluster(given.cluster('default/web:80')))).not.toHaveProperty(
      'transport_socket',
    );
  });

  it('refuses upstream TLS without an identity to check', () => {
    const cluster = given.cluster('default/web:80/mtls', { upstreamTls: { ...MESH_TLS, subjectAltNames: [] } });
    expect(() => buildCluster(cluster)).toThrow(EnvoyUnrepresentableError);
    expect(() => buildCluster(cluster)).toThrow(/cluster default\/web:80\/mtls: upstreamTls\.subjectAltNames/);
  });
});

describe('buildTrustBundleSecret', () => {
  it('serves a CA bundle as an SDS validation context under its stable name', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';
    const secret = buildTrustBundleSecret({ name: 'portcullis-system/mesh-ca', trustedCa: pem });
    expect(validatePgv(SecretSchema, secret)).toEqual([]);
    expect(messageToJson(SecretSchema, secret)).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
      name: 'portcullis-system/mesh-ca',
      validation_context: { trusted_ca: { inline_string: pem } },
    });
  });
});
