/**
 * NACK handling of our xDS server over real gRPC: error detail and last good version reported, the rejected
 * version never re-sent, other changes still delivered with the rejected resource held at its last good bytes,
 * and the rejection cleared once a fixed version is accepted. The raw client plays Envoy: it NACKs with the last
 * accepted `version_info` and an Envoy-style message. "Nothing else was sent" is shown with a barrier (see
 * protocol.test.ts). No local stack: nothing here talks to a CA, DNS or AWS.
 */
import {
  type AckEvent,
  type DiscoveryResponse,
  type NackEvent,
  type Rejection,
  SnapshotCache,
  startXdsServer,
  TypeUrl,
  type XdsServer,
} from '@portcullis/gateway';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdsClient, fixtureResources, names } from './support/ads-client.js';

const { Listener, Cluster } = TypeUrl;
const NODE = 'node-a';

let cache: SnapshotCache;
let server: XdsServer;
let client: AdsClient;
let nacks: NackEvent[];
let acks: AckEvent[];
beforeEach(async () => {
  cache = new SnapshotCache();
  server = await startXdsServer({
    host: '127.0.0.1',
    port: 0,
    cache,
    debounceMs: 0,
    http: { host: '127.0.0.1', port: 0 },
  });
  client = new AdsClient(server.port, NODE);
  nacks = [];
  acks = [];
  cache.onNack((event) => nacks.push(event));
  cache.onAck((event) => acks.push(event));
});
afterEach(async () => {
  client.close();
  await server.close();
});

const snapshot = (listeners: Record<string, string>) =>
  fixtureResources({ listeners, clusters: { 'ns/a:80': [8080] } });

/** Subscribes to all Listeners and ACKs the first response. */
async function acceptedListeners(listeners: Record<string, string>): Promise<DiscoveryResponse> {
  cache.setSnapshot('*', snapshot(listeners));
  client.send({ typeUrl: Listener });
  const response = await client.next();
  expect(response.typeUrl).toBe(Listener);
  client.ack(response);
  return response;
}

/** Barrier: a fresh wildcard CDS subscription must be answered next, with nothing before it (then ACKed). */
async function expectNothingElseSent(): Promise<void> {
  client.send({ typeUrl: Cluster });
  const response = await client.next();
  expect(response.typeUrl).toBe(Cluster);
  expect(client.pending).toBe(0);
  client.ack(response);
}

async function metricsText(): Promise<string> {
  return (await fetch(`http://127.0.0.1:${server.httpPort}/metrics`)).text();
}

const resourceBytes = (response: DiscoveryResponse, name: string) =>
  response.resources[names(response).indexOf(name)]?.value;

