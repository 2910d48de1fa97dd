export { type ChainVerdict, serialHex, splitPemChain, verifyChain } from './certificates/inspect.js';
export { PortcullisError, ValidationError } from './errors.js';
export { type IssuanceEvent, type IssuanceListener, IssuanceStep } from './issuance/events.js';
export {
  type ObtainDependencies,
  type ObtainedCertificate,
  type ObtainRequest,
  obtainCertificate,
} from './issuance/obtain.js';
export { ACME_CHALLENGE_LABEL, challengeRecordName } from './issuance/record-name.js';
export { waitUntil } from './issuance/wait.js';
export { MAX_NAMES, NameRule, type NormalizeOptions, normalizeIdentifiers, normalizeName } from './names.js';
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
export type { Clock } from './ports/clock.js';
export { systemClock } from './ports/clock.js';
export type { DnsProvider, Presentation, TxtRecord, ZonePresentation } from './ports/dns-provider.js';
export type { Http01TokenStore } from './ports/http01-token-store.js';
export type { KeyStore } from './ports/key-store.js';
export {
  type CaaVerdict,
  CaaVerdictCode,
  type NameServer,
  type PendingRecord,
  type PropagationResult,
  type Resolver,
  type ZoneInfo,
} from './ports/resolver.js';
export { Redacted, redact } from './redacted.js';
