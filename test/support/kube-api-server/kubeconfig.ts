/**
 * Kubeconfig documents pointing at the test API server: one cluster, one user, one context, plain HTTP to
 * 127.0.0.1 (no TLS, so no certificate-authority entry). `@kubernetes/client-node` loads them with
 * `KubeConfig.loadFromString` or `loadFromFile`. client-node 2.x refuses an `http:` server unless the cluster sets
 * `insecure-skip-tls-verify: true` (there is no TLS to verify), so http servers get that flag.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  /** Bearer token of the user; absent: an anonymous user. */
  token?: string;
  /** Default namespace of the context. */
  namespace?: string;
  /** Cluster, user and context name (default `portcullis-test`). */
  name?: string;
}

export function kubeconfigYaml(options: KubeconfigOptions): string {
  const name = options.name ?? 'portcullis-test';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: options.server,
          ...(options.server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {}),
        },
      },
    ],
    users: [{ name, user: options.token === undefined ? {} : { token: options.token } }],
    contexts: [
      {
        name,
        context: {
          cluster: name,
          user: name,
          ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
        },
      },
    ],
    'current-context': name,
  });
}

/** Writes `kubeconfig` into `dir` (a test's temp dir) and returns its path; mode 0600 as kubectl writes it. */
export async function writeKubeconfig(dir: string, options: KubeconfigOptions): Promise<string> {
  const path = join(dir, 'kubeconfig');
  await writeFile(path, kubeconfigYaml(options), { mode: 0o600 });
  return path;
}
