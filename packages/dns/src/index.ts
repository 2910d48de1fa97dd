export { type CaaRecord, caaLevels, evaluateCaa, formatCaaRecord, issuerDomain, KNOWN_CAA_TAGS } from './caa.js';
export { delegateChallengeRecords } from './challenge/cname.js';
export { ACME_CHALLENGE_LABEL, challengeRecordName } from './challenge/record-name.js';
export {
  DnsError,
  DnsErrorCode,
  DnsQueryError,
  DnsResolveError,
  DnsTransportError,
  DnsUpdateError,
} from './errors.js';
export {
  PreflightCode,
  type PreflightFinding,
  type PreflightOptions,
  type PreflightReport,
  type PreflightSeverity,
  preflight,
} from './preflight.js';
export { RFC2136_ENV, type Rfc2136Config, rfc2136ConfigFromEnv } from './providers/rfc2136/config.js';
export { RFC2136_PROVIDER_NAME, Rfc2136Provider, type Rfc2136ProviderDeps } from './providers/rfc2136/provider.js';
export { ROUTE53_BATCH_LIMITS } from './providers/route53/change-batch.js';
export {
  ROUTE53_ENV,
  type Route53ClientFactory,
  type Route53ProviderConfig,
  type Route53ZoneConfig,
  route53ConfigFromEnv,
  validateRoute53Config,
} from './providers/route53/config.js';
export { Route53Error, Route53ErrorCode } from './providers/route53/errors.js';
export { ROUTE53_PROVIDER_NAME, Route53Provider, type WaitForCommitOptions } from './providers/route53/provider.js';
export { decodeRoute53Name, parseTxtStrings, quoteTxtValue, txtValueOf } from './providers/route53/record-values.js';
export { DEFAULT_RETRY, type RetryPolicy } from './providers/route53/route53-api.js';
export {
  ROUTE53_THROTTLE,
  sharedRoute53Throttle,
  TokenBucket,
  type TokenBucketConfig,
} from './providers/route53/throttle.js';
export type { DnsResolverConfig } from './resolver/config.js';
export { DnsResolver, type DnsResolverDeps } from './resolver/dns-resolver.js';
export {
  type DnsAnswer,
  type DnsRecord,
  type QueryOptions,
  type QueryType,
  queryServer,
  txtValues,
} from './wire/query.js';
export type { DnsServer } from './wire/transport.js';
export { TSIG_ALGORITHMS, type Tsig, type TsigAlgorithm } from './wire/tsig.js';
export {
  sendUpdate,
  UPDATABLE_TYPES,
  type UpdatableType,
  type UpdateOperation,
  type UpdateOptions,
} from './wire/update.js';
