export type {
  ClusterCredentials,
  ClusterCredentialsSource,
  KubeconfigCredentials,
  TokenCredentials,
} from './cluster-credentials.js';
export { JsonClusterCredentialsSource, StaticClusterCredentialsSource } from './cluster-credentials.js';
export { buildKubeConfig, ClusterRegistry, type ClusterRegistryOptions } from './cluster-registry.js';
export {
  ClusterCredentialsError,
  ForeignSecretError,
  KubeApiError,
  KubeConflictError,
  KubeErrorCode,
  UnreadableTlsSecretError,
} from './errors.js';
export {
  challengeConfigMapName,
  KubernetesHttp01TokenStore,
  type KubernetesHttp01TokenStoreOptions,
} from './http01-token-store.js';
export {
  FIELD_MANAGER,
  HTTP01_CHALLENGE_LABEL,
  Http01ChallengeKey,
  SecretAnnotation,
  SecretLabel,
  TlsSecretKey,
} from './labels.js';
export { KubernetesTargetFactory, type KubernetesTargetOptions, kubernetesTargetOptions } from './target-factory.js';
export { normalizeSerial, type PublishTlsSecretInput } from './tls-secret.js';
export {
  KubernetesTlsTarget,
  type KubernetesTlsTargetOptions,
  type ObservedTlsSecret,
  type PublishedTlsSecret,
  PublishOutcome,
  type PublishResult,
  type TlsSecretRef,
} from './tls-target.js';
