import { PortcullisError, ValidationError } from '../errors.js';
import type { Redacted } from '../redacted.js';

/**
 * The ACME port (RFC 8555 + RFC 9773 ARI) the issuance orchestration drives. Implemented by `@portcullis/acme`.
 *
 * Two kinds of callers use it:
 * - a level-triggered worker (Lambda) that takes ONE step, persists the plain data it got back and requeues with
 *   `retryAfterMs`: use the single-step calls (`newOrder`, `acceptChallenge`, `pollAuthorization`, `finalize`,
 *   `pollOrder`, `downloadCertificate`);
 * - a process that may wait (CLI, local runtime): the same calls, or the `waitFor*` helpers that loop with the
 *   client's backoff and the server's `Retry-After`.
 *
 * Everything going in and out is plain JSON-serialisable data (no class instances, no Buffers, no Dates), so an
 * order or an authorization can be stored and handed to another process later.
 *
 * Errors: a problem document from the CA surfaces as `AcmeProblemError` (full URN `type`, `detail`, `subproblems`,
 * HTTP `status`, `retryAfter`) — never swallowed. `badNonce` is retried inside the client (bounded); `rateLimited`
 * is never retried by the client: the caller gets the error with `retryAfter` and must not call before it.
 * Network/TLS failures surface as `PortcullisError`s with `retryable: true`.
 */
export interface AcmeClient {
  /** The CA's directory, fetched once and cached. */
  directory(): Promise<AcmeDirectoryInfo>;

  /**
   * Registers the account on first use (account key from the KeyStore, created once) and returns it. Every other
   * authenticated call does this implicitly; calling it first only surfaces account problems (EAB, terms) early.
   */
  ensureAccount(): Promise<AcmeAccount>;

  /**
   * Creates an order. Not idempotent: the caller persists `order.url` immediately and uses `getOrder` afterwards.
   * - `identifiers` must already be normalized (`normalizeIdentifiers` in core) — the client does not re-validate.
   * - `profile`: when the directory advertises `meta.profiles`, a profile not among them is refused with a
   *   `ValidationError` before anything is sent. When the directory advertises none (pebble, older CAs), the
   *   profile is sent as-is and the CA decides (pebble ignores it).
   * - `replaces` (ARI certID of the predecessor): on `alreadyReplaced` the order is retried ONCE without it, and the
   *   returned order has `replacesDropped: true`.
   */
  newOrder(request: NewOrderRequest): Promise<AcmeOrder>;

  /** Re-reads an order (POST-as-GET). */
  getOrder(url: string): Promise<AcmeOrder>;

  /** Reads all authorizations of an order, in the order's order. */
  getAuthorizations(order: AcmeOrder): Promise<AcmeAuthorization[]>;

  /**
   * What must be published for a challenge (needs the account key, hence on the client):
   * dns-01 → the TXT value (already the base64url SHA-256 digest — do not hash again; the record NAME is the DNS
   * package's business: `_acme-challenge.<identifier without *.>`); http-01 → token + key authorization to serve at
   * `/.well-known/acme-challenge/<token>`.
   */
  challengeResponse(challenge: AcmeChallenge): Promise<ChallengeResponse>;

  /** Tells the CA the response is in place (POST `{}` to the challenge URL). Idempotent on the CA side. */
  acceptChallenge(challenge: AcmeChallenge): Promise<AcmeChallenge>;

  /**
   * One poll of an authorization. `retryAfterMs` is set while the status is not final: the server's Retry-After
   * when it sent one, else the client's minimum backoff. When final and `invalid`, `error` holds the problem of the
   * failed challenge (e.g. `unauthorized` + "Correct value not found for DNS challenge"); no exception is thrown.
   */
  pollAuthorization(url: string): Promise<AuthorizationPoll>;

  /**
   * Waits until the authorization is `valid` (returns it) or final otherwise (throws `AcmeProblemError` with the
   * challenge's problem). Honours Retry-After, backs off between backoffMin and backoffMax, gives up after
   * `timeoutMs` (retryable error).
   */
  waitForAuthorization(url: string, options?: WaitOptions): Promise<AcmeAuthorization>;

  /** Sends the CSR (PEM, from `CertificateKeyFactory.createCsr`) to the order's finalize URL. Order must be `ready`. */
  finalize(order: AcmeOrder, csrPem: string): Promise<AcmeOrder>;

