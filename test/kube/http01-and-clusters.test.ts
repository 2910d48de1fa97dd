// The HTTP-01 token store and the cluster registry against API-compatible test servers over real HTTP.
import { createHash, randomBytes } from 'node:crypto';
import { redact, ValidationError } from '@portcullis/core';
import {
  ClusterCredentialsError,
  ClusterRegistry,
  challengeConfigMapName,
  KubeApiError,
  type KubernetesHttp01TokenStore,
  PublishOutcome,
  StaticClusterCredentialsSource,
} from '@portcullis/kube';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../support/kube-api-server/index.js';
import { type RawClient, rawClient } from '../support/kube-api-server/raw-client.js';
import { createTestChain } from './test-certificates.js';

let plain: KubeApiServer;
let guarded: KubeApiServer;
let api: RawClient;
const TOKEN = 'test-service-account-token';

beforeAll(async () => {
  plain = await KubeApiServer.start({ namespaces: ['default', 'portcullis-system'] });
  guarded = await KubeApiServer.start({ token: TOKEN });
  api = rawClient(plain.url);
});
afterAll(async () => {
  await plain.stop();
  await guarded.stop();
});

const registry = () =>
  new ClusterRegistry({
    source: new StaticClusterCredentialsSource({
      plain: { kind: 'kubeconfig', kubeconfig: redact(plain.kubeconfig()) },
      guarded: { kind: 'token', server: guarded.url, token: redact(TOKEN) },
      'wrong-token': { kind: 'token', server: guarded.url, token: redact('not-the-token') },
    }),
  });

/** An ACME token and its key authorization (token.thumbprint), as a CA would hand them out. */
function challenge(): { token: string; keyAuthorization: string } {
  const token = randomBytes(32).toString('base64url');
  const thumbprint = createHash('sha256').update(randomBytes(16)).digest('base64url');
  return { token, keyAuthorization: `${token}.${thumbprint}` };
}

describe('KubernetesHttp01TokenStore', () => {
  const store = async (): Promise<KubernetesHttp01TokenStore> =>
    registry().http01TokenStore('plain', 'portcullis-system');
  const cmPath = (token: string) => `/api/v1/namespaces/portcullis-system/configmaps/${challengeConfigMapName(token)}`;

  it('stores a labelled ConfigMap per token that get reads back', async () => {
    const s = await store();
    const { token, keyAuthorization } = challenge();
    await s.put(token, keyAuthorization);
    expect(await s.get(token)).toBe(keyAuthorization);
    const cm = (await api.request('GET', cmPath(token))).body;
    expect(cm.metadata.labels).toEqual({ 'portcullis.dev/http01-challenge': 'true' });
    expect(cm.data).toEqual({ token, keyAuthorization });
  });

  it('is idempotent: a second put of the same value changes nothing', async () => {
    const s = await store();
    const { token, keyAuthorization } = challenge();
    await s.put(token, keyAuthorization);
    const before = (await api.request('GET', cmPath(token))).body.metadata.resourceVersion;
    await s.put(token, keyAuthorization);
    expect((await api.request('GET', cmPath(token))).body.metadata.resourceVersion).toBe(before);
  });

  it('returns undefined for an unknown token and treats deleting an absent token as success', async () => {
    const s = await store();
    const { token, keyAuthorization } = challenge();
    expect(await s.get(token)).toBeUndefined();
    await s.put(token, keyAuthorization);
    await s.delete(token);
    expect(await s.get(token)).toBeUndefined();
    expect((await api.request('GET', cmPath(token))).status).toBe(404);
    await expect(s.delete(token)).resolves.toBeUndefined();
  });

  const invalid: Record<string, { token: string; keyAuthorization: (t: string) => string; field: string }> = {
    'a token with characters outside base64url': {
      token: 'not/base64url/token/at/all!!',
      keyAuthorization: (t) => `${t}.x`,
      field: 'token',
    },
    'a key authorization for another token': {
      token: 'a'.repeat(43),
      keyAuthorization: () => `${'b'.repeat(43)}.${'c'.repeat(43)}`,
      field: 'keyAuthorization',
    },
  };
  it.each(Object.entries(invalid))('rejects %s before writing', async (_name, { token, keyAuthorization, field }) => {
    const s = await store();
    const error = await s.put(token, keyAuthorization(token)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });
});

describe('ClusterRegistry', () => {
  it('publishes into several clusters, each with its own credentials (kubeconfig, bearer token)', async () => {
    const clusters = registry();
    const chain = await createTestChain();
    for (const cluster of ['plain', 'guarded']) {
      const target = await clusters.target(cluster);
      const result = await target.publishTlsSecret({
        namespace: 'default',
        name: 'multi-tls',
        certificateId: 'cert-multi',
        chainPem: chain.chainPem,
        key: chain.key,
        serial: chain.serial,
        notAfter: chain.notAfter,
      });
      expect(result.outcome).toBe(PublishOutcome.Created);
      expect(await target.observe({ namespace: 'default', name: 'multi-tls' })).toMatchObject({
        present: true,
        serial: chain.serial,
      });
    }
  });

  it('reports a rejected token as a non-retryable API error naming the cluster', async () => {
    const target = await registry().target('wrong-token');
    const error = await target.observe({ namespace: 'default', name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(401);
    expect((error as KubeApiError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/^kubernetes: cluster wrong-token: /);
    expect((error as Error).message).not.toContain('not-the-token');
  });

  const refused: Record<
    string,
    { credentials: ConstructorParameters<typeof StaticClusterCredentialsSource>[0]; message: RegExp }
  > = {
    'an unknown cluster': { credentials: {}, message: /no credentials are configured/ },
    'plain http to a non-loopback address': {
      credentials: { c: { kind: 'token', server: 'http://192.0.2.10:6443', token: redact('t') } },
      message: /must be https/,
    },
    'a kubeconfig that does not parse': {
      credentials: { c: { kind: 'kubeconfig', kubeconfig: redact('{{{ secret-material') } },
      message: /not a valid kubeconfig/,
    },
    'a kubeconfig without the requested context': {
      credentials: { c: { kind: 'kubeconfig', kubeconfig: redact('apiVersion: v1\nkind: Config\n'), context: 'prod' } },
      message: /no context "prod"/,
    },
  };
  it.each(Object.entries(refused))(
    'refuses %s with a credentials error that leaks nothing',
    async (_name, { credentials, message }) => {
      const clusters = new ClusterRegistry({ source: new StaticClusterCredentialsSource(credentials) });
      const error = await clusters.kubeConfig('c').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClusterCredentialsError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('secret-material');
    },
  );

  it('reloads credentials after invalidate (rotation)', async () => {
    const source = new StaticClusterCredentialsSource({
      c: { kind: 'token', server: guarded.url, token: redact('old') },
    });
    const clusters = new ClusterRegistry({ source });
    await expect((await clusters.target('c')).observe({ namespace: 'default', name: 'x' })).rejects.toThrow(/401/);
    source.set('c', { kind: 'token', server: guarded.url, token: redact(TOKEN) });
    clusters.invalidate('c');
    expect(await (await clusters.target('c')).observe({ namespace: 'default', name: 'x' })).toEqual({ present: false });
  });
});
