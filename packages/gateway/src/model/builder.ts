/**
 * Accumulates listeners, SNI claims, virtual hosts, routes, clusters and secrets while sources are translated, then
 * emits the sorted `GatewayModel`. Conflicts the model cannot hold (one port, two protocols; one SNI name, two
 * certificates) are refused here and reported back to the caller, first come first served — callers add sources
 * in precedence order.
 */
import { compareStrings } from '../sources/objects.js';
import { compareRoutes, type OrderedRoute } from './precedence.js';
import type {
  GatewayModel,
  ListenerProtocol,
  ModelCluster,
  ModelFilterChain,
  ModelListener,
  ModelRoute,
  ModelRouteConfig,
  ModelSecret,
  ModelTrustBundle,
  ModelVirtualHost,
} from './types.js';

/** The virtual host of requests whose Host matches no other. */
export const CATCH_ALL_HOST = '*';

interface ListenerState {
  readonly port: number;
  readonly protocol: ListenerProtocol;
  /** SNI name (`''` for the chain without server names) → certificate-set key. */
  readonly sniOwners: Map<string, string>;
  /** chain key (certificate-set key + catch-all flag) → chain. */
  readonly chains: Map<string, { serverNames: Set<string>; secretNames: readonly string[] }>;
  readonly hosts: Map<string, OrderedRoute[]>;
}

export type ListenerClaim = { ok: true; name: string } | { ok: false; protocol: ListenerProtocol };

export class ModelBuilder {
  readonly #address: string;
  readonly #proxyProtocol: boolean;
  readonly #listeners = new Map<number, ListenerState>();
  readonly #clusters = new Map<string, ModelCluster>();
  readonly #secrets = new Map<string, ModelSecret>();
  /** Upstream TLS material (BackendTLSPolicy); emitted only when a cluster names it. */
  readonly #upstreamSecrets = new Map<string, ModelSecret>();
  readonly #trustBundles = new Map<string, ModelTrustBundle>();
  #acmeRoutes: OrderedRoute[] = [];

  /** `proxyProtocol`: every listener expects a PROXY protocol header (see ModelListener.proxyProtocol). */
  constructor(listenAddress: string, proxyProtocol = false) {
    this.#address = listenAddress;
    this.#proxyProtocol = proxyProtocol;
  }

  /** Opens (or joins) the listener on `port`; refused when the port already serves the other protocol. */
  claimListener(port: number, protocol: ListenerProtocol): ListenerClaim {
    const existing = this.#listeners.get(port);
    if (existing !== undefined) {
      return existing.protocol === protocol
        ? { ok: true, name: listenerName(port, protocol) }
        : { ok: false, protocol: existing.protocol };
    }
    this.#listeners.set(port, { port, protocol, sniOwners: new Map(), chains: new Map(), hosts: new Map() });
    return { ok: true, name: listenerName(port, protocol) };
  }

