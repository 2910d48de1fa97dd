// The Kubernetes TLS Secret target against the API-compatible test server over real HTTP (client-node unmocked):
// publish, rotate, publish twice, field-manager conflict, concurrent write, foreign Secrets, observe, list + 410.
import { KubeConfig } from '@kubernetes/client-node';
import { ValidationError } from '@portcullis/core';
import {
  ForeignSecretError,
  KubeErrorCode,
  KubernetesTlsTarget,
  PublishOutcome,
  type PublishTlsSecretInput,
} from '@portcullis/kube';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../support/kube-api-server/index.js';
import { type RawClient, rawClient } from '../support/kube-api-server/raw-client.js';
import { createTestChain, type TestChain } from './test-certificates.js';

let server: KubeApiServer;
let api: RawClient;
let target: KubernetesTlsTarget;
let namespace: string;
let counter = 0;

beforeAll(async () => {
  server = await KubeApiServer.start();
  api = rawClient(server.url);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig());
  target = new KubernetesTlsTarget({ kubeConfig, cluster: 'test' });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  server.onRequest(undefined);
  namespace = `ns-${++counter}`;
  await api.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
});

const secretPath = (name = 'web-tls') => `/api/v1/namespaces/${namespace}/secrets/${name}`;
const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const input = (chain: TestChain, extra: Partial<PublishTlsSecretInput> = {}): PublishTlsSecretInput => ({
  namespace,
  name: 'web-tls',
  certificateId: 'cert-web',
  chainPem: chain.chainPem,
  key: chain.key,
  serial: chain.serial,
  notAfter: chain.notAfter,
  ...extra,
});
const writesTo = (path: string) => server.requests.filter((r) => r.path === path && r.method !== 'GET').length;

