/**
 * One KubeConfig per cluster, built from credentials loaded through `ClusterCredentialsSource` on first use and
 * kept for `maxAgeMs` (so rotated tokens are picked up without a restart); `invalidate` drops one at once (e.g.
 * after a 401). Credentials are checked when loaded: a clear error names the cluster and the field, never the value.
 */
import { type Cluster, KubeConfig, type User } from '@kubernetes/client-node';
import { type Clock, systemClock } from '@portcullis/core';
import type { ClusterCredentials, ClusterCredentialsSource } from './cluster-credentials.js';
import { ClusterCredentialsError } from './errors.js';
import { KubernetesHttp01TokenStore } from './http01-token-store.js';
import { KubernetesTlsTarget } from './tls-target.js';

/** Credentials are re-read this often: short enough for token rotation, long enough to spare the secret store. */
const DEFAULT_MAX_AGE_MS = 10 * 60 * 1000;
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface ClusterRegistryOptions {
  readonly source: ClusterCredentialsSource;
  readonly maxAgeMs?: number;
  readonly clock?: Clock;
}

/** Returns whether the server is plain http (allowed to loopback only: local mode and tests). */
function checkServer(cluster: string, field: string, server: string): boolean {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new ClusterCredentialsError(cluster, `${field} is not a URL`);
  }
  if (url.protocol === 'https:') return false;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return true;
  throw new ClusterCredentialsError(cluster, `${field} must be https:// (plain http only to a loopback address)`);
}

/** Builds and checks a KubeConfig; exported for tests of the checks. */
export function buildKubeConfig(cluster: string, credentials: ClusterCredentials): KubeConfig {
  const kc = new KubeConfig();
  if (credentials.kind === 'token') {
    const plainHttp = checkServer(cluster, 'server', credentials.server);
    if (credentials.token.reveal().trim() === '') throw new ClusterCredentialsError(cluster, 'token is empty');
    const entry: Cluster = {
      name: cluster,
      server: credentials.server,
      // client-node 2.x refuses http: unless skipTLSVerify is set; with plain http there is no TLS to verify.
      skipTLSVerify: plainHttp,
      ...(credentials.caPem === undefined ? {} : { caData: Buffer.from(credentials.caPem).toString('base64') }),
    };
    const user: User = { name: cluster, token: credentials.token.reveal() };
    kc.loadFromClusterAndUser(entry, user);
    return kc;
  }
  try {
    kc.loadFromString(credentials.kubeconfig.reveal());
  } catch {
    // The parser's message may quote the document; it is dropped on purpose.
    throw new ClusterCredentialsError(cluster, 'kubeconfig is not a valid kubeconfig document');
  }
  if (credentials.context !== undefined) {
    if (!kc.getContextObject(credentials.context)) {
      throw new ClusterCredentialsError(cluster, `kubeconfig has no context "${credentials.context}"`);
    }
    kc.setCurrentContext(credentials.context);
  }
  const current = kc.getCurrentCluster();
  if (!current) throw new ClusterCredentialsError(cluster, 'kubeconfig has no current context with a cluster');
  const plainHttp = checkServer(cluster, 'kubeconfig cluster server', current.server);
  if (current.skipTLSVerify && !plainHttp) {
    throw new ClusterCredentialsError(cluster, 'kubeconfig disables TLS verification (insecure-skip-tls-verify)');
  }
  return kc;
}

export class ClusterRegistry {
  readonly #source: ClusterCredentialsSource;
  readonly #maxAgeMs: number;
  readonly #clock: Clock;
  readonly #cache = new Map<string, { kubeConfig: KubeConfig; loadedAt: number }>();

  constructor(options: ClusterRegistryOptions) {
    if (options.maxAgeMs !== undefined && !(options.maxAgeMs >= 0)) {
      throw new ClusterCredentialsError('*', 'maxAgeMs must be a number >= 0');
    }
    this.#source = options.source;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.#clock = options.clock ?? systemClock;
  }

  async kubeConfig(cluster: string): Promise<KubeConfig> {
    if (!CLUSTER_NAME.test(cluster))
      throw new ClusterCredentialsError(cluster, 'cluster names are lower-case DNS labels');
    const now = this.#clock.now().getTime();
    const cached = this.#cache.get(cluster);
    if (cached && now - cached.loadedAt < this.#maxAgeMs) return cached.kubeConfig;
    const credentials = await this.#source.get(cluster);
    if (!credentials) throw new ClusterCredentialsError(cluster, 'no credentials are configured for this cluster');
    const kubeConfig = buildKubeConfig(cluster, credentials);
    this.#cache.set(cluster, { kubeConfig, loadedAt: now });
    return kubeConfig;
  }

  async target(cluster: string): Promise<KubernetesTlsTarget> {
    return new KubernetesTlsTarget({ kubeConfig: await this.kubeConfig(cluster), cluster });
  }

  async http01TokenStore(cluster: string, namespace: string): Promise<KubernetesHttp01TokenStore> {
    return new KubernetesHttp01TokenStore({ kubeConfig: await this.kubeConfig(cluster), cluster, namespace });
  }

  /** Forgets a cluster's KubeConfig; the next use reloads its credentials. */
  invalidate(cluster: string): void {
    this.#cache.delete(cluster);
  }
}
