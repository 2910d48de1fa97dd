/**
 * What the API handlers need, built once per cold start by the wiring (or by a test) and passed to
 * `createApiHandlers`. The API writes only `spec` and the request markers below, and enqueues; `reconcile` is the
 * only writer of `status`.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type {
  AlertRepository,
  CertificateRecord,
  CertificateRepository,
  CertificateStore,
  Clock,
  EventLog,
  ObservationStore,
  Queue,
  Resolver,
  RevocationReason,
} from '@portcullis/core';
import type { IdempotencyOptions } from './idempotency.js';
import type { TenantDirectory } from './tenants.js';

export type RevocationReasonName = keyof typeof RevocationReason;

/**
 * Requests the API records on a certificate for the lifecycle to act on. The core `CertificateRecord` has only
 * `renewRequestedAt`; revocation and deletion requests are defined HERE as extra top-level fields of the stored
 * record (the repositories store records as given and reconcile writes `{ ...record, status }`, so they survive).
 * Acting on them (revoke at the CA, remove from targets, delete the record) is the lifecycle's job.
 */
/** The request markers the API writes; declared on core's record, reconcile acts on them. */
export type CertificateRequests = Pick<CertificateRecord, 'revokeRequest' | 'deleteRequest'>;

/** Kept as a name for the API's record type: since core declares the markers, it is core's record. */
export type ApiCertificateRecord = CertificateRecord;

export interface ApiDependencies {
  readonly certificates: CertificateRepository;
  readonly events: EventLog;
  readonly queue: Queue;
  /** For `POST /preflight` (delegation, zone and name servers, CAA, wildcard CNAME capture). */
  readonly resolver: Resolver;
  readonly tenants: TenantDirectory;
  readonly clock: Clock;
  /** New certificate ids (`[A-Za-z0-9_-]{1,64}`). */
  readonly newId: () => string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Issuer of a request that names none (`spec.issuer`). */
  readonly defaultIssuer: string;
  /**
   * Every issuer id the worker can order from (`defaultIssuer` first, then `PORTCULLIS_ACME_ISSUERS`): `issuer` in
   * a create or update must be one of them (400 naming `issuer` otherwise) — switching issuers during a CA outage.
   */
  readonly issuers: readonly string[];
  /** The monitor's alerts (`GET /alerts`). */
  readonly alerts: AlertRepository;
  /** The monitor's last observations per certificate (`GET /certificates/{id}`). */
  readonly observations: ObservationStore;
  /** Stored certificate versions (`GET /certificates/{id}/versions`, the serial check of `POST .../restore`). */
  readonly store: CertificateStore;
  /** CA identities for the CAA check of `POST /preflight` (`letsencrypt.org`). */
  readonly caIdentities: readonly string[];
  /** Without it, `Idempotency-Key` is refused with 400 rather than silently ignored. */
  readonly idempotency?: IdempotencyOptions;
}