  /** Whether any listener of this protocol has been claimed. */
  hasListener(protocol: ListenerProtocol): boolean {
    return [...this.#listeners.values()].some((l) => l.protocol === protocol);
  }

  /**
   * Asks that TLS connections to `serverNames` on the HTTPS listener on `port` use `secrets` (empty `serverNames`:
   * connections matching no other name). Returns the names already claimed with another certificate set; those
   * stay with their first claimant. The listener must have been claimed as HTTPS.
   */
  claimServerNames(port: number, serverNames: readonly string[], secrets: readonly ModelSecret[]): string[] {
    const listener = this.#listeners.get(port);
    if (listener?.protocol !== 'HTTPS' || secrets.length === 0) return [...serverNames];
    const secretNames = secrets.map((s) => s.name).sort(compareStrings);
    const certificateSet = secretNames.join(',');
    const lost: string[] = [];
    for (const name of serverNames.length === 0 ? [''] : serverNames) {
      const owner = listener.sniOwners.get(name);
      if (owner !== undefined && owner !== certificateSet) {
        lost.push(name === '' ? CATCH_ALL_HOST : name);
        continue;
      }
      listener.sniOwners.set(name, certificateSet);
      const chainKey = `${certificateSet}|${name === '' ? 'catch-all' : 'sni'}`;
      const chain = listener.chains.get(chainKey) ?? { serverNames: new Set<string>(), secretNames };
      if (name !== '') chain.serverNames.add(name);
      listener.chains.set(chainKey, chain);
      for (const secret of secrets) this.#secrets.set(secret.name, secret);
    }
    return lost;
  }

  /** Makes sure a virtual host exists (so that e.g. an HTTP listener answers 404 rather than nothing). */
  ensureVirtualHost(port: number, hostname: string): void {
    const listener = this.#listeners.get(port);
    if (listener !== undefined && !listener.hosts.has(hostname)) listener.hosts.set(hostname, []);
  }

  /** Adds a route to the virtual host `hostname` of the listener on `port`, with the clusters it uses. */
  addRoute(port: number, hostname: string, route: OrderedRoute, clusters: readonly ModelCluster[]): void {
    const listener = this.#listeners.get(port);
    if (listener === undefined) return;
    const routes = listener.hosts.get(hostname) ?? [];
    routes.push(route);
    listener.hosts.set(hostname, routes);
    for (const cluster of clusters) this.#clusters.set(cluster.name, cluster);
  }

  /** Makes a client certificate and CA bundles available to clusters' `upstreamTls` (see build()). */
  addUpstreamTlsMaterial(clientCertificate: ModelSecret | undefined, bundles: readonly ModelTrustBundle[]): void {
    if (clientCertificate !== undefined) this.#upstreamSecrets.set(clientCertificate.name, clientCertificate);
    for (const bundle of bundles) this.#trustBundles.set(bundle.name, bundle);
  }

  /** Routes put first in every virtual host of every HTTP listener (ACME HTTP-01 key authorizations). */
  setHttpOnlyPrefixRoutes(routes: readonly OrderedRoute[]): void {
    this.#acmeRoutes = [...routes];
  }

  build(): GatewayModel {
    const listeners: ModelListener[] = [];
    const routeConfigs: ModelRouteConfig[] = [];
    const usedSecrets = new Set<string>();
    for (const state of this.#listeners.values()) {
      const name = listenerName(state.port, state.protocol);
      const filterChains = this.#filterChains(name, state);
      for (const chain of filterChains) for (const secret of chain.secretNames) usedSecrets.add(secret);
      listeners.push({
        name,
        address: this.#address,
        port: state.port,
        protocol: state.protocol,
        routeConfigName: name,
        filterChains,
        ...(this.#proxyProtocol && { proxyProtocol: true as const }),
      });
      if (state.protocol === 'HTTP' && !state.hosts.has(CATCH_ALL_HOST)) state.hosts.set(CATCH_ALL_HOST, []);
      routeConfigs.push({ name, virtualHosts: this.#virtualHosts(state) });
    }
    const usedBundles = new Set<string>();
    const secrets = new Map([...this.#secrets].filter(([name]) => usedSecrets.has(name)));
    for (const { upstreamTls } of this.#clusters.values()) {
      if (upstreamTls === undefined) continue;
      usedBundles.add(upstreamTls.trustBundleSecret);
      const client = upstreamTls.clientCertificateSecret;
      const secret = client === undefined ? undefined : this.#upstreamSecrets.get(client);
      if (secret !== undefined) secrets.set(secret.name, secret);
    }
    const trustBundles = [...this.#trustBundles.values()].filter((b) => usedBundles.has(b.name)).sort(byName);
    return {
      listeners: listeners.sort(byName),
      routeConfigs: routeConfigs.sort(byName),
      clusters: [...this.#clusters.values()].sort(byName),
      secrets: [...secrets.values()].sort(byName),
      ...(trustBundles.length > 0 && { trustBundles }),
    };
  }

  #filterChains(listener: string, state: ListenerState): ModelFilterChain[] {
    if (state.protocol !== 'HTTPS') return [];
    const chains: ModelFilterChain[] = [];
    for (const chain of state.chains.values()) {
      const serverNames = [...chain.serverNames].sort(compareStrings);
      chains.push({
        name: `${listener}/${serverNames[0] ?? CATCH_ALL_HOST}`,
        serverNames,
        secretNames: chain.secretNames,
      });
    }
    return chains.sort(byName);
  }

  #virtualHosts(state: ListenerState): ModelVirtualHost[] {
    const hosts: ModelVirtualHost[] = [];
    for (const [hostname, ordered] of state.hosts) {
      const all = state.protocol === 'HTTP' ? [...this.#acmeRoutes, ...ordered] : [...ordered];
      const routes: ModelRoute[] = dedupeByName(all.sort(compareRoutes).map((o) => o.route));
      hosts.push({ name: hostname, domains: [hostname], routes });
    }
    return hosts.sort(byName);
  }
}

export function listenerName(port: number, protocol: ListenerProtocol): string {
  return `${protocol === 'HTTP' ? 'http' : 'https'}-${port}`;
}

/** A route attached through two listeners that share an Envoy listener and host appears once. */
function dedupeByName(routes: ModelRoute[]): ModelRoute[] {
  const seen = new Set<string>();
  return routes.filter((route) => {
    if (seen.has(route.name)) return false;
    seen.add(route.name);
    return true;
  });
}

function byName(a: { name: string }, b: { name: string }): number {
  return compareStrings(a.name, b.name);
}
