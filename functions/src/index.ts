export * from './api/index.js';
export {
  ACM_EVENT_SOURCE,
  ACM_EXPIRY_DETAIL_TYPE,
  type AcmExpiryDetail,
  type AcmExpiryEvent,
  type AcmExpiryInput,
  acmExpiry,
  createAcmExpiryHandler,
  handler as acmExpiryHandler,
  parseAcmExpiryEvent,
} from './events/acm-expiry.js';
export { createMonitorHandler, handler as monitorHandler, monitorOnce } from './schedules/monitor.js';
export { createPlanHandler, handler as planHandler, type PlanResult, planDueCertificates } from './schedules/plan.js';
export {
  DnsProviderKind,
  type ExtraIssuerConfig,
  extraIssuers,
  type FunctionsConfig,
  FunctionsEnv,
  primaryIssuerId,
  readFunctionsConfig,
} from './wiring/config.js';
export { extraIssuerEnv } from './wiring/issuers.js';
export { KubernetesEnv, kubernetesTargetsFromEnv, routingTargetFactory } from './wiring/kubernetes-targets.js';
export { type MonitorConfig, MonitorEnv, readMonitorConfig } from './wiring/monitor-config.js';
export {
  buildMonitorWiring,
  getMonitorWiring,
  type MonitorWiring,
  type MonitorWiringOverrides,
} from './wiring/monitor-wiring.js';
export { buildWiring, getWiring, type Wiring, type WiringOverrides } from './wiring/wiring.js';
export { createReconcileHandler, handler as reconcileHandler, reconcileMessage } from './workers/reconcile.js';