  /** One poll of an order; `retryAfterMs` as for `pollAuthorization` (set while `pending`/`processing`). */
  pollOrder(url: string): Promise<OrderPoll>;

  /**
   * Waits until the order reaches one of `until` (default: `valid`) or a final status. An `invalid` order throws
   * `AcmeProblemError` with the order's problem.
   */
  waitForOrder(url: string, options?: WaitOptions & { until?: readonly OrderStatus[] }): Promise<AcmeOrder>;

  /**
   * Downloads the certificate of a `valid` order as a PEM chain (leaf first, no root). `preferredChain`: the
   * issuer common name of the topmost certificate of the wanted chain (Let's Encrypt: "ISRG Root X1"); the default
   * chain is returned when no alternate matches.
   */
  downloadCertificate(order: AcmeOrder, options?: { preferredChain?: string }): Promise<string>;

  /** Revokes with the ACCOUNT key (revoking with the certificate key would mean keyCompromise at Let's Encrypt). */
  revoke(certificatePem: string, reason: RevocationReason): Promise<void>;

  /** The ARI certID (RFC 9773 §4.1) of a certificate, for `replaces` and `renewalInfo`. Pure, no network. */
  certId(certificatePem: string): string;

  /**
   * Fetches ARI renewal information (unauthenticated GET `{renewalInfo}/{certID}`). Returns `undefined` when the CA
   * does not advertise `renewalInfo` (pebble). Throws `AcmeProblemError` for 404 (unknown certificate) and other
   * errors. `retryAfterMs` is the server's Retry-After (when absent: the client's default, 6 hours).
   */
  renewalInfo(certificatePem: string): Promise<RenewalInfo | undefined>;
}

/** Generates certificate keys (fresh for every order) and CSRs. Implemented by `@portcullis/acme`. */
export interface CertificateKeyFactory {
  /** A fresh private key, PKCS#8 PEM, never logged. */
  generateKey(keyType: KeyType): Promise<Redacted<string>>;
  /** A CSR (PEM) for the identifiers: SANs for all, CN = first DNS identifier (when ≤ 64 characters). */
  createCsr(key: Redacted<string>, identifiers: readonly AcmeIdentifier[]): Promise<string>;
}

/** Certificate key types, named as on the CLI (`--key`). Let's Encrypt accepts all of them (no Ed25519). */
export const KeyType = {
  /** ECDSA P-256: the default (small, fast, universally supported). */
  EcP256: 'ec-p256',
  /** ECDSA P-384. */
  EcP384: 'ec-p384',
  /** RSA 2048: for clients that cannot do ECDSA. */
  Rsa2048: 'rsa-2048',
  /** RSA 3072. */
  Rsa3072: 'rsa-3072',
  /** RSA 4096. */
  Rsa4096: 'rsa-4096',
} as const;
export type KeyType = (typeof KeyType)[keyof typeof KeyType];

export const ChallengeType = {
  /** TXT record at `_acme-challenge.<name>`; the only type allowed for wildcards. */
  Dns01: 'dns-01',
  /** File at `http://<name>/.well-known/acme-challenge/<token>`; the only type here for IP identifiers. */
  Http01: 'http-01',
} as const;
export type ChallengeType = (typeof ChallengeType)[keyof typeof ChallengeType];

/** RFC 8555 §7.1.3. */
export type OrderStatus = 'pending' | 'ready' | 'processing' | 'valid' | 'invalid';
/** RFC 8555 §7.1.4. */
export type AuthorizationStatus = 'pending' | 'valid' | 'invalid' | 'deactivated' | 'expired' | 'revoked';
/** RFC 8555 §7.1.6. */
export type ChallengeStatus = 'pending' | 'processing' | 'valid' | 'invalid';

/** An identifier as sent to the CA: lower case, punycode, no trailing dot; a wildcard keeps its `*.` prefix. */
export interface AcmeIdentifier {
  readonly type: 'dns' | 'ip';
  readonly value: string;
}

export interface AcmeDirectoryInfo {
  readonly url: string;
  /** Profile name → description from `meta.profiles`; empty when the CA advertises none. */
  readonly profiles: Readonly<Record<string, string>>;
  /** ARI base URL (`renewalInfo`), absent when the CA has no ARI. */
  readonly renewalInfo?: string;
  readonly termsOfService?: string;
  readonly externalAccountRequired: boolean;
}

export interface AcmeAccount {
  /** Account URL (the JWS `kid`). */
  readonly url: string;
  readonly status: string;
  readonly contact: readonly string[];
}

