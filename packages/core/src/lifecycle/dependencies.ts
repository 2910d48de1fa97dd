import type { CertificateKeyFactory } from '../ports/acme-client.js';
import type { CertificateRepository, OrderRecord, OrderRepository } from '../ports/certificate-repository.js';
import type { CertificateStore } from '../ports/certificate-store.js';
import type { Clock } from '../ports/clock.js';
import type { DnsProvider } from '../ports/dns-provider.js';
import type { EventLog, LifecycleEvent, LifecycleEventPublisher } from '../ports/events.js';
import type { Http01TokenStore } from '../ports/http01-token-store.js';
import type { Issuer, IssuerDirectory } from '../ports/issuer-directory.js';
import type { RateLimitLedger } from '../ports/ledger.js';
import type { MetricPoint, Metrics } from '../ports/metrics.js';
import type { Random } from '../ports/random.js';
import type { Resolver } from '../ports/resolver.js';
import type { TargetFactory } from '../ports/target.js';
import type { ReconcileStep } from './reasons.js';
import type { CertificateRecord, CertificateStatus, IsoTime } from './types.js';

/** A structured log line: identity on every line, `reason` on decisions. Never key material. */
export interface ReconcileLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly certificateId: string;
  readonly revision: number;
  readonly step: ReconcileStep;
  readonly reason: string;
  readonly message: string;
}

export interface ReconcileDependencies {
  readonly certificates: CertificateRepository;
  readonly orders: OrderRepository;
  readonly ledger: RateLimitLedger;
  readonly events: EventLog;
  readonly publisher: LifecycleEventPublisher;
  readonly metrics: Metrics;
  readonly store: CertificateStore;
  readonly issuers: IssuerDirectory;
  readonly keys: CertificateKeyFactory;
  readonly targets: TargetFactory;
  /** Required for dns-01 certificates. */
  readonly dns?: { readonly provider: DnsProvider; readonly resolver: Resolver };
  /** Required for http-01 certificates. */
  readonly http01?: Http01TokenStore;
  /** CAA pre-flight for http-01 certificates when `dns` is absent; otherwise `dns.resolver` is used. */
  readonly resolver?: Resolver;
  readonly clock: Clock;
  readonly random: Random;
  readonly log?: (entry: ReconcileLogEntry) => void;
  readonly options?: ReconcileOptions;
}

export interface ReconcileOptions {
  /** How long a claim on a non-idempotent step holds off other workers; longer than the worker's timeout. */
  readonly claimLeaseSeconds?: number;
  /** Delay between propagation checks. */
  readonly propagationRecheckSeconds?: number;
  /** Give up waiting for nameservers after this long. */
  readonly propagationTimeoutSeconds?: number;
  /** Give up waiting for the CA to decide authorizations after this long. */
  readonly validationTimeoutSeconds?: number;
  /** Transient errors in one step before it counts as a failure. */
  readonly maxTransientRetries?: number;
}

export const DEFAULT_OPTIONS: Required<ReconcileOptions> = {
  // Lambda's maximum timeout is 15 min; the worker runs with ≤ 5 min, so a claim older than that is a crash.
  claimLeaseSeconds: 300,
  propagationRecheckSeconds: 10,
  // Route53 syncs in about a minute; an RFC 2136 secondary may wait for its refresh timer.
  propagationTimeoutSeconds: 1_800,
  validationTimeoutSeconds: 1_800,
  maxTransientRetries: 8,
};

/** What a step sees. `record` is always the latest version this call persisted (or read). */
export interface StepContext {
  readonly record: CertificateRecord;
  readonly deps: ReconcileDependencies;
  readonly now: IsoTime;
  readonly options: Required<ReconcileOptions>;
  /** The issuer of `record.spec.issuer`; undefined when unknown (the preflight fails the issuance). */
  readonly issuer: Issuer | undefined;
  /**
   * Records an intent BEFORE a side effect with a conditional write (`ConflictError` when another worker wrote
   * first: the caller stops, the side effect is not performed). `nextWakeAt` is set to now + the claim lease so
   * the planner resumes a worker that crashed after the intent.
   */
  persistIntent(status: CertificateStatus): Promise<void>;
}

/** What a step decided; `reconcile` persists it with one conditional write, then emits events/metrics/orders. */
export interface StepOutcome {
  /** The new status; absent: nothing to write. */
  readonly status?: CertificateStatus;
  /** Seconds until the next reconcile is useful; absent: nothing before `nextWakeAt`. */
  readonly requeueAfterSeconds?: number;
  /** When the planner must look again at the latest (defaults to now + requeue). */
  readonly nextWakeAt?: IsoTime;
  /** Nothing to do until someone writes a request: the record leaves the due index (no `nextWakeAt`). */
  readonly sleep?: boolean;
  readonly reason: string;
  readonly message: string;
  readonly events?: readonly LifecycleEvent[];
  readonly metrics?: readonly MetricPoint[];
  readonly orders?: readonly OrderRecord[];
}
