/**
 * Obtains one certificate from start to finish for a caller that may wait (the CLI, the demo, benchmarks):
 *
 *   newOrder ─▶ authorizations ─▶ present (DNS-01: one change per zone │ HTTP-01: token store)
 *      ─▶ [DNS-01] provider committed ─▶ every authoritative NS serves every value
 *      ─▶ accept challenges ─▶ authorizations valid ─▶ cleanup (always, also on failure)
 *      ─▶ fresh key + CSR ─▶ finalize ─▶ order valid ─▶ download (preferred chain)
 *
 * Only ports are used (ACME client, DNS provider, resolver, token store, key factory, clock), so the same flow
 * runs against pebble + bind9 locally and against a real CA + Route53. The serverless lifecycle takes the same
 * steps one at a time with persisted state in between; this function is the waiting form of it.
 */
import { ValidationError } from '../errors.js';
import type {
  AcmeAuthorization,
  AcmeChallenge,
  AcmeClient,
  AcmeIdentifier,
  CertificateKeyFactory,
  ChallengeType,
  KeyType,
} from '../ports/acme-client.js';
import { selectChallenge } from '../ports/acme-client.js';
import type { Clock } from '../ports/clock.js';
import type { DnsProvider, Presentation, TxtRecord } from '../ports/dns-provider.js';
import type { Http01TokenStore } from '../ports/http01-token-store.js';
import type { Resolver } from '../ports/resolver.js';
import type { Redacted } from '../redacted.js';
import { type IssuanceListener, IssuanceStep } from './events.js';
import { challengeRecordName } from './record-name.js';
import { waitUntil } from './wait.js';

export interface ObtainRequest {
  /** Already normalized (`normalizeIdentifiers`). */
  readonly identifiers: readonly AcmeIdentifier[];
  readonly challenge: ChallengeType;
  readonly keyType: KeyType;
  readonly profile?: string;
  /** ARI certID of the certificate being replaced. */
  readonly replaces?: string;
  /** Issuer CN of the wanted chain's top certificate. */
  readonly preferredChain?: string;
}

export interface ObtainDependencies {
  readonly acme: AcmeClient;
  readonly keys: CertificateKeyFactory;
  readonly clock: Clock;
  /** Required for dns-01. */
  readonly dns?: { readonly provider: DnsProvider; readonly resolver: Resolver };
  /** Required for http-01. */
  readonly http01?: Http01TokenStore;
  readonly onEvent?: IssuanceListener;
  /** How long to wait for the provider's commit and for every nameserver (default 120 s, polled every 500 ms). */
  readonly propagation?: { readonly timeoutMs: number; readonly intervalMs: number };
}

export interface ObtainedCertificate {
  /** Leaf first, then intermediates; no root. */
  readonly chainPem: string;
  readonly key: Redacted<string>;
  readonly orderUrl: string;
}

interface PendingChallenge {
  readonly authorization: AcmeAuthorization;
  readonly challenge: AcmeChallenge;
}

const DEFAULT_PROPAGATION = { timeoutMs: 120_000, intervalMs: 500 } as const;

export async function obtainCertificate(
  request: ObtainRequest,
  deps: ObtainDependencies,
): Promise<ObtainedCertificate> {
  const emit = deps.onEvent ?? (() => {});
  checkDependencies(request, deps);

  const order = await deps.acme.newOrder({
    identifiers: request.identifiers,
    ...(request.profile === undefined ? {} : { profile: request.profile }),
    ...(request.replaces === undefined ? {} : { replaces: request.replaces }),
  });
  emit({ step: IssuanceStep.OrderCreated, message: `order ${order.url} (${order.status})` });

  const authorizations = await deps.acme.getAuthorizations(order);
  const pending = authorizations
    .filter((a) => a.status === 'pending')
    .map((authorization) => ({ authorization, challenge: selectChallenge(authorization, request.challenge) }));
  emit({
    step: IssuanceStep.AuthorizationsLoaded,
    message: `${authorizations.length} authorizations, ${pending.length} to validate by ${request.challenge}`,
  });

  if (pending.length > 0) {
    const cleanup = await present(pending, request.challenge, deps);
    try {
      await Promise.all(pending.map(({ challenge }) => deps.acme.acceptChallenge(challenge)));
      emit({ step: IssuanceStep.ChallengesAccepted, message: `${pending.length} challenges accepted` });
      await Promise.all(pending.map(({ authorization }) => deps.acme.waitForAuthorization(authorization.url)));
      emit({ step: IssuanceStep.AuthorizationsValid, message: 'all authorizations valid' });
    } finally {
      // Cleanup runs on success and failure alike, from what was recorded at present time.
      await cleanup();
      emit({ step: IssuanceStep.CleanedUp, message: 'challenge records removed' });
    }
  }

  const ready = await deps.acme.waitForOrder(order.url, { until: ['ready', 'valid'] });
  const key = await deps.keys.generateKey(request.keyType);
  const csr = await deps.keys.createCsr(key, request.identifiers);
  await deps.acme.finalize(ready, csr);
  emit({ step: IssuanceStep.Finalized, message: `finalized with a fresh ${request.keyType} key` });

  const valid = await deps.acme.waitForOrder(order.url);
  const chainPem = await deps.acme.downloadCertificate(
    valid,
    request.preferredChain === undefined ? {} : { preferredChain: request.preferredChain },
  );
  emit({ step: IssuanceStep.Downloaded, message: `certificate downloaded from ${valid.certificate ?? order.url}` });
  return { chainPem, key, orderUrl: order.url };
}