export interface NewOrderRequest {
  readonly identifiers: readonly AcmeIdentifier[];
  readonly profile?: string;
  /** ARI certID of the certificate this order replaces (RFC 9773 §5). */
  readonly replaces?: string;
}

/** RFC 8555 problem document (§6.7), with the full URN in `type`. */
export interface AcmeProblem {
  readonly type: string;
  readonly detail?: string;
  readonly status?: number;
  readonly identifier?: AcmeIdentifier;
  readonly subproblems?: readonly AcmeProblem[];
}

export interface AcmeOrder {
  readonly url: string;
  readonly status: OrderStatus;
  readonly identifiers: readonly AcmeIdentifier[];
  readonly authorizations: readonly string[];
  readonly finalize: string;
  readonly certificate?: string;
  /** ISO 8601. */
  readonly expires?: string;
  readonly profile?: string;
  readonly replaces?: string;
  /** True when the CA answered `alreadyReplaced` and the order was created again without `replaces`. */
  readonly replacesDropped?: boolean;
  readonly error?: AcmeProblem;
}

export interface AcmeChallenge {
  readonly type: string;
  readonly url: string;
  readonly token: string;
  readonly status: ChallengeStatus;
  /** ISO 8601. */
  readonly validated?: string;
  readonly error?: AcmeProblem;
}

export interface AcmeAuthorization {
  readonly url: string;
  /** The identifier WITHOUT `*.` (RFC 8555 §7.1.4); `wildcard` tells whether the order asked for `*.value`. */
  readonly identifier: AcmeIdentifier;
  readonly wildcard: boolean;
  readonly status: AuthorizationStatus;
  /** ISO 8601. */
  readonly expires?: string;
  readonly challenges: readonly AcmeChallenge[];
}

export type ChallengeResponse =
  | { readonly type: 'dns-01'; readonly txtValue: string }
  | { readonly type: 'http-01'; readonly token: string; readonly keyAuthorization: string };

export interface AuthorizationPoll {
  readonly status: AuthorizationStatus;
  readonly authorization: AcmeAuthorization;
  /** Set while the status is not final. */
  readonly retryAfterMs?: number;
  /** The failed challenge's problem when `invalid`. */
  readonly error?: AcmeProblem;
}

export interface OrderPoll {
  readonly order: AcmeOrder;
  /** Set while `pending` or `processing`. */
  readonly retryAfterMs?: number;
}

export interface WaitOptions {
  /** Give up after this long (default 5 minutes). */
  readonly timeoutMs?: number;
}

/** RFC 5280 §5.3.1 CRLReason codes that ACME accepts (RFC 8555 §7.6). */
export const RevocationReason = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
} as const;
export type RevocationReason = (typeof RevocationReason)[keyof typeof RevocationReason];

/** ARI suggested window, ISO 8601 strings (end > start, validated by the client). */
export interface RenewalWindow {
  readonly start: string;
  readonly end: string;
}

export interface RenewalInfo {
  readonly certId: string;
  readonly window: RenewalWindow;
  readonly explanationUrl?: string;
  /** When to ask again (Retry-After). */
  readonly retryAfterMs: number;
}

/** RFC 8555 / RFC 9773 problem types this project reacts to. The full list is in the IANA registry. */
export const AcmeProblemType = {
  /** The JWS nonce was stale or invalid: retry with a fresh nonce. */
  badNonce: 'urn:ietf:params:acme:error:badNonce',
  /** A rate limit was hit: do not retry before Retry-After. */
  rateLimited: 'urn:ietf:params:acme:error:rateLimited',
  /** The client could not prove control (wrong TXT value, wrong HTTP-01 body). */
  unauthorized: 'urn:ietf:params:acme:error:unauthorized',
  /** The EAB or account binding was refused. */
  externalAccountRequired: 'urn:ietf:params:acme:error:externalAccountRequired',
  /** The account does not exist (e.g. after key rollover, the old key). */
  accountDoesNotExist: 'urn:ietf:params:acme:error:accountDoesNotExist',
  /** The order names a profile or certificate the CA does not accept. */
  malformed: 'urn:ietf:params:acme:error:malformed',
  /** The certificate named in `replaces` was already replaced (RFC 9773 §7.4): retry without `replaces`. */
  alreadyReplaced: 'urn:ietf:params:acme:error:alreadyReplaced',
  /** The certificate was already revoked. */
  alreadyRevoked: 'urn:ietf:params:acme:error:alreadyRevoked',
  /** The CA refuses the identifier by policy. */
  rejectedIdentifier: 'urn:ietf:params:acme:error:rejectedIdentifier',
  /** The CA failed internally: retryable later. */
  serverInternal: 'urn:ietf:params:acme:error:serverInternal',
  /** Several problems, one per identifier, in `subproblems`. */
  compound: 'urn:ietf:params:acme:error:compound',
} as const;
export type AcmeProblemType = (typeof AcmeProblemType)[keyof typeof AcmeProblemType];

