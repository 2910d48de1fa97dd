/**
 * `@grpc/grpc-js-xds` as an independent xDS client of our server: real gRPC calls from an `xds:///` channel to real
 * gRPC backends on loopback, routed by the Listener / RouteConfiguration / Cluster / ClusterLoadAssignment our
 * builders make and our ADS server serves. Each test has its own node id (per-node snapshots) and authority.
 * Ratios are checked with wide tolerances and nothing is timed: the suite runs on a loaded 2-core machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, Metadata, status } from '@grpc/grpc-js';
import { CONTROLLER_NAME, type Rejection, type StatusUpdates, TypeUrl, withRejections } from '@portcullis/gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callEcho, type EchoBackend, startEchoBackend, tallyCalls } from './support/echo-backends.js';
import { echoCluster, grpcGateway, grpcGatewayFromManifests, grpcRoute } from './support/grpc-gateway-model.js';
import { statusManifests } from './support/grpc-status-manifests.js';
import { createXdsClient, writeBootstrapFile } from './support/grpc-xds-client.js';
import { nextAck, nextEvent, nextNack, startXdsHarness, type XdsHarness } from './support/xds-harness.js';

let xds: XdsHarness;
let work: string;
const backends: EchoBackend[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  xds = await startXdsHarness();
  work = await mkdtemp(join(tmpdir(), 'portcullis-grpc-xds-'));
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(backends.splice(0).map((backend) => backend.close()));
});

afterAll(async () => {
  delete process.env.GRPC_XDS_BOOTSTRAP;
  await xds?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

async function backend(name: string, options: Parameters<typeof startEchoBackend>[1] = {}): Promise<EchoBackend> {
  const started = await startEchoBackend(name, options);
  backends.push(started);
  return started;
}

/** A client for `authority` with its own node id (the server keys snapshots by node). */
function client(authority: string, nodeId: string): Client {
  const created = createXdsClient(authority, { serverAddress: xds.address, nodeId });
  clients.push(created);
  return created;
}

const withHeader = (name: string, value: string) => () => {
  const metadata = new Metadata();
  metadata.set(name, value);
  return metadata;
};

/** The server's Prometheus metrics by their `type` label (short resource kind). */
async function metricValue(metric: 'rejectedResources' | 'nacks', type: string): Promise<number> {
  const { values } = await xds.server.metrics[metric].get();
  return values.find((v) => v.labels.type === type)?.value ?? 0;
}
const rejectedGauge = (type: string) => metricValue('rejectedResources', type);
const nackCount = (type: string) => metricValue('nacks', type);

