// Public API of @portcullis/gateway. A plain export list: each helper appends its own section.

// ---- model, translate, status (model helper) ----
export type * from './model/translate-options.js';
export type * from './model/types.js';
// ---- sources (model helper) ----
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
export type { KubernetesObject, ObjectKey, Provider, SourceSnapshot } from './sources/types.js';
export { EMPTY_SNAPSHOT } from './sources/types.js';
export type * from './status/types.js';
