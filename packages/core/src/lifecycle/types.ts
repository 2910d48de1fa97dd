/**
 * The certificate record of the serverless lifecycle (architecture.md §3): `spec` written by the API, `status`
 * written ONLY by `reconcile`, `version` for optimistic concurrency, `nextWakeAt` for the "due" index.
 *
 * Everything here is plain JSON-serialisable data (adapters store it as-is: DynamoDB map, JSON file):
 * - times are `IsoTime` strings in UTC truncated to seconds (`2026-05-01T12:00:00Z`, see `toIsoTime`);
 * - no class instances, no Dates, no Buffers, no `undefined` inside arrays; optional fields are simply absent;
 * - NO key material ever (keys live in the `CertificateStore`, and only as `Redacted` in memory).
 *
 * State of one issuance (the `issuance` field while it is in flight):
 *
 *   Preflight ─▶ Ordering ─▶ Presenting ─▶ Propagating ─▶ Validating ─▶ CleaningUp ─▶ Finalizing ─▶ Downloading
 *       │ (budget refused: wait, re-check)     │ (failure at any point) ──▶ CleaningUp (outcome failed) ─▶ (gone, backoff)
 *
 * After Downloading the new chain and key are promoted, `revision` grows by one, `issuance` is archived in the
 * OrderRepository and removed; `deliveries` then catch up with the current serial target by target, and `Ready`
 * becomes True once every target holds it.
 */
import type { AcmeProblem, ChallengeType, KeyType, RenewalWindow, RevocationReason } from '../ports/acme-client.js';
import type { Presentation, TxtRecord } from '../ports/dns-provider.js';

/** ISO 8601 UTC, truncated to whole seconds, with `Z` (`2026-05-01T12:00:00Z`). */
export type IsoTime = string;

/** The kinds of delivery targets. Each kind is implemented by an adapter package. */
export const TargetType = {
  /** AWS Certificate Manager import / re-import on the stored ARN (`@portcullis/aws`). */
  Acm: 'acm',
  /** A Secrets Manager secret holding a PEM bundle or JSON, for consumers reading secrets directly. */
  SecretsManagerExport: 'secrets-manager',
  /** A Kubernetes `kubernetes.io/tls` Secret (`@portcullis/kube`). */
  Kubernetes: 'kubernetes',
} as const;
export type TargetType = (typeof TargetType)[keyof typeof TargetType];

/** One place a certificate is delivered to. `id` is stable within the certificate and keys `status.deliveries`. */
export interface TargetSpec {
  /** `[a-z0-9-]{1,64}`, unique within the certificate (e.g. `acm-eu-west-1`). */
  readonly id: string;
  readonly type: TargetType;
  /** Adapter options as strings (ACM: `region`; secrets-manager: `name`, `format` pem|json; kubernetes: ...). */
  readonly options: Readonly<Record<string, string>>;
}

/**
 * A live TLS endpoint that should serve this certificate (checked by the `monitor` schedule: handshake with SNI,
 * compare the served serial with the current revision). Not part of the spec hash: changing it never reissues.
 */
export interface EndpointSpec {
  /** Host name or IP literal to connect to (e.g. the NLB's name). */
  readonly host: string;
  /** 1..65535, default 443. */
  readonly port: number;
  /** SNI to send; default: the certificate's first non-wildcard name. */
  readonly serverName?: string;
}

/** Overrides of the renewal time policy (policies/renewal-time.ts). */
export interface RenewalPolicy {
  /** Renew when this many seconds of validity are left, instead of the lifetime fraction (ARI still wins). */
  readonly renewBeforeSeconds?: number;
}

/** What the API asked for. Names are already normalized (`normalizeIdentifiers`): lower case, punycode. */
export interface CertificateSpec {
  /** Order kept: the first DNS name becomes the CSR common name. `*.` marks a wildcard; IP literals allowed. */
  readonly names: readonly string[];
  readonly keyType: KeyType;
  /** ACME profile (`classic`, `tlsserver`, `shortlived`); absent = the CA default. */
  readonly profile?: string;
  /** Issuer id, resolved by `IssuerDirectory` (e.g. `letsencrypt`, `letsencrypt-staging`, `pebble`). */
  readonly issuer: string;
  readonly challenge: ChallengeType;
  readonly targets: readonly TargetSpec[];
  readonly renewal?: RenewalPolicy;
  /** Live endpoints the monitor checks (drift, expiry as served). */
  readonly endpoints?: readonly EndpointSpec[];
  /** Owning tenant (authorization of API callers, list filter). */
  readonly tenant: string;
  /** Issuer CN of the top certificate of the wanted chain (`ISRG Root X1`). */
  readonly preferredChain?: string;
}

