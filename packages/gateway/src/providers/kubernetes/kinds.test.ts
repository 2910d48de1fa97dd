import { describe, expect, it } from 'vitest';
import { describeFailure } from './errors.js';
import { apiVersionOf, BASE_KINDS, collectionPath, type WatchedKind } from './kinds.js';

describe('collectionPath', () => {
  const cases: Record<string, { kind: WatchedKind; path: string; apiVersion: string }> = {
    'core kinds live under /api': {
      kind: { group: '', version: 'v1', plural: 'services', kind: 'Service' },
      path: '/api/v1/services',
      apiVersion: 'v1',
    },
    'named groups live under /apis': {
      kind: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', kind: 'HTTPRoute' },
      path: '/apis/gateway.networking.k8s.io/v1/httproutes',
      apiVersion: 'gateway.networking.k8s.io/v1',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { kind, path, apiVersion }) => {
    expect(collectionPath(kind)).toBe(path);
    expect(apiVersionOf(kind)).toBe(apiVersion);
  });

  it('watches only kubernetes.io/tls Secrets, and every ConfigMap (HTTP-01 ones by label, CA bundles by name)', () => {
    const selectors = Object.fromEntries(BASE_KINDS.map((k) => [k.kind, [k.fieldSelector, k.labelSelector]]));
    expect(selectors.Secret).toEqual(['type=kubernetes.io/tls', undefined]);
    expect(selectors.ConfigMap).toEqual([undefined, undefined]);
  });
});

describe('describeFailure', () => {
  const cases: Record<string, { err: unknown; want: string }> = {
    'uses the Status message of an API error body': {
      err: {
        code: 403,
        body: JSON.stringify({ message: 'secrets is forbidden' }),
        message: 'HTTP-Code: 403\nBody: ...',
      },
      want: 'HTTP 403: secrets is forbidden',
    },
    'keeps only the first line of other errors': {
      err: new Error('connect ECONNREFUSED\nstack'),
      want: 'connect ECONNREFUSED',
    },
    'uses statusCode of watch errors': {
      err: Object.assign(new Error('Gone'), { statusCode: 410 }),
      want: 'HTTP 410: Gone',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { err, want }) => {
    expect(describeFailure(err)).toBe(want);
  });
});
