/** SDS Secret builder: the certificate chain inline, the private key kept aside until encoding (see EnvoySecret). */
import { create } from '@bufbuild/protobuf';
import { SecretSchema } from '../generated/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import type { ModelSecret } from '../model/types.js';
import type { EnvoySecret } from './types.js';

export function buildSecret(secret: ModelSecret): EnvoySecret {
  return {
    name: secret.name,
    secret: create(SecretSchema, {
      name: secret.name,
      type: {
        case: 'tlsCertificate',
        value: { certificateChain: { specifier: { case: 'inlineString', value: secret.certificateChain } } },
      },
    }),
    privateKey: secret.privateKey,
  };
}
