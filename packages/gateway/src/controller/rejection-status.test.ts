import { describe, expect, it } from 'vitest';
import { TypeUrl } from '../envoy/registry.js';
import { parseManifests } from '../providers/file/manifests.js';
import { CONTROLLER_NAME } from '../sources/annotations.js';
import { createSnapshot } from '../sources/snapshot.js';
import type { StatusUpdate } from '../status/types.js';
import { translate } from '../translate.js';
import type { Rejection } from '../xds/types.js';
import { sourcesOfResource } from './provenance.js';
import { RejectionReason, withRejections } from './rejection-status.js';

const manifests = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: portcullis, generation: 1 }
spec: { controllerName: ${CONTROLLER_NAME} }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: edge, namespace: infra, generation: 2 }
spec:
  gatewayClassName: portcullis
  listeners:
    - { name: http, port: 80, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }
    - name: https
      port: 443
      protocol: HTTPS
      tls: { certificateRefs: [{ name: web-tls, namespace: apps }] }
      allowedRoutes: { namespaces: { from: All } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: apps, generation: 3 }
spec:
  parentRefs: [{ name: edge, namespace: infra }]
  rules: [{ backendRefs: [{ name: web, port: 80 }] }]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: legacy, namespace: apps }
spec:
  ingressClassName: portcullis
  rules: [{ http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] } }]
`;
const snapshot = createSnapshot(parseManifests(manifests, 'test.yaml').objects);
const now = new Date('2026-11-25T10:00:00.123Z');
const rejection = (typeUrl: TypeUrl, resourceName: string, errorDetail = 'bad'): Rejection => ({
  nodeId: 'envoy-1',
  typeUrl,
  resourceName,
  resourceVersion: 'x',
  errorDetail,
});

describe('sourcesOfResource', () => {
  const cases: Record<string, { typeUrl: TypeUrl; name: string; want: string[] }> = {
    'traces a listener to the Gateways with a listener on its port': {
      typeUrl: TypeUrl.Listener,
      name: 'https-443',
      want: ['Gateway/infra/edge'],
    },
    'traces a route configuration the same way': {
      typeUrl: TypeUrl.RouteConfiguration,
      name: 'http-80',
      want: ['Gateway/infra/edge'],
    },
    'traces a cluster to the routes and Ingresses using the Service port': {
      typeUrl: TypeUrl.Cluster,
      name: 'apps/web:80/http2',
      want: ['HTTPRoute/apps/web', 'Ingress/apps/legacy'],
    },
    'traces a Secret to the Gateways referencing it': {
      typeUrl: TypeUrl.Secret,
      name: 'apps/web-tls',
      want: ['Gateway/infra/edge'],
    },
    'traces nothing for a port nobody listens on': { typeUrl: TypeUrl.Listener, name: 'http-8080', want: [] },
  };
  it.each(Object.entries(cases))('%s', (_name, { typeUrl, name, want }) => {
    expect(sourcesOfResource(snapshot, typeUrl, name)).toEqual(want);
  });
});

describe('withRejections', () => {
  const { status } = translate(snapshot, { clock: { now: () => now } });
  const programmed = (update: StatusUpdate | undefined) => {
    if (update?.kind === 'Gateway') return update.status.conditions.find((c) => c.type === 'Programmed');
    if (update?.kind === 'HTTPRoute') return update.status.parents[0]?.conditions.find((c) => c.type === 'Programmed');
    return undefined;
  };
  const find = (updates: readonly StatusUpdate[], key: string) => updates.find((u) => u.key === key);

  it('sets Programmed=False with Envoy’s message on the Gateway a rejected listener comes from', () => {
    const { updates } = withRejections(
      status,
      [rejection(TypeUrl.Listener, 'http-80', 'no port')],
      snapshot,
      CONTROLLER_NAME,
      now,
    );
    expect(programmed(find(updates, 'Gateway/infra/edge'))).toEqual({
      type: 'Programmed',
      status: 'False',
      reason: RejectionReason.EnvoyRejected,
      message: 'envoy rejected Listener http-80: no port',
      observedGeneration: 2,
      lastTransitionTime: '2026-11-25T10:00:00Z',
    });
    expect(find(updates, 'HTTPRoute/apps/web')).toBe(find(status, 'HTTPRoute/apps/web'));
  });

  it('adds the condition on our route parent and reports the Ingress it cannot show it on', () => {
    const result = withRejections(status, [rejection(TypeUrl.Cluster, 'apps/web:80')], snapshot, CONTROLLER_NAME, now);
    expect(programmed(find(result.updates, 'HTTPRoute/apps/web'))).toMatchObject({
      status: 'False',
      reason: RejectionReason.EnvoyRejected,
      observedGeneration: 3,
    });
    expect(result.unsurfaced).toEqual(['Ingress/apps/legacy']);
  });

  it('lists a few rejections in full and counts the rest', () => {
    const many = ['a', 'b', 'c', 'd', 'e'].map((n) => rejection(TypeUrl.Listener, 'http-80', `problem ${n}`));
    const { updates } = withRejections(status, many, snapshot, CONTROLLER_NAME, now);
    expect(programmed(find(updates, 'Gateway/infra/edge'))?.message).toMatch(/problem c; and 2 more$/);
  });

  it('changes nothing without rejections', () => {
    expect(withRejections(status, [], snapshot, CONTROLLER_NAME, now)).toEqual({ updates: status, unsurfaced: [] });
  });
});