describe('@grpc/grpc-js-xds against our ADS server', () => {
  it('reads its bootstrap from GRPC_XDS_BOOTSTRAP and routes a call to the backend the route names', async () => {
    const web = await backend('web');
    const authority = 'bootstrap.example.com';
    const cluster = echoCluster('web', [web]);
    xds.cache.setSnapshot(
      'env-node',
      grpcGateway(authority, [grpcRoute('web', { backends: [[cluster, 1]] })], [cluster]).encoded,
    );
    // The process-wide bootstrap: read once, at the first xds: channel without a per-channel bootstrap.
    process.env.GRPC_XDS_BOOTSTRAP = await writeBootstrapFile(work, { serverAddress: xds.address, nodeId: 'env-node' });
    const envClient = createXdsClient(authority);
    clients.push(envClient);
    expect(await callEcho(envClient, undefined, 30_000)).toEqual({ backend: 'web' });
    expect(xds.server.connectedNodes()).toContain('env-node');
  });

  it('accepts ClusterLoadAssignments exactly as the builder makes them', async () => {
    // gRPC clients refuse an unset locality and drop a locality without a weight; the builder sets both.
    const web = await backend('web');
    const authority = 'as-built.example.com';
    const cluster = echoCluster('web', [web]);
    const nack = nextNack(xds.cache, (e) => e.nodeId === 'as-built', 'a NACK from node as-built').then(
      (e) => e,
      () => undefined,
    );
    const gateway = grpcGateway(authority, [grpcRoute('web', { backends: [[cluster, 1]] })], [cluster]);
    xds.cache.setSnapshot('as-built', gateway.encoded);
    const reply = callEcho(client(authority, 'as-built'), undefined, 15_000).catch((error: Error) => error);
    const outcome = await Promise.race([reply, nack]);
    if (outcome !== undefined && 'errorDetail' in outcome) {
      expect.fail(`grpc-js-xds NACKed ${outcome.typeUrl} ${outcome.resourceNames.join(', ')}: ${outcome.errorDetail}`);
    }
    expect(outcome).toEqual({ backend: 'web' });
  });

  it('splits a weighted route between stable and canary within tolerance', async () => {
    const [stable1, stable2, canary] = await Promise.all([backend('stable-1'), backend('stable-2'), backend('canary')]);
    const authority = 'weighted.example.com';
    const stableCluster = echoCluster('stable', [stable1, stable2]);
    const canaryCluster = echoCluster('canary', [canary]);
    const route = grpcRoute('weighted', {
      backends: [
        [stableCluster, 80],
        [canaryCluster, 20],
      ],
    });
    xds.cache.setSnapshot('weighted', grpcGateway(authority, [route], [stableCluster, canaryCluster]).encoded);
    const weighted = client(authority, 'weighted');
    await callEcho(weighted, undefined, 30_000);

    const calls = 1_000;
    const tally = await tallyCalls(weighted, calls);
    const canaryShare = (tally.get('canary') ?? 0) / calls;
    // 20 % expected; binomial sd at n=1000 is 1.3 %, so ±6 % is over 4 sd.
    expect(canaryShare).toBeGreaterThan(0.14);
    expect(canaryShare).toBeLessThan(0.26);
    // Round robin inside the stable cluster: both stable endpoints serve.
    expect(tally.get('stable-1')).toBeGreaterThan(0);
    expect(tally.get('stable-2')).toBeGreaterThan(0);
    expect([...tally.keys()].sort()).toEqual(['canary', 'stable-1', 'stable-2']);
  });

  it('sends calls carrying the canary header to the canary and the rest to stable', async () => {
    const [stable, canary] = await Promise.all([backend('stable'), backend('canary')]);
    const authority = 'header.example.com';
    const stableCluster = echoCluster('stable', [stable]);
    const canaryCluster = echoCluster('canary', [canary]);
    const routes = [
      grpcRoute('canary', {
        backends: [[canaryCluster, 1]],
        headers: [{ name: 'x-canary', type: 'Exact', value: 'true' }],
      }),
      grpcRoute('stable', { backends: [[stableCluster, 1]] }),
    ];
    xds.cache.setSnapshot('header', grpcGateway(authority, routes, [stableCluster, canaryCluster]).encoded);
    const routed = client(authority, 'header');
    await callEcho(routed, undefined, 30_000);

    expect(await tallyCalls(routed, 50, withHeader('x-canary', 'true'))).toEqual(new Map([['canary', 50]]));
    expect(await tallyCalls(routed, 50)).toEqual(new Map([['stable', 50]]));
    expect(await tallyCalls(routed, 20, withHeader('x-canary', 'false'))).toEqual(new Map([['stable', 20]]));
  });

  it('keeps every key on one backend with a ring-hash cluster hashing a header', async () => {
    const ring = await Promise.all([backend('ring-a'), backend('ring-b'), backend('ring-c')]);
    const authority = 'sticky.example.com';
    const cluster = echoCluster('sticky', ring, 'ring-hash');
    const route = grpcRoute('sticky', { backends: [[cluster, 1]], hashPolicies: [{ type: 'Header', name: 'x-user' }] });
    xds.cache.setSnapshot('sticky', grpcGateway(authority, [route], [cluster]).encoded);
    const sticky = client(authority, 'sticky');
    const users = Array.from({ length: 30 }, (_, i) => `user-${i}`);
    // Warm-up: ring hash connects lazily; one call per key brings up the subchannels the keys land on.
    for (const user of users) await callEcho(sticky, withHeader('x-user', user)(), 30_000);

    const placement = new Map<string, Set<string>>();
    for (let round = 0; round < 5; round++) {
      for (const user of users) {
        const { backend: answered } = await callEcho(sticky, withHeader('x-user', user)());
        placement.set(user, (placement.get(user) ?? new Set()).add(answered));
      }
    }
    for (const [user, answeredBy] of placement) expect([user, answeredBy.size]).toEqual([user, 1]);
    // 30 keys on a 3-way ring all on one backend would mean the hash is not used ((1/3)^29).
    const used = new Set([...placement.values()].flatMap((set) => [...set]));
    expect(used.size).toBeGreaterThanOrEqual(2);
  });

  it('rescues calls to a flaky backend with the route retry policy, and fails them without it', async () => {
    const [flaky, flakyControl] = await Promise.all([
      backend('flaky', { failEvery: 3 }),
      backend('flaky-control', { failEvery: 3 }),
    ]);
    const authority = 'retry.example.com';
    const retried = echoCluster('flaky', [flaky]);
    const control = echoCluster('flaky-control', [flakyControl]);
    const routes = [
      // Without retry: selected by header so both share one config.
      grpcRoute('no-retry', { backends: [[control, 1]], headers: [{ name: 'x-no-retry', type: 'Exact', value: '1' }] }),
      grpcRoute('retry', {
        backends: [[retried, 1]],
        retry: { attempts: 3, retriableStatusCodes: [], backoffBaseMs: 5 },
      }),
    ];
    xds.cache.setSnapshot('retry', grpcGateway(authority, routes, [retried, control]).encoded);
    const routed = client(authority, 'retry');

    // Two failures then a success per call: 3 retries allowed, so every call succeeds.
    const calls = 30;
    expect(await tallyCalls(routed, calls)).toEqual(new Map([['flaky', calls]]));
    expect(flaky.failures()).toBe(2 * calls);
    expect(flaky.calls()).toBe(3 * calls);

    const outcomes: (number | 'ok')[] = [];
    for (let i = 0; i < 9; i++) {
      outcomes.push(
        await callEcho(routed, withHeader('x-no-retry', '1')()).then(
          () => 'ok' as const,
          (error: { code: number }) => error.code,
        ),
      );
    }
    expect(outcomes.filter((o) => o === status.UNAVAILABLE)).toHaveLength(6);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
  });

  it('NACKs a route it cannot run, keeps routing on the last good config, and ACKs the fix', async () => {
    const web = await backend('web');
    const authority = 'nack.example.com';
    const cluster = echoCluster('web', [web]);
    const good = grpcGateway(authority, [grpcRoute('web', { backends: [[cluster, 1]] })], [cluster]);
    xds.cache.setSnapshot('nack', good.encoded);
    const routed = client(authority, 'nack');
    expect(await callEcho(routed, undefined, 30_000)).toEqual({ backend: 'web' });

    // gRPC clients reject redirect routes (A28): the whole RouteConfiguration is NACKed.
    const redirect = grpcRoute('legacy', {
      backends: [],
      headers: [{ name: 'x-legacy', type: 'Exact', value: '1' }],
      action: { type: 'Redirect', scheme: 'https', statusCode: 301 },
    });
    const routeConfig = `grpc-${authority}`;
    const nack = nextNack(xds.cache, (e) => e.nodeId === 'nack', 'the RouteConfiguration NACK');
    xds.cache.setSnapshot(
      'nack',
      grpcGateway(authority, [redirect, grpcRoute('web', { backends: [[cluster, 1]] })], [cluster]).encoded,
    );
    const rejected = await nack;
    expect(rejected).toMatchObject({ typeUrl: TypeUrl.RouteConfiguration, resourceNames: [routeConfig] });
    expect(rejected.errorDetail).toContain('unsupported action: redirect');
    expect(rejected.lastGoodVersion).not.toBe('');
    expect(xds.cache.rejections()).toContainEqual(
      expect.objectContaining({ nodeId: 'nack', typeUrl: TypeUrl.RouteConfiguration, resourceName: routeConfig }),
    );
    expect(await rejectedGauge('RouteConfiguration')).toBe(1);
    expect(await nackCount('RouteConfiguration')).toBeGreaterThanOrEqual(1);
    // Still served by the last good RouteConfiguration.
    expect(await tallyCalls(routed, 10)).toEqual(new Map([['web', 10]]));

    const fixed = nextAck(
      xds.cache,
      (e) => e.nodeId === 'nack' && e.typeUrl === TypeUrl.RouteConfiguration && e.clearedResourceNames.length > 0,
      'the ACK that clears the rejection',
    );
    const fixedRoutes = [
      grpcRoute('legacy', { backends: [[cluster, 1]], headers: [{ name: 'x-legacy', type: 'Exact', value: '1' }] }),
      grpcRoute('web', { backends: [[cluster, 1]] }),
    ];
    xds.cache.setSnapshot('nack', grpcGateway(authority, fixedRoutes, [cluster]).encoded);
    expect((await fixed).clearedResourceNames).toEqual([routeConfig]);
    expect(xds.cache.rejections().filter((r) => r.nodeId === 'nack')).toEqual([]);
    expect(await rejectedGauge('RouteConfiguration')).toBe(0);
    expect(await tallyCalls(routed, 5, withHeader('x-legacy', '1'))).toEqual(new Map([['web', 5]]));
  });

  it('shows its NACK of a redirect route as Programmed=False on the Gateway until a fixed route is accepted', async () => {
    const { routed, nodeId, echoPort } = await rejectRedirect('status');
    const cleared = nextAck(
      xds.cache,
      (e) => e.nodeId === nodeId && e.clearedResourceNames.includes('http-80'),
      'the ACK that clears http-80',
    );
    const fixed = grpcGatewayFromManifests(AUTHORITY, 'http-80', statusManifests(echoPort, 'forward'));
    xds.cache.setSnapshot(nodeId, fixed.encoded);
    await cleared;
    const after = xds.cache.rejections().filter((r) => r.nodeId === nodeId);
    expect(after).toEqual([]);
    const updates = withRejections(fixed.status, after, fixed.snapshot, CONTROLLER_NAME, new Date()).updates;
    expect(programmed(updates, 'Gateway/default/grpc')).toMatchObject({ status: 'True' });
    expect(await tallyCalls(routed, 5)).toEqual(new Map([['echo', 5]]));
  });

  it('clears the rejection when the route is reverted to the configuration the client already runs', async () => {
    // Reverting pushes nothing (the client runs that version) and so brings no ACK; the rejection no longer holds
    // and must clear all the same, or the Gateway would show EnvoyRejected for a configuration Envoy runs.
    const { nodeId, good } = await rejectRedirect('revert');
    const cleared = nextEvent<readonly Rejection[]>(
      (listener) => xds.cache.onRejectionsChange(listener),
      (all) => !all.some((r) => r.nodeId === nodeId),
      'the rejection of http-80 to clear after the revert',
      15_000,
    );
    xds.cache.setSnapshot(nodeId, good.encoded);
    await cleared;
    expect(xds.cache.rejections().filter((r) => r.nodeId === nodeId)).toEqual([]);
  });
});

