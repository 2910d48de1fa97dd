/**
 * The controller entry end to end on loopback: File provider (a real directory of YAML) → translate → build →
 * snapshot cache → our xDS server over real gRPC → a raw ADS client playing Envoy; its NACK shows up as a status
 * condition on the source object and clears once the rejected resource is gone. No local stack: nothing here talks
 * to a CA, DNS or AWS.
 *
 * Status goes to an in-memory sink (a fake): there is no Kubernetes API server here; the Kubernetes status writer
 * has its own tests against one (test/gateway/kubernetes-status-writer.test.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileProvider,
  type Rejection,
  RejectionReason,
  type RunningController,
  runController,
  type StatusUpdates,
  TypeUrl,
} from '@portcullis/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdsClient, names } from './support/ads-client.js';

const gateway = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: portcullis, generation: 1 }
spec: { controllerName: portcullis.dev/gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: infra, generation: 1 }
spec:
  gatewayClassName: portcullis
  listeners:
    - { name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }
`;
const service = (name: string, address: string) => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: apps }
spec: { ports: [{ name: http, port: 80, targetPort: 8080 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${name}-abcde, namespace: apps, labels: { kubernetes.io/service-name: ${name} } }
addressType: IPv4
ports: [{ name: http, port: 8080 }]
endpoints: [{ addresses: ["${address}"], conditions: { ready: true } }]
`;
const route = (backend: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: apps, generation: 1 }
spec:
  parentRefs: [{ name: edge, namespace: infra }]
  rules: [{ backendRefs: [{ name: ${backend}, port: 80 }] }]
`;

let directory: string;
let controller: RunningController;
const written: StatusUpdates[] = [];
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'portcullis-controller-'));
  await writeFile(join(directory, 'gateway.yaml'), gateway);
  await writeFile(join(directory, 'services.yaml'), `${service('web', '10.0.1.1')}---${service('web2', '10.0.2.1')}`);
  await writeFile(join(directory, 'route.yaml'), route('web'));
  controller = await runController({
    provider: new FileProvider({ directory, debounceMs: 20, onProblems: () => {} }),
    xds: { host: '127.0.0.1', port: 0, debounceMs: 0, http: { host: '127.0.0.1', port: 0 } },
    statusWriter: { write: async (updates) => written.push(updates) },
  });
});
afterAll(async () => {
  await controller?.stop();
  await rm(directory, { recursive: true, force: true });
});

const routeProgrammed = (updates: StatusUpdates) => {
  const update = updates.find((u) => u.key === 'HTTPRoute/apps/web');
  if (update?.kind !== 'HTTPRoute') throw new Error('no status for HTTPRoute/apps/web');
  return update.status.parents[0]?.conditions.find((c) => c.type === 'Programmed');
};

function nextRejections(predicate: (all: readonly Rejection[]) => boolean): Promise<readonly Rejection[]> {
  return new Promise((resolve) => {
    const unsubscribe = controller.cache.onRejectionsChange((all) => {
      if (!predicate(all)) return;
      unsubscribe();
      resolve(all);
    });
  });
}

describe('controller entry (File provider → xDS → status)', () => {
  it('is ready after the first sync and serves the translated configuration', async () => {
    const ready = await fetch(`http://127.0.0.1:${controller.server.httpPort}/readyz`);
    expect(ready.status).toBe(200);
    const client = new AdsClient(controller.server.port, 'envoy-1');
    try {
      client.send({ typeUrl: TypeUrl.Cluster });
      expect(names(await client.next())).toEqual(['apps/web:80']);
      client.send({ typeUrl: TypeUrl.Listener });
      expect(names(await client.next())).toEqual(['http-80']);
    } finally {
      client.close();
    }
  });

  it('shows a NACK on the route that owns the cluster and clears it when the cluster is gone', async () => {
    const client = new AdsClient(controller.server.port, 'envoy-2');
    try {
      client.send({ typeUrl: TypeUrl.Cluster });
      const clusters = await client.next();
      const rejected = nextRejections((all) => all.length === 1);
      client.nack(clusters, '', 'Error adding cluster apps/web:80: LEAST_REQUEST is not supported');
      expect(await rejected).toMatchObject([{ nodeId: 'envoy-2', resourceName: 'apps/web:80' }]);
      // It never accepted the cluster, so what it is sent next is the configuration without it.
      const withoutRejected = await client.next();
      expect(names(withoutRejected)).toEqual([]);
      client.ack(withoutRejected);
      await controller.settled();
      expect(routeProgrammed(controller.status())).toMatchObject({
        status: 'False',
        reason: RejectionReason.EnvoyRejected,
        message: 'envoy rejected Cluster apps/web:80: Error adding cluster apps/web:80: LEAST_REQUEST is not supported',
      });
      expect(written.at(-1)).toBe(controller.status());

      // The route moves to another Service: the rejected cluster leaves the snapshot, the condition goes away.
      const cleared = nextRejections((all) => all.length === 0);
      await writeFile(join(directory, 'route.yaml'), route('web2'));
      await cleared;
      const replaced = await client.next();
      expect(names(replaced)).toEqual(['apps/web2:80']);
      await controller.settled();
      expect(routeProgrammed(controller.status())).toBeUndefined();
    } finally {
      client.close();
    }
  });
});
