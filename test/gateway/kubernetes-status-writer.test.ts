// The status writer against the API-compatible test server over real HTTP: the status translate() computes from
// the provider's snapshot is written to the status subresource (conditions with observedGeneration), unchanged
// status is not rewritten, other controllers' route parents survive, and a 409 is resolved by re-reading.
import {
  KubernetesProvider,
  KubernetesStatusWriter,
  type SourceSnapshot,
  STATUS_FIELD_MANAGER,
  translate,
} from '@portcullis/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestChain } from '../kube/test-certificates.js';
import { KubeApiServer } from '../support/kube-api-server/index.js';
import { type RawClient, rawClient } from '../support/kube-api-server/raw-client.js';
import {
  CONTROLLER,
  create,
  endpointSlice,
  gateway,
  gatewayClass,
  httpRoute,
  kubeConfigFor,
  paths,
  SnapshotRecorder,
  service,
  tlsSecret,
} from './kubernetes-fixtures.js';

let server: KubeApiServer;
let api: RawClient;
let provider: KubernetesProvider;
let writer: KubernetesStatusWriter;
const recorder = new SnapshotRecorder();
const OTHER_CONTROLLER = 'example.com/other-controller';
const statusWrites = () => server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/status'));
const get = async (path: string) => (await api.request('GET', path)).body;
const translateLatest = (snapshot: SourceSnapshot) =>
  translate(snapshot, { addresses: [{ type: 'IPAddress', value: '192.0.2.1' }] });

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
  await create(api, paths.ingresses('apps'), {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop' },
    spec: {
      ingressClassName: 'portcullis',
      rules: [
        {
          host: 'shop.example.test',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
          },
        },
      ],
    },
  });
  // Another controller already reports on this route; its entry must survive our writes.
  const theirs = {
    parentRef: { name: 'their-gateway' },
    controllerName: OTHER_CONTROLLER,
    conditions: [
      {
        type: 'Accepted',
        status: 'True',
        reason: 'Accepted',
        message: '',
        lastTransitionTime: '2026-01-01T00:00:00Z',
        observedGeneration: 1,
      },
    ],
  };
  await api.request(
    'PATCH',
    `${paths.httpRoutes('apps')}/web/status`,
    { status: { parents: [theirs] } },
    'application/merge-patch+json',
  );
  // A spec change after creation, so that observedGeneration has something to prove.
  await api.request(
    'PATCH',
    `${paths.httpRoutes('apps')}/web`,
    { metadata: { labels: { tier: 'front' } }, spec: { hostnames: ['app.example.test', 'api.example.test'] } },
    'application/merge-patch+json',
  );
  await api.request(
    'PATCH',
    `${paths.gateways('apps')}/edge`,
    { spec: { addresses: [] } },
    'application/merge-patch+json',
  );
  provider = new KubernetesProvider({ kubeConfig: kubeConfigFor(server), debounceMs: 20, onError: () => {} });
  writer = new KubernetesStatusWriter({ kubeConfig: kubeConfigFor(server) });
  await provider.start(recorder.onSnapshot);
});
afterAll(async () => {
  await provider.stop();
  await server.stop();
});

describe('KubernetesStatusWriter', () => {
  it('writes conditions with observedGeneration to the status subresource, as portcullis-gateway', async () => {
    const first = translateLatest(recorder.latest as SourceSnapshot);
    const report = await writer.write(first.status);
    expect(report.failed).toEqual([]);
    expect(report.written).toEqual(
      expect.arrayContaining(['GatewayClass/portcullis', 'Gateway/apps/edge', 'HTTPRoute/apps/web']),
    );

    const gatewayClassNow = await get(`${paths.gatewayClasses}/portcullis`);
    expect(gatewayClassNow.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Accepted',
        status: 'True',
        observedGeneration: gatewayClassNow.metadata.generation,
      }),
    );
    const edge = await get(`${paths.gateways('apps')}/edge`);
    expect(edge.metadata.generation).toBe(2);
    for (const condition of edge.status.conditions) expect(condition.observedGeneration).toBe(2);
    expect(edge.status.listeners.map((l: { name: string }) => l.name).sort()).toEqual(['http', 'https']);

    const route = await get(`${paths.httpRoutes('apps')}/web`);
    expect(route.metadata.generation).toBe(2);
    const ours = route.status.parents.find((p: { controllerName: string }) => p.controllerName === CONTROLLER);
    expect(ours.conditions).toContainEqual(
      expect.objectContaining({ type: 'Accepted', status: 'True', observedGeneration: 2 }),
    );
    expect(route.status.parents.map((p: { controllerName: string }) => p.controllerName)).toContain(OTHER_CONTROLLER);
    expect(route.metadata.managedFields).toContainEqual(
      expect.objectContaining({ manager: STATUS_FIELD_MANAGER, subresource: 'status' }),
    );
  });

  it('does not rewrite status that has not changed (no request at all)', async () => {
    // The provider sees our own status writes and emits a snapshot that already holds them.
    const edgeNow = (await get(`${paths.gateways('apps')}/edge`)).metadata.resourceVersion;
    const snapshot = await recorder.waitFor((s) => s.gateways.some((g) => g.metadata.resourceVersion === edgeNow));
    const writesBefore = statusWrites().length;
    const report = await writer.write(translateLatest(snapshot).status);
    expect(report.written).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(report.skipped).toEqual(
      expect.arrayContaining(['GatewayClass/portcullis', 'Gateway/apps/edge', 'HTTPRoute/apps/web']),
    );
    expect(statusWrites().length).toBe(writesBefore);
  });

  it('re-reads on 409 and keeps the entry another controller wrote in between', async () => {
    const routePath = `${paths.httpRoutes('apps')}/web`;
    await api.request(
      'PATCH',
      routePath,
      { spec: { hostnames: ['app.example.test', 'www.example.test'] } },
      'application/merge-patch+json',
    );
    const generation = (await get(routePath)).metadata.generation;
    const snapshot = await recorder.waitFor((s) => s.httpRoutes.some((r) => r.metadata.generation === generation));
    const update = translateLatest(snapshot).status.filter((u) => u.key === 'HTTPRoute/apps/web');
    let injected = false;
    server.onRequest(async ({ method, path }) => {
      if (injected || method !== 'PATCH' || path !== `${routePath}/status`) return;
      injected = true;
      const live = await get(routePath);
      const newcomer = { parentRef: { name: 'third' }, controllerName: 'example.com/third', conditions: [] };
      await api.request(
        'PATCH',
        `${routePath}/status?fieldManager=third`,
        { status: { parents: [...live.status.parents, newcomer] } },
        'application/merge-patch+json',
      );
    });
    const report = await writer.write(update);
    server.onRequest(undefined);
    expect(report.written).toEqual(['HTTPRoute/apps/web']);
    expect(statusWrites().some((r) => r.path === `${routePath}/status` && r.status === 409)).toBe(true);
    const route = await get(routePath);
    expect(route.status.parents.map((p: { controllerName: string }) => p.controllerName).sort()).toEqual(
      [CONTROLLER, 'example.com/third', OTHER_CONTROLLER].sort(),
    );
    const ours = route.status.parents.find((p: { controllerName: string }) => p.controllerName === CONTROLLER);
    for (const condition of ours.conditions) expect(condition.observedGeneration).toBe(generation);
  });
});
