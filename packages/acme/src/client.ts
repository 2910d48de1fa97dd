/**
 * The `AcmeClient` port over acme-client 5.4.0's step-by-step API (never `auto()`, which can send neither
 * `profile` nor `replaces` and checks challenges through the system resolver).
 *
 * Every call goes through `runAcmeCall` (transport.ts): problem documents become `AcmeProblemError`s with their full
 * type, `badNonce` is retried a bounded number of times, nothing else is retried here. Waiting (`waitFor*`) uses the
 * CA's Retry-After when given, else exponential backoff between `backoffMinMs` and `backoffMaxMs`.
 */

import { Agent } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import {
  type AcmeAccount,
  type AcmeAuthorization,
  type AcmeChallenge,
  type AcmeClient,
  type AcmeDirectoryInfo,
  type AcmeOrder,
  AcmeProblemError,
  AcmeProblemType,
  type AuthorizationPoll,
  type ChallengeResponse,
  type NewOrderRequest,
  type OrderPoll,
  type OrderStatus,
  type RenewalInfo,
  type RevocationReason,
  ValidationError,
  type WaitOptions,
} from '@portcullis/core';
import type { Client, Order } from 'acme-client';
import { AccountSession } from './account.js';
import { computeCertId, fetchRenewalInfo } from './ari.js';
import { type AcmeClientConfig, type ResolvedAcmeConfig, resolveAcmeConfig } from './config.js';
import { fetchDirectory } from './directory.js';
import { AcmeAccountKeyRotatedError, AcmeProtocolError, AcmeWaitTimeoutError } from './errors.js';
import { toAcmeClientOrder, toAuthorization, toChallenge, toOrder } from './mapping.js';
import { headerOf, parseRetryAfter, type RecordedResponse, runAcmeCall, trustOrigin } from './transport.js';

/** Statuses from which an order moves on by itself (RFC 8555 §7.1.6). */
const ORDER_MOVING: readonly OrderStatus[] = ['pending', 'processing'];

/**
 * An agent that trusts the system roots plus one extra CA. The secure context is built ONCE: given `ca` directly,
 * Node parses every root again for each TLS connection (measured: two thirds of our CPU per certificate in
 * bench/issuance). Keep-alive spares a handshake per ACME request; free sockets are unref'd by Node, so an idle
 * pool does not keep a CLI process alive.
 */
function trustingAgent(caPem: string): Agent {
  const secureContext = createSecureContext({ ca: [...rootCertificates, caPem] });
  return new Agent({ secureContext, keepAlive: true });
}

export class AcmeEngine implements AcmeClient {
  readonly config: ResolvedAcmeConfig;
  readonly #agent: Agent | undefined;
  readonly #account: AccountSession;
  #directory: Promise<AcmeDirectoryInfo> | undefined;

