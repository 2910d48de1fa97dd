export { KubernetesProviderError, KubernetesProviderErrorCode } from './errors.js';
export type { BackoffOptions } from './informer.js';
export { KubernetesProvider, type KubernetesProviderOptions } from './kubernetes-provider.js';
export {
  KubernetesStatusWriter,
  type KubernetesStatusWriterOptions,
  STATUS_FIELD_MANAGER,
  type StatusWriteReport,
} from './status-writer.js';
