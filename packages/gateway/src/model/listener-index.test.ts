import { describe, expect, it } from 'vitest';
import { intersectHostname } from './hostnames.js';
import { ListenerHostnameIndex, properSuffixes } from './listener-index.js';
import { type ResolvedListener, resolveListener } from './listeners.js';

const HOSTNAMES = [
  undefined,
  'a.example.com',
  'b.example.com',
  '*.example.com',
  '*.a.example.com',
  'x.a.example.com',
  'example.com',
  '*.com',
  'a.example.org',
];

function listener(hostname: string | undefined, index: number): ResolvedListener {
  const spec = { name: `l${index}`, port: 80, protocol: 'HTTP', ...(hostname === undefined ? {} : { hostname }) };
  return resolveListener(
    spec,
    'Gateway/default/gw',
    { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'default' },
    { secrets: new Map(), referenceGrants: [] },
  );
}

describe('ListenerHostnameIndex', () => {
  const listeners = HOSTNAMES.map(listener);
  const index = new ListenerHostnameIndex(listeners);
  const names = HOSTNAMES.filter((h) => h !== undefined).concat([
    'c.example.com',
    '*.b.example.com',
    'deep.x.a.example.com',
  ]);

  it.each(names)('finds exactly the listeners whose hostname intersects %s', (name) => {
    const brute = listeners.filter((l) => intersectHostname(l.hostname, name) !== undefined).map((l) => l.spec.name);
    const indexed = [...index.intersecting(name)].map((l) => l.spec.name).sort();
    expect(indexed).toEqual(brute.sort());
  });

  it('lists proper label suffixes', () => {
    expect(properSuffixes('a.b.example.com')).toEqual(['b.example.com', 'example.com', 'com']);
    expect(properSuffixes('localhost')).toEqual([]);
  });
});
