/**
 * xDS State-of-the-World protocol against our real server over real gRPC, with a raw ADS client that sends exactly
 * the requests under test. No local stack: nothing here talks to a CA, DNS or AWS.
 *
 * "Nothing else was sent" is shown with a barrier, never with a wait: the server handles a stream's requests in
 * order and writes responses in order, so after a request that certainly produces a response (a new subscription),
 * that response must be the next one received.
 */
import type { CertificateMaterial } from '@portcullis/core';
import { type DiscoveryResponse, SnapshotCache, startXdsServer, TypeUrl, type XdsServer } from '@portcullis/gateway';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdsClient, type FixtureSpec, fixtureResources, names, testSecret } from './support/ads-client.js';

const { Listener, RouteConfiguration, Cluster, ClusterLoadAssignment, Secret } = TypeUrl;

let web: CertificateMaterial;
let api: CertificateMaterial;
let webRotated: CertificateMaterial;
beforeAll(async () => {
  [web, api, webRotated] = await Promise.all([testSecret('ns/web'), testSecret('ns/api'), testSecret('ns/web', 2)]);
});

const base = (): FixtureSpec => ({
  listeners: { 'http-80': 'v1', 'https-443': 'v1' },
  routes: { 'http-80': 'a.example.test', 'https-443': 'b.example.test' },
  clusters: { 'ns/a:80': [8080], 'ns/b:80': [8081] },
  secrets: { 'ns/api': api, 'ns/web': web },
});

