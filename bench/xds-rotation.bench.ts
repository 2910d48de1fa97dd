/**
 * xDS rotation benchmark: one certificate renewed among 1,000 / 5,000 hosts, from the new Secret object to the
 * Secret DiscoveryResponse arriving at a proxy over real gRPC on loopback.
 *
 *   npx tsx bench/xds-rotation.bench.ts [--sizes 1000,5000] [--rotations 40] [--debounce-ms 0]
 *
 * Input per host (as bench/gateway-translate.bench.ts): one Ingress with its own TLS Secret, Service and
 * EndpointSlice, served on the HTTP and HTTPS listeners. One raw ADS client (protobuf-es messages over
 * @grpc/grpc-js, like Envoy's single ADS stream) subscribes to every type: Listener and Cluster by wildcard,
 * RouteConfiguration, ClusterLoadAssignment and Secret by every name, and ACKs every response.
 *
 * Per rotation (a different host each time, a freshly generated certificate):
 * - rebuild: the controller's work — new source snapshot (one Secret object replaced) → translate → Envoy builders
 *   → binary encode → `SnapshotCache.setSnapshot`;
 * - push: from `setSnapshot` returning to the client's gRPC stream emitting the decoded Secret response (server
 *   debounce, resolve, encode, HTTP/2 on loopback, client decode);
 * - total = rebuild + push; push size = bytes of that DiscoveryResponse and how many Secrets it carries.
 * Any response of another type during the rotations is counted (a rotation must push only Secrets).
 * Percentiles are nearest-rank over the rotations (p99 of fewer than 100 samples is the maximum). Markdown goes to
 * stdout, progress to stderr, the full result to bench/results/xds-rotation-debounce-<ms>ms.json (gitignored). Nothing here is
 * asserted: it reports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { Client, type ClientDuplexStream, credentials } from '@grpc/grpc-js';
import {
  ALL_NODES,
  buildEnvoyResources,
  createSnapshot,
  type DiscoveryRequest,
  DiscoveryRequestSchema,
  type DiscoveryResponse,
  DiscoveryResponseSchema,
  type EncodedResources,
  encodeResources,
  type KubernetesObject,
  SnapshotCache,
  startXdsServer,
  TypeUrl,
  translate,
} from '@portcullis/gateway';
// Test-only helper of the gateway package (generates a certificate and key at run time; none is committed).
import { testCertificate } from '../packages/gateway/src/model/test-certificates.js';

const ADS_METHOD = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';
const progress = (text: string) => process.stderr.write(`${text}\n`);
const out = (text = '') => process.stdout.write(`${text}\n`);

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}
const SIZES = argument('sizes', '1000,5000').split(',').map(Number);
const ROTATIONS = Number(argument('rotations', '40'));
const DEBOUNCE_MS = Number(argument('debounce-ms', '0'));
for (const value of [...SIZES, ROTATIONS, DEBOUNCE_MS]) {
  if (!Number.isInteger(value) || value < 0) throw new Error(`bench: ${value} is not a non-negative integer`);
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function hostObjects(hosts: number): Promise<KubernetesObject[]> {
  const { certificatePem, keyPem } = await testCertificate('bench');
  const objects: KubernetesObject[] = [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'portcullis' },
      spec: { controller: 'portcullis.dev/ingress-controller' },
    },
  ];
  for (let i = 0; i < hosts; i++) {
    const metadata = (name: string) => ({
      name,
      namespace: 'bench',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
    });
    const host = `h${i}.bench.example.com`;
    objects.push(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: metadata(`h${i}`),
        spec: {
          ingressClassName: 'portcullis',
          tls: [{ hosts: [host], secretName: `h${i}-tls` }],
          rules: [
            {
              host,
              http: {
                paths: [
                  { path: '/', pathType: 'Prefix', backend: { service: { name: `svc${i}`, port: { number: 80 } } } },
                ],
              },
            },
          ],
        },
      },
      secretObject(i, certificatePem, keyPem),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: metadata(`svc${i}`),
        spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { ...metadata(`svc${i}-1`), labels: { 'kubernetes.io/service-name': `svc${i}` } },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080 }],
        endpoints: [{ addresses: [`10.0.${(i >> 8) & 255}.${i & 255}`], conditions: { ready: true } }],
      },
    );
  }
  return objects;
}

function secretObject(i: number, certificatePem: string, keyPem: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `h${i}-tls`, namespace: 'bench', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': b64(certificatePem), 'tls.key': b64(keyPem) },
  } as KubernetesObject;
}

function rebuild(objects: readonly KubernetesObject[]): EncodedResources {
  const { model } = translate(createSnapshot([...objects]));
  return encodeResources(buildEnvoyResources(model));
}

interface Received {
  readonly response: DiscoveryResponse;
  readonly at: number;
}

/** One ADS stream subscribed to everything; ACKs each response and hands it to whoever waits for its type. */
class AdsProxy {
  readonly #client: Client;
  readonly #stream: ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  readonly #waiting = new Map<string, (received: Received) => void>();
  readonly received: Received[] = [];