export const ConditionType = {
  /** True when the current certificate is valid, matches the spec and is delivered to every target. */
  Ready: 'Ready',
  /** True while an issuance is in flight (or waiting for budget/backoff before one). */
  Issuing: 'Issuing',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly type: ConditionType;
  readonly status: ConditionStatus;
  /** A documented reason constant (TriggerReason, LifecycleReason). */
  readonly reason: string;
  /** One stable sentence for people: no request ids, no timestamps of the moment, no key material. */
  readonly message: string;
  /** When `status` last changed (not when the message changed). */
  readonly lastTransitionAt: IsoTime;
}

export const IssuancePhase = {
  /** Intent to issue recorded; CAA pre-flight and the rate-limit budget are checked next (no CA call yet). */
  Preflight: 'Preflight',
  /** Budget granted and ledger charged; the next step calls newOrder and persists the URL at once. */
  Ordering: 'Ordering',
  /** The order exists (`orderUrl`); challenge responses are computed and written (planned records first). */
  Presenting: 'Presenting',
  /** Everything is presented (`presentation` recorded); waiting for every authoritative nameserver. */
  Propagating: 'Propagating',
  /** The CA was (or is being) told to validate; authorizations are polled, honouring Retry-After. */
  Validating: 'Validating',
  /** Validation concluded (`outcome` says how); challenge records/tokens are removed from what was recorded. */
  CleaningUp: 'CleaningUp',
  /** Authorizations valid; a fresh key is stored pending, then the CSR is sent. */
  Finalizing: 'Finalizing',
  /** Finalize sent; the order is polled, the chain downloaded, key and chain promoted together. */
  Downloading: 'Downloading',
} as const;
export type IssuancePhase = (typeof IssuancePhase)[keyof typeof IssuancePhase];

/** One authorization of the order, reduced to what later steps need. */
export interface IssuanceAuthorization {
  readonly url: string;
  /** Identifier value WITHOUT `*.`; `wildcard` says whether the order asked for `*.value`. */
  readonly identifier: string;
  readonly identifierType: 'dns' | 'ip';
  readonly wildcard: boolean;
  /** `valid` when the CA reused an earlier validation: nothing to present for it. */
  readonly status: string;
  /** The selected challenge (absent when already valid). */
  readonly challengeUrl?: string;
  readonly challengeType?: ChallengeType;
  readonly token?: string;
}

/** What was (or is about to be) written where, recorded BEFORE writing so cleanup can always find it. */
export interface IssuancePresentation {
  /** dns-01: the TXT records planned (after CNAME delegation), recorded before the provider is called. */
  readonly plannedRecords?: readonly TxtRecord[];
  /** dns-01: what the provider reported writing (zones, change ids); recorded right after `present`. */
  readonly dns?: Presentation;
  /** http-01: tokens stored in the token store (recorded before storing). */
  readonly http01Tokens?: readonly string[];
}

/** A claim on a non-idempotent side effect: written (conditionally) before the call, so a duplicate worker waits. */
export interface StepClaim {
  readonly step: string;
  readonly at: IsoTime;
  /** Random per claiming worker: read back after the claim write to confirm this worker holds it (claim.ts). */
  readonly token?: string;
}

/** The in-flight issuance. Exactly one at a time per certificate. */
export interface IssuanceRecord {
  /** The revision this issuance will become (`status.revision + 1`). */
  readonly revision: number;
  /** 1 for the first try of this revision; +1 per retry after a failure. Orders are keyed (revision, attempt). */
  readonly attempt: number;
  readonly phase: IssuancePhase;
  /** The TriggerReason that started it. */
  readonly reason: string;
  readonly startedAt: IsoTime;
  /** Spec hash at the start (becomes `status.specHash` when promoted). */
  readonly specHash: string;
  /** ARI certID of the certificate being replaced (sent as `replaces`). */
  readonly replaces?: string;
  readonly claim?: StepClaim;
  /** Persisted the moment newOrder answers. */
  readonly orderUrl?: string;
  readonly finalizeUrl?: string;
  readonly authorizations?: readonly IssuanceAuthorization[];
  readonly presentation?: IssuancePresentation;
  /** Set once everything planned was written (dns-01 provider answered / http-01 tokens stored). */
  readonly presentedAt?: IsoTime;
  /** Set once the challenges were accepted at the CA. */
  readonly acceptedAt?: IsoTime;
  /** Set once challenge records/tokens were removed. */
  readonly cleanedUpAt?: IsoTime;
  /** Set once the pending key is in the CertificateStore (before the CSR is sent). */
  readonly pendingKeyStoredAt?: IsoTime;
  readonly finalizedAt?: IsoTime;
  /** Requeue no earlier than this (budget refill, Retry-After, CA polling). */
  readonly waitUntil?: IsoTime;
  /** Consecutive transient errors (network, throttling, CA 5xx) in the current phase; reset when a step succeeds. */
  readonly retries?: number;
  /** How validation ended; set when entering CleaningUp. */
  readonly outcome?: 'validated' | 'failed';
  /** The failure being cleaned up after (then recorded in `status.failures`). */
  readonly failure?: FailureRecord;
}