let cache: SnapshotCache;
let server: XdsServer;
const clients: AdsClient[] = [];
beforeEach(async () => {
  cache = new SnapshotCache();
  server = await startXdsServer({
    host: '127.0.0.1',
    port: 0,
    cache,
    debounceMs: 0,
    http: { host: '127.0.0.1', port: 0 },
  });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

function connect(nodeId: string, service: 'ads' | 'sds' = 'ads'): AdsClient {
  const client = new AdsClient(server.port, nodeId, service);
  clients.push(client);
  return client;
}

/** Subscribes to every type one after the other, ACKing each first response; returns them by type. */
async function syncAll(client: AdsClient): Promise<Map<string, DiscoveryResponse>> {
  const got = new Map<string, DiscoveryResponse>();
  const steps: [string, string[]][] = [
    [Cluster, []],
    [ClusterLoadAssignment, ['ns/a:80', 'ns/b:80']],
    [Listener, []],
    [RouteConfiguration, ['http-80', 'https-443']],
    [Secret, ['ns/api', 'ns/web']],
  ];
  for (const [typeUrl, resourceNames] of steps) {
    client.send({ typeUrl, resourceNames });
    const response = await client.next();
    expect(response.typeUrl).toBe(typeUrl);
    client.ack(response, resourceNames);
    got.set(typeUrl, response);
  }
  return got;
}

/** Barrier: subscribes to a Listener name nobody asked for yet and expects its response to be the next one. */
async function expectNothingElseSent(client: AdsClient, barrierNodeListener = 'http-80'): Promise<void> {
  // A second ADS stream type is not available for a barrier, so a fresh Listener subscription on a new name set.
  client.send({ typeUrl: Listener, resourceNames: [barrierNodeListener] });
  const response = await client.next();
  expect(response.typeUrl).toBe(Listener);
  expect(names(response)).toEqual([barrierNodeListener]);
  expect(client.pending).toBe(0);
}

async function httpStatus(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${server.httpPort}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('xDS server (SotW over ADS)', () => {
  it('serves nothing before the first full sync, then the initial wildcard CDS and LDS', async () => {
    const client = connect('node-a');
    client.send({ typeUrl: Cluster });
    client.send({ typeUrl: Listener });
    expect(await httpStatus('/readyz')).toMatchObject({ status: 503 });

    cache.setSnapshot('*', fixtureResources(base()));
    const clusters = await client.next();
    // The first response already carries the snapshot: an earlier (empty) answer would have come first.
    expect(clusters).toMatchObject({ typeUrl: Cluster, versionInfo: cache.snapshotFor('node-a')?.versions[Cluster] });
    expect(names(clusters)).toEqual(['ns/a:80', 'ns/b:80']);
    expect(clusters.nonce).not.toBe('');
    const listeners = await client.next();
    expect(listeners.typeUrl).toBe(Listener);
    expect(names(listeners)).toEqual(['http-80', 'https-443']);
    expect(await httpStatus('/readyz')).toMatchObject({ status: 200 });
    expect(await httpStatus('/healthz')).toMatchObject({ status: 200 });
  });

  it('serves RDS, EDS and SDS by name, only the names asked for', async () => {
    cache.setSnapshot('*', fixtureResources(base()));
    const client = connect('node-a');
    client.send({ typeUrl: RouteConfiguration, resourceNames: ['https-443'] });
    client.send({ typeUrl: ClusterLoadAssignment, resourceNames: ['ns/b:80', 'ns/missing:80'] });
    client.send({ typeUrl: Secret, resourceNames: ['ns/web'] });
    const got = [await client.next(), await client.next(), await client.next()];
    expect(got.map((r) => [r.typeUrl, names(r)])).toEqual([
      [RouteConfiguration, ['https-443']],
      [ClusterLoadAssignment, ['ns/b:80']],
      [Secret, ['ns/web']],
    ]);
  });

  it('answers an ACK with nothing when the snapshot did not change', async () => {
    cache.setSnapshot('*', fixtureResources(base()));
    const client = connect('node-a');
    await syncAll(client);
    cache.setSnapshot('*', fixtureResources(base()));
    await expectNothingElseSent(client);
    const metrics = await httpStatus('/metrics');
    expect(metrics.body).toMatch(/portcullis_xds_acks_total\{type="Cluster"\} 1/);
    expect(metrics.body).toMatch(/portcullis_xds_connected_proxies 1/);
  });

  it('pushes only the Secret on a certificate rotation', async () => {
    cache.setSnapshot('*', fixtureResources(base()));
    const client = connect('node-a');
    const before = await syncAll(client);
    cache.setSnapshot('*', fixtureResources({ ...base(), secrets: { 'ns/api': api, 'ns/web': webRotated } }));
    const rotated = await client.next();
    expect(rotated.typeUrl).toBe(Secret);
    expect(rotated.versionInfo).not.toBe(before.get(Secret)?.versionInfo);
    expect(names(rotated)).toEqual(['ns/api', 'ns/web']);
    client.ack(rotated, ['ns/api', 'ns/web']);
    await expectNothingElseSent(client);
  });

  it('pushes an endpoint change as EDS only, without listener or route churn', async () => {
    cache.setSnapshot('*', fixtureResources(base()));
    const client = connect('node-a');
    await syncAll(client);
    cache.setSnapshot('*', fixtureResources({ ...base(), clusters: { 'ns/a:80': [8080, 9090], 'ns/b:80': [8081] } }));
    const endpoints = await client.next();
    expect(endpoints.typeUrl).toBe(ClusterLoadAssignment);
    client.ack(endpoints, ['ns/a:80', 'ns/b:80']);
    await expectNothingElseSent(client);
  });

  it('coalesces a burst of snapshots into one push per type', async () => {
    await server.close();
    server = await startXdsServer({ host: '127.0.0.1', port: 0, cache, debounceMs: 20 });
    cache.setSnapshot('*', fixtureResources(base()));
    const client = connect('node-a');
    await syncAll(client);
    // Synchronous calls land inside one debounce window whatever the machine's speed.
    for (const port of [9001, 9002, 9003, 9004]) {
      cache.setSnapshot('*', fixtureResources({ ...base(), clusters: { 'ns/a:80': [port], 'ns/b:80': [8081] } }));
    }
    const endpoints = await client.next();
    expect(endpoints.versionInfo).toBe(cache.snapshotFor('node-a')?.versions[ClusterLoadAssignment]);
    client.ack(endpoints, ['ns/a:80', 'ns/b:80']);
    await expectNothingElseSent(client);
  });

  it('ignores a request with a stale nonce, NACK or not', async () => {
    cache.setSnapshot('*', fixtureResources(base()));
    const client = connect('node-a');
    const first = (await syncAll(client)).get(Cluster) as DiscoveryResponse;
    const nacks: unknown[] = [];
    cache.onNack((event) => nacks.push(event));
    cache.setSnapshot('*', fixtureResources({ ...base(), clusters: { ...base().clusters, 'ns/c:80': [8082] } }));
    const second = await client.next();
    expect(second.typeUrl).toBe(Cluster);
    // A NACK and a resubscription that both carry the first response's nonce: stale, so neither counts.
    client.nack(first, first.versionInfo, 'late complaint about an old version');
    client.send({
      typeUrl: Cluster,
      resourceNames: ['ns/a:80'],
      versionInfo: first.versionInfo,
      responseNonce: first.nonce,
    });
    client.ack(second);
    await expectNothingElseSent(client);
    expect(nacks).toEqual([]);
    expect(cache.lastGood('node-a', Cluster)?.version).toBe(second.versionInfo);
  });

  it('sends nothing to a client that reconnects with the version it holds, and keeps its subscription live', async () => {
    cache.setSnapshot('*', fixtureResources(base()));
    const first = connect('node-a');
    first.send({ typeUrl: Cluster });
    const held = await first.next();
    first.ack(held);
    first.close();

    const again = connect('node-a');
    again.send({ typeUrl: Cluster, versionInfo: held.versionInfo });
    await expectNothingElseSent(again);
    expect(cache.lastGood('node-a', Cluster)?.version).toBe(held.versionInfo);
    cache.setSnapshot('*', fixtureResources({ ...base(), clusters: { 'ns/a:80': [8080] } }));
    const update = await again.next();
    expect(update.typeUrl).toBe(Cluster);
    expect(names(update)).toEqual(['ns/a:80']);
  });

  it('serves many nodes, each its own snapshot or the default one', async () => {
    cache.setSnapshot('*', fixtureResources(base()));
    const nodes = Array.from({ length: 24 }, (_, i) => `node-${String(i).padStart(2, '0')}`);
    const own = nodes.filter((_, i) => i % 3 === 0);
    for (const nodeId of own) cache.setSnapshot(nodeId, fixtureResources({ listeners: { [`only-${nodeId}`]: 'v1' } }));
    const connected = nodes.map((nodeId) => connect(nodeId));
    for (const client of connected) client.send({ typeUrl: Listener });
    for (const client of connected) {
      const response = await client.next();
      const expected = own.includes(client.nodeId) ? [`only-${client.nodeId}`] : ['http-80', 'https-443'];
      expect(names(response)).toEqual(expected);
      client.ack(response);
    }
    expect(server.connectedNodes()).toEqual(nodes);

    // A change of the default snapshot reaches the nodes that use it and no other.
    cache.setSnapshot('*', fixtureResources({ ...base(), listeners: { 'http-80': 'v2', 'https-443': 'v1' } }));
    for (const client of connected.filter((c) => !own.includes(c.nodeId))) {
      const response = await client.next();
      expect(response.typeUrl).toBe(Listener);
      client.ack(response);
    }
    for (const client of connected.filter((c) => own.includes(c.nodeId))) {
      client.send({ typeUrl: Cluster });
      const response = await client.next();
      expect(response.typeUrl).toBe(Cluster);
      expect(client.pending).toBe(0);
    }
  });

  it('serves Secrets on the standalone SDS service', async () => {
    cache.setSnapshot('*', fixtureResources(base()));
    const client = connect('node-sds', 'sds');
    client.send({ typeUrl: Secret, resourceNames: ['ns/web'] });
    const response = await client.next();
    expect(response.typeUrl).toBe(Secret);
    expect(names(response)).toEqual(['ns/web']);
  });
});
