/**
 * TEST ONLY (not exported from the package): small builders of Kubernetes objects for translate tests, with the
 * defaults most cases want (namespace `default`, our class `portcullis`, Gateway `gw`) and modifiers for the rest.
 */
import type {
  V1ConfigMap,
  V1EndpointSlice,
  V1Ingress,
  V1IngressSpec,
  V1Namespace,
  V1Secret,
  V1Service,
  V1ServicePort,
} from '@kubernetes/client-node';
import { CONTROLLER_NAME, INGRESS_CLASS, Label } from '../sources/annotations.js';
import type {
  Gateway,
  GatewayClass,
  GatewaySpec,
  GRPCRoute,
  GRPCRouteSpec,
  HTTPRoute,
  HTTPRouteSpec,
  Listener,
  ListenerSet,
  ParentReference,
  ReferenceGrant,
  RouteStatus,
} from '../sources/gateway-api.js';
import { createSnapshot } from '../sources/snapshot.js';
import type { KubernetesObject, SourceSnapshot } from '../sources/types.js';
import type { TestCertificate } from './test-certificates.js';

export interface Meta {
  namespace?: string;
  /** ISO time. */
  created?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const GATEWAY_V1 = 'gateway.networking.k8s.io/v1';

function metadata(name: string, meta: Meta = {}, namespaced = true) {
  return {
    name,
    ...(namespaced ? { namespace: meta.namespace ?? 'default' } : {}),
    ...(meta.created === undefined ? {} : { creationTimestamp: new Date(meta.created) }),
    ...(meta.generation === undefined ? {} : { generation: meta.generation }),
    ...(meta.labels === undefined ? {} : { labels: meta.labels }),
    ...(meta.annotations === undefined ? {} : { annotations: meta.annotations }),
  };
}

export const given = {
  gatewayClass(name = 'portcullis', controllerName = CONTROLLER_NAME, extra: Partial<GatewayClass> = {}): GatewayClass {
    return {
      apiVersion: GATEWAY_V1,
      kind: 'GatewayClass',
      metadata: metadata(name, {}, false),
      spec: { controllerName },
      ...extra,
    };
  },
  gateway(
    name: string,
    listeners: Listener[],
    meta: Meta & Partial<GatewaySpec> & { status?: Gateway['status'] } = {},
  ): Gateway {
    const { namespace, created, generation, labels, annotations, status, ...spec } = meta;
    return {
      apiVersion: GATEWAY_V1,
      kind: 'Gateway',
      metadata: metadata(name, {
        ...(namespace === undefined ? {} : { namespace }),
        ...(created === undefined ? {} : { created }),
        ...(generation === undefined ? {} : { generation }),
      }),
      spec: { gatewayClassName: 'portcullis', listeners, ...spec },
      ...(status === undefined ? {} : { status }),
    };
  },
  http(name = 'http', port = 80, extra: Partial<Listener> = {}): Listener {
    return { name, port, protocol: 'HTTP', ...extra };
  },
  https(name: string, port: number, secrets: string[], extra: Partial<Listener> = {}): Listener {
    const certificateRefs = secrets.map((s) => {
      const [first, second] = s.split('/');
      return second === undefined ? { name: first ?? '' } : { namespace: first ?? '', name: second };
    });
    return { name, port, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs }, ...extra };
  },
  listenerSet(
    name: string,
    gateway: string,
    listeners: Listener[],
    meta: Meta & { experimental?: boolean; gatewayNamespace?: string } = {},
  ): ListenerSet {
    return {
      apiVersion: meta.experimental ? 'gateway.networking.x-k8s.io/v1alpha1' : GATEWAY_V1,
      kind: meta.experimental ? 'XListenerSet' : 'ListenerSet',
      metadata: metadata(name, meta),
      spec: {
        parentRef: {
          name: gateway,
          ...(meta.gatewayNamespace === undefined ? {} : { namespace: meta.gatewayNamespace }),
        },
        listeners,
      },
    };
  },
  parent(name = 'gw', extra: Partial<ParentReference> = {}): ParentReference {
    return { name, ...extra };
  },
  httpRoute(name: string, spec: HTTPRouteSpec, meta: Meta & { status?: RouteStatus } = {}): HTTPRoute {
    return {
      apiVersion: GATEWAY_V1,
      kind: 'HTTPRoute',
      metadata: metadata(name, meta),
      spec: { parentRefs: [given.parent()], ...spec },
      ...(meta.status === undefined ? {} : { status: meta.status }),
    };
  },
  grpcRoute(name: string, spec: GRPCRouteSpec, meta: Meta = {}): GRPCRoute {
    return {
      apiVersion: GATEWAY_V1,
      kind: 'GRPCRoute',
      metadata: metadata(name, meta),
      spec: { parentRefs: [given.parent()], ...spec },
    };
  },
  service(name: string, ports: (number | V1ServicePort)[], meta: Meta = {}): V1Service {
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(name, meta),
      spec: { ports: ports.map((p) => (typeof p === 'number' ? { name: `p${p}`, port: p } : p)) },
    };
  },
  /** Endpoints of `service` on its port named `portName` (default `p<servicePort>` as `given.service` names them). */
  endpoints(
    service: string,
    addresses: string[],
    targetPort: number,
    meta: Meta & { portName?: string; notReady?: string[] } = {},
  ): V1EndpointSlice {
    const ready = addresses.map((a) => ({ addresses: [a], conditions: { ready: true } }));
    const notReady = (meta.notReady ?? []).map((a) => ({ addresses: [a], conditions: { ready: false } }));
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { ...metadata(`${service}-slice`, meta), labels: { 'kubernetes.io/service-name': service } },
      addressType: 'IPv4',
      ports: [{ name: meta.portName ?? '', port: targetPort }],
      endpoints: [...ready, ...notReady],
    };
  },
  tlsSecret(name: string, certificate: TestCertificate, meta: Meta & { keyFrom?: TestCertificate } = {}): V1Secret {
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: metadata(name, meta),
      data: { 'tls.crt': b64(certificate.certificatePem), 'tls.key': b64((meta.keyFrom ?? certificate).keyPem) },
    };
  },
  referenceGrant(
    name: string,
    namespace: string,
    from: { kind: string; namespace: string; group?: string },
    to: { kind: string; name?: string; group?: string },
  ): ReferenceGrant {
    return {
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      kind: 'ReferenceGrant',
      metadata: metadata(name, { namespace }),
      spec: {
        from: [{ group: from.group ?? 'gateway.networking.k8s.io', kind: from.kind, namespace: from.namespace }],
        to: [{ group: to.group ?? '', kind: to.kind, ...(to.name === undefined ? {} : { name: to.name }) }],
      },
    };
  },
  ingress(name: string, spec: V1IngressSpec, meta: Meta = {}): V1Ingress {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: metadata(name, meta),
      spec: { ingressClassName: INGRESS_CLASS, ...spec },
    };
  },
  namespace(name: string, labels: Record<string, string>): V1Namespace {
    return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
  },
  challenge(name: string, token: string, keyAuthorization: string, meta: Meta = {}): V1ConfigMap {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...metadata(name, meta), labels: { [Label.Http01Challenge]: 'true' } },
      data: { token, keyAuthorization },
    };
  },
  snapshot(...objects: object[]): SourceSnapshot {
    return createSnapshot(objects as KubernetesObject[]);
  },
};

/** A fixed clock for status times. */
export const fixedClock = (iso = '2026-03-01T10:00:00Z') => ({ now: () => new Date(iso) });