describe('publishTlsSecret', () => {
  it('creates a kubernetes.io/tls Secret with the chain, the key, labels and annotations, applied as portcullis', async () => {
    const chain = await createTestChain();
    const result = await target.publishTlsSecret(input(chain));
    expect(result.outcome).toBe(PublishOutcome.Created);
    const secret = (await api.request('GET', secretPath())).body;
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(Object.keys(secret.data).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(decode(secret.data['tls.crt'])).toBe(chain.chainPem);
    expect(decode(secret.data['tls.key'])).toBe(chain.key.reveal());
    expect(secret.metadata.labels).toEqual({
      'portcullis.dev/certificate': 'cert-web',
      'app.kubernetes.io/managed-by': 'portcullis',
    });
    expect(secret.metadata.annotations).toEqual({
      'portcullis.dev/serial': chain.serial,
      'portcullis.dev/not-after': chain.notAfter,
    });
    expect(secret.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'portcullis', operation: 'Apply' }),
    ]);
    expect(result.resourceVersion).toBe(secret.metadata.resourceVersion);
  });

  it('writes ca.crt only when a root is configured, and removes it when the root is dropped', async () => {
    const chain = await createTestChain();
    await target.publishTlsSecret(input(chain, { caPem: chain.rootPem }));
    expect(decode((await api.request('GET', secretPath())).body.data['ca.crt'])).toBe(chain.rootPem);
    await target.publishTlsSecret(input(chain));
    expect(Object.keys((await api.request('GET', secretPath())).body.data).sort()).toEqual(['tls.crt', 'tls.key']);
  });

  it('changes nothing when the same serial is published twice (no write, same resourceVersion)', async () => {
    const chain = await createTestChain();
    const first = await target.publishTlsSecret(input(chain));
    const writes = writesTo(secretPath());
    const second = await target.publishTlsSecret(input(chain));
    expect(second).toEqual({ ...first, outcome: PublishOutcome.Unchanged });
    expect(writesTo(secretPath())).toBe(writes);
  });

  it('replaces the material on rotation with exactly one write', async () => {
    const first = await createTestChain();
    await target.publishTlsSecret(input(first));
    const before = Number(server.resourceVersion);
    const next = await createTestChain();
    const result = await target.publishTlsSecret(input(next));
    expect(result.outcome).toBe(PublishOutcome.Updated);
    expect(Number(result.resourceVersion)).toBe(before + 1);
    const secret = (await api.request('GET', secretPath())).body;
    expect(decode(secret.data['tls.crt'])).toBe(next.chainPem);
    expect(secret.metadata.annotations['portcullis.dev/serial']).toBe(next.serial);
  });

  it('takes tls.crt back from another field manager that edited our Secret (409 conflict, then forced apply)', async () => {
    const chain = await createTestChain();
    await target.publishTlsSecret(input(chain));
    const edited = Buffer.from('edited by hand').toString('base64');
    await api.request(
      'PATCH',
      `${secretPath()}?fieldManager=kubectl-edit`,
      { data: { 'tls.crt': edited } },
      'application/merge-patch+json',
    );
    const result = await target.publishTlsSecret(input(chain));
    expect(result.outcome).toBe(PublishOutcome.Updated);
    expect(result.tookOverFrom).toEqual(['kubectl-edit']);
    expect(server.requests.some((r) => r.path === secretPath() && r.status === 409)).toBe(true);
    const secret = (await api.request('GET', secretPath())).body;
    expect(decode(secret.data['tls.crt'])).toBe(chain.chainPem);
    expect(secret.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(['portcullis']);
  });

  it('re-reads and retries when the Secret changes between its read and its write (resourceVersion conflict)', async () => {
    await target.publishTlsSecret(input(await createTestChain()));
    let injected = false;
    server.onRequest(async ({ method, path }) => {
      if (injected || method !== 'PATCH' || path !== secretPath()) return;
      injected = true;
      const patch = { metadata: { annotations: { 'example.com/touched': 'yes' } } };
      await api.request('PATCH', `${secretPath()}?fieldManager=other`, patch, 'application/merge-patch+json');
    });
    const next = await createTestChain();
    const result = await target.publishTlsSecret(input(next));
    expect(result.outcome).toBe(PublishOutcome.Updated);
    expect(result.tookOverFrom).toEqual([]);
    const secret = (await api.request('GET', secretPath())).body;
    expect(secret.metadata.annotations['example.com/touched']).toBe('yes');
    expect(secret.metadata.annotations['portcullis.dev/serial']).toBe(next.serial);
  });

  const foreign: Record<string, { labels?: Record<string, string>; manager: string; code: string }> = {
    'a Secret created by someone else': { manager: 'kubectl-create', code: KubeErrorCode.ForeignSecret },
    'a Secret labelled by hand but never applied by portcullis': {
      labels: { 'portcullis.dev/certificate': 'cert-web' },
      manager: 'kubectl-create',
      code: KubeErrorCode.ForeignSecret,
    },
    'our Secret of another certificate': {
      labels: { 'portcullis.dev/certificate': 'cert-other' },
      manager: 'portcullis',
      code: KubeErrorCode.SecretOfOtherCertificate,
    },
  };
  it.each(Object.entries(foreign))(
    'refuses to overwrite %s and changes nothing',
    async (_name, { labels, manager, code }) => {
      const theirs = await createTestChain();
      const body = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'web-tls', ...(labels ? { labels } : {}) },
        type: 'kubernetes.io/tls',
        data: {
          'tls.crt': Buffer.from(theirs.chainPem).toString('base64'),
          'tls.key': Buffer.from('k').toString('base64'),
        },
      };
      const created = (
        await api.request('POST', `/api/v1/namespaces/${namespace}/secrets?fieldManager=${manager}`, body)
      ).body;
      const error = await target.publishTlsSecret(input(await createTestChain())).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ForeignSecretError);
      expect((error as ForeignSecretError).code).toBe(code);
      expect((error as Error).message).toMatch(
        new RegExp(`^kubernetes: cluster test: secret ${namespace}/web-tls: refusing`),
      );
      expect((await api.request('GET', secretPath())).body).toEqual(created);
    },
  );

  it('rejects a key that does not belong to the leaf before any request, without echoing the key', async () => {
    const chain = await createTestChain();
    const other = await createTestChain();
    const requests = server.requests.length;
    const error = await target.publishTlsSecret(input(chain, { key: other.key })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('key');
    expect(JSON.stringify(error) + String(error)).not.toContain('PRIVATE KEY');
    expect(server.requests.length).toBe(requests);
  });
});

describe('observe and listPublished', () => {
  it('reports absence, then the serial and notAfter the cluster holds', async () => {
    expect(await target.observe({ namespace, name: 'web-tls' })).toEqual({ present: false });
    const chain = await createTestChain();
    const published = await target.publishTlsSecret(input(chain));
    expect(await target.observe({ namespace, name: 'web-tls' })).toEqual({
      present: true,
      serial: chain.serial,
      notAfter: chain.notAfter,
      certificateId: 'cert-web',
      managed: true,
      resourceVersion: published.resourceVersion,
    });
  });

  it('lists every published Secret page by page and restarts the list when a page token expires (410)', async () => {
    const chains = await Promise.all([1, 2, 3].map(() => createTestChain()));
    for (const [i, chain] of chains.entries()) {
      await target.publishTlsSecret(input(chain, { name: `tls-${i}`, certificateId: `cert-${i}` }));
    }
    let compacted = false;
    server.onRequest(({ query }) => {
      if (!compacted && query.has('continue')) {
        compacted = true;
        server.compact();
      }
    });
    const listed = await target.listPublished({ namespace, pageSize: 2 });
    expect(compacted).toBe(true);
    expect(server.requests.some((r) => r.status === 410 && r.path.endsWith(`/namespaces/${namespace}/secrets`))).toBe(
      true,
    );
    expect(listed.map((s) => [s.name, s.certificateId, s.serial])).toEqual(
      chains.map((c, i) => [`tls-${i}`, `cert-${i}`, c.serial]),
    );
  });
});
