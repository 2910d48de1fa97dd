export { type ChainVerdict, serialHex, splitPemChain, verifyChain } from './certificates/inspect.js';
export { MAX_SERIAL_HEX_DIGITS, normalizeSerial } from './certificates/serial.js';
export { AlertNotSentError, ConflictError, NotFoundError, PortcullisError, ValidationError } from './errors.js';
export { type IssuanceEvent, type IssuanceListener, IssuanceStep } from './issuance/events.js';
export {
  type ObtainDependencies,
  type ObtainedCertificate,
  type ObtainRequest,
  obtainCertificate,
} from './issuance/obtain.js';
export { ACME_CHALLENGE_LABEL, challengeRecordName } from './issuance/record-name.js';
export { waitUntil } from './issuance/wait.js';
export { type Decision, type DecisionInput, decideNextStep } from './lifecycle/decide.js';
export {
  DEFAULT_OPTIONS as DEFAULT_RECONCILE_OPTIONS,
  type ReconcileDependencies,
  type ReconcileLogEntry,
  type ReconcileOptions,
} from './lifecycle/dependencies.js';
export { LifecycleReason, ReconcileStep } from './lifecycle/reasons.js';
export { type ReconcileResult, reconcile } from './lifecycle/reconcile.js';
export { MAX_ENDPOINTS, validateSpec } from './lifecycle/spec.js';
export { stableMessage } from './lifecycle/status.js';
export {
  type CertificateRecord,
  type CertificateSpec,
  type CertificateStatus,
  type Condition,
  type ConditionStatus,
  ConditionType,
  type DeleteRequest,
  type DeliveryState,
  type EndpointSpec,
  type FailureRecord,
  type FailureState,
  type IsoTime,
  type IssuanceAuthorization,
  IssuancePhase,
  type IssuancePresentation,
  type IssuanceRecord,
  newCertificateRecord,
  type RenewalPolicy,
  type RenewalState,
  type RestoreIntent,
  type RestoreRequest,
  type RestoreState,
  type RevocationReasonName,
  type RevocationState,
  type RevokeRequest,
  type StepClaim,
  type TargetSpec,
  TargetType,
  toIsoTime,
} from './lifecycle/types.js';
export { deadLetterAlerts, unmanagedExpiringAlerts } from './monitoring/account-rules.js';
export { type AcmExpiryEvent, type AcmExpiryOutcome, handleAcmExpiry } from './monitoring/acm-expiry.js';
export {
  type AlertDecision,
  AlertDecisionAction,
  alertOf,
  type DedupOptions,
  decideAlerts,
} from './monitoring/dedup.js';
export {
  CRITICAL_DAYS,
  CRITICAL_FRACTION,
  type CrossedExpiry,
  certificateLifetimeSeconds,
  crossedExpiry,
  EXPIRED_LABEL,
  type ExpiryInput,
} from './monitoring/expiry.js';
export {
  type MonitorDependencies,
  type MonitorOptions,
  type MonitorResult,
  runMonitor,
} from './monitoring/monitor.js';
export { defaultServerName, observeCertificate } from './monitoring/observe.js';
export {
  type MonitorLog,
  type MonitorLogEntry,
  type PublishDependencies,
  type PublishOutcome,
  publishAlertDecisions,
} from './monitoring/publish.js';
export {
  CERTIFICATE_RULES,
  type CertificateRule,
  type CertificateRuleInput,
  CURRENT_LOCATION,
  driftAlerts,
  endpointLocation,
  evaluateCertificate,
  expiringAlerts,
  renewalFailingAlerts,
  runbookFor,
  staleAlerts,
} from './monitoring/rules.js';
export {
  type AcmCertificateSummary,
  type Alert,
  AlertKind,
  type AlertRecord,
  AlertSeverity,
  DEFAULT_MONITOR_POLICY,
  type ExpiryThresholds,
  type MonitorPolicy,
  type Observation,
} from './monitoring/types.js';
export { MAX_NAMES, NameRule, type NormalizeOptions, normalizeIdentifiers, normalizeName } from './names.js';
export {
  BACKOFF_SCHEDULE_SECONDS,
  BackoffReason,
  backoffCheck,
  backoffDelaySeconds,
  recordFailure,
} from './policies/backoff.js';
export {
  BUCKET_LIMITS,
  type BucketLimit,
  type BucketState,
  type BucketUsage,
  type BudgetRefusal,
  bucketState,
  checkBudget,
  orderBuckets,
  registeredDomain,
} from './policies/budget.js';
export { type Check, evaluate, type Violation } from './policies/check.js';
export {
  chooseRenewal,
  lifetimeRenewalTime,
  type RenewalChoice,
  type RenewalTimeInput,
} from './policies/renewal-time.js';
export { nameSetHash, specHash } from './policies/spec-hash.js';
export { evaluateTrigger, type TriggerInput, TriggerReason, triggerChain } from './policies/trigger.js';
export {
  type AcmeAccount,
  type AcmeAuthorization,
  type AcmeChallenge,
  type AcmeClient,
  type AcmeDirectoryInfo,
  type AcmeIdentifier,
  type AcmeOrder,
  type AcmeProblem,
  AcmeProblemError,
  AcmeProblemType,
  type AuthorizationPoll,
  type AuthorizationStatus,
  type CertificateKeyFactory,
  type ChallengeResponse,
  type ChallengeStatus,
  ChallengeType,
  chooseRenewalTime,
  KeyType,
  type NewOrderRequest,
  type OrderPoll,
  type OrderStatus,
  type RenewalInfo,
  type RenewalWindow,
  RevocationReason,
  selectChallenge,
  type WaitOptions,
} from './ports/acme-client.js';
export type {
  CertificateRepository,
  ListCertificatesFilter,
  OrderRecord,
  OrderRepository,
  Page,
  PageRequest,
} from './ports/certificate-repository.js';
export type {
  CertificateFacts,
  CertificateMaterial,
  CertificateStore,
  StoredCertificateInfo,
} from './ports/certificate-store.js';
export type { Clock } from './ports/clock.js';
export { systemClock } from './ports/clock.js';
export type { DnsProvider, Presentation, TxtRecord, ZonePresentation } from './ports/dns-provider.js';
export {
  type EventLog,
  type LifecycleEvent,
  type LifecycleEventPublisher,
  LifecycleEventType,
} from './ports/events.js';
export type { Http01TokenStore } from './ports/http01-token-store.js';
export type { Issuer, IssuerDirectory } from './ports/issuer-directory.js';
export type { KeyStore } from './ports/key-store.js';
export { LedgerBucket, type LedgerEntry, type RateLimitLedger } from './ports/ledger.js';
export { MetricName, type MetricPoint, type Metrics, type MetricUnit } from './ports/metrics.js';
export type {
  AcmInventory,
  AlertFilter,
  AlertRepository,
  AlertTransition,
  DeadLetterQueue,
  EndpointProber,
  Notifier,
  ObservationStore,
  ProbeResult,
} from './ports/monitoring.js';
export { MAX_QUEUE_DELAY_SECONDS, type Queue } from './ports/queue.js';
export { type Random, systemRandom } from './ports/random.js';
export {
  type CaaVerdict,
  CaaVerdictCode,
  type NameServer,
  type PendingRecord,
  type PropagationResult,
  type Resolver,
  type ZoneInfo,
} from './ports/resolver.js';
export type {
  DeliveryContext,
  DeliveryResult,
  ObservedDeployment,
  Target,
  TargetFactory,
} from './ports/target.js';
export { Redacted, redact } from './redacted.js';
