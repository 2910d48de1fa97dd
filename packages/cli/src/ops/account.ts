/**
 * The ACME account of one configured issuer, for `portcullis account show|rollover`: which key store holds its key
 * (the functions' Secrets Manager store when AWS is configured, else the CLI's file store that `issue` uses), which
 * issuer (`--issuer`: the primary `PORTCULLIS_ACME_*` one, or an entry of `PORTCULLIS_ACME_ISSUERS`), and the
 * rollover itself — @portcullis/acme's crash-safe one (new key recorded as pending before the CA switches). Keys
 * are shown only as JWK thumbprints.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type AcmeEngine, acmeConfigFromEnv, createAcmeClient, FileKeyStore, readPendingKey } from '@portcullis/acme';
import {
  AwsEnv,
  awsConfigFromEnv,
  createAwsClients,
  DEFAULT_ACCOUNT_KEY_PREFIX,
  SecretsManagerKeyStore,
} from '@portcullis/aws';
import type { KeyStore } from '@portcullis/core';
import { extraIssuerEnv, extraIssuers, primaryIssuerId as functionsPrimaryIssuerId } from '@portcullis/functions';
import { OpsError, OpsErrorCode } from './errors.js';
import { jwkThumbprint } from './jwk-thumbprint.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Variables read here that belong to the functions (functions/src/wiring/config.ts) or the CLI's `issue`. */
export const AccountEnv = {
  /** Secrets Manager prefix of account keys (the functions' `FunctionsEnv.AccountKeyPrefix`). */
  AccountKeyPrefix: 'PORTCULLIS_ACCOUNT_KEY_PREFIX',
  /** The primary issuer's id (`FunctionsEnv.IssuerId`). */
  IssuerId: 'PORTCULLIS_ISSUER_ID',
  /** Extra issuers `id=<named issuer or directory URL>,...` (`FunctionsEnv.AcmeIssuers`). */
  AcmeIssuers: 'PORTCULLIS_ACME_ISSUERS',
  /** Where `issue` keeps account keys (`CliEnv.StateDir`): `<dir>/keys`. */
  StateDir: 'PORTCULLIS_STATE_DIR',
} as const;

export const KeyStoreKind = {
  /** `<state dir>/keys/*.pem`, as `portcullis issue` uses. */
  File: 'file',
  /** Secrets Manager under the account key prefix, as the functions use. */
  SecretsManager: 'secrets-manager',
} as const;
export type KeyStoreKind = (typeof KeyStoreKind)[keyof typeof KeyStoreKind];

const pick = (env: Env, name: string) => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** Auto: Secrets Manager when the functions' AWS settings are present, else the file store. */
export function keyStoreKindFor(env: Env, explicit?: KeyStoreKind): KeyStoreKind {
  if (explicit !== undefined) return explicit;
  return pick(env, AwsEnv.Endpoint) !== undefined || pick(env, AccountEnv.AccountKeyPrefix) !== undefined
    ? KeyStoreKind.SecretsManager
    : KeyStoreKind.File;
}

export interface OpenedKeyStore {
  readonly store: KeyStore;
  /** For people: where the keys are. */
  readonly description: string;
  close(): void;
}

export function openKeyStore(env: Env, kind: KeyStoreKind): OpenedKeyStore {
  if (kind === KeyStoreKind.File) {
    const dir = join(pick(env, AccountEnv.StateDir) ?? join(homedir(), '.portcullis'), 'keys');
    return { store: new FileKeyStore(dir), description: `files in ${dir}`, close: () => {} };
  }
  const clients = createAwsClients(awsConfigFromEnv(env));
  const prefix = pick(env, AccountEnv.AccountKeyPrefix);
  return {
    store: new SecretsManagerKeyStore({ client: clients.secretsManager, ...(prefix === undefined ? {} : { prefix }) }),
    description: `Secrets Manager under ${prefix ?? DEFAULT_ACCOUNT_KEY_PREFIX}`,
    close: () => clients.destroy(),
  };
}

