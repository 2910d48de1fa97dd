export { clearPendingKey, loadOrCreateAccountKey, pendingKeyName, readPendingKey } from './account-key.js';
export { computeCertId, DEFAULT_ARI_RETRY_AFTER_MS, fetchRenewalInfo, parseRenewalInfoBody } from './ari.js';
export { AcmeEngine, createAcmeClient } from './client.js';
export {
  type AcmeClientConfig,
  type AcmeClientEvent,
  AcmeEnv,
  acmeConfigFromEnv,
  defaultAccountKeyName,
  type ExternalAccountBinding,
  ISSUERS,
  IssuerName,
  type ResolvedAcmeConfig,
  resolveAcmeConfig,
} from './config.js';
export {
  AcmeAccountKeyRotatedError,
  AcmeConfigError,
  AcmeErrorCode,
  AcmeKeyStoreError,
  AcmeProblemError,
  AcmeProblemType,
  AcmeProtocolError,
  AcmeTransportError,
  AcmeWaitTimeoutError,
} from './errors.js';
export { FileKeyStore } from './file-key-store.js';
export { certificateKeyFactory, createCsr, generatePrivateKey, keyTypeOf, parseKeyType, toPkcs8 } from './keys.js';
export { parseProblem, parseRetryAfter } from './transport.js';
