/**
 * TLS from Envoy to the controller's xDS port: the `transport_socket` of the xDS cluster and, for `sds-files`, the
 * file-based SDS resources it points at. Only file NAMES appear here: key material stays in the mounted Secret and
 * never enters the bootstrap, its ConfigMap or a log.
 *
 * Why file-based SDS and not SDS over ADS for this certificate: the certificate protects the ADS stream itself, so it
 * cannot arrive over that stream.
 */
import type { JsonObject } from '@bufbuild/protobuf';
import { TypeUrl } from '../envoy/registry.js';
import type { ControllerTls } from './options.js';

/** SDS resource names (file-based, local to each Envoy). */
export const ControllerTlsSecretName = {
  /** Envoy's client certificate and key for the xDS connection. */
  ClientCertificate: 'portcullis-xds-client-certificate',
  /** The CA bundle that the controller's serving certificate must chain to. */
  TrustedCa: 'portcullis-xds-trusted-ca',
} as const;
export type ControllerTlsSecretName = (typeof ControllerTlsSecretName)[keyof typeof ControllerTlsSecretName];

/** File names inside `certificateDirectory`: the keys of a `kubernetes.io/tls` Secret (plus cert-manager's `ca.crt`). */
export const CertificateFile = { Chain: 'tls.crt', Key: 'tls.key', TrustedCa: 'ca.crt' } as const;

const TLS_TRANSPORT_SOCKET = 'envoy.transport_sockets.tls';
const UPSTREAM_TLS_CONTEXT = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';

function file(directory: string, name: string): JsonObject {
  return { filename: `${directory}/${name}` };
}

/** The controller's certificate must name the server we dialled; a CA alone would accept any certificate it signed. */
function subjectAltNames(serverName: string): JsonObject[] {
  return [{ san_type: 'DNS', matcher: { exact: serverName } }];
}

/** Path of an SDS file and the ConfigSource that reads it (re-read when its mounted directory is swapped). */
function sdsConfig(tls: Extract<ControllerTls, { mode: 'sds-files' }>, name: ControllerTlsSecretName): JsonObject {
  return {
    name,
    sds_config: {
      path_config_source: { path: `${tls.sdsDirectory}/${name}.json`, watched_directory: { path: tls.sdsDirectory } },
      resource_api_version: 'V3',
    },
  };
}

function commonTlsContext(tls: ControllerTls): JsonObject {
  // gRPC servers (grpc-js included) refuse TLS connections that do not negotiate h2 by ALPN.
  const alpn = { alpn_protocols: ['h2'] };
  if (tls.mode === 'static-files') {
    return {
      tls_certificates: [
        {
          certificate_chain: file(tls.certificateDirectory, CertificateFile.Chain),
          private_key: file(tls.certificateDirectory, CertificateFile.Key),
        },
      ],
      validation_context: {
        trusted_ca: file(tls.certificateDirectory, CertificateFile.TrustedCa),
        match_typed_subject_alt_names: subjectAltNames(tls.serverName),
      },
      ...alpn,
    };
  }
  return {
    tls_certificate_sds_secret_configs: [sdsConfig(tls, ControllerTlsSecretName.ClientCertificate)],
    combined_validation_context: {
      default_validation_context: { match_typed_subject_alt_names: subjectAltNames(tls.serverName) },
      validation_context_sds_secret_config: sdsConfig(tls, ControllerTlsSecretName.TrustedCa),
    },
    ...alpn,
  };
}

/** `transport_socket` of the xDS cluster. */
export function controllerTransportSocket(tls: ControllerTls): JsonObject {
  return {
    name: TLS_TRANSPORT_SOCKET,
    typed_config: { '@type': UPSTREAM_TLS_CONTEXT, common_tls_context: commonTlsContext(tls), sni: tls.serverName },
  };
}

/**
 * The SDS files of `sds-files` mode, by file name: each is a DiscoveryResponse holding exactly one Secret (Envoy's
 * file-based SDS rejects any other count). `watched_directory` makes Envoy re-read the referenced files when the
 * mounted Secret's `..data` symlink is swapped, i.e. on every rotation.
 */
export function controllerSdsFiles(tls: Extract<ControllerTls, { mode: 'sds-files' }>): Record<string, JsonObject> {
  const watched = { watched_directory: { path: tls.certificateDirectory } };
  const response = (secret: JsonObject): JsonObject => ({ resources: [{ '@type': TypeUrl.Secret, ...secret }] });
  return {
    [`${ControllerTlsSecretName.ClientCertificate}.json`]: response({
      name: ControllerTlsSecretName.ClientCertificate,
      tls_certificate: {
        certificate_chain: file(tls.certificateDirectory, CertificateFile.Chain),
        private_key: file(tls.certificateDirectory, CertificateFile.Key),
        ...watched,
      },
    }),
    [`${ControllerTlsSecretName.TrustedCa}.json`]: response({
      name: ControllerTlsSecretName.TrustedCa,
      validation_context: { trusted_ca: file(tls.certificateDirectory, CertificateFile.TrustedCa), ...watched },
    }),
  };
}