/** The primary issuer's id, derived exactly as the worker derives it. */
export function primaryIssuerId(env: Env): string {
  const issuerId = pick(env, AccountEnv.IssuerId);
  return functionsPrimaryIssuerId(env, issuerId === undefined ? {} : { issuerId });
}

/**
 * The environment `acmeConfigFromEnv` must read for issuer `id`: the environment itself for the primary; for an
 * entry of PORTCULLIS_ACME_ISSUERS the worker's own overlay (`extraIssuerEnv`), so the CLI rotates exactly the key the
 * worker uses.
 */
export function issuerEnv(env: Env, id?: string): { id: string; env: Env } {
  const primary = primaryIssuerId(env);
  if (id === undefined || id === primary) return { id: primary, env };
  const extras = extraIssuers(env, primary) ?? [];
  const extra = extras.find((e) => e.id === id);
  if (extra === undefined) {
    throw new OpsError(
      OpsErrorCode.UnknownIssuer,
      `acme: issuer "${id}" is not configured (known: ${[primary, ...extras.map((e) => e.id)].join(', ')})`,
    );
  }
  return { id, env: extraIssuerEnv(env, extra) };
}

export interface AccountView {
  readonly issuerId: string;
  readonly directoryUrl: string;
  readonly keyName: string;
  /** Undefined when no key is stored yet (no account registered by this store). */
  readonly url?: string;
  readonly thumbprint?: string;
  /** A rollover was interrupted; `show` finishes it (as every client does on its next start). */
  readonly pendingRolloverResolved: boolean;
}

export function acmeEngineFor(issuer: { env: Env }, store: KeyStore): AcmeEngine {
  return createAcmeClient(acmeConfigFromEnv(issuer.env, store));
}

async function thumbprintOf(store: KeyStore, name: string): Promise<string | undefined> {
  const key = await store.get(name);
  return key === undefined || key.reveal() === '' ? undefined : jwkThumbprint(key);
}

/** The account as the CA knows it; registers nothing when no key is stored. */
export async function showAccount(issuerId: string, engine: AcmeEngine): Promise<AccountView> {
  const { keyStore, accountKeyName, directoryUrl } = engine.config;
  const base = { issuerId, directoryUrl, keyName: accountKeyName };
  const pending = (await readPendingKey(keyStore, accountKeyName)) !== undefined;
  if ((await thumbprintOf(keyStore, accountKeyName)) === undefined && !pending) {
    return { ...base, pendingRolloverResolved: false };
  }
  const account = await engine.ensureAccount();
  const thumbprint = await thumbprintOf(keyStore, accountKeyName);
  return {
    ...base,
    url: account.url,
    ...(thumbprint === undefined ? {} : { thumbprint }),
    pendingRolloverResolved: pending,
  };
}

export interface RolloverOutcome {
  readonly issuerId: string;
  readonly url: string;
  readonly before: string;
  readonly after: string;
  /** A fresh client with the stored key found the same account at the CA. */
  readonly verified: boolean;
}

/**
 * Rotates the account key: opens the account (finishing an interrupted rollover), rolls over (RFC 8555 §7.3.5,
 * crash-safe in @portcullis/acme), then checks with a NEW client that the CA answers to the stored key.
 */
export async function rolloverAccount(
  issuer: { id: string; env: Env },
  store: KeyStore,
  onStep: (label: string) => void = () => {},
): Promise<RolloverOutcome> {
  const engine = acmeEngineFor(issuer, store);
  const name = engine.config.accountKeyName;
  onStep('opening the account');
  const account = await engine.ensureAccount();
  const before = (await thumbprintOf(store, name)) as string;
  onStep('rolling the key over at the CA');
  await engine.rolloverAccountKey();
  const after = (await thumbprintOf(store, name)) as string;
  onStep('checking the CA answers to the new key');
  const again = await acmeEngineFor(issuer, store).ensureAccount();
  return { issuerId: issuer.id, url: account.url, before, after, verified: again.url === account.url };
}
