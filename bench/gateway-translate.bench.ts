/**
 * Gateway controller benchmark: translate + build + encode for 100 / 1,000 / 5,000 hosts, each host one Ingress
 * with 3 paths and its own TLS Secret (the "per-domain certificates at scale" case), its own Service and
 * EndpointSlice (2 ready endpoints). Run: `npx tsx bench/gateway-translate.bench.ts` (add `--runs N`).
 *
 * Reported per size (median of the runs; one unmeasured warm-up run first):
 * - cold: a never-seen snapshot (fresh objects: certificates parsed, nothing cached) → sources → translate →
 *   Envoy builders → binary encode (what the xDS server sends);
 * - warm: the same snapshot objects again (a rebuild after an unrelated change: per-object caches hit);
 * - heap: heap retained by a cold run, gc forced before and after: the encoded resources only (what an xDS
 *   snapshot cache keeps), and all pipeline state (snapshot, model, messages, encoded) kept alive;
 * - naive: a straightforward JS translate (no validation, precedence or conflict handling) that writes the same
 *   Envoy resources as plain objects and `JSON.stringify`s them — the kind of baseline facts.md's anchor measured —
 *   run on the same input on this machine, so ours/naive is a fair ratio.
 * Results also go to bench/results/gateway-translate.json (gitignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KubernetesObject } from '@portcullis/gateway';
import { buildEnvoyResources, createSnapshot, encodeResources, translate } from '@portcullis/gateway';
// Test-only helper of the gateway package (generates a certificate and key at run time; none is committed).
import { testCertificate } from '../packages/gateway/src/model/test-certificates.js';
import { naiveTranslateAndEncode } from './gateway-naive-baseline.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SIZES = [100, 1_000, 5_000];
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const PATHS = ['/', '/api', '/static'];

async function manifests(hosts: number): Promise<KubernetesObject[]> {
  const { certificatePem, keyPem } = await testCertificate('bench');
  const crt = Buffer.from(certificatePem).toString('base64');
  const key = Buffer.from(keyPem).toString('base64');
  const objects: KubernetesObject[] = [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'portcullis' },
      spec: { controller: 'portcullis.dev/ingress-controller' },
    },
  ];
  for (let i = 0; i < hosts; i++) {
    const host = `h${i}.bench.example.com`;
    const metadata = (name: string) => ({
      name,
      namespace: 'bench',
      generation: 1,
      creationTimestamp: '2026-01-01T00:00:00Z',
    });
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
                paths: PATHS.map((path) => ({
                  path,
                  pathType: 'Prefix',
                  backend: { service: { name: `svc${i}`, port: { number: 80 } } },
                })),
              },
            },
          ],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: metadata(`h${i}-tls`),
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': crt, 'tls.key': key },
      },
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
        endpoints: [0, 1].map((e) => ({
          addresses: [`10.${e}.${(i >> 8) & 255}.${i & 255}`],
          conditions: { ready: true },
        })),
      },
    );
  }
  return objects;
}

interface Sample {
  snapshot: number;
  translate: number;
  build: number;
  encode: number;
  total: number;
  bytes: number;
  resources: number;
}

function ours(objects: KubernetesObject[]): { sample: Sample; keep: unknown; keepAll: unknown } {
  const t0 = performance.now();
  const snapshot = createSnapshot(objects);
  const t1 = performance.now();
  const { model } = translate(snapshot);
  const t2 = performance.now();
  const resources = buildEnvoyResources(model);
  const t3 = performance.now();
  const encoded = encodeResources(resources);
  const t4 = performance.now();
  const all = Object.values(encoded).flat();
  const sample = {
    snapshot: t1 - t0,
    translate: t2 - t1,
    build: t3 - t2,
    encode: t4 - t3,
    total: t4 - t0,
    bytes: all.reduce((sum, r) => sum + r.size, 0),
    resources: all.length,
  };
  return { sample, keep: encoded, keepAll: { snapshot, model, resources, encoded } };
}

/** Retained heap of what `run` returns, in MB, with gc forced on both sides. */
function retainedMb<T>(run: () => T): { result: T; mb: number } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const result = run();
  gc();
  const mb = (process.memoryUsage().heapUsed - before) / 1_048_576;
  return { result, mb };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const fresh = (objects: KubernetesObject[]) => structuredClone(objects);

const rows = [];
for (const hosts of SIZES) {
  const objects = await manifests(hosts);
  ours(fresh(objects)); // warm-up: JIT, module caches
  const cold: Sample[] = [];
  const heaps: number[] = [];
  const heapsAll: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const input = fresh(objects);
    // Retained output only (what an xDS snapshot cache holds) and the whole pipeline state kept alive.
    const output = retainedMb(() => ours(input).keep);
    heaps.push(output.mb);
    const everything = retainedMb(() => ours(fresh(objects)));
    cold.push(everything.result.sample);
    heapsAll.push(everything.mb);
  }
  const warmInput = fresh(objects);
  ours(warmInput);
  const warm = Array.from({ length: RUNS }, () => ours(warmInput).sample.total);
  naiveTranslateAndEncode(fresh(objects));
  const naive: number[] = [];
  const naiveHeaps: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const input = fresh(objects);
    const { result, mb } = retainedMb(() => {
      const t0 = performance.now();
      const out = naiveTranslateAndEncode(input);
      return { ms: performance.now() - t0, out };
    });
    naive.push(result.ms);
    naiveHeaps.push(mb);
  }
  const pick = (key: keyof Sample) => median(cold.map((s) => s[key]));
  rows.push({
    hosts,
    routes: hosts * PATHS.length,
    certificates: hosts,
    runs: RUNS,
    coldMs: pick('total'),
    snapshotMs: pick('snapshot'),
    translateMs: pick('translate'),
    buildMs: pick('build'),
    encodeMs: pick('encode'),
    warmMs: median(warm),
    heapMb: median(heaps),
    heapAllMb: median(heapsAll),
    resources: pick('resources'),
    encodedMb: pick('bytes') / 1_048_576,
    naiveMs: median(naive),
    naiveHeapMb: median(naiveHeaps),
  });
  console.error(`measured ${hosts} hosts`);
}

const f = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const lines = [
  '| hosts | routes | certs | cold total (ms) | snapshot / translate / build / encode (ms) | warm total (ms) | retained: encoded / all state (MB) | resources | encoded (MB) | naive (ms) | naive heap (MB) | ours ÷ naive (time) |',
  '|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${f(r.hosts)} | ${f(r.routes)} | ${f(r.certificates)} | ${f(r.coldMs)} | ${f(r.snapshotMs)} / ${f(r.translateMs)} / ${f(r.buildMs)} / ${f(r.encodeMs)} | ${f(r.warmMs)} | ${f(r.heapMb, 1)} / ${f(r.heapAllMb, 1)} | ${f(r.resources)} | ${f(r.encodedMb, 2)} | ${f(r.naiveMs)} | ${f(r.naiveHeapMb, 1)} | ${f(r.coldMs / r.naiveMs, 2)} |`,
  ),
];
console.log(lines.join('\n'));
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('results/gateway-translate.json', import.meta.url),
  `${JSON.stringify({ node: process.version, platform: `${process.platform}-${process.arch}`, rows }, null, 2)}\n`,
);
