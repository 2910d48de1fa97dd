/**
 * A delivery target: ACM, a Secrets Manager export, a Kubernetes tls Secret. Implementations run
 * `test/conformance/target.suite.ts`.
 */
import type { IsoTime, TargetSpec } from '../lifecycle/types.js';
import type { CertificateMaterial } from './certificate-store.js';

/** Who the delivery is for: adapters tag what they create with it so a lost answer can be found again. */
export interface DeliveryContext {
  readonly certificateId: string;
  readonly targetId: string;
  /** Where the previous delivery went (ACM ARN, ...), as recorded in `status.deliveries`; absent on first delivery. */
  readonly location?: string;
  /** Owning tenant, for tags/labels (names, serial and expiry come with the material). */
  readonly tenant: string;
}

/** What a publish did. */
export interface DeliveryResult {
  /** Where the certificate now lives (ACM ARN, secret ARN, `namespace/name`). */
  readonly location: string;
  /** The serial now deployed there (`serialHex` form). */
  readonly serial: string;
  /**
   * Locations given up by this publish (ACM: the re-import would have been refused — key type/size change,
   * RSA keyEncipherment removed — so a new ARN was created and the old one is listed here). Empty otherwise.
   */
  readonly supersededLocations: readonly string[];
  /** Counts against a quota (ACM: an ImportCertificate call was made). False when nothing needed changing. */
  readonly imported: boolean;
}

/** What a target serves right now, as the monitor and the deliver step see it. */
export interface ObservedDeployment {
  readonly location: string;
  readonly serial: string;
  readonly notAfter: IsoTime;
}

/**
 * Contract (checked by the conformance suite):
 *
 * - `publish(material, context)` deploys the certificate (chain + key). Idempotent by serial: when the location
 *   already holds `material.serial`, nothing is written and `imported` is false.
 *   Crash safety: when `context.location` is absent, the adapter first looks for a deployment it made earlier for
 *   (certificateId, targetId) — ACM: a certificate tagged `portcullis:certificate-id` + `portcullis:target-id` —
 *   and reuses it (re-import on that ARN), so a crash between the first import and recording the ARN never leaves
 *   two ARNs. With `context.location`, it updates that location in place (ACM: re-import keeps the ARN) unless the
 *   update would be refused (then: a new location, the old one in `supersededLocations`).
 * - `observe(context)` reads what is deployed at `context.location` (or found by the tags, as above); `undefined`
 *   when nothing is deployed there (deleted out of band). Never throws for absence.
 * - `quotaScope` names the ledger scope that each `imported: true` publish counts against (ACM: `acm:<region>`,
 *   bucket `AcmImportsPerRegion`); absent when the target has no quota.
 *
 * Errors are adapter errors (PortcullisError subclasses) naming the system and location; retryable ones (throttling,
 * 5xx) make the deliver step requeue with backoff, others fail the delivery.
 */
export interface Target {
  readonly type: TargetSpec['type'];
  readonly quotaScope?: string;
  publish(material: CertificateMaterial, context: DeliveryContext): Promise<DeliveryResult>;
  observe(context: DeliveryContext): Promise<ObservedDeployment | undefined>;
}

/** Builds the target for a spec entry (validating `options` — bad options throw `ValidationError`). */
export interface TargetFactory {
  forSpec(target: TargetSpec): Target;
}
