export { AcmApi } from './acm/acm-api.js';
export {
  AcmCertificateInventory,
  type AcmCertificateInventoryOptions,
  acmClientForRegion,
  type RegionalAcmClients,
} from './acm/acm-inventory.js';
export { type AcmDeliveryResult, AcmTarget, type AcmTargetOptions, acmQuotaScope } from './acm/acm-target.js';
export { AwsTargetFactory, type AwsTargetFactoryOptions } from './acm/aws-target-factory.js';
export { AcmError, AcmErrorCode } from './acm/errors.js';
export { AcmKeyAlgorithm, ALL_ACM_KEY_TYPES, type KeyProfile, readKeyProfile } from './acm/key-profile.js';
export { checkReimport, ReimportRefusal, type ReimportViolation } from './acm/reimport-policy.js';
export { type AcmRetryPolicy, DEFAULT_ACM_RETRY } from './acm/retry.js';
export { acmSerialMatches, normalizeAcmSerial, toAcmColonHex } from './acm/serial.js';
export {
  type AssumeRoleConfig,
  type AssumeRoleOptions,
  assumeRoleCredentials,
  validateAssumeRoleConfig,
} from './assume-role.js';
export {
  AwsClients,
  type AwsClientsConfig,
  type AwsService,
  createAwsClients,
  route53ClientForZone,
} from './clients.js';
export { type AwsRequestCounter, countAwsRequests } from './count-requests.js';
export type { AwsCredentialProvider, AwsCredentials, AwsCredentialsInput } from './credentials.js';
export {
  alertItemKey,
  DynamoDbAlertRepository,
  type DynamoDbAlertRepositoryOptions,
} from './dynamodb/alert-repository.js';
export {
  DynamoDbCertificateRepository,
  type DynamoDbCertificateRepositoryOptions,
  dueShardOf,
} from './dynamodb/certificate-repository.js';
export { countDynamoDbItemsRead, type DynamoDbItemsReadCounter } from './dynamodb/count-items-read.js';
export { createTables, deleteTables, describeMismatch, toCreateTableInput } from './dynamodb/create-tables.js';
export { DynamoDbError, DynamoDbErrorCode } from './dynamodb/errors.js';
export { DynamoDbEventLog, type DynamoDbEventLogOptions } from './dynamodb/event-log.js';
export {
  DynamoDbObservationStore,
  type DynamoDbObservationStoreOptions,
  MAX_OBSERVATIONS,
  observationItemKey,
} from './dynamodb/observation-store.js';
export {
  DynamoDbOrderRepository,
  type DynamoDbOrderRepositoryOptions,
  orderKeyOf,
} from './dynamodb/order-repository.js';
export {
  DynamoDbRateLimitLedger,
  type DynamoDbRateLimitLedgerOptions,
  LEDGER_RETENTION_DAYS,
} from './dynamodb/rate-limit-ledger.js';
export {
  ALERT_LIST_PARTITION,
  DerivedAttribute as DynamoDbDerivedAttribute,
  DynamoDbEnv,
  type DynamoDbTableNames,
  defaultTableNames,
  dynamoDbTableDefinitions,
  INVENTORY_PARTITION,
  type TableDefinition as DynamoDbTableDefinition,
  TableIndex as DynamoDbIndex,
  type TableRole as DynamoDbTableRole,
  tableEnv,
  tableNamesFromEnv,
  validateTableNames,
} from './dynamodb/tables.js';
export { AwsEnv, awsConfigFromEnv } from './env.js';
export { AwsError, AwsErrorCode } from './errors.js';
export { EventBridgeError, EventBridgeErrorCode } from './eventbridge/errors.js';
export {
  EVENT_SOURCE,
  EventBridgeEnv,
  EventBridgeEventPublisher,
  type EventBridgePublisherOptions,
} from './eventbridge/event-publisher.js';
export { EmfMetrics, type EmfMetricsOptions, MetricsEnv } from './metrics/emf-metrics.js';
export {
  DEFAULT_CERTIFICATE_PREFIX,
  SecretsManagerCertificateStore,
  type SecretsManagerCertificateStoreOptions,
} from './secrets-manager/certificate-store.js';
export { SecretsManagerError, SecretsManagerErrorCode } from './secrets-manager/errors.js';
export {
  ExportFormat,
  renderExport,
  SecretsManagerExportTarget,
  type SecretsManagerExportTargetOptions,
} from './secrets-manager/export-target.js';
export {
  DEFAULT_ACCOUNT_KEY_PREFIX,
  SecretsManagerKeyStore,
  type SecretsManagerKeyStoreOptions,
} from './secrets-manager/key-store.js';
export { namesTagValue, TagKey } from './secrets-manager/resource-tags.js';
export {
  AlertAttribute,
  type AlertMessage,
  alertBody,
  alertSubject,
  renderAlertMessage,
  runbookLink,
  SUBJECT_MAX as SNS_SUBJECT_MAX,
} from './sns/alert-message.js';
export { SnsError, SnsErrorCode } from './sns/errors.js';
export { SnsEnv, SnsNotifier, type SnsNotifierOptions } from './sns/sns-notifier.js';
export {
  type DeadLetter,
  DeadLetterQueueEnv,
  type RedriveResult,
  SqsDeadLetterQueue,
  type SqsDeadLetterQueueOptions,
} from './sqs/dead-letter-queue.js';
export { SqsError, SqsErrorCode } from './sqs/errors.js';
export { SqsEnv, SqsQueue, type SqsQueueOptions } from './sqs/sqs-queue.js';
export { accountOfRoleArn } from './validate.js';
