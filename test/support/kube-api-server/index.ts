export { ApiError, StatusReason } from './api-errors.js';
export { type KubeconfigOptions, kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
export {
  apiVersionOf,
  DEFAULT_RESOURCES,
  EXPERIMENTAL_RESOURCES,
  type ResourceType,
} from './resources.js';
export { KubeApiServer, type KubeApiServerOptions, type RequestHook, type RequestRecord } from './server.js';
export type { KubeObject, ObjectMeta } from './store.js';