  constructor(port: number, names: Readonly<Record<TypeUrl, readonly string[]>>) {
    this.#client = new Client(`127.0.0.1:${port}`, credentials.createInsecure(), {
      'grpc.max_receive_message_length': 256 * 1024 * 1024,
    });
    this.#stream = this.#client.makeBidiStreamRequest(
      ADS_METHOD,
      (message: DiscoveryRequest) => Buffer.from(toBinary(DiscoveryRequestSchema, message)),
      (bytes: Buffer) => fromBinary(DiscoveryResponseSchema, bytes),
    );
    const request = (typeUrl: TypeUrl, versionInfo = '', responseNonce = '') =>
      create(DiscoveryRequestSchema, {
        node: { id: 'bench-envoy' },
        typeUrl,
        versionInfo,
        responseNonce,
        resourceNames: typeUrl === TypeUrl.Listener || typeUrl === TypeUrl.Cluster ? [] : [...names[typeUrl]],
      });
    this.#stream.on('data', (response: DiscoveryResponse) => {
      const received = { response, at: performance.now() };
      this.received.push(received);
      this.#stream.write(request(response.typeUrl as TypeUrl, response.versionInfo, response.nonce));
      const waiter = this.#waiting.get(response.typeUrl);
      this.#waiting.delete(response.typeUrl);
      waiter?.(received);
    });
    // CANCELLED is our own close().
    this.#stream.on('error', (error: Error & { code?: number }) => {
      if (error.code !== 1) progress(`ads stream: ${error.message}`);
    });
    for (const typeUrl of Object.values(TypeUrl)) this.#stream.write(request(typeUrl));
  }

  next(typeUrl: TypeUrl): Promise<Received> {
    return new Promise((resolveNext) => this.#waiting.set(typeUrl, resolveNext));
  }

  close(): void {
    this.#stream.cancel();
    this.#client.close();
  }
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
};

