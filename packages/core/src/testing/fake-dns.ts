import { PortcullisError } from '../errors.js';
import type { DnsProvider, Presentation, TxtRecord, ZonePresentation } from '../ports/dns-provider.js';
import type { Http01TokenStore } from '../ports/http01-token-store.js';
import type { CaaVerdict, PropagationResult, Resolver, ZoneInfo } from '../ports/resolver.js';

/**
 * In-memory DNS: a `DnsProvider` that keeps TXT values per name (zone = the last two labels unless `zones` says
 * otherwise) and counts `present` calls and changes per zone; `failNext` injects a provider error.
 */
export class FakeDnsProvider implements DnsProvider {
  readonly name = 'fake';
  readonly #txt = new Map<string, Set<string>>();
  readonly #zones: readonly string[];
  readonly #failures: Error[] = [];
  presentCalls = 0;
  cleanupCalls = 0;

  constructor(options: { zones?: readonly string[] } = {}) {
    this.#zones = options.zones ?? [];
  }

  async present(records: readonly TxtRecord[]): Promise<Presentation> {
    const failure = this.#failures.shift();
    if (failure !== undefined) throw failure;
    this.presentCalls += 1;
    const byZone = new Map<string, TxtRecord[]>();
    for (const record of records) {
      const values = this.#txt.get(record.fqdn) ?? new Set<string>();
      values.add(record.value);
      this.#txt.set(record.fqdn, values);
      const zone = this.zoneOf(record.fqdn);
      byZone.set(zone, [...(byZone.get(zone) ?? []), { fqdn: record.fqdn, value: record.value }]);
    }
    const zones: ZonePresentation[] = [...byZone.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([zone, written]) => ({ zone, records: written, changeId: `change-${this.presentCalls}-${zone}` }));
    return { provider: this.name, zones };
  }

  async cleanup(presentation: Presentation): Promise<void> {
    this.cleanupCalls += 1;
    for (const zone of presentation.zones) {
      for (const record of zone.records) {
        const values = this.#txt.get(record.fqdn);
        values?.delete(record.value);
        if (values?.size === 0) this.#txt.delete(record.fqdn);
      }
    }
  }

  /** TXT values served at `fqdn` right now. */
  lookup(fqdn: string): readonly string[] {
    return [...(this.#txt.get(fqdn) ?? [])];
  }

  /** Every record still published (a test expects none after cleanup). */
  leftovers(): readonly TxtRecord[] {
    return [...this.#txt.entries()].flatMap(([fqdn, values]) => [...values].map((value) => ({ fqdn, value })));
  }

  zoneOf(fqdn: string): string {
    const configured = this.#zones.filter((z) => fqdn === z || fqdn.endsWith(`.${z}`));
    return configured.sort((a, b) => b.length - a.length)[0] ?? fqdn.split('.').slice(-2).join('.');
  }

  failNext(
    error: Error = new PortcullisError('DnsUnavailable', 'fake: server unreachable', { retryable: true }),
  ): void {
    this.#failures.push(error);
  }
}

/**
 * A `Resolver` over a `FakeDnsProvider`: propagation is reported pending for the first `pendingChecks` checks (the
 * nameservers lag), then from what the provider really holds. CNAMEs and CAA refusals are configured per name.
 */
export class FakeResolver implements Resolver {
  readonly #dns: FakeDnsProvider;
  readonly #cnames: Map<string, string>;
  readonly #caaRefused: Set<string>;
  pendingChecks: number;
  propagationChecks = 0;

  constructor(
    dns: FakeDnsProvider,
    options: { pendingChecks?: number; cnames?: Record<string, string>; caaRefused?: readonly string[] } = {},
  ) {
    this.#dns = dns;
    this.pendingChecks = options.pendingChecks ?? 0;
    this.#cnames = new Map(Object.entries(options.cnames ?? {}));
    this.#caaRefused = new Set(options.caaRefused ?? []);
  }

  async findZone(fqdn: string): Promise<ZoneInfo> {
    return { zone: this.#dns.zoneOf(fqdn), nameservers: [{ host: '127.0.0.1', port: 53, name: 'ns.fake' }] };
  }

  async followCnames(fqdn: string): Promise<string> {
    return this.#cnames.get(fqdn) ?? fqdn;
  }

  async checkPropagation(records: readonly TxtRecord[]): Promise<PropagationResult> {
    this.propagationChecks += 1;
    const lagging = this.pendingChecks > 0;
    if (lagging) this.pendingChecks -= 1;
    const pending = records
      .filter((r) => lagging || !this.#dns.lookup(r.fqdn).includes(r.value))
      .map((r) => ({ fqdn: r.fqdn, value: r.value, server: '127.0.0.1:53 (ns.fake)' }));
    return { ready: pending.length === 0, pending };
  }

  async checkCaa(identifier: string, caIdentities: readonly string[]): Promise<CaaVerdict> {
    const name = identifier.replace(/^\*\./, '');
    if (this.#caaRefused.has(name)) {
      return {
        allowed: false,
        code: 'NotAuthorized',
        reason: `CAA at ${name} names none of ${caIdentities.join(', ')}`,
        domain: name,
        record: '0 issue "other-ca.example"',
      };
    }
    return { allowed: true, code: 'NoRecords', reason: `no CAA records for ${name}` };
  }

  /** Resolves a CNAME the way a CA would (for the fake ACME's checks). */
  target(fqdn: string): string {
    return this.#cnames.get(fqdn) ?? fqdn;
  }
}

/** In-memory `Http01TokenStore`. */
export class MemoryHttp01TokenStore implements Http01TokenStore {
  readonly tokens = new Map<string, string>();

  async put(token: string, keyAuthorization: string): Promise<void> {
    this.tokens.set(token, keyAuthorization);
  }

  async get(token: string): Promise<string | undefined> {
    return this.tokens.get(token);
  }

  async delete(token: string): Promise<void> {
    this.tokens.delete(token);
  }
}