describe('xDS server NACK handling', () => {
  it('reports a NACK with the error and last good version and does not re-send the rejected version', async () => {
    const good = await acceptedListeners({ 'http-80': 'v1', 'https-443': 'v1' });
    cache.setSnapshot('*', snapshot({ 'http-80': 'bad', 'https-443': 'v1' }));
    const rejected = await client.next();
    const message = 'Error adding/updating listener(s) http-80: malformed IP address: nowhere';
    client.nack(rejected, good.versionInfo, message);
    await expectNothingElseSent();

    expect(nacks).toEqual([
      {
        nodeId: NODE,
        typeUrl: Listener,
        resourceNames: ['http-80'],
        errorDetail: message,
        version: rejected.versionInfo,
        lastGoodVersion: good.versionInfo,
      },
    ]);
    expect(cache.lastGood(NODE, Listener)?.version).toBe(good.versionInfo);
    expect(cache.rejections()).toMatchObject([{ nodeId: NODE, typeUrl: Listener, resourceName: 'http-80' }]);
    const metrics = await metricsText();
    expect(metrics).toMatch(/portcullis_xds_nacks_total\{type="Listener"\} 1/);
    expect(metrics).toMatch(/portcullis_xds_rejected_resources\{type="Listener"\} 1/);

    // The same bad listener in a later snapshot (only a cluster changed) is still not sent.
    cache.setSnapshot('*', fixtureResources({ listeners: { 'http-80': 'bad', 'https-443': 'v1' }, clusters: {} }));
    const clusters = await client.next();
    expect(clusters.typeUrl).toBe(Cluster);
    client.ack(clusters);
    client.send({ typeUrl: Listener, resourceNames: ['https-443'] });
    expect(names(await client.next())).toEqual(['https-443']);
    expect(client.pending).toBe(0);
  });

  it('delivers other changes while the rejected resource keeps its last good bytes, and clears on a fix', async () => {
    const good = await acceptedListeners({ 'http-80': 'v1', 'https-443': 'v1' });
    cache.setSnapshot('*', snapshot({ 'http-80': 'bad', 'https-443': 'v1' }));
    client.nack(await client.next(), good.versionInfo, 'listener http-80: bad');

    cache.setSnapshot('*', snapshot({ 'http-80': 'bad', 'https-443': 'v2' }));
    const mixed = await client.next();
    expect(names(mixed)).toEqual(['http-80', 'https-443']);
    expect(resourceBytes(mixed, 'http-80')).toEqual(resourceBytes(good, 'http-80'));
    expect(resourceBytes(mixed, 'https-443')).not.toEqual(resourceBytes(good, 'https-443'));
    client.ack(mixed);
    await expectNothingElseSent();
    // Accepting the stand-in is not a fix: the snapshot still holds the rejected listener.
    expect(cache.rejections().map((r) => r.resourceName)).toEqual(['http-80']);

    const changes: (readonly Rejection[])[] = [];
    cache.onRejectionsChange((all) => changes.push(all));
    cache.setSnapshot('*', snapshot({ 'http-80': 'v3', 'https-443': 'v2' }));
    const fixed = await client.next();
    expect(fixed.typeUrl).toBe(Listener);
    client.ack(fixed);
    await expectNothingElseSent();
    expect(acks.findLast((e) => e.typeUrl === Listener)).toMatchObject({
      typeUrl: Listener,
      version: fixed.versionInfo,
      clearedResourceNames: ['http-80'],
    });
    expect(cache.rejections()).toEqual([]);
    expect(changes).toEqual([[]]);
    expect(await metricsText()).toMatch(/portcullis_xds_rejected_resources\{type="Listener"\} 0/);
  });

  it('suspects every changed resource when the error names none of them', async () => {
    const good = await acceptedListeners({ 'http-80': 'v1', 'https-443': 'v1', 'http-8080': 'v1' });
    cache.setSnapshot('*', snapshot({ 'http-80': 'v2', 'https-443': 'v2', 'http-8080': 'v1' }));
    const rejected = await client.next();
    client.nack(rejected, good.versionInfo, 'Proto constraint validation failed');
    await expectNothingElseSent();
    expect(nacks.map((e) => e.resourceNames)).toEqual([['http-80', 'https-443']]);
  });

  it('leaves out a rejected new resource, and forgets the rejection when the resource is deleted', async () => {
    const good = await acceptedListeners({ 'http-80': 'v1' });
    cache.setSnapshot('*', snapshot({ 'http-80': 'v1', 'https-8443': 'bad' }));
    const rejected = await client.next();
    expect(names(rejected)).toEqual(['http-80', 'https-8443']);
    client.nack(rejected, good.versionInfo, 'listener https-8443: no filter chains');
    // Without the new listener the response would equal what the client runs: nothing is sent.
    await expectNothingElseSent();
    expect(cache.rejections().map((r) => r.resourceName)).toEqual(['https-8443']);

    cache.setSnapshot('*', snapshot({ 'http-80': 'v1' }));
    expect(cache.rejections()).toEqual([]);
  });

  it('forgets a node’s rejections when its last stream closes', async () => {
    const good = await acceptedListeners({ 'http-80': 'v1' });
    cache.setSnapshot('*', snapshot({ 'http-80': 'bad' }));
    client.nack(await client.next(), good.versionInfo, 'listener http-80: bad');
    await expectNothingElseSent();
    expect(cache.rejections()).toHaveLength(1);
    const cleared = new Promise<readonly Rejection[]>((resolve) => cache.onRejectionsChange(resolve));
    client.close();
    expect(await cleared).toEqual([]);
    expect(server.connectedNodes()).toEqual([]);
  });
});