async function measure(hosts: number) {
  progress(`${hosts} hosts: building ${hosts} hosts and ${ROTATIONS} rotation certificates`);
  const objects = await hostObjects(hosts);
  const rotationCertificates = await Promise.all(
    Array.from({ length: ROTATIONS }, (_, k) => testCertificate(`rotation-${hosts}-${k}`)),
  );
  const cache = new SnapshotCache();
  const initial = rebuild(objects);
  cache.setSnapshot(ALL_NODES, initial);
  const server = await startXdsServer({ host: '127.0.0.1', port: 0, cache, debounceMs: DEBOUNCE_MS });
  const names = Object.fromEntries(Object.values(TypeUrl).map((t) => [t, initial[t].map((r) => r.name)])) as Record<
    TypeUrl,
    string[]
  >;
  const proxy = new AdsProxy(server.port, names);
  await Promise.all(Object.values(TypeUrl).map((t) => proxy.next(t)));
  progress(`${hosts} hosts: initial sync done, rotating`);

  // Client and server share this process: before the next rotation, wait until the server has processed the ACK
  // of the previous push. Otherwise the late ACK finds the next snapshot already set and the server answers it at
  // once (ACK-driven push, no debounce), which would make the next sample look faster than a real rotation.
  const ackedSecretVersions = new Set<string>();
  let onSecretAck: (() => void) | undefined;
  cache.onAck((event) => {
    if (event.typeUrl !== TypeUrl.Secret) return;
    ackedSecretVersions.add(event.version);
    onSecretAck?.();
  });
  const serverAcked = (version: string) =>
    new Promise<void>((resolveAck) => {
      const check = () => {
        if (!ackedSecretVersions.has(version)) return;
        onSecretAck = undefined;
        resolveAck();
      };
      onSecretAck = check;
      check();
    });

  const samples: { rebuildMs: number; pushMs: number; totalMs: number; bytes: number; secrets: number }[] = [];
  const before = proxy.received.length;
  for (let k = 0; k < ROTATIONS; k++) {
    const host = (k * 7_919) % hosts;
    const { certificatePem, keyPem } = rotationCertificates[k] as { certificatePem: string; keyPem: string };
    // Index of host i's Secret: 1 (IngressClass) + 4 objects per host, Secret second.
    objects[1 + host * 4 + 1] = secretObject(host, certificatePem, keyPem);
    const pushed = proxy.next(TypeUrl.Secret);
    const t0 = performance.now();
    const encoded = rebuild(objects);
    const change = cache.setSnapshot(ALL_NODES, encoded);
    const t1 = performance.now();
    if (change.changedTypes.join() !== TypeUrl.Secret) progress(`rotation ${k}: changed ${change.changedTypes.join()}`);
    const { response, at } = await pushed;
    await serverAcked(response.versionInfo);
    samples.push({
      rebuildMs: t1 - t0,
      pushMs: at - t1,
      totalMs: at - t0,
      bytes: toBinary(DiscoveryResponseSchema, response).byteLength,
      secrets: response.resources.length,
    });
  }
  const otherPushes = proxy.received.slice(before).filter((r) => r.response.typeUrl !== TypeUrl.Secret).length;
  proxy.close();
  await server.close();
  const stat = (key: 'rebuildMs' | 'pushMs' | 'totalMs') => {
    const values = samples.map((s) => s[key]);
    return { p50: percentile(values, 0.5), p99: percentile(values, 0.99) };
  };
  return {
    hosts,
    rotations: ROTATIONS,
    debounceMs: DEBOUNCE_MS,
    rebuild: stat('rebuildMs'),
    push: stat('pushMs'),
    total: stat('totalMs'),
    pushBytes: percentile(
      samples.map((s) => s.bytes),
      0.5,
    ),
    secretsPerPush: percentile(
      samples.map((s) => s.secrets),
      0.5,
    ),
    otherPushes,
  };
}

const rows = [];
for (const hosts of SIZES) rows.push(await measure(hosts));

const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0);
out(`xDS rotation → Secret push, ${ROTATIONS} rotations per size, server debounce ${DEBOUNCE_MS} ms`);
out();
out(
  '| hosts | rebuild p50 / p99 (ms) | push p50 / p99 (ms) | total p50 / p99 (ms) | push size (MB) | Secrets per push | other types pushed |',
);
out(
  '| ----: | ---------------------: | ------------------: | -------------------: | -------------: | ---------------: | -----------------: |',
);
for (const r of rows) {
  out(
    `| ${r.hosts.toLocaleString('en-US')} | ${ms(r.rebuild.p50)} / ${ms(r.rebuild.p99)} | ${ms(r.push.p50)} / ${ms(r.push.p99)} | ` +
      `${ms(r.total.p50)} / ${ms(r.total.p99)} | ${(r.pushBytes / 1_048_576).toFixed(2)} | ${r.secretsPerPush} | ${r.otherPushes} |`,
  );
}
const results = resolve(import.meta.dirname, 'results');
mkdirSync(results, { recursive: true });
writeFileSync(
  resolve(results, `xds-rotation-debounce-${DEBOUNCE_MS}ms.json`),
  `${JSON.stringify({ node: process.version, rows }, null, 2)}\n`,
);