  constructor(config: AcmeClientConfig) {
    this.config = resolveAcmeConfig(config);
    this.#agent =
      this.config.httpsAgent ?? (this.config.caPem === undefined ? undefined : trustingAgent(this.config.caPem));
    if (this.#agent !== undefined) trustOrigin(this.config.directoryUrl, this.#agent);
    this.#account = new AccountSession(this.config, (context, operation) => this.#call(context, operation));
  }

  directory(): Promise<AcmeDirectoryInfo> {
    this.#directory ??= fetchDirectory(this.config.directoryUrl, this.#agent).then(
      ({ info, urls }) => {
        // Endpoints may live on other origins than the directory: trust them the same way.
        if (this.#agent !== undefined) for (const url of urls) trustOrigin(url, this.#agent);
        return info;
      },
      (error: unknown) => {
        this.#directory = undefined;
        throw error;
      },
    );
    return this.#directory;
  }

  async ensureAccount(): Promise<AcmeAccount> {
    await this.directory();
    return (await this.#account.open()).account;
  }

  /** Replaces the account key (RFC 8555 §7.3.5) and persists the new one; see account-key.ts for crash safety. */
  async rolloverAccountKey(): Promise<void> {
    await this.directory();
    await this.#account.rollover();
  }

  async newOrder(request: NewOrderRequest): Promise<AcmeOrder> {
    const directory = await this.directory();
    const advertised = Object.keys(directory.profiles);
    if (request.profile !== undefined && advertised.length > 0 && !advertised.includes(request.profile)) {
      throw new ValidationError(
        'profile',
        'advertised-profile',
        `"${request.profile}" is not offered by ${this.config.issuer}; available: ${advertised.join(', ')}`,
      );
    }
    const client = await this.#client();
    const payload = {
      identifiers: request.identifiers.map((id) => ({ type: id.type, value: id.value })),
      ...(request.profile === undefined ? {} : { profile: request.profile }),
      ...(request.replaces === undefined ? {} : { replaces: request.replaces }),
    };
    try {
      // createOrder forwards the payload unchanged; its TypeScript type lacks `profile` and `replaces`.
      const { value } = await this.#call('newOrder', () =>
        client.createOrder(payload as Parameters<Client['createOrder']>[0]),
      );
      return toOrder(value, value.url);
    } catch (error) {
      if (!(error instanceof AcmeProblemError) || error.type !== AcmeProblemType.alreadyReplaced) throw error;
      if (request.replaces === undefined) throw error;
      // RFC 9773 §5: the predecessor was already replaced by another order; order again without `replaces`.
      const { replaces: _dropped, ...withoutReplaces } = payload as typeof payload & { replaces?: string };
      const { value } = await this.#call('newOrder', () =>
        client.createOrder(withoutReplaces as Parameters<Client['createOrder']>[0]),
      );
      return { ...toOrder(value, value.url), replacesDropped: true };
    }
  }

  async getOrder(url: string): Promise<AcmeOrder> {
    return (await this.#readOrder(url)).order;
  }

  async getAuthorizations(order: AcmeOrder): Promise<AcmeAuthorization[]> {
    const client = await this.#client();
    const { value } = await this.#call(`authorizations of ${order.url}`, () =>
      client.getAuthorizations({ authorizations: [...order.authorizations] } as Order),
    );
    return value.map((raw, index) => toAuthorization(raw, order.authorizations[index] ?? raw.url));
  }

  async challengeResponse(challenge: AcmeChallenge): Promise<ChallengeResponse> {
    const client = await this.#client();
    // For dns-01 acme-client already returns base64url(SHA-256(keyAuthorization)): the TXT value itself.
    const value = await client.getChallengeKeyAuthorization({ ...challenge } as never);
    if (challenge.type === 'dns-01') return { type: 'dns-01', txtValue: value };
    if (challenge.type === 'http-01') return { type: 'http-01', token: challenge.token, keyAuthorization: value };
    throw new ValidationError('challenge.type', 'supported-challenge', `"${challenge.type}" is not supported`);
  }

  /**
   * Idempotent, as the port promises: a CA refuses a second POST to a challenge that already left `pending`
   * (pebble: `malformed: Cannot update challenge with status valid`), which a worker resuming after a crash between
   * accepting and recording would otherwise see as a failure. On a refusal the challenge is re-read (POST-as-GET);
   * one that is no longer pending was accepted before, and is returned as it is now.
   */
  async acceptChallenge(challenge: AcmeChallenge): Promise<AcmeChallenge> {
    const client = await this.#client();
    const context = `challenge ${challenge.url}`;
    try {
      const { value } = await this.#call(context, () => client.completeChallenge({ ...challenge } as never));
      return toChallenge(value);
    } catch (error) {
      if (!(error instanceof AcmeProblemError) || error.type !== AcmeProblemType.malformed) throw error;
      // acme-client has no public read of one challenge; its own waitForValidStatus uses this same call.
      const api = (
        client as unknown as { api: { apiRequest(url: string, payload: null, codes: number[]): Promise<unknown> } }
      ).api;
      const { value } = await this.#call(context, () => api.apiRequest(challenge.url, null, [200]));
      const current = toChallenge((value as { data?: unknown }).data ?? value);
      if (current.status === 'pending') throw error;
      return current;
    }
  }

