/**
 * The worker's issuers: the primary one from `PORTCULLIS_ACME_*` (unchanged), plus one per entry of
 * `PORTCULLIS_ACME_ISSUERS` (`FunctionsEnv.AcmeIssuers`), so certificates can be switched to another CA during an
 * outage (runbook "CA outage / switch issuer": `portcullis update <id> --issuer <other>`). Each extra issuer reuses
 * the `AcmeEnv` reading of @portcullis/acme over an overlay of the environment — its own issuer, its own external
 * account binding (`PORTCULLIS_ACME_EAB_KID_<ID>`, `PORTCULLIS_ACME_EAB_HMAC_KEY_<ID>`), the primary's contact, CA
 * file and backoff — and is validated here, at construction, with the variable named in the error.
 */
import { AcmeEnv, acmeConfigFromEnv, createAcmeClient, type IssuerName } from '@portcullis/acme';
import {
  type AcmeClient,
  type Clock,
  type Issuer,
  type IssuerDirectory,
  type KeyStore,
  PortcullisError,
  ValidationError,
} from '@portcullis/core';
import {
  type ExtraIssuerConfig,
  type FunctionsConfig,
  FunctionsEnv,
  issuerEnvSuffix,
  primaryIssuerId,
} from './config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** CAA identities and Let's Encrypt limits per named issuer; URLs and pebble skip CAA and the LE buckets. */
export const ISSUER_PROFILES: Partial<Record<IssuerName, { caa: readonly string[]; letsEncryptLimits: boolean }>> = {
  letsencrypt: { caa: ['letsencrypt.org'], letsEncryptLimits: true },
  'letsencrypt-staging': { caa: ['letsencrypt.org'], letsEncryptLimits: true },
  zerossl: { caa: ['sectigo.com'], letsEncryptLimits: false },
  google: { caa: ['pki.goog'], letsEncryptLimits: false },
  'google-staging': { caa: ['pki.goog'], letsEncryptLimits: false },
};

/** The variables of one extra issuer's external account binding. */
export function eabEnvOf(id: string): { readonly kid: string; readonly hmacKey: string } {
  const suffix = issuerEnvSuffix(id);
  return { kid: `${AcmeEnv.EabKid}_${suffix}`, hmacKey: `${AcmeEnv.EabHmacKey}_${suffix}` };
}

export interface IssuerWiringInput {
  readonly env: Env;
  readonly config: FunctionsConfig;
  /** Where the ACME account keys live (one per CA directory). */
  readonly accountKeys: KeyStore;
  readonly clock: Clock;
  /** Wraps every ACME client (counting, crash injection) before it goes into its issuer. */
  readonly wrapAcme?: (client: AcmeClient) => AcmeClient;
}

/** Every configured issuer, primary first; throws (naming the variable) before any network call. */
/**
 * The environment `acmeConfigFromEnv` reads for an extra issuer: its own issuer name or URL, no primary directory
 * override (local mode: pebble's URL is the primary's alone), its own EAB variables. The CLI's `account` command
 * uses it too, so it rotates exactly the key the worker signs with.
 */
export function extraIssuerEnv(env: Env, extra: ExtraIssuerConfig): Env {
  const eab = eabEnvOf(extra.id);
  return {
    ...env,
    [AcmeEnv.Issuer]: extra.issuer,
    [AcmeEnv.Directory]: undefined,
    [AcmeEnv.EabKid]: env[eab.kid],
    [AcmeEnv.EabHmacKey]: env[eab.hmacKey],
  };
}

export function buildIssuers(input: IssuerWiringInput): Issuer[] {
  const { env, config } = input;
  const issue = (id: string, acmeEnv: Env, caa: readonly string[] | undefined): Issuer => {
    const acmeConfig = acmeConfigFromEnv(acmeEnv, input.accountKeys);
    const engine = createAcmeClient({ ...acmeConfig, clock: input.clock });
    const issuerName = acmeConfig.issuer ?? 'letsencrypt-staging';
    const profile = ISSUER_PROFILES[issuerName as IssuerName];
    return {
      id,
      acme: input.wrapAcme?.(engine) ?? engine,
      caaIdentities: caa ?? profile?.caa ?? [],
      letsEncryptLimits: profile?.letsEncryptLimits ?? false,
    };
  };
  const primary = issue(primaryIssuerId(env, config), env, config.issuerCaa);
  const extras = (config.extraIssuers ?? []).map((extra) => {
    const eab = eabEnvOf(extra.id);
    try {
      return issue(extra.id, extraIssuerEnv(env, extra), undefined);
    } catch (error) {
      if (!(error instanceof PortcullisError)) throw error;
      const field = String((error as { field?: unknown }).field ?? '');
      // The binding is read from this issuer's own variables: say which, not the primary's.
      const hint =
        field === 'eab' || field.startsWith('eab.') || field === AcmeEnv.EabKid
          ? ` (set ${eab.kid} and ${eab.hmacKey})`
          : '';
      throw new ValidationError(
        FunctionsEnv.AcmeIssuers,
        'acme-config',
        `issuer "${extra.id}" (${extra.issuer}): ${error.message}${hint}`,
      );
    }
  });
  return [primary, ...extras];
}

/** The `IssuerDirectory` over a fixed list (ids are unique: `readFunctionsConfig` checked them). */
export function issuerDirectory(issuers: readonly Issuer[]): IssuerDirectory {
  const byId = new Map(issuers.map((issuer) => [issuer.id, issuer]));
  return { get: (id) => byId.get(id) };
}