const AUTHORITY = 'status.example.com';

/**
 * Serves a good translated Gateway to a gRPC client on `nodeId`, then one with a redirect HTTPRoute, and checks
 * the NACK, the Gateway's Programmed=False/EnvoyRejected status and that calls still flow on the last good config.
 */
async function rejectRedirect(nodeId: string) {
  const echo = await backend('echo');
  const good = grpcGatewayFromManifests(AUTHORITY, 'http-80', statusManifests(echo.port, 'absent'));
  xds.cache.setSnapshot(nodeId, good.encoded);
  const routed = client(AUTHORITY, nodeId);
  expect(await callEcho(routed, undefined, 30_000)).toEqual({ backend: 'echo' });

  const bad = grpcGatewayFromManifests(AUTHORITY, 'http-80', statusManifests(echo.port, 'redirect'));
  const nack = nextNack(xds.cache, (e) => e.nodeId === nodeId, 'the NACK of http-80');
  xds.cache.setSnapshot(nodeId, bad.encoded);
  expect(await nack).toMatchObject({ typeUrl: TypeUrl.RouteConfiguration, resourceNames: ['http-80'] });
  const rejections = xds.cache.rejections().filter((r) => r.nodeId === nodeId);
  const { updates } = withRejections(bad.status, rejections, bad.snapshot, CONTROLLER_NAME, new Date());
  const gateway = programmed(updates, 'Gateway/default/grpc');
  expect(gateway).toMatchObject({ status: 'False', reason: 'EnvoyRejected' });
  expect(gateway?.message).toContain('RouteConfiguration http-80');
  expect(gateway?.message).toContain('unsupported action: redirect');
  expect(await tallyCalls(routed, 5)).toEqual(new Map([['echo', 5]]));
  return { routed, nodeId, echoPort: echo.port, good };
}

/** The Programmed condition of a Gateway's computed status. */
function programmed(updates: StatusUpdates, key: string) {
  const update = updates.find((u) => u.key === key);
  if (update?.kind !== 'Gateway') return undefined;
  return update.status.conditions.find((c) => c.type === 'Programmed');
}
