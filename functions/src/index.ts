export * from './api/index.js';
export { createPlanHandler, handler as planHandler, type PlanResult, planDueCertificates } from './schedules/plan.js';
export { DnsProviderKind, type FunctionsConfig, FunctionsEnv, readFunctionsConfig } from './wiring/config.js';
export { buildWiring, getWiring, type Wiring, type WiringOverrides } from './wiring/wiring.js';
export { createReconcileHandler, handler as reconcileHandler, reconcileMessage } from './workers/reconcile.js';
