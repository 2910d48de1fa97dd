/**
 * Where cluster credentials come from. The lifecycle publishes into many clusters; their credentials live in a
 * secret store (AWS Secrets Manager, later), so the registry reads them through this port.
 */
import { type Redacted, redact } from '@portcullis/core';
import { ClusterCredentialsError } from './errors.js';

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

/**
 * Credentials of many clusters in one JSON document — what a deployment keeps in one Secrets Manager secret (an
 * `sst.Secret`): `{ "<cluster>": { "kind": "token", "server": "https://…", "token": "…", "caPem": "…" } |
 * { "kind": "kubeconfig", "kubeconfig": "…", "context"?: "…" } }`. `read` is called on every `get`, so a rotated
 * secret takes effect at the registry's next refresh (its cache decides how often). Errors name the cluster and the
 * field, never a value.
 */
export class JsonClusterCredentialsSource implements ClusterCredentialsSource {
  readonly #read: () => Promise<string>;

  constructor(read: () => Promise<string>) {
    this.#read = read;
  }

  async get(cluster: string): Promise<ClusterCredentials | undefined> {
    let document: unknown;
    try {
      document = JSON.parse(await this.#read());
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new ClusterCredentialsError(cluster, 'the credentials document is not JSON');
      throw error;
    }
    if (typeof document !== 'object' || document === null) {
      throw new ClusterCredentialsError(cluster, 'the credentials document must be an object keyed by cluster name');
    }
    const entry = (document as Record<string, unknown>)[cluster];
    if (entry === undefined) return undefined;
    return parseEntry(cluster, entry);
  }
}

function parseEntry(cluster: string, entry: unknown): ClusterCredentials {
  const fields = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  const text = (key: string, required: boolean): string | undefined => {
    const value = fields[key];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value === '') {
      throw new ClusterCredentialsError(cluster, `${key} must be a non-empty string`);
    }
    return value;
  };
  if (fields.kind === 'token') {
    const caPem = text('caPem', false);
    return {
      kind: 'token',
      server: text('server', true) as string,
      token: redact(text('token', true) as string),
      ...(caPem === undefined ? {} : { caPem }),
    };
  }
  if (fields.kind === 'kubeconfig') {
    const context = text('context', false);
    return {
      kind: 'kubeconfig',
      kubeconfig: redact(text('kubeconfig', true) as string),
      ...(context === undefined ? {} : { context }),
    };
  }
  throw new ClusterCredentialsError(cluster, 'kind must be "token" or "kubeconfig"');
}
