export {
  type AlertQuery,
  type AlertView,
  API_URL_ENV,
  ApiClient,
  type CertificateView,
  type CreateCertificateRequest,
  type EndpointView,
  type EventView,
  type ObservationView,
  type Page,
  resolveApiUrl,
  type UpdateCertificateRequest,
} from './api-client.js';
export { type ApiCommandIo, type ApiFlags, apiClient, processApiIo, withApiOption } from './api-command.js';
export { ApiClientError, ApiClientErrorCode } from './errors.js';
export { daysLeft, formatEvents, formatList, formatStatus, renderTable } from './format.js';
export { type HttpBridge, startHttpBridge, toApiGatewayEvent } from './http-bridge.js';
export {
  type AcmSummary,
  acmArnsFor,
  describeAcmCertificate,
  describeSecret,
  isReady,
  progressKey,
  type SecretSummary,
  type WatchOptions,
  watchCertificate,
} from './inspect.js';
export { type LocalFunctionsEnvInput, localFunctionsEnv } from './local-env.js';
export {
  LOCAL_PRINCIPAL,
  LOCAL_TENANT,
  type LocalRuntime,
  type LocalRuntimeOptions,
  startLocalRuntime,
} from './local-runtime.js';
export { type SqsBatchHandler, type SqsPoller, type SqsPollerOptions, startSqsPoller } from './sqs-poller.js';
