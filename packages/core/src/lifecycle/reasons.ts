/** Reasons the lifecycle writes into conditions, failures and events (besides the TriggerReasons that start it). */
export const LifecycleReason = {
  /** The CAA pre-flight and the rate-limit budget are being checked. */
  Preflight: 'Preflight',
  /** Our ledger says a Let's Encrypt bucket (or the exact-set loop guard) is empty: waiting for its refill. */
  RateLimited: 'RateLimited',
  /** Creating the ACME order. */
  Ordering: 'Ordering',
  /** Writing challenge records or HTTP-01 tokens. */
  Presenting: 'Presenting',
  /** Waiting until every authoritative nameserver serves every TXT value. */
  Propagating: 'Propagating',
  /** The CA is validating; authorizations are polled. */
  Validating: 'Validating',
  /** Removing challenge records and tokens. */
  CleaningUp: 'CleaningUp',
  /** Storing the fresh key and sending the CSR. */
  Finalizing: 'Finalizing',
  /** Waiting for the CA to issue, then downloading and promoting. */
  Downloading: 'Downloading',
  /** A transient error (network, throttling, CA 5xx): the same step is retried after a short delay. */
  Retrying: 'Retrying',
  /** The certificate is issued and stored; targets are catching up. */
  Delivering: 'Delivering',
  /** A new certificate was issued and promoted. */
  Issued: 'Issued',
  /** Current, valid, matching the spec, delivered everywhere. */
  UpToDate: 'UpToDate',
  /** `spec.issuer` names no configured issuer. */
  IssuerUnknown: 'IssuerUnknown',
  /** A CAA record forbids the issuer for one of the names. */
  CaaForbidden: 'CaaForbidden',
  /** The CA refused the order or the order became invalid. */
  OrderFailed: 'OrderFailed',
  /** The CA answered `rateLimited`; no new attempt before its Retry-After. */
  RateLimitedByCa: 'RateLimitedByCa',
  /** The TXT values never reached every authoritative nameserver in time. */
  PropagationTimeout: 'PropagationTimeout',
  /** The CA could not validate a challenge (wrong/missing TXT value, HTTP-01 body). */
  ValidationFailed: 'ValidationFailed',
  /** The CA did not decide the authorizations in time. */
  ValidationTimeout: 'ValidationTimeout',
  /** The CA refused the CSR. */
  FinalizeFailed: 'FinalizeFailed',
  /** The certificate could not be downloaded, parsed or stored. */
  DownloadFailed: 'DownloadFailed',
  /** Removing challenge records kept failing; the records may remain (logged, see the failure message). */
  CleanupFailed: 'CleanupFailed',
  /** A transient error repeated too often in one step. */
  TooManyRetries: 'TooManyRetries',
  /** Publishing to a target failed (retried with backoff per target). */
  DeliveryFailed: 'DeliveryFailed',
  /** The ACM import quota of the region is used up: waiting for the window to free a slot. */
  QuotaExhausted: 'QuotaExhausted',
  /** The current certificate was revoked at the CA; nothing is issued until a renewal is requested. */
  Revoked: 'Revoked',
  /** The certificate was deleted (key, chain and record removed; targets left as they are). */
  Deleted: 'Deleted',
  /** An earlier stored certificate was made current again as a new revision (`restoreRequest`); targets follow. */
  Restored: 'Restored',
  /**
   * A `restoreRequest` was refused: the serial is not stored, expired, revoked, for other names or another key type
   * than the spec. Nothing changed; `status.restore.refused` says why.
   */
  RestoreRefused: 'RestoreRefused',
} as const;
export type LifecycleReason = (typeof LifecycleReason)[keyof typeof LifecycleReason];

/** What one `reconcile` call did. Also the `step` dimension of metrics and the `step` field of logs. */
export const ReconcileStep = {
  /** Trigger fired: the issuance intent is recorded (no side effect yet). */
  Start: 'start',
  Preflight: 'preflight',
  Order: 'order',
  /** Authorizations read and what will be written recorded (the intent before `present`). */
  PlanPresentation: 'plan-presentation',
  Present: 'present',
  Propagate: 'propagate',
  Validate: 'validate',
  Cleanup: 'cleanup',
  Finalize: 'finalize',
  Download: 'download',
  Deliver: 'deliver',
  Ready: 'ready',
  /** A `revokeRequest` is carried out: the current certificate is revoked with the account key. */
  Revoke: 'revoke',
  /** The current certificate is revoked: idle until a renewal is requested after the revocation. */
  Revoked: 'revoked',
  /** A `deleteRequest` is carried out: revoke (when asked), challenge leftovers, key/chain and record removed. */
  Delete: 'delete',
  /** A `restoreRequest` is carried out: an earlier stored certificate becomes current as a new revision (or refused). */
  Restore: 'restore',
  /** Nothing to do before a time (backoff, Retry-After, a claim held by another worker). */
  Wait: 'wait',
  /** The record is gone (deleted). */
  Gone: 'gone',
} as const;
export type ReconcileStep = (typeof ReconcileStep)[keyof typeof ReconcileStep];
