// The gateway's Kubernetes provider against the API-compatible test server over real HTTP (client-node informers,
// unmocked): first full sync before anything is emitted, referenced Secrets only, debounced changes, 410 resume,
// informer restart after a failed watch, and a failed first sync.
import { createHash, randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesProvider, KubernetesProviderError } from '@portcullis/gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestChain } from '../kube/test-certificates.js';
import {
  ApiError,
  EXPERIMENTAL_RESOURCES,
  KubeApiServer,
  type StatusReason,
} from '../support/kube-api-server/index.js';
import { type RawClient, rawClient } from '../support/kube-api-server/raw-client.js';
import {
  configMap,
  create,
  endpointSlice,
  gateway,
  gatewayClass,
  httpRoute,
  kubeConfigFor,
  names,
  paths,
  SnapshotRecorder,
  service,
  tlsSecret,
} from './kubernetes-fixtures.js';

let server: KubeApiServer;
let api: RawClient;
const providers: KubernetesProvider[] = [];

const newProvider = (s: KubeApiServer = server, backoff = { baseMs: 10, maxMs: 50 }) => {
  const provider = new KubernetesProvider({
    kubeConfig: kubeConfigFor(s),
    debounceMs: 20,
    maxDelayMs: 200,
    backoff,
    onError: () => {},
  });
  providers.push(provider);
  return provider;
};

