/**
 * Mesh edge mode: TLS from Envoy to mesh backends. Both the client certificate and the CA bundle are named by SDS
 * (over ADS), never inlined in the Cluster: a mesh certificate rotation (hours in most meshes) is then a Secret-only
 * push, and the Cluster — whose change would drain its connection pool — stays byte-identical.
 */
import { create } from '@bufbuild/protobuf';
import type { TransportSocket } from '../generated/envoy/config/core/v3/base_pb.js';
import { TransportSocketSchema } from '../generated/envoy/config/core/v3/base_pb.js';
import {
  CertificateValidationContextSchema,
  SubjectAltNameMatcher_SanType,
} from '../generated/envoy/extensions/transport_sockets/tls/v3/common_pb.js';
import { type Secret, SecretSchema } from '../generated/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import {
  CommonTlsContextSchema,
  UpstreamTlsContextSchema,
} from '../generated/envoy/extensions/transport_sockets/tls/v3/tls_pb.js';
import type { ClusterProtocol, ModelTrustBundle, ModelUpstreamTls } from '../model/types.js';
import { ADS_CONFIG_SOURCE, ExtensionName, typedConfig } from './common.js';
import { EnvoyUnrepresentableError } from './errors.js';

const SAN_TYPES = { URI: SubjectAltNameMatcher_SanType.URI, DNS: SubjectAltNameMatcher_SanType.DNS } as const;

/** ALPN offered to the backend: with TLS, the protocol is negotiated, so it must match the cluster's protocol. */
const ALPN: Readonly<Record<ClusterProtocol, string[]>> = { http1: ['http/1.1'], http2: ['h2'] };

/** `transport_socket` of a cluster in mesh edge mode. */
export function buildUpstreamTlsSocket(
  cluster: string,
  tls: ModelUpstreamTls,
  protocol: ClusterProtocol,
): TransportSocket {
  if (tls.subjectAltNames.length === 0) {
    // Without SAN matching, any certificate the mesh CA signed would be accepted as this backend.
    throw new EnvoyUnrepresentableError(
      `cluster ${cluster}`,
      'upstreamTls.subjectAltNames',
      'at least one is required',
    );
  }
  const context = create(UpstreamTlsContextSchema, {
    sni: tls.serverName,
    commonTlsContext: create(CommonTlsContextSchema, {
      tlsCertificateSdsSecretConfigs:
        tls.clientCertificateSecret === undefined
          ? []
          : [{ name: tls.clientCertificateSecret, sdsConfig: ADS_CONFIG_SOURCE }],
      validationContextType: {
        case: 'combinedValidationContext',
        value: {
          defaultValidationContext: create(CertificateValidationContextSchema, {
            matchTypedSubjectAltNames: tls.subjectAltNames.map((san) => ({
              sanType: SAN_TYPES[san.type],
              matcher: { matchPattern: { case: 'exact' as const, value: san.value } },
            })),
          }),
          validationContextSdsSecretConfig: { name: tls.trustBundleSecret, sdsConfig: ADS_CONFIG_SOURCE },
        },
      },
      alpnProtocols: ALPN[protocol],
    }),
  });
  return create(TransportSocketSchema, {
    name: ExtensionName.TlsTransportSocket,
    configType: { case: 'typedConfig', value: typedConfig(UpstreamTlsContextSchema, context) },
  });
}

/**
 * The SDS Secret of a CA bundle: a validation context with the certificates inline. Public material only, so it is
 * a plain `Secret` and needs none of `EnvoySecret`'s key handling.
 */
export function buildTrustBundleSecret(bundle: ModelTrustBundle): Secret {
  return create(SecretSchema, {
    name: bundle.name,
    type: {
      case: 'validationContext',
      value: { trustedCa: { specifier: { case: 'inlineString', value: bundle.trustedCa } } },
    },
  });
}