/** A failure as stored: stable (ids and timestamps stripped) so retries don't churn the record. */
export interface FailureRecord {
  /** A LifecycleReason (e.g. `ValidationFailed`, `RateLimited`, `OrderFailed`). */
  readonly reason: string;
  readonly message: string;
  /** ACME problem type (full URN) and detail, when the CA answered with one. */
  readonly problem?: Pick<AcmeProblem, 'type' | 'detail'>;
  /** The CA's Retry-After (never retry before it). */
  readonly retryAfter?: IsoTime;
}

/** Consecutive failures and the persisted backoff (policies/backoff.ts). Reset by a successful issuance. */
export interface FailureState {
  readonly count: number;
  readonly lastFailureAt: IsoTime;
  /** No new issuance attempt before this time. */
  readonly backoffUntil: IsoTime;
  readonly last: FailureRecord;
  /** The spec hash the failures were for: a changed spec resets the backoff. */
  readonly specHash: string;
}

/** The renewal time chosen for the current certificate, ONCE (re-asking would move it). */
export interface RenewalState {
  readonly at: IsoTime;
  readonly source: 'ari' | 'lifetime';
  /** The ARI window the point was chosen in. */
  readonly ariWindow?: RenewalWindow;
  readonly ariCheckedAt?: IsoTime;
  /** When to ask ARI again (Retry-After, at least twice a day). */
  readonly ariNextCheckAt?: IsoTime;
}

/** What one target holds, as recorded by the deliver step. */
export interface DeliveryState {
  /** `publishing` is the intent (written before the call); `delivered` after. */
  readonly state: 'publishing' | 'delivered' | 'failed';
  /** Revision/serial being (or last) delivered. */
  readonly revision: number;
  readonly serial: string;
  /** Where it lives (ACM ARN, secret ARN, namespace/name); absent until the first publish answered. */
  readonly location?: string;
  /** Earlier locations that were superseded (ACM: a re-import would have been refused → new ARN). */
  readonly supersededLocations?: readonly string[];
  readonly claimedAt?: IsoTime;
  readonly deliveredAt?: IsoTime;
  /** Why the last attempt failed (stable sentence). */
  readonly message?: string;
  /** Consecutive failed attempts for this revision; reset on success. */
  readonly failures?: number;
  /** Not before this time (backoff, quota refill). */
  readonly retryAt?: IsoTime;
}

/** The name of an RFC 5280 revocation reason ACME accepts (`keyCompromise`, `superseded`, ...). */
export type RevocationReasonName = keyof typeof RevocationReason;

/** Written by the API (`POST /certificates/{id}/revoke`): revoke the current certificate at the CA. */
export interface RevokeRequest {
  readonly at: IsoTime;
  readonly reason: RevocationReasonName;
  /** The caller's principal (audit). */
  readonly by: string;
}

/** Written by the API (`DELETE /certificates/{id}`): stop managing the certificate (revoke first when asked). */
export interface DeleteRequest {
  readonly at: IsoTime;
  readonly revoke: boolean;
  /** Revocation reason when `revoke` (default `unspecified`). */
  readonly reason?: RevocationReasonName;
  readonly by: string;
}

/**
 * Written by the API (`POST /certificates/{id}/restore`): make an earlier stored certificate (by serial) current
 * again as a NEW revision and deliver it everywhere (rollback after a bad renewal). Carried out once: see
 * `status.restore`.
 */
export interface RestoreRequest {
  readonly at: IsoTime;
  /** Serial (`serialHex`) of a stored, unexpired earlier certificate of this record. */
  readonly serial: string;
  readonly by: string;
}

/** The answer to a `RestoreRequest` (the request whose `at` is `requestedAt`). */
export interface RestoreState {
  readonly requestedAt: IsoTime;
  readonly restoredAt: IsoTime;
  readonly serial: string;
  /** The revision the restored certificate became; absent when refused. */
  readonly revision?: number;
  /** Why it was refused (unknown serial, expired), stable sentence. */
  readonly refused?: string;
}

