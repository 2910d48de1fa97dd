// Public API of @portcullis/gateway: a plain export list (biome keeps it sorted); each helper appends its exports.

export * from './bootstrap/index.js';
export * from './controller/index.js';
export {
  ADS_CONFIG_SOURCE,
  type BuildOptions,
  buildCluster,
  buildClusterLoadAssignment,
  buildEnvoyResources,
  buildHttpConnectionManager,
  buildListener,
  buildRouteConfiguration,
  buildSecret,
  type DecodeOptions,
  decodeAnyStrict,
  decodeMessageStrict,
  decodeStrict,
  EncodedResource,
  type EncodedResources,
  EnvoyDecodeError,
  EnvoyErrorCode,
  type EnvoyResources,
  type EnvoyResourcesJson,
  type EnvoySecret,
  EnvoyUnknownTypeError,
  EnvoyUnrepresentableError,
  ExtensionName,
  encodeResources,
  encodeSecret,
  envoyRegistry,
  findMessageType,
  INVALID_BACKEND_CLUSTER,
  type JsonResource,
  messageToJson,
  PathPrefixStyle,
  type PgvViolation,
  REDACTED_MARKER,
  resourceSchemas,
  resourcesToJson,
  secretToJson,
  TYPE_URLS_IN_PUSH_ORDER,
  TypeUrl,
  typedConfig,
  typeUrlOf,
  validatePgv,
} from './envoy/index.js';
export type * from './model/translate-options.js';
export { PROXY_PROTOCOL_ENV, proxyProtocolFromEnv } from './model/translate-options.js';
export type * from './model/types.js';
export { FileProvider, type FileProviderOptions, type ManifestProblem } from './providers/file/file-provider.js';
export { parseManifests } from './providers/file/manifests.js';
export * from './providers/kubernetes/index.js';
export {
  ACME_CHALLENGE_PATH_PREFIX,
  ANNOTATION_PREFIX,
  BackendProtocol,
  CONTROLLER_NAME,
  Http01ChallengeKey,
  INGRESS_CLASS,
  INGRESS_CONTROLLER,
  IngressAnnotation,
  Label,
  LEGACY_INGRESS_CLASS_ANNOTATION,
  LoadBalancerPolicy,
} from './sources/annotations.js';
export type * from './sources/gateway-api.js';
export { GATEWAY_EXPERIMENTAL_GROUP, GATEWAY_GROUP } from './sources/gateway-api.js';
export { formatKey, keyOf, normalizeObject } from './sources/objects.js';
export { isReferencePermitted, type ReferenceFrom, type ReferenceTo } from './sources/reference-grants.js';
export { createSnapshot, referencedSecretKeys, type SnapshotOptions } from './sources/snapshot.js';
export { SourceCache } from './sources/source-cache.js';
export type { KubernetesObject, ObjectKey, Provider, SourceSnapshot } from './sources/types.js';
export { EMPTY_SNAPSHOT } from './sources/types.js';
export {
  ConditionType,
  GatewayClassReason,
  GatewayReason,
  ListenerReason,
  ListenerSetReason,
  RouteReason,
} from './status/conditions.js';
export type * from './status/types.js';
export { translate } from './translate.js';
export * from './xds/index.js';