beforeAll(async () => {
  server = await KubeApiServer.start();
  api = rawClient(server.url);
  const chain = await createTestChain();
  await create(api, paths.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  await create(api, paths.gatewayClasses, gatewayClass('portcullis'));
  await create(api, paths.gateways('apps'), gateway('edge', 'portcullis', 'edge-tls'));
  await create(api, paths.httpRoutes('apps'), httpRoute('web', 'edge', 'web'));
  await create(api, paths.services('apps'), service('web'));
  await create(api, paths.endpointSlices('apps'), endpointSlice('web', '10.0.0.1'));
  await create(api, paths.secrets('apps'), tlsSecret('edge-tls', chain));
  await create(api, paths.secrets('apps'), tlsSecret('unreferenced-tls', chain));
  const token = randomBytes(32).toString('base64url');
  const keyAuthorization = `${token}.${createHash('sha256').update(token).digest('base64url')}`;
  await create(
    api,
    paths.configMaps('apps'),
    configMap('challenge', { 'portcullis.dev/http01-challenge': 'true' }, { token, keyAuthorization }),
  );
  await create(api, paths.configMaps('apps'), configMap('unrelated', {}, { a: 'b' }));
});
afterEach(async () => {
  server.onRequest(undefined);
  await Promise.all(providers.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await server.stop();
});

describe('KubernetesProvider', () => {
  it('emits nothing until every informer has listed, then one complete snapshot before start resolves', async () => {
    let release: () => void = () => {};
    const routesListed = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    server.onRequest(async ({ path, query }) => {
      if (path.endsWith('/httproutes') && !query.has('watch') && !held) {
        held = true;
        await routesListed;
      }
    });
    const recorder = new SnapshotRecorder();
    const started = newProvider().start(recorder.onSnapshot);
    // Wait until every other kind is being watched while the HTTPRoute list is held back.
    while (server.openWatches('services') === 0 || server.openWatches('gateways') === 0 || !held) {
      await new Promise((r) => setImmediate(r));
    }
    expect(recorder.snapshots).toHaveLength(0);
    release();
    await started;
    expect(recorder.snapshots).toHaveLength(1);
    const first = recorder.snapshots[0];
    expect(names(first?.gatewayClasses ?? [])).toEqual(['portcullis']);
    expect(names(first?.gateways ?? [])).toEqual(['edge']);
    expect(names(first?.httpRoutes ?? [])).toEqual(['web']);
    expect(names(first?.services ?? [])).toEqual(['web']);
    expect(names(first?.endpointSlices ?? [])).toEqual(['web-1']);
    expect(names(first?.http01Challenges ?? [])).toEqual(['challenge']);
  });

  it('carries only referenced Secrets, with their data, and holds no other key material', async () => {
    const recorder = new SnapshotRecorder();
    const provider = newProvider();
    await provider.start(recorder.onSnapshot);
    const secrets = recorder.latest?.secrets ?? [];
    expect(names(secrets)).toEqual(['edge-tls']);
    expect(Object.keys(secrets[0]?.data ?? {}).sort()).toEqual(['tls.crt', 'tls.key']);
    expect(provider.heldSecretCount).toBe(1);
  });

  it('emits a new snapshot after a change, and reads a Secret once something references it', async () => {
    const recorder = new SnapshotRecorder();
    await newProvider().start(recorder.onSnapshot);
    await create(api, paths.httpRoutes('apps'), httpRoute('api', 'edge', 'web', '/api'));
    await expect(recorder.waitFor((s) => names(s.httpRoutes).includes('api'))).resolves.toBeDefined();
    const patch = { spec: { listeners: [...gateway('edge', 'portcullis', 'unreferenced-tls').spec.listeners] } };
    await api.request('PATCH', `${paths.gateways('apps')}/edge`, patch, 'application/merge-patch+json');
    const after = await recorder.waitFor((s) => names(s.secrets).includes('unreferenced-tls'));
    expect(names(after.secrets)).toEqual(['unreferenced-tls']);
    await api.request(
      'PATCH',
      `${paths.gateways('apps')}/edge`,
      { spec: gateway('edge', 'portcullis', 'edge-tls').spec },
      'application/merge-patch+json',
    );
    await recorder.waitFor((s) => names(s.secrets).includes('edge-tls'));
  });

  it('re-lists after 410 Gone and still sees changes made while its watch was down', async () => {
    await create(api, paths.services('apps'), service('doomed'));
    const recorder = new SnapshotRecorder();
    await newProvider().start(recorder.onSnapshot);
    await recorder.waitFor((s) => names(s.services).includes('doomed'));
    const listsBefore = server.requests.filter(
      (r) => r.path === '/api/v1/services' && !r.query.includes('watch'),
    ).length;
    let changed = false;
    server.onRequest(async ({ path, query }) => {
      // The informer reconnects from its old resourceVersion: change things first, then it meets 410 and re-lists.
      if (changed || path !== '/api/v1/services' || query.get('watch') !== 'true') return;
      changed = true;
      await api.request('DELETE', `${paths.services('apps')}/doomed`);
      await create(api, paths.services('apps'), service('newcomer'));
    });
    server.compact();
    const after = await recorder.waitFor(
      (s) => names(s.services).includes('newcomer') && !names(s.services).includes('doomed'),
    );
    expect(names(after.services)).toEqual(['newcomer', 'web']);
    const listsAfter = server.requests.filter(
      (r) => r.path === '/api/v1/services' && !r.query.includes('watch'),
    ).length;
    expect(listsAfter).toBeGreaterThan(listsBefore);
    await api.request('DELETE', `${paths.services('apps')}/newcomer`);
  });

  it('restarts an informer whose watch failed and keeps delivering changes', async () => {
    const errors: KubernetesProviderError[] = [];
    const recorder = new SnapshotRecorder();
    const provider = new KubernetesProvider({
      kubeConfig: kubeConfigFor(server),
      debounceMs: 20,
      backoff: { baseMs: 10, maxMs: 50 },
      onError: (e) => errors.push(e),
    });
    providers.push(provider);
    await provider.start(recorder.onSnapshot);
    let failed = false;
    server.onRequest(({ path, query }) => {
      if (failed || path !== '/api/v1/services' || query.get('watch') !== 'true') return;
      failed = true;
      throw new ApiError(500, 'InternalError' as StatusReason, 'injected watch failure');
    });
    server.closeWatches();
    await create(api, paths.services('apps'), service('after-failure'));
    await recorder.waitFor((s) => names(s.services).includes('after-failure'));
    expect(failed).toBe(true);
    expect(errors.map((e) => e.code)).toContain('KubernetesProviderWatchFailed');
    await api.request('DELETE', `${paths.services('apps')}/after-failure`);
  });

  it('rejects start without emitting when the first sync fails, and releases every watch', async () => {
    const guarded = await KubeApiServer.start({ token: 'right' });
    try {
      const recorder = new SnapshotRecorder();
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(guarded.kubeconfig({ token: 'wrong' }));
      const wrong = new KubernetesProvider({ kubeConfig, onError: () => {} });
      const error = await wrong.start(recorder.onSnapshot).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KubernetesProviderError);
      expect((error as KubernetesProviderError).code).toBe('KubernetesProviderSyncFailed');
      expect(recorder.snapshots).toHaveLength(0);
      expect(guarded.openWatches()).toBe(0);
    } finally {
      await guarded.stop();
    }
  });

  it('rejects start when one kind cannot be listed, naming it, and leaves no watch open', async () => {
    server.onRequest(({ path, query }) => {
      if (path === '/api/v1/secrets' && !query.has('watch')) {
        throw new ApiError(403, 'Forbidden' as StatusReason, 'secrets is forbidden: cannot list resource "secrets"');
      }
    });
    const recorder = new SnapshotRecorder();
    const error = await newProvider()
      .start(recorder.onSnapshot)
      .catch((e: unknown) => e);
    expect((error as KubernetesProviderError).code).toBe('KubernetesProviderSyncFailed');
    expect((error as Error).message).toMatch(/^kubernetes: secrets: first list failed: HTTP 403: secrets is forbidden/);
    expect(recorder.snapshots).toHaveLength(0);
    while (server.openWatches() > 0) await new Promise((r) => setImmediate(r));
    expect(server.openWatches()).toBe(0);
  });

  it('watches ListenerSets only where the cluster serves them', async () => {
    const withExperimental = await KubeApiServer.start({ extraResources: EXPERIMENTAL_RESOURCES });
    try {
      const plain = newProvider();
      await plain.start(() => {});
      expect(plain.watchedKinds.some((k) => k.includes('listenersets'))).toBe(false);
      const experimental = newProvider(withExperimental);
      await experimental.start(() => {});
      expect(experimental.watchedKinds).toContain('xlistenersets.gateway.networking.x-k8s.io/v1alpha1');
      expect(experimental.watchedKinds).toContain('referencegrants.gateway.networking.k8s.io/v1beta1');
    } finally {
      await Promise.all(providers.splice(0).map((p) => p.stop()));
      await withExperimental.stop();
    }
  });

  it('releases every watch on stop', async () => {
    const provider = newProvider();
    await provider.start(() => {});
    expect(server.openWatches()).toBeGreaterThan(0);
    await provider.stop();
    while (server.openWatches() > 0) await new Promise((r) => setImmediate(r));
    expect(server.openWatches()).toBe(0);
  });
});