/**
 * A restore being carried out (intent written BEFORE the store is asked to promote, like a step claim): pins the
 * serial and the revision it becomes, so a crash or a newer request resumes THIS restore first, and a duplicate
 * worker waits out the lease instead of promoting concurrently. Removed when `restore` is written.
 */
export interface RestoreIntent {
  readonly requestedAt: IsoTime;
  readonly serial: string;
  readonly revision: number;
  readonly claimedAt: IsoTime;
  /** Random per claiming worker, read back after the write (see steps/claim.ts). */
  readonly token: string;
}

/**
 * The answer to a `RevokeRequest` (the request whose `at` is `requestedAt`). While `serial` is the current serial,
 * nothing is issued or delivered until a renewal is requested after `revokedAt`.
 */
export interface RevocationState {
  readonly requestedAt: IsoTime;
  readonly revokedAt: IsoTime;
  readonly reason: RevocationReasonName;
  /** The revoked certificate; absent when nothing had been issued (there was nothing to revoke). */
  readonly serial?: string;
  readonly revision: number;
}

export interface CertificateStatus {
  readonly conditions: readonly Condition[];
  /** Number of certificates promoted so far (0 = none). The current certificate is this revision. */
  readonly revision: number;
  /** Current certificate: serial as lower-case hex without leading zeros (`serialHex`). */
  readonly serial?: string;
  /** Names of the current certificate (the spec's names when it was issued). */
  readonly names?: readonly string[];
  readonly notBefore?: IsoTime;
  readonly notAfter?: IsoTime;
  /** ARI certID of the current certificate (sent as `replaces` by the next renewal). */
  readonly certId?: string;
  /** Hash of the spec fields that shape the certificate (policies/spec-hash.ts), at the time it was issued. */
  readonly specHash?: string;
  readonly renewal?: RenewalState;
  readonly failures?: FailureState;
  /** Keyed by `TargetSpec.id`. */
  readonly deliveries: Readonly<Record<string, DeliveryState>>;
  readonly issuance?: IssuanceRecord;
  /** The last (revision, attempt) an issuance was started for: the next attempt of that revision is one higher. */
  readonly lastAttempt?: { readonly revision: number; readonly attempt: number };
  /**
   * The record's `renewRequestedAt` when the last issuance STARTED: that attempt answers the request (also when it
   * fails — a failed attempt must not turn the request into a backoff-free retry loop).
   */
  readonly renewRequestHandledAt?: IsoTime;
  /** Set once a `revokeRequest` was carried out. */
  readonly revocation?: RevocationState;
  /** Set once a `restoreRequest` was carried out (or refused). */
  readonly restore?: RestoreState;
  /** While a `restoreRequest` is being carried out (added by H8; absent otherwise). */
  readonly restoring?: RestoreIntent;
  readonly lastReconciledAt?: IsoTime;
}

export interface CertificateRecord {
  /** Opaque, assigned by the API (`[A-Za-z0-9_-]{1,64}`). */
  readonly id: string;
  readonly spec: CertificateSpec;
  readonly status: CertificateStatus;
  /** 1 at creation; +1 per successful write (every write is conditional on it). */
  readonly version: number;
  /** When the record next needs work (index "due"); absent = nothing scheduled. */
  readonly nextWakeAt?: IsoTime;
  /** Written by the API (`POST /renew`); the lifecycle renews when it is later than `status.renewRequestHandledAt`. */
  readonly renewRequestedAt?: IsoTime;
  /** Written by the API; carried out once (see `status.revocation`). */
  readonly revokeRequest?: RevokeRequest;
  /** Written by the API; carried out once (see `status.restore`). */
  readonly restoreRequest?: RestoreRequest;
  /** Written by the API; the lifecycle revokes (when asked), cleans up and removes the record. */
  readonly deleteRequest?: DeleteRequest;
  readonly createdAt: IsoTime;
}

/** A record as the API creates it: no issuance yet. */
export function newCertificateRecord(id: string, spec: CertificateSpec, now: IsoTime): CertificateRecord {
  return {
    id,
    spec,
    status: { conditions: [], revision: 0, deliveries: {} },
    version: 1,
    nextWakeAt: now,
    createdAt: now,
  };
}

/** Truncates to whole seconds and formats as `IsoTime`. */
export function toIsoTime(date: Date | number): IsoTime {
  const ms = typeof date === 'number' ? date : date.getTime();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