function checkDependencies(request: ObtainRequest, deps: ObtainDependencies): void {
  if (request.challenge === 'dns-01' && deps.dns === undefined) {
    throw new ValidationError('challenge', 'dns-provider-required', 'dns-01 needs a DNS provider and a resolver');
  }
  if (request.challenge === 'http-01' && deps.http01 === undefined) {
    throw new ValidationError('challenge', 'token-store-required', 'http-01 needs an HTTP-01 token store');
  }
}

/** Writes every challenge response at once and returns the matching cleanup. */
async function present(
  pending: readonly PendingChallenge[],
  challenge: ChallengeType,
  deps: ObtainDependencies,
): Promise<() => Promise<void>> {
  return challenge === 'dns-01' ? presentDns(pending, deps) : presentHttp(pending, deps);
}

async function presentHttp(pending: readonly PendingChallenge[], deps: ObtainDependencies) {
  const store = deps.http01 as Http01TokenStore;
  const tokens: string[] = [];
  for (const { challenge } of pending) {
    const response = await deps.acme.challengeResponse(challenge);
    if (response.type !== 'http-01') throw new Error(`expected an http-01 response, got ${response.type}`);
    await store.put(response.token, response.keyAuthorization);
    tokens.push(response.token);
  }
  deps.onEvent?.({ step: IssuanceStep.ChallengesPresented, message: `${tokens.length} HTTP-01 tokens stored` });
  return async () => {
    await Promise.all(tokens.map((token) => store.delete(token)));
  };
}

async function presentDns(pending: readonly PendingChallenge[], deps: ObtainDependencies) {
  const { provider, resolver } = deps.dns as NonNullable<ObtainDependencies['dns']>;
  const emit = deps.onEvent ?? (() => {});
  const records: TxtRecord[] = [];
  const targets = new Map<string, string>();
  for (const { authorization, challenge } of pending) {
    const response = await deps.acme.challengeResponse(challenge);
    if (response.type !== 'dns-01') throw new Error(`expected a dns-01 response, got ${response.type}`);
    const name = challengeRecordName(authorization.identifier.value);
    let target = targets.get(name);
    if (target === undefined) {
      target = await resolver.followCnames(name);
      targets.set(name, target);
      if (target !== name) emit({ step: IssuanceStep.ChallengeDelegated, message: `${name} → CNAME ${target}` });
    }
    records.push({ fqdn: target, value: response.txtValue });
  }

  const presentation: Presentation = await provider.present(records);
  const zones = presentation.zones.map((z) => z.zone).join(', ');
  emit({
    step: IssuanceStep.ChallengesPresented,
    message: `${records.length} TXT values written by ${provider.name} in ${presentation.zones.length} change(s) (${zones})`,
  });
  const cleanup = () => provider.cleanup(presentation);
  try {
    await waitForPropagation(presentation, records, deps);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return cleanup;
}

async function waitForPropagation(
  presentation: Presentation,
  records: readonly TxtRecord[],
  deps: ObtainDependencies,
): Promise<void> {
  const { provider, resolver } = deps.dns as NonNullable<ObtainDependencies['dns']>;
  const emit = deps.onEvent ?? (() => {});
  const timing = deps.propagation ?? DEFAULT_PROPAGATION;
  if (provider.isCommitted !== undefined) {
    const isCommitted = provider.isCommitted.bind(provider);
    // Route53 answers PENDING for up to a minute, and every GetChange spends the account's shared API budget:
    // back off (×2 up to 8 s) instead of polling at the propagation interval.
    await waitUntil(() => isCommitted(presentation), {
      ...timing,
      clock: deps.clock,
      what: 'the DNS change commit',
      backoffFactor: 2,
      maxIntervalMs: 8_000,
    });
    emit({ step: IssuanceStep.ChangeCommitted, message: `${provider.name} reports the change committed` });
  }
  let reported = false;
  await waitUntil(
    async () => {
      const result = await resolver.checkPropagation(records);
      if (!result.ready && !reported) {
        reported = true;
        const first = result.pending[0];
        emit({
          step: IssuanceStep.PropagationPending,
          message: `${result.pending.length} values not yet on every nameserver${first ? ` (e.g. ${first.fqdn} at ${first.server})` : ''}`,
        });
      }
      return result.ready;
    },
    { ...timing, clock: deps.clock, what: 'DNS propagation to every authoritative nameserver' },
  );
  emit({ step: IssuanceStep.Propagated, message: 'every authoritative nameserver serves every value' });
}
