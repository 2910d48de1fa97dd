/**
 * Objects for the Kubernetes provider and status writer tests, created in the test API server over HTTP, and a
 * recorder of emitted snapshots that tests await without sleeping.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { SourceSnapshot } from '@portcullis/gateway';
import type { TestChain } from '../kube/test-certificates.js';
import type { KubeApiServer } from '../support/kube-api-server/index.js';
import type { RawClient, RawResponse } from '../support/kube-api-server/raw-client.js';

export const CONTROLLER = 'portcullis.dev/gateway-controller';
const GW = 'gateway.networking.k8s.io/v1';

export function kubeConfigFor(server: KubeApiServer): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig());
  return kubeConfig;
}

/** POSTs an object to its collection and fails loudly if the server refuses it. */
export async function create(api: RawClient, collection: string, object: object): Promise<RawResponse['body']> {
  const res = await api.request('POST', collection, object);
  if (res.status !== 201) throw new Error(`create ${collection}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const paths = {
  namespaces: '/api/v1/namespaces',
  gatewayClasses: '/apis/gateway.networking.k8s.io/v1/gatewayclasses',
  gateways: (ns: string) => `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/gateways`,
  httpRoutes: (ns: string) => `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes`,
  services: (ns: string) => `/api/v1/namespaces/${ns}/services`,
  endpointSlices: (ns: string) => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
  secrets: (ns: string) => `/api/v1/namespaces/${ns}/secrets`,
  configMaps: (ns: string) => `/api/v1/namespaces/${ns}/configmaps`,
  ingresses: (ns: string) => `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`,
};

export const gatewayClass = (name: string) => ({
  apiVersion: GW,
  kind: 'GatewayClass',
  metadata: { name },
  spec: { controllerName: CONTROLLER },
});

export const gateway = (name: string, className: string, tlsSecret: string) => ({
  apiVersion: GW,
  kind: 'Gateway',
  metadata: { name },
  spec: {
    gatewayClassName: className,
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
      {
        name: 'https',
        port: 443,
        protocol: 'HTTPS',
        hostname: 'app.example.test',
        tls: { mode: 'Terminate', certificateRefs: [{ name: tlsSecret }] },
        allowedRoutes: { namespaces: { from: 'All' } },
      },
    ],
  },
});

export const httpRoute = (name: string, gatewayName: string, service: string, path = '/') => ({
  apiVersion: GW,
  kind: 'HTTPRoute',
  metadata: { name },
  spec: {
    parentRefs: [{ name: gatewayName }],
    hostnames: ['app.example.test'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }], backendRefs: [{ name: service, port: 80 }] }],
  },
});

export const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], selector: { app: name } },
});

export const endpointSlice = (service: string, ip: string) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${service}-1`, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: [{ addresses: [ip], conditions: { ready: true } }],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});

export const tlsSecret = (name: string, chain: TestChain) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  type: 'kubernetes.io/tls',
  data: {
    'tls.crt': Buffer.from(chain.chainPem).toString('base64'),
    'tls.key': Buffer.from(chain.key.reveal()).toString('base64'),
  },
});

export const configMap = (name: string, labels: Record<string, string>, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

/** Collects snapshots; `waitFor` resolves with the first (already received or future) one matching. */
export class SnapshotRecorder {
  readonly snapshots: SourceSnapshot[] = [];
  #waiters: { predicate: (s: SourceSnapshot) => boolean; resolve: (s: SourceSnapshot) => void }[] = [];

  readonly onSnapshot = (snapshot: SourceSnapshot): void => {
    this.snapshots.push(snapshot);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.predicate(snapshot)) return true;
      w.resolve(snapshot);
      return false;
    });
  };

  get latest(): SourceSnapshot | undefined {
    return this.snapshots.at(-1);
  }

  /** The next snapshot from now on that satisfies `predicate` (the latest one counts if it already does). */
  waitFor(predicate: (s: SourceSnapshot) => boolean): Promise<SourceSnapshot> {
    const latest = this.latest;
    if (latest && predicate(latest)) return Promise.resolve(latest);
    return new Promise((resolve) => this.#waiters.push({ predicate, resolve }));
  }
}

export const names = (objects: readonly { metadata?: { name?: string } }[]) => objects.map((o) => o.metadata?.name);
