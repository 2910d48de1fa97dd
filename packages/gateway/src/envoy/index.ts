// Envoy resources from the gateway model: builders, binary/JSON encoding, strict decoding. See build.ts for the
// entry point and types.ts for what it returns.
export { type BuildOptions, buildEnvoyResources } from './build.js';
export { buildCluster, buildClusterLoadAssignment } from './cluster.js';
export {
  EncodedResource,
  type EncodedResources,
  encodeResources,
  encodeSecret,
  messageToJson,
  REDACTED_MARKER,
  resourcesToJson,
  secretToJson,
} from './codec.js';
export { ADS_CONFIG_SOURCE, ExtensionName, typedConfig } from './common.js';
export { type DecodeOptions, decodeAnyStrict, decodeMessageStrict, decodeStrict } from './decode.js';
export { EnvoyDecodeError, EnvoyErrorCode, EnvoyUnknownTypeError, EnvoyUnrepresentableError } from './errors.js';
export { buildHttpConnectionManager, buildListener } from './listener.js';
export { type PgvViolation, validatePgv } from './pgv.js';
export {
  envoyRegistry,
  findMessageType,
  resourceSchemas,
  TYPE_URLS_IN_PUSH_ORDER,
  TypeUrl,
  typeUrlOf,
} from './registry.js';
export { buildRouteConfiguration } from './route.js';
export { INVALID_BACKEND_CLUSTER } from './route-action.js';
export { PathPrefixStyle } from './route-match.js';
export { buildSecret } from './secret.js';
export type { EnvoyResources, EnvoyResourcesJson, EnvoySecret, JsonResource } from './types.js';
export { buildTrustBundleSecret, buildUpstreamTlsSocket } from './upstream-tls.js';
