/**
 * A fake ACME CA for unit tests of the lifecycle (the real-server runs use pebble). It keeps orders and
 * authorizations in memory, validates dns-01 by looking at a `FakeDnsProvider` (following the resolver's CNAMEs)
 * and http-01 at a token store, issues real X.509 certificates (self-signed, generated at test time) with the
 * clock's time, and counts what a fault-injection test must count (orders, finalizations). Failures a real CA
 * produces rarely or not at all on demand (rateLimited with Retry-After, serverInternal) are injected with
 * `failNext`.
 */

import type {
  AcmeAccount,
  AcmeAuthorization,
  AcmeChallenge,
  AcmeClient,
  AcmeDirectoryInfo,
  AcmeIdentifier,
  AcmeOrder,
  AcmeProblem,
  AuthorizationPoll,
  ChallengeResponse,
  NewOrderRequest,
  OrderPoll,
  OrderStatus,
  RenewalInfo,
  RenewalWindow,
  RevocationReason,
} from '../ports/acme-client.js';
import { AcmeProblemError, AcmeProblemType } from '../ports/acme-client.js';
import type { Clock } from '../ports/clock.js';
import { issueTestCertificate, serialOfPem } from './test-certificates.js';

const BASE = 'https://ca.fake';

interface FakeAuthorization {
  url: string;
  identifier: AcmeIdentifier;
  wildcard: boolean;
  status: AcmeAuthorization['status'];
  challenges: AcmeChallenge[];
  /** Polls left before a processing challenge is decided. */
  pollsLeft: number;
  error?: AcmeProblem;
}

interface FakeOrder {
  url: string;
  identifiers: AcmeIdentifier[];
  authorizations: string[];
  profile?: string;
  replaces?: string;
  finalized: boolean;
  pollsLeft: number;
  certificatePem?: string;
}

export interface FakeAcmeOptions {
  readonly clock: Clock;
  /** Where dns-01 TXT values are looked up (after CNAMEs); returns the values at a name. */
  readonly txtLookup?: (fqdn: string) => readonly string[];
  /** Where http-01 tokens are looked up; returns the key authorization served for a token. */
  readonly httpLookup?: (token: string) => string | undefined;
  /** Follows a CNAME at a challenge name, as the CA would. */
  readonly cname?: (fqdn: string) => string;
  /** Certificate lifetime in seconds (default 90 days). */
  readonly validitySeconds?: number;
  /** Polls an authorization stays `pending`/processing after acceptance (default 1): exercises requeueing. */
  readonly validationPolls?: number;
  /** Retry-After the CA sends while processing (default 3 s). */
  readonly retryAfterMs?: number;
  /** ARI window for a certificate (absent: the CA has no ARI, like pebble). */
  readonly renewalWindow?: (certificatePem: string) => RenewalWindow;
}

export class FakeAcmeClient implements AcmeClient {
  readonly #options: FakeAcmeOptions;
  readonly #orders = new Map<string, FakeOrder>();
  readonly #authorizations = new Map<string, FakeAuthorization>();
  readonly #failures = new Map<string, AcmeProblemError[]>();
  #sequence = 0;
  /** Every newOrder that created an order. */
  ordersCreated = 0;
  finalizeCalls = 0;
  readonly orderRequests: NewOrderRequest[] = [];
  readonly revoked: { serial: string; reason: RevocationReason }[] = [];

  constructor(options: FakeAcmeOptions) {
    this.#options = options;
  }

