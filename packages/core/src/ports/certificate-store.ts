/**
 * Where certificate private keys and chains live (Secrets Manager in AWS: one secret per certificate,
 * `portcullis/<certificateId>`, versions staged AWSPENDING → AWSCURRENT → AWSPREVIOUS). Implementations run
 * `test/conformance/certificate-store.suite.ts`.
 */
import type { IsoTime } from '../lifecycle/types.js';
import type { Redacted } from '../redacted.js';

/** Public facts about a stored certificate, attached at promotion (Secrets Manager: tags + the JSON). */
export interface CertificateFacts {
  /** Lower-case hex, no leading zeros, no colons (`serialHex`). */
  readonly serial: string;
  readonly names: readonly string[];
  readonly notBefore: IsoTime;
  readonly notAfter: IsoTime;
}

/** A promoted certificate WITHOUT its key: what the lifecycle may read for itself. */
export interface StoredCertificateInfo extends CertificateFacts {
  readonly certificateId: string;
  readonly revision: number;
  /** Leaf first, then intermediates, no root. */
  readonly chainPem: string;
}

/** A promoted certificate WITH its key: handed to targets only. */
export interface CertificateMaterial extends StoredCertificateInfo {
  readonly key: Redacted<string>;
}

/**
 * Contract (checked by the conformance suite):
 *
 * - `putPending(id, revision, key)` stores the fresh key of `revision` as PENDING, BEFORE the CSR goes to the CA.
 *   Create-if-absent per (id, revision): when a pending key for that revision exists already (a retry after a crash,
 *   a duplicate worker), the stored one is kept and RETURNED — the caller must sign its CSR with the returned key,
 *   so that exactly one key exists per revision. (This is the only call that hands a key back to the lifecycle.)
 *   Putting a pending revision lower than or equal to the current revision → `ConflictError`.
 * - `promote(id, revision, chainPem, facts)` attaches the chain to the pending key of `revision` and makes key and
 *   chain CURRENT together; the former current becomes PREVIOUS (the one before that is no longer returned).
 *   Idempotent: promoting the revision that is already current is success and changes nothing. No pending key for
 *   that revision → `NotFoundError`.
 * - `describeCurrent(id)` / `getCurrent(id)`: the current certificate without / with its key; `undefined` when
 *   nothing was promoted. `getPrevious(id)`: the one before (rollback, drift checks); `undefined` when none.
 *   `getCurrent`/`getPrevious` are for delivery to targets only; nothing else may read keys.
 * - `listVersions(id)`: every promoted certificate still stored, newest revision first, WITHOUT keys (one entry per
 *   revision; a restored certificate appears again under its new revision). Retention is the backend's: Secrets
 *   Manager keeps at most ~100 versions of a secret (two per revision here: the pending key and the certificate)
 *   and may remove versions that carry no staging label once there are more than that — so an old revision can
 *   drop out of the list; only the current and the previous one are guaranteed. `[]` when nothing was promoted.
 * - `getBySerial(id, serial)`: the stored certificate WITH its key whose leaf has `serial` (`serialHex` form), the
 *   newest revision when several hold it (a restore); `undefined` when none does.
 * - `promoteExisting(id, revision, serial)` (restore): makes a copy of the stored certificate with `serial` (key,
 *   chain and facts) current as the NEW `revision`; the former current becomes previous. Nothing goes through the
 *   lifecycle's hands: the key is copied inside the store. Idempotent: when `revision` is already current holding
 *   `serial`, success that changes nothing (a retry after a crash). `revision` not newer than the current one (and
 *   not that same restore) → `ConflictError`; no stored certificate with `serial` → `NotFoundError`. Pending keys
 *   of `revision` (a failed issuance attempt) are left alone and never promoted by it. Returns what became current.
 * - `delete(id)` removes every version (API delete); deleting an absent id is success.
 *
 * Concurrency: calls for different revisions of one certificate are serialized by the lifecycle (one issuance at a
 * time); the store itself needs no locks beyond create-if-absent of a pending revision.
 * Keys never appear in errors, logs or tags.
 */
export interface CertificateStore {
  putPending(certificateId: string, revision: number, key: Redacted<string>): Promise<Redacted<string>>;
  promote(certificateId: string, revision: number, chainPem: string, facts: CertificateFacts): Promise<void>;
  describeCurrent(certificateId: string): Promise<StoredCertificateInfo | undefined>;
  getCurrent(certificateId: string): Promise<CertificateMaterial | undefined>;
  getPrevious(certificateId: string): Promise<CertificateMaterial | undefined>;
  listVersions(certificateId: string): Promise<readonly StoredCertificateInfo[]>;
  getBySerial(certificateId: string, serial: string): Promise<CertificateMaterial | undefined>;
  promoteExisting(certificateId: string, revision: number, serial: string): Promise<StoredCertificateInfo>;
  delete(certificateId: string): Promise<void>;
}
