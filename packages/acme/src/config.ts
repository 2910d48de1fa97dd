import { readFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import { type Clock, type KeyStore, Redacted, systemClock } from '@portcullis/core';
import { AcmeConfigError } from './errors.js';

/** Named issuers. `letsencrypt-staging` is the default: try staging before production (Let's Encrypt's advice). */
export const IssuerName = {
  /** Let's Encrypt staging: untrusted roots, generous limits. The default. */
  LetsEncryptStaging: 'letsencrypt-staging',
  /** Let's Encrypt production. */
  LetsEncrypt: 'letsencrypt',
  /** ZeroSSL: requires external account binding (kid + HMAC key from its dashboard). */
  ZeroSsl: 'zerossl',
  /** Google Trust Services: requires external account binding. */
  Google: 'google',
  /** Google Trust Services staging: requires external account binding. */
  GoogleStaging: 'google-staging',
  /** A local pebble: needs `directoryUrl` (its port changes per run) and usually `caPem`/`httpsAgent`. */
  Pebble: 'pebble',
} as const;
export type IssuerName = (typeof IssuerName)[keyof typeof IssuerName];

interface IssuerInfo {
  readonly directoryUrl?: string;
  readonly requiresEab: boolean;
}

export const ISSUERS: Readonly<Record<IssuerName, IssuerInfo>> = {
  'letsencrypt-staging': {
    directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory',
    requiresEab: false,
  },
  letsencrypt: { directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory', requiresEab: false },
  zerossl: { directoryUrl: 'https://acme.zerossl.com/v2/DV90', requiresEab: true },
  google: { directoryUrl: 'https://dv.acme-v02.api.pki.goog/directory', requiresEab: true },
  'google-staging': { directoryUrl: 'https://dv.acme-v02.test-api.pki.goog/directory', requiresEab: true },
  pebble: { requiresEab: false },
};

/** Environment variables read by `acmeConfigFromEnv` (names shared with `portcullis local env`). */
export const AcmeEnv = {
  /** A named issuer (`IssuerName`) or a directory URL. */
  Issuer: 'PORTCULLIS_ACME_ISSUER',
  /** Directory URL; wins over the issuer's (the local stack sets it to pebble's). */
  Directory: 'PORTCULLIS_ACME_DIRECTORY',
  /** PEM file of a CA to trust for the ACME server's HTTPS (pebble's listener CA). */
  CaFile: 'PORTCULLIS_ACME_CA_FILE',
  /** Contact e-mail for the account (optional; Let's Encrypt sends no expiry mail any more). */
  Email: 'PORTCULLIS_ACME_EMAIL',
  /** External account binding key id. */
  EabKid: 'PORTCULLIS_ACME_EAB_KID',
  /** External account binding HMAC key, base64url. */
  EabHmacKey: 'PORTCULLIS_ACME_EAB_HMAC_KEY',
  /** Minimum poll interval in ms (default 250). */
  BackoffMinMs: 'PORTCULLIS_ACME_BACKOFF_MIN_MS',
  /** Maximum poll interval in ms (default 10000). */
  BackoffMaxMs: 'PORTCULLIS_ACME_BACKOFF_MAX_MS',
} as const;
export type AcmeEnv = (typeof AcmeEnv)[keyof typeof AcmeEnv];

export interface ExternalAccountBinding {
  readonly kid: string;
  /** base64url as the CA hands it out. */
  readonly hmacKey: Redacted<string>;
}

/** Input of `createAcmeClient`. Unknown keys are refused. */
export interface AcmeClientConfig {
  /** Named issuer or a directory URL; default `letsencrypt-staging`. */
  readonly issuer?: string;
  /** Directory URL; overrides the issuer's. Required for `pebble`. */
  readonly directoryUrl?: string;
  /** Where the account key lives (created once; racing creators end up with one key). */
  readonly keyStore: KeyStore;
  /** KeyStore name of the account key; default `acme-account/<directory host and path>`. */
  readonly accountKeyName?: string;
  /** `mailto:` URLs. */
  readonly contact?: readonly string[];
  /** Sent as `termsOfServiceAgreed` on registration. Default true: configuring a CA means accepting its terms. */
  readonly termsOfServiceAgreed?: boolean;
  readonly eab?: ExternalAccountBinding;
  /** Extra CA (PEM) to trust for the ACME server's HTTPS, e.g. pebble's listener CA. */
  readonly caPem?: string;
  /** Or a ready agent (the local stack's `httpsAgent`). */
  readonly httpsAgent?: Agent;
  /** First poll interval when the CA sends no Retry-After; doubles up to `backoffMaxMs`. Default 250 ms. */
  readonly backoffMinMs?: number;
  /** Default 10 s. */
  readonly backoffMaxMs?: number;
  /** Rounds of our own after acme-client's 5 badNonce retries; default 5. */
  readonly badNonceRetries?: number;
  /** Default timeout of the `waitFor*` helpers; default 5 min. */
  readonly waitTimeoutMs?: number;
  readonly clock?: Clock;
  /** Observes retries and waits (logging, tests); must not throw. */
  readonly onEvent?: (event: AcmeClientEvent) => void;
}

export type AcmeClientEvent =
  | { readonly type: 'badNonceRetry'; readonly context: string; readonly round: number }
  | { readonly type: 'poll'; readonly url: string; readonly status: string; readonly waitMs: number };

/** The validated configuration with defaults applied. */
export interface ResolvedAcmeConfig {
  readonly issuer: string;
  readonly directoryUrl: string;
  readonly keyStore: KeyStore;
  readonly accountKeyName: string;
  readonly contact: readonly string[];
  readonly termsOfServiceAgreed: boolean;
  readonly eab: ExternalAccountBinding | undefined;
  readonly caPem: string | undefined;
  readonly httpsAgent: Agent | undefined;
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
  readonly badNonceRetries: number;
  readonly waitTimeoutMs: number;
  readonly clock: Clock;
  readonly onEvent: (event: AcmeClientEvent) => void;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'issuer',
  'directoryUrl',
  'keyStore',
  'accountKeyName',
  'contact',
  'termsOfServiceAgreed',
  'eab',
  'caPem',
  'httpsAgent',
  'backoffMinMs',
  'backoffMaxMs',
  'badNonceRetries',
  'waitTimeoutMs',
  'clock',
  'onEvent',
]);

/** Validates the configuration before anything is sent; every error names the field and the rule. */
export function resolveAcmeConfig(config: AcmeClientConfig): ResolvedAcmeConfig {
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key)) throw new AcmeConfigError(key, 'known-field', `unknown ACME client option "${key}"`);
  }
  const issuer = config.issuer ?? IssuerName.LetsEncryptStaging;
  const named = isIssuerName(issuer) ? ISSUERS[issuer] : undefined;
  if (named === undefined && !isHttpUrl(issuer)) {
    const names = Object.values(IssuerName).join(', ');
    throw new AcmeConfigError('issuer', 'known-issuer', `"${issuer}" is neither one of ${names} nor an http(s) URL`);
  }
  const directoryUrl = config.directoryUrl ?? named?.directoryUrl ?? (named === undefined ? issuer : undefined);
  if (directoryUrl === undefined) {
    throw new AcmeConfigError('directoryUrl', 'required', `issuer "${issuer}" needs a directoryUrl`);
  }
  if (!isHttpUrl(directoryUrl)) {
    throw new AcmeConfigError('directoryUrl', 'http-url', `"${directoryUrl}" is not an http(s) URL`);
  }
  if (config.keyStore === undefined) throw new AcmeConfigError('keyStore', 'required', 'a key store is required');
  if (named?.requiresEab && config.eab === undefined) {
    throw new AcmeConfigError(
      'eab',
      'required',
      `issuer "${issuer}" requires external account binding (kid + hmacKey)`,
    );
  }
  if (config.eab !== undefined) validateEab(config.eab);
  for (const [index, contact] of (config.contact ?? []).entries()) {
    if (!/^mailto:[^@\s]+@[^@\s]+$/.test(contact)) {
      throw new AcmeConfigError(`contact[${index}]`, 'mailto-url', `"${contact}" is not a mailto: URL`);
    }
  }
  const backoffMinMs = positiveInteger('backoffMinMs', config.backoffMinMs, 250);
  const backoffMaxMs = positiveInteger('backoffMaxMs', config.backoffMaxMs, 10_000);
  if (backoffMaxMs < backoffMinMs) {
    throw new AcmeConfigError('backoffMaxMs', 'not-below-min', `${backoffMaxMs} is below backoffMinMs ${backoffMinMs}`);
  }
  if (config.caPem !== undefined && !config.caPem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new AcmeConfigError('caPem', 'pem-certificate', 'is not a PEM certificate');
  }
  return {
    issuer,
    directoryUrl,
    keyStore: config.keyStore,
    accountKeyName: config.accountKeyName ?? defaultAccountKeyName(directoryUrl),
    contact: config.contact ?? [],
    termsOfServiceAgreed: config.termsOfServiceAgreed ?? true,
    eab: config.eab,
    caPem: config.caPem,
    httpsAgent: config.httpsAgent,
    backoffMinMs,
    backoffMaxMs,
    badNonceRetries: nonNegativeInteger('badNonceRetries', config.badNonceRetries, 5),
    waitTimeoutMs: positiveInteger('waitTimeoutMs', config.waitTimeoutMs, 5 * 60_000),
    clock: config.clock ?? systemClock,
    onEvent: config.onEvent ?? (() => {}),
  };
}

