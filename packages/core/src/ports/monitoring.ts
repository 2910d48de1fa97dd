/**
 * Ports of the `monitor` schedule. Implementations: `@portcullis/aws` (SNS, DynamoDB, ACM, SQS), `@portcullis/probe`
 * (live TLS endpoints); in-memory fakes in `@portcullis/core/testing`. Conformance: `test/conformance/alert-repository.suite.ts`.
 */
import type { IsoTime } from '../lifecycle/types.js';
import type { AcmCertificateSummary, Alert, AlertKind, AlertRecord, Observation } from '../monitoring/types.js';
import type { Page, PageRequest } from './certificate-repository.js';

/** Why a notification is sent: a new alert, a changed one (threshold/severity/fingerprint), or a resolved one. */
export type AlertTransition = 'opened' | 'changed' | 'resolved';

/**
 * Sends one alert to people (SNS: subject + body with the runbook link; message attributes `kind`, `severity`,
 * `certificate`, `names`, `transition` so subscribers can filter). At-least-once; subscribers dedupe on
 * `key` + `fingerprint` + `transition`. Throws adapter errors; the monitor retries at its next run (the record's
 * `notifiedAt` is only written after a successful send).
 */
export interface Notifier {
  notify(alert: Alert, transition: AlertTransition): Promise<void>;
}

export interface AlertFilter {
  readonly state?: 'open' | 'resolved';
  readonly kind?: AlertKind;
  readonly certificateId?: string;
  /** Only alerts of this tenant; `null` = only account-wide alerts (no tenant). */
  readonly tenant?: string | null;
}

/**
 * Open (and recently resolved) alerts, keyed by `Alert.key`.
 * - `get` of an absent key → undefined. `put(record)` stores with version+1, conditional on the stored version being
 *   `record.version` (0 = must not exist) → ConflictError otherwise; returns what it stored.
 * - `list(filter, page)`: stable order by key; pages never repeat or skip.
 */
export interface AlertRepository {
  get(key: string): Promise<AlertRecord | undefined>;
  put(record: AlertRecord): Promise<AlertRecord>;
  list(filter: AlertFilter, page: PageRequest): Promise<Page<AlertRecord>>;
}

/** Last observations per managed certificate (written by the monitor; read by the API for `status`). */
export interface ObservationStore {
  put(certificateId: string, observations: readonly Observation[]): Promise<void>;
  get(certificateId: string): Promise<readonly Observation[]>;
}

/** The outcome of one TLS handshake. */
export interface ProbeResult {
  readonly serial: string;
  readonly notAfter: IsoTime;
  readonly names: readonly string[];
  /** Issuer CN of the leaf. */
  readonly issuer: string;
}

/**
 * Handshakes with `host:port` sending `serverName` as SNI (default: `host` when it is a name), reads the leaf the
 * server presents. Does NOT verify trust (a drift check must see what is served, trusted or not). Times out
 * (`timeoutMs`, default 5 s) → throws a PortcullisError naming host:port.
 */
export interface EndpointProber {
  probe(endpoint: { host: string; port: number; serverName?: string; timeoutMs?: number }): Promise<ProbeResult>;
}

/** Lists ACM certificates of every key type (Includes.keyTypes with all of them), all pages, in one region. */
export interface AcmInventory {
  list(region: string): Promise<readonly AcmCertificateSummary[]>;
}

/** The reconcile dead-letter queue. */
export interface DeadLetterQueue {
  readonly name: string;
  /** ApproximateNumberOfMessages (+ NotVisible). */
  depth(): Promise<number>;
}

/** Re-exported for adapters that build alert keys. */
export type { Alert, AlertRecord, IsoTime, Observation };
