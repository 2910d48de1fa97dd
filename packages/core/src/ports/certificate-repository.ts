/**
 * Persistence of certificate records and of the orders made for them (DynamoDB in AWS, memory in tests).
 * Implementations run `test/conformance/certificate-repository.suite.ts` and `order-repository.suite.ts`.
 */
import type { CertificateRecord, IsoTime, IssuanceRecord } from '../lifecycle/types.js';

export interface ListCertificatesFilter {
  /** Only this tenant's certificates. */
  readonly tenant?: string;
  /** Only certificates whose `spec.names` contain this exact (normalized) name. */
  readonly name?: string;
  /** Only certificates whose Ready condition has this status (`False` also matches a record without it). */
  readonly ready?: 'True' | 'False';
}

export interface PageRequest {
  /** 1..1000. */
  readonly limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Present when more items may follow; pass back as `cursor`. */
  readonly nextCursor?: string;
}

/**
 * The certificate inventory. Contract (every implementation, checked by the conformance suite):
 *
 * - Records are stored and returned exactly as given (deep-equal JSON), except that `update` sets `version`.
 * - `get` of an absent id returns `undefined` (not an error). Reads are strongly consistent (DynamoDB
 *   `ConsistentRead`): `reconcile` re-reads before deciding and must see its own last write.
 * - `create` is conditional on absence: when a record with that id exists → `ConflictError` (nothing changed).
 *   The record's `version` must be 1.
 * - `update(record)` is conditional on the STORED version being `record.version`; it stores the record with
 *   `version + 1` and returns what it stored. A different stored version → `ConflictError`; no record → `NotFoundError`.
 *   Two concurrent updates from the same version: exactly one wins. Updates replace the whole record.
 * - `delete(id, version)` is conditional the same way; deleting an absent id is success (idempotent).
 * - `listDue(now, limit)` returns records with `nextWakeAt <= now`, earliest first, at most `limit` (1..1000).
 *   Records without `nextWakeAt` are never returned. It must be served by an index on `nextWakeAt` (sparse), so
 *   its cost grows with the number of due records, not with the inventory. Eventually consistent is acceptable
 *   (the planner only enqueues ids; reconcile re-reads).
 * - `list(filter, page)` returns matching records in an order the adapter chooses (stable across the pages of
 *   one listing; memory: by id; DynamoDB: by index key order); pages never repeat or skip a record that exists
 *   during the whole listing. A page may hold fewer than `limit` items and still have a `nextCursor` (filtered
 *   scans); the last page has none, nor has an empty result.
 *
 * Concurrency: no locks — every writer reads, decides, and writes conditionally; a loser re-reads.
 */
export interface CertificateRepository {
  get(id: string): Promise<CertificateRecord | undefined>;
  create(record: CertificateRecord): Promise<void>;
  update(record: CertificateRecord): Promise<CertificateRecord>;
  delete(id: string, version: number): Promise<void>;
  listDue(now: IsoTime, limit: number): Promise<readonly CertificateRecord[]>;
  list(filter: ListCertificatesFilter, page: PageRequest): Promise<Page<CertificateRecord>>;
}

/** One ACME order made for a certificate: the issuance record as it stood, plus how it ended. */
export interface OrderRecord extends IssuanceRecord {
  readonly certificateId: string;
  /** Absent while the issuance is in flight. */
  readonly result?: 'issued' | 'failed';
  readonly finishedAt?: IsoTime;
  /** Serial of the certificate the order produced. */
  readonly serial?: string;
}

/**
 * History of orders per certificate, keyed by (certificateId, revision, attempt). The in-flight copy lives in the
 * certificate's `status.issuance` (one conditional write keeps it consistent); this repository keeps every
 * order — written when the order URL is known and again when the issuance ends — for audit, the events API and
 * cleanup investigations.
 *
 * - `put` is an idempotent upsert by key (writing the same record twice changes nothing; a later write of the same
 *   key replaces the earlier one). No conditions: the certificate record's conditional write is the guard.
 * - `get` of an absent key returns `undefined`.
 * - `list(certificateId, page)` returns the certificate's orders newest first (revision desc, attempt desc);
 *   an unknown certificate gives an empty page.
 */
export interface OrderRepository {
  put(order: OrderRecord): Promise<void>;
  get(certificateId: string, revision: number, attempt: number): Promise<OrderRecord | undefined>;
  list(certificateId: string, page: PageRequest): Promise<Page<OrderRecord>>;
}