/** One account key per CA directory: `acme-account/acme-staging-v02.api.letsencrypt.org-directory`. */
export function defaultAccountKeyName(directoryUrl: string): string {
  const url = new URL(directoryUrl);
  const slug = `${url.host}${url.pathname}`
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/-+$/, '');
  return `acme-account/${slug}`;
}

/** Reads the `AcmeEnv` variables into a config (the key store comes from the caller). */
export function acmeConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  keyStore: KeyStore,
): AcmeClientConfig {
  const read = (name: AcmeEnv): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (name: AcmeEnv): number | undefined => {
    const value = read(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new AcmeConfigError(name, 'integer', `"${value}" is not a whole number`);
    return Number(value);
  };
  const issuer = read(AcmeEnv.Issuer);
  const directoryUrl = read(AcmeEnv.Directory);
  const caFile = read(AcmeEnv.CaFile);
  const email = read(AcmeEnv.Email);
  const eabKid = read(AcmeEnv.EabKid);
  const eabHmacKey = read(AcmeEnv.EabHmacKey);
  if ((eabKid === undefined) !== (eabHmacKey === undefined)) {
    throw new AcmeConfigError(
      AcmeEnv.EabKid,
      'both-or-neither',
      `set both ${AcmeEnv.EabKid} and ${AcmeEnv.EabHmacKey}`,
    );
  }
  let caPem: string | undefined;
  if (caFile !== undefined) {
    try {
      caPem = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new AcmeConfigError(AcmeEnv.CaFile, 'readable-file', `cannot read ${caFile}: ${(error as Error).message}`);
    }
  }
  const backoffMinMs = number(AcmeEnv.BackoffMinMs);
  const backoffMaxMs = number(AcmeEnv.BackoffMaxMs);
  return {
    keyStore,
    // A directory alone (the local stack's variables) means pebble.
    ...(issuer === undefined ? (directoryUrl === undefined ? {} : { issuer: IssuerName.Pebble }) : { issuer }),
    ...(directoryUrl === undefined ? {} : { directoryUrl }),
    ...(caPem === undefined ? {} : { caPem }),
    ...(email === undefined ? {} : { contact: [`mailto:${email}`] }),
    ...(eabKid === undefined || eabHmacKey === undefined
      ? {}
      : { eab: { kid: eabKid, hmacKey: new Redacted(eabHmacKey) } }),
    ...(backoffMinMs === undefined ? {} : { backoffMinMs }),
    ...(backoffMaxMs === undefined ? {} : { backoffMaxMs }),
  };
}

function validateEab(eab: ExternalAccountBinding): void {
  if (typeof eab.kid !== 'string' || eab.kid.trim() === '') {
    throw new AcmeConfigError('eab.kid', 'required', 'the external account key id is empty');
  }
  if (!(eab.hmacKey instanceof Redacted)) {
    throw new AcmeConfigError('eab.hmacKey', 'redacted', 'pass the HMAC key as Redacted so it cannot be logged');
  }
  const key = eab.hmacKey.reveal();
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(key) || Buffer.from(key, 'base64url').length < 16) {
    throw new AcmeConfigError('eab.hmacKey', 'base64url', 'must be base64url of at least 16 bytes');
  }
}

function isIssuerName(value: string): value is IssuerName {
  return Object.hasOwn(ISSUERS, value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new AcmeConfigError(field, 'positive-integer', `${value} is not > 0`);
  return value;
}

function nonNegativeInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new AcmeConfigError(field, 'non-negative-integer', `${value} < 0`);
  return value;
}
