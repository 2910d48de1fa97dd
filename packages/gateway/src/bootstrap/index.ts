// Envoy bootstrap generator: ADS over gRPC to the controller, admin on loopback, optional TLS to the controller.
export {
  BootstrapResourceName,
  type EnvoyBootstrap,
  generateEnvoyBootstrap,
  READINESS_PATHS,
  renderEnvoyYaml,
} from './bootstrap.js';
export {
  BOOTSTRAP_FILE,
  type BootstrapConfigMapOptions,
  DEPLOY_BOOTSTRAP_OPTIONS,
  renderBootstrapConfigMap,
} from './config-map.js';
export { CertificateFile, ControllerTlsSecretName } from './controller-tls.js';
export {
  type BootstrapOptions,
  type ControllerTls,
  DEFAULT_ADMIN_PORT,
  DEFAULT_MAX_DOWNSTREAM_CONNECTIONS,
  DEFAULT_NODE_CLUSTER,
  DEFAULT_READINESS_PORT,
  DEFAULT_XDS_PORT,
  type ResolvedBootstrapOptions,
  resolveBootstrapOptions,
} from './options.js';