/**
 * A problem document from the CA. The message reads
 * `acme: urn:ietf:params:acme:error:unauthorized: Correct value not found for DNS challenge`; `context` (e.g.
 * "newOrder") goes before the type when given. `retryAfter` is the server's Retry-After as an absolute time.
 */
export class AcmeProblemError extends PortcullisError {
  readonly type: string;
  readonly detail: string | undefined;
  readonly status: number | undefined;
  readonly subproblems: readonly AcmeProblem[];
  readonly retryAfter: Date | undefined;

  constructor(
    problem: AcmeProblem,
    options: { context?: string; retryAfter?: Date | undefined; cause?: unknown } = {},
  ) {
    const where = options.context === undefined ? 'acme' : `acme: ${options.context}`;
    const subs = (problem.subproblems ?? []).map(
      (p) => `${p.identifier?.value ?? '?'}: ${p.type}${p.detail === undefined ? '' : `: ${p.detail}`}`,
    );
    const detail = problem.detail === undefined ? '' : `: ${problem.detail}`;
    const tail = subs.length > 0 ? ` (${subs.join('; ')})` : '';
    super('AcmeProblem', `${where}: ${problem.type}${detail}${tail}`, {
      retryable: isRetryableProblem(problem),
      cause: options.cause,
    });
    this.type = problem.type;
    this.detail = problem.detail;
    this.status = problem.status;
    this.subproblems = problem.subproblems ?? [];
    this.retryAfter = options.retryAfter;
  }

  /** The problem as plain data, for persisting in a status record. */
  toProblem(): AcmeProblem {
    return {
      type: this.type,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.subproblems.length === 0 ? {} : { subproblems: this.subproblems }),
    };
  }
}

function isRetryableProblem(problem: AcmeProblem): boolean {
  // rateLimited is retryable only after Retry-After; serverInternal/badNonce/5xx are transient.
  return (
    problem.type === AcmeProblemType.badNonce ||
    problem.type === AcmeProblemType.rateLimited ||
    problem.type === AcmeProblemType.serverInternal ||
    (problem.status !== undefined && problem.status >= 500)
  );
}

/**
 * Picks the challenge to answer for an authorization. Wildcards can only be proven by dns-01 (RFC 8555 §7.1.3), so
 * asking for http-01 on a wildcard is refused. Throws `ValidationError` when the CA offers no such challenge.
 */
export function selectChallenge(authorization: AcmeAuthorization, preferred: ChallengeType): AcmeChallenge {
  const name = `${authorization.wildcard ? '*.' : ''}${authorization.identifier.value}`;
  if (authorization.wildcard && preferred !== ChallengeType.Dns01) {
    throw new ValidationError(name, 'wildcard-needs-dns-01', `a wildcard can only be validated with dns-01`);
  }
  const challenge = authorization.challenges.find((c) => c.type === preferred);
  if (challenge === undefined) {
    const offered = authorization.challenges.map((c) => c.type).join(', ') || 'none';
    throw new ValidationError(
      name,
      'challenge-not-offered',
      `the CA does not offer ${preferred} (offered: ${offered})`,
    );
  }
  return challenge;
}

/**
 * The renewal time inside an ARI window (RFC 9773 §4.2): a uniformly random point in [start, end), chosen ONCE by
 * the caller and stored (asking again would move it). When the chosen point (or the whole window) is already past,
 * the answer is `now`: renew immediately.
 * `random` returns a number in [0, 1) and is injected so tests and replays are deterministic.
 */
export function chooseRenewalTime(window: RenewalWindow, now: Date, random: () => number): Date {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    throw new ValidationError('renewalInfo.suggestedWindow', 'end-after-start', 'the window end must follow its start');
  }
  // RFC 9773 §4.2: a uniform point in the whole window; a point already past (or a past window) means "now".
  const chosen = start + Math.floor(random() * (end - start));
  return new Date(Math.max(chosen, now.getTime()));
}