  /** The next call of `operation` throws this problem (`retryAfterSeconds` → Retry-After from the clock's now). */
  failNext(
    operation: 'newOrder' | 'finalize' | 'downloadCertificate',
    problem: AcmeProblem,
    retryAfterSeconds?: number,
  ): void {
    const retryAfter =
      retryAfterSeconds === undefined
        ? undefined
        : new Date(this.#options.clock.now().getTime() + retryAfterSeconds * 1000);
    const error = new AcmeProblemError(problem, { context: operation, retryAfter });
    this.#failures.set(operation, [...(this.#failures.get(operation) ?? []), error]);
  }

  async directory(): Promise<AcmeDirectoryInfo> {
    return {
      url: `${BASE}/directory`,
      profiles: {},
      externalAccountRequired: false,
      ...(this.#options.renewalWindow === undefined ? {} : { renewalInfo: `${BASE}/ari` }),
    };
  }

  async ensureAccount(): Promise<AcmeAccount> {
    return { url: `${BASE}/acct/1`, status: 'valid', contact: [] };
  }

  async newOrder(request: NewOrderRequest): Promise<AcmeOrder> {
    this.#throwInjected('newOrder');
    this.orderRequests.push(request);
    this.ordersCreated += 1;
    const id = ++this.#sequence;
    const authorizations = request.identifiers.map((identifier, index) => {
      const wildcard = identifier.value.startsWith('*.');
      const value = wildcard ? identifier.value.slice(2) : identifier.value;
      const url = `${BASE}/authz/${id}-${index}`;
      const challenges: AcmeChallenge[] = [
        { type: 'dns-01', url: `${url}/dns`, token: `tok-${id}-${index}-dns`, status: 'pending' },
        ...(wildcard
          ? []
          : [{ type: 'http-01', url: `${url}/http`, token: `tok-${id}-${index}-http`, status: 'pending' as const }]),
      ];
      const authz: FakeAuthorization = {
        url,
        identifier: { type: identifier.type, value },
        wildcard,
        status: 'pending',
        challenges,
        pollsLeft: this.#options.validationPolls ?? 1,
      };
      this.#authorizations.set(url, authz);
      return url;
    });
    const order: FakeOrder = {
      url: `${BASE}/order/${id}`,
      identifiers: request.identifiers.map((i) => ({ ...i })),
      authorizations,
      finalized: false,
      pollsLeft: 1,
      ...(request.profile === undefined ? {} : { profile: request.profile }),
      ...(request.replaces === undefined ? {} : { replaces: request.replaces }),
    };
    this.#orders.set(order.url, order);
    return this.#view(order);
  }

  async getOrder(url: string): Promise<AcmeOrder> {
    return this.#view(this.#order(url));
  }

  async getAuthorizations(order: AcmeOrder): Promise<AcmeAuthorization[]> {
    return order.authorizations.map((url) => this.#authzView(this.#authz(url)));
  }

  async challengeResponse(challenge: AcmeChallenge): Promise<ChallengeResponse> {
    return challenge.type === 'dns-01'
      ? { type: 'dns-01', txtValue: `txt-${challenge.token}` }
      : { type: 'http-01', token: challenge.token, keyAuthorization: `${challenge.token}.thumbprint` };
  }

  async acceptChallenge(challenge: AcmeChallenge): Promise<AcmeChallenge> {
    const authz = [...this.#authorizations.values()].find((a) => a.challenges.some((c) => c.url === challenge.url));
    if (authz === undefined) throw new Error(`fake acme: unknown challenge ${challenge.url}`);
    authz.challenges = authz.challenges.map((c) =>
      c.url === challenge.url && c.status === 'pending' ? { ...c, status: 'processing' } : c,
    );
    return authz.challenges.find((c) => c.url === challenge.url) as AcmeChallenge;
  }

  async pollAuthorization(url: string): Promise<AuthorizationPoll> {
    const authz = this.#authz(url);
    const processing = authz.challenges.find((c) => c.status === 'processing');
    if (authz.status === 'pending' && processing !== undefined) {
      if (authz.pollsLeft > 0) {
        authz.pollsLeft -= 1;
      } else {
        this.#decide(authz, processing);
      }
    }
    const view = this.#authzView(authz);
    if (authz.status === 'pending') {
      return { status: 'pending', authorization: view, retryAfterMs: this.#options.retryAfterMs ?? 3000 };
    }
    return { status: authz.status, authorization: view, ...(authz.error === undefined ? {} : { error: authz.error }) };
  }

  async waitForAuthorization(url: string): Promise<AcmeAuthorization> {
    for (;;) {
      const poll = await this.pollAuthorization(url);
      if (poll.status === 'valid') return poll.authorization;
      if (poll.status !== 'pending') throw new AcmeProblemError(poll.error ?? { type: AcmeProblemType.unauthorized });
    }
  }

  async finalize(order: AcmeOrder, _csrPem: string): Promise<AcmeOrder> {
    this.#throwInjected('finalize');
    const stored = this.#order(order.url);
    if (this.#status(stored) !== 'ready') {
      throw new AcmeProblemError(
        {
          type: 'urn:ietf:params:acme:error:orderNotReady',
          detail: `Order's status ("${this.#status(stored)}") is not acceptable for finalization`,
          status: 403,
        },
        { context: 'finalize' },
      );
    }
    this.finalizeCalls += 1;
    stored.finalized = true;
    return this.#view(stored);
  }

  async pollOrder(url: string): Promise<OrderPoll> {
    const order = this.#order(url);
    if (order.finalized && order.certificatePem === undefined) {
      if (order.pollsLeft > 0) {
        order.pollsLeft -= 1;
      } else {
        order.certificatePem = await this.#issue(order);
      }
    }
    const view = this.#view(order);
    const waiting = view.status === 'pending' || view.status === 'processing';
    return waiting ? { order: view, retryAfterMs: this.#options.retryAfterMs ?? 3000 } : { order: view };
  }

  async waitForOrder(url: string, options: { until?: readonly OrderStatus[] } = {}): Promise<AcmeOrder> {
    const until = options.until ?? ['valid'];
    for (;;) {
      const { order } = await this.pollOrder(url);
      if (until.includes(order.status)) return order;
      if (order.status === 'invalid') throw new AcmeProblemError(order.error ?? { type: 'order invalid' });
    }
  }

  async downloadCertificate(order: AcmeOrder): Promise<string> {
    this.#throwInjected('downloadCertificate');
    const pem = this.#order(order.url).certificatePem;
    if (pem === undefined) throw new Error(`fake acme: order ${order.url} has no certificate yet`);
    return pem;
  }

  async revoke(certificatePem: string, reason: RevocationReason): Promise<void> {
    this.revoked.push({ serial: serialOfPem(certificatePem), reason });
  }

  certId(certificatePem: string): string {
    return `fakeaki.${serialOfPem(certificatePem)}`;
  }

  async renewalInfo(certificatePem: string): Promise<RenewalInfo | undefined> {
    const window = this.#options.renewalWindow?.(certificatePem);
    return window === undefined
      ? undefined
      : { certId: this.certId(certificatePem), window, retryAfterMs: 6 * 3600_000 };
  }

  #decide(authz: FakeAuthorization, challenge: AcmeChallenge): void {
    const name = `_acme-challenge.${authz.identifier.value}`;
    const ok =
      challenge.type === 'dns-01'
        ? (this.#options.txtLookup?.(this.#options.cname?.(name) ?? name) ?? []).includes(`txt-${challenge.token}`)
        : this.#options.httpLookup?.(challenge.token) === `${challenge.token}.thumbprint`;
    const error: AcmeProblem = {
      type: AcmeProblemType.unauthorized,
      detail:
        challenge.type === 'dns-01'
          ? `Incorrect TXT record found at ${name}`
          : `The key authorization file from the server did not match`,
      status: 403,
    };
    authz.status = ok ? 'valid' : 'invalid';
    authz.challenges = authz.challenges.map((c) =>
      c.url === challenge.url ? { ...c, status: ok ? 'valid' : 'invalid', ...(ok ? {} : { error }) } : c,
    );
    if (!ok) authz.error = error;
  }

  async #issue(order: FakeOrder): Promise<string> {
    const now = this.#options.clock.now();
    return issueTestCertificate({
      names: order.identifiers.map((i) => i.value),
      notBefore: now,
      notAfter: new Date(now.getTime() + (this.#options.validitySeconds ?? 90 * 86_400) * 1000),
      serial: (0x1000 + this.#sequence * 16 + this.finalizeCalls).toString(16),
    });
  }

  #status(order: FakeOrder): OrderStatus {
    const statuses = order.authorizations.map((url) => this.#authz(url).status);
    if (statuses.some((s) => s === 'invalid')) return 'invalid';
    if (statuses.some((s) => s !== 'valid')) return 'pending';
    if (!order.finalized) return 'ready';
    return order.certificatePem === undefined ? 'processing' : 'valid';
  }

  #view(order: FakeOrder): AcmeOrder {
    const status = this.#status(order);
    const failed = order.authorizations.map((url) => this.#authz(url)).find((a) => a.error !== undefined);
    return {
      url: order.url,
      status,
      identifiers: order.identifiers,
      authorizations: [...order.authorizations],
      finalize: `${order.url}/finalize`,
      ...(order.certificatePem === undefined ? {} : { certificate: `${order.url}/cert` }),
      ...(order.profile === undefined ? {} : { profile: order.profile }),
      ...(order.replaces === undefined ? {} : { replaces: order.replaces }),
      ...(status === 'invalid' && failed?.error !== undefined ? { error: failed.error } : {}),
    };
  }

  #authzView(authz: FakeAuthorization): AcmeAuthorization {
    return {
      url: authz.url,
      identifier: authz.identifier,
      wildcard: authz.wildcard,
      status: authz.status,
      challenges: authz.challenges.map((c) => ({ ...c })),
    };
  }

  #order(url: string): FakeOrder {
    const order = this.#orders.get(url);
    if (order === undefined)
      throw new AcmeProblemError({
        type: 'urn:ietf:params:acme:error:malformed',
        detail: `no order ${url}`,
        status: 404,
      });
    return order;
  }

  #authz(url: string): FakeAuthorization {
    const authz = this.#authorizations.get(url);
    if (authz === undefined) throw new Error(`fake acme: unknown authorization ${url}`);
    return authz;
  }

  #throwInjected(operation: string): void {
    const error = this.#failures.get(operation)?.shift();
    if (error !== undefined) throw error;
  }
}
