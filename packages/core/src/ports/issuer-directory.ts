import type { AcmeClient } from './acme-client.js';

/** One configured ACME issuer: its client (one account) and the CAA identities that authorize it. */
export interface Issuer {
  /** The id certificates name in `spec.issuer` (`letsencrypt`, `letsencrypt-staging`, `pebble`). */
  readonly id: string;
  readonly acme: AcmeClient;
  /** CAA `issue` values that authorize this CA (Let's Encrypt: `letsencrypt.org`); empty skips the CAA pre-flight. */
  readonly caaIdentities: readonly string[];
  /**
   * Whether the ledger mirrors Let's Encrypt's limits for this issuer (true for Let's Encrypt, false for pebble or a
   * private CA, whose limits differ). The ACM quota is counted regardless.
   */
  readonly letsEncryptLimits: boolean;
}

/** Resolves `spec.issuer`; `undefined` for an unknown id (the lifecycle then fails the certificate, no CA call). */
export interface IssuerDirectory {
  get(issuerId: string): Issuer | undefined;
}
