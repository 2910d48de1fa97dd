import { describe, expect, it } from 'vitest';
import { given } from '../model/test-fixtures.js';
import { CONTROLLER_NAME, Label } from './annotations.js';
import { createSnapshot } from './snapshot.js';
import type { KubernetesObject } from './types.js';

const secret = (name: string, namespace = 'default'): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/tls',
  metadata: { name, namespace },
  data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' },
});

const secretNames = (objects: object[]) =>
  createSnapshot(objects as KubernetesObject[]).secrets.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`);

describe('createSnapshot keeps only referenced Secrets', () => {
  const cases: Record<string, { objects: () => object[]; want: string[] }> = {
    'a Secret nobody references is dropped': { objects: () => [secret('lonely')], want: [] },
    'a Secret referenced by one of our Gateways is kept': {
      objects: () => [
        given.gatewayClass(),
        given.gateway('gw', [given.https('h', 443, ['a'])]),
        secret('a'),
        secret('b'),
      ],
      want: ['default/a'],
    },
    'a Secret referenced only by a Gateway of another controller is dropped': {
      objects: () => [
        given.gatewayClass('other', 'example.com/x'),
        given.gateway('gw', [given.https('h', 443, ['a'])], { gatewayClassName: 'other' }),
        secret('a'),
      ],
      want: [],
    },
    'a cross-namespace Secret without ReferenceGrant is dropped': {
      objects: () => [
        given.gatewayClass(),
        given.gateway('gw', [given.https('h', 443, ['certs/a'])]),
        secret('a', 'certs'),
      ],
      want: [],
    },
    'a cross-namespace Secret with a ReferenceGrant is kept': {
      objects: () => [
        given.gatewayClass(),
        given.gateway('gw', [given.https('h', 443, ['certs/a'])]),
        secret('a', 'certs'),
        given.referenceGrant('g', 'certs', { kind: 'Gateway', namespace: 'default' }, { kind: 'Secret' }),
      ],
      want: ['certs/a'],
    },
    'a ReferenceGrant from another kind does not count': {
      objects: () => [
        given.gatewayClass(),
        given.gateway('gw', [given.https('h', 443, ['certs/a'])]),
        secret('a', 'certs'),
        given.referenceGrant('g', 'certs', { kind: 'HTTPRoute', namespace: 'default' }, { kind: 'Secret' }),
      ],
      want: [],
    },
    'a Secret referenced by a ListenerSet of our Gateway is kept': {
      objects: () => [
        given.gatewayClass(),
        given.gateway('gw', [given.http()]),
        given.listenerSet('ls', 'gw', [given.https('h', 443, ['ls-cert'])]),
        secret('ls-cert'),
      ],
      want: ['default/ls-cert'],
    },
    'a Secret in spec.tls of our Ingress is kept': {
      objects: () => [given.ingress('app', { tls: [{ secretName: 'app-tls' }] }), secret('app-tls')],
      want: ['default/app-tls'],
    },
    "a Secret of another class's Ingress is dropped": {
      objects: () => [
        given.ingress('app', { ingressClassName: 'nginx', tls: [{ secretName: 'app-tls' }] }),
        secret('app-tls'),
      ],
      want: [],
    },
    'an Ingress of an IngressClass whose controller is ours counts': {
      objects: () => [
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'IngressClass',
          metadata: { name: 'edge' },
          spec: { controller: CONTROLLER_NAME },
        },
        given.ingress('app', { ingressClassName: 'edge', tls: [{ secretName: 'app-tls' }] }),
        secret('app-tls'),
      ],
      want: ['default/app-tls'],
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { objects, want }) => {
    expect(secretNames(objects())).toEqual(want);
  });
});

describe('createSnapshot normalises objects', () => {
  it('parses timestamps, defaults the namespace, folds stringData and lets the last copy of an object win', () => {
    const snapshot = createSnapshot([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r', creationTimestamp: '2025-01-02T03:04:05Z' },
        spec: { hostnames: ['old'] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r', creationTimestamp: '2025-01-02T03:04:05Z' },
        spec: { hostnames: ['new'] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name: 'c', namespace: 'ignored' },
        spec: { controllerName: 'x' },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' }, data: {} },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'challenge', labels: { [Label.Http01Challenge]: 'true' } },
        data: {},
      },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ignored' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { 'tls.crt': 'pem' } },
    ]);
    const route = snapshot.httpRoutes[0];
    expect(snapshot.httpRoutes).toHaveLength(1);
    expect(route?.metadata.namespace).toBe('default');
    expect(route?.metadata.creationTimestamp).toEqual(new Date('2025-01-02T03:04:05Z'));
    expect(route?.spec.hostnames).toEqual(['new']);
    expect(snapshot.gatewayClasses[0]?.metadata).not.toHaveProperty('namespace');
    expect(snapshot.http01Challenges.map((c) => c.metadata?.name)).toEqual(['challenge']);
    expect(snapshot.secrets).toEqual([]);
  });

  it('sorts every list by namespace then name', () => {
    const snapshot = createSnapshot([
      given.service('b', [80], { namespace: 'x' }),
      given.service('a', [80], { namespace: 'y' }),
      given.service('c', [80], { namespace: 'x' }),
    ] as KubernetesObject[]);
    expect(snapshot.services.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`)).toEqual(['x/b', 'x/c', 'y/a']);
  });
});