  async pollAuthorization(url: string): Promise<AuthorizationPoll> {
    const { poll } = await this.#pollAuthorization(url);
    return poll;
  }

  async waitForAuthorization(url: string, options: WaitOptions = {}): Promise<AcmeAuthorization> {
    return this.#waitLoop(url, options, async () => {
      const { poll, serverRetryAfterMs } = await this.#pollAuthorization(url);
      if (poll.status === 'valid') return { done: poll.authorization };
      if (poll.status !== 'pending') {
        const { identifier, wildcard } = poll.authorization;
        const name = `${wildcard ? '*.' : ''}${identifier.value}`;
        throw new AcmeProblemError(poll.error ?? { type: 'about:blank', detail: `authorization is ${poll.status}` }, {
          context: `authorization ${name}`,
        });
      }
      return { status: poll.status, serverRetryAfterMs };
    });
  }

  async finalize(order: AcmeOrder, csrPem: string): Promise<AcmeOrder> {
    const client = await this.#client();
    const { value } = await this.#call(`finalize ${order.url}`, () =>
      client.finalizeOrder(toAcmeClientOrder(order) as unknown as Order, csrPem),
    );
    return toOrder(value, order.url);
  }

  async pollOrder(url: string): Promise<OrderPoll> {
    const { order, serverRetryAfterMs } = await this.#readOrder(url);
    if (!ORDER_MOVING.includes(order.status)) return { order };
    return { order, retryAfterMs: serverRetryAfterMs ?? this.config.backoffMinMs };
  }

  async waitForOrder(url: string, options: WaitOptions & { until?: readonly OrderStatus[] } = {}): Promise<AcmeOrder> {
    const until = options.until ?? ['valid'];
    return this.#waitLoop(url, options, async () => {
      const { order, serverRetryAfterMs } = await this.#readOrder(url);
      if (until.includes(order.status)) return { done: order };
      if (order.status === 'invalid') {
        throw new AcmeProblemError(order.error ?? { type: 'about:blank', detail: 'order is invalid' }, {
          context: `order ${url}`,
        });
      }
      if (!ORDER_MOVING.includes(order.status)) {
        throw new AcmeProtocolError(`acme: order ${url} is ${order.status} and will not become ${until.join('/')}`);
      }
      return { status: order.status, serverRetryAfterMs };
    });
  }

  async downloadCertificate(order: AcmeOrder, options: { preferredChain?: string } = {}): Promise<string> {
    if (order.status !== 'valid' || order.certificate === undefined) {
      throw new AcmeProtocolError(`acme: order ${order.url} is ${order.status}: nothing to download yet`);
    }
    const client = await this.#client();
    // With a preferred chain acme-client fetches the `Link: rel="alternate"` chains too and picks the one in which
    // the issuer name appears closest to the root; without a match it returns the default chain.
    const { value } = await this.#call(`certificate ${order.certificate}`, () =>
      client.getCertificate(toAcmeClientOrder(order) as unknown as Order, options.preferredChain),
    );
    return value;
  }

  async revoke(certificatePem: string, reason: RevocationReason): Promise<void> {
    const client = await this.#client();
    await this.#call('revokeCert', () => client.revokeCertificate(certificatePem, { reason }));
  }

  certId(certificatePem: string): string {
    return computeCertId(certificatePem);
  }

  async renewalInfo(certificatePem: string): Promise<RenewalInfo | undefined> {
    const directory = await this.directory();
    if (directory.renewalInfo === undefined) return undefined;
    return fetchRenewalInfo({
      renewalInfoUrl: directory.renewalInfo,
      certificatePem,
      now: this.config.clock.now(),
      httpsAgent: this.#agent,
    });
  }

  async #client(): Promise<Client> {
    await this.directory();
    return (await this.#account.open()).client;
  }

  async #call<T>(
    context: string,
    operation: () => Promise<T>,
  ): Promise<{ value: T; responses: readonly RecordedResponse[] }> {
    try {
      return await runAcmeCall(context, operation, {
        badNonceRetries: this.config.badNonceRetries,
        now: () => this.config.clock.now(),
        onBadNonceRetry: (round) => this.config.onEvent({ type: 'badNonceRetry', context, round }),
      });
    } catch (error) {
      if (isSignatureRefusal(error) && (await this.#account.reloadIfRotated())) {
        throw new AcmeAccountKeyRotatedError(context, error);
      }
      throw error;
    }
  }

  async #readOrder(url: string): Promise<{ order: AcmeOrder; serverRetryAfterMs: number | undefined }> {
    const client = await this.#client();
    const { value, responses } = await this.#call(`order ${url}`, () => client.getOrder({ url } as Order));
    return { order: toOrder(value, url), serverRetryAfterMs: this.#retryAfter(responses, url) };
  }

  async #pollAuthorization(url: string): Promise<{ poll: AuthorizationPoll; serverRetryAfterMs: number | undefined }> {
    const client = await this.#client();
    const { value, responses } = await this.#call(`authorization ${url}`, () =>
      client.getAuthorizations({ authorizations: [url] } as Order),
    );
    const authorization = toAuthorization(value[0], url);
    const serverRetryAfterMs = this.#retryAfter(responses, url);
    const error = authorization.challenges.find((challenge) => challenge.error !== undefined)?.error;
    const poll: AuthorizationPoll = {
      status: authorization.status,
      authorization,
      ...(authorization.status === 'pending' ? { retryAfterMs: serverRetryAfterMs ?? this.config.backoffMinMs } : {}),
      ...(authorization.status !== 'valid' && error !== undefined ? { error } : {}),
    };
    return { poll, serverRetryAfterMs };
  }

  #retryAfter(responses: readonly RecordedResponse[], url: string): number | undefined {
    return parseRetryAfter(headerOf(responses, url, 'retry-after'), this.config.clock.now());
  }

  /**
   * Polls until `step` returns `done`. Waits the CA's Retry-After when it sent one, else backoffMin·2^n capped at
   * backoffMax; gives up (retryable) when the next wait would pass the deadline.
   */
  async #waitLoop<T>(
    url: string,
    options: WaitOptions,
    step: () => Promise<{ done: T } | { status: string; serverRetryAfterMs: number | undefined }>,
  ): Promise<T> {
    const { clock, backoffMinMs, backoffMaxMs } = this.config;
    const deadline = clock.now().getTime() + (options.timeoutMs ?? this.config.waitTimeoutMs);
    for (let attempt = 0; ; attempt++) {
      const result = await step();
      if ('done' in result) return result.done;
      const waitMs = result.serverRetryAfterMs ?? Math.min(backoffMaxMs, backoffMinMs * 2 ** attempt);
      if (clock.now().getTime() + waitMs > deadline) {
        throw new AcmeWaitTimeoutError(`acme: ${url} is still ${result.status}; gave up waiting`);
      }
      this.config.onEvent({ type: 'poll', url, status: result.status, waitMs });
      await clock.sleep(waitMs);
    }
  }
}

/** The CA refused a signature or the account: what it answers when we sign with a key it no longer knows. */
function isSignatureRefusal(error: unknown): boolean {
  return (
    error instanceof AcmeProblemError &&
    (error.type === AcmeProblemType.malformed ||
      error.type === AcmeProblemType.unauthorized ||
      error.type === AcmeProblemType.accountDoesNotExist)
  );
}

/** Builds the ACME client for a configuration (validated here, before any request). */
export function createAcmeClient(config: AcmeClientConfig): AcmeEngine {
  return new AcmeEngine(config);
}
