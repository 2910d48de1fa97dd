export type {
  ApiCertificateRecord,
  ApiDependencies,
  CertificateRequests,
  RevocationReasonName,
} from './dependencies.js';
export { ApiError, ApiErrorCode, type FieldProblem } from './errors.js';
export { type ApiHandlers, createApiHandlers } from './handlers.js';
export { IDEMPOTENCY_HEADER, type IdempotencyOptions, idempotencyTableInput } from './idempotency.js';
export { ApiEnv, apiDependenciesFromEnv, handler as apiHandler } from './lambda.js';
export { GENERIC_SERVER_ERROR, PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';
export { API_ROUTES, createApiRouter } from './router.js';
export { type ApiEvent, type ApiHandler, MAX_BODY_BYTES } from './stack.js';
export { type Caller, type TenantConfig, TenantDirectory } from './tenants.js';
