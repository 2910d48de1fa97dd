// `@kubernetes/client-node` itself (unmocked) against the test API server: discovery-driven generic objects,
// typed APIs, server-side apply through PatchStrategy, and an informer that resumes after 410 Gone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiServer } from '../support/kube-api-server/index.js';

let server: KubeApiServer;
let kubeConfig: KubeConfig;

beforeAll(async () => {
  server = await KubeApiServer.start();
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig({ namespace: 'default' }));
});
afterAll(async () => {
  await server.stop();
});

describe('client-node against the test API server', () => {
  it('creates, reads, applies, lists and deletes a custom resource through discovery (KubernetesObjectApi)', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    const spec = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'generic', namespace: 'default' },
      spec: { gatewayClassName: 'a', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
    };
    const created = await objects.create(spec);
    expect((created.metadata as { uid?: string }).uid).toBeTruthy();
    const applied = await objects.patch(
      { ...spec, spec: { ...spec.spec, gatewayClassName: 'b' } },
      undefined,
      undefined,
      'tester',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((applied as typeof spec).spec.gatewayClassName).toBe('b');
    const list = await objects.list('gateway.networking.k8s.io/v1', 'Gateway', 'default');
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['generic']);
    await objects.delete(spec);
    const missing = await objects.read(spec).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiException);
    expect((missing as ApiException<unknown>).code).toBe(404);
  });

  it('loads a kubeconfig file written for it (loadFromFile)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeconfig-'));
    try {
      const fromFile = new KubeConfig();
      fromFile.loadFromFile(await server.writeKubeconfig(dir));
      const namespaces = await fromFile.makeApiClient(CoreV1Api).listNamespace();
      expect(namespaces.items.map((n) => n.metadata?.name)).toContain('kube-system');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves typed APIs (CoreV1Api) with Date conversion and 409 on duplicate create', async () => {
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const body: V1ConfigMap = { metadata: { name: 'typed' }, data: { a: '1' } };
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body });
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const duplicate = await core.createNamespacedConfigMap({ namespace: 'default', body }).catch((e: unknown) => e);
    expect((duplicate as ApiException<unknown>).code).toBe(409);
  });

  it('keeps an informer cache in step across a 410 Gone (makeInformer re-lists and resumes)', async () => {
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const informer = makeInformer(kubeConfig, '/api/v1/namespaces/default/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'default' }),
    );
    const seen: string[] = [];
    let notify = () => {};
    informer.on('add', (o) => {
      seen.push(`add:${o.metadata?.name}`);
      notify();
    });
    informer.on('delete', (o) => {
      seen.push(`delete:${o.metadata?.name}`);
      notify();
    });
    const waitFor = async (entry: string) => {
      while (!seen.includes(entry)) await new Promise<void>((resolve) => (notify = resolve));
    };
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'before-gone' } } });
    await waitFor('add:before-gone');
    server.onRequest(async ({ query }) => {
      if (query.get('watch') !== 'true' || !query.get('resourceVersion')) return;
      server.onRequest(undefined);
      await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'before-gone' });
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'while-gone' } } });
    });
    server.compact();
    await waitFor('add:while-gone');
    await waitFor('delete:before-gone');
    expect(informer.list().map((o) => o.metadata?.name)).not.toContain('before-gone');
    await informer.stop();
  });
});
