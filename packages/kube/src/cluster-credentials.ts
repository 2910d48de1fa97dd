/**
 * Where cluster credentials come from. The lifecycle publishes into many clusters; their credentials live in a
 * secret store (AWS Secrets Manager, later), so the registry reads them through this port.
 */
import type { Redacted } from '@portcullis/core';

/** A kubeconfig document (YAML or JSON), e.g. exported for a service account; `context` picks a non-current one. */
export interface KubeconfigCredentials {
  readonly kind: 'kubeconfig';
  readonly kubeconfig: Redacted<string>;
  readonly context?: string;
}

/** An API server URL with a bearer token (service-account token) and the cluster's CA certificate (PEM). */
export interface TokenCredentials {
  readonly kind: 'token';
  /** `https://...`; plain `http://` only to a loopback address (local mode and tests). */
  readonly server: string;
  readonly token: Redacted<string>;
  /** CA bundle that signs the API server's certificate; absent: the system trust store. */
  readonly caPem?: string;
}

export type ClusterCredentials = KubeconfigCredentials | TokenCredentials;

/**
 * Contract:
 * - `get` returns the current credentials of a cluster by name, or `undefined` when the cluster is unknown.
 * - It may be called again at any time (credentials rotate); implementations do not cache beyond their own needs.
 * - Errors are the source's own (e.g. a Secrets Manager error), never containing the credentials.
 */
export interface ClusterCredentialsSource {
  get(cluster: string): Promise<ClusterCredentials | undefined>;
}

/** Credentials held in memory: local mode, tests, or a deployment that injects them at start. */
export class StaticClusterCredentialsSource implements ClusterCredentialsSource {
  readonly #entries: Map<string, ClusterCredentials>;

  constructor(entries: Readonly<Record<string, ClusterCredentials>> = {}) {
    this.#entries = new Map(Object.entries(entries));
  }

  /** Adds or replaces a cluster's credentials (rotation in tests). */
  set(cluster: string, credentials: ClusterCredentials): void {
    this.#entries.set(cluster, credentials);
  }

  async get(cluster: string): Promise<ClusterCredentials | undefined> {
    return this.#entries.get(cluster);
  }
}
